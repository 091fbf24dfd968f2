"""The personalised action plan: what a person found, turned into what to do, in what order.

Pure Python, no Flask and no I/O: `build(content, assessment)` returns an ActionPlan, and the plan page, the
PDF and the JSON (plan_json.py) are views of it. Every word a person reads comes from the content or the
templates, not from here. Priorities and which items apply come from the one rule evaluator, `personalise()`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from .assessment import Assessment
from .content import PRIORITY_ORDER, Basic, CareTeamQuestion, Content, Item, Priority, RedFlags, Who
from .personalise import ItemView, ScreenResult, condition_holds, first_when_holds, personalise

# The plan as JSON has its own module; its names stay importable from here.
from .plan_json import plan_as_json as plan_as_json
from .plan_json import screen_json as screen_json


@dataclass(frozen=True)
class Action:
    item_id: str
    room: str
    who: tuple[Who, ...]
    action: str
    priority: Priority
    reasons: tuple[str, ...]
    note: str
    # The person's own ranking (see personalise()): the higher, the sooner.
    score: int = 0
    important: bool = False
    # How personalise() sorts it: most points first, ties by severity, walk order last.
    rank: tuple[int, ...] = ()
    # On a home visit: `action` is the OT's own recommendation for this person, not the item's generic fix.
    by_ot: bool = False


@dataclass(frozen=True)
class ActionGroup:
    priority: Priority
    title: str
    actions: tuple[Action, ...]
    intro: str = ""


@dataclass(frozen=True)
class DoneAction:
    action: Action
    on: date


@dataclass(frozen=True)
class Precaution:
    item_id: str
    room: str
    action: str
    why: str
    # Shown only for some bones (an `only_when` item): the person's own situation made it appear.
    site_specific: bool


@dataclass(frozen=True)
class UnsureItem:
    item_id: str
    room: str
    question: str
    note: str


@dataclass(frozen=True)
class NotedItem:
    """A note the person wrote on an answer that is not an action ("Looks safe", "Doesn't apply"): it still counts."""

    item_id: str
    room: str
    question: str
    answer: str
    note: str


@dataclass(frozen=True)
class SafeRoom:
    room: str
    questions: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.questions)


@dataclass(frozen=True)
class ActionPlan:
    made: date
    name: str | None
    care_team_phone: str | None
    red_flags: RedFlags
    groups: tuple[ActionGroup, ...]
    done: tuple[DoneAction, ...]
    precautions: tuple[Precaution, ...]
    lifting_limit: str | None
    questions: tuple[CareTeamQuestion, ...]
    unsure: tuple[UnsureItem, ...]
    basics: tuple[Basic, ...]
    safe: tuple[SafeRoom, ...]
    unplaced: int
    content_version: str
    answered_with: str
    # Notes on "ok" and "na" answers, in walk order, each under its item.
    other_notes: tuple[NotedItem, ...] = ()
    # "Stop" and "know" items answered "Not yet" (content: `stop_or_know`): never capped or scheduled, they come
    # before "Do this week", whatever their points.
    today: ActionGroup | None = None
    # The falls check (Stay Independent, with STEADI's key questions), printed for the care team to see.
    screen: ScreenResult | None = None

    @property
    def actions(self) -> tuple[Action, ...]:
        """Every open action, in plan order: "Start today" first, then by urgency, each by the person's ranking."""
        today = self.today.actions if self.today else ()
        return today + tuple(action for group in self.groups for action in group.actions)

    @property
    def first_actions(self) -> tuple[Action, ...]:
        """What to do first (the fridge summary): everything in "Start today", then "Do this week"."""
        today = self.today.actions if self.today else ()
        week = self.groups[0].actions if self.groups and self.groups[0].priority == "high" else ()
        return today + week

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the actions marked important rose for this person: the strongest reason of each, said once."""
        return _unique(tuple(action.reasons[0] for action in self.actions if action.important and action.reasons))

    @property
    def safe_count(self) -> int:
        return sum(room.count for room in self.safe)


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _action(view: ItemView, note: str, recommended: str = "") -> Action:
    return Action(
        item_id=view.item.id,
        room=view.section.title,
        who=view.item.who,
        action=recommended or view.item.action,
        by_ot=bool(recommended),
        priority=view.priority,
        # Two rules can give the same reason wording; say it once.
        reasons=_unique(view.reasons),
        note=note,
        score=view.score,
        important=view.important,
        rank=view.rank,
    )


def build(content: Content, assessment: Assessment, *, today: date | None = None) -> ActionPlan:
    """The plan for this assessment. Never raises on ids the content does not know: it counts them."""
    profile = assessment.profile
    # "Important for you" falls on actions only: items answered "Needs fixing", "Not yet" or "Not sure" that are
    # still open, never on items already safe or done.
    actionable = {
        item_id: answer.answer
        for item_id, answer in assessment.answers.items()
        if answer.answer is not None
        and item_id not in assessment.done
        and (section := content.section_of(item_id)) is not None
        and section.id not in assessment.skipped
    }
    personal = personalise(content, profile, actionable)
    views = personal.items
    walk_order = {item_id: position for position, item_id in enumerate(views)}

    open_actions: list[Action] = []
    done: list[DoneAction] = []
    unsure: list[UnsureItem] = []
    other_notes: list[NotedItem] = []
    safe: dict[str, list[str]] = {}
    unplaced = 0
    for item_id, answer in assessment.answers.items():
        view = views.get(item_id)
        if view is None:
            # Saved by an older or newer release whose content had this item; count it, never fail on it.
            unplaced += answer.answer is not None
            continue
        if view.section.id in assessment.skipped:
            # A room this home does not have: its answers are kept, but it is not in the plan.
            continue
        if not view.shown:
            # The "About me" answers now say this item does not apply (e.g. a precaution for another bone).
            continue
        if answer.answer == "fix":
            action = _action(view, answer.note.strip(), answer.ot.recommendation.strip() if answer.ot else "")
            when = assessment.done.get(item_id)
            if when is not None:
                done.append(DoneAction(action, date.fromisoformat(when)))  # the schema holds real days only
            else:
                open_actions.append(action)
        elif answer.answer == "unsure":
            unsure.append(UnsureItem(item_id, view.section.title, view.item.question, answer.note.strip()))
        elif answer.answer == "ok":
            safe.setdefault(view.section.id, []).append(item_id)
        if answer.answer in ("ok", "na") and answer.note.strip():
            labels = content.labels_for(view.item)
            other_notes.append(
                NotedItem(item_id, view.section.title, view.item.question, labels[answer.answer], answer.note.strip())
            )

    by_walk = lambda entry: walk_order[entry.item_id]  # noqa: E731
    # The person's ranking decides the order: most points first, ties by severity. "Stop" and "know" items are
    # never scheduled: all of them go in the first block. "Do this week" holds only the few things to fix that
    # matter most (at most `first_group_max`); any other urgent one waits for "this month".
    open_actions.sort(key=lambda a: a.rank)
    start_today = tuple(replace(a, priority="high") for a in open_actions if a.item_id in content.stop_or_know)
    open_actions = [a for a in open_actions if a.item_id not in content.stop_or_know]
    urgent = [a for a in open_actions if a.priority == "high"][: content.first_group_max]
    urgent_ids = {a.item_id for a in urgent}
    open_actions = [
        a if a.item_id in urgent_ids or a.priority != "high" else replace(a, priority="medium") for a in open_actions
    ]
    groups = tuple(
        ActionGroup(
            priority=urgency.priority,
            title=urgency.title,
            actions=tuple(a for a in open_actions if a.priority == urgency.priority),
        )
        for urgency in sorted(content.urgency, key=lambda u: PRIORITY_ORDER.index(u.priority))
        if any(a.priority == urgency.priority for a in open_actions)
    )
    # Latest first would hide the older wins; oldest first reads as a log.
    done.sort(key=lambda d: (d.on, walk_order[d.action.item_id]))

    precautions = tuple(
        Precaution(
            item_id=view.item.id,
            room=view.section.title,
            action=view.item.action,
            why=view.item.why,
            site_specific=_for_bones(view.item),
        )
        for view in views.values()
        if view.shown
        and not _in_skipped_room(view.item, assessment.skipped)
        and (view.section.kind == "exercise" or (view.section.kind == "movement" and _for_bones(view.item)))
    )

    safe_rooms = tuple(
        SafeRoom(
            room=section.title,
            questions=tuple(
                views[item_id].item.question for item_id in sorted(safe[section.id], key=walk_order.__getitem__)
            ),
        )
        for section in content.sections
        if section.id in safe
    )

    unsure.sort(key=by_walk)
    other_notes.sort(key=by_walk)
    # Questions and basics that concern this person's answers ("first_when") come first; the rest keep their order.
    asked = [q for q in content.plan_extras.questions if q.only_when is None or _shows(q.only_when, personal.facts)]
    questions = _first_for(asked, personal.facts)
    basics = _first_for(content.plan_extras.basics, personal.facts)
    return ActionPlan(
        made=today or date.today(),
        # Typed text is kept as typed; a name of only spaces is no name.
        name=profile.name.strip() or None,
        care_team_phone=profile.care_team_phone.strip() or None,
        red_flags=content.red_flags,
        groups=groups,
        done=tuple(done),
        precautions=precautions,
        lifting_limit=profile.lifting_limit.strip() or None,
        questions=questions,
        unsure=tuple(unsure),
        basics=basics,
        safe=safe_rooms,
        unplaced=unplaced,
        other_notes=tuple(other_notes),
        content_version=content.version,
        answered_with=assessment.content_version,
        today=ActionGroup(priority="high", title=content.today.title, actions=start_today, intro=content.today.intro),
        screen=personal.screen,
    )


def _for_bones(item: Item) -> bool:
    """A precaution for the person's bones: shown only for some sites (not, say, only for wheelchair users)."""
    return item.only_when is not None and item.only_when.names_sites


def _in_skipped_room(item: Item, skipped) -> bool:
    """A precaution tagged with a room's id (moving.stairs-technique: `stairs`) is about that room: with the room
    left out, the plan does not list it among the precautions (checklists/README.md). An answer the person gave
    stays in the plan whatever its tags (the outside steps are tagged `stairs` too)."""
    return any(tag in skipped for tag in item.tags)


def _shows(condition, facts) -> bool:
    return facts is None or condition_holds(condition, facts, showing=True)


def _first_for(entries, facts):
    return tuple(sorted(entries, key=lambda entry: not first_when_holds(entry.first_when, facts)))
