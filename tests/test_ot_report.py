"""The OT report PDF (POST /ot-report.pdf), the export check (POST /api/export-check) and the visit pages."""

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from pwa.assessment import SCHEMA_VERSION
from pwa.example import example_assessment
from pwa.export import ExportError, check_export
from pwa.photos import JPEG_MAGIC, PHOTO_BYTES_MAX, is_usable_photo, photo_contract
from pwa.visits import compare, file_name_part

from .pdf_text import pages_text, text_of


def jpeg(size=(640, 480)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def realistic_jpeg(seed: int = 0, size=(1280, 960)) -> bytes:
    """A photo as the browser stores one (longest side 1,280 px, quality 0.8), with grain so that it compresses
    like a real photo: about 220 kB, not the few kB of a flat colour."""
    base = Image.blend(
        Image.linear_gradient("L").resize(size).convert("RGB"),
        Image.new("RGB", size, ((seed * 70) % 256, 120, 200)),
        0.5,
    )
    grain = Image.effect_noise(size, 30).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(base, grain, 0.25).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def follow_up(content):
    items = [i for s in content.sections for i in s.items]
    document = example_assessment(content.version)
    document["answers"] = {
        items[0].id: {"answer": "ok", "note": "Rug gone", "at": None},
        items[1].id: {"answer": "fix", "note": "Still loose <b>rail</b>", "at": None},
        items[2].id: {"answer": "fix", "note": "", "at": None},
        items[3].id: {"answer": "ok", "note": "", "at": None},
    }
    document["visit"] = {
        "client": "Mrs A Example",
        "client_id": "c1",
        "assessor": "Sam OT",
        "date": "2026-11-25",
        "note": "Daughter present.",
        "notes_kept_by_ot": False,
        "previous": {
            "id": "v1",
            "date": "2026-08-01",
            "assessor": "Sam OT",
            "answers": {
                items[0].id: {"answer": "fix", "note": "Rug by the door"},
                items[1].id: {"answer": "fix", "note": ""},
                items[2].id: {"answer": "ok", "note": ""},
                items[3].id: {"answer": "ok", "note": ""},
            },
        },
    }
    return document, items


def post_report(client, headers, document, photos=()):
    data = {"assessment": json.dumps(document)}
    for name, blob in photos:
        data[name] = (io.BytesIO(blob), "photo.jpg", "image/jpeg")
    return client.post("/ot-report.pdf", data=data, headers=headers, content_type="multipart/form-data")


def test_compare_item_by_item():
    assert compare("fix", "ok") == "fixed" and compare("fix", "na") == "fixed"
    assert compare("fix", "fix") == "still_open" and compare("fix", "unsure") == "still_open"
    assert compare("ok", "fix") == "new" and compare(None, "fix") == "new"
    assert compare("ok", "ok") is None and compare(None, None) is None


FILE_NAME_CASES = json.loads((Path(__file__).parent / "data" / "file_name_cases.json").read_text())["cases"]


@pytest.mark.parametrize(("name", "part"), FILE_NAME_CASES)
def test_file_names_carry_the_client_plainly(name, part):
    """The same table runs through clients.js in tests/browser/test_clients.py."""
    assert file_name_part(name) == part


def test_the_clients_page_carries_the_servers_photo_rule(client):
    import html
    import re

    page = client.get("/clients").get_data(as_text=True)
    rule = json.loads(html.unescape(re.search(r'data-photo-rule="([^"]*)"', page).group(1)))
    assert rule == photo_contract()
    assert rule["bytes_max"] == PHOTO_BYTES_MAX and bytes(rule["jpeg_magic"]) == JPEG_MAGIC
    assert is_usable_photo(jpeg()) and not is_usable_photo(b"\x89PNG" + jpeg())
    assert not is_usable_photo(JPEG_MAGIC + b"x" * PHOTO_BYTES_MAX)


def test_the_ot_report_has_the_visit_every_answer_the_screen_the_comparison_and_the_photo(
    client, csrf_headers, content
):
    document, items = follow_up(content)
    response = post_report(client, csrf_headers, document, [(f"photo:{items[1].id}", jpeg())])
    assert response.status_code == 200, response.get_data(as_text=True)
    assert 'filename="safesteps-ot-report-mrs-a-example-2026-11-25.pdf"' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.data))
    text = text_of(response.data)
    for expected in [
        "Mrs A Example",
        "Sam OT",
        "25 November 2026",
        "Daughter present.",
        "Follow-up of the visit on 1 August 2026",
        "Fall-risk screen",
        "Score 6 of 14",
        "Still loose <b>rail</b>",
        "Rug gone",
    ]:
        assert expected in text, expected
    for section in content.sections:
        assert section.title in text
    compared = text.split("Since the last visit")[1].split("Detail, room by room")[0]

    def flat(text):
        return " ".join(text.split())[:35]

    assert "Fixed since (1)" in compared and flat(items[0].question) in compared.split("Still open")[0]
    assert "Still open (1)" in compared and flat(items[1].question) in compared.split("Still open")[1].split("New (")[0]
    assert "New (1)" in compared and flat(items[2].question) in compared.split("New (")[1]
    images = {image.name: image for p in reader.pages for image in p.images}
    assert [Image.open(io.BytesIO(i.data)).size for i in images.values()] == [(640, 480)]


