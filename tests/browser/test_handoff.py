"""The hand-off in a real browser: the QR code on the plan page opens the same plan on another phone (a fresh
browser context), which keeps it as its own assessment and works offline after the first load."""

import io

import pytest
import zxingcpp
from PIL import Image

from .conftest import PHONE, open_page
from .test_clients import answer, new_client
from .test_offline import wait_for_control


def plan_text(page):
    page.wait_for_selector("[data-plan] .plan")
    return " ".join(page.inner_text("[data-plan] .plan").split())


@pytest.mark.service_worker
def test_the_qr_link_opens_the_same_plan_on_a_fresh_phone_and_works_offline_after(page, browser, live_server, content):
    room = content.sections[1]
    new_client(page, "Hana Handoff", assessor="Sam OT")
    open_page(page, f"/rooms/{room.id}")
    answer(page, room.items[0].id, "fix", "Rug by the sofa")
    answer(page, room.items[1].id, "unsure")
    open_page(page, "/plan")
    page.wait_for_selector("[data-handoff][data-ready='true']")
    original = plan_text(page)
    assert "Rug by the sofa" in original

    # The code on screen is the link: decode it from a screenshot of the canvas.
    shot = page.locator("[data-handoff-qr]").screenshot()
    (found,) = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]
    assert found == page.get_attribute("[data-handoff-link]", "href")
    assert found.startswith(f"{live_server}/handoff#")

    phone = browser.new_context(base_url=live_server, viewport=PHONE)
    try:
        other = phone.new_page()
        errors = []
        other.on("pageerror", lambda exc: errors.append(str(exc)))
        requests = []
        other.on("request", lambda request: requests.append(request.url))
        other.goto(found)
        other.wait_for_url("**/plan")
        assert plan_text(other) == original
        assert all("#" not in url for url in requests)  # the fragment never left the phone
        assert other.is_hidden("[data-visit-bar]")  # the person's own assessment, not a client's
        wait_for_control(other)
        phone.set_offline(True)
        response = other.reload()
        assert response.from_service_worker
        assert plan_text(other) == original
        assert not errors, errors
    finally:
        phone.close()
