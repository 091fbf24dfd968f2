"""The action plan: its page, its HTML fragment, its PDF, the blank printable checklist, and a re-check reminder.

The server renders from the assessment it is sent and forgets it: nothing is stored and nothing of it is logged.
"""

from __future__ import annotations

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
from ..extensions import api_limit, limiter, pdf_limit
from ..handoff import (
    ANSWER_CODES,
    ITEM_ORDER,
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
from ..pdf import PAPERS, blank_checklist, plan_pdf, summary_pdf
from ..plan import build
from ..reminder import DEFAULT_AHEAD_MONTHS, parse_reminder_date, person_today, reminder_ics
from ..service import service
from ..visit_pdfs import plan_with_handoff_pdf
from . import content, read_assessment
from .downloads import file_name as _file_name
from .downloads import pdf_response as _pdf_response
from .downloads import print_options, renders_a_pdf

bp = Blueprint("plan", __name__)


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
        handoff_order=ITEM_ORDER,
        handoff_codes={value: code for code, value in ANSWER_CODES.items() if value},
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
    plan = build(content(), service().fill(assessment))
    html = render_template("plan_fragment.html", plan=plan, notes_kept_by_ot=assessment.visit.notes_kept_by_ot)
    response = Response(html, mimetype="text/html")
    return response


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


@bp.post("/plan.pdf")
@limiter.limit(pdf_limit)
@renders_a_pdf
def plan_download():
    paper, large = print_options()
    assessment = read_assessment()
    plan = build(content(), service().fill(assessment))
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
    plan = build(content(), service().fill(assessment))
    pdf = summary_pdf(plan, paper, large)
    return _pdf_response(pdf, _file_name("summary", assessment, plan.made), private=True)


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
    words = lambda name: str(get_template_attribute("reminder.txt", name))  # noqa: E731
    ics = reminder_ics(on, summary=words("summary"), description=words("description"), alarm=words("alarm"))
    response = Response(ics, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="safesteps-recheck-{on.isoformat()}.ics"'
    return response
