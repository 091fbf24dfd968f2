"""The OT report PDF (POST /ot-report.pdf), the export check (POST /api/export-check) and the visit pages."""

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from pwa.assessment import SCHEMA_VERSION
from pwa.example import example_assessment
from pwa.photos import JPEG_MAGIC, PHOTO_BYTES_MAX, is_usable_photo, photo_contract
from pwa.visits import compare, file_name_part


def jpeg(size=(640, 480)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
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
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
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
    response = client.post("/api/export-check", json=document, headers=csrf_headers)
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad-export" and response.get_json()["message"]


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
    return " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())


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
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages)
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
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
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
