"""Blueprints: the walk's pages, the JSON API, the plan and its PDFs, and the installable-app files.

What every view needs from the request or the app lives here, so that no blueprint imports another.
"""

import json

from flask import current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from ..assessment import PHOTOS_PER_ITEM, Assessment, AssessmentError, parse_assessment
from ..content import Content
from ..errors import OptionError
from ..i18n import current_content
from ..photos import PHOTO_BYTES_MAX, is_usable_photo, photo_name

# The largest body each view may be sent when it is more than MAX_CONTENT_LENGTH (an assessment): the OT report
# carries photos, the export check a whole backup. Set by `larger_body`, applied by `apply_body_limit`.
_BODY_LIMIT = "safesteps_max_content_length"


def larger_body(max_bytes: int):
    """Lets a view be sent up to `max_bytes`. Put it right under the route, so the view the app calls has it."""

    def mark(view):
        setattr(view, _BODY_LIMIT, max_bytes)
        return view

    return mark


def apply_body_limit() -> None:
    """Registered before any other before_request (CSRF included): the view's own limit is in place before
    anything reads the body, so a form under the view's limit is never refused by the 256 kB default."""
    limit = getattr(current_app.view_functions.get(request.endpoint), _BODY_LIMIT, None)
    if limit is not None:
        request.max_content_length = limit


def content() -> Content:
    """The content in the request's language: /es/ pages and PDFs are made from the Spanish."""
    return current_content()


def read_json() -> object:
    """The JSON document in the request body. A body over this view's limit, with or without a Content-Length
    (chunked), is a 413 from Werkzeug; a body that is not JSON, or nests deeper than Python can parse, an
    AssessmentError."""
    if not request.is_json:
        raise AssessmentError(_("The request must be a JSON assessment."))
    body = request.get_data(cache=False)  # read through Werkzeug's size limit
    limit = request.max_content_length
    # A chunked body has no Content-Length: Werkzeug stops reading at the limit without saying the body went on.
    if (
        request.content_length is None
        and limit is not None
        and len(body) >= limit
        and request.environ["wsgi.input"].read(1)
    ):
        raise RequestEntityTooLarge()
    return load_json(body)


def load_json(text: str | bytes) -> object:
    """Parsed JSON, or AssessmentError: nesting deeper than Python's recursion limit raises RecursionError,
    which is not a ValueError, so it is caught here too."""
    try:
        return json.loads(text)
    except ValueError:
        raise AssessmentError(_("The request must be a JSON assessment.")) from None
    except RecursionError:
        raise AssessmentError(_("The assessment is nested too deeply to be one of ours.")) from None


def read_assessment() -> Assessment:
    """The assessment in the request body. A bad one raises AssessmentError, which the app answers with a 400."""
    return parse_assessment(read_json())


# A visit sent as a form, with its photos: the OT report's and the health-record export's size limit (each view
# says so with @larger_body, so it holds before anything reads the body).
VISIT_FORM_MAX_BYTES = 32 * 1024 * 1024


def read_visit_form() -> tuple[Assessment, dict[str, tuple[bytes, str]]]:
    """A form with the visit's assessment (JSON) and up to PHOTOS_PER_ITEM JPEGs per item photographed
    (`photo:<item id>` for the first, `photo:<item id>:<slot>` after: photos.photo_name). The photos are
    for this request alone, never stored."""
    assessment = parse_assessment(load_json(request.form.get("assessment", "")))
    known = content().items
    photos: dict[str, tuple[bytes, str]] = {}
    for field, upload in request.files.items(multi=True):
        item_id, _sep, slot = field.removeprefix("photo:").partition(":")
        data = upload.read(PHOTO_BYTES_MAX + 1)
        slots = {"": 0, **{str(n): n for n in range(1, PHOTOS_PER_ITEM)}}
        name = photo_name(item_id, slots.get(slot, 0))
        if not field.startswith("photo:") or item_id not in known or slot not in slots or name in photos:
            raise OptionError(_("A photo was sent for an item this release does not know."))
        if not is_usable_photo(data):
            raise OptionError(_("A photo is not a JPEG image of a usable size."))
        photos[name] = (data, "image/jpeg")
    return assessment, photos
