"""Plain Spanish (issue 22.5): the Spanish content is measured with a Spanish readability formula, as the English is
with Flesch-Kincaid (tests/test_content.py): Fernández Huerta, 70 or more ("bastante fácil" or easier) for every
text a person reads, in every place's words. The formula means nothing on a label of two or three words ("Esta
semana" scores 55, "Irlanda" 26), so texts of three words or fewer are left to the reviewer."""

import pytest
import textstat
from babel.messages.pofile import read_po

from pwa.content import load_content
from pwa.i18n import LANGUAGES

from .test_content import _documents, _signs

FAIRLY_EASY = 70
# Page words: long enough to be measured (the formula is as unreliable on a button's two words as on a label's).
PAGE_WORDS_MEASURED_FROM = 12


def spanish_score(text: str) -> float:
    textstat.set_lang("es")
    try:
        return textstat.fernandez_huerta(text)
    finally:
        textstat.set_lang("en_US")  # textstat's language is global: the English tests measure after this one


def texts_read(content) -> list[str]:
    texts = [text for _, texts in _documents(content) for text in texts]
    texts += [group.title for group in content.red_flags.groups] + list(content.red_flags.call_now.values())
    texts += [sign.short for _, sign in _signs(content) if sign.short]
    screen = content.profile.screen
    texts += [q.text for q in screen.questions] + [screen.higher_risk, screen.lower_risk, screen.key_risk]
    texts += [content.today.title, content.today.intro] + [rule.because for rule in content.rules]
    texts += [section.title for section in content.sections]
    return [text for text in texts if len(text.split()) > 3]


@pytest.mark.parametrize("place", ["uk", "us"])  # the two sets of place words (the US gives figures)
def test_every_spanish_text_is_fairly_easy_or_easier(place):
    content = load_content(place=place, language="es")
    texts = texts_read(content)
    assert len(texts) > 400
    too_hard = sorted((spanish_score(text), text) for text in texts if spanish_score(text) < FAIRLY_EASY)
    assert not too_hard, too_hard


def test_the_spanish_page_words_are_fairly_easy_or_easier():
    assert "es" in LANGUAGES
    with open("translations/es/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    measured = [
        message.string
        for message in catalog
        if message.id and isinstance(message.string, str) and len(message.string.split()) >= PAGE_WORDS_MEASURED_FROM
    ]
    assert len(measured) > 50
    too_hard = sorted((spanish_score(text), text) for text in measured if spanish_score(text) < FAIRLY_EASY)
    assert not too_hard, too_hard


def test_the_measure_tells_hard_spanish_from_plain():
    plain = "Pida a alguien que mantenga limpio el camino a su puerta. Barra las hojas cada semana."
    hard = (
        "La administración concomitante de bifosfonatos intravenosos requiere monitorización periódica de la "
        "concentración sérica de calcio, especialmente en pacientes con insuficiencia renal preexistente."
    )
    assert spanish_score(plain) >= FAIRLY_EASY > spanish_score(hard)
