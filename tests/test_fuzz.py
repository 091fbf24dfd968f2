"""Property tests: malformed and hostile requests at every POST endpoint, with CSRF on as in production.

Never a 5xx; never unescaped markup in the plan's HTML; never a fetch from the PDF outside the app's static
files; never more than a generous time bound per request. The bound is about bounded work (a hostile document
once took a minute), not about speed: speed is measured by scripts/bench_*.py. The CI profile is small;
scripts/fuzz.py runs the same strategies 10,000 times per endpoint.
"""

from __future__ import annotations

import io
import json
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from werkzeug.datastructures import MultiDict

from pwa import create_app, pdf

from .conftest import TEST_CONFIG
from .strategies import ENDPOINTS, MARKUP

settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TIME_BOUND_S = 30  # CPU seconds; generous: the worst document within the limits renders in a few seconds


@pytest.fixture(scope="module")
def fuzz_client():
    # Renders in this process (PDF_PROCESSES=0) so that every URL the PDF asks for can be watched.
    return fuzzing_client(create_app({**TEST_CONFIG, "PDF_PROCESSES": 0}))


def fuzzing_client(app):
    """A test client that sends the CSRF token with every POST, as the pages do (one token serves a session)."""
    client = app.test_client()
    client.csrf_headers = {"X-CSRFToken": client.get("/api/csrf-token").get_json()["token"]}
    return client


@pytest.fixture(scope="module")
def fetched():
    urls = []
    original = pdf.StaticOnlyFetcher.fetch

    def watching(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    pdf.StaticOnlyFetcher.fetch = watching
    yield urls
    pdf.StaticOnlyFetcher.fetch = original


def send(client, endpoint, sent):
    """The response, and the CPU time the request took in this thread, where the test client runs it (the PDF
    too, with PDF_PROCESSES=0): the work it cost, whatever else the machine is busy with."""
    kind, value = sent
    start = time.thread_time()
    if kind == "form":
        field, photos = value
        form = MultiDict([("assessment", field)])
        for name, blob in photos:
            form.add(name, (io.BytesIO(blob), "photo.jpg", "image/jpeg"))
        response = client.post(endpoint, data=form, content_type="multipart/form-data", headers=client.csrf_headers)
    else:
        data = json.dumps(value) if kind == "json" else value
        response = client.post(endpoint, data=data, content_type="application/json", headers=client.csrf_headers)
    return response, time.thread_time() - start


def check(response, elapsed, endpoint, fetched_urls):
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert elapsed < TIME_BOUND_S
    if response.status_code >= 400:
        problem = response.get_json()
        assert set(problem) == {"error", "message"}
    elif endpoint == "/api/plan":
        html = response.get_data(as_text=True)
        assert not any(marker in html for marker in MARKUP)
    for url in fetched_urls:
        assert url.startswith(pdf.fetcher().base_url), url
    fetched_urls.clear()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_hostile_request_breaks_an_endpoint(fuzz_client, fetched, endpoint):
    @given(sent=ENDPOINTS[endpoint])
    def property_holds(sent):
        response, elapsed = send(fuzz_client, endpoint, sent)
        assert response.status_code != 400 or response.get_json()["error"] != "csrf"  # the token is good
        check(response, elapsed, endpoint, fetched)

    property_holds()
