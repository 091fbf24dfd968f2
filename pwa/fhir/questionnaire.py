"""The checklist as a FHIR R4 Questionnaire, built from the loaded content (see the package's docstring)."""

from __future__ import annotations

from ..assessment import ANSWER_VALUES
from ..content import Content, Item
from .codes import ANSWER_SYSTEM, OPTION_SYSTEM, PRIORITY_SYSTEM, PRIORITY_WORDS, QUESTIONNAIRE_ID, QUESTIONNAIRE_URL


def _answer_options(content: Content, item: Item) -> list[dict]:
    labels = content.labels_for(item)
    return [
        {"valueCoding": {"system": ANSWER_SYSTEM, "code": value, "display": labels[value]}}
        for value in ANSWER_VALUES
        if value in labels
    ]


def _item_group(content: Content, item: Item) -> dict:
    return {
        "linkId": item.id,
        "type": "group",
        "text": item.question,
        "item": [
            {
                "linkId": f"{item.id}.answer",
                "type": "choice",
                "text": item.question,
                "answerOption": _answer_options(content, item),
            },
            {"linkId": f"{item.id}.note", "type": "text", "text": "Note"},
            {"linkId": f"{item.id}.photo", "type": "attachment", "text": "Photo", "repeats": True},
            {"linkId": f"{item.id}.caption", "type": "string", "text": "Photo caption"},
            {"linkId": f"{item.id}.recommendation", "type": "text", "text": "OT recommendation"},
            {
                "linkId": f"{item.id}.priority",
                "type": "choice",
                "text": "Priority",
                "answerOption": [
                    {"valueCoding": {"system": PRIORITY_SYSTEM, "code": code, "display": words}}
                    for code, words in PRIORITY_WORDS.items()
                ],
            },
            {"linkId": f"{item.id}.who", "type": "string", "text": "Who does it"},
            {"linkId": f"{item.id}.by-when", "type": "date", "text": "By when"},
            *(
                {"linkId": f"{item.id}.measure-{m.id}", "type": "quantity", "text": m.label}
                for m in content.measurements_for(item.id)
            ),
        ],
    }


def _options(options) -> list[dict]:
    return [{"valueCoding": {"system": OPTION_SYSTEM, "code": o.id, "display": o.label}} for o in options]


def _about_me(content: Content) -> dict:
    profile = content.profile
    return {
        "linkId": "about-me",
        "type": "group",
        "text": "About me",
        "item": [
            {
                "linkId": "about-me.sites",
                "type": "choice",
                "repeats": True,
                "text": profile.sites.question,
                "answerOption": _options(profile.sites.options),
            },
            {
                "linkId": "about-me.walking-aid",
                "type": "choice",
                "text": profile.walking_aid.question,
                "answerOption": _options(profile.walking_aid.options),
            },
            *({"linkId": f"about-me.{q.id}", "type": "boolean", "text": q.question} for q in profile.yes_no),
            *({"linkId": f"about-me.{q.id}", "type": "string", "text": q.label} for q in profile.text),
        ],
    }


def _screen(content: Content) -> dict:
    screen = content.profile.screen
    return {
        "linkId": "screen",
        "type": "group",
        "text": screen.title,
        "item": [
            *({"linkId": f"screen.{q.id}", "type": "boolean", "text": q.text} for q in screen.questions),
            {"linkId": "screen.score", "type": "integer", "text": "Score", "readOnly": True},
            {"linkId": "screen.result", "type": "string", "text": "Result", "readOnly": True},
        ],
    }


def questionnaire(content: Content) -> dict:
    """The checklist as a Questionnaire; its version is the content's version."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": QUESTIONNAIRE_URL,
        "version": content.version,
        "name": "SafeStepsChecklist",
        "title": "SafeSteps home fall-safety checklist",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [
            _screen(content),
            _about_me(content),
            {
                "linkId": "visit",
                "type": "group",
                "text": "Home visit",
                "item": [
                    {"linkId": "visit.date", "type": "date", "text": "Date of this visit"},
                    {"linkId": "visit.assessor", "type": "string", "text": "Assessor"},
                    {"linkId": "visit.note", "type": "text", "text": "General note about this visit"},
                ],
            },
            *(
                {
                    "linkId": section.id,
                    "type": "group",
                    "text": section.title,
                    "item": [_item_group(content, item) for item in section.items],
                }
                for section in content.sections
            ),
        ],
    }
