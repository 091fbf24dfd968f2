"""Paper handouts (issue 11): the blank checklist complete on paper, the one-page summary, the /print page, and
notes in any script, read back from the PDFs with pypdf."""

import io
import json
import re
import statistics
from datetime import date
from functools import cache, lru_cache

import pytest
from pypdf import PdfReader

from pwa import create_app
from pwa.__main__ import main as cli_main
from pwa.assessment import Profile, parse_assessment
from pwa.pdf import checklist_pdf, plan_pdf, summary_pdf
from pwa.pdf.documents import SUMMARY_LETTERS, SUMMARY_LETTERS_LARGE, fit
from pwa.personalise import personalise
from pwa.plan import build

from .pdf_text import pages_text, text_of
from .test_pdf import short

SIZES = [("a4", False), ("a4", True), ("letter", False), ("letter", True)]
# The most pages the blank checklist may take, per paper and print size (the issue: at most 10 A4 pages).
# The blank checklist prints every item, also those shown only for some answers (a wheelchair, living alone):
# issue 16 added 19 of them, hence two pages more in normal print and three in large.
# Issue 19 enlarged the warning signs in large print to the actions' size (a page of their own became four).
# Issue 19.13 gave each question's answer boxes a line of their own, with the words of its kind: three pages
# more in normal print, two in large.
MAX_PAGES = {("a4", False): 15, ("letter", False): 15, ("a4", True): 28, ("letter", True): 30}
FOOTER_PT = 9  # the running footer and page numbers, in the page margin


# The blank checklists rendered here are read by tests/test_pdf.py too: one worker renders each size once.
pytestmark = pytest.mark.xdist_group("checklist")


@lru_cache(maxsize=1)
def render_app():
    # One app for every render here: each PDF is made once and read by several tests. It renders in this
    # process (PDF_PROCESSES=0, as tests/conftest.py says why): no renderer process to start and warm up.
    return create_app({"TESTING": True, "PDF_PROCESSES": 0})


@cache
def _checklist(paper, large) -> bytes:
    app = render_app()
    with app.app_context():
        return checklist_pdf(app.extensions["safesteps.content"], paper, large)


@pytest.fixture(params=SIZES, ids=lambda size: f"{size[0]}-{'large' if size[1] else 'normal'}")
def checklist(request):
    paper, large = request.param
    return paper, large, _checklist(paper, large)


def text_sizes(pdf: bytes) -> list[tuple[float, str]]:
    """Every piece of text drawn, with its size in points."""
    return list(_text_sizes(pdf))


@lru_cache(maxsize=8)
def _text_sizes(pdf: bytes) -> tuple[tuple[float, str], ...]:
    # Read once per PDF (pypdf is slow on a long one): several tests measure the same large-print checklist.
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((round(abs(size * tm[3] * cm[3]), 1), text))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return tuple(found)


def one_page_holds(pages: list[str], *parts: str) -> bool:
    return any(all(part in page for part in parts) for page in pages)


def warning_signs_parts(content) -> list[str]:
    parts = [short(content.red_flags.intro)]
    for group in content.red_flags.groups:
        parts.append(short(group.title, 25))
        parts += [short(sign.text, 25) for sign in group.signs]
    return parts


# ---------------------------------------------------------------- the blank checklist


def test_checklist_page_counts(checklist):
    paper, large, pdf = checklist
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"checklist {paper} {'large' if large else 'normal'}: {pages} pages, {len(pdf) // 1024} kB")
    assert pages <= MAX_PAGES[(paper, large)]


def test_checklist_warning_signs_are_on_one_page_with_a_line_for_the_number(checklist, content):
    _, large, pdf = checklist
    pages = pages_text(pdf)
    if large:  # as large as the questions, they run over pages of their own, in order
        text = " ".join(pages)
        parts = [*warning_signs_parts(content), "Your care team's phone number:"]
        assert all(part in text for part in parts)
        assert text.index(parts[0]) < text.index(short(content.red_flags.groups[-1].signs[-1].text, 25))
    else:
        assert one_page_holds(pages, *warning_signs_parts(content), "Your care team's phone number:")


