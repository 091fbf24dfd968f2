"""Spanish in a real browser: the language follows the person, and a walk in Spanish ends with a Spanish plan PDF."""

from pwa.content import load_content

from ..pdf_text import text_of
from .conftest import open_page


def saved(page, action):
    page.evaluate("document.querySelector('[data-saved-status]').textContent = ''")
    action()
    page.wait_for_selector("[data-saved-status]:has-text('Guardado')")


def test_a_walk_in_spanish_ends_with_a_spanish_plan_pdf(page):
    spanish = load_content(language="es")
    first, second = spanish.sections[0], spanish.sections[1]

    # Sobre mí: the questions, the screen and its score in Spanish (the words the script writes come from the page).
    open_page(page, "/es/about-me")
    assert page.get_attribute("html", "lang") == "es"
    assert page.text_content("h1") == "Sobre mí"
    page.check("input[name='sites'][value='spine']")
    page.check("input[name='screen.fallen'][value='yes']")
    page.wait_for_selector("[data-screen-score]:has-text('Sus puntos:')")
    saved(page, lambda: page.fill("#field-care_team_phone", "0161 555 0100"))

    # Two rooms: Spanish questions and answer buttons; "Siguiente" leads to the next Spanish room.
    page.click("a:has-text('Siguiente')")
    page.wait_for_url(f"**/es/rooms/{first.id}")
    page.wait_for_selector("body[data-restored='true']")
    assert page.text_content("h1") == first.title
    item = first.items[0]
    fix_words = spanish.kind_labels[item.kind]["fix"]
    assert fix_words != load_content().kind_labels[item.kind]["fix"]
    assert page.text_content(f"label[for='{item.id}--fix']") == fix_words
    saved(page, lambda: page.click(f"label[for='{item.id}--fix']"))
    page.click("a[rel='next']")
    page.wait_for_url(f"**/es/rooms/{second.id}")
    page.wait_for_selector("body[data-restored='true']")
    saved(page, lambda: page.click(f"label[for='{second.items[0].id}--unsure']"))

    # The plan, made by the server in Spanish, and its PDF.
    open_page(page, "/es/plan")
    page.wait_for_selector(f"[data-action='{item.id}']")
    assert item.action in page.text_content(f"[data-action='{item.id}']")
    with page.expect_download() as info:
        page.click("[data-download-pdf]")
    text = text_of(info.value.path())
    assert "Mi plan de SafeSteps" in text and "Señales de alarma" in text
    ambulance = spanish.red_flags.groups[0]
    assert ambulance.signs[0].text[:25] in text  # the warning signs, in Spanish
    assert "Warning signs" not in text and "Do this week" not in text


def test_the_language_follows_the_browser_then_the_switch(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="es-ES", service_workers="block")
    try:
        page = context.new_page()
        # A browser that prefers Spanish is taken to the Spanish pages.
        page.goto("/rooms/kitchen")
        page.wait_for_url("**/es/rooms/kitchen")
        assert page.get_attribute("html", "lang") == "es"
        # The switch shows English by its own name; the choice is kept on the device.
        page.click("a[data-language='en']")
        page.wait_for_url("**/rooms/kitchen")
        assert page.get_attribute("html", "lang") == "en"
        page.goto("/summary")
        page.wait_for_selector("body[data-restored='true']")
        assert page.url.endswith("/summary") and page.get_attribute("html", "lang") == "en"
        page.click("a[data-language='es']")
        page.wait_for_url("**/es/summary")
        page.goto("/")
        page.wait_for_url("**/es/")
    finally:
        context.close()
