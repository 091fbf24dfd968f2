"""A room left out counts as left out everywhere (issue 19.7): the room's progress, the start page and the summary
say "Left out", and its questions are in no count and in no "Not answered yet" list."""

from .conftest import open_page
from .test_walk import answer


def test_a_room_left_out_is_absent_from_every_count(page, content):
    stairs = content.section("stairs")
    open_page(page, f"/rooms/{stairs.id}")
    page.wait_for_selector("body[data-personalised='true']")
    answer(page, stairs.items[0].id, "fix")  # answered before leaving the room out: kept, but counted nowhere
    page.evaluate("document.querySelector('[data-saved-status]').textContent = ''")  # not the answer's "Saved"
    page.click("[data-skip-button]")
    page.wait_for_selector("[data-restore-button]:visible")
    page.wait_for_selector("[data-saved-status]:has-text('Saved')")
    progress = page.inner_text(".progress-text")
    assert "Left out" in progress and "answered" not in progress

    first = content.sections[0]
    open_page(page, f"/rooms/{first.id}")
    page.wait_for_selector("body[data-personalised='true']")
    answer(page, first.items[0].id, "ok")

    open_page(page, "/")
    page.wait_for_selector(f"[data-room-progress='{stairs.id}']:has-text('Left out')")

    open_page(page, "/summary")
    room = page.locator(f"[data-summary-room='{stairs.id}']")
    assert room.locator("[data-summary-left-out]").is_visible()
    assert room.locator("[data-summary-item]:visible").count() == 0
    shown = page.locator("[data-summary-item]:visible")
    total = int(page.inner_text("[data-summary-total]"))
    assert total == shown.count()
    assert not any(
        item.id in shown.evaluate_all("els => els.map((el) => el.dataset.summaryItem)") for item in stairs.items
    )
    assert page.inner_text("[data-summary-answered]") == "1"  # the stairs answer is not counted
    assert page.inner_text("[data-summary-fix]") == "0"

    open_page(page, f"/rooms/{stairs.id}")
    page.click("[data-restore-button]")  # brought back: counted again
    page.wait_for_selector("[data-answered-count]:visible")
    assert page.inner_text("[data-answered]") == "1"
