"""Print the taps an OT makes for a whole-home visit with five problems, on a tablet (820×1180).

The visit: add a client on the clients page, go from the visit page through "About me" to every room, mark one
problem in each of the first five rooms (one tap each), answer everything else in every room as safe, then open
the visit page and download the OT report. Where the room offers "Everything else here looks safe" (a home
visit, issue 20), that is one tap; otherwise every other question is its own tap. Typing (the client's name) is
not a tap. The same script runs on a release without that button, so the two counts compare.

Usage: .venv/bin/python scripts/bench_visit.py
"""

import logging
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pwa import create_app
from scripts._chromium import CHROMIUM, CHROMIUM_ARGS

TABLET = {"width": 820, "height": 1180}
PROBLEMS = 5


def restored(page):
    page.wait_for_selector("body[data-restored='true']")


def visit_taps(page) -> dict:
    taps = {"answers": 0, "other": 0}

    def tap(selector, kind="other"):
        page.locator(selector).first.click()
        taps[kind] += 1

    page.goto("/clients")
    restored(page)
    page.fill("[data-new-client-name]", "Bench Client")
    with page.expect_navigation(url="**/visit"):
        tap("[data-new-client] button[type=submit]")
    restored(page)
    with page.expect_navigation(url="**/about-me"):
        tap(".walk-nav a.primary")
    restored(page)
    problems = 0
    while True:
        with page.expect_navigation():
            tap(".walk-nav a[rel=next], .walk-nav a.primary")
        restored(page)
        if "/rooms/" not in page.url:
            break
        page.wait_for_selector("body[data-personalised='true']")
        items = page.locator("[data-item]:visible")
        if problems < PROBLEMS and items.count():
            item_id = items.first.get_attribute("data-item")
            tap(f"label[for='{item_id}--fix']", "answers")
            problems += 1
        rest_safe = page.locator("[data-rest-safe]:visible")
        if rest_safe.count():
            tap("[data-rest-safe]")
        else:
            for item_id in items.evaluate_all("(els) => els.map((e) => e.dataset.item)"):
                if not page.locator(f"[data-item='{item_id}'] input:checked").count():
                    tap(f"label[for='{item_id}--ok']", "answers")
        page.wait_for_selector("[data-saved-status]:has-text('Saved on this device')")
    page.goto("/visit")  # the visit bar's link: one tap
    taps["other"] += 1
    restored(page)
    with page.expect_download():
        tap("[data-ot-report]")
    return {**taps, "problems": problems}


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=f"http://127.0.0.1:{server.server_port}", viewport=TABLET)
        taps = visit_taps(context.new_page())
        context.close()
        browser.close()
    server.shutdown()
    total = taps["answers"] + taps["other"]
    print(
        f"whole-home visit, {taps['problems']} problems, tablet 820x1180: {total} taps "
        f"({taps['answers']} answer taps, {taps['other']} other taps)"
    )


if __name__ == "__main__":
    main()
