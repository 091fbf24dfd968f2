"""The app by keyboard alone, with a focus that can be seen; at 320 px wide and at 200% text without sideways
scrolling; and with reduced motion respected."""

import pytest

from .conftest import open_page

PAGES = ["/", "/about-me", "/rooms/entrance", "/rooms/bathroom", "/summary", "/red-flags", "/plan"]

# The focused element's own outline, or (for a visually hidden radio) the outline on its label.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shown = (node) => { const s = getComputedStyle(node); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; };
  const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
  const rect = (label && el.getBoundingClientRect().width < 2 ? label : el).getBoundingClientRect();
  return { tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 40), rel: el.getAttribute('rel'),
           visible: shown(el) || (label !== null && shown(label)), onScreen: rect.width > 0 && rect.height > 0 };
}"""


def tab_through(page, limit=250):
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused is None or (stops and focused == stops[0] and len(stops) > 3):
            break
        stops.append(focused)
    return stops


def test_a_room_is_answered_and_left_by_keyboard_alone_with_a_visible_focus(page, content):
    section = content.sections[0]
    item = section.items[0]
    open_page(page, f"/rooms/{section.id}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    page.keyboard.press("Enter")  # skip to the content
    # Tab to the first answer of the first item and choose "Needs fixing" with the arrow keys.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == item.id or page.evaluate(
            "document.activeElement.id"
        ).startswith(f"{item.id}--"):
            break
    target = f"{item.id}--fix"
    for _ in range(4):
        if page.evaluate("document.activeElement.id") == target:
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    page.wait_for_selector("[data-saved-status]:has-text('Saved')")
    assert page.is_checked(f"[id='{target}']")

    stops = tab_through(page)
    assert stops, "nothing takes the focus"
    hidden = [stop for stop in stops if not stop["visible"] or not stop["onScreen"]]
    assert hidden == [], f"focus not visible on: {hidden[:5]}"
    # The way on is reachable, and Enter takes it.
    page.evaluate("document.activeElement.blur()")
    for _ in range(250):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('rel')") == "next":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/rooms/{content.sections[1].id}")


@pytest.mark.parametrize("path", PAGES)
def test_every_stop_on_a_page_shows_its_focus(shared_page, path):
    page = shared_page  # Tab alone: nothing is chosen or saved
    open_page(page, path)
    stops = tab_through(page)
    assert stops
    assert [s for s in stops if not s["visible"]] == []


@pytest.mark.parametrize("path", PAGES)
def test_no_sideways_scrolling_at_320px_or_at_200_percent_text(shared_page, path):
    page = shared_page
    page.set_viewport_size({"width": 320, "height": 640})
    open_page(page, path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # 200% text (the browser's text-only zoom enlarges the root font size), on a phone-sized 390 px.
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    clipped = page.evaluate("""() => [...document.querySelectorAll('main *')].filter((el) => {
        const s = getComputedStyle(el);
        return el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 1 && (s.overflowX === 'hidden' || s.overflowX === 'clip')
            && el.clientWidth > 0; }).map((el) => el.outerHTML.slice(0, 60))""")
    assert clipped == []


def test_reduced_motion_is_respected(browser, live_server):
    context = browser.new_context(base_url=live_server, reduced_motion="reduce", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for path in ["/", "/rooms/entrance", "/plan"]:
            open_page(page, path)
            moving = page.evaluate("""() => [...document.querySelectorAll('*')].filter((el) => {
                const s = getComputedStyle(el);
                return parseFloat(s.transitionDuration) > 0 || (s.animationName !== 'none' && parseFloat(s.animationDuration) > 0)
                    || s.scrollBehavior === 'smooth'; }).map((el) => el.tagName)""")
            assert moving == [] and page.evaluate("document.getAnimations().length") == 0
    finally:
        context.close()
