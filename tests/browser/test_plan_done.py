"""Coming back to the plan (issue 9): ticking "Done" keeps the page still and shows the tick at once, online and
offline; the home page links to the plan and "About me" once they exist; the plan opens with what to do first."""

import json

import pytest

from .conftest import open_page, wait_for_frames, wait_for_saved
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
    wait_for_saved(page, f"a.done?.[{json.dumps(item_id)}]")  # the tick has been written
    wait_for_frames(page)  # and anything that would re-make the page has drawn
    assert page.evaluate("window.scrollY") == before
    assert target.evaluate("el => el.getBoundingClientRect().top") == top_before

    # The tick is kept: it shows again after a reload, even when the plan comes from the device.
    page.reload()
    page.wait_for_selector("body[data-restored='true']")
    page.wait_for_selector("[data-plan] .plan")
    page.wait_for_selector(f"[id='done--{item_id}']:checked")


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
    fix_many(page, content, count=8)
    open_page(page, "/plan")
    page.wait_for_selector("[data-plan] .plan")
    screen = page.evaluate("window.innerHeight")
    first_group = page.locator(".plan-todo h3").first
    assert first_group.evaluate("el => el.getBoundingClientRect().top") < screen
    for selector in ("a[href='#flags-title']", "[data-download-pdf]", "[data-reminder-link]"):
        assert page.locator(selector).first.evaluate("el => el.getBoundingClientRect().bottom") < screen, selector
    assert page.locator(".plan-todo [data-urgency='high'] .plan-action").count() <= 5
    page.click("a[href='#flags-title']")  # the warning signs are one tap away
    page.wait_for_function("(h) => document.querySelector('#flags-title').getBoundingClientRect().top < h", arg=screen)
    assert page.locator("#flags-title").evaluate("el => el.getBoundingClientRect().top") < screen
