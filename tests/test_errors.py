"""Errors (pwa/errors.py): one shape everywhere. JSON for the API and for POSTs, a page for a page."""

import pytest


def assert_json_error(response, status, code):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "message"} and body["error"] == code and body["message"]
    assert response.headers["Cache-Control"] == "no-store"


def test_an_unknown_api_url_answers_json(client):
    assert_json_error(client.get("/api/nope"), 404, "not-found")


def test_an_unknown_page_answers_a_page(client):
    response = client.get("/rooms/attic")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "We could not find that page" in response.get_data(as_text=True)


def test_a_wrong_method_on_the_api_answers_json(client):
    assert_json_error(client.get("/api/plan"), 405, "method-not-allowed")


def test_a_post_to_a_page_answers_json(client, csrf_headers):
    assert_json_error(client.post("/summary", headers=csrf_headers), 405, "method-not-allowed")


@pytest.mark.parametrize("url", ["/api/personalise", "/api/plan", "/api/assessment", "/plan.pdf"])
def test_every_post_refuses_a_missing_csrf_token_in_the_same_shape(client, url):
    assert_json_error(client.post(url, json={}), 400, "csrf")


@pytest.mark.parametrize("url", ["/api/personalise", "/api/plan", "/api/assessment", "/plan.pdf"])
def test_every_post_refuses_a_bad_assessment_in_the_same_shape(client, csrf_headers, url):
    assert_json_error(client.post(url, json={"schema": 99}, headers=csrf_headers), 400, "bad-assessment")


def test_too_large_is_413_in_the_same_shape(client, csrf_headers):
    body = "x" * (300 * 1024)
    response = client.post("/api/plan", data=body, headers={**csrf_headers, "Content-Type": "application/json"})
    assert_json_error(response, 413, "too-large")


def test_a_bad_print_option_on_a_page_link_answers_a_page(client):
    response = client.get("/checklist.pdf?paper=legal")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Unknown paper size" in response.get_data(as_text=True)