def test_a_report_with_four_full_size_photos_is_read_under_its_own_limit_with_csrf_on(client, csrf_headers, content):
    # CSRF's check runs before the view: the report's 32 MB limit must already hold then, not the 256 kB one.
    document, items = follow_up(content)
    photos = [(f"photo:{item.id}", realistic_jpeg(i)) for i, item in enumerate(items[:4])]
    assert all(150_000 < len(data) < 300_000 for _, data in photos)
    response = post_report(client, csrf_headers, document, photos)
    assert response.status_code == 200, response.get_data(as_text=True)
    images = {image.name: image for page in PdfReader(io.BytesIO(response.data)).pages for image in page.images}
    assert len(images) == 4
    # Without the token it is still refused, before the photos are read.
    refused = post_report(client, {}, document, photos)
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf"


def test_a_first_visit_report_has_no_comparison(client, csrf_headers, content):
    document, _ = follow_up(content)
    document["visit"]["previous"] = None
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(post_report(client, csrf_headers, document).data)).pages
    )
    assert "Since the last visit" not in text and "Detail, room by room" in text


@pytest.mark.parametrize(
    "photos",
    [
        [("photo:nowhere.item", jpeg())],  # an item this release does not know
        [("photo:living.rugs", b"GIF89a not a jpeg")],
        [("file", jpeg())],
    ],
)
def test_the_report_refuses_photos_it_cannot_use(client, csrf_headers, content, photos):
    document, _ = follow_up(content)
    response = post_report(client, csrf_headers, document, photos)
    assert response.status_code == 400 and response.get_json()["message"]


@pytest.mark.parametrize(
    "field",
    [
        '{"schema": 4, "visit": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"schema": 4, "profile": {"name": ' + "9" * 5000 + "}}",
        "not json",
    ],
)
def test_an_unreadable_assessment_in_the_report_form_is_a_plain_400(client, csrf_headers, field):
    response = client.post(
        "/ot-report.pdf", data={"assessment": field}, headers=csrf_headers, content_type="multipart/form-data"
    )
    assert response.status_code == 400 and response.get_json()["error"] == "bad-assessment"


def test_a_note_cannot_make_the_report_fetch_anything(client, csrf_headers, content):
    document, items = follow_up(content)
    document["answers"][items[0].id]["note"] = '<img src="render:' + items[1].id + '"><img src="file:///etc/passwd">'
    response = post_report(client, csrf_headers, document)
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "file:///etc/passwd" in " ".join(text.split()).replace(" ", "") or "etc/passwd" in text
    assert not any(p.images for p in PdfReader(io.BytesIO(response.data)).pages)


