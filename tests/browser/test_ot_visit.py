"""A home visit as an OT records it on a tablet (820 x 1180): recommendations, measurements, photos with captions,
and the referral report and the person's plan they give."""

import re
from pathlib import Path

import pytest

from ..pdf_text import pages_text
from ..test_handoff import qr_pages
from .conftest import open_page
from .test_clients import add_photo, answer, big_photo, new_client, saved

TABLET = {"width": 820, "height": 1180}


@pytest.fixture()
def context(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=TABLET)
    yield context
    context.close()


def recommend(page, item_id, words, priority, who, by_when):
    box = f"[data-ot-advice='{item_id}']"
    page.locator(f"{box} summary").click()
    saved(page, lambda: page.fill(f"{box} [data-ot-field='recommendation']", words))
    saved(page, lambda: page.select_option(f"{box} [data-ot-field='priority']", priority))
    saved(page, lambda: page.fill(f"{box} [data-ot-field='who']", who))
    saved(page, lambda: page.fill(f"{box} [data-ot-field='by_when']", by_when))


def measure(page, item_id, measurement, value):
    saved(page, lambda: page.fill(f"[data-ot-advice='{item_id}'] [data-ot-measure='{measurement}']", value))


def caption(page, item_id, words, slot=0):
    saved(page, lambda: page.fill(f"[data-ot-caption='{item_id}'][data-slot='{slot}']", words))


def report_pages(page):
    open_page(page, "/visit")
    with page.expect_download() as download:
        page.click("[data-ot-report]")
    return pages_text(download.value.path())


def test_a_three_room_visit_gives_a_referral_and_the_persons_plan_says_what_the_ot_recommends(page, content, tmp_path):
    new_client(page, "Mrs Tablet", assessor="Sam OT")
    saved(page, lambda: page.fill("#visit-role", "Occupational therapist"))
    saved(page, lambda: page.fill("#visit-date", "2026-11-25"))

    open_page(page, "/rooms/entrance")
    answer(page, "entrance.step-rail", "fix")
    recommend(
        page,
        "entrance.step-rail",
        "Second rail on the right of the front step.",
        "medium",
        "Council team",
        "2026-12-20",
    )
    measure(page, "entrance.step-rail", "step-rise", "190")
    add_photo(page, "entrance.step-rail", big_photo(800, 600))
    caption(page, "entrance.step-rail", "Front step, from the path")
    # A second photo of the same item, with its own caption.
    add_photo(page, "entrance.step-rail", big_photo(600, 800))
    page.wait_for_selector("[data-photo='entrance.step-rail'][data-photo-count='2']")
    caption(page, "entrance.step-rail", "The rail's fixing, close up", slot=1)
    # Everything else in the room in one tap, once the problem is marked.
    page.click("[data-rest-safe]")
    page.wait_for_function(
        "[...document.querySelectorAll('[data-item]')].filter((e) => !e.hidden).every((e) => e.querySelector('input:checked'))"
    )

    open_page(page, "/rooms/living")
    answer(page, "living.rugs", "fix", note="Mat by the door")

    open_page(page, "/rooms/bathroom")
    answer(page, "bathroom.toilet-height", "fix")
    recommend(page, "bathroom.toilet-height", "Raised toilet seat, 10 cm.", "high", "OT to order", "2026-12-01")
    measure(page, "bathroom.toilet-height", "toilet-seat-height", "380")
    add_photo(page, "bathroom.toilet-height", big_photo(800, 600))
    caption(page, "bathroom.toilet-height", "Toilet, seen from the door")

    open_page(page, "/visit")
    entrance = page.text_content("[data-visit-room='entrance']")
    assert re.search(r"\d+ of \d+ answered, 1 to fix", entrance), entrance
    page.click("[data-needs-fixing] summary")
    assert page.locator("[data-fix-item]:visible").count() == 3

    pages = report_pages(page)
    first = pages[0]
    for expected in [
        "Mrs Tablet",
        "25 November 2026",
        "Sam OT, Occupational therapist",
        "Fall-risk screen",
        "Hazards found, by room",
        "Signed",
    ]:
        assert expected in first, expected
    titles = {s.id: s.title for s in content.sections}
    for room in ("entrance", "living", "bathroom"):
        assert f"{titles[room]} 1" in first, room
    # In priority order: the OT's high first, the OT's medium last.
    assert first.index("Raised toilet seat, 10 cm.") < first.index("Second rail on the right of the front step.")
    assert "OT to order, by 1 December 2026" in first
    everything = " ".join(pages)
    assert "Step rise 190 mm" in everything and "Toilet seat height 380 mm" in everything
    assert "Front step, from the path" in everything and "Toilet, seen from the door" in everything
    assert "The rail's fixing, close up" in everything
    assert "Not answered" not in everything

    open_page(page, "/plan")
    page.wait_for_selector("[data-plan] [data-by-ot]")
    plan = " ".join(page.text_content("[data-plan]").split())
    assert "Your OT recommends: Raised toilet seat, 10 cm." in plan
    assert content.items["bathroom.toilet-height"].action not in plan
    # The hand-off code near the top of the plan page: on the first screen of the tablet.
    page.wait_for_selector("[data-handoff][data-ready='true']")
    page.evaluate("window.scrollTo(0, 0)")
    code = page.locator("[data-handoff-qr]").bounding_box()
    assert code["y"] + code["height"] <= TABLET["height"]
    # The printed plan: the hand-off QR code and the whole warning-signs box on page one (the link handoff.js made
    # passes the server's check, so the two agree on what of the OT's advice a link carries) and the OT's words.
    with page.expect_download() as download:
        page.click("[data-download-pdf]")
    printed = pages_text(download.value.path())
    assert "Warning signs: when to get help" in printed[0] and "Getting out of breath more easily" in printed[0]
    assert "Open this plan on your own phone" in printed[0]
    assert qr_pages(Path(download.value.path()).read_bytes(), tmp_path) == [1]
    assert "Your OT recommends: Raised toilet seat, 10 cm." in " ".join(printed)


