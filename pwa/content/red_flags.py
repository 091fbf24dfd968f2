"""The warning signs (red_flags.yaml) and the places the app can be set up for (places.yaml), whose emergency
number the signs carry."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from .base import ContentError, DottedId, Slug, Text, _Model


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


class Place(_Model):
    """A place the app can be set up for (places.yaml, chosen by the setting PLACE)."""

    id: Slug
    name: Text
    emergency_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
    # The unit an OT measures in on a home visit.
    units: Literal["mm", "in"]


class PlacesFile(_Model):
    places: tuple[Place, ...] = Field(min_length=1)


DEFAULT_PLACE = "uk"
# The words in red_flags.yaml that stand for something of the place, and what each becomes.
PLACE_WORDS = {"{emergency_number}": lambda place: place.emergency_number}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _for_place(red_flags: RedFlags, place: Place) -> RedFlags:
    """The warning signs with every placeholder filled in for `place`; an unknown placeholder is refused, and an
    ambulance group must name the emergency number in its title (it is the one thing that group says to do)."""

    def fill(owner: str, text: str) -> str:
        unknown = set(_PLACEHOLDER.findall(text)) - PLACE_WORDS.keys()
        if unknown:
            raise ContentError(f"red_flags.yaml: {owner}: unknown placeholder {sorted(unknown)}")
        for word, value in PLACE_WORDS.items():
            text = text.replace(word, value(place))
        return text

    groups = []
    for group in red_flags.groups:
        if group.level == "ambulance" and "{emergency_number}" not in group.title:
            raise ContentError(f"red_flags.yaml: {group.id}: an ambulance group's title must say {{emergency_number}}")
        signs = tuple(
            sign.model_copy(
                update={"text": fill(sign.id, sign.text), "short": sign.short and fill(sign.id, sign.short)}
            )
            for sign in group.signs
        )
        groups.append(group.model_copy(update={"title": fill(group.id, group.title), "signs": signs}))
    return red_flags.model_copy(
        update={
            "intro": fill("intro", red_flags.intro),
            "title": fill("title", red_flags.title),
            "call_now": {level: fill("call_now", title) for level, title in red_flags.call_now.items()},
            "groups": tuple(groups),
        }
    )
