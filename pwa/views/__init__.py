"""Blueprints: the walk's pages, the JSON API, the plan and its PDFs, and the installable-app files.

What every view needs from the request or the app lives here, so that no blueprint imports another.
"""

from flask import current_app, request

from ..assessment import Assessment, AssessmentError, parse_assessment
from ..content import Content


def content() -> Content:
    return current_app.extensions["safesteps.content"]


def read_assessment() -> Assessment:
    """The assessment in the request body. A bad one raises AssessmentError, which the app answers with a 400."""
    document = request.get_json(silent=True)
    if document is None:
        raise AssessmentError("The request must be a JSON assessment.")
    return parse_assessment(document)
