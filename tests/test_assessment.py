"""The assessment document (pwa/assessment.py): its one schema, its versions and migrations, its JSON Schema."""

import copy
import json

import jsonschema
import pytest

from pwa.assessment import (
    ANSWER_VALUES,
    MIGRATIONS,
    NOTE_LINE_BREAKS_MAX,
    NOTE_MAX,
    SCHEMA_VERSION,
    TEXT_MAX,
    AssessmentError,
    browser_contract,
    json_schema,
    migrate,
    parse_assessment,
    to_document,
)
from pwa.example import example_assessment

# With its format checker, so "2026-02-30" is not a date here either.
VALIDATOR = jsonschema.Draft202012Validator(
    json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def test_the_json_schema_is_valid_draft_2020_12():
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_example_satisfies_the_schema_and_the_model(content):
    example = example_assessment(content.version)
    VALIDATOR.validate(example)
    assessment = parse_assessment(example)
    assert to_document(assessment) == example  # every field named, nothing added or lost
    assert set(example["answers"]) <= content.items.keys()
    assert set(example["done"]) <= content.items.keys()
    assert {"spine", "pelvis-hip"} <= set(example["profile"]["sites"]) and example["profile"]["walking_aid"] == "stick"
    assert sum(a["answer"] == "fix" for a in example["answers"].values()) >= 5
    assert sum(bool(a["note"]) for a in example["answers"].values()) >= 5


def test_the_blank_document_the_browser_copies_is_valid():
    contract = browser_contract()
    assert contract["schema"] == SCHEMA_VERSION
    assert contract["answers"] == list(ANSWER_VALUES)
    assert contract["limits"] == {
        "note": NOTE_MAX,
        "note_line_breaks": NOTE_LINE_BREAKS_MAX,
        "text": TEXT_MAX,
        "photos_per_item": 4,
        "measurement": 100_000,
    }
    VALIDATOR.validate(contract["blank"])
    assert to_document(parse_assessment(contract["blank"])) == contract["blank"]
    assert contract["blank_answer"] == {"answer": None, "note": "", "at": None, "ot": None}


@pytest.mark.parametrize(
    "document",
    [
        {"schema": SCHEMA_VERSION, "answers": {"kitchen.kettle": "fix"}},  # a bare value: only version 1 had those
        {"schema": SCHEMA_VERSION, "answers": {"kitchen.kettle": {"answer": "maybe"}}},
        {"schema": SCHEMA_VERSION, "answers": {"Not an id": {"answer": "ok"}}},
        {"schema": SCHEMA_VERSION, "answers": {"kitchen.kettle": {"note": "x" * (NOTE_MAX + 1)}}},
        {"schema": SCHEMA_VERSION, "profile": {"name": "x" * (TEXT_MAX + 1)}},
        {"schema": SCHEMA_VERSION, "profile": {"sites": "spine"}},
        {"schema": SCHEMA_VERSION, "done": {"kitchen.kettle": "last week"}},
        {"schema": SCHEMA_VERSION, "done": {"kitchen.kettle": "2026-02-30"}},
        {"schema": SCHEMA_VERSION, "created": "yesterday"},
        {"schema": SCHEMA_VERSION, "visit": {"date": "soon"}},
        {"schema": SCHEMA_VERSION, "photos": []},  # a field this version does not know
        {"schema": SCHEMA_VERSION, "id": "<script>"},
    ],
)
def test_the_model_and_the_json_schema_refuse_the_same_documents(document):
    with pytest.raises(AssessmentError):
        parse_assessment(document)
    assert not VALIDATOR.is_valid(document)


@pytest.mark.parametrize("version", [True, 1.0, "2", None, [2], 0, -1])
def test_a_version_that_is_not_a_known_whole_number_is_refused_plainly(version):
    with pytest.raises(AssessmentError, match="format version SafeSteps does not know"):
        parse_assessment({"schema": version})


@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, 99, 10**23])
def test_a_newer_version_is_refused_with_a_plain_message(version):
    with pytest.raises(AssessmentError, match="newer version of SafeSteps"):
        parse_assessment({"schema": version})


def test_every_version_before_this_one_has_a_migration_step():
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


# ---------------------------------------------------------------- migration steps, one by one


def without_ot(answers: dict) -> dict:
    """Answers as an older version wrote them: without version 5's empty OT advice."""
    return {item_id: {k: v for k, v in answer.items() if k != "ot"} for item_id, answer in answers.items()}