def test_checklist_has_name_date_about_me_and_the_screen_with_its_scoring(checklist, content):
    *_, pdf = checklist
    text = text_of(pdf)
    assert "Name:" in text and "Date:" in text
    profile = content.profile
    for option in profile.sites.options + profile.walking_aid.options:
        assert option.label in text
    for question in profile.yes_no:
        assert short(question.question) in text
    screen = profile.screen
    for question in screen.questions:
        assert short(question.text, 40) in text
    # How to add it up, with the points and threshold of the content, not numbers of the template's own.
    assert "Add up the points for each Yes." in text
    assert f"out of {sum(q.points for q in screen.questions)}" in text
    assert f"If your total is {screen.threshold} or more: {short(screen.higher_risk, 40)}" in text
    # STEADI: a yes to a key question means "at risk" whatever the total, said before the lower-risk words.
    assert f"whatever your total: {short(screen.key_risk, 40)}" in text
    assert f"Otherwise, if your total is less than {screen.threshold}: {short(screen.lower_risk, 40)}" in text


def test_checklist_has_every_room_a_plan_page_and_questions_for_the_care_team(checklist, content):
    *_, pdf = checklist
    pages = pages_text(pdf)
    text = " ".join(pages)
    for section in content.sections:
        assert section.title in text
    for item in content.items.values():
        assert short(item.question, 40) in text and short(item.action, 40) in text
    last = pages[-1]
    for heading in ("My plan", "What to fix first", "Who will do it", "By when", "Done", "Questions for my care team"):
        assert heading in last


