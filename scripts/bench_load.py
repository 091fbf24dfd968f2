#!/usr/bin/env python3
"""The production command under load, on loopback: pages per second, ordinary users' PDFs, page latency and
PDFs delivered while a flood of worst-case PDF requests comes in, errors, and memory over many PDFs.

    .venv/bin/python scripts/bench_load.py [--workers 1] [--threads 16] [--seconds 10] [--users 4] [--think 2]
        [--flood 20] [--flood-addresses 1] [--pdfs 1000]

Runs `python -m pwa serve` (gunicorn, gthread) behind a pretend proxy (PROXY_FIX=1): each client sends its own
X-Forwarded-For address, so the per-address share of the renderers applies as on the web. The rate limits are
raised out of the way, to measure the render pool alone. Memory is the resident size of the whole process tree
(gunicorn, its workers and their PDF renderers), sampled every 0.2 s. Goals: page p95 under 100 ms during the
flood, the ordinary users still served during it, and memory flat over 1,000 PDFs. A 503 is the render pool
turning work away, not an error.
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
    def __init__(self, port: int, address: str = "127.0.0.1"):
        self.port, self.connection, self.cookie, self.token = port, None, "", None
        # Each client its own address, as the one proxy in front would say (the server runs with PROXY_FIX=1).
        self.address = address

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.connection.request(
                    method,
                    path,
                    body=body,
                    headers={**(headers or {}), "Cookie": self.cookie, "X-Forwarded-For": self.address},
                )
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
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--users", type=int, default=4, help="ordinary users, each from its own address")
    parser.add_argument("--think", type=float, default=2, help="seconds an ordinary user reads between PDFs")
    parser.add_argument("--flood", type=int, default=20, help="connections sending worst-case PDF requests at once")
    parser.add_argument("--flood-addresses", type=int, default=1, help="how many addresses the flood comes from")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--pdfs", type=int, default=1000, help="PDFs for the memory measurement")
    args = parser.parse_args()

    content = load_content()
    typical = json.dumps(example_assessment(content.version)).encode()
    # The worst plan the page limit lets through in normal print: every item, 300-character notes.
    worst = json.dumps(worst_case_assessment(content, note=("The rail by the back step wobbles. " * 20)[:300])).encode()
    env = {
        "SAFESTEPS_RATELIMIT_PDF": "1000000 per minute",
        "SAFESTEPS_RATELIMIT_API": "1000000 per minute",
        "SAFESTEPS_PROXY_FIX": "1",
    }
    with production_server(env, workers=args.workers, threads=args.threads) as server:
        port, root = int(server.url.rsplit(":", 1)[1]), server.process.pid
        samples, sampling = [], threading.Event()

        def sample():
            while not sampling.is_set():
                samples.append(tree_rss_mb(root))
                sampling.wait(0.2)

        threading.Thread(target=sample, daemon=True).start()
        print(
            f"production command: python -m pwa serve --workers {args.workers} --threads {args.threads} "
            "(gunicorn gthread; PDF renderers as configured, 2 per process by default)"
        )
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

        # Ordinary users: each its own address, asking for a typical plan's PDF, then reading it for a moment.
        def ordinary(number):
            client = Client(port, f"198.51.100.{number + 1}")

            def work():
                status, ms = timed(lambda: client.post_pdf(typical)[0])
                time.sleep(args.think)
                return status, ms

            return work

        results = run_for(args.seconds, args.users, ordinary)
        good = [ms for status, ms in results if status == 200]
        print(
            f"{args.users} ordinary users alone (a typical PDF each, then {args.think:g} s reading): "
            f"{len(good)} PDFs delivered, p50 {percentile(good, 0.5):.0f} ms, p95 {percentile(good, 0.95):.0f} ms, "
            f"busy 503: {sum(s == 503 for s, _ in results)}, errors {sum(s not in (200, 503) for s, _ in results)}"
        )

        # The flood: many connections asking for the worst PDF at once, from --flood-addresses addresses, while
        # the ordinary users go on and two people open pages.
        stop, flood_results, user_results, page_results = threading.Event(), [], [], []
        threads = []
        for index in range(args.flood):
            client = Client(port, f"203.0.113.{index % args.flood_addresses + 1}")
            threads.append(
                threading.Thread(
                    target=loop,
                    args=(stop, lambda c=client: timed(lambda: c.post_pdf(worst)[0]), flood_results),
                    daemon=True,
                )
            )
        for index in range(args.users):
            threads.append(threading.Thread(target=loop, args=(stop, ordinary(index), user_results), daemon=True))
        for index in range(2):
            client = Client(port, f"192.0.2.{index + 1}")
            threads.append(
                threading.Thread(
                    target=loop,
                    args=(stop, lambda c=client, i=index: timed(lambda: c.request("GET", PAGES[i])[0]), page_results),
                    daemon=True,
                )
            )
        for thread in threads:
            thread.start()
        stop.wait(args.seconds * 2)
        stop.set()
        for thread in threads:
            thread.join()
        latencies = [ms for status, ms in page_results if status == 200]
        made = [ms for status, ms in flood_results if status == 200]
        served = [ms for status, ms in user_results if status == 200]
        print(
            f"during a flood of {args.flood} connections from {args.flood_addresses} address(es) sending worst-case "
            f"PDFs for {args.seconds * 2:.0f} s:"
        )
        print(
            f"  pages: {len(latencies) / (args.seconds * 2):.0f} pages/s, p50 {percentile(latencies, 0.5):.1f} ms, "
            f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies, default=0):.0f} ms, "
            f"errors {sum(s != 200 for s, _ in page_results)}"
        )
        print(
            f"  the flood's PDFs: {len(made)} delivered (median {percentile(made, 0.5):.0f} ms), "
            f"busy 503: {sum(s == 503 for s, _ in flood_results)}, "
            f"errors: {sum(s not in (200, 503) for s, _ in flood_results)}"
        )
        print(
            f"  the {args.users} ordinary users' PDFs: {len(served)} delivered (p50 {percentile(served, 0.5):.0f} ms, "
            f"p95 {percentile(served, 0.95):.0f} ms), busy 503: {sum(s == 503 for s, _ in user_results)}, "
            f"errors: {sum(s not in (200, 503) for s, _ in user_results)}"
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
