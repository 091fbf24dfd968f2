"""One plan layout: the plan page and the PDF say the same sentences, the warning signs are the same everywhere,
and a phone number becomes a tap-to-call link by one rule.

The page is the fragment POST /api/plan returns; the PDFs are read back with pypdf. Text is compared with all
whitespace made single spaces, since lines wrap anywhere on a page.
"""

import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

PHONE = "+44 (0)161 555-0100"
LEAF_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "summary"}
VOID_TAGS = {"input", "br", "img", "meta", "link", "hr"}


# ---------------------------------------------------------------- helpers


def squash(text: str) -> str:
    return " ".join(text.split())


class Leaves(HTMLParser):
    """The text of every innermost block (p, li, heading, dt, dd, summary), with the classes of its ancestors."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, classes, buffer or None, has_leaf_child)
        self.found = []  # (text, ancestor classes)

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in LEAF_TAGS:
            for entry in self.stack:
                if entry[2] is not None:
                    entry[3][0] = True
        self.stack.append((tag, classes, [] if tag in LEAF_TAGS else None, [False]))

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        while self.stack:
            open_tag, classes, buffer, has_leaf_child = self.stack.pop()
            if buffer is not None and not has_leaf_child[0]:
                ancestors = set().union(*(entry[1] for entry in self.stack), classes, {open_tag})
                self.found.append((squash("".join(buffer)), ancestors))
            if open_tag == tag:
                break

    def handle_data(self, data):
        for entry in self.stack:
            if entry[2] is not None:
                entry[2].append(data)


def leaves(markup: str, *, skip=()) -> list[str]:
    parser = Leaves()
    parser.feed(markup)
    return [text for text, ancestors in parser.found if text and not ancestors & set(skip)]


def page_text(markup: str) -> str:
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def pdf_text(pdf: bytes, footer_words: str) -> str:
    """The PDF's text without the running footer, so that a sentence that crosses a page break still reads whole."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        # A line that ends after a word's own hyphen ("bone-" / "strengthening") is one word, not two.
        text = squash(re.sub(r"(\w)-\n(\w)", r"\1-\2", page.extract_text()))
        text = re.sub(r"Page \d+ of \d+", " ", text.replace(footer_words, " ") if footer_words else text)
        pages.append(text)
    return squash(" ".join(pages))


def pdf_links(pdf: bytes) -> list[str]:
    links = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def footer(app) -> str:
    with app.app_context():
        return str(app.jinja_env.get_template("plan_words.html").module.footer)


def rich_document(content):
    """A person with something in every part of the plan: actions with notes, a done one, "Not sure" answers,
    safe things, a reason, a lifting limit, a phone number and an answer this release does not know."""
    from pwa.assessment import parse_assessment
    from pwa.plan import build

    profile = {"sites": ["spine"], "care_team_phone": PHONE, "name": "Ann", "lifting_limit": "2 kg"}
    everything = {"schema": 1, "id": "trial", "profile": profile, "done": {}}
    everything["answers"] = {item: {"answer": "fix"} for item in content.items}
    raised = next(a for a in build(content, parse_assessment(everything)).actions if a.reasons)
    items = [item for section in content.sections for item in section.items if item.only_when is None]
    items = [item for item in items if item.id != raised.item_id]
    fix, unsure, safe, done = [*items[0:6], content.items[raised.item_id]], items[6:8], items[8:12], items[12]
    # Notes without hyphens: the PDF may break a line after one, which reads back as "- ".
    answers = {item.id: {"answer": "fix", "note": f"Note on fix {n} <b>kept as text</b>"} for n, item in enumerate(fix)}
    answers |= {item.id: {"answer": "unsure", "note": f"Unsure about thing {n}"} for n, item in enumerate(unsure)}
    answers |= {item.id: {"answer": "ok"} for item in safe}
    # Every note counts (issue 9): on a "Looks safe" and on a "Doesn't apply" answer too.
    answers[safe[0].id] = {"answer": "ok", "note": "Rail checked by my son"}
    answers[items[13].id] = {"answer": "na", "note": "We have no garden path"}
    answers[done.id] = {"answer": "fix", "note": "Done with help from my son"}
    answers["gone.item-from-an-old-release"] = {"answer": "fix"}
    return {
        "schema": 1,
        "id": "layout",
        "profile": profile,
        "answers": answers,
        "done": {done.id: "2026-11-20"},
    }


