"""The assessment: the one JSON document the browser keeps and sends, and its parsing.

It is versioned (`schema`) so a document saved by an older release still opens: `migrate` brings it up to
date, and nothing in it is dropped. Unknown item ids are kept; the plan reports what it could not place.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

SCHEMA_VERSION = 1
NOTE_MAX = 2000
ANSWERS_MAX = 1000

AnswerValue = Literal["ok", "fix", "unsure", "na"]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)]


class AssessmentError(ValueError):
    """The document cannot be read; the message says why in plain words."""


class _Lenient(BaseModel):
    # A newer release may add fields: ignore what we do not know rather than refuse the whole document.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Profile(_Lenient):
    sites: tuple[str, ...] = ()
    walking_aid: str | None = None
    yes_no: dict[str, bool] = {}
    screen: dict[str, bool] = {}
    lifting_limit: ShortText = ""
    care_team_phone: ShortText = ""
    name: ShortText = ""


class ItemAnswer(_Lenient):
    answer: AnswerValue | None = None
    note: Note = ""


class Visit(_Lenient):
    client: ShortText = ""
    assessor: ShortText = ""
    date: ShortText = ""


class Assessment(_Lenient):
    schema_: int = Field(SCHEMA_VERSION, alias="schema")
    content_version: ShortText = ""
    id: ShortText = ""
    profile: Profile = Profile()
    answers: dict[str, ItemAnswer] = Field(default_factory=dict, max_length=ANSWERS_MAX)
    # Actions the person ticked as done in the action log: item id -> ISO date.
    done: dict[str, ShortText] = Field(default_factory=dict, max_length=ANSWERS_MAX)
    visit: Visit = Visit()


def migrate(document: dict) -> dict:
    """Bring a stored document up to SCHEMA_VERSION. Version 1 is the first; later versions add steps here."""
    version = document.get("schema", SCHEMA_VERSION)
    if not isinstance(version, int) or version < 1:
        raise AssessmentError("The saved answers have an unknown format version.")
    return document


def parse_assessment(document: object) -> Assessment:
    if not isinstance(document, dict):
        raise AssessmentError("The assessment must be a JSON object.")
    try:
        return Assessment.model_validate(migrate(document))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise AssessmentError(f"The assessment could not be read at '{where}': {first['msg']}.") from None