def text_lines(pdf: bytes) -> list[list[tuple[float, str]]]:
    """Per page, every piece of text drawn with the height of its baseline on the page (points from the bottom)."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                found.append((round(cm[5] + tm[5] * cm[3], 1), text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def test_checklist_answer_words_match_each_kind_of_item_with_room_for_a_pen(checklist, content):
    """As on the app's buttons: "Yes / Not yet" for a habit, "Looks safe / Needs fixing" for a hazard (issue
    19.13). Each question's boxes are on a line of their own, far enough from the lines around it that a tick
    made with a pen does not land on the next row; under each room, a line for notes."""
    _, large, pdf = checklist
    text = text_of(pdf)
    kinds = {item.kind for item in content.items.values()}
    assert len(kinds) >= 2
    for item in content.items.values():
        question = short(item.question, 40)
        after = text[text.index(question) :].split("To fix:", 1)[0]
        labels = content.labels_for(item)
        assert all(label in after for label in labels.values()), item.id
        others = {label for kind in kinds for label in content.kind_labels[kind].values()} - set(labels.values())
        assert not any(label in after.replace(question, "") for label in others if len(label) > 3), item.id
    assert text.count("Notes:") == len(content.sections)

    gaps = []
    for page in text_lines(pdf):
        heights = sorted({y for y, _ in page}, reverse=True)
        for y, drawn in page:
            if drawn in ("Needs fixing", "Not yet"):
                index = heights.index(y)
                gaps += [heights[index - 1] - y] if index else []
                gaps += [y - heights[index + 1]] if index + 1 < len(heights) else []
    # 5 mm boxes (7 mm in large print) with about 1 mm or more to spare above and below.
    assert gaps and min(gaps) >= (24 if large else 17), min(gaps)


def test_checklist_speaks_of_paper_not_of_the_app(checklist):
    *_, pdf = checklist
    text = text_of(pdf).lower()
    for word in (r"tap(s|ped|ping)?", r"apps?", r"click\w*", r"screens?", r"buttons?", r"download\w*", r"online"):
        assert not re.search(rf"\b{word}\b", text), word


def test_checklist_body_text_is_at_least_11pt_in_normal_print():
    sizes = text_sizes(_checklist("a4", False))
    too_small = {text for size, text in sizes if size < 11 and size != FOOTER_PT}
    assert not too_small
    large = text_sizes(_checklist("a4", True))
    # Large print: the questions and fixes at 16pt or more, and the warning signs as large (issue 19.2).
    assert min(size for size, text in large if "To fix:" in text) >= 16
    signs = [
        sign.text for group in render_app().extensions["safesteps.content"].red_flags.groups for sign in group.signs
    ]
    sizes = sign_sizes(_checklist("a4", True), signs)
    assert len(sizes) >= len(signs) and min(sizes) >= min(size for size, text in large if "To fix:" in text)


# ---------------------------------------------------------------- the one-page summary

LONG_NOTE = ("The rail by the back step wobbles and the bulb on the landing has gone again. " * 10)[:500]


def hard_case(content) -> dict:
    """Every item "Needs fixing" with a long note, a long name and a long number: the most a page must hold."""
    return {
        "schema": 1,
        "profile": {"care_team_phone": "+44 20 7946 0958 (24-hour line)", "name": "Maria Papadopoulou-Smythe"},
        "answers": {item_id: {"answer": "fix", "note": LONG_NOTE} for item_id in content.items},
    }


@cache
def _summary(paper, large, case="hard") -> bytes:
    app = render_app()
    content = app.extensions["safesteps.content"]
    doc = hard_case(content) if case == "hard" else {"schema": 1, "answers": {}}
    with app.app_context():
        return summary_pdf(build(content, parse_assessment(doc)), paper, large)


@pytest.mark.parametrize(("paper", "large"), SIZES)
def test_summary_is_always_one_page(paper, large, content):
    pdf = _summary(paper, large)
    pages = pages_text(pdf)
    print(f"summary {paper} {'large' if large else 'normal'}: {len(pages)} page, {len(pdf) // 1024} kB")
    assert len(pages) == 1
    page = pages[0]
    # The short "Call now" lists (the ambulance group and every group to call about now), the numbers, and where
    # the full list is; the signs to tell the care team about today are left to the plan.
    assert all(title in page for title in content.red_flags.call_now.values())
    for group in content.red_flags.groups:
        for sign in group.signs:
            assert (bool(sign.short) and sign.short in page) == (group.level != "soon"), sign.id
            assert short(sign.text, 40) not in page
    assert "The full list of warning signs is in your plan." in page
    assert f"Emergency: {content.place.emergency_number}" in page
    assert "+44 20 7946 0958" in page
    assert date.today().strftime("%B %Y") in page and "Maria Papadopoulou-Smythe" in page
    # Everything needs fixing: the "stop" and "know" items come first ("Start today"), before "Do this week".
    assert content.today.title in page
    # The first few actions, at least one, and no more than five; the rest is counted, not printed.
    shown = page.count("Who:")
    assert 1 <= shown <= 5
    # Every item shown to this person needs fixing; items for other answers (a wheelchair, living alone) are not shown.
    actions = sum(1 for view in personalise(content, Profile()).items.values() if view.shown)
    assert f"{actions - shown} more things to do are in your full plan." in page


def test_summary_prints_the_care_team_number_large():
    sizes = text_sizes(_summary("a4", False))
    number = max(size for size, text in sizes if "7946" in text)
    assert number >= 18
    assert number > 1.5 * statistics.mode(size for size, text in sizes if "Who:" in text)


def sign_sizes(pdf: bytes, texts) -> list[float]:
    """The sizes the given sign texts are drawn at (each found by its first words)."""
    starts = {" ".join(text.split()[:2]) for text in texts}
    return [size for size, drawn in text_sizes(pdf) if any(drawn.strip().startswith(start) for start in starts)]


def action_sizes(pdf: bytes, plan) -> list[float]:
    starts = {" ".join(action.action.split()[:3]) for action in plan.actions}
    return [size for size, drawn in text_sizes(pdf) if any(drawn.strip().startswith(start) for start in starts)]


@pytest.mark.parametrize(("paper", "large"), SIZES)
def test_summary_call_now_list_reads_from_a_metre_away(paper, large, content):
    """The short signs at 14pt or more (16 in large print), never smaller than the actions under them."""
    pdf = _summary(paper, large)
    shorts = [sign.short for group in content.red_flags.groups for sign in group.signs if sign.short]
    sizes = sign_sizes(pdf, shorts)
    actions = action_sizes(pdf, build(content, parse_assessment(hard_case(content))))
    print(f"summary {paper} {'large' if large else 'normal'}: signs {min(sizes)}pt, actions {set(actions)}pt")
    assert len(sizes) >= len(shorts) and min(sizes) >= (16 if large else 14)
    assert actions and min(sizes) >= max(actions)
    # A note cut to fit ends at a whole word, and is printed whole: never cut again by the page ("On…").
    letters = SUMMARY_LETTERS_LARGE if large else SUMMARY_LETTERS
    assert fit(LONG_NOTE, letters["note"]) in " ".join(pages_text(pdf))


def test_summary_with_nothing_to_fix_leaves_a_line_for_the_number():
    page = pages_text(_summary("letter", True, case="empty"))
    assert len(page) == 1 and "Your care team's phone number:" in page[0] and "Nothing needs fixing yet." in page[0]


def test_summary_download_and_command_line(client, csrf_headers, content, tmp_path):
    response = client.post("/summary.pdf?paper=letter&large=1", json=hard_case(content), headers=csrf_headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="safesteps-summary-' in response.headers["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1
    assert client.post("/summary.pdf", json=hard_case(content)).status_code in (400, 403)  # no CSRF token

    source, output = tmp_path / "a.json", tmp_path / "fridge.pdf"
    source.write_text(json.dumps(hard_case(content)))
    assert cli_main(["plan", str(source), "--summary", "-o", str(output), "--paper", "letter"]) == 0
    reader = PdfReader(output)
    assert len(reader.pages) == 1 and abs(float(reader.pages[0].mediabox.width) - 612) <= 1


# ---------------------------------------------------------------- easy to find


def test_home_page_leads_to_the_print_page_and_it_to_every_paper(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/print"' in home and "Print a paper copy" in home
    page = client.get("/print").get_data(as_text=True)
    for query in ("paper=a4", "paper=a4&amp;large=1", "paper=letter", "paper=letter&amp;large=1"):
        assert f'href="/checklist.pdf?{query}"' in page
    assert 'href="/plan#print-title"' in page
    plan_page = client.get("/plan").get_data(as_text=True)
    assert "data-download-summary" in plan_page
    # An argument-free page of the plan blueprint: the service worker keeps it for offline use.
    assert '"/print"' in client.get("/sw.js").get_data(as_text=True)


# ---------------------------------------------------------------- any script prints

SCRIPTS = {
    "Latin": "Café: señal rota",
    "Greek": "Η λάμπα χάλασε",
    "Cyrillic": "Сломана лампа",
    "Arabic": "المصباح مكسور",
    "Hebrew": "המנורה שבורה",
    "Chinese": "后门台阶的扶手松了",
    "Japanese": "階段の電球が切れた",
    "emoji": "🏠💡",
}


def fonts_in(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font", {})
        names |= {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    return names


def test_notes_in_any_script_are_drawn_with_real_fonts(content):
    app = render_app()
    items = [item.id for item in content.items.values() if item.only_when is None]  # shown to everyone
    doc = {
        "schema": 1,
        "answers": {items[n]: {"answer": "fix", "note": note} for n, note in enumerate(SCRIPTS.values())},
    }
    with app.app_context():
        plan = build(content, parse_assessment(doc))
        plan_doc = plan_pdf(plan)
    fonts = fonts_in(plan_doc)
    print(f"plan with notes in {len(SCRIPTS)} scripts: {len(plan_doc) // 1024} kB, fonts {sorted(fonts)}")
    assert any("CJK" in name for name in fonts), fonts
    assert any("Emoji" in name for name in fonts), fonts
    assert any("Arabic" in name for name in fonts) and any("Hebrew" in name for name in fonts), fonts
    text = text_of(plan_doc)
    for script in ("Latin", "Greek", "Cyrillic", "Chinese", "Japanese"):
        assert SCRIPTS[script] in text, script
    assert "🏠" in text
    # Fonts are subset: only the glyphs used are embedded, so the PDF stays small (Noto CJK alone is 20 MB).
    assert len(plan_doc) < 400 * 1024


@pytest.mark.parametrize(("paper", "large"), SIZES)
def test_the_plan_pdf_keeps_the_warning_signs_whole_on_its_first_page(paper, large, content):
    """Normal print: the whole box on page one. Large print: the signs as large as the actions (issue 19.2),
    on the first pages, before the first action; normal print keeps them readable (10pt or more)."""
    app = render_app()
    doc = {"schema": 1, "answers": {item_id: {"answer": "fix"} for item_id in list(content.items)[::5]}}
    with app.app_context():
        plan = build(content, parse_assessment(doc))
        pdf = plan_pdf(plan, paper, large)
    pages = pages_text(pdf)  # read once: pypdf takes about a second per reading of the whole PDF
    if large:
        text = " ".join(pages)
        first_action = short(plan.actions[0].action, 25)
        assert all(
            part in text and text.index(part) < text.index(first_action) for part in warning_signs_parts(content)
        )
    else:
        assert all(part in pages[0] for part in warning_signs_parts(content))
    signs = sign_sizes(pdf, [sign.text for group in content.red_flags.groups for sign in group.signs])
    actions = action_sizes(pdf, plan)
    print(
        f"plan {paper} {'large' if large else 'normal'}: {len(pages)} pages, signs {set(signs)}pt, actions {set(actions)}pt"
    )
    assert min(signs) >= (max(actions) if large else 10) and (not large or min(signs) >= 16)