def render_both(client, csrf_headers, content, doc):
    """The same plan as the page's fragment and as the PDF, and the plan itself."""
    from pwa.assessment import parse_assessment
    from pwa.plan import build

    fragment = client.post("/api/plan", json=doc, headers=csrf_headers)
    pdf = client.post("/plan.pdf", json=doc, headers=csrf_headers)
    assert fragment.status_code == 200 and pdf.status_code == 200
    return fragment.get_data(as_text=True), pdf.data, build(content, parse_assessment(doc))


@pytest.fixture()
def both(client, csrf_headers, content):
    return render_both(client, csrf_headers, content, rich_document(content))


EMPTY = {"schema": 1, "id": "empty", "profile": {}, "answers": {}, "done": {}}


# ---------------------------------------------------------------- the page and the PDF say the same


def test_the_plan_page_and_the_pdf_carry_the_same_sentences(app, content, both):
    markup, pdf, plan = both
    page, printed = page_text(markup), pdf_text(pdf, footer(app))
    assert plan.groups and plan.done and plan.unsure and plan.safe and plan.reasons and plan.unplaced

    expected = [content.red_flags.intro, PHONE, "Ann", "2 kg"]
    expected += [group.title for group in content.red_flags.groups]
    expected += [sign.text for group in content.red_flags.groups for sign in group.signs]
    for action in plan.actions:
        expected += [action.action, action.note, action.room]
    for entry in plan.done:
        expected += [entry.action.action, entry.action.note]
    expected += [entry.question for entry in plan.unsure] + [entry.note for entry in plan.unsure]
    expected += [question.text for question in plan.questions]
    expected += [basic.title for basic in plan.basics] + [basic.text for basic in plan.basics]
    expected += [precaution.action for precaution in plan.precautions]
    expected += list(plan.reasons)
    assert len(plan.other_notes) == 2
    expected += [entry.note for entry in plan.other_notes] + [entry.question for entry in plan.other_notes]
    for sentence in expected:
        sentence = squash(sentence)
        assert sentence in page, f"missing on the page: {sentence!r}"
        assert sentence in printed, f"missing in the PDF: {sentence!r}"
    assert "<b>kept as text</b>" in page and "<b>kept as text</b>" in printed


# What truly differs by medium, and nothing else: without a number or a lifting limit, paper leaves a line to
# write it on where the screen says where to type it; the screen has a button to call the emergency number (999 in
# the default place), which paper prints in the ambulance group's title. On screen, a skipped care-team number is
# offered again, and why some actions come first is folded behind a summary line. The warning signs can be read
# aloud on screen (the button, hidden where the device has no voice).
SCREEN_ONLY = {
    'Ask your care team how much you may lift, and write it in "About me".',
    "Call 999",
    "Read aloud",
    "Keep your care team's number here, ready for when you need it. Add it in About me",
    'Why some actions say "Important for you"',
}
PRINT_ONLY = {"Your care team's phone number:", "The most your care team says you may lift:"}


@pytest.mark.parametrize("which", ["rich", "empty"])
def test_every_line_of_the_page_is_in_the_pdf_and_every_line_of_the_pdf_on_the_page(
    app, client, csrf_headers, content, which
):
    """Beyond the list above: whatever either one says, the other says too, except what truly differs by medium
    (the page lists the safe things inside a fold; the PDF has its own title and page footer)."""
    doc = rich_document(content) if which == "rich" else EMPTY
    markup, pdf, plan = render_both(client, csrf_headers, content, doc)
    printed = pdf_text(pdf, footer(app))
    safe_things = {squash(question) for room in plan.safe for question in room.questions}
    for line in leaves(markup):
        if line in safe_things or line in SCREEN_ONLY:
            continue  # the fold of safe things is for the screen only
        assert line in printed, f"on the page but not in the PDF: {line!r}"

    with app.test_request_context():
        pdf_markup = app.jinja_env.get_template("pdf/plan.html").render(plan=plan, large=False)
    page = page_text(markup)
    for line in leaves(pdf_markup, skip={"doc-head", "margin-words"}):
        if line not in PRINT_ONLY:
            assert line in page, f"in the PDF but not on the page: {line!r}"


