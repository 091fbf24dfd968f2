"""The one rule evaluator: what the "About me" answers change in the walk and the plan.

Rules and conditions are declared in checklists/ (rules.yaml, and `only_when` on items); this module only
reads them. Nothing else, in Python or JavaScript, decides which items show or how urgent they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from .assessment import Profile
from .content import PRIORITY_ORDER, Condition, Content, Item, Priority, Section


@dataclass(frozen=True)
class ScreenResult:
    score: int
    max_score: int
    answered: int
    total: int
    higher_risk: bool
    message: str


@dataclass(frozen=True)
class ItemView:
    item: Item
    section: Section
    shown: bool
    priority: Priority
    reasons: tuple[str, ...]

    @property
    def raised(self) -> bool:
        return self.priority != self.item.priority


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
    return True


def _higher(a: Priority, b: Priority) -> Priority:
    return min(a, b, key=PRIORITY_ORDER.index)


def personalise(content: Content, profile: Profile) -> Personalisation:
    screen = score_screen(content, profile)
    firing = [
        rule for rule in content.rules
        if condition_holds(rule.when, profile, showing=False)
    ]
    views: dict[str, ItemView] = {}
    for section in content.sections:
        for item in section.items:
            priority, reasons = item.priority, []
            for rule in firing:
                target = rule.raise_
                if (
                    section.id in target.sections
                    or section.kind in target.kinds
                    or set(item.tags) & set(target.tags)
                ):
                    priority = _higher(priority, rule.to)
                    reasons.append(rule.because)
            shown = item.only_when is None or condition_holds(item.only_when, profile, showing=True)
            views[item.id] = ItemView(item, section, shown, priority, tuple(reasons))
    return Personalisation(screen=screen, items=views)
