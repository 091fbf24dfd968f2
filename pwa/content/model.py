"""All the content, validated and cross-checked, as the app uses it."""

from __future__ import annotations

from functools import cached_property

from .base import Priority, _Model
from .plan_extras import PlanExtras, TodayBlock, UrgencyGroup
from .profile import ProfileQuestions
from .red_flags import Place, RedFlags
from .rules import Rule
from .sections import Item, Measurement, Section, SeedPoint, Source


class Content(_Model):
    """Everything in checklists/, validated and cross-checked."""

    # The release of the content: the editor's label and a digest of the files' bytes, `<label>+<digest>`
    # (see content_digest). Caches and personal advice key on it, so an edit reaches people even unlabelled.
    version: str
    urgency: tuple[UrgencyGroup, ...]
    today: TodayBlock
    # The words on the answer buttons of a "hazard" item (the blank checklist and the summary use these).
    answer_labels: dict[str, str]
    # The words for every kind of item: kind -> value -> label.
    kind_labels: dict[str, dict[str, str]]
    important_share: float
    first_group_max: int
    extra_rule_points: int
    sources: dict[str, Source]
    profile: ProfileQuestions
    rules: tuple[Rule, ...]
    red_flags: RedFlags
    plan_extras: PlanExtras
    sections: tuple[Section, ...]
    seed_points: tuple[SeedPoint, ...]
    # The place the app is set up for (its emergency number is already in red_flags), and every place known.
    place: Place
    places: dict[str, Place]
    measurements: tuple[Measurement, ...] = ()

    def measurements_for(self, item_id: str) -> tuple[Measurement, ...]:
        """What an OT measures for this item on a home visit, in measurements.yaml's order."""
        return tuple(m for m in self.measurements if item_id in m.items)

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.id: item for section in self.sections for item in section.items}

    @cached_property
    def stop_or_know(self) -> frozenset[str]:
        """The items that are never scheduled: declared on the item or on its whole section."""
        return frozenset(i.id for s in self.sections for i in s.items if i.stop_or_know or s.stop_or_know)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def section_of(self, item_id: str) -> Section | None:
        return next((s for s in self.sections for i in s.items if i.id == item_id), None)

    def labels_for(self, item: Item) -> dict[str, str]:
        return self.kind_labels[item.kind]

    def urgency_title(self, priority: Priority) -> str:
        return next(g.title for g in self.urgency if g.priority == priority)
