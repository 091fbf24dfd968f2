"""A visit as a FHIR R4 QuestionnaireResponse answering the Questionnaire, and the answers read back from one."""

from __future__ import annotations

import base64
import re

from ..assessment import Assessment
from ..content import Content, Item
from ..personalise import score_screen
from ..photos import photo_names
from .codes import (
    ANSWER_SYSTEM,
    OPTION_SYSTEM,
    PRIORITY_SYSTEM,
    PRIORITY_WORDS,
    QUESTIONNAIRE_URL,
    UCUM,
    UCUM_CODES,
)

# What FHIR allows as a resource id: the assessment's id is used only when it is one.
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def _group(link_id: str, text: str, items: list[dict]) -> list[dict]:
    """A group only when it holds something: FHIR wants no empty items in a response."""
    return [{"linkId": link_id, "text": text, "item": items}] if items else []


def _answer(link_id: str, text: str, **value) -> dict:
    return {"linkId": link_id, "text": text, "answer": [value]}


def _coding(option_system: str, code: str, display: str) -> dict:
    return {"valueCoding": {"system": option_system, "code": code, "display": display}}


def response(content: Content, assessment: Assessment, photos: dict[str, tuple[bytes, str]] | None = None) -> dict:
    """The visit as a QuestionnaireResponse. `photos` (item id -> (bytes, content type)) go in as attachments;
    leave it out and no photo leaves the device."""
    photos = photos or {}
    profile, visit = assessment.profile, assessment.visit
    screen_content = content.profile.screen
    result = score_screen(content, profile)
    screen_items = [
        _answer(f"screen.{q.id}", q.text, valueBoolean=profile.screen[q.id])
        for q in screen_content.questions
        if q.id in profile.screen
    ]
    screen_items.append(_answer("screen.score", "Score", valueInteger=result.score))
    if result.label:
        screen_items.append(_answer("screen.result", "Result", valueString=result.label))

    about = content.profile
    site_labels = {o.id: o.label for o in about.sites.options}
    aid_labels = {o.id: o.label for o in about.walking_aid.options}
    about_items = []
    if profile.sites:
        about_items.append(
            {
                "linkId": "about-me.sites",
                "text": about.sites.question,
                "answer": [_coding(OPTION_SYSTEM, s, site_labels.get(s, s)) for s in profile.sites],
            }
        )
    if profile.walking_aid:
        about_items.append(
            {
                "linkId": "about-me.walking-aid",
                "text": about.walking_aid.question,
                "answer": [
                    _coding(
                        OPTION_SYSTEM, profile.walking_aid, aid_labels.get(profile.walking_aid, profile.walking_aid)
                    )
                ],
            }
        )
    about_items += [
        _answer(f"about-me.{q.id}", q.question, valueBoolean=profile.yes_no[q.id])
        for q in about.yes_no
        if q.id in profile.yes_no
    ]
    about_items += [
        _answer(f"about-me.{q.id}", q.label, valueString=getattr(profile, q.id))
        for q in about.text
        if getattr(profile, q.id, "")
    ]

    visit_items = []
    if visit.date:
        visit_items.append(_answer("visit.date", "Date of this visit", valueDate=visit.date))
    if visit.assessor:
        visit_items.append(_answer("visit.assessor", "Assessor", valueString=visit.assessor))
    if visit.note:
        visit_items.append(_answer("visit.note", "General note about this visit", valueString=visit.note))

    sections = []
    for section in content.sections:
        if section.id in assessment.skipped:
            continue  # a room this home does not have
        item_groups = []
        for item in section.items:
            saved = assessment.answers.get(item.id)
            parts = []
            if saved and saved.answer:
                labels = content.labels_for(item)
                parts.append(
                    _answer(
                        f"{item.id}.answer",
                        item.question,
                        valueCoding={
                            "system": ANSWER_SYSTEM,
                            "code": saved.answer,
                            "display": labels.get(saved.answer, saved.answer),
                        },
                    )
                )
            if saved and saved.note:
                parts.append(_answer(f"{item.id}.note", "Note", valueString=saved.note))
            names = [name for name in photo_names(item.id) if name in photos]
            captions = saved.ot.photo_captions if saved and saved.ot else ()
            attachments = []
            for name in names:
                data, content_type = photos[name]
                slot = photo_names(item.id).index(name)
                caption = captions[slot] if slot < len(captions) else ""
                attachment = {
                    "contentType": content_type,
                    "data": base64.b64encode(data).decode("ascii"),
                    # The OT's caption, or the file's name.
                    "title": caption or f"{name.replace(':', '-')}.jpg",
                }
                attachments.append({"valueAttachment": attachment})
            if attachments:
                parts.append({"linkId": f"{item.id}.photo", "text": "Photo", "answer": attachments})
            if saved and saved.ot:
                parts += _ot_parts(content, item, saved.ot, with_caption=bool(names))
            item_groups += _group(item.id, item.question, parts)
        sections += _group(section.id, section.title, item_groups)

    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE_URL}|{content.version}",
        "status": "completed",
        "item": [
            *_group("screen", screen_content.title, screen_items),
            *_group("about-me", "About me", about_items),
            *_group("visit", "Home visit", visit_items),
            *sections,
        ],
    }
    if _FHIR_ID.match(assessment.id or ""):
        resource["id"] = assessment.id
    if visit.client or profile.name:
        resource["subject"] = {"display": visit.client or profile.name}
    if visit.assessor:
        resource["author"] = {"display": visit.assessor}
    authored = assessment.updated or (visit.date or None)
    if authored:
        resource["authored"] = authored
    return resource


