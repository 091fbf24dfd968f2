"""The "About me" questions (profile.yaml), with the fall-risk screen."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import Condition, Slug, Text, _Model


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
