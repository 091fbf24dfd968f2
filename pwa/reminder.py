"""A one-event iCalendar file (RFC 5545): "re-check your home" on a chosen day, with an alarm that morning.

Built with the `icalendar` library, which handles escaping, line folding and CRLF line endings. The words come
from the caller (a template); this module only knows the format and the date rules.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event

from .exceptions import SafeStepsError

# How far ahead a reminder may be set: far enough for a yearly re-check, not so far it is surely a typo.
MAX_AHEAD = timedelta(days=2 * 366)
DEFAULT_AHEAD_MONTHS = 3


class ReminderError(SafeStepsError, ValueError):
    """The date cannot be used; the message says why in plain words."""


def add_months(day: date, months: int) -> date:
    """The same day of the month, or the month's last day (30 November + 3 months = 28 February)."""
    return day + relativedelta(months=months)


# Every calendar on Earth shows one of these days now: from UTC-12 (Baker Island) to UTC+14 (Kiribati).
EARLIEST_OFFSET = timedelta(hours=-12)
LATEST_OFFSET = timedelta(hours=14)


def days_on_earth(now: datetime | None = None) -> tuple[date, date]:
    """The earliest and latest date it is somewhere on Earth at this moment."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return (now + EARLIEST_OFFSET).date(), (now + LATEST_OFFSET).date()


def person_today(text: str | None, now: datetime | None = None) -> date:
    """The person's own today, as their device sent it (YYYY-MM-DD). Without one, or with one that is not today
    anywhere on Earth, the earliest date it is anywhere: so no one's today is ever refused as past."""
    earliest, latest = days_on_earth(now)
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return earliest
    return day if earliest <= day <= latest else earliest


def parse_reminder_date(text: str | None, today: date) -> date:
    if not text:
        return add_months(today, DEFAULT_AHEAD_MONTHS)
    try:
        chosen = date.fromisoformat(text)
    except ValueError:
        raise ReminderError(_("Please choose a date in the form YYYY-MM-DD.")) from None
    if chosen < today:
        raise ReminderError(_("Please choose today or a date in the future."))
    if chosen > today + MAX_AHEAD:
        raise ReminderError(_("Please choose a date within the next two years."))
    return chosen


def reminder_ics(
    on: date,
    *,
    summary: str,
    description: str,
    alarm: str,
    now: datetime | None = None,
    uid: str | None = None,
) -> bytes:
    """The calendar file, as bytes ready to send."""
    event = Event()
    event.add("uid", f"{uid or uuid.uuid4()}@safesteps")
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", on)
    event.add("dtend", on + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", alarm)
    reminder.add("trigger", timedelta(hours=9))  # 9 in the morning: an all-day event starts at midnight
    event.add_component(reminder)

    calendar = Calendar()
    calendar.add("prodid", "-//SafeSteps//Re-check reminder//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical()
