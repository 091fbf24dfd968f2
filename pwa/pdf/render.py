"""Rendering one job with WeasyPrint, in a renderer process (or in-process with PDF_PROCESSES=0).

Fast: the shared stylesheets are parsed once and reused, with one FontConfiguration per process (one per
thread leaked memory under a thread-per-request server: 75 -> 276 MB over 600 PDFs).
"""

from __future__ import annotations

import threading
from functools import cache

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .fetch import RenderFetcher, fetcher
from .job import PAPERS, Paper, RenderJob

# One FontConfiguration per process, used by one render at a time (the lock): a render is CPU-bound, so
# renders in parallel threads of one process would only take turns anyway.
_font_config_made: FontConfiguration | None = None
_render_lock = threading.Lock()

# Every PDF is tagged for screen readers (issue 19.14).
PDF_VARIANT = "pdf/ua-1"


def _font_config() -> FontConfiguration:
    global _font_config_made
    if _font_config_made is None:
        _font_config_made = FontConfiguration()
    return _font_config_made


@cache
def _stylesheet(name: str) -> CSS:
    """A static stylesheet, loaded through the restricted fetcher and parsed once."""
    return CSS(url=fetcher().base_url + name, url_fetcher=fetcher())


@cache
def _page_size(paper: str) -> CSS:
    return CSS(string=f"@page {{ size: {PAPERS[paper]}; }}", url_fetcher=fetcher())


def stylesheets(paper: Paper = "a4", large: bool = False) -> list[CSS]:
    if paper not in PAPERS:
        raise ValueError(f"Unknown paper size {paper!r}: use one of {', '.join(PAPERS)}.")
    sheets = [_stylesheet("css/pdf.css"), _page_size(paper)]
    if large:
        sheets.append(_stylesheet("css/pdf-large.css"))
    return sheets


def render_job(job: RenderJob) -> bytes:
    """The job's PDF: its one document, or the first of its documents that fits in `fit_pages` (the last one,
    whatever it takes). Resources given to the job are what this render alone may fetch (RenderFetcher)."""
    url_fetcher = RenderFetcher(job.resources) if job.resources else fetcher()
    sheets = stylesheets(job.paper, job.large)
    with _render_lock:
        for html in job.htmls:
            document = HTML(string=html, base_url=fetcher().base_url, url_fetcher=url_fetcher).render(
                stylesheets=sheets, font_config=_font_config()
            )
            if job.fit_pages is None or len(document.pages) <= job.fit_pages:
                break
        # Tagged PDF/UA-1: headings, lists and tables in the structure tree, the <html lang> as the document's
        # language, the <title> shown as the window title, alt text on images; borders and backgrounds are drawn
        # as artifacts (WeasyPrint does this for every box), so a screen reader skips the boxes.
        return document.write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(
    html: str, *, paper: Paper = "a4", large: bool = False, resources: dict[str, tuple[bytes, str]] | None = None
) -> bytes:
    """The PDF for one HTML document rendered from our templates, here in this process."""
    return render_job(RenderJob((html,), paper, large, resources or {}))


def warm_up() -> None:
    """The slow first-time work (fonts, the stylesheets), done before any person waits for a PDF."""
    for large in (False, True):
        render_pdf("<p>SafeSteps</p>", large=large)
