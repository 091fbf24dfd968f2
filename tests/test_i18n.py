"""Spanish everywhere: the page words' catalog, the content's translations, and no English left on a Spanish page."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pwa.content import DEFAULT_DIR, ContentError, load_content
from pwa.content.translations import TEXT_KEYS, TEXT_MAPS, translated_paths
from pwa.i18n import LANGUAGES

from .pdf_text import pages_text, text_of

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
# Names that are the same in every language.
PROPER_NAMES = {"SafeSteps", "CDC", "PDF", "QR", "A4", "JPEG", "JSON", "KB"}
# English words that are Spanish words too ("Use" the stick: "Use el bastón").
SPANISH_TOO = {"Use"}


def catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def template():
    with (TRANSLATIONS / "messages.pot").open("rb") as pot:
        return read_po(pot)


# --- the page words -------------------------------------------------------------------------------------------


def test_the_catalog_template_holds_every_word_the_code_and_templates_say():
    """messages.pot is up to date: what pybabel extract finds now is what it holds (run it after a change)."""
    method_map = [("pwa/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords, options_map={}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    held = {m.id[0] if isinstance(m.id, tuple) else m.id for m in template() if m.id}
    assert found - held == set(), (
        "run: pybabel extract -F babel.cfg -k _l --no-location --sort-output -o translations/messages.pot ."
    )
    assert held - found == set(), "messages.pot holds words no template says any more: extract again"


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_page_word_has_its_translation(language):
    translated = catalog(language)
    wanted = [m for m in template() if m.id]
    assert wanted
    by_id = {m.id: m for m in translated if m.id}
    for message in wanted:
        entry = by_id.get(message.id)
        assert entry is not None, f"{language}: {message.id!r} is not in the catalog: run pybabel update"
        assert "fuzzy" not in entry.flags, f"{language}: {message.id!r} is marked fuzzy"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(s.strip() for s in strings), f"{language}: {message.id!r} has no translation"
        # The same placeholders: a missing %(number)s would raise when the page is drawn.
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in strings:
            assert set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", text)) == set(
                re.findall(r"%\(\w+\)[sd]|\{\w+\}", source[-1])
            ), (language, message.id, text)
    assert not translated.fuzzy


# --- the content's translations fail loudly -------------------------------------------------------------------


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_an_item_without_its_spanish_text_stops_the_app(content_copy):
    from pwa import create_app

    spanish = content_copy / "es" / "sections" / "01-entrance.yaml"
    _edit(spanish, lambda data: data["items"][1].pop("why"))
    item = yaml.safe_load(spanish.read_text())["items"][1]["id"]
    with pytest.raises(ContentError, match=rf"es/sections/01-entrance\.yaml: items\.{re.escape(item)}\.why: .*missing"):
        create_app({"TESTING": True, "CONTENT_DIR": str(content_copy)})


def test_a_missing_item_and_a_missing_file_are_named(content_copy):
    spanish = content_copy / "es" / "sections" / "02-living.yaml"
    removed = yaml.safe_load(spanish.read_text())["items"][0]["id"]
    _edit(spanish, lambda data: data["items"].pop(0))
    with pytest.raises(ContentError, match=rf"es/sections/02-living\.yaml: items\.{re.escape(removed)}: .*missing"):
        load_content(content_copy, language="es")
    shutil.copy(DEFAULT_DIR / "es" / "sections" / "02-living.yaml", spanish)
    (content_copy / "es" / "plan.yaml").unlink()
    with pytest.raises(ContentError, match=r"es/plan\.yaml: file is missing"):
        load_content(content_copy, language="es")


def test_an_extra_id_or_key_is_refused(content_copy):
    spanish = content_copy / "es" / "red_flags.yaml"
    _edit(spanish, lambda data: data["groups"][0]["signs"].append({"id": "ambulance.made-up", "text": "Algo"}))
    with pytest.raises(
        ContentError, match=r"es/red_flags\.yaml: groups\.ambulance\.signs\.ambulance\.made-up: .*no such id"
    ):
        load_content(content_copy, language="es")
    shutil.copy(DEFAULT_DIR / "es" / "red_flags.yaml", spanish)
    _edit(content_copy / "es" / "profile.yaml", lambda data: data.update(farewell="Adiós"))
    with pytest.raises(ContentError, match=r"es/profile\.yaml: farewell: there is no such key"):
        load_content(content_copy, language="es")


def test_a_text_whose_placeholders_differ_is_refused(content_copy):
    spanish = content_copy / "es" / "red_flags.yaml"
    text = spanish.read_text()
    assert "{emergency_number}" in text
    spanish.write_text(text.replace("{emergency_number}", "{numero}", 1))
    with pytest.raises(
        ContentError, match=r"es/red_flags\.yaml: call_now\.ambulance: the placeholders must be the English ones"
    ):
        load_content(content_copy, language="es")


def test_the_content_version_covers_the_translations(content_copy):
    before = load_content(content_copy, language="es").version
    path = content_copy / "es" / "plan.yaml"
    path.write_text(path.read_text() + "\n# a wording change\n")
    assert load_content(content_copy, language="es").version != before


def test_spanish_content_has_the_english_ids_and_other_words(content):
    spanish = load_content(language="es")
    assert list(spanish.items) == list(content.items)
    assert [r.id for r in spanish.rules] == [r.id for r in content.rules]
    changed = [i for i in content.items if spanish.items[i].question != content.items[i].question]
    assert len(changed) == len(content.items)
    assert spanish.place.emergency_number in spanish.red_flags.groups[0].title


# --- no English left on a Spanish page ------------------------------------------------------------------------


def _fragments(text: str) -> list[str]:
    """The parts of a text between its placeholders, whitespace squashed, that are long enough to be telling."""
    parts = re.split(r"%\(\w+\)[sd]|\{\w+\}|%%", text)
    return [p for p in (" ".join(part.split()).strip(" .,:;()") for part in parts) if p and p not in PROPER_NAMES]


def _content_texts(directory: Path) -> set[str]:
    found: set[str] = set()

    def walk(node, key=None, in_map=False):
        if isinstance(node, dict):
            for k, v in node.items():
                if k != "id":
                    walk(v, k, in_map or k in TEXT_MAPS)
        elif isinstance(node, list):
            for element in node:
                walk(element, key, in_map)
        elif isinstance(node, str) and (in_map or key in TEXT_KEYS or key == "name"):
            found.add(node)

    for relative in translated_paths(directory):
        walk(yaml.safe_load((directory / relative).read_text()))
    return found


@pytest.fixture(scope="module")
def english_words() -> list[re.Pattern]:
    """Every English page word and content text that Spanish says differently, as a whole-word pattern."""
    spanish = catalog("es")
    same = {m.id for m in spanish if m.id and (m.string == m.id or m.string == m.id[0])}
    words = set()
    for message in template():
        if message.id and message.id not in same:
            for text in message.id if isinstance(message.id, tuple) else (message.id,):
                words.update(_fragments(text))
    spanish_texts = _content_texts(DEFAULT_DIR / "es")
    for text in _content_texts(DEFAULT_DIR) - spanish_texts:
        words.update(_fragments(text))
    words -= {w for t in spanish_texts for w in _fragments(t)} | SPANISH_TOO  # words both languages use
    # Longest first, so a report names the whole sentence.
    return [(w, re.compile(rf"(?<!\w){re.escape(w)}(?!\w)")) for w in sorted(words, key=len, reverse=True)]


def visible_text(page: str) -> str:
    """What a person reads or hears: the text, and the words in attributes (labels, placeholders, the words the
    scripts show from data- attributes); not the scripts' data, nor ids and class names."""
    script = re.search(r'<script[^>]*id="page-words">(.*?)</script>', page, re.S)
    words = list(json.loads(script.group(1)).values()) if script else []
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    attributes = re.findall(r'\s(?:aria-label|alt|placeholder|title|content|data-[\w-]+)="([^"]*)"', page)
    words += [a for a in attributes if " " in a or a[:1].isupper()]
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *words]))


