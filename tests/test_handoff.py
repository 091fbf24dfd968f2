"""The hand-off: reading, checking and signing the links the browser makes, the QR code on the printed plan,
and the renderer's per-render allow-list."""

import base64
import copy
import json
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

# zxing-cpp is in the test extra that scripts/test installs: without it this file fails to import, never skips.
import zxingcpp

from pwa.assessment import parse_assessment, to_document
from pwa.example import example_assessment
from pwa.handoff import ANSWER_CODES, ITEM_ORDER, LINK_MAX_CHARS, SIGNATURE_CHARS, as_handed_off, signature
from pwa.pdf import FetchRefused, RenderFetcher, render_pdf
from pwa.personalise import personalise
from pwa.views.plan import HANDOFF_HEADER

from .pdf_text import pages_text, text_of


def need_decoder():
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm is missing: scripts/setup test installs poppler-utils")


def visit_document(content, notes=True, note_length=60):
    document = example_assessment(content.version)
    document["visit"].update(client="Ann Example", client_id="client-1", assessor="Sam OT", date="2026-11-25")
    # Every item this person is shown (the example: spine and hip, a stick), as a whole-home visit answers them.
    views = personalise(content, parse_assessment(document).profile).items
    items = [i.id for s in content.sections for i in s.items if views[i.id].shown]
    values = ["fix", "ok", "unsure", "na"]
    document["answers"] = {
        item_id: {"answer": values[n % 4], "note": (f"Note {n}: " + "x" * note_length) if notes else "", "at": None}
        for n, item_id in enumerate(items)
    }
    return document


def decode_qr_from_pdf(pdf: bytes, tmp_path: Path) -> list[str]:
    from PIL import Image

    (tmp_path / "plan.pdf").write_bytes(pdf)
    # Grey pages, uncompressed (PGM): what the scanner reads, at the same 150 dpi. Compressing every page to PNG
    # took some 20 times as long as the rasterising itself.
    subprocess.run(["pdftoppm", "-r", "150", "-gray", str(tmp_path / "plan.pdf"), str(tmp_path / "page")], check=True)
    found = []
    for page in sorted(tmp_path.glob("page*.pgm")):
        found += [r.text for r in zxingcpp.read_barcodes(Image.open(page)) if r.format == zxingcpp.BarcodeFormat.QRCode]
    return found


