"""Offline in a real headless Chromium: the service worker takes control, every page of the walk opens without
a connection, and no answer is ever lost. New releases: test_releases.py."""

import json
from datetime import date

import pytest

from .conftest import PHONE, READ_STORE, open_page, wait_for_saved

pytestmark = pytest.mark.service_worker

OFFLINE_SENTENCE = "This page needs a connection. Your answers are safe on this device."


def wait_for_control(page):
    """The worker has installed (everything precached), activated and claimed this page."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)


def cache_names(page):
    return page.evaluate("caches.keys()")


def answer(page, item_id, value):
    # Clear the status first: a "Saved" from the write before would otherwise end the wait at once.
    page.evaluate("document.querySelector('[data-saved-status]').textContent = ''")
    page.click(f"label[for='{item_id}--{value}']")
    page.wait_for_selector("[data-saved-status]:has-text('Saved')")


def css(item_id):
    return item_id.replace(".", "\\.")


def walk_pages(content):
    pages = {"/": None, "/about-me": "About me", "/summary": None, "/red-flags": content.red_flags.title}
    pages.update({f"/rooms/{s.id}": s.title for s in content.sections})
    return pages


def test_service_worker_takes_control_of_the_whole_app(page, live_server):
    open_page(page, "/")
    wait_for_control(page)
    worker = page.evaluate(
        "navigator.serviceWorker.getRegistration().then(r => ({scope: r.scope, script: r.active.scriptURL}))"
    )
    assert worker == {"scope": f"{live_server}/", "script": f"{live_server}/sw.js"}
    version = page.evaluate("fetch('/sw.js').then(r => r.text())").split('const VERSION = "')[1].split('"')[0]
    assert cache_names(page) == [f"safesteps-{version}"]
    # The next page is answered by the worker, and its files come from the cache.
    response = page.goto("/summary")
    assert response.from_service_worker


def test_every_page_of_the_walk_opens_offline_and_answers_typed_offline_stay(page, context, content):
    open_page(page, "/")
    wait_for_control(page)
    context.set_offline(True)

    for path, heading in walk_pages(content).items():
        response = page.goto(path)
        assert response.ok and response.from_service_worker, path
        page.wait_for_selector("body[data-restored='true']")
        if heading:
            assert page.text_content("h1") == heading, path
        assert page.is_visible("[data-offline-banner]"), path

    room = content.sections[3]
    first, second = room.items[0].id, room.items[1].id
    open_page(page, f"/rooms/{room.id}")
    answer(page, first, "fix")
    answer(page, second, "na")
    page.locator(f"[data-item='{first}'] [data-note-details] summary").click()
    page.fill(f"textarea[data-note='{first}']", "Typed with no signal")
    page.locator(f"[data-item='{first}'] .question-text").click()
    wait_for_saved(page, f"a.answers[{json.dumps(first)}]?.note === 'Typed with no signal'")

    response = page.reload()
    assert response.from_service_worker
    page.wait_for_selector("body[data-restored='true']")
    assert page.is_checked(f"#{css(first)}--fix") and page.is_checked(f"#{css(second)}--na")
    assert page.input_value(f"textarea[data-note='{first}']") == "Typed with no signal"

    context.set_offline(False)  # back online: the fresh page from the server shows the same answers
    page.reload()
    page.wait_for_selector("body[data-restored='true']")
    assert page.is_checked(f"#{css(first)}--fix")
    open_page(page, "/summary")
    assert page.locator(f"[data-summary-item='{first}'] [data-summary-answer]").text_content() == "Needs fixing"


def test_an_unknown_page_offline_shows_the_offline_page_not_a_browser_error(page, context, content):
    open_page(page, "/")
    wait_for_control(page)
    online = page.goto("/rooms/attic")
    assert online.status == 404  # online, the server's own answer stands

    context.set_offline(True)
    for path in ("/rooms/attic", "/no-such-page?x=1"):
        response = page.goto(path)
        assert response.from_service_worker and response.ok, path
        assert OFFLINE_SENTENCE in page.inner_text("main"), path
        assert page.locator("main a[href^='/rooms/']").count() == len(content.sections)
    page.click(f"main a[href='/rooms/{content.sections[0].id}']")  # its links work offline too
    page.wait_for_selector("body[data-restored='true']")
    assert page.text_content("h1") == content.sections[0].title


def test_persistent_storage_is_asked_for_once(context):
    context.add_init_script("""
      const count = (name) => localStorage.setItem(name, String(Number(localStorage.getItem(name) || 0) + 1));
      if (navigator.storage) {
        navigator.storage.persisted = async () => false;
        navigator.storage.persist = async () => { count("persistCalls"); return false; };
      }
      // The app reads whether it has asked before; once that read's transaction is complete, the app asks (or
      // not) before the next task: counting completed reads tells the test when each page has decided.
      const get = IDBObjectStore.prototype.get;
      IDBObjectStore.prototype.get = function (key) {
        const request = get.call(this, key);
        if (key === "persist-asked") request.transaction.addEventListener("complete", () => count("persistChecks"));
        return request;
      };
    """)
    page = context.new_page()
    for visited, path in enumerate(("/", "/about-me", "/summary"), start=1):
        open_page(page, path)
        page.wait_for_function("(n) => Number(localStorage.getItem('persistChecks')) >= n", arg=visited)
    assert page.evaluate("localStorage.getItem('persistCalls')") == "1"


def test_chromium_finds_the_app_installable(context, page):
    open_page(page, "/")
    wait_for_control(page)
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and manifest["errors"] == []
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # Playwright's contexts are incognito profiles, where Chromium never offers to install; nothing else is missing.
    assert set(errors) <= {"in-incognito"}
    cdp.detach()


def test_answers_and_offline_survive_closing_the_whole_browser(browser, live_server, content, tmp_path):
    # A real profile on disk (not an incognito context): close Chromium completely, start it again.
    from .conftest import CHROMIUM, CHROMIUM_ARGS

    room = content.sections[4]
    item = room.items[0].id

    def launch():
        return browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            base_url=live_server,
            viewport=PHONE,
        )

    first = launch()
    try:
        page = first.pages[0] if first.pages else first.new_page()
        open_page(page, f"/rooms/{room.id}")
        wait_for_control(page)
        answer(page, item, "fix")
    finally:
        first.close()

    again = launch()
    try:
        again.set_offline(True)
        page = again.pages[0] if again.pages else again.new_page()
        response = page.goto(f"/rooms/{room.id}")
        assert response.from_service_worker
        page.wait_for_selector("body[data-restored='true']")
        assert page.is_checked(f"#{css(item)}--fix")
    finally:
        again.close()


def test_a_plan_asked_for_offline_is_made_once_back_online(page, context, content):
    """Offline with the context itself offline: the plan page opens, promises the plan, and makes it by itself."""
    room = content.sections[1]
    item = room.items[0]
    open_page(page, "/")
    wait_for_control(page)

    context.set_offline(True)
    open_page(page, f"/rooms/{room.id}")
    answer(page, item.id, "fix")
    response = page.goto("/plan")
    assert response.from_service_worker
    page.wait_for_selector("body[data-restored='true']")
    page.wait_for_selector("[data-plan-offline]:visible")
    assert "Your answers are safe" in page.inner_text("[data-plan-offline]")
    assert page.locator(f"[data-action='{item.id}']").count() == 0  # no plan was ever made

    with page.expect_response("**/api/plan") as made:
        context.set_offline(False)  # nobody touches the page: it retries when the connection returns
    assert made.value.ok
    page.wait_for_selector(f"[data-action='{item.id}']")
    page.wait_for_selector("[data-plan-offline]", state="hidden")
    assert item.action[:25] in page.inner_text("main")


def test_a_pdf_link_opened_offline_says_so_plainly(page, context):
    open_page(page, "/")
    wait_for_control(page)
    context.set_offline(True)
    response = page.goto("/checklist.pdf")
    assert response.from_service_worker and response.ok
    assert OFFLINE_SENTENCE in page.inner_text("main")


def test_a_kept_plan_shown_offline_says_when_it_was_made_and_may_be_out_of_date(page, context, content):
    room = content.sections[2]
    item = room.items[0].id
    open_page(page, "/")
    wait_for_control(page)
    open_page(page, f"/rooms/{room.id}")
    answer(page, item, "fix")
    open_page(page, "/plan")
    page.wait_for_selector(f"[data-action='{item}']")
    # Kept per assessment and language, with the content version it was made with.
    current = page.evaluate(READ_STORE, ["settings", "current"])
    kept = page.evaluate(READ_STORE, ["derived", f"plan:{current}:en"])
    assert kept["contentVersion"] == content.version and kept["lang"] == "en" and kept["made"]

    context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    page.wait_for_selector("[data-plan-stale]:visible")
    stale = page.inner_text("[data-plan-stale]")
    assert "may be out of date" in stale and str(date.today().year) in stale
    assert page.inner_text("[data-plan-stale-date]").strip()
    assert "Made on" in page.inner_text("[data-plan]")  # the plan itself still carries its date
    assert page.locator(f"[data-action='{item}']").count() >= 1


def test_both_languages_open_offline_each_from_its_own_worker_and_cache(page, context, live_server):
    """/ and /es/ each have a worker (scope / and /es/) and a cache; neither deletes the other's."""
    open_page(page, "/")
    wait_for_control(page)
    page.click("a[data-language='es']")  # the switch: the choice is kept on the device
    page.wait_for_url("**/es/")
    page.wait_for_selector("body[data-restored='true']")
    wait_for_control(page)
    page.wait_for_function(
        "(url) => navigator.serviceWorker.controller?.scriptURL === url", arg=f"{live_server}/es/sw.js", timeout=20_000
    )
    names = cache_names(page)
    assert len(names) == 2 and any(n.startswith("safesteps-es-") for n in names), names
    context.set_offline(True)
    response = page.goto("/es/rooms/kitchen")
    assert response.ok and response.from_service_worker
    assert page.get_attribute("html", "lang") == "es"
    page.evaluate("localStorage.setItem('safesteps-language', 'en')")
    response = page.goto("/rooms/kitchen")
    assert response.ok and response.from_service_worker
    assert page.get_attribute("html", "lang") == "en"
