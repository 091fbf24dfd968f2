#!/usr/bin/env python3
"""How long the PDFs take to render: a full plan, the blank checklist, the summary and a minimal document.

    .venv/bin/python scripts/bench_pdf.py [--runs 15] [--warmup 2]

All run in the same process, after warm-up runs, interleaved (one run of each document in turn, so a noisy
neighbour slows them all alike), and the figures are medians: the ratios compare like with like on any machine.
The full plan is the worst case: every item "Needs fixing" with a note of about 500 characters.

The layout ratios compare a document with the same words as plain paragraphs (same stylesheets, same fonts,
same page size): what the layout itself costs. Goals (issue 11): checklist within 1.5x, plan within 1.2x.
"""

from __future__ import annotations

import argparse
import html as html_lib
import io
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import render_template
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from pwa import create_app
from pwa.assessment import parse_assessment
from pwa.pdf import checklist_pdf, plan_pdf, summary_pdf
from pwa.pdf import render as pdf
from pwa.plan import build

NOTE = ("The rail by the back step wobbles, and the bulb at the top of the stairs has gone again. " * 8)[:500]
MINIMAL = "<!doctype html><html><body><h1>Minimal</h1><p>One page, one paragraph.</p></body></html>"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure_interleaved(cases: dict, runs: int, warmup: int) -> dict[str, tuple[list[float], bytes]]:
    """Every case once per round, round after round: a slow moment on a shared machine hits them all."""
    for _ in range(warmup):
        for render in cases.values():
            render()
    results = {name: ([], b"") for name in cases}
    for _ in range(runs):
        for name, render in cases.items():
            start = time.perf_counter()
            output = render()
            results[name] = (results[name][0] + [(time.perf_counter() - start) * 1000], output)
    return results


BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "div", "td", "th", "dt", "dd", "header", "section", "tr"}


class _Words(HTMLParser):
    """The words of a document, one plain paragraph per block of text, in reading order."""

    def __init__(self):
        super().__init__()
        self.paragraphs, self.current, self.skip = [], [], 0

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in ("title", "style", "script"):
            self.skip += 1
        elif tag in BLOCKS or tag == "br":
            self.flush()

    def handle_endtag(self, tag):
        if tag in ("title", "style", "script"):
            self.skip -= 1
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)


def as_plain_paragraphs(document_html: str) -> str:
    words = _Words()
    words.feed(document_html)
    words.flush()
    body = "".join(f"<p>{html_lib.escape(text)}</p>" for text in words.paragraphs)
    return f"<!doctype html><html><body>{body}</body></html>"


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

    # Renders here, in this process, to time the rendering alone (the server renders in its pool's processes).
    app = create_app({"PDF_PROCESSES": 0})
    content = app.extensions["safesteps.content"]
    document = {"schema": 1, "answers": {item_id: {"answer": "fix", "note": NOTE} for item_id in content.items}}
    assessment = parse_assessment(document)
    # A more usual plan: a dozen things to fix, a few short notes.
    typical = parse_assessment(
        {
            "schema": 1,
            "answers": {
                item_id: {"answer": "fix", "note": "Ask my son on Saturday." if i % 4 == 0 else ""}
                for i, item_id in enumerate(list(content.items)[::6])
            },
        }
    )

    client = app.test_client()
    with app.app_context():
        checklist_html = render_template("pdf/checklist.html", content=content, large=False, made=None)
        checklist_words = as_plain_paragraphs(checklist_html)
        plan_words = as_plain_paragraphs(render_template("pdf/plan.html", plan=build(content, assessment), large=False))
        cases = {
            "plan (all items, 500-char notes)": lambda: plan_pdf(build(content, assessment)),
            "same plan, CSS and fonts not reused": lambda: uncached_plan_pdf(build(content, assessment)),
            "typical plan (12 actions)": lambda: plan_pdf(build(content, typical)),
            "blank checklist": lambda: checklist_pdf(content),
            "blank checklist, via its route": lambda: client.get("/checklist.pdf").data,
            "checklist's words as paragraphs": lambda: pdf.render_pdf(checklist_words),
            "plan's words as paragraphs": lambda: pdf.render_pdf(plan_words),
            "summary (all items, notes)": lambda: summary_pdf(build(content, assessment)),
            "minimal one-page document": lambda: HTML(string=MINIMAL).write_pdf(),
        }
        results = measure_interleaved(cases, args.runs, args.warmup)

    print(
        f"PDF render times: {args.runs} interleaved runs each after {args.warmup} warm-up rounds,"
        f" {len(content.items)} items"
    )
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
    layout_checklist = medians["blank checklist"] / medians["checklist's words as paragraphs"]
    layout_plan = medians["plan (all items, 500-char notes)"] / medians["plan's words as paragraphs"]
    print(f"layout ratio checklist / its words as plain paragraphs: {layout_checklist:5.2f}x (goal 1.5x)")
    print(f"layout ratio plan / its words as plain paragraphs:      {layout_plan:5.2f}x (goal 1.2x)")
    print("(the route renders the blank checklist once per day, paper and print size, then serves those bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
