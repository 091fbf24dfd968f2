"""The checklist itself (sections/*.yaml), its sources, what an OT measures for its items and the seed points."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from .base import Condition, DottedId, ItemKind, Priority, Slug, Tag, Text, Who, _Model


class Item(_Model):
    id: DottedId
    question: Text
    why: Text
    action: Text
    kind: ItemKind
    priority: Priority
    who: tuple[Who, ...] = Field(min_length=1)
    tags: tuple[Tag, ...] = ()
    only_when: Condition | None = None
    sources: tuple[str, ...] = Field(min_length=1)
    # A "stop doing this" or "know what to do" item: answered "Not yet", it is never scheduled or capped but goes
    # in the plan's first block ("Start today"). A section may say it for all of its items.
    stop_or_know: bool = False


class Section(_Model):
    id: Slug
    title: Text
    kind: Literal["home", "movement", "exercise"]
    intro: Text
    # A room some homes do not have: the words of the one-tap button that skips it ("No stairs in my home").
    skip_label: str | None = None
    # Every item of this section is a "stop or know" item (see Item.stop_or_know).
    stop_or_know: bool = False
    items: tuple[Item, ...] = Field(min_length=1)


class Source(_Model):
    """A seed file, or a public source that can be traced: a URL or a DOI, and the date it was read."""

    id: Slug
    title: Text
    seed: str | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    accessed: date | None = None
    # A page that could not be opened from here: where its content was read instead (never an `accessed` date).
    read_from: str = ""

    @model_validator(mode="after")
    def _traceable(self) -> Source:
        if self.seed is None and not (self.url or self.doi):
            raise ValueError("a source that is not a seed needs a url or a doi")
        if self.url and self.accessed is None and not self.read_from:
            raise ValueError("a source with a url needs the date it was accessed, or read_from if it was not opened")
        if self.accessed and self.read_from:
            raise ValueError("a source is either accessed on a date or read from elsewhere, not both")
        return self


class Measurement(_Model):
    """Something an OT measures on a home visit (measurements.yaml), and the items it is measured for."""

    id: Slug
    label: Text
    items: tuple[DottedId, ...] = Field(min_length=1)


class MeasurementsFile(_Model):
    measurements: tuple[Measurement, ...] = Field(min_length=1)


class SeedPoint(_Model):
    source: str
    point: Text
    items: tuple[str, ...] = Field(min_length=1)


class SeedPoints(_Model):
    points: tuple[SeedPoint, ...] = Field(min_length=1)