VERSION_1 = {
    # What the first release's browser kept, plus what it tolerated from hand-made files: a bare answer value,
    # a done "date" that is not one, and fields it did not know (which it ignored).
    "schema": 1,
    "content_version": "2026.11.25",
    "id": "client-from-2025",
    "created": "2025-05-01T10:00:00.000Z",
    "updated": "2025-05-01T10:05:00.000Z",
    "profile": {"sites": ["spine"], "care_team_phone": "0161 555 0100", "favourite_colour": "blue"},
    "answers": {
        "living.rugs": {"answer": "fix", "note": "Loose mat by the door", "at": "2025-05-01T10:05:00.000Z"},
        "living.cords": "ok",
        "garage.old-ladder": {"answer": "fix", "note": "The ladder in the garage", "colour": "red"},
    },
    "done": {"living.rugs": "2025-05-02", "living.cords": "last week", "kitchen.kettle": "2025-05-03T09:00"},
    "visit": {"client": "Mrs A"},
    "photos_from_a_newer_release": {"keep": True},
}


def test_version_1_to_2_makes_every_answer_an_object_and_keeps_every_answer():
    original = copy.deepcopy(VERSION_1)
    upgraded = MIGRATIONS[1](VERSION_1)
    assert original == VERSION_1  # the step returns a new document; the caller keeps the original
    assert upgraded["schema"] == 2
    assert upgraded["answers"] == {
        "living.rugs": VERSION_1["answers"]["living.rugs"],
        "living.cords": {"answer": "ok"},
        "garage.old-ladder": {"answer": "fix", "note": "The ladder in the garage"},  # an unknown item is kept
    }
    assert upgraded["done"] == {"living.rugs": "2025-05-02", "kitchen.kettle": "2025-05-03"}
    assert upgraded["profile"] == {"sites": ["spine"], "care_team_phone": "0161 555 0100"}
    assert upgraded["visit"] == {"client": "Mrs A"}
    assert "photos_from_a_newer_release" not in upgraded
    for key in ("content_version", "id", "created", "updated"):
        assert upgraded[key] == VERSION_1[key]
    VALIDATOR.validate(to_document(parse_assessment(upgraded)))


def test_a_document_with_no_version_is_read_as_version_1():
    unversioned = {k: v for k, v in VERSION_1.items() if k != "schema"}
    assert migrate(unversioned) == migrate(VERSION_1)


def test_a_current_document_is_not_changed_by_migrate():
    document = browser_contract()["blank"]
    assert migrate(document) is document


def test_version_1_documents_are_still_read_everywhere(content):
    assessment = parse_assessment(VERSION_1)
    assert assessment.answers["living.cords"].answer == "ok"
    assert assessment.profile.sites == ("spine",)


def test_a_document_round_trips_unchanged(content):
    document = json.loads(json.dumps(example_assessment(content.version)))
    document["answers"]["living.rugs"]["note"] = "  spaces kept as typed  \n<b>and markup as text</b>"
    assert to_document(parse_assessment(document)) == document


VERSION_2 = {
    "schema": 2,
    "content_version": "2026.11.25",
    "id": "visit-from-version-2",
    "created": "2026-01-05T09:00:00Z",
    "updated": "2026-01-05T09:30:00Z",
    "profile": {"sites": ["spine"], "name": "Mrs B"},
    "answers": {"living.rugs": {"answer": "fix", "note": "Mat by the door", "at": "2026-01-05T09:10:00Z"}},
    "done": {},
    "visit": {"client": "Mrs B", "assessor": "Sam OT", "date": "2026-01-05"},
}


def test_version_2_to_3_changes_only_the_version_and_the_new_visit_fields_start_empty():
    original = copy.deepcopy(VERSION_2)
    upgraded = MIGRATIONS[2](VERSION_2)
    assert original == VERSION_2
    assert upgraded == {**VERSION_2, "schema": 3}
    document = to_document(parse_assessment(upgraded))
    assert document["visit"] == {
        "client": "Mrs B",
        "client_id": "",
        "assessor": "Sam OT",
        "role": "",  # version 5's, empty too
        "contact": "",
        "date": "2026-01-05",
        "note": "",
        "previous": None,
        "notes_kept_by_ot": False,
    }
    assert without_ot(document["answers"]) == VERSION_2["answers"]
    VALIDATOR.validate(document)


