"""Screenshot every page of the walk at phone size (390×844), with some answers filled in, for a person to look at.

Usage: .venv/bin/python scripts/screenshots.py [OUTPUT_DIR] [--language es]   (default: artifacts/screenshots, English)
"""

import argparse
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pwa import create_app

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(out: Path, language: str = "en") -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = create_app()
    content = app.extensions["safesteps.content"]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Spanish pages are the same pages under /es/ (pwa/i18n.py).
    base = f"http://127.0.0.1:{server.server_port}" + ("" if language == "en" else f"/{language}")
    paths = ["/", "/about-me"] + [f"/rooms/{s.id}" for s in content.sections] + ["/summary", "/red-flags", "/plan"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(f"{base}/about-me")
        page.wait_for_selector("body[data-restored='true']")
        page.check("input[name='sites'][value='spine']")
        page.fill("#field-care_team_phone", "0161 555 0100")
        page.goto(f"{base}/rooms/{content.sections[0].id}")
        page.wait_for_selector("body[data-restored='true']")
        first = content.sections[0].items
        page.click(f"label[for='{first[0].id}--fix']")
        page.click(f"label[for='{first[1].id}--ok']")
        page.wait_for_timeout(300)
        for i, path in enumerate(paths):
            page.goto(f"{base}{path}")
            page.wait_for_selector("body[data-restored='true']")
            page.wait_for_timeout(300)
            name = f"{i:02d}-{path.strip('/').replace('/', '-') or 'index'}"
            page.screenshot(path=str(out / f"{name}.png"))
            page.screenshot(path=str(out / f"{name}-full.png"), full_page=True)
        browser.close()
    server.shutdown()
    print(f"{len(paths)} pages saved in {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Screenshot every page of the walk at phone size.")
    parser.add_argument("out", nargs="?", type=Path, default=Path("artifacts/screenshots"))
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    main(args.out, args.language)
