"""The plan and checklist PDFs (read back with pypdf), the restricted URL fetcher, and the plan's HTTP endpoints."""

import io
import json
import statistics
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader

from pwa.assessment import parse_assessment
from pwa.pdf import STATIC_DIR, FetchRefused, fetcher, plan_pdf, render_pdf
from pwa.plan import build

from .pdf_text import pages_text, text_of

A4 = (595, 842)
LETTER = (612, 792)
HOSTILE_NOTE = "<b>bold</b><script>alert(1)</script>"


# ---------------------------------------------------------------- helpers


def document(answers, profile=None, done=None):
    return {"schema": 1, "id": "pdf-test", "profile": profile or {}, "answers": answers, "done": done or {}}


def every_item_needs_fixing(content, note_length=500):
    note = ("The rail by the back step wobbles and the light is broken. " * 20)[:note_length]
    return document({item.id: {"answer": "fix", "note": note} for item in content.items.values()})


def make_plan_pdf(app, doc, paper="a4", large=False) -> bytes:
    with app.app_context():
        content = app.extensions["safesteps.content"]
        return plan_pdf(build(content, parse_assessment(doc)), paper, large)


def page_size(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return float(box.width), float(box.height)


def body_font_size(pdf: bytes) -> float:
    """The most common text size on the pages, in points, as drawn."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(round(abs(size * tm[3] * cm[3]), 1))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return statistics.mode(sizes)


def short(text: str, length: int = 30) -> str:
    return " ".join(text.split())[:length]


@pytest.fixture()
def watchman():
    """A local HTTP server that records every request it gets: nothing in a PDF may reach it."""
    hits = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------- the plan PDF


def test_red_flags_come_before_the_actions_and_actions_follow_urgency(app, content):
    low = next(i for i in content.items.values() if i.priority == "low" and i.only_when is None)
    medium = next(i for i in content.items.values() if i.priority == "medium" and i.only_when is None)
    high = next(i for i in content.items.values() if i.priority == "high" and i.only_when is None)
    doc = document(
        {
            low.id: {"answer": "fix", "note": "Note for the low one"},
            high.id: {"answer": "fix", "note": "Note for the high one"},
            medium.id: {"answer": "fix", "note": "Note for the medium one"},
        },
        profile={"care_team_phone": "0161 555 0100"},
    )
    text = text_of(make_plan_pdf(app, doc))
    first_sign = content.red_flags.groups[0].signs[0].text
    positions = [text.index(short(x)) for x in (first_sign, high.action, medium.action, low.action)]
    assert positions == sorted(positions)
    titles = [text.index(content.urgency_title(p)) for p in ("high", "medium", "low")]
    assert titles == sorted(titles) and titles[0] > positions[0]
    for level in ("high", "medium", "low"):
        assert f"Note for the {level} one" in text
    assert "0161 555 0100" in text and text.index("0161 555 0100") < positions[1]


def test_html_in_a_note_prints_as_literal_text(app, content):
    item = next(iter(content.items))
    text = text_of(make_plan_pdf(app, document({item: {"answer": "fix", "note": HOSTILE_NOTE}})))
    assert HOSTILE_NOTE in text


def test_name_and_date_only_when_typed(app, content):
    item = next(iter(content.items))
    named = text_of(make_plan_pdf(app, document({item: {"answer": "fix"}}, profile={"name": "Ann Example"})))
    assert "Ann Example" in named
    assert f"Made on {date.today().day} {date.today():%B %Y}" in named
    anonymous = text_of(make_plan_pdf(app, document({item: {"answer": "fix"}})))
    assert " for " not in anonymous.split("Made on", 1)[1][:40]


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
@pytest.mark.parametrize("large", [False, True])
def test_page_size_matches_the_choice(app, content, paper, size, large):
    width, height = page_size(make_plan_pdf(app, document({}), paper, large))
    assert abs(width - size[0]) <= 1 and abs(height - size[1]) <= 1


def test_large_print_is_larger(app, content):
    doc = every_item_needs_fixing(content, note_length=120)
    normal, large = make_plan_pdf(app, doc), make_plan_pdf(app, doc, large=True)
    assert body_font_size(normal) >= 11
    assert body_font_size(large) >= 16
    assert len(PdfReader(io.BytesIO(large)).pages) > len(PdfReader(io.BytesIO(normal)).pages)


def test_every_page_has_its_number_and_the_footer(app, content):
    pages = pages_text(make_plan_pdf(app, every_item_needs_fixing(content)))
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Not medical advice. Talk to your care team." in text


def test_a_reason_is_printed_once_not_under_every_action(app, content):
    doc = every_item_needs_fixing(content, note_length=0)
    doc["profile"] = {"screen": {"fallen": True}}
    text = " ".join(text_of(make_plan_pdf(app, doc)).split())
    reason = next(rule.because for rule in content.rules if rule.id == "recent-fall")
    assert text.count(" ".join(reason.split())) == 1
    assert text.count("Important for you") > 10


def test_long_notes_are_printed_whole(app, content):
    item = next(iter(content.items))
    note = "word " * 300 + "Averyveryverylongwordwithoutanyspacesthatmustwrapinsteadofbeingcutatthepageedge" * 2
    text = "".join(text_of(make_plan_pdf(app, document({item: {"answer": "fix", "note": note}}))).split())
    assert "".join(note.split()) in text


def test_done_actions_print_in_their_own_list(app, content):
    first, second = list(content.items)[:2]
    doc = document({first: {"answer": "fix"}, second: {"answer": "fix"}}, done={second: "2026-11-20"})
    text = text_of(make_plan_pdf(app, doc))
    done_at = text.index("Done on 20 November 2026")
    assert text.index(short(content.items[second].action)) > text.index(short(content.items[first].action))
    assert text.index(short(content.items[second].action)) > done_at - 200


def test_unplaced_answers_are_reported(app, content):
    text = text_of(make_plan_pdf(app, document({"attic.ladder": {"answer": "fix"}, "attic.rug": {"answer": "ok"}})))
    assert "2 answers from another version of SafeSteps could not be placed" in text


# ---------------------------------------------------------------- the blank checklist


@pytest.mark.xdist_group("checklist")
@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_blank_checklist_has_every_question_and_the_red_flags_first(content, paper, size):
    from .test_print import _checklist as printed_checklist  # rendered once for both files (and not circular)

    pdf = printed_checklist(paper, False)
    assert abs(page_size(pdf)[0] - size[0]) <= 1
    text = text_of(pdf)
    assert text.index(short(content.red_flags.groups[0].signs[0].text)) < text.index(short(content.sections[0].title))
    for item in content.items.values():
        assert short(item.question, 40) in text
    # Every page of questions has answer words beside its tick boxes (each question the words of its kind:
    # tests/test_print.py).
    question_pages = [page for page in pages_text(pdf) if "To fix:" in page]
    kinds = {item.kind for item in content.items.values()}
    for page in question_pages:
        assert any(all(label in page for label in content.kind_labels[kind].values()) for kind in kinds)
    for field in content.profile.text:
        # The name has its own line at the top of the first page, beside the date.
        assert short(field.label) in text if field.id != "name" else "Name:" in pages_text(pdf)[0]
    pages = pages_text(pdf)
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))


@pytest.mark.xdist_group("checklist")
def test_large_print_checklist_is_larger():
    from .test_print import _checklist as printed_checklist

    normal, large = printed_checklist("a4", False), printed_checklist("a4", True)
    assert body_font_size(large) >= 16 > body_font_size(normal) >= 11


# ---------------------------------------------------------------- nothing is fetched


def test_notes_that_name_urls_or_files_fetch_nothing(app, content, watchman):
    base, hits = watchman
    notes = [
        "file:///etc/passwd",
        f"{base}/note-url",
        f'<img src="{base}/img">',
        f'<link rel=stylesheet href="{base}/sheet.css">',
        f"<style>body {{ background: url({base}/css-url) }}</style>",
        f"<div style=\"background-image: url('{base}/inline')\">x</div>",
        '<img src="file:///etc/passwd">',
    ]
    items = list(content.items)
    text = text_of(
        make_plan_pdf(app, document({items[n]: {"answer": "fix", "note": note} for n, note in enumerate(notes)}))
    )
    assert hits == []
    assert "root:x:0:0" not in text
    assert f'<img src="{base}/img">' in text  # shown as the text typed


def test_the_renderer_fetches_nothing_even_from_raw_html(watchman):
    base, hits = watchman
    html = f"""<!doctype html><html><head>
      <link rel="stylesheet" href="{base}/sheet.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      <style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png) }}</style>
      </head><body><p>Hello</p><img src="{base}/img.png"><img src="file:///etc/passwd">
      <img src="../pwa/__init__.py"><object data="{base}/object"></object></body></html>"""
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert hits == []


def test_fetcher_serves_a_real_static_file():
    url = fetcher().base_url + "css/pdf.css"
    response = fetcher()(url)
    assert response.content_type == "text/css"
    assert response.read() == (STATIC_DIR / "css" / "pdf.css").read_bytes()
    response.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.com/x.css",
        "data:text/css,body{color:red}",
        "ftp://example.com/x",
    ],
)
def test_fetcher_refuses_other_schemes_and_files(url):
    with pytest.raises(FetchRefused):
        fetcher()(url)


def test_fetcher_refuses_paths_that_climb_out_of_static():
    base = fetcher().base_url
    for escape in ("../pwa/__init__.py", "css/../../pyproject.toml", "%2e%2e/pyproject.toml"):
        with pytest.raises(FetchRefused):
            fetcher()(base + escape)
    with pytest.raises(FetchRefused):
        fetcher()(base + "css/no-such-file.css")


def test_fetcher_refuses_a_symlink_out_of_static(tmp_path):
    from pwa.pdf import StaticOnlyFetcher

    (tmp_path / "static").mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "static" / "link.css").symlink_to(tmp_path / "secret.txt")
    guarded = StaticOnlyFetcher(tmp_path / "static")
    with pytest.raises(FetchRefused):
        guarded(guarded.base_url + "link.css")


# ---------------------------------------------------------------- HTTP


def test_plan_page_is_one_shell_for_everyone(client):
    response = client.get("/plan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-page="plan"' in page and "data-download-pdf" in page and "data-reminder-date" in page
    assert "<script>" not in page and " style=" not in page and "onclick" not in page


def test_summary_links_to_the_plan(client):
    assert 'href="/plan"' in client.get("/summary").get_data(as_text=True)


def test_api_plan_returns_the_fragment_with_notes_escaped(client, csrf_headers, content):
    item = first = next(iter(content.items.values()))
    response = client.post(
        "/api/plan",
        json=document({first.id: {"answer": "fix", "note": HOSTILE_NOTE}}, profile={"name": "Ann"}),
        headers=csrf_headers,
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert f'data-action="{item.id}"' in html and f'data-done="{item.id}"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert " style=" not in html and "onclick" not in html


def test_plan_pdf_needs_the_csrf_token(client, content):
    response = client.post("/plan.pdf", json=document({}))
    assert response.status_code == 400 and response.get_json()["error"] == "csrf"


@pytest.mark.parametrize(("query", "size"), [("", A4), ("?paper=letter", LETTER), ("?paper=a4&large=1", A4)])
def test_plan_pdf_download(client, csrf_headers, content, query, size):
    item = next(iter(content.items))
    response = client.post(f"/plan.pdf{query}", json=document({item: {"answer": "fix"}}), headers=csrf_headers)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="safesteps-plan-')
    assert response.data.startswith(b"%PDF")
    assert abs(page_size(response.data)[1] - size[1]) <= 1


def test_plan_pdf_refuses_an_unknown_paper(client, csrf_headers):
    response = client.post("/plan.pdf?paper=legal", json=document({}), headers=csrf_headers)
    assert response.status_code == 400 and "paper" in response.get_json()["message"]


@pytest.mark.parametrize("url", ["/plan.pdf", "/api/plan"])
def test_malformed_json_is_a_clear_400(client, csrf_headers, url):
    response = client.post(url, data="{not json", content_type="application/json", headers=csrf_headers)
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad-assessment" and response.get_json()["message"]
    wrong = client.post(url, json={"answers": {"x.y": {"answer": "maybe"}}}, headers=csrf_headers)
    assert wrong.status_code == 400 and "answers" in wrong.get_json()["message"]


@pytest.mark.parametrize("url", ["/plan.pdf", "/api/plan"])
def test_an_oversized_assessment_is_a_clear_413(client, csrf_headers, url):
    body = json.dumps(document({f"room.item-{n}": {"answer": "fix", "note": "x" * 1900} for n in range(200)}))
    assert len(body) > 256 * 1024
    response = client.post(url, data=body, content_type="application/json", headers=csrf_headers)
    assert response.status_code == 413
    assert "too large" in response.get_json()["message"]


def test_the_server_does_not_log_what_it_was_sent(client, csrf_headers, content, caplog):
    caplog.set_level("DEBUG")
    item = next(iter(content.items))
    secret = "Note-only-the-patient-should-see-4711"
    doc = document(
        {item: {"answer": "fix", "note": secret}, "attic.x": {"answer": "fix", "note": secret}},
        profile={"name": secret},
    )
    assert client.post("/plan.pdf", json=doc, headers=csrf_headers).status_code == 200
    assert client.post("/api/plan", json=doc, headers=csrf_headers).status_code == 200
    assert secret not in caplog.text


@pytest.mark.parametrize(("query", "size"), [("", A4), ("?paper=letter&large=1", LETTER)])
def test_checklist_pdf_download(client, query, size):
    response = client.get(f"/checklist.pdf{query}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert abs(page_size(response.data)[0] - size[0]) <= 1
