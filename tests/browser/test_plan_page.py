"""The plan page in a real headless Chromium: actions with notes, the action log, and the PDF download."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from .conftest import READ_STORE, open_page, wait_for_frames, wait_for_saved


def answer(page, item_id, value):
    # Clear the status first: a "Saved" from the write before would otherwise end the wait at once.
    page.evaluate("document.querySelector('[data-saved-status]').textContent = ''")
    page.click(f"label[for='{item_id}--{value}']")
    page.wait_for_selector("[data-saved-status]:has-text('Saved')")


def write_note(page, item_id, text):
    page.locator(f"[data-item='{item_id}'] [data-note-details] summary").click()
    page.fill(f"textarea[data-note='{item_id}']", text)
    page.locator(f"[data-item='{item_id}'] .question-text").click()  # leaving the note saves it
    # The status may still say "Saved" from the answer just before: wait for the note itself to be stored.
    wait_for_saved(page, f"a.answers[{json.dumps(item_id)}]?.note === {json.dumps(text)}")


def test_plan_shows_actions_and_keeps_the_action_log(page, content):
    room = content.sections[0]
    first, second, third = (item.id for item in room.items[:3])
    open_page(page, f"/rooms/{room.id}")
    answer(page, first, "fix")
    write_note(page, first, "Loose <b>mat</b> by the front door")
    answer(page, second, "fix")
    answer(page, third, "unsure")
    # "Saved" may still show from the answer before: wait for this one to land before leaving the page.
    wait_for_saved(page, f"a.answers['{third}']?.answer === 'unsure'")

    open_page(page, "/plan")
    action = page.locator(f"[data-action='{first}']")
    assert "Loose <b>mat</b> by the front door" in action.locator("[data-action-note]").text_content()
    assert page.locator(f"[data-action='{second}']").count() == 1  # maybe in the folded "Do this month"
    assert page.locator(f"[data-unsure='{third}']").is_visible()
    assert page.locator(".plan-flags").is_visible()  # the warning signs come with every plan
    assert page.locator(".plan-flags .flag-ambulance").is_visible()  # with the ambulance group first, as on paper

    page.check(f"#done--{_css(first)}")
    # Ticked in place: the action stays where it was, shown done, until the plan is next made.
    page.wait_for_selector(f".plan-todo [data-action='{first}'].is-done")
    assert page.locator(f".plan-todo [data-action='{second}']").count() == 1
    wait_for_saved(page, f"a.done?.[{json.dumps(first)}]")
    current_id = page.evaluate(READ_STORE, ["settings", "current"])
    assert first in page.evaluate(READ_STORE, ["assessments", current_id])["done"]  # the date is recorded

    page.reload()
    page.wait_for_selector("body[data-restored='true']")
    page.wait_for_selector(f"[data-done-list] [data-done-action='{first}']")
    assert page.is_checked(f"#done--{_css(first)}")
    assert page.locator(f".plan-todo [data-action='{first}']").count() == 0

    page.uncheck(f"#done--{_css(first)}")  # changed their mind: unticked in place, and back on the list next time
    page.wait_for_selector(f"[data-done-list] [data-done-action='{first}']:not(.is-done)")
    wait_for_saved(page, f"!(a.done && {json.dumps(first)} in a.done)")
    page.reload()
    page.wait_for_selector(f".plan-todo [data-action='{first}']")


def test_download_pdf_gives_a_pdf(page, content):
    room = content.sections[1]
    open_page(page, f"/rooms/{room.id}")
    answer(page, room.items[0].id, "fix")
    open_page(page, "/plan")
    page.check("input[name='paper'][value='a4']")
    page.check("[data-large]")
    with page.expect_download() as info:
        page.click("[data-download-pdf]")
    download = info.value
    assert download.suggested_filename.startswith("safesteps-plan-") and download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert page.get_attribute("[data-checklist-link]", "href") == "/checklist.pdf?paper=a4&large=1"


def test_reminder_link_follows_the_chosen_date_and_sends_the_persons_today(page):
    open_page(page, "/plan")
    default = page.input_value("[data-reminder-date]")
    today = page.evaluate("new Date().toLocaleDateString('en-CA')")  # YYYY-MM-DD in the browser's own zone
    assert page.get_attribute("[data-reminder-link]", "href") == f"/reminder.ics?date={default}&today={today}"
    chosen = (date.fromisoformat(today) + timedelta(days=200)).isoformat()
    page.fill("[data-reminder-date]", chosen)
    page.dispatch_event("[data-reminder-date]", "change")
    assert page.get_attribute("[data-reminder-link]", "href") == f"/reminder.ics?date={chosen}&today={today}"
    status = page.evaluate("fetch(document.querySelector('[data-reminder-link]').href).then((r) => r.status)")
    assert status == 200


MONTHS_AHEAD_CASES = json.loads((Path(__file__).parent.parent / "data" / "months_ahead_cases.json").read_text())[
    "cases"
]


@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Kiritimati", "America/Santiago"])
def test_the_reminders_default_day_is_worked_out_as_the_server_does(browser, live_server, zone):
    """plan.js's monthsAhead gives the day the table tests/test_reminder.py runs through add_months gives, in
    the person's own calendar whatever their zone (UTC+14, and one whose clocks change at midnight)."""
    context = browser.new_context(base_url=live_server, timezone_id=zone, service_workers="block")
    try:
        page = context.new_page()
        open_page(page, "/plan")
        made_in_the_browser = page.evaluate(
            """async (cases) => {
              const { monthsAhead } = await import("/static/js/plan.js");
              const pad = (n) => String(n).padStart(2, "0");
              return cases.map(([start, months]) => {
                const [year, month, day] = start.split("-").map(Number);
                const ahead = monthsAhead(months, new Date(year, month - 1, day, 10, 30));
                return `${ahead.getFullYear()}-${pad(ahead.getMonth() + 1)}-${pad(ahead.getDate())}`;
              });
            }""",
            MONTHS_AHEAD_CASES,
        )
    finally:
        context.close()
    assert made_in_the_browser == [expected for _, _, expected in MONTHS_AHEAD_CASES]


