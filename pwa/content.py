"""Load and validate the checklist content in ``checklists/``.

The content is data a clinician can edit. It is read once at start-up; any mistake stops the app with a
message naming the file and the id of the item (or sign, question, rule) that is wrong.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from .assessment import ANSWER_VALUES

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "checklists"

Priority = Literal["high", "medium", "low"]
PRIORITY_ORDER: tuple[Priority, ...] = ("high", "medium", "low")
Who = Literal["patient", "carer", "ot", "care-team"]
Site = Literal["spine", "pelvis-hip", "thigh", "upper-arm", "ribs", "skull", "other", "not-sure"]
# What kind of question an item asks, which decides the words on its answer buttons (content.yaml `answers`):
# a thing in the home to check, a habit of the person's, or something to ask or agree with the care team.
ItemKind = Literal["hazard", "habit", "ask-team"]
ITEM_KINDS: tuple[str, ...] = ("hazard", "habit", "ask-team")
Tag = Literal[
    "bending",
    "twisting",
    "lifting",
    "reaching",
    "getting-up",
    "walking-aid",
    "stairs",
    "carrying",
    "night",
    "dizziness",
    "exercise-load",
]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
DottedId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+\.[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class ContentError(Exception):
    """The content in checklists/ is broken; the message names the file and the id."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Model):
    """A test on the person's "About me" answers; every key given must hold (see checklists/README.md)."""

    sites_any: tuple[Site, ...] = ()
    screen_yes: tuple[str, ...] = ()
    profile_yes: tuple[str, ...] = ()
    walking_aid_any: tuple[str, ...] = ()
    # The Stay Independent score, as published, reaches this many points.
    screen_score_at_least: int | None = Field(default=None, ge=1)
    # The screen says "at risk": the score reaches the threshold, or any key question (`key: true`) is yes.
    screen_at_risk: bool | None = None
    # These "About me" text fields are empty (e.g. no care-team phone number saved).
    text_empty: tuple[Literal["lifting_limit", "care_team_phone", "name"], ...] = ()
    # Holds when any one of these holds (e.g. numb feet from the screen or from the treatment question).
    any_of: tuple[Condition, ...] = ()
    # Holds only when this does not (e.g. walking items, unless the person uses a wheelchair full time).
    unless: Condition | None = None

    @property
    def names_sites(self) -> bool:
        """Whether this condition is about the person's bones (a site precaution), not their home or habits."""
        return bool(self.sites_any) or any(inner.names_sites for inner in self.any_of)


class Item(_Model):
    id: DottedId
    question: Text
    why: Text
    action: Text
    kind: ItemKind
    priority: Priority
    who: tuple[Who, ...] = Field(min_length=1)
    tags: tuple[Tag, ...] = ()
    only_when: Condition | None = None
    sources: tuple[str, ...] = Field(min_length=1)
    # A "stop doing this" or "know what to do" item: answered "Not yet", it is never scheduled or capped but goes
    # in the plan's first block ("Start today"). A section may say it for all of its items.
    stop_or_know: bool = False


class Part(_Model):
    """A part of a room that some homes lack (the outside steps): left out with one tap, like a whole room."""

    id: Slug
    # The words of the one-tap button that leaves it out ("No outside steps").
    label: Text
    items: tuple[DottedId, ...] = Field(min_length=1)


class Section(_Model):
    id: Slug
    title: Text
    kind: Literal["home", "movement", "exercise"]
    intro: Text
    # A room some homes do not have: the words of the one-tap button that skips it ("No stairs in my home").
    skip_label: str | None = None
    # Parts of the room some homes lack; their ids are stored in the assessment's `skipped`, with section ids.
    parts: tuple[Part, ...] = ()
    # Every item of this section is a "stop or know" item (see Item.stop_or_know).
    stop_or_know: bool = False
    items: tuple[Item, ...] = Field(min_length=1)


