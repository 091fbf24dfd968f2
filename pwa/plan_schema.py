"""The JSON plan is a contract: the JSON Schema (draft 2020-12) of what `plan_as_json` returns.

`python -m pwa schema --plan` prints it; tests/test_plan_schema.py checks every persona's plan against it, and
that it allows no field the plan does not have. Change both together, and say so in the release notes.
"""

from __future__ import annotations

_TEXT = {"type": "string"}
_TEXT_OR_NULL = {"type": ["string", "null"]}
_DAY = {"type": "string", "format": "date"}
_ID = {"type": "string", "pattern": r"^[a-z0-9-]+\.[a-z0-9]+(-[a-z0-9]+)*$"}
_URGENCY = {"enum": ["today", "high", "medium", "low"]}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def _list(items: dict) -> dict:
    return {"type": "array", "items": items}


_ACTION = {
    "id": _ID,
    "room": _TEXT,
    "urgency": {
        **_URGENCY,
        "description": '"today": a stop-or-know item, never scheduled ("Start today"); otherwise its urgency group',
    },
    "action": _TEXT,
    "who": _list({"enum": ["patient", "carer", "ot", "care-team"]}),
    "reasons": _list(_TEXT),
    "note": {"type": "string"},
}

PLAN_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://safesteps.example/schema/plan.json",
    "title": "SafeSteps action plan",
    "description": "What `python -m pwa plan --format json` writes: every open action in plan order, the warning "
    'signs, the falls check, the questions for the care team and what already looks safe. Actions come "today" '
    "first, then by urgency, each by the person's ranking.",
    **_object(
        {
            "made": _DAY,
            "content_version": _TEXT,
            "answered_with": {"type": "string"},
            "name": _TEXT_OR_NULL,
            "care_team_phone": _TEXT_OR_NULL,
            # The warning signs follow red_flags.yaml, which may grow (a group's call to action, its number).
            "warning_signs": _list(
                _object({"group": _TEXT, "level": _TEXT, "signs": _list(_TEXT)}, ["group", "signs"])
                | {"additionalProperties": True}
            ),
            "urgency_groups": _list(_object({"urgency": _URGENCY, "title": _TEXT})),
            "screen": {
                "oneOf": [
                    {"type": "null"},
                    _object(
                        {
                            "score": {"type": "integer", "minimum": 0},
                            "max_score": {"type": "integer", "minimum": 1},
                            "answered": {"type": "integer", "minimum": 0},
                            "total": {"type": "integer", "minimum": 1},
                            "higher_risk": {"type": "boolean", "description": "the published score reaches 4"},
                            "at_risk": {"type": "boolean", "description": "STEADI: 4 or more, or a key question yes"},
                            "key_yes": _list(_TEXT),
                            "result": {"type": "string", "description": "empty until the result can be said"},
                            "message": {"type": "string"},
                        }
                    ),
                ]
            },
            "actions": _list(_object(_ACTION)),
            "done": _list(_object({**_ACTION, "done_on": _DAY})),
            "unsure": _list(_object({"id": _ID, "room": _TEXT, "question": _TEXT, "note": {"type": "string"}})),
            "precautions": _list(_object({"id": _ID, "room": _TEXT, "action": _TEXT})),
            "lifting_limit": _TEXT_OR_NULL,
            "questions": _list(_TEXT),
            "already_safe": _list(_object({"room": _TEXT, "count": {"type": "integer", "minimum": 1}})),
            "other_notes": _list(
                _object({"id": _ID, "room": _TEXT, "question": _TEXT, "answer": _TEXT, "note": _TEXT})
            ),
            "unplaced_answers": {"type": "integer", "minimum": 0},
        }
    ),
}


def plan_json_schema() -> dict:
    return PLAN_SCHEMA
