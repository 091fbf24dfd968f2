"""'Export for the health record' on the visit page: the visit as a FHIR QuestionnaireResponse, photos only when
the OT ticks the box."""

import json
from pathlib import Path

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from pwa.fhir import answers_from_response

from .conftest import open_page
from .test_clients import add_photo, answer, big_photo, new_client


def download(page):
    with page.expect_download() as made:
        page.click("[data-fhir-export]")
    return made.value


def test_the_visit_page_exports_the_visit_for_the_health_record(page, content):
    room = content.sections[0]
    item = room.items[0].id
    new_client(page, "Fay Record", assessor="Sam OT")
    open_page(page, f"/rooms/{room.id}")
    answer(page, item, "fix", "Step edge is worn")
    add_photo(page, item, big_photo(800, 600))
    open_page(page, "/visit")

    plain = download(page)
    assert plain.suggested_filename.startswith("safesteps-fhir-fay-record-")
    resource = json.loads(Path(plain.path()).read_text())
    QuestionnaireResponse.model_validate(resource)
    assert answers_from_response(resource)["answers"] == {item: {"answer": "fix", "note": "Step edge is worn"}}
    assert resource["subject"] == {"display": "Fay Record"}
    assert "valueAttachment" not in json.dumps(resource)

    page.check("[data-fhir-photos]")
    with_photos = json.loads(Path(download(page).path()).read_text())
    QuestionnaireResponse.model_validate(with_photos)
    assert '"valueAttachment"' in json.dumps(with_photos)