class Source(_Model):
    """A seed file, or a public source that can be traced: a URL or a DOI, and the date it was read."""

    id: Slug
    title: Text
    seed: str | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    accessed: date | None = None
    # A page that could not be opened from here: where its content was read instead (never an `accessed` date).
    read_from: str = ""

    @model_validator(mode="after")
    def _traceable(self) -> Source:
        if self.seed is None and not (self.url or self.doi):
            raise ValueError("a source that is not a seed needs a url or a doi")
        if self.url and self.accessed is None and not self.read_from:
            raise ValueError("a source with a url needs the date it was accessed, or read_from if it was not opened")
        if self.accessed and self.read_from:
            raise ValueError("a source is either accessed on a date or read from elsewhere, not both")
        return self


class Option(_Model):
    id: Slug
    label: Text


class SitesQuestion(_Model):
    question: Text
    hint: str = ""
    sources: tuple[str, ...] = ()
    options: tuple[Option, ...]


class ChoiceQuestion(_Model):
    question: Text
    options: tuple[Option, ...]


class FollowUp(_Model):
    """A question asked only after a given answer: `question` names the form field, e.g. `screen.fallen`."""

    question: Annotated[str, StringConstraints(pattern=r"^(walking_aid|screen\.[a-z0-9-]+)$")]
    answer: Slug
    # On the paper checklist, where every question is printed: the words that say when to answer it.
    on_paper: Text


class YesNoQuestion(_Model):
    id: Slug
    question: Text
    hint: str = ""
    sources: tuple[str, ...] = ()
    # Shown right after that answer is given, and only then (e.g. "how many falls" after a yes to "fallen").
    follows: FollowUp | None = None


class TextQuestion(_Model):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    label: Text
    hint: str = ""
    inputmode: Literal["text", "tel"] = "text"


class ScreenQuestion(_Model):
    id: Slug
    text: Text
    points: int = Field(ge=1, le=2)
    # One of STEADI's key questions: a yes means "at risk" whatever the score.
    key: bool = False
    # Counted as yes when this holds for the "About me" answers (e.g. a walking aid answers "I use a cane").
    yes_when: Condition | None = None


class Screen(_Model):
    title: Text
    source: str
    threshold: int
    higher_risk: Text
    lower_risk: Text
    # Shown while the unanswered questions could still bring the score up to the threshold.
    undecided: str = ""
    # Said apart from the score when a key question is yes but the score is under the threshold.
    key_risk: str = ""
    # The words of the result, as the plan and the OT report print it.
    at_risk_label: str = "At risk of falling"
    not_at_risk_label: str = "Not at higher risk"
    questions: tuple[ScreenQuestion, ...] = Field(min_length=1)


class ProfileQuestions(_Model):
    sites: SitesQuestion
    walking_aid: ChoiceQuestion
    yes_no: tuple[YesNoQuestion, ...]
    text: tuple[TextQuestion, ...]
    screen: Screen


class RaiseTarget(_Model):
    sections: tuple[str, ...] = ()
    kinds: tuple[Literal["home", "movement", "exercise"], ...] = ()
    tags: tuple[Tag, ...] = ()
    items: tuple[str, ...] = ()


class Rule(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Slug
    when: Condition
    raise_: RaiseTarget = Field(alias="raise")
    # Points added to every item the rule matches; the items with the most points come first.
    weight: int = Field(ge=1, le=5)
    because: Text


class RulesFile(_Model):
    # At most this share of the items shown is marked "Important for you".
    important_share: float = Field(gt=0, le=0.5)
    # An item counts its strongest rule's weight, and at most this many points more for all the other rules that
    # match it: many generic tags must not outrank the one precaution for the person's own bone.
    extra_rule_points: int = Field(default=1, ge=0)
    # The plan's first urgency group holds at most this many actions.
    first_group_max: int = Field(ge=1)
    rules: tuple[Rule, ...] = ()


class Sign(_Model):
    id: DottedId
    text: Text
    # The sign in a few words, for the fridge summary's "Call now" lists (required in the groups to call now).
    short: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)] | None = None
    sources: tuple[str, ...] = Field(min_length=1)


