"""Cross-checks that span files: ids unique everywhere, sources known, conditions naming real answers."""

from __future__ import annotations

from collections.abc import Iterable

from .base import Condition, ContentError
from .profile import ProfileQuestions, YesNoQuestion
from .sections import Source


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
