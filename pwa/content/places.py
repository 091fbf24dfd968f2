"""The places the app can be set up for (places.yaml, chosen by the setting PLACE), and the filling in of what
the content says through a placeholder ("{emergency_number}", "{care_line}", ...) with the words of one place.

A place gives its emergency number, the unit an OT measures in, and its `words`: every place gives the same
words, so content that reads well in one place can be set up for any. A placeholder that no place gives stops
the app at start-up, with the file and the id of the text that uses it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from .base import ContentError, Slug, Text, _Model

DEFAULT_PLACE = "uk"
# A placeholder's name: what stands between the braces.
WordName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class Place(_Model):
    """A place the app can be set up for."""

    id: Slug
    name: Text
    emergency_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
    # The unit an OT measures in on a home visit.
    units: Literal["mm", "in"]
    # What the content's placeholders say here (places.yaml lists them); `emergency_number` is added to them.
    words: dict[WordName, Text] = Field(default_factory=dict)
    # Where the place's figures (calcium, vitamin D, alcohol) come from; a place without one gives no figure.
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _words_are_plain(self) -> Place:
        for name, text in self.words.items():
            if name == "emergency_number":
                raise ValueError(f"{self.id}: words.emergency_number: the number is given once, as emergency_number")
            if "{" in text or "}" in text:
                raise ValueError(f"{self.id}: words.{name}: a place's word cannot hold a placeholder")
        return self

    @property
    def placeholders(self) -> dict[str, str]:
        """Every placeholder this place fills in, by name."""
        return {"emergency_number": self.emergency_number, **self.words}


class PlacesFile(_Model):
    places: tuple[Place, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_place_gives_every_word(self) -> PlacesFile:
        names = set().union(*(place.words for place in self.places))
        for place in self.places:
            missing = names - place.words.keys()
            if missing:
                raise ValueError(f"{place.id}: words: missing {sorted(missing)} (every place gives every word)")
        return self


# The words in red_flags.yaml that stand for something of the place, and what each becomes (kept for callers
# of the first version; every placeholder is now in `Place.placeholders`).
PLACE_WORDS = {"{emergency_number}": lambda place: place.emergency_number}


def placeholders_in(text: str) -> set[str]:
    """The names of the placeholders in a text."""
    return set(_PLACEHOLDER.findall(text))


def fill_text(text: str, words: Mapping[str, str], where: str, owner: str | None) -> str:
    """`text` with each placeholder replaced by its word; an unknown one is refused, naming the file and id."""
    unknown = placeholders_in(text) - words.keys()
    if unknown:
        names = sorted("{" + name + "}" for name in unknown)
        raise ContentError(
            f"{where}: {owner or 'text'}: unknown placeholder {names}; places.yaml gives {sorted(words)}"
        )
    return _PLACEHOLDER.sub(lambda match: words[match.group(1)], text)


def fill_place(value, words: Mapping[str, str], where: str, owner: str | None = None):
    """A copy of a content model (or a tuple, dict or text in one) with every text's placeholders filled in.
    `where` is the file, and the error names the nearest `id` above the text at fault."""
    if isinstance(value, str):
        return fill_text(value, words, where, owner) if "{" in value else value
    if isinstance(value, BaseModel):
        own_id = getattr(value, "id", None)
        owner = own_id if isinstance(own_id, str) else owner
        update = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = fill_place(old, words, where, owner)
            if new is not old:
                update[name] = new
        return value.model_copy(update=update) if update else value
    if isinstance(value, tuple):
        filled = tuple(fill_place(entry, words, where, owner) for entry in value)
        return value if all(a is b for a, b in zip(filled, value, strict=True)) else filled
    if isinstance(value, dict):
        filled = {key: fill_place(entry, words, where, owner) for key, entry in value.items()}
        return value if all(filled[key] is value[key] for key in value) else filled
    return value