def test_offline_shows_the_last_plan_and_retries_when_back_online(page, context, content):
    room = content.sections[2]
    item = room.items[0].id
    open_page(page, f"/rooms/{room.id}")
    answer(page, item, "fix")
    open_page(page, "/plan")  # made once online: kept on the device
    page.wait_for_selector(f"[data-action='{item}']")

    # Offline, the page's POST fails: the last plan shows, marked with its date, and the promise to retry.
    page.route("**/api/plan", lambda route: route.abort("internetdisconnected"))
    page.reload()
    page.wait_for_selector("body[data-restored='true']")
    page.wait_for_selector("[data-plan-offline]:visible")
    page.wait_for_selector("[data-plan-stale]:visible")
    assert page.locator(f"[data-action='{item}']").count() >= 1

    page.unroute("**/api/plan")
    with page.expect_response("**/api/plan"):
        page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-plan-offline]", state="hidden")
    assert page.locator("[data-plan-stale]").is_hidden()


def _css(item_id):
    return item_id.replace(".", "\\.")


TEL_CASES = json.loads((Path(__file__).parent.parent / "data" / "tel_cases.json").read_text())["cases"]


def test_the_red_flags_script_takes_the_number_the_person_means_as_the_server_does(page):
    """red-flags.js fills the number in on the device: the table tests/test_plan_layout.py runs through the
    tel_href filter gives the same links here."""
    open_page(page, "/red-flags")
    made_in_the_browser = page.evaluate(
        """async (phones) => {
          const { telHref } = await import("/static/js/red-flags.js");
          const rule = JSON.parse(document.querySelector("[data-care-team]").dataset.telRule);
          return phones.map((phone) => telHref(phone, rule));
        }""",
        [phone for phone, _ in TEL_CASES],
    )
    assert made_in_the_browser == [href for _, href in TEL_CASES]


# Every layout shift on the page from its first paint, recorded before any script of the page runs.
RECORD_LAYOUT_SHIFTS = """
window.layoutShifts = [];
const describe = (entries) =>
  entries.filter((entry) => !entry.hadRecentInput).map((entry) => ({ value: entry.value, nodes: entry.sources.map((s) => s.node?.className) }));
const observer = new PerformanceObserver((list) => window.layoutShifts.push(...describe(list.getEntries())));
observer.observe({ type: "layout-shift", buffered: true });
window.takeLayoutShifts = () => describe(observer.takeRecords());
"""


def test_nothing_in_view_moves_when_the_plan_arrives(page, content):
    room = content.sections[0]
    open_page(page, f"/rooms/{room.id}")
    answer(page, room.items[0].id, "fix")
    page.add_init_script(RECORD_LAYOUT_SHIFTS)
    open_page(page, "/plan")
    page.wait_for_selector(f"[data-action='{room.items[0].id}']")
    # Shifts are reported after the frame that made them: let it be drawn, then take what is still queued too.
    wait_for_frames(page)
    assert page.evaluate("window.layoutShifts.concat(window.takeLayoutShifts())") == []
    # Every link leads somewhere (a link with no address is a dead end for screen readers and crawlers).
    assert page.locator("a:not([href])").count() == 0
