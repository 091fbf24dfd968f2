"""JSON API. Every POST carries a CSRF token in the X-CSRFToken header, fetched fresh from /api/csrf-token
(a page the service worker served from cache may hold an old one). Nothing sent here is stored."""

from datetime import date

from flask import Blueprint, current_app, jsonify
from flask_wtf.csrf import generate_csrf

from ..assessment import AssessmentError, to_document
from ..export import CHECK_BYTES_MAX, check_export
from ..extensions import api_limit, import_limit, limiter
from ..fhir import response as fhir_response
from ..handoff import HandoffError, made_here, read_link, signature, split_link
from ..personalise import personalise
from ..plan import screen_json
from ..visits import file_name_part
from . import VISIT_FORM_MAX_BYTES, content, larger_body, read_assessment, read_json, read_visit_form

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/csrf-token")
def csrf_token():
    response = jsonify(token=generate_csrf())
    return response


@bp.post("/assessment")
@limiter.limit(api_limit)
def assessment():
    """The document as this release keeps it: migrated from an older version, checked, every field named.
    The browser sends a document saved by an older release here once, and keeps what comes back."""
    response = jsonify(assessment=to_document(read_assessment()))
    return response


@bp.post("/personalise")
@limiter.limit(api_limit)
def personalise_view():
    result = personalise(content(), read_assessment().profile)
    response = jsonify(
        content_version=content().version,
        screen=screen_json(result.screen),
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
    return response


@bp.post("/export-check")
@larger_body(CHECK_BYTES_MAX)
@limiter.limit(import_limit)
def export_check():
    """An export file (its photos' bytes left out by the browser) checked before anything is imported: the
    clients as this release keeps them, or a 400 with a plain message (an ExportError, which errors.py answers
    like every domain refusal). Nothing sent here is stored."""
    try:
        document = read_json()
    except AssessmentError:  # not JSON, or nested deeper than Python can read: check_export says what it is not
        document = None
    response = jsonify(check_export(document))
    return response


@bp.post("/fhir/response")
@larger_body(VISIT_FORM_MAX_BYTES)
@limiter.limit(api_limit)
def fhir_response_view():
    """A visit as a FHIR QuestionnaireResponse, for the health record: a form with the assessment and, only
    when the OT chose to include them, the photos (`photo:<item id>`). Made, sent back, forgotten."""
    assessment, photos = read_visit_form()
    response = jsonify(fhir_response(content(), assessment, photos))
    client, day = file_name_part(assessment.visit.client), assessment.visit.date or date.today().isoformat()
    name = f"safesteps-fhir-{client}-{day}.json" if client else f"safesteps-fhir-{day}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _link() -> str:
    """The link in {"link": ...}; anything else (not JSON, nested too deep to read, no link) is a damaged link."""
    try:
        body = read_json()
    except AssessmentError:
        body = None
    link = body.get("link") if isinstance(body, dict) else None
    if not isinstance(link, str) or not link:
        raise HandoffError("damaged")
    return link


@bp.post("/handoff/sign")
@limiter.limit(api_limit)
def handoff_sign():
    """The signature for a hand-off link the plan page made (static/js/handoff.js), once it is read as one: the
    phone that opens the link can then tell it was made by this service."""
    link = _link()
    read_link(link, as_made=True)
    fragment, _ = split_link(link)
    response = jsonify(signature=signature(current_app.config["SECRET_KEY"], fragment))
    return response


@bp.post("/handoff/open")
@limiter.limit(api_limit)
def handoff_open():
    """The assessment in a hand-off link, as a hand-off (the OT's device fields blanked, whatever the link says),
    and whether this service made the link."""
    link = _link()
    handed = read_link(link)
    response = jsonify(assessment=to_document(handed), made_here=made_here(current_app.config["SECRET_KEY"], link))
    return response
