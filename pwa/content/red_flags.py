"""The warning signs (red_flags.yaml), which carry the emergency number of the place the app is set up for."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from .base import ContentError, DottedId, Slug, Text, _Model

# The places are in places.py; their names stay importable from here, where they were first.
from .places import DEFAULT_PLACE as DEFAULT_PLACE
from .places import PLACE_WORDS as PLACE_WORDS
from .places import Place as Place
from .places import PlacesFile as PlacesFile
from .places import fill_place


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


def _for_place(red_flags: RedFlags, place: Place) -> RedFlags:
    """The warning signs with every placeholder filled in for `place` (an unknown placeholder is refused), and an
    ambulance group must name the emergency number in its title (it is the one thing that group says to do)."""
    for group in red_flags.groups:
        if group.level == "ambulance" and "{emergency_number}" not in group.title:
            raise ContentError(f"red_flags.yaml: {group.id}: an ambulance group's title must say {{emergency_number}}")
    return fill_place(red_flags, place.placeholders, "red_flags.yaml")
