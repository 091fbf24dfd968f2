#!/usr/bin/env python3
"""Lighthouse 11.7.1 (npm, mobile) with Debian's Chromium on the home page, a room, the plan and the warning
signs, against the production command on loopback; prints each category's median score over the runs (the
lowest in brackets when a run differs) and the largest layout shift seen.

    .venv/bin/python scripts/lighthouse.py [--runs 1]

Lighthouse is installed once into ~/.cache/safesteps-lighthouse (never into the repository). It prints no
scores itself: each run writes its JSON report to stdout (--output=json --output-path=stdout), read here whole.
Goals: accessibility 100 everywhere, performance at least 95, no layout shift on /plan.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts._servers import production_server  # noqa: E402

VERSION = "11.7.1"
CACHE = Path.home() / ".cache" / "safesteps-lighthouse"
PAGES = ["/", "/rooms/bathroom", "/plan", "/red-flags"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo", "pwa"]


def lighthouse() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", f"lighthouse@{VERSION}"], cwd=CACHE, check=True)
    return binary


def run(binary: Path, url: str) -> dict:
    result = subprocess.run(
        [
            str(binary),
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page (the median score is printed)")
    args = parser.parse_args()
    binary = lighthouse()
    print(f"{'page':18} " + " ".join(f"{c[:13]:>14}" for c in CATEGORIES) + f" {'CLS':>7}")
    with production_server(workers=2) as server:
        for path in PAGES:
            reports = [run(binary, server.url + path) for _ in range(args.runs)]
            scores = []
            for category in CATEGORIES:
                values = [r["categories"].get(category, {}).get("score") for r in reports]
                values = sorted(round(v * 100) for v in values if v is not None)
                # The median, and the lowest run in brackets when it differs: one noisy run shows, not hides.
                text = f"{statistics.median_low(values)}" + (f" ({values[0]})" if values[0] != values[-1] else "")
                scores.append(f"{text if values else '-':>14}")
            cls = max(r["audits"]["cumulative-layout-shift"]["numericValue"] for r in reports)
            print(f"{path:18} " + " ".join(scores) + f" {cls:7.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