def export_file(content, **changes):
    document, _ = follow_up(content)
    document["id"] = "v2"
    return {
        "format": "safesteps-clients",
        "version": 1,
        "exported": "2026-11-25T10:00:00Z",
        "clients": [
            {
                "id": "c1",
                "name": "Mrs A Example",
                "created": "2026-08-01T09:00:00Z",
                "visits": [document],
                "photos": [
                    {
                        "assessment": "v2",
                        "item": "living.rugs",
                        "type": "image/jpeg",
                        "width": 1280,
                        "height": 960,
                        "bytes": 1000,
                        "at": "2026-11-25T10:00:00Z",
                    }
                ],
            }
        ],
        **changes,
    }


def backup(content, clients: int, visits: int = 2) -> dict:
    """An "Export all clients" file as an OT's device writes it, without the photos' bytes (as import sends it
    to be checked): each visit answers every item, most with a short note, and follows up the one before."""
    items = [item.id for section in content.sections for item in section.items]
    values = ["fix", "ok", "unsure", "na", "ok"]
    file = {"format": "safesteps-clients", "version": 1, "exported": "2026-11-25T10:00:00Z", "clients": []}
    for c in range(clients):
        client_id = f"client-{c}"
        documents = []
        for v in range(visits):
            document = example_assessment(content.version)
            document["id"] = f"{client_id}-visit-{v}"
            document["answers"] = {
                item: {
                    "answer": values[(n + v) % 5],
                    "note": f"Seen on visit {v + 1}: {item.split('.')[1]} needs a look" if n % 3 else "",
                    "at": "2026-11-25T10:00:00Z",
                }
                for n, item in enumerate(items)
            }
            document["visit"] = {
                "client": f"Client {c}",
                "client_id": client_id,
                "assessor": "Sam OT",
                "date": f"2026-{8 + v:02d}-01",
                "note": "Daughter present. Uses a stick indoors.",
                "notes_kept_by_ot": False,
                "previous": None if v == 0 else {"id": f"{client_id}-visit-{v - 1}", "date": "2026-08-01"},
            }
            documents.append(document)
        photo = {"assessment": documents[-1]["id"], "item": items[1], "type": "image/jpeg", "width": 1280}
        photo.update(height=960, bytes=220_000, at="2026-11-25T10:00:00Z")
        file["clients"].append(
            {"id": client_id, "name": f"Client {c}", "created": "2026-08-01T09:00:00Z", "visits": documents}
            | {"photos": [photo]}
        )
    return file


def test_a_backup_of_fifty_clients_with_two_visits_each_is_checked_whole(client, csrf_headers, content):
    document = backup(content, clients=50)
    assert len(json.dumps(document)) > 256 * 1024  # over the assessment's limit: the check has its own
    response = client.post("/api/export-check", json=document, headers=csrf_headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    checked = response.get_json()["clients"]
    assert [c["id"] for c in checked] == [c["id"] for c in document["clients"]]
    assert sum(len(c["visits"]) for c in checked) == 100


def test_a_visit_id_in_two_clients_keeps_both_clients_visits(client, csrf_headers, content):
    document = backup(content, clients=2)
    second = document["clients"][1]
    # The second client's visits carry the first one's ids (two files joined by hand).
    for visit in second["visits"]:
        visit["id"] = visit["id"].replace("client-1", "client-0")
        if visit["visit"]["previous"]:
            visit["visit"]["previous"]["id"] = visit["visit"]["previous"]["id"].replace("client-1", "client-0")
    second["photos"][0]["assessment"] = second["visits"][-1]["id"]
    response = client.post("/api/export-check", json=document, headers=csrf_headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    first, renamed = response.get_json()["clients"]
    assert [v["id"] for v in first["visits"]] == ["client-0-visit-0", "client-0-visit-1"]
    new_ids = [v["id"] for v in renamed["visits"]]
    assert len(set(new_ids)) == 2 and not set(new_ids) & {v["id"] for v in first["visits"]}
    # What named the old ids follows: the follow-up's previous visit and the photo.
    assert renamed["visits"][1]["visit"]["previous"]["id"] == new_ids[0]
    assert renamed["photos"][0]["assessment"] == new_ids[1]


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"format": "safesteps-clients", "version": 1, "clients": ' + "[" * 500 + "]" * 500 + "}",
        '{"format": "safesteps-clients", "version": 1, "x": ' + '{"a":' * 5000 + "1" + "}" * 5001,
        "not json",
    ],
)
def test_a_deeply_nested_or_unreadable_file_gets_a_plain_message(client, csrf_headers, body):
    response = client.post("/api/export-check", data=body, content_type="application/json", headers=csrf_headers)
    assert response.status_code == 400 and response.get_json()["error"] == "bad-export"
    assert "SafeSteps clients file" in response.get_json()["message"]


