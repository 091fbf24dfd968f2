"""Paper handouts (issue 11): the blank checklist complete on paper, the one-page summary, the /print page, and
notes in any script, read back from the PDFs with pypdf."""

import io
import re
from functools import cache, lru_cache

import pytest
from pypdf import PdfReader

from pwa import create_app
from pwa.pdf import checklist_pdf

from .test_pdf import pages_text, short, text_of

SIZES = [("a4", False), ("a4", True), ("letter", False), ("letter", True)]
# The most pages the blank checklist may take, per paper and print size (the issue: at most 10 A4 pages).
MAX_PAGES = {("a4", False): 10, ("letter", False): 12, ("a4", True): 21, ("letter", True): 23}
FOOTER_PT = 9  # the running footer and page numbers, in the page margin


@lru_cache(maxsize=1)
def render_app():
    # One app for every render here: each PDF is made once and read by several tests.
    return create_app({"TESTING": True})


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
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((round(abs(size * tm[3] * cm[3]), 1), text))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return found


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
    *_, pdf = checklist
    pages = pages_text(pdf)
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
    assert f"If it is less than {screen.threshold}: {short(screen.lower_risk, 40)}" in text


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
    # Large print: the questions and fixes at 16pt or more (the warning signs are smaller, to stay on one page).
    assert min(size for size, text in large if "To fix:" in text) >= 16
