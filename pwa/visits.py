"""Home visits: what a follow-up visit changed, and the OT report's contents. Pure Python, no Flask, no I/O.

A follow-up visit carries what the visit before it found (`visit.previous`), so one document is enough to say,
item by item, what was fixed since, what is still open and what is new.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .assessment import Assessment
from .content import Content
from .personalise import ScreenResult, score_screen
from .photos import photo_names
from .template_helpers import long_date

# An item is done with when it is safe now, or no longer applies.
RESOLVED = ("ok", "na")


@dataclass(frozen=True)
class MeasuredValue:
    label: str
    value: float
    unit: str

    @property
    def text(self) -> str:
        """'190 mm', '7.5 in': no needless ".0"."""
        return f"{self.value:g} {self.unit}"


@dataclass(frozen=True)
class ItemLine:
    item_id: str
    question: str
    answer: str | None
    note: str
    # This render's resources for the item's photos (photos.photo_name), each with its caption ("" for none).
    photos: tuple[tuple[str, str], ...]
    previous: str | None  # the answer last time (a follow-up only)
    previous_note: str
    measurements: tuple[MeasuredValue, ...] = ()


@dataclass(frozen=True)
class RoomLines:
    title: str
    items: tuple[ItemLine, ...]

    @property
    def hazards(self) -> int:
        return sum(1 for line in self.items if line.answer == "fix")


@dataclass(frozen=True)
class Recommendation:
    """One thing to do, as the OT put it (or the item's own fix when they wrote nothing)."""

    room: str
    question: str
    text: str
    priority: str
    who: str
    by_when: str  # the day in words, or ""
    by_the_ot: bool


@dataclass(frozen=True)
class ClientProfile:
    name: str
    sites: tuple[str, ...]
    walking_aid: str
    lives_alone: bool | None
    lifting_limit: str
    care_team_phone: str


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
    role: str = ""
    contact: str = ""
    date_words: str = ""
    profile: ClientProfile | None = None
    # The screen's key questions answered yes, in their own words.
    key_questions: tuple[str, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    # Rooms with no answer at all: said once, by name, instead of a row per question.
    not_assessed: tuple[str, ...] = ()
    # Parts of a room the home lacks ("No outside steps"): said once, in the words the person tapped.
    left_out: tuple[str, ...] = ()


def compare(previous: str | None, now: str | None) -> str | None:
    """'fixed', 'still_open', 'new', or None (nothing to report) for one item."""
    if previous == "fix":
        return "fixed" if now in RESOLVED else "still_open"
    if now == "fix":
        return "new"
    return None


PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def day_in_words(text: str) -> str:
    """'2026-11-25' -> '25 November 2026' (a referrer reads no ISO dates); '' stays ''."""
    if not text:
        return ""
    return long_date(date.fromisoformat(text))


def client_profile(content: Content, assessment: Assessment) -> ClientProfile:
    profile = assessment.profile
    questions = content.profile
    sites = {o.id: o.label for o in questions.sites.options}
    aids = {o.id: o.label for o in questions.walking_aid.options}
    return ClientProfile(
        name=assessment.visit.client or profile.name,
        sites=tuple(sites.get(site, site) for site in profile.sites),
        walking_aid=aids.get(profile.walking_aid or "", ""),
        lives_alone=profile.yes_no.get("lives-alone"),
        lifting_limit=profile.lifting_limit,
        care_team_phone=profile.care_team_phone,
    )


def recommendations(content: Content, assessment: Assessment) -> tuple[Recommendation, ...]:
    """Every item found needing a fix, as the OT recommends it, most urgent first (the OT's priority, else the
    item's own), then by the day it is due, then in walk order."""
    found = []
    for position, (section, item) in enumerate((s, i) for s in content.sections for i in s.items):
        saved = assessment.answers.get(item.id)
        if saved is None or saved.answer != "fix" or content.left_out(item.id, assessment.skipped):
            continue
        ot = saved.ot
        advice = Recommendation(
            room=section.title,
            question=item.question,
            text=(ot.recommendation.strip() if ot else "") or item.action,
            priority=(ot.priority if ot else None) or item.priority,
            who=ot.who if ot else "",
            by_when=day_in_words(ot.by_when) if ot else "",
            by_the_ot=bool(ot and ot.recommendation.strip()),
        )
        due = ot.by_when if ot and ot.by_when else "9999-12-31"
        found.append(((PRIORITY_ORDER[advice.priority], due, position), advice))
    return tuple(advice for _, advice in sorted(found, key=lambda pair: pair[0]))


def _measured(content: Content, saved) -> tuple[MeasuredValue, ...]:
    if saved is None or saved.ot is None:
        return ()
    labels = {m.id: m.label for m in content.measurements}
    return tuple(
        MeasuredValue(labels.get(key, key), value.value, value.unit) for key, value in saved.ot.measurements.items()
    )


def _photos(item_id: str, saved, photos: frozenset[str]) -> tuple[tuple[str, str], ...]:
    captions = saved.ot.photo_captions if saved and saved.ot else ()
    return tuple(
        (name, captions[slot] if slot < len(captions) else "")
        for slot, name in enumerate(photo_names(item_id))
        if name in photos
    )


def ot_report(content: Content, assessment: Assessment, photos: frozenset[str] = frozenset()) -> OtReport:
    """The referral report: the client, the visit, the screen, hazards by room and the recommendations in
    priority order; then every answer of the rooms assessed, with notes, measurements and photos; on a
    follow-up, the comparison with the visit before."""
    visit = assessment.visit
    previous = visit.previous
    rooms = []
    not_assessed = []
    lines: dict[str, ItemLine] = {}
    for section in content.sections:
        items = []
        for item in section.items:
            if item.id in content.part_of and content.part_of[item.id] in assessment.skipped:
                continue  # a part of the room this home lacks: out of every list, said once as left out
            saved = assessment.answers.get(item.id)
            before = previous.answers.get(item.id) if previous else None
            line = ItemLine(
                item_id=item.id,
                question=item.question,
                answer=saved.answer if saved else None,
                note=saved.note if saved else "",
                photos=_photos(item.id, saved, photos),
                previous=before.answer if before else None,
                previous_note=before.note if before else "",
                measurements=_measured(content, saved),
            )
            items.append(line)
            lines[item.id] = line
        if section.id in assessment.skipped or not any(line.answer or line.previous for line in items):
            not_assessed.append(section.title)
            continue
        # Only what was answered (or answered last time): a room half done is not a page of "Not answered".
        rooms.append(RoomLines(section.title, tuple(line for line in items if line.answer or line.previous)))
    comparison = None
    if previous is not None:
        found: dict[str, list[ItemLine]] = {"fixed": [], "still_open": [], "new": []}
        for line in lines.values():
            kind = compare(line.previous, line.answer)
            if kind:
                found[kind].append(line)
        comparison = Comparison(*(tuple(found[k]) for k in ("fixed", "still_open", "new")))
    screen = score_screen(content, assessment.profile)
    questions = {q.id: q.text for q in content.profile.screen.questions}
    return OtReport(
        client=visit.client,
        assessor=visit.assessor,
        role=visit.role,
        contact=visit.contact,
        date=visit.date,
        date_words=day_in_words(visit.date),
        profile=client_profile(content, assessment),
        key_questions=tuple(questions[q] for q in screen.key_yes if q in questions),
        recommendations=recommendations(content, assessment),
        not_assessed=tuple(not_assessed),
        left_out=tuple(
            part.label
            for section in content.sections
            if section.id not in assessment.skipped
            for part in section.parts
            if part.id in assessment.skipped
        ),
        note=visit.note,
        previous_date=day_in_words(previous.date) if previous else None,
        previous_assessor=previous.assessor if previous else "",
        screen=screen,
        rooms=tuple(rooms),
        comparison=comparison,
        unknown_answers=sum(1 for item_id in assessment.answers if item_id not in lines),
    )


def file_name_part(text: str) -> str:
    """A client's name as part of a file name: plain letters and digits joined by hyphens ("Zoë O'Neil" ->
    "zoe-o-neil"), so every browser and system keeps it as it is."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")
