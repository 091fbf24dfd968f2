"""The hand-off in a real browser: the QR code on the plan page opens the same plan on another phone (a fresh
browser context), which keeps it as its own assessment and works offline after the first load."""

import base64
import hashlib
import io
import json
import zlib
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from pwa.handoff import ITEM_ORDER, LINK_MAX_CHARS

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
    # Written in format 2: the answers as codes in the order the page gives, the note by item id.
    written = json.loads(zlib.decompress(base64.urlsafe_b64decode(f"{found.split('#')[1].split('.')[0]}=="), -15))
    assert written["handoff"] == 2 and "answers" not in written
    assert written["notes"] == {room.items[0].id: "Rug by the sofa"}
    codes = dict(zip(ITEM_ORDER, written["answer_codes"], strict=False))
    assert codes[room.items[0].id] == "f" and codes[room.items[1].id] == "u"

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


# ---------------------------------------------------------------- one author: the page's link is the printed one


def test_the_printed_plan_carries_the_link_the_page_shows_long_notes_left_out_alike(page, content, tmp_path):
    from ..test_handoff import decode_qr_from_pdf, need_decoder

    need_decoder()
    new_client(page, "Pia Print", assessor="Sam OT")
    for room in content.sections[:3]:  # notes too long for a code: both left out, both say so
        open_page(page, f"/rooms/{room.id}")
        for item in room.items[:3]:
            words = "".join(hashlib.sha256(f"{item.id}{n}".encode()).hexdigest() for n in range(5))  # no repeats
            answer(page, item.id, "fix", f"{item.id}: {words}")
    open_page(page, "/plan")
    page.wait_for_selector("[data-handoff][data-ready='true']")
    on_screen = page.get_attribute("[data-handoff-link]", "href")
    assert page.is_visible("[data-handoff-notes-left]")
    with page.expect_download() as info:
        page.click("[data-download-pdf]")
    (printed,) = decode_qr_from_pdf(Path(info.value.path()).read_bytes(), tmp_path)
    assert printed == on_screen  # the same fragment, and the same signature


# ---------------------------------------------------------------- opening a link on a phone that has answers


def crafted_link(live_server, document):
    """A link this service did not make: the document deflated and encoded by hand, without a signature."""
    import base64
    import json
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = packer.compress(json.dumps(document).encode()) + packer.flush()
    return f"{live_server}/handoff#{base64.urlsafe_b64encode(data).rstrip(b'=').decode()}"


def test_a_phone_with_its_own_answers_asks_first_and_keeps_them_within_reach(page, content, live_server):
    room = content.sections[1]
    open_page(page, f"/rooms/{room.id}")
    answer(page, room.items[0].id, "ok", "my own note")
    own_id = page.evaluate("import('/static/js/store.js').then((s) => s.currentId())")

    new_client(page, "Olu Own", assessor="Sam OT")  # the same phone made a visit: its signed link
    open_page(page, f"/rooms/{room.id}")
    answer(page, room.items[1].id, "fix", "from the visit")
    open_page(page, "/plan")
    page.wait_for_selector("[data-handoff][data-ready='true']")
    link = page.get_attribute("[data-handoff-link]", "href")
    page.evaluate(f"import('/static/js/store.js').then((s) => s.setCurrent({own_id!r}))")

    page.goto(link)
    page.wait_for_selector("[data-handoff-ask]:visible")
    assert page.is_visible("[data-handoff-own]") and page.is_hidden("[data-handoff-not-ours]")
    with page.expect_navigation(url="**/plan"):
        page.click("[data-handoff-open]")
    page.wait_for_selector("[data-plan] .plan")
    assert "from the visit" in plan_text(page)

    open_page(page, "/")
    page.wait_for_selector("[data-other-own]:visible")
    with page.expect_navigation():
        page.click("[data-other-own-switch]")
    page.wait_for_selector("body[data-restored='true']")
    open_page(page, f"/rooms/{room.id}")
    assert page.input_value(f"textarea[data-note='{room.items[0].id}']") == "my own note"
    open_page(page, "/")
    assert page.is_visible("[data-other-own]")  # and back again to the visit's plan, the same way


def test_a_link_not_made_here_says_so_and_its_number_needs_the_persons_yes(page, content, live_server):
    room = content.sections[1]
    new_client(page, "Kit Known", assessor="Sam OT")  # an OT's device with a client
    open_page(page, f"/rooms/{room.id}")
    answer(page, room.items[0].id, "fix")
    known = page.evaluate("import('/static/js/store.js').then((s) => s.listClients())")
    (client,) = known
    planted = {
        "schema": 4,
        "profile": {"care_team_phone": "0900 123 4567"},
        "answers": {room.items[1].id: {"answer": "ok", "note": "planted"}},
        "visit": {"client": "Kit Known", "client_id": client["id"], "previous": {"id": client["visits"][0]["id"]}},
    }
    page.goto(crafted_link(live_server, planted))
    page.wait_for_selector("[data-handoff-ask]:visible")
    assert page.is_visible("[data-handoff-not-ours]")
    assert page.text_content("[data-handoff-phone-number]") == "0900 123 4567"
    assert not page.is_checked("[data-handoff-phone-use]")
    with page.expect_navigation(url="**/plan"):
        page.click("[data-handoff-open]")
    page.wait_for_selector("[data-plan] .plan")
    assert "0900" not in page.inner_text("main")

    open_page(page, "/red-flags")
    assert page.is_hidden("[data-care-team]")
    after = page.evaluate("import('/static/js/store.js').then((s) => s.listClients())")
    assert [len(c["visits"]) for c in after] == [1]  # no visit was added to the known client
    assert after[0]["visits"][0]["answers"] == client["visits"][0]["answers"]


def test_a_link_too_large_to_be_a_plan_is_refused_before_it_is_read(page, live_server):
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    # One character over the limit: refused by its length alone, whatever it carries.
    page.goto(f"{live_server}/handoff#{'A' * (LINK_MAX_CHARS + 1)}")
    page.wait_for_selector("[data-handoff-error]:visible")
    assert "more than a plan can" in page.text_content("[data-handoff-error]")
    assert posts == []