def test_a_file_too_large_to_check_says_so_plainly(client, csrf_headers):
    body = b'{"format": "safesteps-clients", "x": "' + b"x" * (16 * 1024 * 1024) + b'"}'
    response = client.post("/api/export-check", data=body, content_type="application/json", headers=csrf_headers)
    assert response.status_code == 413 and "Export fewer clients" in response.get_json()["message"]


def test_the_export_check_accepts_a_good_file_and_brings_old_visits_up_to_date(client, csrf_headers, content):
    document = export_file(content)
    document["clients"][0]["visits"][0]["schema"] = 2
    del document["clients"][0]["visits"][0]["visit"]["previous"]
    response = client.post("/api/export-check", json=document, headers=csrf_headers)
    assert response.status_code == 200
    assert response.get_json()["clients"][0]["visits"][0]["schema"] == SCHEMA_VERSION


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(format="something-else"),
        lambda d: d.update(version=2),
        lambda d: d["clients"][0].update(extra=True),
        lambda d: d["clients"][0]["visits"][0].update(schema=99),
        lambda d: d["clients"][0]["visits"][0]["visit"].update(client_id="someone-else"),
        lambda d: d["clients"][0]["photos"][0].update(assessment="not-a-visit"),
        lambda d: d["clients"][0]["photos"][0].update(type="image/svg+xml"),
        lambda d: d["clients"].append(d["clients"][0]),
    ],
)
def test_the_export_check_refuses_broken_or_foreign_files_plainly(client, csrf_headers, content, change):
    document = export_file(content)
    change(document)
    with pytest.raises(ExportError) as refused:
        check_export(json.loads(json.dumps(document)))
    response = client.post("/api/export-check", json=document, headers=csrf_headers)
    assert response.status_code == 400 and response.headers["Cache-Control"] == "no-store"
    # The one handler for domain refusals (errors.py) answers with the ExportError's own words.
    assert response.get_json() == {"error": "bad-export", "message": str(refused.value)}


def test_visit_pages_are_plain_pages_and_photos_only_as_blob_images(client):
    for path in ("/clients", "/visit", "/handoff"):
        response = client.get(path)
        assert response.status_code == 200
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' blob:" in policy and "data:" not in policy and "*" not in policy


def ot_visit(content):
    """A first visit with three rooms assessed, the OT's recommendations, two measurements and two captions."""
    document = example_assessment(content.version)
    document["profile"].update(
        sites=["spine", "pelvis-hip"],
        walking_aid="walker",
        yes_no={"lives-alone": True},
        lifting_limit="2 kg",
        care_team_phone="0161 555 0100",
        screen={"fallen": True, "worried": True},
    )
    document["answers"] = {
        "entrance.path-clear": {"answer": "ok"},
        "entrance.step-rail": {
            "answer": "fix",
            "ot": {
                "recommendation": "Fit a second rail on the right of the front step.",
                "priority": "medium",
                "who": "Council adaptations team",
                "by_when": "2026-12-20",
                "measurements": {"step-rise": {"value": 190, "unit": "mm"}},
                "photo_captions": ["Front step, from the path"],
            },
        },
        "living.rugs": {"answer": "fix", "note": "Mat by the door"},
        "bathroom.toilet-height": {
            "answer": "fix",
            "ot": {
                "recommendation": "Raised toilet seat, 10 cm.",
                "priority": "high",
                "who": "OT to order",
                "by_when": "2026-12-01",
                "measurements": {"toilet-seat-height": {"value": 380, "unit": "mm"}},
                "photo_captions": ["Toilet, seen from the door"],
            },
        },
        "bathroom.non-slip": {"answer": "ok"},
    }
    document["visit"] = {
        "client": "Mrs A Example",
        "client_id": "c1",
        "assessor": "Sam OT",
        "role": "Occupational therapist",
        "contact": "0161 555 0199",
        "date": "2026-11-25",
    }
    return document