def test_a_follow_up_report_opens_with_fixed_still_open_and_new(page, content):
    new_client(page, "Mr Follow", assessor="Sam OT")
    open_page(page, "/rooms/living")
    answer(page, "living.rugs", "fix")
    answer(page, "living.cords", "fix")
    open_page(page, "/visit")
    assert "primary" not in page.get_attribute("[data-follow-up]", "class")
    with page.expect_navigation():
        page.click("[data-follow-up]")
    page.wait_for_selector("body[data-restored='true']")
    open_page(page, "/rooms/living")
    answer(page, "living.rugs", "ok")
    answer(page, "living.chair", "fix")
    first = report_pages(page)[0]
    assert "Since the last visit" in first and "In short: 1 fixed, 1 still open, 1 new." in first


def test_the_home_page_shows_home_visits_for_professionals_above_the_fold(page):
    open_page(page, "/")
    link = page.locator("[data-professionals-link]")
    assert link.text_content() == "For professionals: home visits"
    assert link.bounding_box()["y"] + link.bounding_box()["height"] <= TABLET["height"]


def test_the_visits_main_actions_and_its_rooms_are_above_the_fold_on_a_tablet(page):
    """The OT report, the plan and the export for the health record, then the rooms: all without scrolling."""
    new_client(page, "Mrs Fold", assessor="Sam OT")
    open_page(page, "/visit")  # afresh, as the OT comes back to it (not scrolled to the field just filled)
    for selector in ["[data-ot-report]", "[data-visit-plan]", "[data-fhir-export]", "[data-visit-rooms] li"]:
        box = page.locator(selector).first.bounding_box()
        assert box and box["y"] + box["height"] <= TABLET["height"], selector
    # The rooms stay near the top: the first room within the first half of the screen.
    assert page.locator("[data-visit-rooms] li").first.bounding_box()["y"] <= TABLET["height"] / 2


def visible_items(page):
    page.wait_for_selector("body[data-personalised='true']")  # the items this person is shown, once known
    return page.eval_on_selector_all(
        "[data-item]", "(items) => items.filter((e) => e.checkVisibility()).map((e) => e.dataset.item)"
    )


def test_only_what_needs_fixing_hides_the_rest_of_a_room_and_stays_on_from_room_to_room(page):
    new_client(page, "Mr Filter", assessor="Sam OT")
    open_page(page, "/rooms/living")
    shown = visible_items(page)
    first, second, third = shown[0], shown[2], shown[3]
    answer(page, first, "fix")
    answer(page, second, "fix")
    answer(page, third, "ok")
    assert page.is_hidden("[data-only-fix-hidden]")

    page.check("[data-only-fix]")
    assert visible_items(page) == [first, second]
    assert page.text_content("[data-only-fix-words]") == f"Questions hidden: {len(shown) - 2}."

    # Kept in the next room of the same visit (nothing there needs fixing yet), and back.
    open_page(page, "/rooms/kitchen")
    assert page.is_checked("[data-only-fix]") and visible_items(page) == []
    kitchen = page.locator("[data-item]:not([hidden])").count()  # the items this person is shown there
    assert page.text_content("[data-only-fix-words]") == f"Questions hidden: {kitchen}."
    open_page(page, "/rooms/living")
    assert visible_items(page) == [first, second]

    page.uncheck("[data-only-fix]")
    assert visible_items(page) == shown
    assert page.is_hidden("[data-only-fix-hidden]")
    # No answer changed.
    for item_id, value in [(first, "fix"), (second, "fix"), (third, "ok")]:
        assert page.is_checked(f"#{item_id}--{value}".replace(".", "\\."))
    assert page.locator(".answer-input:checked").count() == 3

    # The line's own button turns it off too.
    page.check("[data-only-fix]")
    page.click("[data-only-fix-off]")
    assert visible_items(page) == shown and not page.is_checked("[data-only-fix]")
