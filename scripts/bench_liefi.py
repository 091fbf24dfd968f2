"""Lie-fi benchmark: how long opening a room takes on a connection that answers, but slowly.

Starts SafeSteps on a loopback port, puts a small TCP proxy in front of it that holds every request for
DELAY seconds before passing it on (one bar of signal in a kitchen), and drives Debian's Chromium through the
proxy with Playwright. Once the service worker has installed, it opens room pages, first through the slow
proxy, then with the browser context offline, and prints the medians and their ratio.

The time measured is the page's own: from navigation start (performance.timeOrigin) to the moment the page's
script marks `body[data-restored='true']` (the saved answers are on screen).

    .venv/bin/python scripts/bench_liefi.py [--runs 9] [--delay 2.0]

It is a script that prints figures, not a test: the goal (through the proxy within 1.5x of offline) is read,
not asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import sys
import threading
import time
from pathlib import Path

from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pwa import create_app
from scripts._chromium import CHROMIUM, CHROMIUM_ARGS

# Records when the page marks itself restored, in milliseconds since its navigation started.
MEASURE = """(() => {
  const mark = () => {
    if (window.__restoredAt === undefined && document.body && document.body.dataset.restored === "true") {
      window.__restoredAt = performance.now();
    }
  };
  new MutationObserver(mark).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-restored"],
  });
})();"""


class SlowProxy:
    """A loopback TCP proxy that delays every chunk from the browser to the server by `delay` seconds.

    Chunks keep their order and are delayed independently (a pipe with latency, not a queue), so each request
    arrives `delay` seconds late and the answer comes straight back: every request is held `delay` seconds.
    """

    def __init__(self, upstream_port: int, delay: float):
        self.upstream_port = upstream_port
        self.delay = delay
        self.port = None
        self.requests = 0
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> SlowProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        async def close():
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(close(), self._loop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _client(self, client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_writer.close()
            return
        with contextlib.suppress(asyncio.CancelledError):  # the benchmark is over
            await asyncio.gather(
                self._slow_pipe(client_reader, server_writer),
                self._pipe(server_reader, client_writer),
                return_exceptions=True,
            )

    async def _slow_pipe(self, reader, writer):
        queue: asyncio.Queue = asyncio.Queue()

        async def forward():
            while True:
                due, chunk = await queue.get()
                if chunk is None:
                    break
                await asyncio.sleep(max(0.0, due - self._loop.time()))
                writer.write(chunk)
                await writer.drain()
            writer.close()

        forwarding = asyncio.create_task(forward())
        try:
            while chunk := await reader.read(65536):
                if chunk[:4] in (b"GET ", b"POST", b"HEAD", b"PUT ", b"DELE", b"OPTI"):
                    self.requests += 1
                queue.put_nowait((self._loop.time() + self.delay, chunk))
        finally:
            queue.put_nowait((0, None))
            await forwarding

    @staticmethod
    async def _pipe(reader, writer):
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        finally:
            writer.close()


def start_app():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury the figures
    app = create_app({})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server


TIMES = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  return { restored: window.__restoredAt, answered: navigation.responseEnd };
}"""


def open_room(page, path: str) -> dict:
    """Open a page; its times in ms from navigation start: the page answered (responseEnd), answers shown."""
    page.goto(path, wait_until="commit", timeout=60_000)
    page.wait_for_selector("body[data-restored='true']", timeout=60_000)
    return page.evaluate(TIMES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="room openings per condition (default 9)")
    parser.add_argument("--delay", type=float, default=2.0, help="seconds the proxy holds each request")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    app, server = start_app()
    proxy = SlowProxy(server.server_port, args.delay).start()
    base = f"http://127.0.0.1:{proxy.port}"
    rooms = [f"/rooms/{section.id}" for section in app.extensions["safesteps.content"].sections]
    print(
        f"SafeSteps on 127.0.0.1:{server.server_port}, behind a proxy holding each request {args.delay:g} s at {base}"
    )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844})
        context.add_init_script(MEASURE)
        page = context.new_page()

        started = time.monotonic()
        first = open_room(page, "/")["restored"]
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=120_000)
        print(
            f"first visit (network, no worker yet): {first:.0f} ms to restored; "
            f"worker installed and in control after {time.monotonic() - started:.1f} s"
        )
        open_room(page, rooms[0])  # one page through the worker before measuring

        # The two conditions take turns, so that whatever else the machine is doing weighs on both alike.
        timings: dict[str, list[dict]] = {"through the slow proxy": [], "offline": []}
        for run in range(args.runs):
            for condition, offline in (("through the slow proxy", False), ("offline", True)):
                context.set_offline(offline)
                timings[condition].append(open_room(page, rooms[(run + 1) % len(rooms)]))
        context.set_offline(False)
        browser.close()

    proxy.stop()
    server.shutdown()

    print()
    print(f"opening a room page, navigation start to body[data-restored='true'], {args.runs} runs each:")
    medians = {}
    for condition, runs in timings.items():
        values = [t["restored"] for t in runs]
        medians[condition] = statistics.median(values)
        answered = statistics.median(t["answered"] for t in runs)
        listed = ", ".join(f"{v:.0f}" for v in values)
        print(
            f"  {condition:<24} median {medians[condition]:7.1f} ms   (runs: {listed}; "
            f"page answered after {answered:.0f} ms)"
        )
    ratio = medians["through the slow proxy"] / medians["offline"]
    print(f"  ratio slow / offline     {ratio:7.2f}x   (goal: 1.5x or less)")
    print(f"requests that went through the proxy: {proxy.requests}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
