import pytest

from pwa import create_app
from pwa.content import load_content

# The sections of the walk, in walk order: tests that name them all take the list from here.
SECTION_IDS = [
    "entrance",
    "living",
    "kitchen",
    "bathroom",
    "bedroom",
    "stairs",
    "habits",
    "moving",
    "exercise",
    "after-fall",
]


@pytest.fixture(scope="session")
def content():
    return load_content()


# Rate limits are tested on their own (tests/test_limits.py); elsewhere they would only count other tests.
# PDFs render in the test's own process (PDF_PROCESSES=0): the renderer processes are tested on their own too.
TEST_CONFIG = {"TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False, "PDF_PROCESSES": 0}


@pytest.fixture()
def app():
    return create_app(TEST_CONFIG)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def csrf_headers(client):
    """Headers for a POST the way the browser sends one: with a fresh token from /api/csrf-token."""
    token = client.get("/api/csrf-token").get_json()["token"]
    return {"X-CSRFToken": token}
