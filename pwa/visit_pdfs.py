"""The home-visit PDFs: the plan with its hand-off QR code, and the OT report with its photos. What only this
render may use (the QR code, the photos) is given to the renderer's fetcher for this render alone."""

from __future__ import annotations

from flask import render_template

from .pdf import Paper, RenderFetcher, RenderPool, plan_pdf, render
from .plan import ActionPlan
from .visits import OtReport


def plan_with_handoff_pdf(
    plan: ActionPlan,
    paper: Paper,
    large: bool,
    *,
    handoff: tuple[bytes, bool] | None,
    notes_kept_by_ot: bool,
    pool: RenderPool | None = None,
) -> bytes:
    """The plan; with `handoff` (a QR code's SVG, and whether the notes are in it) it carries the QR code."""
    return plan_pdf(
        plan,
        paper,
        large,
        pool=pool,
        resources={"handoff-qr.svg": (handoff[0], "image/svg+xml")} if handoff else None,
        handoff_qr=RenderFetcher.url("handoff-qr.svg") if handoff else None,
        handoff_with_notes=bool(handoff and handoff[1]),
        notes_kept_by_ot=notes_kept_by_ot,
    )


def ot_report_pdf(
    report: OtReport,
    photos: dict[str, tuple[bytes, str]],
    paper: Paper,
    large: bool,
    *,
    answer_labels: dict,
    pool: RenderPool | None = None,
) -> bytes:
    """The OT report, its photos given to this render alone (``render:<item id>``)."""
    html = render_template(
        "pdf/ot_report.html", report=report, large=large, labels=answer_labels, photo_url=RenderFetcher.url
    )
    return render(html, paper, large, pool=pool, resources=photos)
