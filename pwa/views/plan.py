"""The action plan: its page, its HTML fragment, its PDF, the blank printable checklist, and a re-check reminder.

The server renders from the assessment it is sent and forgets it: nothing is stored and nothing of it is logged.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from flask import (
    Blueprint,
    Response,
    current_app,
    get_template_attribute,
    render_template,
    request,
)

from ..errors import OptionError
from ..extensions import api_limit, limiter, pdf_limit
from ..pdf import PAPERS, checklist_pdf, plan_pdf, render_pool
from ..plan import build
from ..reminder import (
    DEFAULT_AHEAD_MONTHS,
    parse_reminder_date,
    person_today,
    reminder_ics,
)
from . import content, read_assessment

bp = Blueprint("plan", __name__)


@bp.app_template_filter("long_date")
def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


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
    return render_template("plan.html", papers=PAPERS, reminder_months=DEFAULT_AHEAD_MONTHS)


@bp.post("/api/plan")
@limiter.limit(api_limit)
def fragment():
    plan = build(content(), read_assessment())
    response = Response(render_template("plan_fragment.html", plan=plan), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/plan.pdf")
@limiter.limit(pdf_limit)
def plan_download():
    paper, large = print_options()
    plan = build(content(), read_assessment())
    config = current_app.config
    pool = render_pool(config["PDF_PROCESSES"], config["PDF_QUEUE"])
    pdf = plan_pdf(plan, paper, large, pool=pool)
    return _pdf_response(pdf, f"safesteps-plan-{plan.made.isoformat()}.pdf", private=True)


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
