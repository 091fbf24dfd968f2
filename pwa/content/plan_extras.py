"""The plan's own words: questions for the care team and basics (plan.yaml), its urgency groups and answer
labels (content.yaml)."""

from __future__ import annotations

from pydantic import Field

from .base import Condition, DottedId, ItemKind, Priority, Text, _Model


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