def first_page(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    return pages_text(response.data)[0]


def test_the_reports_first_page_is_a_referral_with_the_recommendations_in_order(client, csrf_headers, content):
    photos = [("photo:entrance.step-rail", jpeg()), ("photo:bathroom.toilet-height", jpeg())]
    page = first_page(post_report(client, csrf_headers, ot_visit(content), photos))
    for expected in [
        "Mrs A Example",
        "Spine (backbone), Pelvis or hip",
        "A walking frame or walker",
        "Lives alone Yes",
        "2 kg",
        "0161 555 0100",
        "25 November 2026",
        "Sam OT, Occupational therapist",
        "0161 555 0199",
        "Signed",
        "May be at risk of falling",
        "Hazards found, by room",
    ]:
        assert expected in page, expected
    screen = {q.id: q.text for q in content.profile.screen.questions}
    assert " ".join(screen["fallen"].split()) in page
    titles = {s.id: s.title for s in content.sections}
    assert f"{titles['entrance']} 1" in page and f"{titles['living']} 1" in page and f"{titles['bathroom']} 1" in page
    # Most urgent first: the OT's high, then the rug (the item's own priority), then the OT's medium.
    raised = page.index("Raised toilet seat, 10 cm.")
    second_rail = page.index("Fit a second rail on the right")
    assert raised < second_rail and "OT to order, by 1 December 2026" in page
    assert "Not answered" not in page and "Your answers" not in page


def test_the_report_gives_measurements_and_captions_by_the_item_and_rooms_not_assessed_once(
    client, csrf_headers, content
):
    response = post_report(client, csrf_headers, ot_visit(content), [("photo:entrance.step-rail", jpeg())])
    text = text_of(response.data)
    assert "Step rise 190 mm" in text and "Toilet seat height 380 mm" in text
    assert "Front step, from the path" in text
    assert text.count("Not answered") == 0
    assert text.count(f"Not assessed on this visit: {content.section('kitchen').title}") == 2  # page one, detail


def test_a_follow_up_reports_first_page_says_fixed_still_open_and_new(client, csrf_headers, content):
    document, _ = follow_up(content)
    assert "In short: 1 fixed, 1 still open, 1 new." in first_page(post_report(client, csrf_headers, document))


def test_the_persons_plan_says_what_the_ot_recommends_in_place_of_the_fix(client, csrf_headers, content):
    response = client.post("/api/plan", json=ot_visit(content), headers=csrf_headers)
    html = " ".join(response.get_data(as_text=True).split())
    assert "Your OT recommends:</span> Raised toilet seat, 10 cm." in html
    assert content.items["bathroom.toilet-height"].action not in html
    assert content.items["living.rugs"].action in html


def test_an_item_takes_up_to_four_photos_each_with_its_caption(client, csrf_headers, content):
    document = ot_visit(content)
    document["answers"]["entrance.step-rail"]["ot"]["photo_captions"] = ["From the path", "", "Rail fixing"]
    photos = [("photo:entrance.step-rail", jpeg()), ("photo:entrance.step-rail:2", jpeg((320, 240)))]
    response = post_report(client, csrf_headers, document, photos)
    assert response.status_code == 200, response.get_data(as_text=True)
    reader = PdfReader(io.BytesIO(response.data))
    text = text_of(response.data)
    assert "From the path" in text and "Rail fixing" in text
    images = {image.name: image for p in reader.pages for image in p.images}
    sizes = sorted(Image.open(io.BytesIO(i.data)).size for i in images.values())
    assert sizes == [(320, 240), (640, 480)]


@pytest.mark.parametrize(
    "field", ["photo:entrance.step-rail:4", "photo:entrance.step-rail:x", "photo:entrance.step-rail:0"]
)
def test_a_photo_slot_past_the_fourth_or_not_a_number_is_refused(client, csrf_headers, content, field):
    response = post_report(client, csrf_headers, ot_visit(content), [(field, jpeg())])
    assert response.status_code == 400 and response.get_json()["message"]
