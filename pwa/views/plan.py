"""The action plan: its page, its HTML fragment, its PDF, the blank printable checklist, and a re-check reminder.

The server renders from the assessment it is sent and forgets it: nothing is stored and nothing of it is logged.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache, wraps

from flask import (
    Blueprint,
    Response,
    current_app,
    get_template_attribute,
    render_template,
    request,
)

from ..assessment import Assessment, parse_assessment
from ..errors import OptionError
from ..extensions import api_limit, limiter, pdf_limit
from ..handoff import QR_ERROR, QR_MAX_VERSION, handoff_link, qr_svg
from ..pdf import PAPERS, RenderPool, checklist_pdf, plan_pdf, render_pool, summary_pdf
from ..plan import build
from ..reminder import DEFAULT_AHEAD_MONTHS, parse_reminder_date, person_today, reminder_ics
from ..visit_pdfs import ot_report_pdf, plan_with_handoff_pdf
from ..visits import file_name_part, ot_report
from . import content, larger_body, load_json, read_assessment

bp = Blueprint("plan", __name__)


def print_options() -> tuple[str, bool]:
    paper = request.args.get("paper", "a4").lower()
    if paper not in PAPERS:
        raise OptionError(f"Unknown paper size. Choose one of: {', '.join(PAPERS)}.")
    return paper, request.args.get("large", "") in ("1", "true", "yes", "on")


def _pdf_response(pdf: bytes, filename: str, *, private: bool) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A plan holds health data: no cache may keep it. The blank checklist is the same for everyone.
    response.headers["Cache-Control"] = "no-store" if private else "public, max-age=3600"
    return response


@lru_cache(maxsize=16)
def _blank_checklist(content_version: str, paper: str, large: bool, today: date) -> bytes:
    # The blank checklist is the same for everyone on a given day: render each paper/print choice once.
    return checklist_pdf(content(), paper, large, today=today)


@bp.get("/plan")
def page():
    # The same shell for everyone, so the service worker can keep it; plan.js fills in the person's plan and
    # works out the reminder's dates from the person's own today.
    return render_template(
        "plan.html",
        papers=PAPERS,
        reminder_months=DEFAULT_AHEAD_MONTHS,
        handoff_qr_max_version=QR_MAX_VERSION,
        handoff_qr_error=QR_ERROR,
    )


@bp.get("/print")
def print_page():
    # Argument-free, so the service worker keeps it like every other page of the walk.
    return render_template("print.html")


@bp.post("/api/plan")
@limiter.limit(api_limit)
def fragment():
    assessment = read_assessment()
    plan = build(content(), assessment)
    html = render_template("plan_fragment.html", plan=plan, notes_kept_by_ot=assessment.visit.notes_kept_by_ot)
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _render_pool() -> RenderPool:
    return render_pool(current_app.config)


def renders_a_pdf(view):
    """A view that renders in the pool takes its place there first: when every renderer is busy it is a 503
    at once, before the body is read or a plan made."""

    @wraps(view)
    def in_a_render_slot(*args, **kwargs):
        with _render_pool().slot():
            return view(*args, **kwargs)

    return in_a_render_slot


def _file_name(kind: str, assessment: Assessment, made: date) -> str:
    """safesteps-plan-2026-11-25.pdf; on a home visit, with the client's name and the visit's date."""
    client = file_name_part(assessment.visit.client)
    day = assessment.visit.date or made.isoformat()
    return f"safesteps-{kind}-{client}-{day}.pdf" if client else f"safesteps-{kind}-{day}.pdf"


@bp.post("/plan.pdf")
@limiter.limit(pdf_limit)
@renders_a_pdf
def plan_download():
    paper, large = print_options()
    assessment = read_assessment()
    plan = build(content(), assessment)
    # On a home visit, the printed plan carries the QR code that opens it on the person's own phone.
    handoff = handoff_link(request.host_url, assessment) if assessment.visit.client_id else None
    if handoff or assessment.visit.notes_kept_by_ot:
        pdf = plan_with_handoff_pdf(
            plan,
            paper,
            large,
            handoff=(qr_svg(handoff[1]), handoff[2]) if handoff else None,
            notes_kept_by_ot=assessment.visit.notes_kept_by_ot,
            pool=_render_pool(),
        )
    else:
        pdf = plan_pdf(plan, paper, large, pool=_render_pool())
    return _pdf_response(pdf, _file_name("plan", assessment, plan.made), private=True)


@bp.post("/summary.pdf")
@limiter.limit(pdf_limit)
@renders_a_pdf
def summary_download():
    """The one-page summary for the fridge door, from the assessment it is sent (like the plan PDF)."""
    paper, large = print_options()
    assessment = read_assessment()
    plan = build(content(), assessment)
    pdf = summary_pdf(plan, paper, large, pool=_render_pool())
    return _pdf_response(pdf, _file_name("summary", assessment, plan.made), private=True)


# Photos make an OT report far larger than an assessment: this one request may carry up to this much.
REPORT_MAX_BYTES = 32 * 1024 * 1024
PHOTO_MAX_BYTES = 5 * 1024 * 1024
JPEG_MAGIC = b"\xff\xd8\xff"


@bp.post("/ot-report.pdf")
@larger_body(REPORT_MAX_BYTES)
@limiter.limit(pdf_limit)
@renders_a_pdf
def ot_report_download():
    """The OT report: a form with the visit's assessment (JSON) and one JPEG per item photographed, as
    `photo:<item id>` files. The photos are given to this render alone, never stored."""
    paper, large = print_options()
    assessment = parse_assessment(load_json(request.form.get("assessment", "")))
    known = {item.id for section in content().sections for item in section.items}
    photos: dict[str, tuple[bytes, str]] = {}
    for field, upload in request.files.items(multi=True):
        item_id = field.removeprefix("photo:")
        data = upload.read(PHOTO_MAX_BYTES + 1)
        if not field.startswith("photo:") or item_id not in known or item_id in photos:
            raise OptionError("A photo was sent for an item this release does not know.")
        if len(data) > PHOTO_MAX_BYTES or not data.startswith(JPEG_MAGIC):
            raise OptionError("A photo is not a JPEG image of a usable size.")
        photos[item_id] = (data, "image/jpeg")
    report = ot_report(content(), assessment, frozenset(photos))
    pdf = ot_report_pdf(report, photos, paper, large, answer_labels=content().answer_labels, pool=_render_pool())
    made = date.today()
    return _pdf_response(pdf, _file_name("ot-report", assessment, made), private=True)


@bp.get("/checklist.pdf")
@limiter.limit(pdf_limit)
def checklist_download():
    paper, large = print_options()
    pdf = _blank_checklist(content().version, paper, large, date.today())
    return _pdf_response(pdf, "safesteps-checklist.pdf", private=False)


@bp.get("/reminder.ics")
def reminder():
    # Checked against the person's own today (the page sends it), not the server's: late evening in a time
    # zone behind UTC is already tomorrow here.
    on = parse_reminder_date(request.args.get("date"), person_today(request.args.get("today")))
    words = lambda name: get_template_attribute("reminder.txt", name)  # noqa: E731
    ics = reminder_ics(on, summary=words("summary"), description=words("description"), alarm=words("alarm"))
    response = Response(ics, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="safesteps-recheck-{on.isoformat()}.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response