def link_of(document) -> str:
    """A fragment as the browser's handoff.js makes one (it is the one author; this is a test's own link)."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(text) + packer.flush()).rstrip(b"=").decode()


def positional_link_of(document) -> str:
    """A format 2 link as handoff.js writes one: the answers as codes in ITEM_ORDER, notes and recommendations
    by item id, and the other fields left at their defaults dropped."""
    codes = {value: code for code, value in ANSWER_CODES.items() if value}
    answers = document["answers"]
    written = {k: v for k, v in document.items() if k != "answers" and v not in ("", None, [], {})}
    written["visit"] = {k: v for k, v in document["visit"].items() if v not in ("", None, False)}
    written["profile"] = {k: v for k, v in document["profile"].items() if v not in ("", None, [], {})}
    notes = {i: saved["note"] for i, saved in answers.items() if saved.get("note")}
    recommendations = {i: saved["ot"]["recommendation"] for i, saved in answers.items() if saved.get("ot")}
    written = {
        "handoff": 2,
        **written,
        "answer_codes": "".join(codes.get(answers.get(i, {}).get("answer"), "-") for i in ITEM_ORDER).rstrip("-"),
        **({"notes": notes} if notes else {}),
        **({"recommendations": recommendations} if recommendations else {}),
    }
    return link_of(written)


def handed_off(document: dict, *, with_notes: bool = True, without_na: bool = False) -> dict:
    """The document a hand-off link carries: what a real one blanks, and optionally its smaller tiers."""
    handed = to_document(as_handed_off(parse_assessment(document)))
    # Like handoff.js, a link leaves out an answer's empty OT advice.
    handed["answers"] = {
        item_id: {
            **{k: v for k, v in saved.items() if not (k == "ot" and v is None)},
            "note": saved["note"] if with_notes else "",
        }
        for item_id, saved in handed["answers"].items()
        if not (without_na and saved["answer"] == "na" and not (with_notes and saved["note"]))
    }
    # ... and a visit's empty fields (the assessor's role and contact).
    handed["visit"] = {k: v for k, v in handed["visit"].items() if not (k in ("role", "contact") and v == "")}
    if not with_notes:
        handed["visit"]["notes_kept_by_ot"] = True
    return handed


def post_plan(client, csrf_headers, document, link=None):
    headers = {**csrf_headers, HANDOFF_HEADER: link} if link else csrf_headers
    return client.post("/plan.pdf", json=document, headers=headers)


def test_a_link_carries_of_the_ots_advice_only_the_recommendation(client, csrf_headers, content):
    document = visit_document(content)
    measured = {"step-rise": {"value": 190, "unit": "mm"}}
    document["answers"]["living.rugs"] = {
        "answer": "fix",
        "ot": {"recommendation": "Take the mat away.", "who": "Daughter", "measurements": measured},
    }
    handed = client.post("/api/handoff/open", json={"link": link_of(document)}, headers=csrf_headers).json
    ot = handed["assessment"]["answers"]["living.rugs"]["ot"]
    assert ot["recommendation"] == "Take the mat away." and ot["who"] == "" and ot["measurements"] == {}
    plan = client.post("/api/plan", json=handed["assessment"], headers=csrf_headers).get_data(as_text=True)
    assert "Your OT recommends:</span> Take the mat away." in plan


def test_opening_a_link_blanks_what_only_the_ots_device_holds_whatever_the_link_says(client, csrf_headers, content):
    document = visit_document(content)
    document["visit"]["previous"] = {"id": "v0", "date": "2026-01-01", "answers": {"living.rugs": {"answer": "fix"}}}
    document["visit"]["note"] = "Spoke to the daughter about the stairs"
    response = client.post("/api/handoff/open", json={"link": link_of(document)}, headers=csrf_headers)
    assert response.status_code == 200
    handed, made_here = response.json["assessment"], response.json["made_here"]
    assert made_here is False
    assert handed["id"] == "" and handed["created"] is None and handed["visit"]["previous"] is None
    assert handed["visit"]["client_id"] == "" and handed["visit"]["note"] == ""
    assert handed["visit"]["client"] == "Ann Example" and handed["profile"] == document["profile"]
    assert {k: (v["answer"], v["note"]) for k, v in handed["answers"].items()} == {
        k: (v["answer"], v["note"]) for k, v in document["answers"].items()
    }


def test_a_signed_link_is_known_and_a_changed_one_is_not(client, csrf_headers, content):
    fragment = link_of(handed_off(visit_document(content, note_length=5)))
    signed = client.post("/api/handoff/sign", json={"link": fragment}, headers=csrf_headers).json["signature"]
    assert len(signed) == SIGNATURE_CHARS

    def opened(link):
        return client.post("/api/handoff/open", json={"link": link}, headers=csrf_headers).json["made_here"]

    assert opened(f"{fragment}.{signed}") is True
    assert opened(fragment) is False
    assert opened(f"{fragment}.{signed[:-1]}{'B' if signed[-1] == 'A' else 'A'}") is False
    # A link that still holds what only the OT's device keeps is not one the page made: not signed.
    unblanked = handed_off(visit_document(content, note_length=5))
    unblanked["visit"]["client_id"] = "client-1"
    refused = client.post("/api/handoff/sign", json={"link": link_of(unblanked)}, headers=csrf_headers)
    assert refused.status_code == 400 and refused.json["error"] == "bad-link"
    # The same signature on another document: not ours.
    other = handed_off(visit_document(content, note_length=5))
    other["profile"]["care_team_phone"] = "0800 000 000"
    assert opened(f"{link_of(other)}.{signed}") is False


def test_a_link_that_expands_past_an_assessments_size_is_refused_without_expanding_it(client, csrf_headers):
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = packer.compress(b'{"schema":4,"profile":{"name":"' + b"x" * 2_000_000) + packer.flush()
    fragment = base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    assert len(fragment) <= LINK_MAX_CHARS  # short enough to be read: refused for what it expands to
    response = client.post("/api/handoff/open", json={"link": fragment}, headers=csrf_headers)
    assert response.status_code == 400 and response.json["error"] == "bad-link"
    assert "more than a plan can" in response.json["message"]
    too_long = client.post("/api/handoff/open", json={"link": "A" * (LINK_MAX_CHARS + 1)}, headers=csrf_headers)
    assert too_long.status_code == 400 and too_long.json["error"] == "bad-link"
    for broken in ["%%%", "AAAA", link_of([1, 2])]:
        response = client.post("/api/handoff/open", json={"link": broken}, headers=csrf_headers)
        assert response.status_code == 400 and response.json["error"] == "bad-link", broken


def test_the_printed_plan_carries_the_pages_link_signed_and_it_scans_from_paper_to_the_same_plan(
    app, client, csrf_headers, content, tmp_path
):
    need_decoder()
    document = visit_document(content, note_length=5)
    # A few short notes: they fit in the code (three since the content version carries its 8-digit digest,
    # which takes 12 of the link's characters).
    for n, saved in enumerate(document["answers"].values()):
        saved["note"] = saved["note"] if n < 3 else ""
    fragment = link_of(handed_off(document, without_na=True))  # the tier that fits a whole home's answers
    response = post_plan(client, csrf_headers, document, fragment)
    assert response.status_code == 200
    assert 'filename="safesteps-plan-ann-example-2026-11-25.pdf"' in response.headers["Content-Disposition"]
    assert "Open this plan on your own phone" in text_of(response.data)

    (url,) = decode_qr_from_pdf(response.data, tmp_path)
    assert url == f"http://localhost/handoff#{fragment}.{signature(app.config['SECRET_KEY'], fragment)}"
    handed = client.post("/api/handoff/open", json={"link": url.split("#", 1)[1]}, headers=csrf_headers).json
    assert handed["made_here"] is True
    # The same plan: the plan page's fragment from the handed-off document equals the original's.
    same = client.post("/api/plan", json=handed["assessment"], headers=csrf_headers).get_data(as_text=True)
    original = client.post("/api/plan", json=document, headers=csrf_headers).get_data(as_text=True)
    assert same == original
    assert "Note 0: xxxxx" in same and "stay with your occupational therapist" not in same


def qr_pages(pdf: bytes, tmp_path: Path) -> list[int]:
    """The pages (from 1) a QR code decodes on, from a 150 dpi grey image of each (as decode_qr_from_pdf)."""
    from PIL import Image

    (tmp_path / "plan.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", str(tmp_path / "plan.pdf"), str(tmp_path / "pg")], check=True)
    return [
        n
        for n, page in enumerate(sorted(tmp_path.glob("pg*.pgm")), start=1)
        if any(r.format == zxingcpp.BarcodeFormat.QRCode for r in zxingcpp.read_barcodes(Image.open(page)))
    ]


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_whole_home_visits_code_is_on_page_one_above_the_whole_warning_signs_box(
    client, csrf_headers, content, tmp_path, paper, large
):
    """A format 2 link of a whole home's answers is a small code: it goes in the top corner of page one, and the
    whole warning-signs box (ambulance group first) still fits below it, in every paper and print size."""
    need_decoder()
    document = visit_document(content, note_length=5)
    fragment = positional_link_of(handed_off(document, with_notes=False, without_na=True))
    headers = {**csrf_headers, HANDOFF_HEADER: fragment}
    response = client.post(f"/plan.pdf?paper={paper}&large={int(large)}", json=document, headers=headers)
    assert response.status_code == 200
    pages = pages_text(response.data)
    assert "Open this plan on your own phone" in pages[0] and "Warning signs: when to get help" in pages[0]
    assert "scan the code after the warning signs" not in " ".join(pages)
    words = " ".join(pages)  # the ambulance group first, on page one
    assert "Call an ambulance now" in pages[0]
    assert words.index("Call an ambulance now") < words.index("The cancer may be pressing")
    if not large:  # the whole box on page one: its last sign too (large print runs on to the next page)
        assert "Getting out of breath more easily" in pages[0]
    assert qr_pages(response.data, tmp_path) == [1]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_code_too_large_for_the_corner_follows_the_warning_signs(client, csrf_headers, content, tmp_path, paper):
    """A format 1 link (the answers by item id) of a whole home is a version 30 code, 6.5 cm: page one says
    where it is and holds the whole box; the code follows it, and still scans."""
    need_decoder()
    document = visit_document(content, note_length=5)
    fragment = link_of(handed_off(document, with_notes=False, without_na=True))
    headers = {**csrf_headers, HANDOFF_HEADER: fragment}
    response = client.post(f"/plan.pdf?paper={paper}", json=document, headers=headers)
    assert response.status_code == 200
    pages = pages_text(response.data)
    assert "scan the code after the warning signs" in pages[0]
    assert "Warning signs: when to get help" in pages[0]
    assert "Tell your care team today" in pages[0] and "Getting out of breath more easily" in pages[0]
    assert "Open this plan on your own phone" in pages[1]
    assert qr_pages(response.data, tmp_path) == [2]


def test_every_item_has_its_place_in_the_answer_codes_order(content):
    """Format 2 writes an answer per item in ITEM_ORDER: an item missing there could not be handed off."""
    assert len(set(ITEM_ORDER)) == len(ITEM_ORDER)
    assert {i.id for s in content.sections for i in s.items} <= set(ITEM_ORDER)


def test_a_format_2_link_reads_as_the_same_assessment_as_the_answers_by_item_id(client, csrf_headers, content):
    document = visit_document(content, note_length=5)
    document["answers"]["living.rugs"] = {"answer": "fix", "note": "", "ot": {"recommendation": "Take the mat away."}}
    # An answer left blank with a note, on the last item in the order (past the codes' cut-off tail).
    document["answers"][ITEM_ORDER[-1]] = {"answer": None, "note": "Ask about this one."}
    handed = handed_off(document)
    old, new = link_of(handed), positional_link_of(handed)
    assert len(new) < len(old)
    opened = [
        client.post("/api/handoff/open", json={"link": link}, headers=csrf_headers).json["assessment"]
        for link in (old, new)
    ]
    assert opened[0] == opened[1]
    assert opened[1]["answers"]["living.rugs"]["ot"]["recommendation"] == "Take the mat away."
    assert opened[1]["answers"][ITEM_ORDER[-1]]["note"] == "Ask about this one."
    # And it prints: the plan page sends it with the PDF request, checked to be this visit's plan.
    assert post_plan(client, csrf_headers, document, new).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"handoff": 3},
        {"answer_codes": "fx"},
        {"answer_codes": "o" * (len(ITEM_ORDER) + 1)},
        {"answer_codes": 5},
        {"notes": {"no.such-item": "A note"}},
        {"notes": ["A note"]},
        {"recommendations": {ITEM_ORDER[0]: ""}},
        {"answers": {}},
    ],
)
def test_a_format_2_link_that_handoff_js_would_not_write_is_damaged(client, csrf_headers, content, change):
    written = {"handoff": 2, "schema": 5, "content_version": content.version, "answer_codes": "f--o"} | change
    response = client.post("/api/handoff/open", json={"link": link_of(written)}, headers=csrf_headers)
    assert response.status_code == 400 and response.json["error"] == "bad-link"


def test_when_the_link_left_the_notes_out_the_printed_plan_says_so(client, csrf_headers, content, tmp_path):
    need_decoder()
    document = visit_document(content, note_length=300)
    fragment = link_of(handed_off(document, with_notes=False, without_na=True))
    response = post_plan(client, csrf_headers, document, fragment)
    assert response.status_code == 200
    assert "The notes did not fit in the code" in text_of(response.data)
    (scanned,) = decode_qr_from_pdf(response.data, tmp_path)
    handed = client.post("/api/handoff/open", json={"link": scanned.split("#", 1)[1]}, headers=csrf_headers).json
    assert handed["assessment"]["visit"]["notes_kept_by_ot"] is True
    fragment_html = client.post("/api/plan", json=handed["assessment"], headers=csrf_headers).get_data(as_text=True)
    assert "stay with your occupational therapist" in fragment_html


def test_a_link_that_is_not_this_visits_plan_is_refused_and_nothing_is_printed(client, csrf_headers, content):
    document = visit_document(content, note_length=5)
    changes = [
        lambda d: d["profile"].update(care_team_phone="0800 000 0000"),
        lambda d: d["answers"].update({next(iter(d["answers"])): {"answer": "ok", "note": "", "at": None}}),
        lambda d: d["visit"].update(client="Someone Else"),
        lambda d: d["answers"].pop(next(k for k, v in d["answers"].items() if v["answer"] == "fix")),
    ]
    for change in changes:
        planted = handed_off(document)
        change(planted)
        response = post_plan(client, csrf_headers, document, link_of(planted))
        assert response.status_code == 400 and response.json["error"] == "bad-link"


def test_a_plan_without_a_home_visit_has_no_code(client, csrf_headers, content):
    document = example_assessment(content.version)
    response = post_plan(client, csrf_headers, document, link_of(handed_off(document)))
    assert response.status_code == 200
    assert "Open this plan on your own phone" not in text_of(response.data)


def test_a_render_fetches_only_what_it_was_given(app, tmp_path):
    fetcher = RenderFetcher({"photo-1": (b"\xff\xd8\xff", "image/jpeg")})
    assert fetcher.fetch("render:photo-1").body if hasattr(fetcher.fetch("render:photo-1"), "body") else True
    for refused in [
        "render:photo-2",
        "render://photo-1",
        "render:photo-1?x=1",
        "file:///etc/passwd",
        "http://example.com/x.png",
        "data:image/png;base64,AAAA",
    ]:
        with pytest.raises(FetchRefused):
            fetcher.fetch(refused)
    # What one render was given is not there for the next.
    with app.app_context():
        html = '<p>x</p><img src="render:photo-1">'
        render_pdf(html, resources={"photo-1": (copy.copy(b"\xff\xd8\xff"), "image/jpeg")})
        from pwa.pdf import fetcher as static_fetcher

        with pytest.raises(FetchRefused):
            static_fetcher().fetch("render:photo-1")


@pytest.mark.parametrize("endpoint", ["/api/handoff/sign", "/api/handoff/open"])
def test_a_body_nested_too_deep_to_read_is_a_damaged_link_not_a_server_error(client, csrf_headers, endpoint):
    """Found by scripts/fuzz.py: JSON nested deeper than Python can parse raised RecursionError (a 500)."""
    deep = b"[" * 5000 + b"]" * 5000
    response = client.post(endpoint, data=deep, content_type="application/json", headers=csrf_headers)
    assert response.status_code == 400 and response.get_json()["error"] == "bad-link"
