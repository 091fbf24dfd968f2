"""A one-event iCalendar file (RFC 5545): "re-check your home" on a chosen day, with an alarm that morning.

Written by hand: one all-day VEVENT and a VALARM need about twenty lines, which does not justify a dependency.
The words come from the caller (a template); this module only knows the format.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

# How far ahead a reminder may be set: far enough for a yearly re-check, not so far it is surely a typo.
MAX_AHEAD = timedelta(days=2 * 366)
DEFAULT_AHEAD_MONTHS = 3


class ReminderError(ValueError):
    """The date cannot be used; the message says why in plain words."""


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):  # the same day of the month, or the month's last day
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def parse_reminder_date(text: str | None, today: date) -> date:
    if not text:
        return add_months(today, DEFAULT_AHEAD_MONTHS)
    try:
        chosen = date.fromisoformat(text)
    except ValueError:
        raise ReminderError("Please choose a date in the form YYYY-MM-DD.") from None
    if chosen < today:
        raise ReminderError("Please choose today or a date in the future.")
    if chosen > today + MAX_AHEAD:
        raise ReminderError("Please choose a date within the next two years.")
    return chosen


def _escape(text: str) -> str:
    """TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a CRLF and one space (RFC 5545 3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    pieces, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not pieces else 74):
            pieces.append(current.decode("utf-8"))
            current = b""
        current += piece
    pieces.append(current.decode("utf-8"))
    return "\r\n ".join(pieces)


def reminder_ics(
    on: date,
    *,
    summary: str,
    description: str,
    alarm: str,
    now: datetime | None = None,
    uid: str | None = None,
) -> str:
    """The calendar file as text with CRLF line endings."""
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SafeSteps//Re-check reminder//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid or uuid.uuid4()}@safesteps",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{on + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{_escape(alarm)}",
        # 9 in the morning of the day (an all-day event starts at midnight).
        "TRIGGER:PT9H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
