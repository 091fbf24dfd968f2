"""The PDFs: what a render may fetch (fetch), how long a document will be (length), the OT report's photos
checked (photos), rendering a job with WeasyPrint (render), the one render pool every PDF goes through (pool),
and the documents (documents).

Importing this package does not load WeasyPrint: only the renderers do (render.py, fetch.py). Their names are
still reachable from here (`pwa.pdf.render_pdf`), loaded on first use.
"""

from __future__ import annotations

from importlib import import_module

from .documents import (
    SUMMARY_ACTIONS,
    blank_checklist,
    checklist_html,
    checklist_pdf,
    fit,
    ot_report_pdf,
    plan_html,
    plan_pdf,
    plan_with_handoff_pdf,
    summary_pdf,
)
from .job import PAPERS, RESOURCE_SCHEME, Paper, RenderJob, resource_url
from .length import PAGES_MAX, PlanTooLong, check_length, estimate_pages, estimate_report_pages
from .photos import PHOTO_PIXELS_MAX, PhotoRefused, check_photos
from .pool import RENDER_SECONDS, RenderBusy, RenderPool, render_pool

# Heavy names (they load WeasyPrint), by the module that holds them.
_HEAVY = {
    "STATIC_DIR": "fetch",
    "FetchRefused": "fetch",
    "StaticOnlyFetcher": "fetch",
    "RenderFetcher": "fetch",
    "fetcher": "fetch",
    "render_pdf": "render",
    "render_job": "render",
    "stylesheets": "render",
}


def __getattr__(name: str):
    if name in _HEAVY:
        return getattr(import_module(f".{_HEAVY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "PAGES_MAX",
    "PAPERS",
    "PHOTO_PIXELS_MAX",
    "RENDER_SECONDS",
    "RESOURCE_SCHEME",
    "SUMMARY_ACTIONS",
    "Paper",
    "PhotoRefused",
    "PlanTooLong",
    "RenderBusy",
    "RenderJob",
    "RenderPool",
    "blank_checklist",
    "check_length",
    "check_photos",
    "checklist_html",
    "checklist_pdf",
    "estimate_pages",
    "estimate_report_pages",
    "fit",
    "ot_report_pdf",
    "plan_html",
    "plan_pdf",
    "plan_with_handoff_pdf",
    "render_pool",
    "resource_url",
    "summary_pdf",
    *_HEAVY,
]
