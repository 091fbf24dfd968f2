"""Home visits: what a follow-up visit changed, and the OT report's contents. Pure Python, no Flask, no I/O.

A follow-up visit carries what the visit before it found (`visit.previous`), so one document is enough to say,
item by item, what was fixed since, what is still open and what is new.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .assessment import Assessment
from .content import Content
from .personalise import ScreenResult, score_screen

# An item is done with when it is safe now, or no longer applies.
RESOLVED = ("ok", "na")


@dataclass(frozen=True)
class ItemLine:
    item_id: str
    question: str
    answer: str | None
    note: str
    photo: str | None  # the name of this render's resource for the item's photo
    previous: str | None  # the answer last time (a follow-up only)
    previous_note: str


@dataclass(frozen=True)
class RoomLines:
    title: str
    items: tuple[ItemLine, ...]


@dataclass(frozen=True)
class Comparison:
    fixed: tuple[ItemLine, ...]
    still_open: tuple[ItemLine, ...]
    new: tuple[ItemLine, ...]


@dataclass(frozen=True)
class OtReport:
    client: str
    assessor: str
    date: str
    note: str
    previous_date: str | None
    previous_assessor: str
    screen: ScreenResult
    rooms: tuple[RoomLines, ...]
    comparison: Comparison | None
    unknown_answers: int


def compare(previous: str | None, now: str | None) -> str | None:
    """'fixed', 'still_open', 'new', or None (nothing to report) for one item."""
    if previous == "fix":
        return "fixed" if now in RESOLVED else "still_open"
    if now == "fix":
        return "new"
    return None


def ot_report(content: Content, assessment: Assessment, photos: frozenset[str] = frozenset()) -> OtReport:
    """Every answer by room with notes, the photo names for items that have one, the fall-risk screen, and on a
    follow-up the comparison with the visit before."""
    visit = assessment.visit
    previous = visit.previous
    rooms = []
    lines: dict[str, ItemLine] = {}
    for section in content.sections:
        items = []
        for item in section.items:
            saved = assessment.answers.get(item.id)
            before = previous.answers.get(item.id) if previous else None
            line = ItemLine(
                item_id=item.id,
                question=item.question,
                answer=saved.answer if saved else None,
                note=saved.note if saved else "",
                photo=item.id if item.id in photos else None,
                previous=before.answer if before else None,
                previous_note=before.note if before else "",
            )
            items.append(line)
            lines[item.id] = line
        rooms.append(RoomLines(section.title, tuple(items)))
    comparison = None
    if previous is not None:
        found: dict[str, list[ItemLine]] = {"fixed": [], "still_open": [], "new": []}
        for line in lines.values():
            kind = compare(line.previous, line.answer)
            if kind:
                found[kind].append(line)
        comparison = Comparison(*(tuple(found[k]) for k in ("fixed", "still_open", "new")))
    return OtReport(
        client=visit.client,
        assessor=visit.assessor,
        date=visit.date,
        note=visit.note,
        previous_date=previous.date if previous else None,
        previous_assessor=previous.assessor if previous else "",
        screen=score_screen(content, assessment.profile),
        rooms=tuple(rooms),
        comparison=comparison,
        unknown_answers=sum(1 for item_id in assessment.answers if item_id not in lines),
    )


def file_name_part(text: str) -> str:
    """A client's name as part of a file name: plain letters and digits joined by hyphens ("Zoë O'Neil" ->
    "zoe-o-neil"), so every browser and system keeps it as it is."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")
