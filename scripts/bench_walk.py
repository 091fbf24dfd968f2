"""Print the taps, screens of scrolling and an estimate of the minutes that the whole walk takes on a phone.

The walk: from the start page, tick the spine and the hip in "About me", answer every question shown in every
room (one tap each), skip the stairs ("No stairs in my home"), and open the plan. In Debian's Chromium at
390×844. Time model (scripts/_walk_measure.py): 5 s per answer, 2 s per other tap, 3 s per screen scrolled.

Usage: .venv/bin/python scripts/bench_walk.py [-v] [--language es]
"""

import logging
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pwa import create_app
from scripts._chromium import CHROMIUM, CHROMIUM_ARGS, PHONE
from scripts._walk_measure import walk_whole_home


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        language = sys.argv[sys.argv.index("--language") + 1] if "--language" in sys.argv else "en"
        start = "/" if language == "en" else f"/{language}/"
        for label, skip in (("stairs skipped", ("stairs",)), ("every room", ())):
            context = browser.new_context(base_url=base, viewport=PHONE)
            walk = walk_whole_home(context.new_page(), skip=skip, start=start)
            context.close()
            print(
                f"whole walk ({language}), spine and hip, {label}: {walk.taps} taps ({walk.answers} answers), "
                f"{walk.screens:.1f} screens of scrolling, about {walk.minutes:.1f} minutes"
            )
            if "-v" in sys.argv:
                for url, screens in walk.pages:
                    print(f"  {screens:5.2f}  {url}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
