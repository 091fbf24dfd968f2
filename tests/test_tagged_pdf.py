"""Every PDF is tagged PDF/UA-1 (issue 19.14): its structure tree, read back with pikepdf, holds the document's
headings and lists in reading order, with the language, the title shown as the window title, and alternative
text on every image (the hand-off QR code, the OT report's photos)."""

import io
import re
from functools import cache

import pikepdf
import pytest

from pwa import create_app
from pwa.assessment import parse_assessment
from pwa.handoff import fits_top_corner, printed_mm, qr_for, qr_svg
from pwa.pdf import checklist_pdf, plan_with_handoff_pdf, summary_pdf
from pwa.pdf.documents import checklist_html, plan_html, summary_html
from pwa.plan import build

from .test_ot_report import follow_up, jpeg, post_report


@cache
def tagging_app():
    return create_app({"TESTING": True, "PDF_PROCESSES": 0})  # renders in this process, as in tests/conftest.py


def structure(pdf: bytes) -> tuple[pikepdf.Pdf, list[pikepdf.Dictionary]]:
    """The PDF and its structure elements, depth first: the order a screen reader reads them in."""
    document = pikepdf.open(io.BytesIO(pdf))
    found = []

    def walk(element):
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                walk(kid)

    walk(document.Root.StructTreeRoot)
    return document, found


def html_outline(html: str) -> tuple[list[str], int]:
    """The headings' levels in the order the HTML has them ("/H1", "/H2"...), and how many lists it has."""
    body = html.split("<body", 1)[1]
    return [f"/H{level}" for level in re.findall(r"<h([1-6])\b", body)], len(re.findall(r"<(?:ul|ol|dl)\b", body))


def assert_tagged(pdf: bytes, htmls: list[str], title: str) -> tuple[pikepdf.Pdf, list[pikepdf.Dictionary]]:
    document, elements = structure(pdf)
    root = document.Root
    assert str(root.Lang) == "en"
    assert root.MarkInfo.Marked and root.ViewerPreferences.DisplayDocTitle
    assert str(document.docinfo.Title) == title
    assert "PDF/UA" in str(document.open_metadata()) or "pdfuaid" in str(document.Root.Metadata.read_bytes())
    # Every heading of the page, in reading order and at its level (of the one HTML rendered, when a document
    # is tried in several lengths until one fits); every list a list (L) with its items (LI).
    found = [str(e.S) for e in elements if re.fullmatch(r"/H[1-6]", str(e.S))]
    headings, lists = next((outline for outline in map(html_outline, htmls) if outline[0] == found), ([], 0))
    assert headings == found
    assert headings[0] == "/H1"
    # (A list that runs on to the next page is two lists there, one per page.)
    assert sum(1 for e in elements if e.S == "/L") >= lists > 0
    assert all(any(kid.get("/S") == "/LI" for kid in e.K) for e in elements if e.S == "/L")
    # Boxes, rules and backgrounds are drawn as artifacts, outside the structure a screen reader reads.
    marked = [
        operands for operands, operator in pikepdf.parse_content_stream(document.pages[0]) if str(operator) == "BMC"
    ]
    assert any(str(operands[0]) == "/Artifact" for operands in marked)
    # Every image has its alternative text.
    figures = [e for e in elements if e.S == "/Figure"]
    assert all(str(e.get("/Alt", "")).strip() for e in figures)
    return document, elements  # the elements live as long as their document


@cache
def small_plan():
    app = tagging_app()
    content = app.extensions["safesteps.content"]
    doc = {
        "schema": 1,
        "answers": {item_id: {"answer": "fix"} for item_id in list(content.items)[::6]},
        "profile": {"care_team_phone": "0161 446 3658"},
    }
    return build(content, parse_assessment(doc))


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_the_plan_with_its_qr_code_is_tagged(large):
    app = tagging_app()
    with app.test_request_context():
        plan = small_plan()
        svg = qr_svg(qr_for("http://localhost/handoff#abc.def"))
        pdf = plan_with_handoff_pdf(plan, "a4", large, handoff=(svg, True), notes_kept_by_ot=False)
        html = plan_html(
            plan,
            large,
            handoff_qr="render:handoff-qr.svg",
            handoff_with_notes=True,
            handoff_qr_top=fits_top_corner(svg),  # a small code: in the top corner of page one
            handoff_qr_mm=printed_mm(svg),
        )
    _, elements = assert_tagged(pdf, [html], "SafeSteps action plan")
    (qr,) = [e for e in elements if e.S == "/Figure"]
    assert "QR code" in str(qr.Alt)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_the_summary_is_tagged(large):
    app = tagging_app()
    with app.test_request_context():
        plan = small_plan()
        pdf = summary_pdf(plan, "a4", large)
        htmls = [summary_html(plan, large, count) for count in range(6)]
    assert_tagged(pdf, htmls, "SafeSteps summary")


def test_the_blank_checklist_is_tagged():
    app = tagging_app()
    content = app.extensions["safesteps.content"]
    with app.test_request_context():
        pdf = checklist_pdf(content, "a4", False)
        html = checklist_html(content, False)
    _, elements = assert_tagged(pdf, [html], "SafeSteps checklist")
    # The fall-risk screen and "My plan" are tables, with their header cells.
    assert sum(1 for e in elements if e.S == "/Table") >= 2 and any(e.S == "/TH" for e in elements)


def test_the_ot_report_is_tagged_with_its_photo_described(client, csrf_headers, content):
    document, items = follow_up(content)
    response = post_report(client, csrf_headers, document, [(f"photo:{items[1].id}", jpeg())])
    assert response.status_code == 200
    pdf = response.data
    document, elements = structure(pdf)
    assert str(document.Root.Lang) == "en"
    headings = [str(e.S) for e in elements if re.fullmatch(r"/H[1-6]", str(e.S))]
    assert headings[0] == "/H1" and "/H2" in headings and "/H3" in headings
    assert any(e.S == "/L" for e in elements)
    (photo,) = [e for e in elements if e.S == "/Figure"]
    assert str(photo.Alt).startswith("Photo:")
