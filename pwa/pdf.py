"""The PDFs (the action plan and the blank checklist), rendered from their templates with WeasyPrint, safely
and quickly. The renderers need an app context for the templates: the views and the command line both give one.

Safe: WeasyPrint would fetch any URL a document names (http, file:// of any local file, with no timeout for
file). A plan holds text a person typed, so the fetcher here serves only files inside the app's static/ folder
and refuses everything else. Notes are escaped by Jinja before they get here; the fetcher is the second wall.

Fast: the shared stylesheets are parsed once and reused, with one FontConfiguration per process (one per
thread leaked memory under a thread-per-request server: 75 -> 276 MB over 600 PDFs).

Bounded: a plan's length in pages is estimated from its text before anything is rendered, and a plan over
PAGES_MAX is refused (PlanTooLong, a 422). Renders run in a small pool of separate, lower-priority processes
(RenderPool), so a flood of PDF requests cannot take the CPU or the threads that serve pages; when the pool and
its short queue are full, a request is turned away at once (RenderBusy, a 503) instead of waiting, and a render
that runs over RENDER_SECONDS is stopped (a 503 too).
"""

from __future__ import annotations

import contextlib
import math
import mimetypes
import multiprocessing
import os
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from flask import render_template
from pebble import ProcessExpired, ProcessPool
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from .content import Content
from .plan import ActionPlan

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
Paper = Literal["a4", "letter"]
PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter"}


# The longest PDF made, in estimated pages (see estimate_pages). The worst plan within it renders in about
# 3 s on one core; a realistic full plan is under 20 pages, in large print too.
PAGES_MAX = 60


class PlanTooLong(ValueError):
    """The plan would be longer than PAGES_MAX pages: refused before any rendering."""


class RenderBusy(RuntimeError):
    """Every renderer is busy and the queue is full: try again shortly."""


class FetchRefused(ValueError):
    """A document asked for something outside the app's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves file: URLs that resolve inside one folder (static/); refuses every other URL and scheme.

    No handler of the parent class is ever reached, so redirects, proxies and data: URLs cannot get round it.
    """

    def __init__(self, root: Path = STATIC_DIR):
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = Path(root).resolve()
        self.base_url = path2url(str(self.root)) + ("" if path2url(str(self.root)).endswith("/") else "/")

    def resolve(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"Refused to fetch {url!r}: only the app's own static files may be used.")
        # resolve() follows "..", and symlinks, before the check: nothing can climb out of the folder.
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"Refused to fetch {url!r}: it is not one of the app's static files.")
        return path

    def fetch(self, url, headers=None):
        path = self.resolve(url)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path2url(str(path)), path.read_bytes(), headers={"Content-Type": media_type}, status=200
        )


# The scheme of resources given to one render (the photos of an OT report, a QR code): never a file or a host.
RESOURCE_SCHEME = "render"


class RenderFetcher(StaticOnlyFetcher):
    """The static-only fetcher, plus the resources given for one render, held in memory.

    `resources` maps a name to (bytes, media type); a document reaches one as ``render:<name>``. A name not
    given, and every other URL, is refused exactly as StaticOnlyFetcher refuses it. Made for one render and
    then dropped, so nothing given to one document can be fetched by another.
    """

    def __init__(self, resources: dict[str, tuple[bytes, str]], root: Path = STATIC_DIR):
        super().__init__(root)
        self.resources = dict(resources)

    @staticmethod
    def url(name: str) -> str:
        return f"{RESOURCE_SCHEME}:{name}"

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() == RESOURCE_SCHEME:
            if parts.path not in self.resources or parts.netloc or parts.query or parts.fragment:
                raise FetchRefused(f"Refused to fetch {url!r}: it was not given to this document.")
            data, media_type = self.resources[parts.path]
            return URLFetcherResponse(url, data, headers={"Content-Type": media_type}, status=200)
        return super().fetch(url, headers)


