"""The ranking rules (rules.yaml): which items an answer makes more important, and by how much."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from .base import Condition, Slug, Tag, Text, _Model


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
