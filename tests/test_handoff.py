"""The hand-off QR code on the printed plan, and the renderer's per-render allow-list."""

import copy
import shutil
import subprocess
from pathlib import Path

import pytest

# zxing-cpp is in the test extra that scripts/test installs: without it this file fails to import, never skips.
import zxingcpp
from pypdf import PdfReader

from pwa.assessment import parse_assessment, to_document
from pwa.example import example_assessment
from pwa.handoff import QR_MAX_VERSION, decode, encode, handoff_document, handoff_link
from pwa.pdf import FetchRefused, RenderFetcher, render_pdf


def need_decoder():
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm is missing: scripts/setup test installs poppler-utils")


def visit_document(content, notes=True, note_length=60):
    document = example_assessment(content.version)
    document["visit"].update(client="Ann Example", client_id="client-1", assessor="Sam OT", date="2026-11-25")
    items = [i.id for s in content.sections for i in s.items]
    values = ["fix", "ok", "unsure", "na"]
    document["answers"] = {
        item_id: {"answer": values[n % 4], "note": (f"Note {n}: " + "x" * note_length) if notes else "", "at": None}
        for n, item_id in enumerate(items)
    }
    return document


def decode_qr_from_pdf(pdf: bytes, tmp_path: Path) -> list[str]:
    from PIL import Image

    (tmp_path / "plan.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "plan.pdf"), str(tmp_path / "page")], check=True)
    found = []
    for page in sorted(tmp_path.glob("page*.png")):
        found += [r.text for r in zxingcpp.read_barcodes(Image.open(page)) if r.format == zxingcpp.BarcodeFormat.QRCode]
    return found


def post_plan(client, csrf_headers, document):
    return client.post("/plan.pdf", json=document, headers=csrf_headers)


def test_the_fragment_is_the_assessment_without_what_only_the_device_needs(content):
    document = visit_document(content)
    document["visit"]["previous"] = {"id": "v0", "date": "2026-01-01", "answers": {"living.rugs": {"answer": "fix"}}}
    assessment = parse_assessment(document)
    handed = to_document(parse_assessment(decode(encode(handoff_document(assessment)))))
    assert handed["id"] == "" and handed["created"] is None and handed["visit"]["previous"] is None
    assert handed["visit"]["client_id"] == "" and handed["visit"]["client"] == "Ann Example"
    assert handed["profile"] == document["profile"]
    assert {k: (v["answer"], v["note"]) for k, v in handed["answers"].items()} == {
        k: (v["answer"], v["note"]) for k, v in document["answers"].items()
    }
    without = to_document(parse_assessment(decode(encode(handoff_document(assessment, with_notes=False)))))
    assert all(v["note"] == "" for v in without["answers"].values()) and without["visit"]["notes_kept_by_ot"]


def test_the_printed_plan_carries_a_qr_code_that_scans_from_paper_and_gives_the_same_plan(
    client, csrf_headers, content, tmp_path
):
    need_decoder()
    document = visit_document(content, note_length=5)
    for n, saved in enumerate(document["answers"].values()):  # a few short notes: they fit in the code
        saved["note"] = saved["note"] if n < 5 else ""
    response = post_plan(client, csrf_headers, document)
    assert response.status_code == 200
    assert 'filename="safesteps-plan-ann-example-2026-11-25.pdf"' in response.headers["Content-Disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(__import__("io").BytesIO(response.data)).pages)
    assert "Open this plan on your own phone" in text

    (url,) = decode_qr_from_pdf(response.data, tmp_path)
    assert url.startswith("http://localhost/handoff#")
    handed = decode(url.split("#", 1)[1])
    # The same plan: the plan page's fragment from the handed-off document equals the original's.
    same = client.post("/api/plan", json=handed, headers=csrf_headers).get_data(as_text=True)
    original = client.post("/api/plan", json=document, headers=csrf_headers).get_data(as_text=True)
    assert same == original
    assert "Note 0: xxxxx" in same and "stay with your occupational therapist" not in same


def test_when_the_notes_do_not_fit_the_code_carries_the_rest_and_the_plan_says_so(
    client, csrf_headers, content, tmp_path
):
    need_decoder()
    document = visit_document(content, note_length=300)
    assessment = parse_assessment(document)
    _, qr, with_notes = handoff_link("http://safesteps.test/", assessment)
    assert not with_notes and qr.version <= QR_MAX_VERSION
    response = post_plan(client, csrf_headers, document)
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(__import__("io").BytesIO(response.data)).pages
    )
    assert "The notes did not fit in the code" in text
    (scanned,) = decode_qr_from_pdf(response.data, tmp_path)
    handed = to_document(parse_assessment(decode(scanned.split("#", 1)[1])))
    assert handed["visit"]["notes_kept_by_ot"] is True
    # Every answer a plan shows is there; "Doesn't apply" may be left out to make room.
    shown = {k: v["answer"] for k, v in document["answers"].items() if v["answer"] != "na"}
    assert {k: v["answer"] for k, v in handed["answers"].items() if v["answer"] != "na"} == shown
    fragment = client.post("/api/plan", json=handed, headers=csrf_headers).get_data(as_text=True)
    assert "stay with your occupational therapist" in fragment


def test_a_plan_without_a_home_visit_has_no_code(client, csrf_headers, content):
    document = example_assessment(content.version)
    response = post_plan(client, csrf_headers, document)
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(__import__("io").BytesIO(response.data)).pages)
    assert "Open this plan on your own phone" not in text


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
