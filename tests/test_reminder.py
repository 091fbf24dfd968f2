"""The re-check reminder: the .ics file (pwa/reminder.py) and its route, with dates in the person's calendar."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from pwa.reminder import add_months, days_on_earth, person_today

UTC_TODAY = datetime.now(UTC).date()


def parse_ics(text: str) -> list[tuple[str, str]]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends CRLF
    unfolded = text.replace("\r\n ", "")
    lines = [line for line in unfolded.split("\r\n") if line]
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    return [tuple(line.split(":", 1)) for line in lines]


def test_reminder_ics_is_a_valid_all_day_event_with_an_alarm(client):
    on = date.today() + timedelta(days=30)
    response = client.get(f"/reminder.ics?date={on.isoformat()}")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    fields = parse_ics(response.get_data(as_text=True))
    names = [name for name, _ in fields]
    assert names[0] == "BEGIN" and fields[0][1] == "VCALENDAR" and fields[-1] == ("END", "VCALENDAR")
    assert ("BEGIN", "VEVENT") in fields and ("BEGIN", "VALARM") in fields and ("END", "VALARM") in fields
    values = dict(fields)
    assert values["VERSION"] == "2.0" and values["PRODID"]
    assert values["UID"] and len(values["DTSTAMP"]) == 16 and values["DTSTAMP"].endswith("Z")
    assert values["DTSTART;VALUE=DATE"] == on.strftime("%Y%m%d")
    assert values["DTEND;VALUE=DATE"] == (on + timedelta(days=1)).strftime("%Y%m%d")
    assert "SafeSteps" in values["SUMMARY"]
    assert values["ACTION"] == "DISPLAY" and values["TRIGGER"]


def test_reminder_defaults_to_three_months_after_the_persons_today(client):
    today = days_on_earth()[1]
    fields = dict(parse_ics(client.get(f"/reminder.ics?today={today}").get_data(as_text=True)))
    assert fields["DTSTART;VALUE=DATE"] == add_months(today, 3).strftime("%Y%m%d")


def test_reminder_uids_differ(client):
    first = dict(parse_ics(client.get("/reminder.ics").get_data(as_text=True)))["UID"]
    second = dict(parse_ics(client.get("/reminder.ics").get_data(as_text=True)))["UID"]
    assert first != second


@pytest.mark.parametrize(
    "value",
    [
        "tomorrow",
        "2026-13-01",
        "31/12/2026",
        (UTC_TODAY - timedelta(days=2)).isoformat(),
        (UTC_TODAY + timedelta(days=800)).isoformat(),
    ],
)
def test_reminder_refuses_a_bad_date(client, value):
    response = client.get(f"/reminder.ics?date={value}")
    assert response.status_code == 400
    # A link a person followed: the answer is a page in plain words, not JSON.
    assert response.mimetype == "text/html" and "Please choose" in response.get_data(as_text=True)


def test_reminder_accepts_today(client):
    assert client.get(f"/reminder.ics?date={date.today().isoformat()}").status_code == 200


def test_today_in_a_time_zone_behind_utc_is_accepted(client):
    # 02:00 UTC is still yesterday evening in New York (UTC-5): that person's today must not be "in the past".
    new_york_today = (datetime.now(UTC) - timedelta(hours=12)).date()
    response = client.get(f"/reminder.ics?date={new_york_today}&today={new_york_today}")
    assert response.status_code == 200
    # Without the device's date too: any date that is today somewhere on Earth is accepted.
    assert client.get(f"/reminder.ics?date={days_on_earth()[0]}").status_code == 200


def test_a_persons_day_before_their_own_today_is_refused(client):
    today = days_on_earth()[1]
    response = client.get(f"/reminder.ics?date={today - timedelta(days=1)}&today={today}")
    assert response.status_code == 400


def test_person_today_is_only_believed_when_it_is_today_somewhere():
    now = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    assert days_on_earth(now) == (date(2026, 2, 28), date(2026, 3, 1))
    assert person_today("2026-02-28", now) == date(2026, 2, 28)  # UTC-5 at that moment
    assert person_today("2026-03-01", now) == date(2026, 3, 1)
    assert person_today("2026-03-05", now) == date(2026, 2, 28)  # not today anywhere: the earliest
    assert person_today("not a date", now) == date(2026, 2, 28)
    assert person_today(None, now) == date(2026, 2, 28)


# The same table runs through plan.js's monthsAhead in a real browser (tests/browser/test_plan_page.py).
MONTHS_AHEAD_CASES = json.loads((Path(__file__).parent / "data" / "months_ahead_cases.json").read_text())["cases"]


@pytest.mark.parametrize(("day", "months", "expected"), MONTHS_AHEAD_CASES)
def test_add_months_keeps_to_the_month(day, months, expected):
    assert add_months(date.fromisoformat(day), months) == date.fromisoformat(expected)
