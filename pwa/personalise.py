"""The one rule evaluator: what the "About me" answers change in the walk and the plan.

Rules and conditions are declared in checklists/ (rules.yaml, and `only_when` on items); this module only
reads them. Nothing else, in Python or JavaScript, decides which items show or how urgent they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from .assessment import Profile
from .content import Condition, Content, Item, Priority, Section


@dataclass(frozen=True)
class ScreenResult:
    score: int
    max_score: int
    answered: int
    total: int
    higher_risk: bool
    message: str


# Points an item starts from, by its base priority; each rule that matches adds its weight.
BASE_POINTS: dict[Priority, int] = {"high": 3, "medium": 2, "low": 1}


@dataclass(frozen=True)
class ItemView:
    item: Item
    section: Section
    shown: bool
    # "high" for the items marked important for this person, otherwise the base priority.
    priority: Priority
    # Every reason that applies, the strongest (highest weight) first.
    reasons: tuple[str, ...]
    # Base points plus the weight of every rule that matched: the higher, the sooner.
    score: int = 0
    # One of the few items marked "Important for you" (at most `important_share` of the items shown).
    important: bool = False

    @property
    def raised(self) -> bool:
        return self.priority != self.item.priority

    @property
    def reason(self) -> str | None:
        """The single strongest reason, said beside an important item."""
        return self.reasons[0] if self.reasons else None


@dataclass(frozen=True)
class Personalisation:
    screen: ScreenResult
    items: dict[str, ItemView]


def score_screen(content: Content, profile: Profile) -> ScreenResult:
    """Stay Independent, as published: each "yes" adds that question's points; the threshold means higher risk.

    The lower-risk message is given only once the questions still unanswered could no longer lift the score
    to the threshold; until then the message says to answer the rest.
    """
    screen = content.profile.screen
    score = sum(q.points for q in screen.questions if profile.screen.get(q.id) is True)
    answered = sum(1 for q in screen.questions if q.id in profile.screen)
    still_possible = sum(q.points for q in screen.questions if q.id not in profile.screen)
    higher = score >= screen.threshold
    if higher:
        message = screen.higher_risk
    elif score + still_possible < screen.threshold:
        message = screen.lower_risk
    else:
        message = screen.undecided
    return ScreenResult(
        score=score,
        max_score=sum(q.points for q in screen.questions),
        answered=answered,
        total=len(screen.questions),
        higher_risk=higher,
        message=message,
    )


def condition_holds(condition: Condition, profile: Profile, *, showing: bool) -> bool:
    """Every key given must hold. When deciding whether to *show* a precaution, an unknown site counts as a match."""
    if condition.sites_any:
        ticked = set(profile.sites)
        unsure = not ticked or "not-sure" in ticked
        if not (ticked & set(condition.sites_any) or (showing and unsure)):
            return False
    if condition.screen_yes and not any(profile.screen.get(q) is True for q in condition.screen_yes):
        return False
    if condition.profile_yes and not any(profile.yes_no.get(q) is True for q in condition.profile_yes):
        return False
    if condition.walking_aid_any and profile.walking_aid not in condition.walking_aid_any:
        return False
    if condition.screen_score_at_least is not None and _screen_points(profile) < condition.screen_score_at_least:
        return False
    # "Unless" looks at answers actually given: an unknown site never hides anything.
    if condition.unless is not None and condition_holds(condition.unless, profile, showing=False):
        return False
    return not condition.any_of or any(condition_holds(c, profile, showing=showing) for c in condition.any_of)


_SCREEN_POINTS: dict[str, int] = {}


def _screen_points(profile: Profile) -> int:
    return sum(_SCREEN_POINTS.get(q, 0) for q, yes in profile.screen.items() if yes)


def _matches(rule, section: Section, item: Item) -> bool:
    target = rule.raise_
    return (
        section.id in target.sections
        or section.kind in target.kinds
        or bool(set(item.tags) & set(target.tags))
        or item.id in target.items
    )


def personalise(content: Content, profile: Profile) -> Personalisation:
    """Rank every item for this person: base points plus the weight of every rule that holds and matches it.

    The few items with the most points, and at least one reason, are "important": at most `important_share`
    of the items shown, each with the strongest reason. Ties keep walk order."""
    _SCREEN_POINTS.update({q.id: q.points for q in content.profile.screen.questions})
    screen = score_screen(content, profile)
    firing = [rule for rule in content.rules if condition_holds(rule.when, profile, showing=False)]
    scored: list[tuple[Item, Section, bool, int, tuple[str, ...]]] = []
    for section in content.sections:
        for item in section.items:
            matched = sorted(
                (rule for rule in firing if _matches(rule, section, item)), key=lambda r: -r.weight
            )  # sorted() is stable: equal weights keep the order of rules.yaml
            score = BASE_POINTS[item.priority] + sum(rule.weight for rule in matched)
            shown = item.only_when is None or condition_holds(item.only_when, profile, showing=True)
            reasons = tuple(dict.fromkeys(rule.because for rule in matched))
            scored.append((item, section, shown, score, reasons))

    shown_count = sum(1 for entry in scored if entry[2])
    quota = int(shown_count * content.important_share)
    walk = {entry[0].id: n for n, entry in enumerate(scored)}
    candidates = sorted((entry for entry in scored if entry[2] and entry[4]), key=lambda e: (-e[3], walk[e[0].id]))
    important = {entry[0].id for entry in candidates[:quota]}

    views: dict[str, ItemView] = {}
    for item, section, shown, score, reasons in scored:
        marked = item.id in important
        views[item.id] = ItemView(
            item, section, shown, "high" if marked else item.priority, reasons, score=score, important=marked
        )
    return Personalisation(screen=screen, items=views)


def first_when_holds(condition: Condition | None, profile: Profile) -> bool:
    """For plan questions and basics listed first for some people: sites must be ticked, not merely unknown."""
    return condition is not None and condition_holds(condition, profile, showing=False)