def test_version_3_to_4_changes_only_the_version_and_nothing_is_skipped():
    version_3 = {**VERSION_2, "schema": 3}
    original = copy.deepcopy(version_3)
    upgraded = MIGRATIONS[3](version_3)
    assert version_3 == original
    assert upgraded == {**version_3, "schema": 4}
    document = to_document(parse_assessment(upgraded))
    assert document["skipped"] == []
    assert without_ot(document["answers"]) == VERSION_2["answers"]
    VALIDATOR.validate(document)


def test_skipped_rooms_are_kept_and_checked():
    document = to_document(parse_assessment({"schema": SCHEMA_VERSION, "skipped": ["stairs"]}))
    assert document["skipped"] == ["stairs"]
    VALIDATOR.validate(document)
    with pytest.raises(AssessmentError):
        parse_assessment({"schema": SCHEMA_VERSION, "skipped": ["Not a room!"]})


def test_a_follow_up_visit_carries_what_was_found_last_time():
    document = {
        **VERSION_2,
        "schema": SCHEMA_VERSION,
        "visit": {
            "client": "Mrs B",
            "client_id": "client-1",
            "date": "2026-04-05",
            "note": "Second visit",
            "previous": {"id": "visit-1", "date": "2026-01-05", "answers": {"living.rugs": {"answer": "fix"}}},
        },
    }
    assessment = parse_assessment(document)
    assert assessment.visit.previous.answers["living.rugs"].answer == "fix"
    VALIDATOR.validate(to_document(assessment))
    with pytest.raises(AssessmentError):
        parse_assessment({**document, "visit": {"previous": {"answers": {"living.rugs": {"answer": "maybe"}}}}})
    with pytest.raises(AssessmentError):
        parse_assessment({**document, "visit": {"photo": "x"}})


def test_version_4_to_5_changes_only_the_version_and_no_answer_has_ot_advice():
    version_4 = {**VERSION_2, "schema": 4}
    original = copy.deepcopy(version_4)
    upgraded = MIGRATIONS[4](version_4)
    assert version_4 == original
    assert upgraded == {**version_4, "schema": 5}
    document = to_document(parse_assessment(upgraded))
    assert all(answer["ot"] is None for answer in document["answers"].values())
    VALIDATOR.validate(document)


OT_ADVICE = {
    "recommendation": "Fit a second rail on the left, 900 mm high.",
    "priority": "high",
    "who": "Council adaptations team",
    "by_when": "2026-12-20",
    "measurements": {"step-rise": {"value": 190, "unit": "mm"}},
    "photo_captions": ["Bottom step, from the hall"],
}


def test_an_ot_recommendation_with_measurements_and_captions_is_kept_and_checked():
    document = {"schema": SCHEMA_VERSION, "answers": {"stairs.rails": {"answer": "fix", "ot": OT_ADVICE}}}
    kept = to_document(parse_assessment(document))
    assert kept["answers"]["stairs.rails"]["ot"] == {
        **OT_ADVICE,
        "measurements": {"step-rise": {"value": 190.0, "unit": "mm"}},
    }
    VALIDATOR.validate(kept)


@pytest.mark.parametrize(
    "change",
    [
        {"recommendation": "x" * (NOTE_MAX + 1)},
        {"who": "x" * (TEXT_MAX + 1)},
        {"priority": "urgent"},
        {"by_when": "next week"},
        {"measurements": {"step-rise": {"value": -1, "unit": "mm"}}},
        {"measurements": {"step-rise": {"value": 10**9, "unit": "mm"}}},
        {"measurements": {"step-rise": {"value": 190, "unit": "cubits"}}},
        {"measurements": {"Step Rise": {"value": 190, "unit": "mm"}}},
        {"photo_captions": ["a"] * 5},
        {"photo_captions": ["x" * (TEXT_MAX + 1)]},
        {"colour": "red"},
    ],
)
def test_ot_advice_over_its_limits_is_refused_by_the_model_and_the_json_schema(change):
    document = {"schema": SCHEMA_VERSION, "answers": {"stairs.rails": {"answer": "fix", "ot": {**OT_ADVICE, **change}}}}
    with pytest.raises(AssessmentError):
        parse_assessment(document)
    assert not VALIDATOR.is_valid(document)


def test_the_browser_gets_the_ot_limits_and_a_blank_recommendation():
    contract = browser_contract()
    assert contract["limits"]["photos_per_item"] == 4 and contract["ot_priorities"] == ["high", "medium", "low"]
    assert contract["blank_ot"]["measurements"] == {} and contract["blank_answer"]["ot"] is None
