"""The whole walk as a person taps it on a phone (390×844): taps and screens of scrolling, counted in a real browser.

Used by tests/browser/test_walk_measure.py (which holds the goal) and scripts/bench_walk.py (which prints it).
Screens of scrolling: on every page visited, how far down the person must scroll to reach the last thing they tap
there (for a room, "Next" at the bottom), in screens of the phone's height.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# A rough time model, said out loud: reading a question and tapping an answer, any other tap, a screen scrolled.
SECONDS_PER_ANSWER = 5
SECONDS_PER_TAP = 2
SECONDS_PER_SCREEN = 3


@dataclass
class Walk:
    taps: int = 0
    answers: int = 0
    screens: float = 0.0
    pages: list[tuple[str, float]] = field(default_factory=list)

    @property
    def minutes(self) -> float:
        other = self.taps - self.answers
        seconds = self.answers * SECONDS_PER_ANSWER + other * SECONDS_PER_TAP + self.screens * SECONDS_PER_SCREEN
        return seconds / 60


# How far below the top of the page the bottom of this element is, less one screen, in screens.
_DEPTH = """(el) => Math.max(0, el.getBoundingClientRect().bottom + window.scrollY - window.innerHeight) / window.innerHeight"""


def _tap(page, walk: Walk, selector: str) -> float:
    target = page.locator(selector).first
    depth = target.evaluate(_DEPTH)
    target.click()
    walk.taps += 1
    return depth


def _follow(page, walk: Walk, selector: str) -> None:
    url = page.url
    with page.expect_navigation():
        depth = _tap(page, walk, selector)
    walk.screens += depth
    walk.pages.append((url, round(depth, 2)))
    page.wait_for_selector("body[data-restored='true']")


def _wait_saved(page) -> None:
    """The page says the last tap was saved, in its own language (the words are in data-saved)."""
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-saved-status]'); return s?.textContent === s?.dataset.saved; }"
    )


def walk_whole_home(page, sites=("spine", "pelvis-hip"), skip=("stairs",), start="/") -> Walk:
    """From the start page to the plan: tick the bones, answer every question shown, skip the rooms named.
    `start`: "/es/" walks the Spanish pages."""
    walk = Walk()
    page.goto(start)
    page.wait_for_selector("body[data-restored='true']")
    _follow(page, walk, "[data-start-link]")
    for site in sites:
        _tap(page, walk, f"input[name='sites'][value='{site}']")
    _wait_saved(page)
    _follow(page, walk, ".walk-nav a.primary")
    while "/rooms/" in page.url:
        page.wait_for_selector("body[data-personalised='true']")
        room = page.url.rsplit("/", 1)[-1]
        if room in skip and page.locator("[data-skip-button]").count():
            _tap(page, walk, "[data-skip-button]")
            page.wait_for_selector("[data-restore-button]:visible")
        else:
            items = page.locator("[data-item]:visible")
            for n, item_id in enumerate(items.evaluate_all("els => els.map((el) => el.dataset.item)")):
                value = "fix" if n % 3 == 0 else "ok"  # a home with a few things to fix
                _tap(page, walk, f"label[for='{item_id}--{value}']")
                walk.answers += 1
        _wait_saved(page)
        _follow(page, walk, "a[rel='next']")
    if "/summary" in page.url:  # an older walk ended on the answers; the last room now opens the plan
        _follow(page, walk, "[data-plan-link]")
    return walk
