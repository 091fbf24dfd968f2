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


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(tel_href)
    app.add_template_global(tel_strip)
