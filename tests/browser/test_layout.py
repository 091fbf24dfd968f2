"""Every page at phone size (390×844): nothing overflows sideways, body text is at least 16px, and every
control a finger has to hit is at least 44px high."""

import json

import pytest

from ..conftest import SECTION_IDS
from .conftest import open_page, wait_for_saved

PAGES = ["/", "/about-me", "/summary", "/red-flags", "/plan", "/offline"]

MEASURE = """() => {
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const small = [];
  for (const el of document.querySelectorAll("main *, header *, footer *")) {
    if (!visible(el)) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (ownText && parseFloat(getComputedStyle(el).fontSize) < 16) small.push(el.outerHTML.slice(0, 80));
  }
  // Controls a finger must hit. Links inside running text are exempt, as in WCAG's target-size rule.
  const targets = "a.button, .walk-nav a, .room-list a, .brand, .warning-link, label.answer, label.choice, summary, input[type=text], input[type=tel], button";
  const tiny = [...document.querySelectorAll(targets)]
    .filter(visible)
    .filter((el) => el.getBoundingClientRect().height < 44)
    .map((el) => el.outerHTML.slice(0, 80));
  return { scrollWidth: document.documentElement.scrollWidth, small, tiny };
}"""


def fill_some_answers(page, content):
    """Answers with a long note, so the summary and the plan have something to lay out."""
    section = content.sections[0]
    open_page(page, f"/rooms/{section.id}")
    for item, value in zip(section.items, ["fix", "unsure", "ok", "fix"], strict=False):
        page.click(f"label[for='{item.id}--{value}']")
    page.locator(f"[data-item='{section.items[0].id}'] [data-note-details] summary").click()
    note = "A-very-long-word-with-no-spaces-" * 4
    page.fill(f"textarea[data-note='{section.items[0].id}']", note)
    wait_for_saved(page, f"a.answers[{json.dumps(section.items[0].id)}]?.note === {json.dumps(note)}")


@pytest.mark.parametrize("path", PAGES + [f"/rooms/{s}" for s in SECTION_IDS])
def test_page_fits_a_phone(request, content, path):
    # The summary and the plan are measured with answers typed in: a fresh page for those, a shared one for the rest.
    page = request.getfixturevalue("page" if path in ("/summary", "/plan") else "shared_page")
    if path in ("/summary", "/plan"):
        fill_some_answers(page, content)
    if path == "/offline":
        page.goto(path)  # a plain page, with no saved answers to restore
    else:
        open_page(page, path)
    if path == "/plan":
        page.wait_for_selector("[data-action]")
    # Open every note box so the text areas are measured too.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    result = page.evaluate(MEASURE)
    assert result["scrollWidth"] <= 390, "the page scrolls sideways"
    assert result["small"] == [], "text smaller than 16px"
    assert result["tiny"] == [], "tap targets lower than 44px"
