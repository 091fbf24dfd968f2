"""JSON API. Every POST carries a CSRF token in the X-CSRFToken header, fetched fresh from /api/csrf-token
(a page the service worker served from cache may hold an old one). Nothing sent here is stored."""

from flask import Blueprint, jsonify
from flask_wtf.csrf import generate_csrf

from ..assessment import AssessmentError, to_document
from ..errors import error_response
from ..export import CHECK_BYTES_MAX, ExportError, check_export
from ..extensions import api_limit, import_limit, limiter
from ..personalise import personalise
from . import content, larger_body, read_assessment, read_json

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/csrf-token")
def csrf_token():
    response = jsonify(token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/assessment")
@limiter.limit(api_limit)
def assessment():
    """The document as this release keeps it: migrated from an older version, checked, every field named.
    The browser sends a document saved by an older release here once, and keeps what comes back."""
    response = jsonify(assessment=to_document(read_assessment()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/personalise")
@limiter.limit(api_limit)
def personalise_view():
    result = personalise(content(), read_assessment().profile)
    screen = result.screen
    response = jsonify(
        content_version=content().version,
        screen={
            "score": screen.score,
            "max_score": screen.max_score,
            "answered": screen.answered,
            "total": screen.total,
            "higher_risk": screen.higher_risk,
            "message": screen.message,
        },
        items={
            item_id: {
                "shown": view.shown,
                "priority": view.priority,
                "reasons": list(view.reasons),
                "important": view.important,
                "score": view.score,
            }
            for item_id, view in result.items.items()
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/export-check")
@larger_body(CHECK_BYTES_MAX)
@limiter.limit(import_limit)
def export_check():
    """An export file (its photos' bytes left out by the browser) checked before anything is imported: the
    clients as this release keeps them, or a 400 with a plain message. Nothing sent here is stored."""
    try:
        document = read_json()
    except AssessmentError:  # not JSON, or nested deeper than Python can read: check_export says what it is not
        document = None
    try:
        checked = check_export(document)
    except ExportError as exc:
        return error_response(400, "bad-export", str(exc))
    response = jsonify(checked)
    response.headers["Cache-Control"] = "no-store"
    return response
