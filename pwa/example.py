"""A realistic example assessment, for people and tools that want to see what one looks like.

A woman with cancer in her spine and hip who walks with a stick and fell last winter: several things to fix,
a few she is not sure about, notes in her own words. `python -m pwa example` prints it; a test checks that it
satisfies the schema and that every item id in it is one the content knows.
"""

from __future__ import annotations

from .assessment import SCHEMA_VERSION

_ANSWERED_AT = "2026-11-20T10:{minute:02d}:00Z"

# item id -> (answer, note)
_ANSWERS = {
    "entrance.step-rail": ("fix", "Only one rail, on the left going out."),
    "entrance.lighting": ("ok", ""),
    "living.rugs": ("fix", "The rug in front of the fire curls up at one corner."),
    "living.cords": ("fix", "Lamp lead runs across the doorway."),
    "living.chair": ("ok", "Her own chair is firm, with arms."),
    "kitchen.everyday-shelves": ("fix", "Mugs and plates are in the top cupboard."),
    "kitchen.kettle": ("unsure", "Not sure how full is too heavy."),
    "bathroom.grab-bars-bath": ("fix", "Nothing to hold in the bath."),
    "bathroom.non-slip": ("ok", ""),
    "bedroom.lamp-reach": ("fix", "The switch is by the door."),
    "bedroom.phone-reach": ("ok", "Keeps her mobile on the bedside table."),
    "stairs.rails": ("fix", "No rail on the wall side."),
    "habits.shoes": ("fix", "Wears old slippers with smooth soles."),
    "moving.lifting-limit": ("unsure", "Ask at the next clinic visit."),
    "exercise.ask-first": ("na", ""),
}


def example_assessment(content_version: str = "") -> dict:
    answers = {
        item_id: {"answer": answer, "note": note, "at": _ANSWERED_AT.format(minute=minute), "ot": None}
        for minute, (item_id, (answer, note)) in enumerate(_ANSWERS.items())
    }
    return {
        "schema": SCHEMA_VERSION,
        "content_version": content_version,
        "id": "example-spine-and-hip",
        "created": "2026-11-20T10:00:00Z",
        "updated": _ANSWERED_AT.format(minute=len(answers) - 1),
        "profile": {
            "sites": ["spine", "pelvis-hip"],
            "walking_aid": "stick",
            "yes_no": {"dizziness": False, "tired-or-anaemic": True},
            "screen": {"fallen": True, "cane-or-walker": True, "unsteady": True, "worried": True},
            "lifting_limit": "",
            "care_team_phone": "0161 555 0100",
            "name": "Mrs A Example",
        },
        "answers": answers,
        "done": {"living.cords": "2026-11-22"},
        "skipped": [],
        "visit": {
            "client": "",
            "client_id": "",
            "assessor": "",
            "role": "",
            "contact": "",
            "date": "",
            "note": "",
            "previous": None,
            "notes_kept_by_ot": False,
        },
    }


def worst_case_assessment(content, *, note: str | None = None, line_breaks: int | None = None) -> dict:
    """The largest plan the limits allow: every item "Needs fixing", each with the longest note there can be,
    as many line breaks as a note may hold, and every text field full. Benchmarks, tests and the fuzz script
    use it to show the worst document within the limits stays bounded work."""
    from .assessment import NOTE_LINE_BREAKS_MAX, NOTE_MAX, TEXT_MAX

    breaks = NOTE_LINE_BREAKS_MAX if line_breaks is None else line_breaks
    if note is None:
        line = "Wobbly rail by the back step, bulb gone at the top of the stairs, rug curls at the corner. " * 30
        width = NOTE_MAX // (breaks + 1)
        note = "\n".join(line[: width - 1] for _ in range(breaks + 1))[:NOTE_MAX]
    item_ids = [item.id for section in content.sections for item in section.items]
    return {
        "schema": SCHEMA_VERSION,
        "content_version": content.version,
        "profile": {
            "sites": ["spine", "pelvis-hip"],
            "walking_aid": "stick",
            "yes_no": {"dizziness": True, "tired-or-anaemic": True},
            "screen": {"fallen": True, "cane-or-walker": True, "unsteady": True, "worried": True},
            "lifting_limit": "L" * TEXT_MAX,
            "care_team_phone": "0" * TEXT_MAX,
            "name": "N" * TEXT_MAX,
        },
        "answers": {item_id: {"answer": "fix", "note": note} for item_id in item_ids},
        "visit": {"client": "C" * TEXT_MAX, "assessor": "A" * TEXT_MAX, "date": ""},
    }
