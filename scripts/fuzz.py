#!/usr/bin/env python3
"""Malformed and hostile requests at every POST endpoint, many times over, with CSRF on; prints the counts.

    .venv/bin/python scripts/fuzz.py [--examples 10000] [--endpoint /api/plan ...]

The same strategies and checks as tests/test_fuzz.py (never a 5xx, never unescaped markup, never a fetch
outside static/, never over the time bound; lone surrogates, deep nesting and huge integers among the inputs),
with Hypothesis's generation instead of the CI profile's 30. Each request carries a CSRF token, as the pages
send one. Exits 1 if any check failed, printing the smallest failing example.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings

from pwa import create_app, pdf
from scripts._fuzzing import ENDPOINTS, check, fuzzing_client, send


def summary(counts: collections.Counter, slowest: list[float], outside: list[int]) -> str:
    by_status = ", ".join(f"{status}: {count}" for status, count in sorted(counts.items()))
    return (
        f"{sum(counts.values())} requests ({by_status}); most CPU {slowest[0] * 1000:.0f} ms; "
        f"5xx: {sum(c for s, c in counts.items() if s >= 500)}; outside fetches: {outside[0]}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--endpoint", action="append", choices=ENDPOINTS)
    args = parser.parse_args()

    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "RATELIMIT_ENABLED": False, "PDF_PROCESSES": 0})
    client = fuzzing_client(app)
    fetched: list[str] = []
    original = pdf.StaticOnlyFetcher.fetch
    pdf.StaticOnlyFetcher.fetch = lambda self, url, headers=None: (fetched.append(url), original(self, url, headers))[1]

    static = pdf.fetcher().base_url

    def property_for(endpoint: str, counts: collections.Counter, slowest: list[float], outside: list[int]):
        @settings(max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(sent=ENDPOINTS[endpoint])
        def run(sent):
            response, elapsed = send(client, endpoint, sent)
            counts[response.status_code] += 1
            if response.status_code == 400 and response.get_json()["error"] == "csrf":
                raise AssertionError("the CSRF token was refused")
            if sum(counts.values()) % 1000 == 0:  # so far, for a run stopped before its end
                print(f"  {endpoint}: {summary(counts, slowest, outside)}", flush=True)
            slowest[0] = max(slowest[0], elapsed)
            outside[0] += sum(not url.startswith(static) for url in fetched)
            check(response, elapsed, endpoint, fetched)

        return run

    failed = False
    for endpoint in args.endpoint or ENDPOINTS:
        counts: collections.Counter = collections.Counter()
        slowest, outside = [0.0], [0]
        run = property_for(endpoint, counts, slowest, outside)
        start = time.monotonic()
        try:
            run()
            verdict = "ok"
        except Exception as exc:  # the smallest failing example is printed by Hypothesis
            failed, verdict = True, f"FAILED: {type(exc).__name__}: {str(exc)[:200]}"
        print(
            f"{endpoint}: {summary(counts, slowest, outside)} in {time.monotonic() - start:.0f} s; {verdict}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
