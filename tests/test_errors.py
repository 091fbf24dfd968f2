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


def test_a_new_domain_error_needs_only_its_class_to_answer_in_the_one_shape():
    # errors.py handles the base class once: a refusal declares its status, code, words and Retry-After itself.
    from pwa import create_app
    from pwa.exceptions import SafeStepsError

    from .conftest import TEST_CONFIG

    class Paused(SafeStepsError):
        status, code, words_name, retry_after = 503, "paused", "busy", 7

    class Unknown(SafeStepsError):
        pass

    def paused():
        raise Paused()

    def unknown():
        raise Unknown("That is not a thing we know.")

    app = create_app(TEST_CONFIG)
    app.add_url_rule("/api/paused", view_func=paused)
    app.add_url_rule("/unknown", view_func=unknown)
    client = app.test_client()
    paused = client.get("/api/paused")
    assert_json_error(paused, 503, "paused")
    assert paused.headers["Retry-After"] == "7"
    with app.test_request_context():
        from pwa.errors import words

        assert paused.get_json()["message"] == words("busy")
    page = client.get("/unknown")
    assert page.status_code == 400 and page.mimetype == "text/html" and "Retry-After" not in page.headers
    assert "That is not a thing we know." in page.get_data(as_text=True)


def test_every_domain_error_shares_the_one_base_class():
    from pwa.assessment import AssessmentError
    from pwa.errors import OptionError
    from pwa.exceptions import SafeStepsError
    from pwa.export import ExportError
    from pwa.handoff import HandoffError
    from pwa.pdf import PhotoRefused, PlanTooLong, RenderBusy
    from pwa.reminder import ReminderError

    for error in (AssessmentError, OptionError, ExportError, HandoffError, PhotoRefused, PlanTooLong, RenderBusy):
        assert issubclass(error, SafeStepsError), error
    assert issubclass(ReminderError, SafeStepsError)


def test_no_cache_keeps_an_answer_made_from_what_a_person_sent(client, csrf_headers):
    # One rule (pwa/caching.py), not a line per view: every POST, every /api/ answer, and the person's reminder.
    from pwa.example import example_assessment

    assessed = client.post("/api/assessment", json=example_assessment(), headers=csrf_headers)
    assert assessed.status_code == 200 and assessed.headers["Cache-Control"] == "no-store"
    plan = client.post("/api/plan", json=example_assessment(), headers=csrf_headers)
    assert plan.status_code == 200 and plan.headers["Cache-Control"] == "no-store"
    reminder = client.get("/reminder.ics?today=2026-11-28")
    assert reminder.status_code == 200 and reminder.headers["Cache-Control"] == "no-store"
    # Pages are the same for everyone: they are kept, and checked with their ETag.
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    assert client.get("/checklist.pdf").headers["Cache-Control"] == "public, max-age=3600"
