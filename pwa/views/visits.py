"""A home visit's own downloads: the OT report (the visit, its photos given to this render alone)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint

from ..extensions import limiter, pdf_limit
from ..visit_pdfs import ot_report_pdf
from ..visits import ot_report
from . import VISIT_FORM_MAX_BYTES, content, larger_body, read_visit_form
from .downloads import file_name, pdf_response, print_options, renders_a_pdf

bp = Blueprint("visits", __name__)


@bp.post("/ot-report.pdf")
@larger_body(VISIT_FORM_MAX_BYTES)
@limiter.limit(pdf_limit)
@renders_a_pdf
def ot_report_download():
    """The OT report: a form with the visit's assessment (JSON) and one JPEG per item photographed, as
    `photo:<item id>` files (checked by read_visit_form). The photos are never stored."""
    paper, large = print_options()
    assessment, photos = read_visit_form()
    report = ot_report(content(), assessment, frozenset(photos))
    pdf = ot_report_pdf(report, photos, paper, large, answer_labels=content().answer_labels)
    return pdf_response(pdf, file_name("ot-report", assessment, date.today()), private=True)