_fetcher = StaticOnlyFetcher()
# One FontConfiguration per process, used by one render at a time (the lock): a render is CPU-bound, so
# renders in parallel threads of one process would only take turns anyway.
_font_config_made: FontConfiguration | None = None
_render_lock = threading.Lock()


def fetcher() -> StaticOnlyFetcher:
    return _fetcher


def _font_config() -> FontConfiguration:
    global _font_config_made
    if _font_config_made is None:
        _font_config_made = FontConfiguration()
    return _font_config_made


@cache
def _stylesheet(name: str) -> CSS:
    """A static stylesheet, loaded through the restricted fetcher and parsed once."""
    return CSS(url=_fetcher.base_url + name, url_fetcher=_fetcher)


@cache
def _page_size(paper: str) -> CSS:
    return CSS(string=f"@page {{ size: {PAPERS[paper]}; }}", url_fetcher=_fetcher)


def stylesheets(paper: Paper = "a4", large: bool = False) -> list[CSS]:
    if paper not in PAPERS:
        raise ValueError(f"Unknown paper size {paper!r}: use one of {', '.join(PAPERS)}.")
    sheets = [_stylesheet("css/pdf.css"), _page_size(paper)]
    if large:
        sheets.append(_stylesheet("css/pdf-large.css"))
    return sheets


def render_pdf(
    html: str, *, paper: Paper = "a4", large: bool = False, resources: dict[str, tuple[bytes, str]] | None = None
) -> bytes:
    """The PDF for an HTML document rendered from our templates (its text already escaped by Jinja).

    `resources` (name -> (bytes, media type)) are what this render alone may fetch besides the static files,
    as ``render:<name>`` URLs (see RenderFetcher)."""
    url_fetcher = RenderFetcher(resources) if resources else _fetcher
    with _render_lock:
        document = HTML(string=html, base_url=_fetcher.base_url, url_fetcher=url_fetcher)
        return document.write_pdf(stylesheets=stylesheets(paper, large), font_config=_font_config())


# ---------------------------------------------------------------- how long a plan will be, before rendering

# Measured on the PDF templates (A4 and US Letter alike), then rounded to over-estimate: the width of a line
# in lowercase letters, lines on a page, and pages lost to headings and page breaks. The text every plan
# carries (warning signs, precautions, questions, basics) is counted from the content itself, so new content
# keeps the estimate honest. tests/test_limits.py checks it against real renders, of the widest letters too.
_LAYOUT = {False: {"line": 85, "page": 30, "spare": 1}, True: {"line": 40, "page": 24, "spare": 2}}


def _width(character: str) -> float:
    """A character's width in lowercase letters (over-estimated): "W" and CJK are about twice as wide."""
    if character in "WMmw@%" or unicodedata.east_asian_width(character) in "WF":
        return 2.0
    return 1.4 if character.isupper() or character.isdigit() else 1.0


def _text_lines(text: str, per_line: int) -> int:
    if not text:
        return 0
    return sum(max(1, math.ceil(sum(map(_width, line)) / per_line)) for line in text.split("\n"))


def estimate_pages(plan: ActionPlan, large: bool = False) -> int:
    """An upper estimate of the plan's pages, from its text alone. An action is never split across pages
    (`break-inside: avoid`), so actions are packed whole onto pages, as the renderer does."""
    layout = _LAYOUT[large]
    per_line, per_page = layout["line"], layout["page"]
    blocks = [
        2 + _text_lines(action.action, per_line) + (1 + _text_lines(action.note, per_line) if action.note else 0)
        for action in (*plan.actions, *(entry.action for entry in plan.done))
    ]
    blocks += [1 + _text_lines(f"{entry.room}: {entry.question} {entry.note}", per_line) for entry in plan.unsure]
    every_plan = [plan.red_flags.intro, *(group.title for group in plan.red_flags.groups)]
    every_plan += [sign.text for group in plan.red_flags.groups for sign in group.signs]
    every_plan += [entry.action for entry in plan.precautions] + [question.text for question in plan.questions]
    every_plan += [f"{basic.title}. {basic.text}" for basic in plan.basics] + list(plan.reasons)
    # Each of these is its own line or more, plus a heading for each of about a dozen parts.
    fixed = 12 + sum(_text_lines(text, per_line) for text in every_plan)
    pages, used = layout["spare"] + fixed // per_page, fixed % per_page
    for block in blocks:
        if block > per_page:  # taller than a page: it starts a page of its own and runs on
            pages += (used > 0) + math.ceil(block / per_page) - 1
            used = block % per_page or per_page
        elif used + block > per_page:
            pages, used = pages + 1, block
        else:
            used += block
    return pages + (used > 0)


