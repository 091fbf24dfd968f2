"""Real-browser tests: the app on a local port, driven by Playwright in Debian's headless Chromium."""

import shutil
from pathlib import Path

import pytest

from pwa import create_app
from scripts._chromium import CHROMIUM, CHROMIUM_ARGS, PHONE
from scripts._servers import app_server


def pytest_collection_modifyitems(items):
    # The hook sees every test of the session, not only this folder's: mark only those under tests/browser.
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server():
    # PDFs render in this process, as in tests/conftest.py: no renderer process to starve on a busy machine.
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False, "PDF_PROCESSES": 0})
    with app_server(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        # A missing browser is a failure, never a skip: these tests are part of what "passing" means.
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def context(request, browser, live_server):
    # The service worker precaches the whole app (some 50 files) in every new context: only the tests marked
    # service_worker (offline, releases) need it, the others get a context where it cannot register.
    service_workers = "allow" if request.node.get_closest_marker("service_worker") else "block"
    context = browser.new_context(base_url=live_server, viewport=PHONE, service_workers=service_workers)
    yield context
    context.close()


@pytest.fixture()
def page(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="module")
def _module_context(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=PHONE, service_workers="block")
    yield context
    context.close()


@pytest.fixture()
def shared_page(_module_context):
    """A page that a module's read-only checks share (a layout measured, a focus tabbed through: nothing typed,
    nothing saved), at phone size again for each test. A fresh context and page cost the browser a fifth of a
    second each; a test that types or saves anything takes `page`, fresh."""
    page = _module_context.pages[0] if _module_context.pages else _module_context.new_page()
    page.set_viewport_size(PHONE)
    errors = []

    def record(exc):
        errors.append(str(exc))

    page.on("pageerror", record)
    yield page
    page.remove_listener("pageerror", record)
    assert not errors, f"JavaScript errors on the page: {errors}"


# page.evaluate(READ_STORE, [store, key]): one value from the app's IndexedDB, as the page's scripts left it.
READ_STORE = """async ([store, key]) => {
  const db = await new Promise((resolve) => { const r = indexedDB.open("safesteps"); r.onsuccess = () => resolve(r.result); });
  const value = await new Promise((resolve) => {
    const request = db.transaction(store).objectStore(store).get(key);
    request.onsuccess = () => resolve(request.result);
  });
  db.close();
  return value;
}"""


# The assessment the page is working on, as saved in IndexedDB (null before the first save).
_READ_CURRENT = f"""async () => {{
  const read = {READ_STORE};
  const id = await read(["settings", "current"]);
  return id === undefined ? null : ((await read(["assessments", id])) ?? null);
}}"""


def wait_for_saved(page, condition, timeout_ms=10_000):
    """Wait until the saved assessment `a` satisfies `condition`, a JavaScript expression: a write has landed.

    Polled inside the page (Playwright's wait_for_function does not await an async predicate)."""
    satisfied = page.evaluate(
        f"""async (timeout) => {{
          const deadline = Date.now() + timeout;
          for (;;) {{
            const a = await ({_READ_CURRENT})();
            if (a !== null && ({condition})) return true;
            if (Date.now() > deadline) return false;
            await new Promise((next) => setTimeout(next, 50));
          }}
        }}""",
        timeout_ms,
    )
    assert satisfied, f"the saved assessment never came to satisfy: {condition}"


def wait_for_frames(page, frames=2):
    """Wait until the page has drawn `frames` more frames: what a change did to the layout has happened."""
    page.evaluate(
        "(n) => new Promise((done) => { const next = () => (n-- ? requestAnimationFrame(next) : done()); next(); })",
        frames,
    )


def open_page(page, path):
    """Go to a page and wait until its script has restored the saved answers."""
    page.goto(path)
    page.wait_for_selector("body[data-restored='true']")
