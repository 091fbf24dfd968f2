"""Blueprints: the walk's pages, the JSON API, the plan and its PDFs, and the installable-app files.

What every view needs from the request or the app lives here, so that no blueprint imports another.
"""

import json

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..assessment import PHOTOS_PER_ITEM, Assessment, AssessmentError, parse_assessment
from ..content import Content
from ..errors import OptionError
from ..photos import PHOTO_BYTES_MAX, is_usable_photo, photo_name


def content() -> Content:
    return current_app.extensions["safesteps.content"]


def read_assessment() -> Assessment:
    """The assessment in the request body. A bad one raises AssessmentError, which the app answers with a 400;
    a body over MAX_CONTENT_LENGTH, with or without a Content-Length (chunked), a 413 from Werkzeug."""
    if not request.is_json:
        raise AssessmentError("The request must be a JSON assessment.")
    body = request.get_data(cache=False)  # read through Werkzeug's size limit
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    # A chunked body has no Content-Length: Werkzeug stops reading at the limit without saying the body went on.
    if (
        request.content_length is None
        and limit is not None
        and len(body) >= limit
        and request.environ["wsgi.input"].read(1)
    ):
        raise RequestEntityTooLarge()
    try:
        document = json.loads(body)
    except ValueError:
        raise AssessmentError("The request must be a JSON assessment.") from None
    # Nesting deeper than Python's recursion limit raises RecursionError, which is not a ValueError.
    except RecursionError:
        raise AssessmentError("The assessment is nested too deeply to be one of ours.") from None
    return parse_assessment(document)


# A visit sent as a form, with its photos: the OT report's and the health-record export's size limit.
VISIT_FORM_MAX_BYTES = 32 * 1024 * 1024


def read_visit_form() -> tuple[Assessment, dict[str, tuple[bytes, str]]]:
    """A form with the visit's assessment (JSON) and up to PHOTOS_PER_ITEM JPEGs per item photographed
    (`photo:<item id>` for the first, `photo:<item id>:<slot>` after: photos.photo_name). The photos are
    for this request alone, never stored."""
    request.max_content_length = VISIT_FORM_MAX_BYTES
    try:
        assessment = parse_assessment(json.loads(request.form.get("assessment", "")))
    except json.JSONDecodeError:
        raise AssessmentError("The request must carry the visit's assessment as JSON.") from None
    known = content().items
    photos: dict[str, tuple[bytes, str]] = {}
    for field, upload in request.files.items(multi=True):
        item_id, _, slot = field.removeprefix("photo:").partition(":")
        data = upload.read(PHOTO_BYTES_MAX + 1)
        slots = {"": 0, **{str(n): n for n in range(1, PHOTOS_PER_ITEM)}}
        name = photo_name(item_id, slots.get(slot, 0))
        if not field.startswith("photo:") or item_id not in known or slot not in slots or name in photos:
            raise OptionError("A photo was sent for an item this release does not know.")
        if not is_usable_photo(data):
            raise OptionError("A photo is not a JPEG image of a usable size.")
        photos[name] = (data, "image/jpeg")
    return assessment, photos