def check_length(plan: ActionPlan, large: bool = False) -> None:
    if estimate_pages(plan, large) > PAGES_MAX:
        raise PlanTooLong(f"The plan would be longer than {PAGES_MAX} pages.")


# ---------------------------------------------------------------- the render pool

# How long one render may take before its renderer is stopped (a 503). The worst plan within PAGES_MAX takes
# about 3 s on one idle core; this leaves room for a busy machine and the renderers' lower priority.
RENDER_SECONDS = 30


def _prepare_renderer() -> None:
    """Each renderer, as it starts: give way to the processes serving pages when the CPU is short, and do the
    slow first-time work (fonts, the stylesheets) before any person waits for a PDF."""
    with contextlib.suppress(OSError):
        os.nice(10)
    for large in (False, True):
        HTML(string="<p>SafeSteps</p>", base_url=_fetcher.base_url, url_fetcher=_fetcher).write_pdf(
            stylesheets=stylesheets("a4", large), font_config=_font_config()
        )


def _ready() -> bool:
    return True


class RenderPool:
    """Renders PDFs in `processes` separate worker processes (pebble), with room for `queue` more requests.

    A request takes a `slot()` first; beyond the renderers and the queue it is refused at once with RenderBusy,
    and so is a render that takes longer than `seconds`: its renderer is stopped and a fresh one started. Each
    renderer is replaced after `renders_per_process` renders, so memory stays flat however long the server
    runs. With processes=0 the render runs in the calling thread (one at a time per process), not bounded in
    time.
    """

    def __init__(
        self, processes: int = 1, queue: int = 2, renders_per_process: int = 200, seconds: float = RENDER_SECONDS
    ):
        self.processes = processes
        self.seconds = seconds
        self._slots = threading.BoundedSemaphore(max(1, processes) + queue)
        self._renders_per_process = renders_per_process
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()

    def _running_pool(self) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPool(
                    max_workers=self.processes,
                    max_tasks=self._renders_per_process,
                    initializer=_prepare_renderer,
                    # Not fork: the server's threads and locks must not be copied into the renderer.
                    context=multiprocessing.get_context("spawn"),
                )
            return self._pool

    def start(self) -> None:
        """Start the renderers now (a server process at boot), not at the first request for a PDF."""
        if self.processes:
            self._running_pool().schedule(_ready)

    def render(
        self, html: str, paper: Paper = "a4", large: bool = False, resources: dict[str, tuple[bytes, str]] | None = None
    ) -> bytes:
        return self.call(render_pdf, html, paper=paper, large=large, resources=resources)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """A place for one request, taken before any work is done on it (reading the assessment, the plan, the
        render): refused at once with RenderBusy when every renderer is busy and the queue is full, so a flood
        of PDF requests costs the server almost nothing."""
        if not self._slots.acquire(blocking=False):
            raise RenderBusy("Every PDF renderer is busy.")
        try:
            yield
        finally:
            self._slots.release()

    def call(self, function, *args, **kwargs) -> bytes:
        """Run a module-level rendering function (it must pickle) in a renderer, or here with processes=0."""
        if self.processes == 0:
            return function(*args, **kwargs)
        pool = self._running_pool()
        try:
            future = pool.schedule(function, args=args, kwargs=kwargs, timeout=self.seconds)
        except RuntimeError:
            # The pool itself failed: start afresh for the next request.
            self._drop(pool)
            raise RenderBusy("The PDF renderers had to be restarted.") from None
        try:
            return future.result()
        except TimeoutError:
            raise RenderBusy(f"A PDF took longer than {self.seconds} s to make.") from None
        except ProcessExpired:
            raise RenderBusy("The PDF renderer stopped (killed, or out of memory).") from None

    def _drop(self, pool: ProcessPool) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.stop()

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join()


