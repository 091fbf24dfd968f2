"""A plan without a connection (issue 19.4): walking the rooms offline and opening My plan shows the person's own
list from the device: the warning signs and the care team's number first, then each "Needs fixing" item with its
fix, room by room (rooms left out and items done are not in it), and it says the plan is made when next online."""

import pytest

from .conftest import open_page, wait_for_saved
from .test_offline import answer, wait_for_control

pytestmark = pytest.mark.service_worker  # works offline through the service worker


def test_the_offline_plan_shows_the_persons_own_items(page, context, content):
    open_page(page, "/")
    wait_for_control(page)
    context.set_offline(True)

    open_page(page, "/about-me")
    page.fill("#field-care_team_phone", "0161 555 0100")
    page.wait_for_selector("[data-saved-status]:has-text('Saved')")
    first, bathroom, stairs = content.sections[0], content.section("bathroom"), content.section("stairs")
    open_page(page, f"/rooms/{first.id}")
    answer(page, first.items[0].id, "fix")
    answer(page, first.items[1].id, "ok")
    open_page(page, f"/rooms/{bathroom.id}")
    answer(page, bathroom.items[0].id, "fix")
    page.locator(f"[data-item='{bathroom.items[0].id}'] [data-note-details] summary").click()
    page.fill(f"textarea[data-note='{bathroom.items[0].id}']", "The <b>bath</b> mat")
    wait_for_saved(page, f"a.answers['{bathroom.items[0].id}']?.note === 'The <b>bath</b> mat'")
    open_page(page, f"/rooms/{stairs.id}")
    answer(page, stairs.items[0].id, "fix")
    page.click("[data-skip-button]")  # then left out: not in the list
    page.wait_for_selector("[data-restore-button]:visible")
    # The status may still say "Saved" from the answer just before: wait for the skip itself to be stored.
    wait_for_saved(page, f"a.skipped?.includes('{stairs.id}')")

    open_page(page, "/plan")
    page.wait_for_selector("[data-plan] [data-offline-plan]")
    assert page.is_visible("[data-plan-offline]")  # "made as soon as you are back online"
    assert not page.is_visible("[data-plan-status]")
    listed = page.locator("[data-offline-item]").evaluate_all("els => els.map((el) => el.dataset.offlineItem)")
    assert listed == [first.items[0].id, bathroom.items[0].id]  # walk order, no ranking
    rooms = page.locator("[data-offline-room]").evaluate_all("els => els.map((el) => el.dataset.offlineRoom)")
    assert rooms == [first.id, bathroom.id]
    assert page.inner_text(f"[data-offline-item='{first.items[0].id}'] .action-text") == first.items[0].action
    assert page.inner_text(f"[data-offline-item='{bathroom.items[0].id}'] [data-offline-note]") == (
        "Your note: The <b>bath</b> mat"  # shown as text
    )
    # The warning signs and the number come first.
    flags = page.locator("[data-offline-plan] .plan-flags")
    assert flags.is_visible() and "0161 555 0100" in flags.locator("[data-care-team]").inner_text()
    top = lambda selector: page.locator(selector).first.evaluate("el => el.getBoundingClientRect().top")  # noqa: E731
    assert top("[data-offline-plan] .plan-flags") < top("[data-offline-item]")
    # Print goes through the browser's own print, with the print stylesheet: no buttons on paper.
    page.emulate_media(media="print")
    assert not page.is_visible("[data-print-page]") and not page.is_visible(".site-header")
    assert page.is_visible("[data-offline-item]")
