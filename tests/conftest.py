import shutil

import pytest

from pwa import create_app
from pwa.content import DEFAULT_DIR, load_content
from pwa.extensions import limiter

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
# PDFs render in the test's own process (PDF_PROCESSES=0): a renderer process at low priority is the first thing
# a busy machine starves. The pool's own behaviour is tested with real processes (test_limits, test_server).
TEST_CONFIG = {"TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False, "PDF_PROCESSES": 0}


@pytest.fixture(scope="session")
def _shared_app():
    return create_app(TEST_CONFIG)


@pytest.fixture()
def app(_shared_app):
    """One app for the whole session (it holds no per-test state), a fresh client per test. A test that changes
    the app's settings gets them put back afterwards; a test that needs other settings from the start calls
    create_app itself."""
    config = dict(_shared_app.config)
    # Flask-Limiter's one Limiter keeps the settings of the app it was last bound to: a test that built an app
    # with rate limits on (test_limits) leaves them on. Bound to this app again, it is off as TEST_CONFIG says.
    limiter.init_app(_shared_app)
    yield _shared_app
    _shared_app.config.clear()
    _shared_app.config.update(config)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def csrf_headers(client):
    """Headers for a POST the way the browser sends one: with a fresh token from /api/csrf-token."""
    token = client.get("/api/csrf-token").get_json()["token"]
    return {"X-CSRFToken": token}


@pytest.fixture()
def content_copy(tmp_path):
    """A copy of checklists/ to edit: a test of how the app meets a broken or changed content file."""
    target = tmp_path / "checklists"
    shutil.copytree(DEFAULT_DIR, target)
    return target
