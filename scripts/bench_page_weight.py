#!/usr/bin/env python3
"""How much a room page costs over the network: a first visit (cold: no service worker, empty HTTP cache) and
a repeat visit (the service worker in control), in Debian's headless Chromium.

    .venv/bin/python scripts/bench_page_weight.py [--runs 5] [--room kitchen]

Two views of the same visits, medians over the runs:
  - the server's view: every request that reached the app and the bytes it sent back (status line, headers
    and body), including what the service worker fetches for itself (on the first visit, the one-time
    offline copy of the whole walk; on a repeat visit, the fresh page and its update check of /sw.js).
    This is what actually crosses the network.
  - the page's view (Chrome DevTools Protocol): the requests the page made, how many the service worker
    answered, and the encoded bytes of those that went to the network without it.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import threading
from pathlib import Path

from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pwa import create_app
from scripts._chromium import CHROMIUM, CHROMIUM_ARGS


class Meter:
    """WSGI middleware counting requests and the bytes of each response."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.records: list[dict] = []

    def reset(self) -> list[dict]:
        with self.lock:
            records, self.records = self.records, []
        return records

    def __call__(self, environ, start_response):
        record = {"path": environ.get("PATH_INFO", ""), "bytes": 0}

        def counting_start_response(status, headers, exc_info=None):
            record["status"] = status
            record["bytes"] += len("HTTP/1.1 ") + len(status) + 2
            record["bytes"] += sum(len(k) + len(v) + 4 for k, v in headers) + 2
            return start_response(status, headers, exc_info)

        body = self.app(environ, counting_start_response)
        try:
            for chunk in body:
                record["bytes"] += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()
            with self.lock:
                self.records.append(record)


class PageMeter:
    """The page's own network activity, from the DevTools protocol."""

    def __init__(self, context, page):
        self.requests: dict[str, dict] = {}
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")

    def _sent(self, event):
        self.requests.setdefault(event["requestId"], {"url": event["request"]["url"], "sw": False, "bytes": 0})

    def _received(self, event):
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["sw"] = bool(event["response"].get("fromServiceWorker"))

    def _finished(self, event):
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["bytes"] = event["encodedDataLength"]

    def summary(self) -> dict:
        values = list(self.requests.values())
        return {
            "requests": len(values),
            "from_sw": sum(1 for r in values if r["sw"]),
            "network_bytes": sum(r["bytes"] for r in values if not r["sw"]),
        }


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def visit(context, page, url) -> dict:
    meter = PageMeter(context, page)
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("body[data-restored='true']")
    return meter.summary()


def one_run(browser, base_url, meter: Meter, room: str) -> dict:
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
    try:
        url = f"{base_url}/rooms/{room}"
        meter.reset()
        first_page = context.new_page()
        first = visit(context, first_page, url)
        # The worker installs during the first visit; wait until it has copied everything and taken control.
        first_page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
        first_page.wait_for_timeout(300)
        first_server = meter.reset()
        first_page.close()

        repeat_page = context.new_page()
        repeat = visit(context, repeat_page, url)
        repeat_page.wait_for_timeout(300)  # let the worker's update check of /sw.js land in the count
        repeat_server = meter.reset()
        return {
            "first": {
                **first,
                "server_requests": len(first_server),
                "server_bytes": sum(r["bytes"] for r in first_server),
            },
            "repeat": {
                **repeat,
                "server_requests": len(repeat_server),
                "server_bytes": sum(r["bytes"] for r in repeat_server),
                "server_paths": sorted(f"{r['path']} {r['status'].split()[0]}" for r in repeat_server),
            },
        }
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--room", help="room id (default: the first room)")
    args = parser.parse_args()

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    app = create_app()
    meter = Meter(app.wsgi_app)
    app.wsgi_app = meter
    room = args.room or app.extensions["safesteps.content"].sections[0].id
    server = serve(app)
    base_url = f"http://127.0.0.1:{server.server_port}"

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        runs = [one_run(browser, base_url, meter, room) for _ in range(args.runs)]
        browser.close()
    server.shutdown()

    def med(visit_name, key):
        return statistics.median(r[visit_name][key] for r in runs)

    print(f"SafeSteps page weight: /rooms/{room}, {args.runs} runs, medians (Chromium {CHROMIUM})")
    print(f"{'':34}{'requests':>10}{'bytes':>12}")
    print(
        f"{'first visit (cold), page view':34}{med('first', 'requests'):>10.0f}{med('first', 'network_bytes'):>12,.0f}"
        "   (the page itself, from CDP)"
    )
    print(
        f"{'  server view':34}{med('first', 'server_requests'):>10.0f}{med('first', 'server_bytes'):>12,.0f}"
        "   (the page plus the worker's one-time offline copy)"
    )
    print(
        f"{'repeat visit (SW), page view':34}{med('repeat', 'requests'):>10.0f}{med('repeat', 'network_bytes'):>12,.0f}"
        f"   ({med('repeat', 'from_sw'):.0f} answered by the service worker)"
    )
    print(
        f"{'  server view':34}{med('repeat', 'server_requests'):>10.0f}{med('repeat', 'server_bytes'):>12,.0f}"
        "   (what actually crossed the network)"
    )
    print("repeat visit, what reached the server (last run): " + ", ".join(runs[-1]["repeat"]["server_paths"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
