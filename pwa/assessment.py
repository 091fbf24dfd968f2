"""The assessment: the one JSON document the browser keeps and sends. This module is its only definition.

Every field the browser keeps, the answer values and every limit are declared here. The pages and their scripts
read them from `browser_contract()` (written into every page), and `python -m pwa schema` publishes the same
thing as JSON Schema for other tools.

Documents carry a format version (`schema`). One saved by an older release is brought up to date by the
declared steps in `MIGRATIONS` (migrations.py), one version at a time; the caller keeps the original. A
document from a newer release, or with a version that is not a whole number, is refused with a plain message
rather than guessed at.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

from flask_babel import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
)

from .exceptions import SafeStepsError
from .migrations import MIGRATIONS as MIGRATIONS

SCHEMA_VERSION = 5
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

AnswerValue = Literal["ok", "fix", "unsure", "na"]
ANSWER_VALUES: tuple[str, ...] = get_args(AnswerValue)

# Limits, in characters or entries. An assessment is a few kB; these keep a hostile one small too.
NOTE_MAX = 2000
TEXT_MAX = 200
ID_MAX = 64
ANSWERS_MAX = 1000
CHOICES_MAX = 50
# Line breaks in one note. The PDF keeps them and an action is never split across pages, so without this a
# note of 2,000 line breaks (inside NOTE_MAX) made pages by the hundred: a hostile plan rendered 2,734 pages.
NOTE_LINE_BREAKS_MAX = 20
# How deep a JSON document may nest. Ours is 4 deep; this refuses "[[[[...]]]]" before anything walks it.
DEPTH_MAX = 16
# A home visit: photos per item (each with a caption), measurements per item, and the largest measurement
# (in mm or inches: 100 m or 100 yards is far beyond any step, seat or rail in a home).
PHOTOS_PER_ITEM = 4
MEASUREMENTS_MAX = 10
MEASUREMENT_MAX = 100_000

# Invisible characters that only ever arrive to do harm or by accident: C0 controls other than tab and line
# feed (NUL, ESC, ...), DEL, the C1 controls, and the bidirectional overrides and isolates (U+202E can make a
# note read backwards in the plan and the PDF). They are stripped; everything a person typed stays.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# A lone UTF-16 surrogate ("\ud800" in JSON) is no character at all: it cannot be written as UTF-8, so every plan
# and PDF made from it would fail. A browser can make one by cutting text inside an emoji; it becomes U+FFFD (�).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: Any) -> Any:
    """A string without control characters or lone surrogates; Windows and old Mac line endings become plain
    line breaks."""
    if not isinstance(value, str):
        return value  # the type check that follows says what is wrong
    value = _LONE_SURROGATE.sub("\ufffd", value)
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _one_line(value: Any) -> Any:
    value = clean_text(value)
    return " ".join(value.split("\n")).replace("\t", " ") if isinstance(value, str) else value


def _few_line_breaks(text: str) -> str:
    if text.count("\n") > NOTE_LINE_BREAKS_MAX:
        raise ValueError(f"a note can have at most {NOTE_LINE_BREAKS_MAX} line breaks")
    return text


def _is_timestamp(text: str) -> str:
    datetime.fromisoformat(text)  # the pattern checks the shape; this checks the calendar (no 31 February)
    return text


def _is_date(text: str) -> str:
    date.fromisoformat(text)
    return text


# Kept as the strings the browser wrote (not parsed into datetimes), so a document round-trips unchanged.
Timestamp = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$"),
    AfterValidator(_is_timestamp),
    Field(json_schema_extra={"format": "date-time"}),
]
IsoDate = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"),
    AfterValidator(_is_date),
    Field(json_schema_extra={"format": "date"}),
]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=ID_MAX)]
ItemId = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$", max_length=2 * ID_MAX)
]
DocumentId = Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9][A-Za-z0-9_-]*)?$", max_length=ID_MAX)]
# Strict types: a number or a list where text belongs is an error, never quietly turned into text.
ShortText = Annotated[str, BeforeValidator(_one_line), StringConstraints(strict=True, max_length=TEXT_MAX)]
Note = Annotated[
    str,
    BeforeValidator(clean_text),
    StringConstraints(strict=True, max_length=NOTE_MAX),
    AfterValidator(_few_line_breaks),
    Field(json_schema_extra={"x-maxLineBreaks": NOTE_LINE_BREAKS_MAX}),
]


class AssessmentError(SafeStepsError, ValueError):
    """The document cannot be read; the message says why in plain words."""

    code = "bad-assessment"


class _Part(BaseModel):
    # Exact: a field this release does not know is an error, not something to drop quietly. A newer release
    # that adds fields raises the schema version, and its documents are refused with a plain message.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Profile(_Part):
    """The "About me" answers."""

    sites: tuple[Slug, ...] = Field(default=(), max_length=CHOICES_MAX)
    walking_aid: Slug | None = None
    yes_no: dict[Slug, StrictBool] = Field(default_factory=dict, max_length=CHOICES_MAX)
    screen: dict[Slug, StrictBool] = Field(default_factory=dict, max_length=CHOICES_MAX)
    lifting_limit: ShortText = ""
    care_team_phone: ShortText = ""
    name: ShortText = ""


OtPriority = Literal["high", "medium", "low"]
Unit = Literal["mm", "in"]


class Measurement(_Part):
    """One thing an OT measured for an item (a step's rise, a seat's height), in the place's unit."""

    value: float = Field(ge=0, le=MEASUREMENT_MAX, allow_inf_nan=False)
    unit: Unit


