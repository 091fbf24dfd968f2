"""What every view that sends a PDF shares: the print options, the response, the render slot and the file name."""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import Response, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from ..assessment import Assessment
from ..errors import OptionError
from ..pdf import PAPERS, render_pool
from ..visits import file_name_part


def print_options() -> tuple[str, bool]:
    paper = request.args.get("paper", "a4").lower()
    if paper not in PAPERS:
        raise OptionError(_("Unknown paper size. Choose one of: %(papers)s.", papers=", ".join(PAPERS)))
    return paper, request.args.get("large", "") in ("1", "true", "yes", "on")


def pdf_response(pdf: bytes, filename: str, *, private: bool) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A plan holds health data: no cache may keep it (pwa/caching.py). The blank checklist is the same for everyone.
    if not private:
        response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def renders_a_pdf(view):
    """A view that renders in the pool takes its renderer first, in the client address's share: when every
    renderer is busy it waits in the short queue, or is a 503 at once when that is full, before the body is
    read or a plan made."""

    @wraps(view)
    def in_a_render_slot(*args, **kwargs):
        with render_pool().slot(get_remote_address()):
            return view(*args, **kwargs)

    return in_a_render_slot


def file_name(kind: str, assessment: Assessment, made: date) -> str:
    """safesteps-plan-2026-11-25.pdf; on a home visit, with the client's name and the visit's date."""
    client = file_name_part(assessment.visit.client)
    day = assessment.visit.date or made.isoformat()
    return f"safesteps-{kind}-{client}-{day}.pdf" if client else f"safesteps-{kind}-{day}.pdf"
