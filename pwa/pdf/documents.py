"""The PDFs the app makes: the plan (with a home visit's hand-off QR code), the one-page summary, the blank
checklist and the OT report. Each is built here as HTML from its template (an app context is needed), checked
for length, and rendered through the app's one render pool (pool.py)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

from flask import render_template

from ..content import Content
from ..handoff import fits_top_corner, printed_mm
from ..i18n import request_language
from ..plan import ActionPlan
from ..service import service
from ..visits import OtReport
from .job import Paper, RenderJob, resource_url
from .length import QR_LINES, check_length, check_report_length, width
from .photos import check_photos
from .pool import RenderBusy, RenderPool, render_pool


def _render(job: RenderJob, pool: RenderPool | None) -> bytes:
    return (pool or render_pool()).render_job(job)


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
    check_length(plan, large, QR_LINES if context.get("handoff_qr") else 0)
    return _render(RenderJob((plan_html(plan, large, **context),), paper, large, resources or {}), pool)


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
        handoff_qr=resource_url("handoff-qr.svg") if handoff else None,
        handoff_qr_mm=printed_mm(handoff[0]) if handoff else None,
        handoff_qr_top=bool(handoff and fits_top_corner(handoff[0])),
        handoff_with_notes=bool(handoff and handoff[1]),
        notes_kept_by_ot=notes_kept_by_ot,
    )


def checklist_html(content: Content, large: bool = False, *, today: date | None = None) -> str:
    return render_template("pdf/checklist.html", content=content, large=large, made=today or date.today())


def checklist_pdf(
    content: Content, paper: Paper = "a4", large: bool = False, *, today: date | None = None, pool=None
) -> bytes:
    """The blank checklist: the content alone (nothing a person typed), so its length is the content's."""
    return _render(RenderJob((checklist_html(content, large, today=today),), paper, large), pool)


# The blank checklist is the same for everyone on a given day: each paper and print choice is rendered once a
# day, by one request, while others asking for it at the same moment wait for that render (not a render each).
# At most so many requests wait for it (each holds a server thread); more are told "busy" at once.
_checklists: dict[tuple, bytes] = {}
_checklists_lock = threading.Lock()
_checklist_waiters = threading.BoundedSemaphore(4)


def blank_checklist(content: Content, paper: Paper, large: bool, *, address: str = "") -> bytes:
    # The same for everyone on a given day, per place (its emergency number), the service (its name and number),
    # language, paper and print size.
    today = date.today()
    key = (content.version, content.place.id, service(), request_language(), paper, large, today)
    if key in _checklists:
        return _checklists[key]
    pool = render_pool()
    if not _checklist_waiters.acquire(blocking=False):
        raise RenderBusy("The blank checklist is still being made.")
    try:
        made = _checklists_lock.acquire(timeout=pool.wait)
    finally:
        _checklist_waiters.release()
    if not made:
        raise RenderBusy("The blank checklist is still being made.")
    try:
        if key not in _checklists:
            with pool.slot(address):
                pdf = checklist_pdf(content, paper, large, today=today, pool=pool)
            for old in [k for k in _checklists if k[-1] != today]:
                del _checklists[old]
            _checklists[key] = pdf
        return _checklists[key]
    finally:
        _checklists_lock.release()


# The one-page summary: at most this many actions (from the first urgency group; fewer in large print, whose
# words take more room), and each field cut to this many letters (see length.width); the full plan has them whole.
SUMMARY_ACTIONS = {False: 5, True: 3}
SUMMARY_LETTERS = {"action": 150, "note": 60, "name": 60, "phone": 40}
# Large print: the short warning signs take most of the page, so the first action and its note are cut shorter.
SUMMARY_LETTERS_LARGE = {**SUMMARY_LETTERS, "action": 100, "note": 40}


def fit(text: str | None, letters: int) -> str:
    """The text, or as much of it as fits in `letters` (by width), cut after a whole word and marked "…". A cut
    that would keep less than half the room (one short word before a long one) cuts inside the word instead."""
    text = text or ""
    used, cut = 0.0, len(text)
    for index, character in enumerate(text):
        used += width(character)
        if used > letters - 1:  # room for the "…"
            cut = index
            break
    else:
        return text
    kept = text[:cut]
    space = kept.rfind(" ")
    if space > 0 and sum(map(width, kept[:space])) >= letters / 2:
        kept = kept[:space]
    return kept.rstrip(" ,;:.-") + "…"


def summary_html(plan: ActionPlan, large: bool, count: int) -> str:
    letters = SUMMARY_LETTERS_LARGE if large else SUMMARY_LETTERS
    short = replace(
        plan, name=fit(plan.name, letters["name"]), care_team_phone=fit(plan.care_team_phone, letters["phone"])
    )
    return render_template("pdf/summary.html", plan=short, large=large, summary_actions=count, fit=fit, letters=letters)


def summary_pdf(plan: ActionPlan, paper: Paper = "a4", large: bool = False, *, pool: RenderPool | None = None) -> bytes:
    """One page for the fridge door: the warning signs, the care team's number, the first few actions, the date.

    Always one page: every field is cut to fit, and when the actions still do not fit, the last one is left off
    and the page laid out again (the page then says how many more things are in the full plan)."""
    htmls = tuple(summary_html(plan, large, count) for count in range(SUMMARY_ACTIONS[large], -1, -1))
    return _render(RenderJob(htmls, paper, large, fit_pages=1), pool)


def ot_report_pdf(
    report: OtReport,
    photos: dict[str, tuple[bytes, str]],
    paper: Paper,
    large: bool,
    *,
    answer_labels: dict,
    pool: RenderPool | None = None,
) -> bytes:
    """The OT report, its photos given to this render alone (``render:<item id>``), each checked first."""
    check_photos(photos)
    check_report_length(report, large)
    html = render_template(
        "pdf/ot_report.html", report=report, large=large, labels=answer_labels, photo_url=resource_url
    )
    return _render(RenderJob((html,), paper, large, dict(photos)), pool)
