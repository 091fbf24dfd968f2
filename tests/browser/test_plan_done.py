"""Coming back to the plan (issue 9): ticking "Done" keeps the page still and shows the tick at once, online and
offline; the home page links to the plan and "About me" once they exist; the plan opens with what to do first."""

import pytest

from .conftest import open_page
from .test_plan_page import answer


def fix_many(page, content, count=12):
    """Mark enough things "Needs fixing" that the plan is several screens long."""
    done = 0
    for section in content.sections[:6]:
        open_page(page, f"/rooms/{section.id}")
        page.wait_for_selector("body[data-personalised='true']")
        for item_id in page.locator("[data-item]:visible").evaluate_all("els => els.map((el) => el.dataset.item)"):
            answer(page, item_id, "fix")
            done += 1
            if done == count:
                return


@pytest.mark.parametrize("offline", [False, True], ids=["online", "offline"])
def test_ticking_done_keeps_the_page_still_and_shows_at_once(page, context, content, offline):
    fix_many(page, content)
    open_page(page, "/plan")  # made once online, and kept on the device
    page.wait_for_selector("[data-plan] .plan")
    if offline:
        page.route("**/api/plan", lambda route: route.abort("internetdisconnected"))
        page.reload()
        page.wait_for_selector("body[data-restored='true']")
        page.wait_for_selector("[data-plan-offline]:visible")

    for fold in page.locator(".plan-todo .urgency-fold summary").all():  # "Do this month" is folded: open it
        fold.click()
    boxes = page.locator(".plan-todo [data-done]")
    assert boxes.count() >= 6
    target = boxes.nth(4)
    target.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 40)")
    item_id = target.get_attribute("data-done")
    before = page.evaluate("window.scrollY")
    top_before = target.evaluate("el => el.getBoundingClientRect().top")
    page.click(f"label[for='done--{item_id}']")
    page.wait_for_selector(f".plan-todo [data-action='{item_id}'].is-done")
    assert page.is_checked(f"[id='done--{item_id}']")
    page.wait_for_timeout(500)  # anything that would re-make the page has had time to
    assert page.evaluate("window.scrollY") == before
    assert target.evaluate("el => el.getBoundingClientRect().top") == top_before

    # The tick is kept: it shows again after a reload, even when the plan comes from the device.
    page.reload()
    page.wait_for_selector("body[data-restored='true']")
    page.wait_for_selector("[data-plan] .plan")
    page.wait_for_selector(f"[id='done--{item_id}']:checked", state="attached")  # maybe in a folded group


def test_home_page_links_to_the_plan_and_about_me_once_they_exist(page, content):
    open_page(page, "/")
    assert not page.locator("[data-plan-home-link]").is_visible()
    open_page(page, "/about-me")
    page.check("input[name='sites'][value='ribs']")
    page.wait_for_selector("[data-saved-status]:has-text('Saved')")
    first = content.sections[0]
    open_page(page, f"/rooms/{first.id}")
    answer(page, first.items[0].id, "fix")

    open_page(page, "/")
    page.wait_for_selector("[data-plan-home-link]:visible")
    assert page.get_attribute("[data-plan-home-link]", "href") == "/plan"
    assert page.is_visible("[data-about-link]")
    # Carry on where there is still something to answer: the first room not finished.
    assert page.get_attribute("[data-start-link]", "href") == f"/rooms/{first.id}"
    page.click("[data-plan-home-link]")
    page.wait_for_url("**/plan")


def test_the_plan_opens_with_what_to_do_first_and_the_buttons(page, content):
    # The longest top of the plan: a bone ticked (why some actions come first), a "Start today" item and more.
    open_page(page, "/about-me")
    page.check("input[name='sites'][value='spine']")
    page.wait_for_selector("[data-saved-status]:has-text('Saved')")
    fix_many(page, content, count=8)
    stop = next(item for item in content.section("habits").items if item.id in content.stop_or_know)
    open_page(page, "/rooms/habits")
    page.wait_for_selector("body[data-personalised='true']")
    answer(page, stop.id, "fix")
    open_page(page, "/plan")
    page.wait_for_selector("[data-plan] .plan")
    screen = page.evaluate("window.innerHeight")
    # Issue 19.8: the first action, its words and its "Mark as done" box, is on the first screen at 390x844.
    first = page.locator(".plan-todo .plan-action").first
    assert first.locator(".action-text").evaluate("el => el.getBoundingClientRect().bottom") <= screen
    box = first.locator("[data-done]").bounding_box()
    assert box["y"] + box["height"] <= screen and box["width"] >= 44 and box["height"] >= 44
    assert first.locator(".done-toggle label").inner_text() == "Mark as done"
    for selector in ("a[href='#flags-title']", "a[href='#print-title']", "a[href='#reminder-title']"):
        assert page.locator(selector).first.evaluate("el => el.getBoundingClientRect().bottom") < screen, selector
    assert page.locator(".plan-todo [data-urgency='high'] .plan-action").count() <= 5
    # Only "Do this week" is open; "Do this month" is folded.
    assert page.locator(".plan-todo .urgency-fold[open]").count() == 0
    # The warning signs are one tap away, and their heading stops below the sticky header, not under it.
    page.click("a[href='#flags-title']")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#flags-title').getBoundingClientRect().top) < innerHeight / 2"
    )
    header = page.locator(".site-header").evaluate("el => el.getBoundingClientRect().bottom")
    assert page.locator("#flags-title").evaluate("el => el.getBoundingClientRect().top") >= header
    # "Print" goes to the PDF button, with its paper and large-print choices and its progress beside it.
    page.click("a[href='#print-title']")
    page.wait_for_function("() => document.querySelector('#print-title').getBoundingClientRect().top < innerHeight / 2")
    for selector in (
        "input[name='paper']",
        "[data-large]",
        ".plan-print [data-download-pdf]",
        "[data-download-status]",
    ):
        top = page.locator(selector).first.evaluate("el => el.getBoundingClientRect().top")
        assert 0 <= top < screen, selector
    # The browser's own Print prints every folded group open, and no buttons.
    assert page.locator("[data-plan] details:not([open])").count() > 0
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("[data-plan] details:not([open])").count() == 0
    page.emulate_media(media="print")
    assert not page.is_visible(".plan-quick") and not page.is_visible(".plan-print")
