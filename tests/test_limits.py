"""Bounded work per request: what a note may hold, a plan's pages estimated before rendering, the render pool
turning work away when full, rate limits answered in the one error shape, and control characters stripped."""

from __future__ import annotations

import contextlib
import io
import os
import time

import pytest
from pypdf import PdfReader

from pwa import create_app, instance_secret_key
from pwa.assessment import NOTE_LINE_BREAKS_MAX, AssessmentError, parse_assessment
from pwa.example import example_assessment, worst_case_assessment
from pwa.pdf import (
    PAGES_MAX,
    RenderBusy,
    RenderPool,
    estimate_pages,
    plan_html,
    render_pdf,
    render_pool,
)
from pwa.plan import build

from .conftest import TEST_CONFIG


def post(client, path, document):
    token = client.get("/api/csrf-token").get_json()["token"]
    return client.post(path, json=document, headers={"X-CSRFToken": token})


def test_a_note_may_hold_only_so_many_line_breaks():
    fine = {"schema": 2, "answers": {"a.b": {"note": "line\n" * NOTE_LINE_BREAKS_MAX}}}
    assert parse_assessment(fine).answers["a.b"].note.count("\n") == NOTE_LINE_BREAKS_MAX
    with pytest.raises(AssessmentError, match="line breaks"):
        parse_assessment({"schema": 2, "answers": {"a.b": {"note": "\n" * (NOTE_LINE_BREAKS_MAX + 1)}}})


def test_control_characters_are_stripped_and_line_endings_made_plain():
    doc = {
        "schema": 2,
        "answers": {"a.b": {"note": "a\x00b\x1b[31mc\u202ed\r\ne\tf"}},
        "profile": {"name": "Ann\nB\x07"},
    }
    assessment = parse_assessment(doc)
    assert assessment.answers["a.b"].note == "ab[31mcd\ne\tf"
    assert assessment.profile.name == "Ann B"


def test_lone_surrogates_become_a_replacement_character_so_every_plan_and_pdf_still_prints(client, content):
    document = example_assessment(content.version)
    document["profile"]["name"] = "Ann\ud800"
    document["visit"].update(client="\udfffB", client_id="client-1", assessor="a\ud83d", note="x\ud800")
    document["answers"]["entrance.step-rail"]["note"] = "rail\ude00 loose"
    kept = post(client, "/api/assessment", document).get_json()["assessment"]
    assert (
        kept["profile"]["name"] == "Ann\ufffd" and kept["answers"]["entrance.step-rail"]["note"] == "rail\ufffd loose"
    )
    assert post(client, "/api/plan", document).status_code == 200
    for path in ("/plan.pdf", "/summary.pdf"):
        response = post(client, path, document)
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), path


@pytest.mark.parametrize(
    "bad",
    [
        {"schema": True},
        {"schema": 2, "profile": {"yes_no": {"dizziness": "yes"}}},
        {"schema": 2, "profile": {"name": 5}},
        {"schema": 2, "answers": {"a.b": {"note": ["x"]}}},
        {"schema": 2, "answers": []},
    ],
)
def test_wrong_types_are_refused(bad):
    with pytest.raises(AssessmentError):
        parse_assessment(bad)


def test_deep_nesting_is_a_400_in_the_one_error_shape(client, csrf_headers):
    for body in (
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 990 + "1" + "}" * 990,
        '{"schema": 2, "x": ' + "[" * 50 + "]" * 50 + "}",
    ):
        response = client.post("/api/plan", data=body, content_type="application/json", headers=csrf_headers)
        assert response.status_code == 400 and set(response.get_json()) == {"error", "message"}


def test_the_page_estimate_is_never_below_the_real_page_count(app, content):
    # Within the limit, the estimate must not let through a plan longer than it says (wide letters included).
    cases = [
        example_assessment(content.version),
        worst_case_assessment(content, note=""),
        worst_case_assessment(content, note=("The rail by the back step wobbles. " * 20)[:300]),
        worst_case_assessment(content, note="\n".join(["W" * 60] * 4)),
    ]
    with app.app_context():
        for doc in cases:
            plan = build(content, parse_assessment(doc))
            for large in (False, True):
                estimate = estimate_pages(plan, large)
                if estimate > PAGES_MAX:
                    continue  # refused before rendering: nothing to compare
                pages = len(PdfReader(io.BytesIO(render_pdf(plan_html(plan, large), large=large))).pages)
                assert pages <= estimate, (large, pages, estimate)


def test_the_worst_plan_within_the_note_limits_is_refused_before_rendering(client, content):
    response = post(client, "/plan.pdf?large=1", worst_case_assessment(content))
    assert response.status_code == 422
    assert response.get_json()["error"] == "too-long" and "too long to print" in response.get_json()["message"]


