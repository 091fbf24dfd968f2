"""FHIR out (pwa/fhir/): the checklist as a Questionnaire, a visit as a QuestionnaireResponse, validated with
fhir.resources (R4B, whose Questionnaire and QuestionnaireResponse have R4's shape), and read back."""

import base64
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from PIL import Image

from pwa.assessment import ANSWER_VALUES, SCHEMA_VERSION, parse_assessment
from pwa.example import example_assessment
from pwa.fhir import ANSWER_SYSTEM, QUESTIONNAIRE_URL, answers_from_response, questionnaire, response

ROOT = Path(__file__).resolve().parent.parent


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def link_ids(items):
    for entry in items:
        yield entry["linkId"]
        yield from link_ids(entry.get("item", []))
        for answer in entry.get("answer", []):
            yield from link_ids(answer.get("item", []))


def every_answer(content, value_of):
    """An answer to every item the content has, each value in turn, with a note naming the item."""
    return {
        item.id: {"answer": value_of(n, item), "note": f"Note for {item.id} <b>&</b>", "at": None}
        for n, item in enumerate(content.items.values())
    }


def visit(content, *, answers, date, client="Mrs A Example", previous=None):
    document = example_assessment(content.version)
    document["id"] = f"visit-{date}"
    document["answers"] = answers
    document["visit"] = {
        "client": client,
        "client_id": "c1",
        "assessor": "Sam OT",
        "date": date,
        "note": "Daughter present.",
        "notes_kept_by_ot": False,
        "previous": previous,
    }
    return parse_assessment(document)


def test_the_questionnaire_validates_and_holds_every_item_and_answer_value(content):
    resource = questionnaire(content)
    Questionnaire.model_validate(resource)
    assert resource["version"] == content.version
    ids = list(link_ids(resource["item"]))
    assert len(ids) == len(set(ids)), "every linkId is unique"
    for item in content.items.values():
        assert {item.id, f"{item.id}.answer", f"{item.id}.note", f"{item.id}.photo"} <= set(ids)
    for question in content.profile.screen.questions:
        assert f"screen.{question.id}" in ids
    # Every answer an item allows is an option with our code and the words the person sees.
    groups = {g["linkId"]: g for g in resource["item"]}
    first = content.sections[0].items[0]
    choice = groups[content.sections[0].id]["item"][0]["item"][0]
    codes = {o["valueCoding"]["code"]: o["valueCoding"]["display"] for o in choice["answerOption"]}
    assert codes == {v: content.labels_for(first)[v] for v in ANSWER_VALUES if v in content.labels_for(first)}
    assert {o["valueCoding"]["system"] for o in choice["answerOption"]} == {ANSWER_SYSTEM}


def test_two_visits_validate_and_every_item_and_answer_maps_there_and_back(content):
    values = list(ANSWER_VALUES)
    first = visit(content, answers=every_answer(content, lambda n, _: values[n % len(values)]), date="2026-08-01")
    second = visit(
        content,
        answers=every_answer(content, lambda n, _: values[(n + 1) % len(values)]),
        date="2026-11-25",
        previous={"id": first.id, "date": "2026-08-01", "assessor": "Sam OT", "answers": {}},
    )
    for assessment in (first, second):
        resource = response(content, assessment)
        QuestionnaireResponse.model_validate(resource)
        assert resource["questionnaire"] == f"{QUESTIONNAIRE_URL}|{content.version}"
        assert resource["subject"] == {"display": "Mrs A Example"}
        back = answers_from_response(resource)
        expected = {
            item_id: {"answer": saved.answer, "note": saved.note}
            for item_id, saved in assessment.answers.items()
            if content.section_of(item_id).id not in assessment.skipped
        }
        assert back["answers"] == expected
        assert len(back["answers"]) == len(content.items) - sum(
            len(s.items) for s in content.sections if s.id in assessment.skipped
        )
        assert back["screen"] == dict(assessment.profile.screen)
        assert back["visit"] == {"date": assessment.visit.date, "assessor": "Sam OT", "note": "Daughter present."}
    # Every linkId in a response is one the Questionnaire declares.
    declared = set(link_ids(questionnaire(content)["item"]))
    assert set(link_ids(response(content, second)["item"])) <= declared


def test_the_response_carries_the_fall_risk_screen_and_its_result(content):
    assessment = visit(content, answers={}, date="2026-11-25")
    items = {i["linkId"]: i for i in link_items(response(content, assessment)["item"])}
    assert items["screen.score"]["answer"] == [{"valueInteger": 6}]  # the example: four yeses, 6 points
    assert items["screen.result"]["answer"][0]["valueString"] == content.profile.screen.at_risk_label


def link_items(items):
    for entry in items:
        yield entry
        yield from link_items(entry.get("item", []))