def english_left(text: str, patterns) -> list[str]:
    text = " ".join(re.sub(r"\{\w+\}", " ", text).split())  # a script's placeholders are names, not words
    # A plain substring test first: most words are not there at all, and it is a hundred times quicker.
    return [word for word, pattern in patterns if word in text and pattern.search(text)]


def spanish_pages(client) -> list[str]:
    worker = client.get("/es/sw.js").get_data(as_text=True)
    precache = yaml.safe_load(re.search(r"const PRECACHE = (\[.*?\]);", worker).group(1))
    return [url for url in precache if "/static/" not in url and not url.endswith(".webmanifest")]


def a_full_assessment(content) -> dict:
    """Every kind of answer, a note, a done action, a profile that raises rules: every part of the plan shows."""
    items = list(content.items)
    answers = {item: {"answer": "fix", "note": "nota"} for item in items[::3]}
    answers |= {item: {"answer": "unsure"} for item in items[1::3]}
    answers |= {item: {"answer": "ok"} for item in items[2::3]}
    done = {items[0]: "2026-11-20"}
    profile = {
        "sites": ["spine", "pelvis-hip"],
        "walking_aid": "stick",
        "yes_no": {"lives-alone": True, "dizziness": True},
        "screen": {"fallen": True, "unsteady": True},
        "name": "Ana",
        "care_team_phone": "0161 496 0000",
    }
    return {"schema": 1, "id": "i18n-test", "profile": profile, "answers": answers, "done": done}