class OtAdvice(_Part):
    """What the OT on a home visit recommends for one item, with what they measured and their photos' captions.

    Empty for a person using SafeSteps on their own."""

    # Free text; the room page starts it from the item's own fix.
    recommendation: Note = ""
    priority: OtPriority | None = None
    who: ShortText = ""
    by_when: IsoDate | Literal[""] = ""
    # By the measurement's id in the content (checklists/measurements.yaml), e.g. "step-rise".
    measurements: dict[Slug, Measurement] = Field(default_factory=dict, max_length=MEASUREMENTS_MAX)
    # The captions of the item's photos, in the photos' order (the photos themselves are kept apart).
    photo_captions: tuple[ShortText, ...] = Field(default=(), max_length=PHOTOS_PER_ITEM)


class ItemAnswer(_Part):
    answer: AnswerValue | None = None
    note: Note = ""
    # When the answer or note last changed: the start page goes back to the room last worked on.
    at: Timestamp | None = None
    # A home visit only: the OT's recommendation, measurements and photo captions for this item.
    ot: OtAdvice | None = None


class PreviousAnswer(_Part):
    answer: AnswerValue | None = None
    note: Note = ""


class PreviousVisit(_Part):
    """What the visit before this one found: a follow-up visit starts from it and is compared with it."""

    id: DocumentId = ""
    date: IsoDate | Literal[""] = ""
    assessor: ShortText = ""
    answers: dict[ItemId, PreviousAnswer] = Field(default_factory=dict, max_length=ANSWERS_MAX)


class Visit(_Part):
    """A home visit by an occupational therapist: who it was for, who made it, when, and what it followed.

    Empty for a person using SafeSteps on their own."""

    client: ShortText = ""
    # The client record on the OT's device this visit belongs to (several visits share one).
    client_id: DocumentId = ""
    assessor: ShortText = ""
    # The assessor's role and how the referrer reaches them, printed on the OT report (version 5).
    role: ShortText = ""
    contact: ShortText = ""
    date: IsoDate | Literal[""] = ""
    note: Note = ""
    # A follow-up visit: the visit it follows, and what was found then (None for a first visit).
    previous: PreviousVisit | None = None
    # Set on a copy handed to the person's own phone when their notes did not fit in the QR code.
    notes_kept_by_ot: bool = False


class Assessment(_Part):
    schema_: Literal[5] = Field(SCHEMA_VERSION, alias="schema")
    # The content release the answers were given against: a plan can say when they came from an older one.
    content_version: ShortText = ""
    id: DocumentId = ""
    created: Timestamp | None = None
    updated: Timestamp | None = None
    profile: Profile = Profile()
    # Answers to items this release does not know are kept: the plan counts them, never fails on them.
    answers: dict[ItemId, ItemAnswer] = Field(default_factory=dict, max_length=ANSWERS_MAX)
    # Actions the person ticked as done in the action log: item id -> the day, in their own calendar.
    done: dict[ItemId, IsoDate] = Field(default_factory=dict, max_length=ANSWERS_MAX)
    # Rooms this home does not have ("No stairs in my home"), by section id, and parts of a room it lacks ("No
    # outside steps"), by part id (a section's `parts`; the ids never clash): left out with one tap, brought back
    # with one more. Their answers are kept, but every count and the plan leave them out meanwhile. A part id
    # needs no new version: it was always a slug here, and a release that does not know it ignores it.
    skipped: tuple[Slug, ...] = Field(default=(), max_length=CHOICES_MAX)
    visit: Visit = Visit()


