"""The export file: one client, or all of an OT's clients, with every visit and photo, as one JSON file.

The browser writes it (static/js/store.js) and, before importing one, sends it here without the photos' bytes
(they would make it large; the browser checks those itself) to be checked: this format, every visit a valid
assessment (an older one brought up to date), every photo belonging to one of the client's visits. A file that
fails is refused whole, with a plain message, and the browser changes nothing.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from flask_babel import gettext as _
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from .assessment import (
    DEPTH_MAX,
    ID_MAX,
    PHOTOS_PER_ITEM,
    AssessmentError,
    ItemId,
    ShortText,
    Timestamp,
    nesting_depth,
    parse_assessment,
    to_document,
)
from .exceptions import SafeStepsError

EXPORT_FORMAT = "safesteps-clients"
EXPORT_VERSION = 1
CLIENTS_MAX = 500
VISITS_MAX = 100
PHOTOS_MAX = 2000
PHOTO_BYTES_MAX = 5 * 1024 * 1024
# The export check is sent the whole file without its photos' bytes, in one request: 500 clients with two
# realistic visits each (about 9 kB a visit) is about 9 MB. A larger file is refused with a plain 413.
CHECK_BYTES_MAX = 16 * 1024 * 1024
# A visit sits under four levels (the file, its clients, a client, its visits): an assessment's depth and those.
FILE_DEPTH_MAX = DEPTH_MAX + 4

NonEmptyId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=ID_MAX)]


class ExportError(SafeStepsError, ValueError):
    """The file cannot be imported; the message says why in plain words."""

    code = "bad-export"


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Photo(_Part):
    assessment: NonEmptyId
    item: ItemId
    # Which of the item's photos (a visit keeps up to PHOTOS_PER_ITEM per item; files from before have one).
    slot: int = Field(0, ge=0, lt=PHOTOS_PER_ITEM)
    type: Literal["image/jpeg"]
    width: int = Field(ge=1, le=4096)
    height: int = Field(ge=1, le=4096)
    bytes: int = Field(ge=1, le=PHOTO_BYTES_MAX)
    at: Timestamp
    # Left out (None) when the browser sends the file here to be checked.
    data: str | None = Field(default=None, pattern=r"^[A-Za-z0-9+/]*={0,2}$")


class Client(_Part):
    id: NonEmptyId
    name: ShortText
    created: Timestamp
    visits: list[dict[str, Any]] = Field(max_length=VISITS_MAX)
    photos: list[Photo] = Field(default_factory=list, max_length=PHOTOS_MAX)

    @field_validator("visits")
    @classmethod
    def _visits(cls, visits: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [to_document(parse_assessment(visit)) for visit in visits]


class ExportFile(_Part):
    format: Literal["safesteps-clients"]
    version: Literal[1]
    exported: Timestamp
    clients: list[Client] = Field(max_length=CLIENTS_MAX)


def check_export(document: object) -> dict:
    """The file as this release keeps it (visits brought up to date), or ExportError saying what is wrong."""
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ExportError(_("This is not a SafeSteps clients file."))
    if document.get("version") != EXPORT_VERSION:
        raise ExportError(_("This clients file was made by a different version of SafeSteps and cannot be read."))
    if nesting_depth(document, FILE_DEPTH_MAX) > FILE_DEPTH_MAX:
        raise ExportError(_("This is not a SafeSteps clients file: it is nested too deeply to be one."))
    try:
        checked = ExportFile.model_validate(document)
    except AssessmentError as exc:
        raise ExportError(_("A visit in this file cannot be read. %(problem)s", problem=exc)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        if first["type"] == "value_error":  # a visit the assessment format refused: its own plain message
            raise ExportError(
                _(
                    "A visit in this file cannot be read (%(where)s). %(problem)s",
                    where=where,
                    problem=first["ctx"]["error"],
                )
            ) from None
        raise ExportError(
            _("This clients file is damaged at '%(where)s': %(problem)s.", where=where, problem=first["msg"])
        ) from None
    seen_clients: set[str] = set()
    for client in checked.clients:
        visit_ids = [visit["id"] for visit in client.visits]
        if client.id in seen_clients or len(set(visit_ids)) != len(visit_ids) or "" in visit_ids:
            raise ExportError(_("This clients file is damaged: a client or a visit appears twice or has no id."))
        seen_clients.add(client.id)
        if any(visit["visit"]["client_id"] != client.id for visit in client.visits):
            raise ExportError(_("This clients file is damaged: a visit does not belong to its client."))
        if any(photo.assessment not in visit_ids for photo in client.photos):
            raise ExportError(_("This clients file is damaged: a photo does not belong to any visit."))
    return _one_client_per_visit(checked.model_dump(mode="json"))


def _one_client_per_visit(checked: dict) -> dict:
    """A visit id already used by an earlier client in the file (two files joined by hand, or a copy) gets a new
    id, with the photos and follow-up that name it: the device keeps visits by id, so the second would otherwise
    replace the first and one client would lose a visit."""
    seen: set[str] = set()
    for client in checked["clients"]:
        renamed = {visit["id"]: str(uuid.uuid4()) for visit in client["visits"] if visit["id"] in seen}
        for visit in client["visits"]:
            visit["id"] = renamed.get(visit["id"], visit["id"])
            previous = visit["visit"]["previous"]
            if previous and previous["id"] in renamed:
                previous["id"] = renamed[previous["id"]]
            seen.add(visit["id"])
        for photo in client["photos"]:
            photo["assessment"] = renamed.get(photo["assessment"], photo["assessment"])
    return checked


def contract() -> dict:
    """What the browser writes into an export file's header."""
    return {"name": EXPORT_FORMAT, "version": EXPORT_VERSION, "photo_bytes_max": PHOTO_BYTES_MAX}
