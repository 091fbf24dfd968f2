"""Filters and globals every template may use (pages and PDFs alike), registered on the app in one place."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask

# The one rule for turning a typed phone number into a tap-to-call link: keep digits and "+". The /red-flags page
# fills the number in on the device, so its script gets this same pattern from the page (tel_strip).
TEL_STRIP = re.compile(r"[^0-9+]")


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def tel_href(phone: str) -> str:
    return "tel:" + TEL_STRIP.sub("", phone)


def tel_strip() -> str:
    return TEL_STRIP.pattern


def two_columns(signs, per_line: int = 50) -> tuple[list, list]:
    """Warning signs split into two printed columns of about the same height: the split that makes the taller
    column shortest. A sign's height is estimated from its length (in lines of about `per_line` characters, plus
    half a line for the part-filled last one), as the column width differs from one document to the next."""
    signs = list(signs)
    heights = [len(sign.text) / per_line + 0.5 for sign in signs]
    total = sum(heights)
    cut = min(range(1, len(signs) + 1), key=lambda k: max(sum(heights[:k]), total - sum(heights[:k])))
    return signs[:cut], signs[cut:]


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(two_columns)
    app.add_template_filter(tel_href)
    app.add_template_global(tel_strip)
