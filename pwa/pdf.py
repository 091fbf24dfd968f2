"""The PDFs (the action plan and the blank checklist), rendered from their templates with WeasyPrint, safely
and quickly. The renderers need an app context for the templates: the views and the command line both give one.

Safe: WeasyPrint would fetch any URL a document names (http, file:// of any local file, with no timeout for
file). A plan holds text a person typed, so the fetcher here serves only files inside the app's static/ folder
and refuses everything else. Notes are escaped by Jinja before they get here; the fetcher is the second wall.

Fast: the shared stylesheets are parsed once and reused, and each thread reuses one FontConfiguration.
"""

from __future__ import annotations

import mimetypes
import threading
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from flask import render_template
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from .content import Content
from .plan import ActionPlan

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
Paper = Literal["a4", "letter"]
PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter"}


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
_local = threading.local()


def fetcher() -> StaticOnlyFetcher:
    return _fetcher


def _font_config() -> FontConfiguration:
    # One per thread: reused across renders (it holds the font lookups) but never shared between threads.
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


@lru_cache(maxsize=None)
def _stylesheet(name: str) -> CSS:
    """A static stylesheet, loaded through the restricted fetcher and parsed once."""
    return CSS(url=_fetcher.base_url + name, url_fetcher=_fetcher)


@lru_cache(maxsize=None)
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
    document = HTML(string=html, base_url=_fetcher.base_url, url_fetcher=url_fetcher)
    return document.write_pdf(stylesheets=stylesheets(paper, large), font_config=_font_config())


def plan_pdf(plan: ActionPlan, paper: Paper = "a4", large: bool = False) -> bytes:
    html = render_template("pdf/plan.html", plan=plan, large=large)
    return render_pdf(html, paper=paper, large=large)


def checklist_pdf(content: Content, paper: Paper = "a4", large: bool = False, *, today: date | None = None) -> bytes:
    html = render_template("pdf/checklist.html", content=content, large=large, made=today or date.today())
    return render_pdf(html, paper=paper, large=large)


# The one-page summary: at most this many actions (from the first urgency group; fewer in large print, whose
# words take more room), each action and note cut to these lengths (the full plan has them whole).
SUMMARY_ACTIONS = {False: 5, True: 3}
SUMMARY_ACTION_CHARS = 150
SUMMARY_NOTE_CHARS = 60


def summary_pdf(plan: ActionPlan, paper: Paper = "a4", large: bool = False) -> bytes:
    """One page for the fridge door: the warning signs, the care team's number, the first few actions, the date.

    Always one page: when long actions do not fit, the last action is left off and the page laid out again (the
    page then says how many more things are in the full plan)."""
    sheets = stylesheets(paper, large)
    for count in range(SUMMARY_ACTIONS[large], -1, -1):
        html = render_template(
            "pdf/summary.html",
            plan=plan,
            large=large,
            summary_actions=count,
            action_chars=SUMMARY_ACTION_CHARS,
            note_chars=SUMMARY_NOTE_CHARS,
        )
        document = HTML(string=html, base_url=_fetcher.base_url, url_fetcher=_fetcher).render(
            stylesheets=sheets, font_config=_font_config()
        )
        if len(document.pages) == 1:
            break
    return document.write_pdf()