def test_one_voice_you(app, both):
    markup, pdf, _ = both
    for text in (page_text(markup), pdf_text(pdf, footer(app))):
        assert "My note" not in text and "I was not sure" not in text and "my care team says I" not in text
        assert "Your note:" in text and "Things you were not sure about" in text


# ---------------------------------------------------------------- the warning signs, everywhere


def test_the_warning_signs_are_the_same_on_every_page_and_paper(app, client, csrf_headers, content):
    doc = {"schema": 1, "id": "flags", "profile": {}, "answers": {}, "done": {}}
    words = footer(app)
    places = {
        "/red-flags page": page_text(client.get("/red-flags").get_data(as_text=True)),
        "plan page": page_text(client.post("/api/plan", json=doc, headers=csrf_headers).get_data(as_text=True)),
        "plan PDF": pdf_text(client.post("/plan.pdf", json=doc, headers=csrf_headers).data, words),
        "blank checklist PDF": pdf_text(client.get("/checklist.pdf").data, words),
    }
    sentences = [content.red_flags.intro]
    sentences += [group.title for group in content.red_flags.groups]
    sentences += [sign.text for group in content.red_flags.groups for sign in group.signs]
    for place, text in places.items():
        for sentence in sentences:
            assert squash(sentence) in text, f"{place} lacks {sentence!r}"


def test_the_warning_signs_come_first_in_both_pdfs(app, client, csrf_headers, content):
    doc = {"schema": 1, "id": "flags", "profile": {}, "answers": {}, "done": {}}
    first_sign = squash(content.red_flags.groups[0].signs[0].text)
    plan = pdf_text(client.post("/plan.pdf", json=doc, headers=csrf_headers).data, footer(app))
    checklist = pdf_text(client.get("/checklist.pdf").data, footer(app))
    assert plan.index(first_sign) < plan.index("What to do")
    assert checklist.index(first_sign) < checklist.index(squash(content.sections[0].title))


def test_without_a_number_paper_leaves_a_line_to_write_it_on(app, client, csrf_headers):
    doc = {"schema": 1, "id": "flags", "profile": {}, "answers": {}, "done": {}}
    markup = client.post("/api/plan", json=doc, headers=csrf_headers).get_data(as_text=True)
    assert 'class="care-team"' not in markup  # no empty line on the page: it offers to add the number instead
    assert 'href="/about-me#field-care_team_phone"' in markup
    text = pdf_text(client.post("/plan.pdf", json=doc, headers=csrf_headers).data, footer(app))
    assert "Your care team's phone number:" in text


# ---------------------------------------------------------------- one rule for a phone number


TEL_CASES = json.loads((Path(__file__).parent / "data" / "tel_cases.json").read_text())["cases"]


@pytest.mark.parametrize(("phone", "href"), TEL_CASES)
def test_tel_href_takes_the_number_the_person_means(app, phone, href):
    """The same table runs through red-flags.js in tests/browser/test_plan_page.py."""
    assert app.jinja_env.filters["tel_href"](phone) == href


def test_the_red_flags_page_carries_the_filters_own_rule(app, client):
    """red-flags.js applies the rule the page gives it: the filter's, not a copy."""
    page = client.get("/red-flags").get_data(as_text=True)
    rule = json.loads(html.unescape(re.search(r'data-tel-rule="([^"]*)"', page).group(1)))
    assert rule == app.jinja_env.globals["tel_rule"]()


def test_a_care_team_line_without_a_dialable_number_shows_the_text_without_a_link(client, csrf_headers):
    doc = {"schema": 1, "id": "flags", "profile": {"care_team_phone": "Ward 7"}, "answers": {}, "done": {}}
    markup = client.post("/api/plan", json=doc, headers=csrf_headers).get_data(as_text=True)
    # The only call link left is the emergency number's button.
    assert "Ward 7" in markup
    assert re.findall(r'href="(tel:[^"]*)"', markup) == ["tel:999"]


def test_the_plan_page_and_the_pdf_link_the_number_by_the_same_rule(app, content, both):
    markup, pdf, _ = both
    expected = app.jinja_env.filters["tel_href"](PHONE)
    # The page also has a button to call the emergency number, made by the same filter; paper has no button.
    emergency = app.jinja_env.filters["tel_href"](content.place.emergency_number)
    assert re.findall(r'href="(tel:[^"]*)"', markup) == [expected, emergency]
    assert pdf_links(pdf) == [expected]