def _ot_parts(content: Content, item: Item, ot, *, with_caption: bool) -> list[dict]:
    """The OT's recommendation, priority, who, by when and measurements for one item (what they filled in)."""
    parts = []
    if with_caption and ot.photo_captions:
        parts.append(_answer(f"{item.id}.caption", "Photo caption", valueString=ot.photo_captions[0]))
    if ot.recommendation.strip():
        parts.append(_answer(f"{item.id}.recommendation", "OT recommendation", valueString=ot.recommendation))
    if ot.priority:
        coding = {"system": PRIORITY_SYSTEM, "code": ot.priority, "display": PRIORITY_WORDS[ot.priority]}
        parts.append(_answer(f"{item.id}.priority", "Priority", valueCoding=coding))
    if ot.who:
        parts.append(_answer(f"{item.id}.who", "Who does it", valueString=ot.who))
    if ot.by_when:
        parts.append(_answer(f"{item.id}.by-when", "By when", valueDate=ot.by_when))
    for m in content.measurements_for(item.id):  # only what the content declares for this item
        measured = ot.measurements.get(m.id)
        if measured:
            quantity = {
                "value": measured.value,
                "unit": measured.unit,
                "system": UCUM,
                "code": UCUM_CODES[measured.unit],
            }
            parts.append(_answer(f"{item.id}.measure-{m.id}", m.label, valueQuantity=quantity))
    return parts


# ---------------------------------------------------------------- and back


def _walk(items: list[dict]):
    for entry in items:
        yield entry
        yield from _walk(entry.get("item", []))


def answers_from_response(resource: dict) -> dict:
    """What a QuestionnaireResponse says, read back by linkId: the item answers and notes (item id ->
    {"answer", "note"}), the screen answers and the visit. The inverse of `response` for what it carries."""
    answers: dict[str, dict] = {}
    screen: dict[str, bool] = {}
    visit: dict[str, str] = {}
    for entry in _walk(resource.get("item", [])):
        link_id, values = entry["linkId"], entry.get("answer", [])
        if not values:
            continue
        value = values[0]
        head, _, field = link_id.rpartition(".")
        if link_id.startswith("screen.") and "valueBoolean" in value:
            screen[link_id.removeprefix("screen.")] = value["valueBoolean"]
        elif link_id.startswith("visit."):
            visit[field] = value.get("valueDate", value.get("valueString"))
        elif field == "answer":
            answers.setdefault(head, {"answer": None, "note": ""})["answer"] = value["valueCoding"]["code"]
        elif field == "note":
            answers.setdefault(head, {"answer": None, "note": ""})["note"] = value["valueString"]
        elif field in ("recommendation", "who", "by-when", "priority") or field.startswith("measure-"):
            read = value.get("valueString", value.get("valueDate"))
            if "valueCoding" in value:
                read = value["valueCoding"]["code"]
            if "valueQuantity" in value:
                read = {"value": value["valueQuantity"]["value"], "unit": value["valueQuantity"]["unit"]}
            answers.setdefault(head, {"answer": None, "note": ""}).setdefault("ot", {})[field] = read
    return {"answers": answers, "screen": screen, "visit": visit}