_pools: dict[tuple[int, int, float], RenderPool] = {}
_pools_lock = threading.Lock()


def render_pool(config: Mapping) -> RenderPool:
    """The app's pool (settings PDF_PROCESSES, PDF_QUEUE, PDF_SECONDS): one per process for each setting, as
    tests make many apps and they share the renderers."""
    key = (config["PDF_PROCESSES"], config["PDF_QUEUE"], config["PDF_SECONDS"])
    with _pools_lock:
        if key not in _pools:
            _pools[key] = RenderPool(key[0], key[1], seconds=key[2])
        return _pools[key]


def shutdown_render_pools() -> None:
    """Stop every renderer of this process (a server process on its way out)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown()


def render(
    html: str,
    paper: Paper = "a4",
    large: bool = False,
    *,
    pool: RenderPool | None = None,
    resources: dict[str, tuple[bytes, str]] | None = None,
) -> bytes:
    """Render in the pool when there is one (the web app), or here (the command line, tests)."""
    if pool is None:
        return render_pdf(html, paper=paper, large=large, resources=resources)
    return pool.render(html, paper, large, resources)


def plan_html(plan: ActionPlan, large: bool = False, **context) -> str:
    return render_template("pdf/plan.html", plan=plan, large=large, **context)


def plan_pdf(
    plan: ActionPlan,
    paper: Paper = "a4",
    large: bool = False,
    *,
    pool: RenderPool | None = None,
    resources: dict[str, tuple[bytes, str]] | None = None,
    **context,
) -> bytes:
    """The plan's PDF; a plan over PAGES_MAX raises PlanTooLong before anything is rendered. `context` adds to
    what the template gets (a home visit's QR code), `resources` what this render alone may fetch."""
    check_length(plan, large)
    return render(plan_html(plan, large, **context), paper, large, pool=pool, resources=resources)


def checklist_pdf(content: Content, paper: Paper = "a4", large: bool = False, *, today: date | None = None) -> bytes:
    html = render_template("pdf/checklist.html", content=content, large=large, made=today or date.today())
    return render_pdf(html, paper=paper, large=large)


# The one-page summary: at most this many actions (from the first urgency group; fewer in large print, whose
# words take more room), each action and note cut to these lengths (the full plan has them whole).
SUMMARY_ACTIONS = {False: 5, True: 3}
SUMMARY_ACTION_CHARS = 150
SUMMARY_NOTE_CHARS = 60


def summary_pdf(plan: ActionPlan, paper: Paper = "a4", large: bool = False, *, pool: RenderPool | None = None) -> bytes:
    """One page for the fridge door: the warning signs, the care team's number, the first few actions, the date.

    Always one page: when long actions do not fit, the last action is left off and the page laid out again (the
    page then says how many more things are in the full plan)."""
    htmls = [
        render_template(
            "pdf/summary.html",
            plan=plan,
            large=large,
            summary_actions=count,
            action_chars=SUMMARY_ACTION_CHARS,
            note_chars=SUMMARY_NOTE_CHARS,
        )
        for count in range(SUMMARY_ACTIONS[large], -1, -1)
    ]
    if pool is None:
        return first_one_page(htmls, paper, large)
    return pool.call(first_one_page, htmls, paper, large)


def first_one_page(htmls: list[str], paper: Paper, large: bool) -> bytes:
    """The PDF of the first of these documents that fits on one page (the last one, whatever it takes)."""
    with _render_lock:
        for html in htmls:
            document = HTML(string=html, base_url=_fetcher.base_url, url_fetcher=_fetcher).render(
                stylesheets=stylesheets(paper, large), font_config=_font_config()
            )
            if len(document.pages) == 1:
                break
        return document.write_pdf()
