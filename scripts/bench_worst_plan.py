#!/usr/bin/env python3
"""How long the worst plan the page limit lets through takes to render, in normal and large print.

    .venv/bin/python scripts/bench_worst_plan.py [--runs 5]

Every item "Needs fixing", every text field full, and each note as long as it can be while the plan's estimated
length stays within PAGES_MAX (found by bisection on the note's length): once as running text, once as short
lines with the 20 line breaks a note may hold. Renders in this process after one warm-up, and prints the
median render time with the real page count. Goal (issue 12): a few seconds.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader

from pwa import create_app
from pwa.assessment import NOTE_LINE_BREAKS_MAX, NOTE_MAX, parse_assessment
from pwa.example import worst_case_assessment
from pwa.pdf import PAGES_MAX, estimate_pages, plan_html, render_pdf
from pwa.plan import build

TEXT = "The rail by the back step wobbles and the bulb at the top of the stairs has gone. " * 30


def note(kind: str, length: int) -> str:
    if kind == "running text":
        return TEXT[:length]
    width = max(1, length // (NOTE_LINE_BREAKS_MAX + 1))
    return "\n".join(TEXT[:width] for _ in range(NOTE_LINE_BREAKS_MAX + 1))[:length]


def longest_accepted(content, kind: str, large: bool):
    """The plan with the longest notes whose estimate is still within PAGES_MAX."""

    def plan(length):
        return build(content, parse_assessment(worst_case_assessment(content, note=note(kind, length))))

    low, high = 0, NOTE_MAX
    while low < high:
        middle = (low + high + 1) // 2
        if estimate_pages(plan(middle), large) <= PAGES_MAX:
            low = middle
        else:
            high = middle - 1
    return low, plan(low)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "PDF_PROCESSES": 0})
    content = app.extensions["safesteps.content"]
    with app.app_context():
        for large in (False, True):
            for kind in ("running text", "short lines"):
                length, plan = longest_accepted(content, kind, large)
                html = plan_html(plan, large)
                pdf = render_pdf(html, large=large)  # warm-up
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    pdf = render_pdf(html, large=large)
                    times.append(time.perf_counter() - start)
                print(
                    f"{'large' if large else 'normal'} print, {kind}: notes of {length} characters on every item, "
                    f"estimated {estimate_pages(plan, large)} pages (limit {PAGES_MAX}), "
                    f"{len(PdfReader(io.BytesIO(pdf)).pages)} real; median render {statistics.median(times):.2f} s "
                    f"(slowest {max(times):.2f} s)",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
