"""Property tests: malformed and hostile assessments at every endpoint that takes one.

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
from scripts._fuzzing import ENDPOINTS, body, check, send

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
    app = create_app({**TEST_CONFIG, "PDF_PROCESSES": 0, "WTF_CSRF_ENABLED": False})
    return app.test_client()


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
@given(sent=body)
def test_no_hostile_assessment_breaks_an_endpoint(fuzz_client, fetched, endpoint, sent):
    response, elapsed = send(fuzz_client, endpoint, sent)
    check(response, elapsed, endpoint, fetched)
