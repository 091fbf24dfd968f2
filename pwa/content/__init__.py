"""The checklist content in ``checklists/``: its models, the loader and the cross-checks.

The content is data a clinician can edit. It is read once at start-up; any mistake stops the app with a
message naming the file and the id of the item (or sign, question, rule) that is wrong.

Modules: `base` (error, base model, value types, conditions), `sections`, `profile`, `rules`, `red_flags`
(and places), `plan_extras` (the plan's own words), `model` (`Content`), `loader` (`load_content`) and
`checks` (what spans files). Every name is importable from `pwa.content`.
"""

from .base import (
    ITEM_KINDS,
    PRIORITY_ORDER,
    Condition,
    ContentError,
    DottedId,
    ItemKind,
    Priority,
    Site,
    Slug,
    Tag,
    Text,
    Who,
)
from .loader import DEFAULT_DIR, content_digest, load_content
from .model import Content
from .plan_extras import Basic, CareTeamQuestion, ContentMeta, PlanExtras, TodayBlock, UrgencyGroup
from .profile import (
    ChoiceQuestion,
    FollowUp,
    Option,
    ProfileQuestions,
    Screen,
    ScreenQuestion,
    SitesQuestion,
    TextQuestion,
    YesNoQuestion,
)
from .red_flags import DEFAULT_PLACE, PLACE_WORDS, Place, PlacesFile, RedFlags, Sign, SignGroup
from .rules import RaiseTarget, Rule, RulesFile
from .sections import Item, Measurement, MeasurementsFile, Section, SeedPoint, SeedPoints, Source

__all__ = [
    "DEFAULT_DIR",
    "DEFAULT_PLACE",
    "ITEM_KINDS",
    "PLACE_WORDS",
    "PRIORITY_ORDER",
    "Basic",
    "CareTeamQuestion",
    "ChoiceQuestion",
    "Condition",
    "Content",
    "ContentError",
    "ContentMeta",
    "DottedId",
    "FollowUp",
    "Item",
    "ItemKind",
    "Measurement",
    "MeasurementsFile",
    "Option",
    "Place",
    "PlacesFile",
    "PlanExtras",
    "Priority",
    "ProfileQuestions",
    "RaiseTarget",
    "RedFlags",
    "Rule",
    "RulesFile",
    "Screen",
    "ScreenQuestion",
    "Section",
    "SeedPoint",
    "SeedPoints",
    "Sign",
    "SignGroup",
    "Site",
    "SitesQuestion",
    "Slug",
    "Source",
    "Tag",
    "Text",
    "TextQuestion",
    "TodayBlock",
    "UrgencyGroup",
    "Who",
    "YesNoQuestion",
    "content_digest",
    "load_content",
]
