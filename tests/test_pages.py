"""Every page through Flask's test client; the API's CSRF, size and error handling."""

import gzip
import json
import zlib

import pytest

from .conftest import SECTION_IDS


@pytest.mark.parametrize("path", ["/", "/about-me", "/summary", "/red-flags"] + [f"/rooms/{s}" for s in SECTION_IDS])
def test_every_page_renders(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="/red-flags"' in page  # the warning signs are one tap away from every page
    assert "<script>" not in page and " style=" not in page and "onclick" not in page  # CSP-ready


def test_room_page_shows_every_item_with_four_answers(client, content):
    section = content.section("bathroom")
    page = client.get("/rooms/bathroom").get_data(as_text=True)
    number = [s.id for s in content.sections].index("bathroom") + 1
    assert f"Room {number} of {len(content.sections)}" in page
    for item in section.items:
        assert f'data-item="{item.id}"' in page
        for value in ("ok", "fix", "unsure", "na"):
            assert f'id="{item.id}--{value}"' in page
    for label in ("Looks safe", "Needs fixing", "Doesn&#39;t apply"):
        assert label in page


def test_room_navigation_links_back_and_next(client):
    first = client.get("/rooms/entrance").get_data(as_text=True)
    assert 'href="/about-me" rel="prev"' in first and 'href="/rooms/living" rel="next"' in first
    last = client.get("/rooms/after-fall").get_data(as_text=True)
    assert (
        'href="/rooms/exercise" rel="prev"' in last and 'href="/plan" rel="next"' in last
    )  # a person finishing expects their plan
    assert "Next: my plan" in last


def test_start_page_and_about_me_say_how_many_questions(client, content):
    profile = content.profile
    asked = 2 + sum(1 for q in profile.yes_no if not q.follows) + len(profile.text) + len(profile.screen.questions)
    assert asked > 20
    assert f"Start with {asked} questions about you" in client.get("/").get_data(as_text=True)
    assert f"{asked} short questions, about" in client.get("/about-me").get_data(as_text=True)


def test_about_me_asks_the_twelve_screen_questions(client, content):
    page = client.get("/about-me").get_data(as_text=True)
    for question in content.profile.screen.questions:
        assert f'name="screen.{question.id}"' in page
    for option in content.profile.sites.options:
        assert f'value="{option.id}"' in page


def test_red_flags_page_lists_every_sign(client, content):
    page = client.get("/red-flags").get_data(as_text=True)
    for group in content.red_flags.groups:
        assert group.title.replace("'", "&#39;") in page


def test_unknown_room_is_404(client):
    response = client.get("/rooms/attic")
    assert response.status_code == 404
    assert "could not find" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_csrf_token_is_never_cached(client):
    response = client.get("/api/csrf-token")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json()["token"]


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/api/personalise", json={"profile": {"sites": ["spine"]}})
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf"


def test_post_with_a_wrong_csrf_token_is_refused(client):
    client.get("/api/csrf-token")
    response = client.post("/api/personalise", json={"profile": {}}, headers={"X-CSRFToken": "forged"})
    assert response.status_code == 400 and response.get_json()["error"] == "csrf"


def test_personalise_returns_score_and_items(client, csrf_headers, content):
    profile = {"sites": ["spine"], "screen": {"fallen": True, "cane-or-walker": True}}
    response = client.post("/api/personalise", json={"schema": 1, "profile": profile}, headers=csrf_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["screen"]["score"] == 4 and body["screen"]["higher_risk"] is True
    assert set(body["items"]) == set(content.items)
    assert any(v["reasons"] for v in body["items"].values())


def test_malformed_json_is_400_with_a_message(client, csrf_headers):
    response = client.post(
        "/api/personalise", data="{not json", headers={**csrf_headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad-assessment"


def test_wrong_types_are_400_with_a_message(client, csrf_headers):
    response = client.post("/api/personalise", json={"answers": {"x.y": {"answer": "maybe"}}}, headers=csrf_headers)
    assert response.status_code == 400
    assert "answers.x.y.answer" in response.get_json()["message"]


def test_oversized_assessment_is_413_with_a_message(client, csrf_headers):
    body = json.dumps({"answers": {f"a.b{i}": {"note": "x" * 1900} for i in range(200)}})
    response = client.post("/api/personalise", data=body, headers={**csrf_headers, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert "too large" in response.get_json()["message"]


def test_a_page_seen_before_comes_back_as_304(client):
    first = client.get("/rooms/kitchen")
    assert first.headers["ETag"]
    again = client.get("/rooms/kitchen", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("path", ["/", "/plan", "/static/css/app.css", "/static/js/store.js", "/sw.js"])
def test_pages_scripts_and_styles_are_sent_compressed_and_still_304_when_seen(client, path):
    plain = client.get(path).get_data()
    response = client.get(path, headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["Content-Encoding"] in ("gzip", "deflate") and "Accept-Encoding" in response.headers["Vary"]
    decompress = {"gzip": gzip.decompress, "deflate": zlib.decompress}[response.headers["Content-Encoding"]]
    body = response.get_data()
    assert decompress(body) == plain and len(body) < len(plain) / 2
    again = client.get(path, headers={"Accept-Encoding": "gzip, deflate", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_csrf_token_is_never_compressed(client):
    # A secret compressed in the same response as other text can be guessed from the size (BREACH).
    response = client.get("/api/csrf-token", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert "Content-Encoding" not in response.headers