def test_photos_go_in_only_when_given(content):
    item_id = next(iter(content.items))
    assessment = visit(content, answers={item_id: {"answer": "fix", "note": "", "at": None}}, date="2026-11-25")
    without = json.dumps(response(content, assessment))
    assert "valueAttachment" not in without
    photo = jpeg()
    resource = response(content, assessment, {item_id: (photo, "image/jpeg")})
    QuestionnaireResponse.model_validate(resource)
    attachment = next(i for i in link_items(resource["item"]) if i["linkId"] == f"{item_id}.photo")["answer"][0]
    assert base64.b64decode(attachment["valueAttachment"]["data"]) == photo
    assert attachment["valueAttachment"]["contentType"] == "image/jpeg"


def test_a_response_that_breaks_fhir_is_refused_by_the_validator(content):
    """The validation is real: a response with an answer of the wrong type does not pass."""
    resource = response(content, visit(content, answers={}, date="2026-11-25"))
    resource["item"][0]["item"][0]["answer"] = [{"valueBoolean": "perhaps"}]
    with pytest.raises(ValueError):
        QuestionnaireResponse.model_validate(resource)


def post_visit(client, headers, document, photos=()):
    data = {"assessment": json.dumps(document)}
    for name, blob in photos:
        data[name] = (io.BytesIO(blob), "photo.jpg", "image/jpeg")
    return client.post("/api/fhir/response", data=data, headers=headers, content_type="multipart/form-data")


def test_the_server_makes_the_response_from_the_visit_page_form(client, csrf_headers, content):
    item_id = next(iter(content.items))
    document = example_assessment(content.version)
    document["answers"][item_id] = {"answer": "fix", "note": "Loose mat", "at": None}
    document["visit"] = {**document["visit"], "client": "Zoë O'Neil", "date": "2026-11-25"}
    reply = post_visit(client, csrf_headers, document, [(f"photo:{item_id}", jpeg())])
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert reply.headers["Cache-Control"] == "no-store"
    assert 'filename="safesteps-fhir-zoe-o-neil-2026-11-25.json"' in reply.headers["Content-Disposition"]
    resource = reply.get_json()
    QuestionnaireResponse.model_validate(resource)
    assert answers_from_response(resource)["answers"][item_id] == {"answer": "fix", "note": "Loose mat"}
    assert f"{item_id}.photo" in set(link_ids(resource["item"]))
    bad = post_visit(client, csrf_headers, document, [("photo:no.such-item", jpeg())])
    assert bad.status_code == 400
    assert post_visit(client, {}, document).status_code == 400  # no CSRF token


def run_cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "pwa", "fhir", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_the_command_line_prints_the_questionnaire_and_a_response(tmp_path, content):
    result = run_cli("questionnaire", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    Questionnaire.model_validate(json.loads(result.stdout))
    saved = tmp_path / "A.json"
    saved.write_text(json.dumps(example_assessment(content.version)))
    result = run_cli("response", saved, "-o", tmp_path / "out.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    resource = json.loads((tmp_path / "out.json").read_text())
    QuestionnaireResponse.model_validate(resource)
    assert answers_from_response(resource)["answers"]["living.rugs"]["answer"] == "fix"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"schema": SCHEMA_VERSION + 1}))
    result = run_cli("response", broken, cwd=tmp_path)
    assert result.returncode == 1 and "newer version" in result.stderr


def test_the_ots_recommendation_and_measurements_go_in_as_fhir_and_read_back(content):
    ot = {
        "recommendation": "Raised toilet seat, 10 cm.",
        "priority": "high",
        "who": "OT to order",
        "by_when": "2026-12-01",
        "measurements": {"toilet-seat-height": {"value": 380, "unit": "mm"}},
        "photo_captions": ["Toilet, seen from the door"],
    }
    item_id = "bathroom.toilet-height"
    assessment = visit(content, answers={item_id: {"answer": "fix", "ot": ot}}, date="2026-11-25")
    resource = response(content, assessment, {item_id: (jpeg(), "image/jpeg")})
    QuestionnaireResponse.model_validate(resource)
    Questionnaire.model_validate(questionnaire(content))
    items = {i["linkId"]: i["answer"][0] for i in link_items(resource["item"]) if "answer" in i}
    assert items[f"{item_id}.measure-toilet-seat-height"]["valueQuantity"] == {
        "value": 380.0,
        "unit": "mm",
        "system": "http://unitsofmeasure.org",
        "code": "mm",
    }
    assert items[f"{item_id}.caption"]["valueString"] == "Toilet, seen from the door"
    assert answers_from_response(resource)["answers"][item_id]["ot"] == {
        "recommendation": "Raised toilet seat, 10 cm.",
        "priority": "high",
        "who": "OT to order",
        "by-when": "2026-12-01",
        "measure-toilet-seat-height": {"value": 380.0, "unit": "mm"},
    }
    # Every linkId in the response is one the Questionnaire declares.
    declared = set(link_ids(questionnaire(content)["item"]))
    assert set(link_ids(resource["item"])) <= declared
