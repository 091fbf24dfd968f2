"""Filters and globals every template may use (pages and PDFs alike), registered on the app in one place."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask import Flask
from flask_babel import format_date
from flask_babel import gettext as _

# The one rule for turning a typed care-team number into a tap-to-call link. People type more than the number
# ("0161 496 0000 (24h)", "Ward 7: 0161 496 0000", "+44 (0)161 496 0000"): the number meant is the longest run of
# digits, spaces, dots, dashes and bracketed groups; a "(0)" after a country code is not dialled from abroad and
# goes; a link is made only when what is left has a phone number's length. The /red-flags page fills the number
# in on the device, so its script gets this rule as data (tel_rule) and applies it the same way; a table of
# cases (tests/data/tel_cases.json) runs through both. The text is NFKC-normalised first (full-width digits become
# the digits a phone dials); digits are written [0-9], as Python's \d would take other scripts' digits.
TEL_RULE = {
    "run": r"\+?(?:\([0-9]{1,6}\)|[0-9])(?:[ .\-]*(?:\([0-9]{1,6}\)|[0-9]))*",
    "trunk": "(0)",
    "min_digits": 3,
    "max_digits": 15,  # E.164's longest
}
_RUN = re.compile(TEL_RULE["run"])


def long_date(day: date) -> str:
    """ "28 November 2026", with the month's name in the page's language ("28 de noviembre de 2026")."""
    return format_date(day, format=_("d MMMM y"))


def _digits(text: str) -> int:
    return sum(char in "0123456789" for char in text)


def tel_href(phone: str) -> str:
    """The tap-to-call link for a typed number, or "" when it holds no phone number (then no link is shown)."""
    runs = _RUN.findall(unicodedata.normalize("NFKC", phone or ""))
    if not runs:
        return ""
    run = max(runs, key=_digits)  # the first of the longest
    if run.startswith("+"):
        run = run.replace(TEL_RULE["trunk"], "")
    number = re.sub(r"[^0-9+]", "", run)
    return f"tel:{number}" if TEL_RULE["min_digits"] <= _digits(number) <= TEL_RULE["max_digits"] else ""


def tel_rule() -> dict:
    return TEL_RULE


def two_columns(signs, per_line: int = 50, field: str = "text") -> tuple[list, list]:
    """Warning signs split into two printed columns of about the same height: the split that makes the taller
    column shortest. A sign's height is estimated from the length of its `field` (in lines of about `per_line`
    characters, plus half a line for the part-filled last one), as the column width differs from one document
    to the next."""
    signs = list(signs)
    heights = [len(getattr(sign, field)) / per_line + 0.5 for sign in signs]
    total = sum(heights)
    cut = min(range(1, len(signs) + 1), key=lambda k: max(sum(heights[:k]), total - sum(heights[:k])))
    return signs[:cut], signs[cut:]


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(two_columns)
    app.add_template_filter(tel_href)
    app.add_template_global(tel_rule)
