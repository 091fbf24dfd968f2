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
    # The published Stay Independent result: the score reaches the threshold.
    higher_risk: bool
    message: str
    # STEADI: at risk when the score reaches the threshold, or any key question (fallen, unsteady, worried) is yes.
    at_risk: bool = False
    # The key questions answered yes.
    key_yes: tuple[str, ...] = ()
    # "At risk of falling" or "Not at higher risk", as the plan and the OT report print it (empty: nothing answered).
    label: str = ""


# The answers that make an item an action, and so a candidate for "Important for you" in the plan.
ACTION_ANSWERS = ("fix", "unsure")

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
    # Sorts the items for this person: most points, then the strongest rule, then base priority, walk order last.
    rank: tuple[int, ...] = ()

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
    facts: Facts | None = None


def screen_answers(content: Content, profile: Profile) -> dict[str, bool]:
    """The screen as the person answered it, plus what "About me" already answers (a question's `yes_when`):
    ticking a walking frame is a yes to "I use a walking stick or a walker"."""
    answers = dict(profile.screen)
    for question in content.profile.screen.questions:
        if question.yes_when is not None and _holds(question.yes_when, profile, {}, None, showing=False):
            answers[question.id] = True
    return answers


def score_screen(content: Content, profile: Profile) -> ScreenResult:
    """Stay Independent, as published: each "yes" adds that question's points; the threshold means higher risk.

    The lower-risk message is given only once the questions still unanswered could no longer lift the score
    to the threshold; until then the message says to answer the rest. A yes to a key question means "at risk"
    whatever the score (STEADI); that is said apart from the score, never as "less than 4".
    """
    screen = content.profile.screen
    answers = screen_answers(content, profile)
    score = sum(q.points for q in screen.questions if answers.get(q.id) is True)
    answered = sum(1 for q in screen.questions if q.id in answers)
    still_possible = sum(q.points for q in screen.questions if q.id not in answers)
    key_yes = tuple(q.id for q in screen.questions if q.key and answers.get(q.id) is True)
    higher = score >= screen.threshold
    if higher:
        message = screen.higher_risk
    elif key_yes and screen.key_risk:
        message = screen.key_risk
    elif score + still_possible < screen.threshold:
        message = screen.lower_risk
    else:
        message = screen.undecided
    at_risk = higher or bool(key_yes)
    decided = at_risk or score + still_possible < screen.threshold
    label = (screen.at_risk_label if at_risk else screen.not_at_risk_label) if decided else ""
    return ScreenResult(
        score=score,
        max_score=sum(q.points for q in screen.questions),
        answered=answered,
        total=len(screen.questions),
        higher_risk=higher,
        message=message,
        at_risk=at_risk,
        key_yes=key_yes,
        label=label,
    )


@dataclass(frozen=True)
class Facts:
    """What conditions are tested against: the "About me" answers, with the screen answered and scored once."""

    profile: Profile
    screen_answers: dict[str, bool]
    screen: ScreenResult


def facts_for(content: Content, profile: Profile) -> Facts:
    return Facts(profile, screen_answers(content, profile), score_screen(content, profile))


def condition_holds(condition: Condition, facts: Facts, *, showing: bool) -> bool:
    """Every key given must hold. When deciding whether to *show* a precaution, an unknown site counts as a match."""
    return _holds(condition, facts.profile, facts.screen_answers, facts.screen, showing=showing)


def _holds(
    condition: Condition, profile: Profile, screen: dict[str, bool], result: ScreenResult | None, *, showing: bool
) -> bool:
    if condition.sites_any:
        ticked = set(profile.sites)
        unsure = not ticked or "not-sure" in ticked
        if not (ticked & set(condition.sites_any) or (showing and unsure)):
            return False
    if condition.screen_yes and not any(screen.get(q) is True for q in condition.screen_yes):
        return False
    if condition.profile_yes and not any(profile.yes_no.get(q) is True for q in condition.profile_yes):
        return False
    if condition.walking_aid_any and profile.walking_aid not in condition.walking_aid_any:
        return False
    if condition.text_empty and any(getattr(profile, field).strip() for field in condition.text_empty):
        return False
    if condition.screen_score_at_least is not None and (
        result is None or result.score < condition.screen_score_at_least
    ):
        return False
    if condition.screen_at_risk is not None and (result is not None and result.at_risk) != condition.screen_at_risk:
        return False
    # "Unless" looks at answers actually given: an unknown site never hides anything.
    if condition.unless is not None and _holds(condition.unless, profile, screen, result, showing=False):
        return False
    return not condition.any_of or any(_holds(c, profile, screen, result, showing=showing) for c in condition.any_of)


def _matches(rule, section: Section, item: Item) -> bool:
    target = rule.raise_
    return (
        section.id in target.sections
        or section.kind in target.kinds
        or bool(set(item.tags) & set(target.tags))
        or item.id in target.items
    )


def personalise(content: Content, profile: Profile, answers: dict[str, str] | None = None) -> Personalisation:
    """Rank every item for this person: base points, plus the weight of the strongest rule that holds and matches
    it, plus at most `extra_rule_points` for all the others (generic tags must not stack up past the one
    precaution for the person's own bone).

    The few items with the most points, and at least one reason, are "important": at most `important_share`
    of the items shown, each with the strongest reason. Given the answers (item id -> answer value), only
    actions are marked: items answered "Needs fixing", "Not yet" or "Not sure", never those already safe.
    Ties break by severity (the strongest rule, which names the person's own precautions, then the base
    priority), and only then by walk order."""
    facts = facts_for(content, profile)
    firing = [rule for rule in content.rules if condition_holds(rule.when, facts, showing=False)]
    scored: list[tuple[Item, Section, bool, int, tuple[str, ...], int]] = []
    for section in content.sections:
        for item in section.items:
            matched = sorted(
                (rule for rule in firing if _matches(rule, section, item)), key=lambda r: -r.weight
            )  # sorted() is stable: equal weights keep the order of rules.yaml
            strongest = matched[0].weight if matched else 0
            others = sum(rule.weight for rule in matched[1:])
            score = BASE_POINTS[item.priority] + strongest + min(others, content.extra_rule_points)
            shown = item.only_when is None or condition_holds(item.only_when, facts, showing=True)
            reasons = tuple(dict.fromkeys(rule.because for rule in matched))
            scored.append((item, section, shown, score, reasons, strongest))

    shown_count = sum(1 for entry in scored if entry[2])
    quota = int(shown_count * content.important_share)
    walk = {entry[0].id: n for n, entry in enumerate(scored)}
    ranks = {
        entry[0].id: (-entry[3], -entry[5], -BASE_POINTS[entry[0].priority], walk[entry[0].id]) for entry in scored
    }
    candidates = sorted(
        (
            entry
            for entry in scored
            if entry[2] and entry[4] and (answers is None or answers.get(entry[0].id) in ACTION_ANSWERS)
        ),
        key=lambda e: ranks[e[0].id],
    )
    important = {entry[0].id for entry in candidates[:quota]}

    views: dict[str, ItemView] = {}
    for item, section, shown, score, reasons, _strongest in scored:
        marked = item.id in important
        views[item.id] = ItemView(
            item,
            section,
            shown,
            "high" if marked else item.priority,
            reasons,
            score=score,
            important=marked,
            rank=ranks[item.id],
        )
    return Personalisation(screen=facts.screen, items=views, facts=facts)


def first_when_holds(condition: Condition | None, facts: Facts) -> bool:
    """For plan questions and basics listed first for some people: sites must be ticked, not merely unknown."""
    return condition is not None and condition_holds(condition, facts, showing=False)
