"""The building blocks every content file uses: the error, the base model, the shared value types and the
condition on the person's "About me" answers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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
