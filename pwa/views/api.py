"""JSON API. Every POST carries a CSRF token in the X-CSRFToken header, fetched fresh from /api/csrf-token
(a page the service worker served from cache may hold an old one). Nothing sent here is stored."""

from flask import Blueprint, jsonify, request
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import RequestEntityTooLarge

from ..assessment import AssessmentError, parse_assessment
from ..personalise import personalise
from . import content

bp = Blueprint("api", __name__, url_prefix="/api")


def read_assessment():
    """The assessment in the request body; errors become clear 400/413 answers via the handlers below."""
    document = request.get_json(silent=True)
    if document is None:
        raise AssessmentError("The request must be a JSON assessment.")
    return parse_assessment(document)


@bp.get("/csrf-token")
def csrf_token():
    response = jsonify(token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/personalise")
def personalise_view():
    result = personalise(content(), read_assessment().profile)
    screen = result.screen
    return jsonify(
        screen={
            "score": screen.score,
            "max_score": screen.max_score,
            "answered": screen.answered,
            "total": screen.total,
            "higher_risk": screen.higher_risk,
            "message": screen.message,
        },
        items={
            item_id: {"shown": view.shown, "priority": view.priority, "reasons": list(view.reasons)}
            for item_id, view in result.items.items()
        },
    )


def _error(status: int, code: str, message: str):
    response = jsonify(error=code, message=message)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_errorhandler(CSRFError)
def csrf_refused(exc: CSRFError):
    return _error(400, "csrf", "This page was open too long. Please try again.")


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(exc):
    return _error(413, "too-large", "The assessment is too large to read. Please shorten the longest notes.")


@bp.app_errorhandler(AssessmentError)
def unreadable(exc: AssessmentError):
    return _error(400, "bad-assessment", str(exc))
