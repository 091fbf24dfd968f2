"""The home-visit PDFs now live with the others in pwa/pdf/documents.py; these names stay importable here."""

from .pdf.documents import ot_report_pdf, plan_with_handoff_pdf

__all__ = ["ot_report_pdf", "plan_with_handoff_pdf"]
