#!/usr/bin/env python3
"""The production command under load, on loopback: pages per second, PDFs per second, page latency while a
flood of worst-case PDF requests comes in, errors, and memory over many PDFs.

    .venv/bin/python scripts/bench_load.py [--workers 2] [--seconds 10] [--flood 20] [--pdfs 1000]

Runs `python -m pwa serve --workers N` (gunicorn, gthread) with the rate limits raised out of the way (one
client address sends everything here). Memory is the resident size of the whole process tree (gunicorn, its
workers and their PDF renderers), sampled every 0.2 s. Goals: page p95 under 100 ms during the flood, and
memory flat over 1,000 PDFs. A 503 during the flood is the render pool turning work away, not an error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pwa.content import load_content  # noqa: E402
from pwa.example import example_assessment, worst_case_assessment  # noqa: E402
from scripts._servers import production_server  # noqa: E402

PAGES = ["/", "/rooms/bathroom", "/rooms/kitchen", "/plan", "/red-flags", "/about-me"]


def tree_rss_mb(root: int) -> float:
    parents, rss = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid], rss[pid] = int(fields[1]), int(fields[21]) * 4096
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total / 2**20


class Client:
    def __init__(self, port: int):
        self.port, self.connection, self.cookie, self.token = port, None, "", None

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.connection.request(method, path, body=body, headers={**(headers or {}), "Cookie": self.cookie})
                response = self.connection.getresponse()
                data = response.read()
                if response.getheader("Set-Cookie"):
                    self.cookie = response.getheader("Set-Cookie").split(";", 1)[0]
                return response.status, data
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    return 0, b""
        return 0, b""

    def post_pdf(self, body: bytes, query="paper=a4"):
        if self.token is None:
            self.token = json.loads(self.request("GET", "/api/csrf-token")[1])["token"]
        return self.request(
            "POST", f"/plan.pdf?{query}", body, {"Content-Type": "application/json", "X-CSRFToken": self.token}
        )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")


def loop(stop, work, results):
    while not stop.is_set():
        results.append(work())


def timed(function):
    start = time.perf_counter()
    status = function()
    return status, (time.perf_counter() - start) * 1000


def run_for(seconds, threads, make_work):
    stop, results, workers = threading.Event(), [], []
    for index in range(threads):
        work = make_work(index)
        workers.append(threading.Thread(target=loop, args=(stop, work, results), daemon=True))
    for worker in workers:
        worker.start()
    stop.wait(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--flood", type=int, default=20, help="clients sending worst-case PDF requests at once")
    parser.add_argument("--pdfs", type=int, default=1000, help="PDFs for the memory measurement")
    args = parser.parse_args()

    content = load_content()
    typical = json.dumps(example_assessment(content.version)).encode()
    # The worst plan the page limit lets through in normal print: every item, 300-character notes.
    worst = json.dumps(worst_case_assessment(content, note=("The rail by the back step wobbles. " * 20)[:300])).encode()
    env = {"SAFESTEPS_RATELIMIT_PDF": "1000000 per minute", "SAFESTEPS_RATELIMIT_API": "1000000 per minute"}
    with production_server(env, workers=args.workers, threads=8) as server:
        port, root = int(server.url.rsplit(":", 1)[1]), server.process.pid
        samples, sampling = [], threading.Event()

        def sample():
            while not sampling.is_set():
                samples.append(tree_rss_mb(root))
                sampling.wait(0.2)

        threading.Thread(target=sample, daemon=True).start()
        print(f"production command: python -m pwa serve --workers {args.workers} --threads 8 (gunicorn gthread)")
        print(f"memory at start: {tree_rss_mb(root):.0f} MB")

        def page_work(index):
            client = Client(port)
            return lambda: timed(lambda: client.request("GET", PAGES[index % len(PAGES)])[0])

        results = run_for(args.seconds, 4, page_work)
        latencies = [ms for status, ms in results if status == 200]
        print(
            f"pages alone: {len(latencies) / args.seconds:.0f} pages/s, p50 {percentile(latencies, 0.5):.1f} ms, "
            f"p95 {percentile(latencies, 0.95):.1f} ms, errors {sum(s != 200 for s, _ in results)}"
        )

        def pdf_work(index):
            client = Client(port)
            return lambda: timed(lambda: client.post_pdf(typical)[0])

        results = run_for(args.seconds, 2, pdf_work)
        good = [ms for status, ms in results if status == 200]
        print(
            f"typical PDFs alone (2 clients): {len(good) / args.seconds:.1f} PDFs/s, p50 {percentile(good, 0.5):.0f} ms, "
            f"busy 503: {sum(s == 503 for s, _ in results)}, errors {sum(s not in (200, 503) for s, _ in results)}"
        )

        # The flood: many clients asking for the worst PDF at once, while two people open pages.
        stop, flood_results, page_results = threading.Event(), [], []
        flooders = []
        for _ in range(args.flood):
            client = Client(port)
            flooders.append(
                threading.Thread(
                    target=loop,
                    args=(stop, lambda c=client: timed(lambda: c.post_pdf(worst)[0]), flood_results),
                    daemon=True,
                )
            )
        readers = []
        for index in range(2):
            client = Client(port)
            readers.append(
                threading.Thread(
                    target=loop,
                    args=(stop, lambda c=client, i=index: timed(lambda: c.request("GET", PAGES[i])[0]), page_results),
                    daemon=True,
                )
            )
        for thread in flooders + readers:
            thread.start()
        stop.wait(args.seconds * 2)
        stop.set()
        for thread in flooders + readers:
            thread.join()
        latencies = [ms for status, ms in page_results if status == 200]
        made = [ms for status, ms in flood_results if status == 200]
        print(f"during a flood of {args.flood} clients sending worst-case PDFs for {args.seconds * 2:.0f} s:")
        print(
            f"  pages: {len(latencies) / (args.seconds * 2):.0f} pages/s, p50 {percentile(latencies, 0.5):.1f} ms, "
            f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies, default=0):.0f} ms, "
            f"errors {sum(s != 200 for s, _ in page_results)}"
        )
        print(
            f"  worst-case PDFs: {len(made) / (args.seconds * 2):.2f} PDFs/s (median {percentile(made, 0.5):.0f} ms), "
            f"turned away busy (503): {sum(s == 503 for s, _ in flood_results)}, "
            f"errors: {sum(s not in (200, 503) for s, _ in flood_results)}"
        )

        # Memory over many PDFs.
        done, marks = [0], {}
        step = max(1, args.pdfs // 10)  # memory is read after every tenth of the PDFs
        lock = threading.Lock()

        def many(index):
            client = Client(port)
            while True:
                with lock:
                    if done[0] >= args.pdfs:
                        return
                    done[0] += 1
                    count = done[0]
                status = client.post_pdf(typical)[0]
                if status not in (200, 503):
                    print(f"  error {status}")
                if count % step == 0:
                    marks[count] = tree_rss_mb(root)

        start = time.perf_counter()
        threads = [threading.Thread(target=many, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sampling.set()
        elapsed = time.perf_counter() - start
        print(f"{args.pdfs} typical PDFs in {elapsed:.0f} s ({args.pdfs / elapsed:.1f} PDFs/s)")
        print("  memory after N PDFs: " + ", ".join(f"{n}: {mb:.0f} MB" for n, mb in sorted(marks.items())))
        first, last = marks[min(marks)], marks[max(marks)]
        print(
            f"  from {min(marks)} to {max(marks)} PDFs: {last - first:+.0f} MB; peak over the whole run: {max(samples):.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
