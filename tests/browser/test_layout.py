"""Every page at phone size (390×844): nothing overflows sideways, body text is at least 16px, and every
control a finger has to hit is at least 44px high."""

import pytest

from .conftest import open_page

PAGES = ["/", "/about-me", "/summary", "/red-flags"]
SECTION_IDS = ["entrance", "living", "kitchen", "bathroom", "bedroom", "stairs", "habits", "moving", "exercise"]

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


@pytest.mark.parametrize("path", PAGES + [f"/rooms/{s}" for s in SECTION_IDS])
def test_page_fits_a_phone(page, path):
    open_page(page, path)
    # Open every note box so the text areas are measured too.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    result = page.evaluate(MEASURE)
    assert result["scrollWidth"] <= 390, "the page scrolls sideways"
    assert result["small"] == [], "text smaller than 16px"
    assert result["tiny"] == [], "tap targets lower than 44px"
