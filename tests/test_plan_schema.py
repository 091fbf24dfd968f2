"""The JSON plan is a contract (issue 18, item 8): `python -m pwa schema --plan` prints its JSON Schema, and every
persona's plan, the example's and the largest plan the limits allow all satisfy it."""

import json
import subprocess
import sys

import jsonschema
import pytest

from pwa.assessment import parse_assessment
from pwa.example import example_assessment, worst_case_assessment
from pwa.plan import build, plan_as_json
from pwa.plan_schema import plan_json_schema

from .test_personas import PERSONAS, walk

VALIDATOR = jsonschema.Draft202012Validator(
    plan_json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def test_the_schema_is_valid_and_printed_by_the_command_line(tmp_path):
    jsonschema.Draft202012Validator.check_schema(plan_json_schema())
    result = subprocess.run(
        [sys.executable, "-m", "pwa", "schema", "--plan"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == plan_json_schema()


@pytest.mark.parametrize("person", PERSONAS)
def test_every_personas_plan_satisfies_the_schema(content, person):
    VALIDATOR.validate(plan_as_json(walk(content, PERSONAS[person])))


def test_the_example_the_empty_and_the_largest_plan_satisfy_it(content):
    for document in (example_assessment(content.version), {}, worst_case_assessment(content)):
        VALIDATOR.validate(plan_as_json(build(content, parse_assessment(document))))


def test_the_schema_allows_no_field_the_plan_does_not_have(content):
    data = plan_as_json(walk(content, PERSONAS["B hip and thigh, after a fall"]))
    assert set(data) == set(plan_json_schema()["properties"])
    data["actions"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)
    data["actions"][0].pop("extra")
    data["actions"][0]["urgency"] = "someday"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)