class SignGroup(_Model):
    id: Slug
    title: Text
    # ambulance: call the emergency number now; now: the 24-hour line (or the emergency department) now;
    # soon: tell the care team today.
    level: Literal["ambulance", "now", "soon"]
    signs: tuple[Sign, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _call_now_signs_are_short_too(self) -> SignGroup:
        missing = [sign.id for sign in self.signs if self.level != "soon" and not sign.short]
        if missing:
            raise ValueError(f"{self.id}: a sign to call about now needs its `short` form: {missing}")
        return self


class RedFlags(_Model):
    title: Text
    intro: Text
    # The titles of the fridge summary's "Call now" lists, by level.
    call_now: dict[Literal["ambulance", "now"], Text]
    groups: tuple[SignGroup, ...] = Field(min_length=1)


class Place(_Model):
    """A place the app can be set up for (places.yaml, chosen by the setting PLACE)."""

    id: Slug
    name: Text
    emergency_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
    # The unit an OT measures in on a home visit.
    units: Literal["mm", "in"]


class PlacesFile(_Model):
    places: tuple[Place, ...] = Field(min_length=1)


class Measurement(_Model):
    """Something an OT measures on a home visit (measurements.yaml), and the items it is measured for."""

    id: Slug
    label: Text
    items: tuple[DottedId, ...] = Field(min_length=1)


class MeasurementsFile(_Model):
    measurements: tuple[Measurement, ...] = Field(min_length=1)


DEFAULT_PLACE = "uk"
# The words in red_flags.yaml that stand for something of the place, and what each becomes.
PLACE_WORDS = {"{emergency_number}": lambda place: place.emergency_number}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _for_place(red_flags: RedFlags, place: Place) -> RedFlags:
    """The warning signs with every placeholder filled in for `place`; an unknown placeholder is refused, and an
    ambulance group must name the emergency number in its title (it is the one thing that group says to do)."""

    def fill(owner: str, text: str) -> str:
        unknown = set(_PLACEHOLDER.findall(text)) - PLACE_WORDS.keys()
        if unknown:
            raise ContentError(f"red_flags.yaml: {owner}: unknown placeholder {sorted(unknown)}")
        for word, value in PLACE_WORDS.items():
            text = text.replace(word, value(place))
        return text

    groups = []
    for group in red_flags.groups:
        if group.level == "ambulance" and "{emergency_number}" not in group.title:
            raise ContentError(f"red_flags.yaml: {group.id}: an ambulance group's title must say {{emergency_number}}")
        signs = tuple(
            sign.model_copy(
                update={"text": fill(sign.id, sign.text), "short": sign.short and fill(sign.id, sign.short)}
            )
            for sign in group.signs
        )
        groups.append(group.model_copy(update={"title": fill(group.id, group.title), "signs": signs}))
    return red_flags.model_copy(
        update={
            "intro": fill("intro", red_flags.intro),
            "title": fill("title", red_flags.title),
            "call_now": {level: fill("call_now", title) for level, title in red_flags.call_now.items()},
            "groups": tuple(groups),
        }
    )


class CareTeamQuestion(_Model):
    id: DottedId
    text: Text
    sources: tuple[str, ...] = Field(min_length=1)
    # Listed first in the plan when this holds for the person (sites must be ticked, not merely unknown).
    first_when: Condition | None = None
    # Asked only when this holds, as an item's `only_when` (e.g. "Which bones?" only while the person has not said).
    only_when: Condition | None = None


class Basic(_Model):
    id: DottedId
    title: Text
    text: Text
    sources: tuple[str, ...] = Field(min_length=1)
    first_when: Condition | None = None


class PlanExtras(_Model):
    questions: tuple[CareTeamQuestion, ...] = Field(min_length=1)
    basics: tuple[Basic, ...] = Field(min_length=1)


class UrgencyGroup(_Model):
    priority: Priority
    title: Text


class TodayBlock(_Model):
    """The plan's first block: "stop" and "know" items, never capped or scheduled."""

    title: Text
    intro: str = ""


class ContentMeta(_Model):
    version: Text
    urgency: tuple[UrgencyGroup, ...]
    today: TodayBlock = TodayBlock(title="Start today")
    # The words on the answer buttons, per kind of item, one for each value the assessment allows.
    answers: dict[ItemKind, dict[str, Text]]


class SeedPoint(_Model):
    source: str
    point: Text
    items: tuple[str, ...] = Field(min_length=1)


class SeedPoints(_Model):
    points: tuple[SeedPoint, ...] = Field(min_length=1)


class Content(_Model):
    """Everything in checklists/, validated and cross-checked."""

    # The release of the content: the editor's label and a digest of the files' bytes, `<label>+<digest>`
    # (see content_digest). Caches and personal advice key on it, so an edit reaches people even unlabelled.
    version: str
    urgency: tuple[UrgencyGroup, ...]
    today: TodayBlock
    # The words on the answer buttons of a "hazard" item (the blank checklist and the summary use these).
    answer_labels: dict[str, str]
    # The words for every kind of item: kind -> value -> label.
    kind_labels: dict[str, dict[str, str]]
    important_share: float
    first_group_max: int
    extra_rule_points: int
    sources: dict[str, Source]
    profile: ProfileQuestions
    rules: tuple[Rule, ...]
    red_flags: RedFlags
    plan_extras: PlanExtras
    sections: tuple[Section, ...]
    seed_points: tuple[SeedPoint, ...]
    # The place the app is set up for (its emergency number is already in red_flags), and every place known.
    place: Place
    places: dict[str, Place]
    measurements: tuple[Measurement, ...] = ()

    def measurements_for(self, item_id: str) -> tuple[Measurement, ...]:
        """What an OT measures for this item on a home visit, in measurements.yaml's order."""
        return tuple(m for m in self.measurements if item_id in m.items)

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.id: item for section in self.sections for item in section.items}

    @cached_property
    def stop_or_know(self) -> frozenset[str]:
        """The items that are never scheduled: declared on the item or on its whole section."""
        return frozenset(i.id for s in self.sections for i in s.items if i.stop_or_know or s.stop_or_know)

    @cached_property
    def part_of(self) -> dict[str, str]:
        """Item id -> the id of the part of a room it belongs to (only items in a part)."""
        return {item_id: part.id for s in self.sections for part in s.parts for item_id in part.items}

    def left_out(self, item_id: str, skipped: Iterable[str]) -> bool:
        """Whether the person left this item out: its room, or its part of a room, is one their home lacks.
        Such an item counts nowhere (answers, counts, plan), though its answer is kept."""
        skipped = set(skipped)
        section = self.section_of(item_id)
        return (section is not None and section.id in skipped) or self.part_of.get(item_id) in skipped

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def section_of(self, item_id: str) -> Section | None:
        return next((s for s in self.sections for i in s.items if i.id == item_id), None)

    def labels_for(self, item: Item) -> dict[str, str]:
        return self.kind_labels[item.kind]

    def urgency_title(self, priority: Priority) -> str:
        return next(g.title for g in self.urgency if g.priority == priority)


