"""Releases in a real headless Chromium: a returning person gets the new release (its pages, files and advice),
one consistent release per page, with their answers untouched.

The promise these tests hold the app to (see templates/sw.js): a page is always answered from the release the
service worker holds. A new release installs in the background during a visit, and that page says so; the next
page the person opens by following a link is the new release, with advice worked out for the new content.
"""

import shutil

import pytest
import yaml

from pwa import create_app
from pwa.content import DEFAULT_DIR
from scripts._servers import threaded_server

from .conftest import PHONE, open_page
from .test_offline import answer, cache_names, css, wait_for_control

UPDATE_NOTICE = "[data-update-notice]"


def follow(page, selector):
    """Follow a link as a person does (the page lets a waiting release take over first) and wait for the page."""
    with page.expect_navigation() as navigation:
        page.click(selector)
    page.wait_for_selector("body[data-restored='true']")
    return navigation.value


class SameOrigin:
    """One loopback port whose app can be replaced by a new one (a restart as the browser sees it: same origin,
    so the same service worker registration and the same IndexedDB)."""

    def __init__(self, app):
        self.app = app
        self.server = threaded_server(self)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)

    def restart(self, app):
        # Every request from now on, on new connections and on ones the browser keeps open, reaches the new app.
        self.app = app


class ReleaseMarks:
    """Marks every page, stylesheet and script with the name of the release that served it, so a test can read,
    in the page, which release each of them came from."""

    def __init__(self, app, release):
        self.app, self.release = app, release

    def __call__(self, environ, start_response):
        # Always a full answer: a 304 would let the browser keep a body marked by another release.
        for header in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"):
            environ.pop(header, None)
        environ.pop("HTTP_ACCEPT_ENCODING", None)  # a plain body, so the mark can be added to it
        sent = {}

        def capture(status, headers, exc_info=None):
            sent.update(status=status, headers=headers)
            return lambda data: None

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        headers = sent["headers"]
        kind = dict(headers).get("Content-Type", "")
        path = environ["PATH_INFO"]
        mark = self.release
        if kind.startswith("text/html"):
            body = body.replace(b"</head>", f'<meta name="test-release" content="{mark}"></head>'.encode(), 1)
        elif kind.startswith("text/css"):
            body += f'\n:root {{ --test-release: "{mark}"; }}\n'.encode()
        elif "javascript" in kind and path.startswith("/static/"):
            name = path.rsplit("/", 1)[-1]
            body += f'\n(globalThis.testRelease ??= {{}})["{name}"] = "{mark}";\n'.encode()
        headers = [(k, v) for k, v in headers if k.lower() not in ("content-length", "etag", "last-modified")]
        start_response(sent["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]


RELEASES_ON_PAGE = """() => ({
  html: document.querySelector("meta[name='test-release']")?.content ?? null,
  css: getComputedStyle(document.documentElement).getPropertyValue("--test-release").trim().replaceAll('"', ""),
  js: { ...(globalThis.testRelease ?? {}) },
})"""


def assert_one_release(page, release, page_module):
    """The page, its stylesheet, app.js and every module it imported (the page's own included) are `release`."""
    page.wait_for_function("(name) => globalThis.testRelease && name in globalThis.testRelease", arg=page_module)
    seen = page.evaluate(RELEASES_ON_PAGE)
    assert seen["html"] == release and seen["css"] == release, seen
    assert {"app.js", "sw-register.js", "store.js", page_module} <= set(seen["js"]), seen
    assert set(seen["js"].values()) == {release}, seen


def wait_for_only_cache(page, name):
    """The old release's worker has handed over and the new one has activated, deleting the old cache."""
    page.wait_for_function("async (name) => (await caches.keys()).join() === name", arg=name)


def worker_version(page):
    script = page.evaluate("fetch('/sw.js').then(r => r.text())")
    return script.split('const VERSION = "')[1].split('"')[0]


def controlled_by_the_active_worker(page):
    return page.evaluate("""async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return navigator.serviceWorker.controller && navigator.serviceWorker.controller === r.active;
    }""")


@pytest.fixture()
def same_origin():
    server = SameOrigin(None)
    yield server
    server.server.shutdown()


@pytest.fixture()
def new_context(browser):
    contexts = []

    def make(base_url):
        context = browser.new_context(base_url=base_url, viewport=PHONE)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return context, page, errors

    yield make
    for context in contexts:
        context.close()


def released(name):
    return ReleaseMarks(create_app({"TESTING": True, "CACHE_VERSION": name}), name)


def test_a_page_from_the_worker_comes_with_css_and_js_of_its_own_release(same_origin, new_context, content):
    room = content.sections[2]
    same_origin.restart(released("release-1"))
    context, page, errors = new_context(same_origin.url)
    open_page(page, "/")
    wait_for_control(page)

    response = page.goto(f"/rooms/{room.id}")
    assert response.from_service_worker
    assert_one_release(page, "release-1", "room.js")

    same_origin.restart(released("release-2"))
    # This visit finds the new release and installs it in the background; the page itself, and everything it
    # loads, are still the release the worker holds, and the page says the next one will be new.
    response = page.goto("/summary")
    assert response.from_service_worker
    assert_one_release(page, "release-1", "summary.js")
    page.wait_for_selector(f"{UPDATE_NOTICE}:visible")
    assert "next page you open" in page.inner_text(UPDATE_NOTICE)

    # The next page opened is the new release, whole.
    response = follow(page, f"main a[href='/rooms/{room.id}']")
    assert response.from_service_worker
    assert_one_release(page, "release-2", "room.js")
    wait_for_only_cache(page, "safesteps-release-2")
    assert page.is_hidden(UPDATE_NOTICE)
    assert controlled_by_the_active_worker(page) and worker_version(page) == "release-2"

    context.set_offline(True)  # and offline, the new release alone
    response = page.reload()
    assert response.from_service_worker
    assert_one_release(page, "release-2", "room.js")
    assert not errors


def test_a_new_release_replaces_the_old_cache_and_keeps_the_answers(same_origin, new_context, content):
    room = content.sections[1]
    item = room.items[0].id
    same_origin.restart(create_app({"TESTING": True, "CACHE_VERSION": "release-1"}))
    context, page, errors = new_context(same_origin.url)
    open_page(page, f"/rooms/{room.id}")
    wait_for_control(page)
    answer(page, item, "fix")
    assert cache_names(page) == ["safesteps-release-1"]

    same_origin.restart(create_app({"TESTING": True, "CACHE_VERSION": "release-2"}))
    page.reload()  # a navigation makes the browser check /sw.js, whose bytes have changed
    page.wait_for_selector("body[data-restored='true']")
    page.wait_for_selector(f"{UPDATE_NOTICE}:visible")  # installed, waiting for the next page
    assert sorted(cache_names(page)) == ["safesteps-release-1", "safesteps-release-2"]  # both, for now

    follow(page, "a[rel='next']")
    wait_for_only_cache(page, "safesteps-release-2")  # the old cache is gone, the new one is there
    assert worker_version(page) == "release-2"
    open_page(page, f"/rooms/{room.id}")
    assert page.is_checked(f"#{css(item)}--fix")

    context.set_offline(True)  # and the new cache alone serves the walk offline, answers included
    response = page.reload()
    assert response.from_service_worker
    page.wait_for_selector("body[data-restored='true']")
    assert page.is_checked(f"#{css(item)}--fix")
    assert not errors


# The editor may forget to bump content.yaml's version: the content version carries a digest of the files' bytes,
# so the edit alone still makes a new release, and returning people still get the new advice.
@pytest.mark.parametrize("bump", [True, False], ids=["version-bumped", "version-not-bumped"])
def test_new_advice_shows_after_a_content_release_and_the_answers_stay(same_origin, new_context, tmp_path, bump):
    content_dir = tmp_path / "checklists"
    shutil.copytree(DEFAULT_DIR, content_dir)
    same_origin.restart(create_app({"TESTING": True, "CONTENT_DIR": str(content_dir)}))
    rules_file, meta_file = content_dir / "rules.yaml", content_dir / "content.yaml"
    old_sentence = next(r["because"] for r in yaml.safe_load(rules_file.read_text())["rules"] if r["id"] == "spine")
    new_sentence = "NEW WORDING. With cancer in your spine, ask your care team before you bend, twist or lift."
    item = "kitchen.everyday-shelves"  # tagged bending: the spine rule raises it
    # Every item marked in the kitchen is marked for the spine: the reason is said once, for the room.
    reason = "[data-room-reason]"

    _, page, errors = new_context(same_origin.url)
    open_page(page, "/about-me")
    wait_for_control(page)
    page.check("input[name='sites'][value='spine']")
    page.wait_for_selector("[data-saved-status]:has-text('Saved')")
    open_page(page, "/rooms/kitchen")
    page.wait_for_selector(f"{reason}:visible")
    assert page.inner_text(reason) == f"Important for you: {old_sentence}"
    answer(page, item, "fix")
    old_version = page.get_attribute("meta[name='safesteps-content-version']", "content")

    # The next release: the spine rule says it differently, and the content version is bumped (or not).
    rules_file.write_text(rules_file.read_text().replace(old_sentence, new_sentence))
    label = yaml.safe_load(meta_file.read_text())["version"]
    if bump:
        meta_file.write_text(meta_file.read_text().replace(label, label + ".1"))
    same_origin.restart(create_app({"TESTING": True, "CONTENT_DIR": str(content_dir)}))

    # The person comes back. This visit is answered by the release the worker holds (and its advice, kept on
    # the device for that content version); it finds the new release and says the next page will show it.
    open_page(page, "/rooms/kitchen")
    page.wait_for_selector(f"{UPDATE_NOTICE}:visible")
    page.wait_for_selector(f"{reason}:visible")
    assert page.inner_text(reason) == f"Important for you: {old_sentence}"

    # The promise: the next page opened after the update notice (here by "Next", the bathroom) is the new
    # release, and shows the new advice.
    with page.expect_response("**/api/personalise") as asked:
        follow(page, "a[rel='next']")
    assert asked.value.ok
    new_version = page.get_attribute("meta[name='safesteps-content-version']", "content")
    assert new_version != old_version and new_version.startswith(f"{label}.1+" if bump else f"{label}+")
    bathroom = "[data-item='bathroom.toilet-height'] [data-for-you]"
    page.wait_for_selector(f"{bathroom}:has-text('NEW WORDING')")
    assert page.inner_text(bathroom) == f"Important for you: {new_sentence}"

    follow(page, "a[rel='prev']")  # back in the kitchen: the new advice, and the answers intact
    page.wait_for_selector(f"{reason}:has-text('NEW WORDING')")
    assert page.inner_text(reason) == f"Important for you: {new_sentence}"
    assert page.is_checked(f"#{css(item)}--fix")
    open_page(page, "/about-me")
    assert page.is_checked("input[name='sites'][value='spine']")
    assert not errors


def test_with_another_window_open_the_release_waits_and_no_window_mixes_releases(same_origin, new_context, content):
    rooms = content.sections
    same_origin.restart(released("release-1"))
    context, first, errors = new_context(same_origin.url)
    open_page(first, f"/rooms/{rooms[0].id}")
    wait_for_control(first)
    second = context.new_page()
    open_page(second, f"/rooms/{rooms[3].id}")

    same_origin.restart(released("release-2"))
    open_page(first, f"/rooms/{rooms[0].id}")
    first.wait_for_selector(f"{UPDATE_NOTICE}:visible")
    # Another window of release-1 is open: the new release must not take over under it. The link still works,
    # on the release both windows share.
    follow(first, "a[rel='next']")
    assert_one_release(first, "release-1", "room.js")
    second.reload()
    second.wait_for_selector("body[data-restored='true']")
    assert_one_release(second, "release-1", "room.js")
    assert sorted(cache_names(first)) == ["safesteps-release-1", "safesteps-release-2"]

    second.close()  # one window left: the next link it follows opens the new release
    first.wait_for_selector(f"{UPDATE_NOTICE}:visible")
    follow(first, "a[rel='next']")
    assert_one_release(first, "release-2", "room.js")
    wait_for_only_cache(first, "safesteps-release-2")
    assert not errors
