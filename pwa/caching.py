"""Who may keep a copy of an answer (`Cache-Control`), decided once for every view.

An answer made from what a person sent holds health data, so no cache may keep it: every POST, every `/api/`
answer, and a GET view marked `@private`. Pages, static files and the service worker set their own policy
(ETags in the factory, `no-cache` on `/sw.js`); a view that sets `Cache-Control` itself keeps it.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

NO_STORE = "no-store"


def private(view):
    """Marks a GET view whose answer is the person's own (e.g. the reminder with their date): never kept."""
    view.private = True
    return view


def _keeps_nothing() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return request.method not in ("GET", "HEAD") or request.path.startswith("/api/") or getattr(view, "private", False)


def init_app(app: Flask) -> None:
    @app.after_request
    def cache_policy(response: Response) -> Response:
        if _keeps_nothing():
            response.headers.setdefault("Cache-Control", NO_STORE)
        return response
