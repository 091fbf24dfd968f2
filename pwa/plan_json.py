"""The plan as plain JSON, for other tools (`python -m pwa plan --format json`); /api/personalise gives the falls
check's result in the same shape (`screen_json`). What `plan_as_json` writes is a contract whose JSON Schema is
in plan_schema.py: change the two together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotations only: plan.py re-exports these functions, so it cannot be imported here
    from .personalise import ScreenResult
    from .plan import Action, ActionPlan


def plan_as_json(plan: ActionPlan) -> dict:
    """The plan as plain JSON, for other tools: every action with its id, room, urgency, reasons and note."""

    today_ids = {entry.item_id for entry in plan.today.actions} if plan.today else set()

    def action(entry: Action) -> dict:
        return {
            "id": entry.item_id,
            "room": entry.room,
            # "today": a "stop" or "know" item, never scheduled; otherwise the urgency group's priority.
            "urgency": "today" if entry.item_id in today_ids else entry.priority,
            "action": entry.action,
            "who": list(entry.who),
            "reasons": list(entry.reasons),
            "note": entry.note,
        }

    return {
        "made": plan.made.isoformat(),
        "content_version": plan.content_version,
        "answered_with": plan.answered_with,
        "name": plan.name,
        "care_team_phone": plan.care_team_phone,
        "warning_signs": [
            {"group": group.id, "level": group.level, "signs": [sign.text for sign in group.signs]}
            for group in plan.red_flags.groups
        ],
        "urgency_groups": (
            [{"urgency": "today", "title": plan.today.title}] if plan.today and plan.today.actions else []
        )
        + [{"urgency": group.priority, "title": group.title} for group in plan.groups],
        "screen": screen_json(plan.screen),
        "actions": [action(entry) for entry in plan.actions],
        "done": [{**action(entry.action), "done_on": entry.on.isoformat()} for entry in plan.done],
        "unsure": [
            {"id": entry.item_id, "room": entry.room, "question": entry.question, "note": entry.note}
            for entry in plan.unsure
        ],
        "precautions": [
            {"id": entry.item_id, "room": entry.room, "action": entry.action} for entry in plan.precautions
        ],
        "lifting_limit": plan.lifting_limit,
        "questions": [question.text for question in plan.questions],
        "already_safe": [{"room": room.room, "count": room.count} for room in plan.safe],
        "other_notes": [
            {
                "id": entry.item_id,
                "room": entry.room,
                "question": entry.question,
                "answer": entry.answer,
                "note": entry.note,
            }
            for entry in plan.other_notes
        ],
        "unplaced_answers": plan.unplaced,
    }


def screen_json(screen: ScreenResult | None) -> dict | None:
    """The falls check's result as the JSON plan and /api/personalise give it."""
    if screen is None:
        return None
    return {
        "score": screen.score,
        "max_score": screen.max_score,
        "answered": screen.answered,
        "total": screen.total,
        "higher_risk": screen.higher_risk,
        "at_risk": screen.at_risk,
        "key_yes": list(screen.key_yes),
        "result": screen.label,
        "message": screen.message,
    }
