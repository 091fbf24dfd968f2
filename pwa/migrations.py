"""The declared steps that bring an assessment saved by an older release up to date, one version at a time.

Each step is written once and never changed: it must keep meaning what it meant when it was written. The rule
that runs them (which versions are known, and refusing a newer one) is `migrate` in assessment.py, beside the
format version they lead to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

Step = Callable[[dict], dict]


def _only(value: Any, keys: tuple[str, ...]) -> Any:
    return {k: v for k, v in value.items() if k in keys} if isinstance(value, dict) else value


# Version 2's fields, written out: a step must keep meaning what it meant when it was written.
_V2_FIELDS = ("schema", "content_version", "id", "created", "updated", "profile", "answers", "done", "visit")
_V2_PROFILE_FIELDS = ("sites", "walking_aid", "yes_no", "screen", "lifting_limit", "care_team_phone", "name")


def _version_1_to_2(document: dict) -> dict:
    """Version 1 (the first release) accepted an answer given as a bare value ("fix"), any text as a done date,
    and ignored fields it did not know; the browser's timestamps were outside the schema. Version 2 writes every
    answer as an object, keeps a done date only when it is a real day, and names every field it keeps."""
    answers = document.get("answers")
    if isinstance(answers, dict):
        answers = {
            item_id: {"answer": saved} if isinstance(saved, str) else _only(saved, ("answer", "note", "at"))
            for item_id, saved in answers.items()
        }
    done = document.get("done")
    if isinstance(done, dict):
        done = {item_id: day[:10] for item_id, day in done.items() if isinstance(day, str) and _real_day(day[:10])}
    upgraded = {
        **_only(document, _V2_FIELDS),
        "schema": 2,
        "profile": _only(document.get("profile", {}), _V2_PROFILE_FIELDS),
        "visit": _only(document.get("visit", {}), ("client", "assessor", "date")),
    }
    if answers is not None:
        upgraded["answers"] = answers
    if done is not None:
        upgraded["done"] = done
    return upgraded


def _real_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _version_2_to_3(document: dict) -> dict:
    """Version 3 gives a visit a client record, a general note, the visit it follows up (with what was found
    then) and a mark for notes kept by the OT. Every version 2 document is a valid version 3 one with those
    empty: only the version changes, and the new fields take their defaults."""
    return {**document, "schema": 3}


def _version_3_to_4(document: dict) -> dict:
    """Version 4 lets a person skip a room their home does not have (`skipped`, section ids). Every version 3
    document is a valid version 4 one with nothing skipped: only the version changes."""
    return {**document, "schema": 4}


def _version_4_to_5(document: dict) -> dict:
    """Version 5 lets an OT's home visit add, per item, a recommendation (with priority, who and by when),
    measurements and photo captions (`ot` on an answer), and gives a visit the assessor's role and contact.
    Every version 4 document is a valid version 5 one
    without them: only the version changes."""
    return {**document, "schema": 5}


# From version N to N + 1. A new version adds one step here, and a test for it.
MIGRATIONS: dict[int, Step] = {1: _version_1_to_2, 2: _version_2_to_3, 3: _version_3_to_4, 4: _version_4_to_5}
