"""The action plan: its page, its HTML fragment, its PDF, the blank printable checklist, and a re-check reminder.

The server renders from the assessment it is sent and forgets it: nothing is stored and nothing of it is logged.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from flask import Blueprint, Response, get_template_attribute, jsonify, render_template, request

from ..content import Content
from ..pdf import PAPERS, render_pdf
from ..plan import ActionPlan, build
from ..reminder import ReminderError, add_months, parse_reminder_date, reminder_ics
from . import content
from .api import read_assessment
from .walk import ANSWER_CHOICES

bp = Blueprint("plan", __name__)


class OptionError(ValueError):
    """A query option (paper size, date) is not one we know."""


@bp.app_template_filter("long_date")
def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# The one rule for turning a typed phone number into a tap-to-call link: keep digits and "+". The /red-flags page
# fills the number in on the device, so its script gets this same pattern from the page (tel_strip).
TEL_STRIP = re.compile(r"[^0-9+]")


@bp.app_template_filter("tel_href")
def tel_href(phone: str) -> str:
    return "tel:" + TEL_STRIP.sub("", phone)


@bp.app_template_global("tel_strip")
def tel_strip() -> str:
    return TEL_STRIP.pattern


def _refuse(message: str, status: int = 400):
    response = jsonify(error="bad-request", message=message)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(OptionError)
@bp.errorhandler(ReminderError)
def bad_option(exc: ValueError):
    return _refuse(str(exc))


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


# Rendering, shared with the command line (which runs these inside an app context).
def plan_pdf(plan: ActionPlan, paper: str = "a4", large: bool = False) -> bytes:
    html = render_template("pdf/plan.html", plan=plan, large=large)
    return render_pdf(html, paper=paper, large=large)


def checklist_pdf(content_: Content, paper: str = "a4", large: bool = False) -> bytes:
    html = render_template(
        "pdf/checklist.html", content=content_, choices=ANSWER_CHOICES, large=large, made=date.today()
    )
    return render_pdf(html, paper=paper, large=large)


@lru_cache(maxsize=16)
def _blank_checklist(content_version: str, paper: str, large: bool, today: date) -> bytes:
    # The blank checklist is the same for everyone on a given day: render each paper/print choice once.
    return checklist_pdf(content(), paper, large)


@bp.get("/plan")
def page():
    # The same shell for everyone, so the service worker can keep it; plan.js fills in the person's plan.
    today = date.today()
    return render_template(
        "plan.html", papers=PAPERS, reminder_default=add_months(today, 3), today=today
    )


@bp.post("/api/plan")
def fragment():
    plan = build(content(), read_assessment())
    response = Response(render_template("plan_fragment.html", plan=plan), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/plan.pdf")
def plan_download():
    paper, large = print_options()
    plan = build(content(), read_assessment())
    return _pdf_response(plan_pdf(plan, paper, large), f"safesteps-plan-{plan.made.isoformat()}.pdf", private=True)


@bp.get("/checklist.pdf")
def checklist_download():
    paper, large = print_options()
    pdf = _blank_checklist(content().version, paper, large, date.today())
    return _pdf_response(pdf, "safesteps-checklist.pdf", private=False)


@bp.get("/reminder.ics")
def reminder():
    on = parse_reminder_date(request.args.get("date"), date.today())
    words = lambda name: get_template_attribute("reminder.txt", name)  # noqa: E731
    ics = reminder_ics(on, summary=words("summary"), description=words("description"), alarm=words("alarm"))
    response = Response(ics, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="safesteps-recheck-{on.isoformat()}.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response
