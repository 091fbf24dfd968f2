"""The action plan: its page, its HTML fragment, its PDF, the blank printable checklist, and a re-check reminder.

The server renders from the assessment it is sent and forgets it: nothing is stored and nothing of it is logged.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import (
    Blueprint,
    Response,
    current_app,
    get_template_attribute,
    render_template,
    request,
)
from flask_limiter.util import get_remote_address

from .. import caching
from ..assessment import Assessment
from ..errors import OptionError
from ..extensions import api_limit, limiter, pdf_limit
from ..handoff import (
    QR_ERROR,
    QR_MAX_VERSION,
    SIGNATURE_CHARS,
    HandoffError,
    is_handoff_of,
    notes_left_out,
    qr_for,
    qr_svg,
    read_link,
    signature,
    split_link,
)
from ..pdf import PAPERS, blank_checklist, plan_pdf, render_pool, summary_pdf
from ..plan import build
from ..reminder import DEFAULT_AHEAD_MONTHS, parse_reminder_date, person_today, reminder_ics
from ..visit_pdfs import ot_report_pdf, plan_with_handoff_pdf
from ..visits import file_name_part, ot_report
from . import VISIT_FORM_MAX_BYTES, content, larger_body, read_assessment, read_visit_form

bp = Blueprint("plan", __name__)


def print_options() -> tuple[str, bool]:
    paper = request.args.get("paper", "a4").lower()
    if paper not in PAPERS:
        raise OptionError(f"Unknown paper size. Choose one of: {', '.join(PAPERS)}.")
    return paper, request.args.get("large", "") in ("1", "true", "yes", "on")


def _pdf_response(pdf: bytes, filename: str, *, private: bool) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A plan holds health data: no cache may keep it (pwa/caching.py). The blank checklist is the same for everyone.
    if not private:
        response.headers["Cache-Control"] = "public, max-age=3600"
    return response


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
        handoff_signature_chars=SIGNATURE_CHARS,
        handoff_header=HANDOFF_HEADER,
    )


@bp.get("/plan/offline")
def offline_list():
    # Argument-free and the same for everyone, so the service worker keeps it: offline, before any plan was made,
    # the plan page builds the person's own list from it (plan.js), with no ranking of its own.
    return render_template("plan_offline.html", sections=content().sections, red_flags=content().red_flags)


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


# The plan page sends the hand-off link it shows (static/js/handoff.js makes it) with a home visit's plan PDF.
HANDOFF_HEADER = "X-SafeSteps-Handoff"


def _printed_handoff(assessment: Assessment) -> tuple[bytes, bool] | None:
    """The QR code for the printed plan (its SVG, and whether the notes are in it), from the link the page sent:
    checked to be this visit's plan, signed, drawn. None without a link, or when it does not fit a code."""
    link = request.headers.get(HANDOFF_HEADER, "")
    if not assessment.visit.client_id or not link:
        return None
    fragment, _ = split_link(link)
    handed = read_link(fragment, as_made=True)
    if not is_handoff_of(handed, assessment):
        raise HandoffError("not_this_plan")
    url = f"{request.host_url.rstrip('/')}/handoff#{fragment}.{signature(current_app.config['SECRET_KEY'], fragment)}"
    qr = qr_for(url)
    return (qr_svg(qr), not notes_left_out(handed, assessment)) if qr else None


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
    handoff = _printed_handoff(assessment)
    if handoff or assessment.visit.notes_kept_by_ot:
        pdf = plan_with_handoff_pdf(
            plan,
            paper,
            large,
            handoff=handoff,
            notes_kept_by_ot=assessment.visit.notes_kept_by_ot,
        )
    else:
        pdf = plan_pdf(plan, paper, large)
    return _pdf_response(pdf, _file_name("plan", assessment, plan.made), private=True)


@bp.post("/summary.pdf")
@limiter.limit(pdf_limit)
@renders_a_pdf
def summary_download():
    """The one-page summary for the fridge door, from the assessment it is sent (like the plan PDF)."""
    paper, large = print_options()
    assessment = read_assessment()
    plan = build(content(), assessment)
    pdf = summary_pdf(plan, paper, large)
    return _pdf_response(pdf, _file_name("summary", assessment, plan.made), private=True)


@bp.post("/ot-report.pdf")
@larger_body(VISIT_FORM_MAX_BYTES)
@limiter.limit(pdf_limit)
@renders_a_pdf
def ot_report_download():
    """The OT report: a form with the visit's assessment (JSON) and one JPEG per item photographed, as
    `photo:<item id>` files. The photos are given to this render alone, never stored."""
    paper, large = print_options()
    assessment, photos = read_visit_form()
    report = ot_report(content(), assessment, frozenset(photos))
    pdf = ot_report_pdf(report, photos, paper, large, answer_labels=content().answer_labels)
    made = date.today()
    return _pdf_response(pdf, _file_name("ot-report", assessment, made), private=True)


@bp.get("/checklist.pdf")
@limiter.limit(pdf_limit)
def checklist_download():
    paper, large = print_options()
    pdf = blank_checklist(content(), paper, large, address=get_remote_address())
    return _pdf_response(pdf, "safesteps-checklist.pdf", private=False)


@bp.get("/reminder.ics")
@caching.private
def reminder():
    # Checked against the person's own today (the page sends it), not the server's: late evening in a time
    # zone behind UTC is already tomorrow here.
    on = parse_reminder_date(request.args.get("date"), person_today(request.args.get("today")))
    words = lambda name: get_template_attribute("reminder.txt", name)  # noqa: E731
    ics = reminder_ics(on, summary=words("summary"), description=words("description"), alarm=words("alarm"))
    response = Response(ics, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="safesteps-recheck-{on.isoformat()}.ics"'
    return response