def test_no_english_is_left_on_a_spanish_page(client, csrf_headers, content, english_words):
    pages = spanish_pages(client)
    assert "/es/rooms/entrance" in pages and "/es/plan/offline" in pages and len(pages) > 15
    rendered = {url: client.get(url) for url in pages}
    rendered["/es/no-such-page"] = client.get("/es/no-such-page")
    rendered["POST /es/api/plan"] = client.post(
        "/es/api/plan", json=a_full_assessment(content), headers={**csrf_headers, "Accept": "text/html"}
    )
    found = {}
    for url, response in rendered.items():
        assert response.status_code in (200, 404), url
        page = response.get_data(as_text=True)
        if url.startswith("/es") and "api" not in url and url != "/es/plan/offline":
            assert '<html lang="es"' in page, url
        left = english_left(visible_text(page), english_words)
        if left:
            found[url] = left
    assert found == {}
    # The same scan finds the English of an English page: it can fail.
    assert len(english_left(visible_text(client.get("/rooms/entrance").get_data(as_text=True)), english_words)) > 10


def test_the_english_pages_stay_english_and_link_to_their_spanish(client):
    page = client.get("/rooms/kitchen").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert re.search(r'<a href="/es/rooms/kitchen" hreflang="es" lang="es" data-language="es">Español</a>', page)
    spanish = client.get("/es/rooms/kitchen").get_data(as_text=True)
    assert re.search(r'<a href="/rooms/kitchen" hreflang="en" lang="en" data-language="en">English</a>', spanish)
    # Spanish links stay Spanish: url_for makes them under /es/ by itself.
    assert 'href="/es/rooms/bathroom"' in spanish and 'href="/rooms/bathroom"' not in spanish


def test_each_language_has_its_own_offline_worker_and_manifest(client):
    english, spanish = (client.get(f"{p}/sw.js").get_data(as_text=True) for p in ("", "/es"))
    assert 'const CACHE_PREFIX = "safesteps-";' in english and '["safesteps-es-"]' in english
    assert 'const CACHE_PREFIX = "safesteps-es-";' in spanish
    assert '"/es/rooms/kitchen"' in spanish and '"/es/static/js/app.js"' in spanish
    assert '"/rooms/kitchen"' in english and "/es/" not in english.split("const PRECACHE")[1].split("\n")[0]
    manifest = client.get("/es/manifest.webmanifest").get_json()
    assert manifest["lang"] == "es" and manifest["start_url"] == "/es/" and "casa" in manifest["description"]


def pdf_text(pdf: bytes) -> str:
    return text_of(pdf)


def test_the_spanish_pdfs_carry_no_english(client, csrf_headers, content, english_words):
    """The plan, the one-page summary, the blank checklist and the OT report in Spanish, from the same answers (a plan made in English prints in
    Spanish: the assessment holds answers by id, not words)."""
    assessment = a_full_assessment(content)
    found = {}
    for path in ("/es/plan.pdf", "/es/summary.pdf", "/plan.pdf"):
        response = client.post(path, json=assessment, headers=csrf_headers)
        assert response.status_code == 200 and response.mimetype == "application/pdf", path
        text = pdf_text(response.data)
        # Words broken over lines in a PDF cannot be told apart from English; whole phrases still can.
        found[path] = [w for w in english_left(text, english_words) if " " in w]
        if path.startswith("/es/"):
            assert "Llame a una ambulancia" in text, path  # the warning signs, in Spanish
            # On page one: the Spanish box is taller than the English one, and breaks between its groups rather
            # than move whole to page two and leave page one empty.
            assert "Llame a una ambulancia" in pages_text(response.data)[0], path
    # The blank checklist and the OT report of a home visit, in Spanish too.
    made = {
        "/es/checklist.pdf": client.get("/es/checklist.pdf?paper=a4"),
        "/es/ot-report.pdf": client.post(
            "/es/ot-report.pdf", data={"assessment": json.dumps(assessment)}, headers=csrf_headers
        ),
    }
    for path, response in made.items():
        assert response.status_code == 200 and response.mimetype == "application/pdf", path
        text = pdf_text(response.data)
        assert ("Informe de la visita a domicilio" if "report" in path else "Lista de SafeSteps") in text, path
        found[path] = [w for w in english_left(text, english_words) if " " in w]
    english = found.pop("/plan.pdf")
    assert len(english) > 10  # the same scan finds the English of the English plan
    assert {path: left for path, left in found.items() if left} == {}
    assert len(found) == 4
