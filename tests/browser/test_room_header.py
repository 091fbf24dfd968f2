"""The room page's sticky header (issue 19, at 200% text): the top bar and the room's progress stay in view while
a person scrolls, but at large text they would take about 45% of a 390x844 screen from the questions. There they
scroll away with the page, as the "About me" bar does; at normal text they stay, and small."""

from .conftest import open_page


def header_share(page) -> float:
    """The share of the screen the header covers once the person has scrolled down to the questions."""
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    assert page.evaluate("scrollY") > page.viewport_size["height"]
    return page.evaluate(
        """() => {
          const box = document.querySelector('.site-header').getBoundingClientRect();
          return Math.max(0, Math.min(box.bottom, innerHeight) - Math.max(box.top, 0)) / innerHeight;
        }"""
    )


def test_the_room_header_takes_a_small_share_of_the_screen_at_any_text_size(page, context, content):
    room = f"/rooms/{content.sections[0].id}"
    open_page(page, room)
    page.wait_for_selector("body[data-restored='true']")
    assert page.locator(".site-header").evaluate("el => getComputedStyle(el).position") == "sticky"
    assert 0 < header_share(page) < 0.2  # in view while scrolling, and small

    # The phone's text size at 200%: the browser's default font size doubles (what a person's setting changes).
    cdp = context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32}})
    open_page(page, room)
    page.wait_for_selector("body[data-restored='true']")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 32
    assert header_share(page) < 0.1
