"""The "About me" bar (issue 19.6): a short label that keeps the bar small, and not sticky at large text, where
it would take a fifth of the screen or more from the questions."""

from .conftest import open_page

BAR = ".about-form > .walk-nav"


def test_the_bar_is_small_and_not_sticky_at_large_text(page, context):
    open_page(page, "/about-me")
    assert page.locator(BAR).evaluate("el => getComputedStyle(el).position") == "sticky"
    height = page.locator(BAR).evaluate("el => el.getBoundingClientRect().height")
    assert height < 0.2 * page.viewport_size["height"]

    # The phone's text size at 200%: the browser's default font size doubles (what a person's setting changes).
    cdp = context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32}})
    open_page(page, "/about-me")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 32
    assert page.locator(BAR).evaluate("el => getComputedStyle(el).position") == "static"
