"""Debian's Chromium as the browser tests and the benchmarks drive it (Playwright): its path, its flags, a phone.

Shared by tests/browser/conftest.py and scripts/bench_*.py, so that a measurement runs the browser the tests run.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
