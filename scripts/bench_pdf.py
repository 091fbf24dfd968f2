#!/usr/bin/env python3
"""How long the PDFs take to render: a full plan, the blank checklist, and a minimal one-page document.

    .venv/bin/python scripts/bench_pdf.py [--runs 15] [--warmup 2]

All three run in the same process, after warm-up runs, so the ratios compare like with like on any machine.
The full plan is the worst case: every item "Needs fixing" with a note of about 500 characters.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import render_template  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from pwa import pdf  # noqa: E402

from pwa import create_app  # noqa: E402
from pwa.assessment import parse_assessment  # noqa: E402
from pwa.plan import build  # noqa: E402
from pwa.views.plan import checklist_pdf, plan_pdf  # noqa: E402

NOTE = ("The rail by the back step wobbles, and the bulb at the top of the stairs has gone again. " * 8)[:500]
MINIMAL = "<!doctype html><html><body><h1>Minimal</h1><p>One page, one paragraph.</p></body></html>"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(render, runs: int, warmup: int) -> tuple[list[float], bytes]:
    for _ in range(warmup):
        render()
    times, output = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        output = render()
        times.append((time.perf_counter() - start) * 1000)
    return times, output


def uncached_plan_pdf(plan) -> bytes:
    """The same plan, but parsing the stylesheets and setting up fonts afresh, as a naive renderer would."""
    html = render_template("pdf/plan.html", plan=plan, large=False)
    sheets = [pdf._stylesheet.__wrapped__("css/pdf.css"), pdf._page_size.__wrapped__("a4")]
    document = HTML(string=html, base_url=pdf.fetcher().base_url, url_fetcher=pdf.fetcher())
    return document.write_pdf(stylesheets=sheets, font_config=FontConfiguration())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    app = create_app()
    content = app.extensions["safesteps.content"]
    document = {"schema": 1, "answers": {item_id: {"answer": "fix", "note": NOTE} for item_id in content.items}}
    assessment = parse_assessment(document)
    # A more usual plan: a dozen things to fix, a few short notes.
    typical = parse_assessment({"schema": 1, "answers": {
        item_id: {"answer": "fix", "note": "Ask my son on Saturday." if i % 4 == 0 else ""}
        for i, item_id in enumerate(list(content.items)[::6])
    }})

    client = app.test_client()
    with app.app_context():
        cases = {
            "plan (all items, 500-char notes)": lambda: plan_pdf(build(content, assessment)),
            "same plan, CSS and fonts not reused": lambda: uncached_plan_pdf(build(content, assessment)),
            "typical plan (12 actions)": lambda: plan_pdf(build(content, typical)),
            "blank checklist": lambda: checklist_pdf(content),
            "blank checklist, via its route": lambda: client.get("/checklist.pdf").data,
            "minimal one-page document": lambda: HTML(string=MINIMAL).write_pdf(),
        }
        results = {name: measure(render, args.runs, args.warmup) for name, render in cases.items()}

    print(f"PDF render times: {args.runs} runs each after {args.warmup} warm-up runs, {len(content.items)} items")
    print(f"{'document':36} {'median ms':>10} {'p95 ms':>9} {'pages':>6} {'ms/page':>8} {'size kB':>8}")
    medians = {}
    for name, (times, output) in results.items():
        medians[name] = statistics.median(times)
        pages = len(PdfReader(io.BytesIO(output)).pages)
        print(
            f"{name:36} {medians[name]:10.1f} {percentile(times, 0.95):9.1f} {pages:6d}"
            f" {medians[name] / pages:8.1f} {len(output) / 1024:8.1f}"
        )
    minimal = medians["minimal one-page document"]
    print(f"ratio plan/minimal:      {medians['plan (all items, 500-char notes)'] / minimal:6.1f}x")
    print(f"ratio checklist/minimal: {medians['blank checklist'] / minimal:6.1f}x")
    print(f"ratio typical plan/minimal: {medians['typical plan (12 actions)'] / minimal:6.1f}x")
    reuse = medians["same plan, CSS and fonts not reused"] / medians["plan (all items, 500-char notes)"]
    print(f"ratio not reused/reused (full plan): {reuse:6.2f}x")
    print("(the route renders the blank checklist once per day, paper and print size, then serves those bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
