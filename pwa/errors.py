"""Every error the app answers with, registered on the app in one place.

One shape for every error: JSON `{"error": code, "message": words}` for the API and for any POST (the browser's
scripts read it), and an HTML page for a page someone opened. Nothing the person sent is logged or echoed.
"""

from __future__ import annotations

from flask import (
    Flask,
    get_template_attribute,
    jsonify,
    make_response,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge

from .exceptions import SafeStepsError


class OptionError(SafeStepsError, ValueError):
    """A query option (paper size, format) is not one we know; the message says which are."""


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.method != "GET"


def error_response(status: int, code: str, message: str):
    """The one error shape: JSON for the API and POSTs, the error page for anything a person opened."""
    if wants_json():
        response = jsonify(error=code, message=message)
    else:
        response = make_response(render_template("error.html", status=status, message=message))
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def words(name: str) -> str:
    """A message from templates/error_words.txt: the wording lives in templates, not in code."""
    return str(get_template_attribute("error_words.txt", name))  # a lazy string, read in this request's language


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(RateLimitExceeded)
    def too_many(exc: RateLimitExceeded):
        response = error_response(429, "too-many-requests", words("too_many"))
        response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(SafeStepsError)
    def refused(exc: SafeStepsError):
        # Every domain refusal (AssessmentError, PlanTooLong, RenderBusy...) says its own status, code and words.
        message = words(exc.words_name) if exc.words_name else str(exc)
        response = error_response(exc.status, exc.code, message)
        if exc.retry_after is not None:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(CSRFError)
    def csrf_refused(exc: CSRFError):
        return error_response(400, "csrf", _("This page was open too long. Please try again."))

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc):
        # What is too large depends on what was sent: an assessment, a backup file, or a report's photos.
        name = {"api.export_check": "too_large_export", "visits.ot_report_download": "too_large_report"}
        return error_response(413, "too-large", words(name.get(request.endpoint, "too_large")))

    @app.errorhandler(NotFound)
    def not_found(exc):
        return error_response(404, "not-found", _("We could not find that page."))

    @app.errorhandler(HTTPException)
    def other_http_error(exc: HTTPException):
        return error_response(exc.code or 500, exc.name.lower().replace(" ", "-"), exc.description or exc.name)