# ---------------------------------------------------------------- versions and migrations
# The steps from version N to N + 1 are in migrations.py (MIGRATIONS); a new version adds one there, and a test.


def document_version(document: dict) -> int:
    """The document's format version. The first release's hand-made documents may not name one: that is 1."""
    version = document.get("schema", 1)
    # bool is an int in Python: `true` must not read as version 1.
    if type(version) is not int or version < 1:
        raise AssessmentError(
            _("The saved answers have a format version SafeSteps does not know, so they cannot be read.")
        )
    if version > SCHEMA_VERSION:
        raise AssessmentError(
            _(
                "These answers were saved by a newer version of SafeSteps. Please reload SafeSteps to update it, "
                "then try again."
            )
        )
    return version


def migrate(document: dict) -> dict:
    """The document brought up to SCHEMA_VERSION, step by step. The document given is left as it was."""
    version = document_version(document)
    while version < SCHEMA_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
    return document


def nesting_depth(document: object, limit: int = DEPTH_MAX) -> int:
    """How deep a parsed JSON value nests, found without recursion (so any depth is safe to measure); once past
    `limit` it stops looking."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > limit:
            break
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def parse_assessment(document: object) -> Assessment:
    if not isinstance(document, dict):
        raise AssessmentError(_("The assessment must be a JSON object."))
    if nesting_depth(document) > DEPTH_MAX:
        raise AssessmentError(_("The assessment is nested too deeply to be one of ours."))
    try:
        return Assessment.model_validate(migrate(document))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise AssessmentError(
            _("The assessment could not be read at '%(where)s': %(problem)s.", where=where, problem=first["msg"])
        ) from None


def to_document(assessment: Assessment) -> dict:
    """The assessment as the JSON document the browser keeps."""
    return assessment.model_dump(mode="json", by_alias=True)


# ---------------------------------------------------------------- what other programs and the browser read


def json_schema() -> dict:
    """The assessment as JSON Schema (draft 2020-12), for tools that write or read these documents."""
    schema = _keys_as_property_names(Assessment.model_json_schema(by_alias=True, mode="validation"))
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"https://safesteps.example/schema/assessment-v{SCHEMA_VERSION}.json",
        **schema,
        "title": "SafeSteps assessment",
        "description": (
            "One person's answers to the SafeSteps home-safety walk: their 'About me' profile, an answer and "
            f"note per checklist item, the actions they ticked as done, and the visit. Format version {SCHEMA_VERSION}."
        ),
    }


def _keys_as_property_names(node: Any) -> Any:
    """Pydantic writes a constrained dict key as `patternProperties`, which lets any other key through; say
    instead that every key must match (`propertyNames`), as the model itself checks."""
    if isinstance(node, dict):
        node = {key: _keys_as_property_names(value) for key, value in node.items()}
        patterns = node.pop("patternProperties", None)
        if patterns:
            ((pattern, values),) = patterns.items()
            node["propertyNames"] = {**node.get("propertyNames", {}), "pattern": pattern}
            node["additionalProperties"] = values
        return node
    if isinstance(node, list):
        return [_keys_as_property_names(value) for value in node]
    return node


def browser_contract() -> dict:
    """What the browser's scripts need to keep documents the server accepts: the version, the answer values,
    the limits, and a blank document and answer to copy (so no default is written twice)."""
    return {
        "schema": SCHEMA_VERSION,
        "answers": list(ANSWER_VALUES),
        "limits": {
            "note": NOTE_MAX,
            "note_line_breaks": NOTE_LINE_BREAKS_MAX,
            "text": TEXT_MAX,
            "photos_per_item": PHOTOS_PER_ITEM,
            "measurement": MEASUREMENT_MAX,
        },
        "ot_priorities": list(get_args(OtPriority)),
        "blank": to_document(Assessment()),
        "blank_answer": ItemAnswer().model_dump(mode="json"),
        "blank_ot": OtAdvice().model_dump(mode="json"),
    }
