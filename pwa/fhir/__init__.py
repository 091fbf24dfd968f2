"""FHIR out: the checklist as a FHIR R4 Questionnaire, and a visit as a QuestionnaireResponse that answers it.

Both are built from the loaded content, so a new item, room or screen question needs no code here. Plain dicts
(JSON as FHIR writes it); the tests validate them with `fhir.resources`. Nothing is stored.

The shape, by linkId:
- `screen`: one boolean per Stay Independent question (`screen.<id>`), the score and the result (read-only).
- `about-me`: the "About me" answers (where the cancer is, walking aid, yes/no questions, text fields).
- `visit`: the date, the assessor and the OT's general note.
- one group per section (its id), and in it one group per checklist item (the item id) holding the answer
  (`<item id>.answer`, a coding from our answer CodeSystem), the note (`<item id>.note`) and, only when the OT
  chose to include photos, the photo (`<item id>.photo`, an attachment) and its caption (`<item id>.caption`);
  on a home visit, the OT's recommendation (`.recommendation`, `.priority`, `.who`, `.by-when`) and each
  measurement the content declares for the item (`<item id>.measure-<measurement id>`, a UCUM quantity).
"""

from .codes import (
    ANSWER_SYSTEM,
    BASE,
    OPTION_SYSTEM,
    PRIORITY_SYSTEM,
    PRIORITY_WORDS,
    QUESTIONNAIRE_ID,
    QUESTIONNAIRE_URL,
    UCUM,
    UCUM_CODES,
)
from .questionnaire import questionnaire
from .response import answers_from_response, response

__all__ = [
    "ANSWER_SYSTEM",
    "BASE",
    "OPTION_SYSTEM",
    "PRIORITY_SYSTEM",
    "PRIORITY_WORDS",
    "QUESTIONNAIRE_ID",
    "QUESTIONNAIRE_URL",
    "UCUM",
    "UCUM_CODES",
    "answers_from_response",
    "questionnaire",
    "response",
]
