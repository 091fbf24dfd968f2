"""A part of a room some homes lack (issue 19.7): "No outside steps" leaves the two step questions out with one tap,
like a room. The room's count and the summary's count drop, the plan has no step action, and one more tap brings
them back with their answers."""

from .conftest import open_page, wait_for_saved
from .test_walk import answer

STEPS = ("entrance.step-rail", "entrance.step-edges")


def test_leaving_out_the_outside_steps(page, content):
    entrance = content.section("entrance")
    open_page(page, f"/rooms/{entrance.id}")
    page.wait_for_selector("body[data-personalised='true']")
    answer(page, STEPS[0], "fix")  # answered before leaving the steps out: kept, but counted nowhere
    answer(page, "entrance.doors", "fix")
    total = int(page.inner_text("[data-total]"))
    assert page.inner_text("[data-answered]") == "2"

    switch = page.locator("[data-skip-part='outside-steps']")
    assert switch.locator("[data-skip-button]").inner_text() == "No outside steps"
    switch.locator("[data-skip-button]").click()  # one tap
    switch.locator("[data-restore-button]").wait_for()
    assert not page.locator("[data-part='outside-steps']:visible").count()
    assert int(page.inner_text("[data-total]")) == total - len(STEPS)
    assert page.inner_text("[data-answered]") == "1"
    wait_for_saved(page, "a.skipped?.includes('outside-steps')")

    page.reload()  # kept
    page.wait_for_selector("body[data-personalised='true']")
    assert switch.locator("[data-restore-button]").is_visible()
    assert int(page.inner_text("[data-total]")) == total - len(STEPS)

    open_page(page, "/")  # the start page counts only the doors for this room
    page.wait_for_selector(f"[data-room-progress='{entrance.id}']:has-text('1 answered')")

    open_page(page, "/summary")
    shown = page.locator("[data-summary-item]:visible").evaluate_all("els => els.map((el) => el.dataset.summaryItem)")
    assert "entrance.doors" in shown and not set(STEPS) & set(shown)
    assert int(page.inner_text("[data-summary-total]")) == len(shown)
    assert page.inner_text("[data-summary-answered]") == "1"
    assert page.inner_text("[data-summary-part-left-out='outside-steps']:visible") == "Left out: No outside steps."

    open_page(page, "/plan")  # made by the server from the assessment
    page.wait_for_selector("[data-action='entrance.doors']")
    assert not page.locator(f"[data-action='{STEPS[0]}']").count()

    open_page(page, f"/rooms/{entrance.id}")
    page.wait_for_selector("body[data-personalised='true']")
    switch.locator("[data-restore-button]").click()  # one more tap brings them back, answer intact
    switch.locator("[data-skip-button]").wait_for()
    assert page.is_checked(f"[id='{STEPS[0]}--fix']")
    assert int(page.inner_text("[data-total]")) == total and page.inner_text("[data-answered]") == "2"
    wait_for_saved(page, "!a.skipped?.length")
    open_page(page, "/plan")
    page.wait_for_selector(f"[data-action='{STEPS[0]}']")
