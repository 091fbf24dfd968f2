"""Nothing overflows (issue 9, WCAG 1.4.10 reflow): a 300-character word with no break in it, typed into a note
(and the longest name, phone and lifting limit "About me" takes), wraps inside a 390 px screen on the room, the
summary and the plan: no sideways scroll, and the Done box stays on screen."""

import json

from .conftest import open_page, wait_for_saved
from .test_plan_page import answer

LONG = "https://example.org/" + "a" * 280  # 300 characters, no space, like a pasted web address
WIDE = "document.documentElement.scrollWidth > window.innerWidth"


def write_note(page, item_id, text):
    page.locator(f"[data-item='{item_id}'] [data-note-details] summary").click()
    page.fill(f"textarea[data-note='{item_id}']", text)
    # The status already says "Saved" from the last write: wait for this note itself to be stored.
    wait_for_saved(page, f"a.answers[{json.dumps(item_id)}]?.note === {json.dumps(text)}")


def test_a_300_character_word_wraps_on_every_page(page, content):
    assert len(LONG) == 300
    open_page(page, "/about-me")
    for field in ("name", "care_team_phone", "lifting_limit"):
        page.fill(f"#field-{field}", "W" * 200)
    wait_for_saved(page, "['name', 'care_team_phone', 'lifting_limit'].every((f) => a.profile[f] === 'W'.repeat(200))")

    room = content.sections[0]
    fixed, safe, na = (item.id for item in room.items[:3])
    open_page(page, f"/rooms/{room.id}")
    answer(page, fixed, "fix")
    write_note(page, fixed, LONG)
    answer(page, safe, "ok")
    write_note(page, safe, LONG)
    answer(page, na, "na")
    write_note(page, na, LONG)
    assert not page.evaluate(WIDE), "the room scrolls sideways"

    open_page(page, "/summary")
    assert not page.evaluate(WIDE), "the summary scrolls sideways"

    open_page(page, "/plan")
    page.wait_for_selector(f"[data-action='{fixed}'] [data-action-note]")
    assert page.locator("[data-other-note]").count() == 2  # the notes on "ok" and "na" are in the plan too
    assert not page.evaluate(WIDE), "the plan scrolls sideways"
    box = page.locator(f"label[for='done--{fixed}']").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    for note in page.locator(".action-note").all():
        assert note.evaluate("el => el.getBoundingClientRect().right") <= 390
