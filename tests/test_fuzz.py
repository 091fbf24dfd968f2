"""Property tests: malformed and hostile requests at every POST endpoint, with CSRF on as in production.

Never a 5xx; never unescaped markup in the plan's HTML; never a fetch from the PDF outside the app's static
files; never more than a generous time bound per request. The bound is about bounded work (a hostile document
once took a minute), not about speed: speed is measured by scripts/bench_*.py. The CI profile is small;
scripts/fuzz.py runs the same strategies 10,000 times per endpoint.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from pwa import create_app, pdf
from scripts._fuzzing import ENDPOINTS, check, fuzzing_client, send

from .conftest import TEST_CONFIG

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


@pytest.fixture(scope="module")
def fuzz_client():
    # Renders in this process (PDF_PROCESSES=0) so that every URL the PDF asks for can be watched.
    return fuzzing_client(create_app({**TEST_CONFIG, "PDF_PROCESSES": 0}))


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


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_hostile_request_breaks_an_endpoint(fuzz_client, fetched, endpoint):
    @given(sent=ENDPOINTS[endpoint])
    def property_holds(sent):
        response, elapsed = send(fuzz_client, endpoint, sent)
        assert response.status_code != 400 or response.get_json()["error"] != "csrf"  # the token is good
        check(response, elapsed, endpoint, fetched)

    property_holds()