def test_the_render_pool_turns_work_away_at_once_when_every_renderer_and_the_queue_are_taken():
    pool = RenderPool(processes=2, queue=0, per_address=2)
    with pool.slot("a"), pool.slot("b"):
        started = time.monotonic()
        with pytest.raises(RenderBusy), pool.slot("c"):
            pass
        assert time.monotonic() - started < 1  # at once, not after a wait
    with pool.slot("c"):
        pass  # free again


@pytest.mark.parametrize("path", ["/plan.pdf", "/summary.pdf", "/ot-report.pdf"])
def test_when_every_renderer_is_busy_a_pdf_request_is_a_503_before_its_body_is_read(app, path):
    client = app.test_client()
    token = client.get("/api/csrf-token").get_json()["token"]
    pool = render_pool(app)
    pool.wait = 0  # refused at once, not after the queue's wait
    with contextlib.ExitStack() as taken:
        with contextlib.suppress(RenderBusy):
            for address in range(100):
                taken.enter_context(pool.slot(str(address)))
        # Not even JSON: had the body been read, this would be a 400.
        response = client.post(path, data=b"{not json", content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 503 and response.get_json()["error"] == "busy"
    assert response.headers["Retry-After"] and "try again" in response.get_json()["message"].lower()
    # Free again: the same request is read, and refused for what it is.
    response = client.post(path, data=b"{not json", content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 400


def test_renders_in_a_separate_process_pool_work(app, content):
    pool = RenderPool(processes=1, queue=1)
    try:
        with app.app_context():
            plan = build(content, parse_assessment(example_assessment(content.version)))
            pdf = pool.render(plan_html(plan))
        assert pdf.startswith(b"%PDF") and len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    finally:
        pool.shutdown()


def test_a_render_over_its_time_limit_is_stopped_and_the_next_one_runs(app):
    pool = RenderPool(processes=1, queue=0, seconds=2)
    try:
        pool.start()
        started = time.monotonic()
        with pytest.raises(RenderBusy, match="longer than 2 s"):
            pool.call(time.sleep, 60)  # stands in for a render that never ends
        assert time.monotonic() - started < 30  # stopped, not waited for
        with app.app_context():
            assert pool.render("<p>After the stopped one</p>").startswith(b"%PDF")
    finally:
        pool.shutdown()


def test_a_renderer_that_dies_is_a_503_and_is_replaced(app):
    pool = RenderPool(processes=1, queue=0)
    try:
        with pytest.raises(RenderBusy, match="stopped"):
            pool.call(os._exit, 1)  # as if killed, or out of memory
        with app.app_context():
            assert pool.render("<p>After the one that died</p>").startswith(b"%PDF")
    finally:
        pool.shutdown()


@pytest.fixture()
def limited_client():
    app = create_app(
        {**TEST_CONFIG, "RATELIMIT_ENABLED": True, "RATELIMIT_PDF": "2 per minute", "RATELIMIT_API": "3 per minute"}
    )
    return app.test_client()


def test_api_posts_are_rate_limited_in_the_one_error_shape(limited_client):
    statuses = [post(limited_client, "/api/personalise", {"schema": 2}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = post(limited_client, "/api/plan", {"schema": 2})  # each endpoint has its own count
    assert response.status_code == 200
    response = post(limited_client, "/api/personalise", {"schema": 2})
    assert set(response.get_json()) == {"error", "message"} and response.get_json()["error"] == "too-many-requests"


def test_a_rate_limited_page_says_so_in_plain_words(limited_client):
    for _ in range(2):
        assert limited_client.get("/checklist.pdf").status_code == 200
    response = limited_client.get("/checklist.pdf")
    assert response.status_code == 429 and response.mimetype == "text/html"
    assert "Please wait a minute, then try again." in response.get_data(as_text=True)
    # Pages themselves are never limited.
    assert all(limited_client.get("/").status_code == 200 for _ in range(10))


def test_behind_a_proxy_https_brings_hsts_and_the_real_client_address():
    app = create_app({**TEST_CONFIG, "PROXY_FIX": 1, "SESSION_COOKIE_SECURE": True})
    client = app.test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    token = client.get("/api/csrf-token", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in token.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers


def test_the_secret_key_is_made_once_with_owner_only_permissions(tmp_path, monkeypatch):
    first = instance_secret_key(str(tmp_path / "instance"))
    assert instance_secret_key(str(tmp_path / "instance")) == first
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("SAFESTEPS_INSTANCE_PATH", str(tmp_path / "instance"))
    assert create_app({"TESTING": True}).config["SECRET_KEY"] == first
    monkeypatch.setenv("SAFESTEPS_SECRET_KEY", "from-the-environment")
    assert create_app({"TESTING": True}).config["SECRET_KEY"] == "from-the-environment"