# libyaml's loader when PyYAML was built with it (the wheels are): the same safe subset, about 7 times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_YAML_LOADER)
    except FileNotFoundError:
        raise ContentError(f"{path.name}: file is missing") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from None


def _describe(exc: ValidationError, data: object) -> str:
    """Turn pydantic's error into one line per problem, naming the id of the entry at fault."""
    lines = []
    for error in exc.errors():
        loc = error["loc"]
        owner = _owner_id(data, loc)
        where = ".".join(str(part) for part in loc)
        prefix = f"{owner}: " if owner else ""
        lines.append(f"{prefix}{where}: {error['msg']}")
    return "; ".join(lines)


def _owner_id(data: object, loc: tuple) -> str | None:
    """The deepest `id` on the path to an error, e.g. the item whose field is wrong."""
    owner = None
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            owner = node["id"]
        try:
            node = node[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        owner = node["id"]
    return owner


def _parse(model: type[_Model], path: Path) -> _Model:
    data = _read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(f"{path.name}: {_describe(exc, data)}") from None


def load_content(directory: Path | str = DEFAULT_DIR, place: str = DEFAULT_PLACE) -> Content:
    """Read every file in `directory`, validate it, and cross-check ids, sources and rule targets. `place` is
    the id of a place in places.yaml (the setting PLACE): the warning signs carry its emergency number."""
    directory = Path(directory)
    places: dict[str, Place] = {}
    for entry in _parse(PlacesFile, directory / "places.yaml").places:
        if entry.id in places:
            raise ContentError(f"places.yaml: {entry.id}: duplicate place id")
        places[entry.id] = entry
    if place not in places:
        raise ContentError(f"places.yaml: no place {place!r}; set SAFESTEPS_PLACE to one of {sorted(places)}")
    meta = _parse(ContentMeta, directory / "content.yaml")
    if set(meta.answers) != set(ITEM_KINDS):
        raise ContentError(f"content.yaml: answers must give labels for every kind of item {list(ITEM_KINDS)}")
    for kind, labels in meta.answers.items():
        if tuple(labels) != ANSWER_VALUES:
            raise ContentError(f"content.yaml: answers.{kind} must label exactly {list(ANSWER_VALUES)}, in that order")
    sources_file = _read_yaml(directory / "sources.yaml")
    if not isinstance(sources_file, dict) or not isinstance(sources_file.get("sources"), list):
        raise ContentError("sources.yaml: expected a list under 'sources'")
    sources: dict[str, Source] = {}
    for raw in sources_file["sources"]:
        try:
            source = Source.model_validate(raw)
        except ValidationError as exc:
            raise ContentError(f"sources.yaml: {_describe(exc, raw)}") from None
        if source.id in sources:
            raise ContentError(f"sources.yaml: {source.id}: duplicate source id")
        sources[source.id] = source

    section_files = sorted((directory / "sections").glob("*.yaml"))
    if not section_files:
        raise ContentError("sections/: no section files found")
    sections = tuple(_parse(Section, path) for path in section_files)

    checker = _CrossChecker(sources)
    for path, section in zip(section_files, sections, strict=True):
        where = f"sections/{path.name}"
        checker.new_id(where, section.id, kind="section")
        for item in section.items:
            checker.new_id(where, item.id)
            if not item.id.startswith(section.id + "."):
                raise ContentError(f"{where}: {item.id}: id must start with '{section.id}.'")
            checker.known_sources(where, item.id, item.sources)
        in_a_part: set[str] = set()
        for part in section.parts:
            checker.new_id(where, part.id, kind="section")  # a part's id shares `skipped` with the section ids
            unknown = [i for i in part.items if i not in {item.id for item in section.items}]
            if unknown:
                raise ContentError(f"{where}: part {part.id}: no such item in this section {unknown}")
            twice = in_a_part & set(part.items)
            if twice:
                raise ContentError(f"{where}: part {part.id}: {sorted(twice)} already in another part")
            in_a_part |= set(part.items)

    profile = _parse(ProfileQuestions, directory / "profile.yaml")
    checker.known_sources("profile.yaml", "sites", profile.sites.sources)
    checker.known_sources("profile.yaml", "screen", (profile.screen.source,))
    for question in profile.yes_no:
        checker.known_sources("profile.yaml", question.id, question.sources)
        if question.follows:
            _check_follow_up(question, profile)

    ranking = _parse(RulesFile, directory / "rules.yaml")
    rules = ranking.rules
    section_ids = {s.id for s in sections}
    all_item_ids = {item.id for s in sections for item in s.items}
    for rule in rules:
        checker.new_id("rules.yaml", rule.id, kind="rule")
        unknown = set(rule.raise_.sections) - section_ids
        if unknown:
            raise ContentError(f"rules.yaml: {rule.id}: unknown section {sorted(unknown)}")
        unknown = set(rule.raise_.items) - all_item_ids
        if unknown:
            raise ContentError(f"rules.yaml: {rule.id}: unknown item {sorted(unknown)}")
    conditions = [("rules.yaml", r.id, r.when) for r in rules] + [
        (f"sections/{path.name}", item.id, item.only_when)
        for path, section in zip(section_files, sections, strict=True)
        for item in section.items
        if item.only_when
    ]
    conditions += [("profile.yaml", q.id, q.yes_when) for q in profile.screen.questions if q.yes_when]
    for where, owner, condition in conditions:
        _check_condition(where, owner, condition, profile)

    red_flags = _parse(RedFlags, directory / "red_flags.yaml")
    for group in red_flags.groups:
        for sign in group.signs:
            checker.new_id("red_flags.yaml", sign.id)
            checker.known_sources("red_flags.yaml", sign.id, sign.sources)

    plan_extras = _parse(PlanExtras, directory / "plan.yaml")
    for entry in (*plan_extras.questions, *plan_extras.basics):
        checker.new_id("plan.yaml", entry.id)
        checker.known_sources("plan.yaml", entry.id, entry.sources)
        if entry.first_when:
            _check_condition("plan.yaml", entry.id, entry.first_when, profile)
        if getattr(entry, "only_when", None):
            _check_condition("plan.yaml", entry.id, entry.only_when, profile)

    seed_points = _parse(SeedPoints, directory / "seed_points.yaml")
    item_ids = {item.id for s in sections for item in s.items}
    for point in seed_points.points:
        checker.known_sources("seed_points.yaml", point.point, (point.source,))
        missing = set(point.items) - item_ids
        if missing:
            raise ContentError(f"seed_points.yaml: {sorted(missing)}: no such item (for '{point.point}')")

    measurements = _parse(MeasurementsFile, directory / "measurements.yaml").measurements
    for measurement in measurements:
        checker.new_id("measurements.yaml", measurement.id, "measurement")
        missing = set(measurement.items) - item_ids
        if missing:
            raise ContentError(f"measurements.yaml: {measurement.id}: no such item {sorted(missing)}")

    return Content(
        version=f"{meta.version}+{content_digest(directory)}",
        urgency=meta.urgency,
        today=meta.today,
        answer_labels=meta.answers["hazard"],
        kind_labels=meta.answers,
        important_share=ranking.important_share,
        first_group_max=ranking.first_group_max,
        extra_rule_points=ranking.extra_rule_points,
        sources=sources,
        profile=profile,
        rules=rules,
        red_flags=_for_place(red_flags, places[place]),
        plan_extras=plan_extras,
        sections=sections,
        seed_points=seed_points.points,
        place=places[place],
        places=places,
        measurements=measurements,
    )


def content_digest(directory: Path) -> str:
    """The first 8 hex digits of a sha256 over every file in `directory` (its path, then its bytes), in path order.

    An edit the editor forgot to label with a new `version` still changes the content version: the service
    worker, the cached personal advice and the last plan all move on to the new words.
    """
    digest = hashlib.sha256()
    files = sorted((p.relative_to(directory).as_posix(), p) for p in directory.rglob("*") if p.is_file())
    for relative, path in files:
        digest.update(f"{relative}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


class _CrossChecker:
    """Checks that cut across files: ids unique everywhere, sources known."""

    def __init__(self, sources: dict[str, Source]):
        self.sources = sources
        self.seen: dict[str, str] = {}

    def new_id(self, where: str, entry_id: str, kind: str = "entry") -> None:
        key = f"{kind}:{entry_id}"
        if key in self.seen:
            raise ContentError(f"{where}: {entry_id}: duplicate id (first in {self.seen[key]})")
        self.seen[key] = where

    def known_sources(self, where: str, owner: str, cited: Iterable[str]) -> None:
        unknown = sorted(set(cited) - self.sources.keys())
        if unknown:
            raise ContentError(f"{where}: {owner}: unknown source {unknown}")


def _check_follow_up(question: YesNoQuestion, profile: ProfileQuestions) -> None:
    follows = question.follows
    if follows.question == "walking_aid":
        answers = {o.id for o in profile.walking_aid.options}
    elif follows.question.removeprefix("screen.") in {q.id for q in profile.screen.questions}:
        answers = {"yes", "no"}
    else:
        raise ContentError(f"profile.yaml: {question.id}: follows an unknown question {follows.question!r}")
    if follows.answer not in answers:
        raise ContentError(f"profile.yaml: {question.id}: follows an unknown answer {follows.answer!r}")


def _check_condition(where: str, owner: str, condition: Condition, profile: ProfileQuestions) -> None:
    known = {
        "screen_yes": {q.id for q in profile.screen.questions},
        "profile_yes": {q.id for q in profile.yes_no},
    }
    known["walking_aid_any"] = {o.id for o in profile.walking_aid.options}
    for field, allowed in known.items():
        unknown = sorted(set(getattr(condition, field)) - allowed)
        if unknown:
            raise ContentError(f"{where}: {owner}: {field} names unknown answers {unknown}")
    for inner in (*condition.any_of, *([condition.unless] if condition.unless else [])):
        _check_condition(where, owner, inner, profile)
