"""Parts of a room some homes lack (issue 19.7): the outside steps, a garage, shed or basement, the washing. Each is
declared in the content (a section's `parts`), left out with one tap like a whole room (its id in the assessment's
`skipped`), and then counts nowhere: not in the plan, its PDF or JSON, the FHIR export or the OT report's lists.
The blank checklist keeps it: paper is for every home."""

import shutil

import pytest
import yaml

from pwa.assessment import SCHEMA_VERSION, parse_assessment, to_document
from pwa.content import DEFAULT_DIR, ContentError, load_content
from pwa.fhir import response
from pwa.pdf.documents import checklist_html
from pwa.plan import build, plan_as_json
from pwa.visits import ot_report

STEPS = ("entrance.step-rail", "entrance.step-edges")


def assessment(skipped=(), answers=None):
    answers = answers if answers is not None else {i: {"answer": "fix"} for i in (*STEPS, "entrance.doors")}
    return parse_assessment({"schema": SCHEMA_VERSION, "id": "parts", "answers": answers, "skipped": list(skipped)})


def plan_ids(plan):
    return {a.item_id for g in (plan.today, *plan.groups) for a in g.actions}


# ---------------------------------------------------------------- the content


def test_the_parts_are_declared_in_the_content(content):
    entrance = content.section("entrance")
    steps = next(p for p in entrance.parts if p.id == "outside-steps")
    assert steps.label == "No outside steps" and steps.items == STEPS
    assert content.part_of["entrance.garage"] == "garage-shed"
    assert content.part_of["kitchen.laundry"] == "laundry"
    assert "entrance.doors" not in content.part_of


def test_left_out_covers_a_room_and_a_part_and_nothing_else(content):
    assert content.left_out("entrance.step-rail", ["outside-steps"])
    assert content.left_out("stairs.rails", ["stairs"])
    assert not content.left_out("entrance.doors", ["outside-steps"])
    assert not content.left_out("entrance.step-rail", ["garage-shed", "stairs"])


def _with_entrance(tmp_path, change):
    target = tmp_path / "checklists"
    shutil.copytree(DEFAULT_DIR, target)
    path = target / "sections" / "01-entrance.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return target


@pytest.mark.parametrize(
    ("part", "error"),
    [
        ({"id": "porch", "label": "No porch", "items": ["entrance.no-such"]}, "part porch: no such item"),
        ({"id": "porch", "label": "No porch", "items": ["kitchen.laundry"]}, "part porch: no such item"),
        ({"id": "porch", "label": "No porch", "items": ["entrance.step-rail"]}, "already in another part"),
        ({"id": "stairs", "label": "No stairs", "items": ["entrance.doors"]}, "stairs: duplicate id"),
        ({"id": "porch", "label": "No porch", "items": []}, "items"),
    ],
)
def test_a_wrong_part_is_refused_at_load_naming_it(tmp_path, part, error):
    target = _with_entrance(tmp_path, lambda data: data["parts"].append(part))
    with pytest.raises(ContentError, match=error):
        load_content(target)


# ---------------------------------------------------------------- the assessment


def test_a_part_left_out_is_kept_in_skipped_and_needs_no_new_format():
    document = to_document(assessment(["outside-steps", "stairs"]))
    assert document["schema"] == SCHEMA_VERSION
    assert document["skipped"] == ["outside-steps", "stairs"]
    assert parse_assessment(document).skipped == ("outside-steps", "stairs")


# ---------------------------------------------------------------- the plan


def test_the_plan_leaves_a_part_out_and_keeps_the_rest_of_the_room(content):
    with_steps = build(content, assessment())
    assert set(STEPS) | {"entrance.doors"} <= plan_ids(with_steps)
    without = build(content, assessment(["outside-steps"]))
    assert not set(STEPS) & plan_ids(without)
    assert "entrance.doors" in plan_ids(without)
    as_json = plan_as_json(without)
    assert not any(item_id in str(as_json) for item_id in STEPS)
    # Brought back: the answers were kept all along.
    assert set(STEPS) <= plan_ids(build(content, assessment([])))


def test_a_part_left_out_is_neither_safe_nor_unsure_in_the_plan(content):
    answers = {"entrance.step-rail": {"answer": "ok"}, "entrance.step-edges": {"answer": "unsure"}}
    plan = build(content, assessment(["outside-steps"], answers))
    assert not plan.unsure and not any("outside steps" in q for room in plan.safe for q in room.questions)
    plan = build(content, assessment([], answers))
    assert plan.unsure and any("outside steps" in q for room in plan.safe for q in room.questions)


def test_the_plan_pdf_from_the_server_leaves_the_part_out(client, csrf_headers, content):
    question = content.items["entrance.step-rail"].action
    doc = to_document(assessment(["outside-steps"]))
    html = client.post("/api/plan", json=doc, headers=csrf_headers).get_data(as_text=True)
    assert 'data-action="entrance.doors"' in html
    assert not any(f'data-action="{item_id}"' in html for item_id in STEPS)
    assert question not in html
    doc["skipped"] = []
    html = client.post("/api/plan", json=doc, headers=csrf_headers).get_data(as_text=True)
    assert all(f'data-action="{item_id}"' in html for item_id in STEPS)


def test_the_blank_checklist_keeps_every_part(app, content):
    with app.test_request_context():
        html = checklist_html(content)
    for item_id in content.part_of:
        assert content.items[item_id].question.split(",")[0] in html, item_id


# ---------------------------------------------------------------- the OT report and FHIR


def test_the_ot_report_says_once_that_the_part_was_left_out(app, content):
    report = ot_report(content, assessment(["outside-steps", "laundry"]))
    assert report.left_out == ("No outside steps", "I do not do the washing")
    listed = {line.item_id for room in report.rooms for line in room.items}
    assert "entrance.doors" in listed and not set(STEPS) & listed
    assert not {r.question for r in report.recommendations} & {content.items[i].question for i in STEPS}
    from flask import render_template

    with app.test_request_context():
        html = render_template("pdf/ot_report.html", report=report, large=False, labels={}, photo_url=str)
    assert html.count("No outside steps") == 1
    assert ot_report(content, assessment()).left_out == ()


def test_the_fhir_export_leaves_the_part_out(content):
    exported = str(response(content, assessment(["outside-steps"])))
    assert "entrance.doors" in exported and not any(item_id in exported for item_id in STEPS)
