"""Answer labels keep whole words (issue 19.1): at 320 to 430 px wide and at 200% text, chosen or not, no word of
an answer button is split across two lines, and the tick of the chosen answer is not read out."""

import shutil

import pytest

from pwa.content import load_content

from .conftest import open_page
from .firefox import FIREFOX, Firefox

# Each word of each answer label is laid out on one line: a word split across lines has client rects on two
# different lines. The chosen answer (its input checked) shows the tick, so each item is laid out four times,
# with each of its answers chosen in turn.
SPLIT_WORDS = """() => {
  const inputs = [...document.querySelectorAll(".item")].map((item) => [...item.querySelectorAll(".answer-input")]);
  const split = new Set();
  for (let turn = 0; turn < 4; turn++) {
    inputs.forEach((row, i) => { row[(i + turn) % row.length].checked = true; });
    for (const label of document.querySelectorAll(".answer")) {
      const text = label.firstChild;
      const words = [...text.textContent.matchAll(/\\S+/g)];
      for (const word of words) {
        const range = document.createRange();
        range.setStart(text, word.index);
        range.setEnd(text, word.index + word[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) split.add(`${label.htmlFor}: ${word[0]}`);
      }
    }
  }
  return [...split];
}"""


def rooms_to_check(content) -> list[str]:
    """One room for each kind of item: the answer buttons' words depend only on the item's kind (content.yaml
    `answers`), and every room lays its buttons out the same way."""
    first_room_of_kind = {}
    for section in content.sections:
        for item in section.items:
            first_room_of_kind.setdefault(item.kind, section.id)
    return sorted(set(first_room_of_kind.values()))


WIDTHS = (320, 360, 390, 430)
TEXT_SIZES = (("100%", ""), ("200%", "225%"))  # 200% of the app's 112.5%
ROOMS = rooms_to_check(load_content())


@pytest.mark.parametrize("text_size", [size for size, _ in TEXT_SIZES])
@pytest.mark.parametrize("room", ROOMS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_no_answer_word_is_split(shared_page, language, room, text_size):
    """The room is loaded once and laid out at every width: a new viewport lays the page out again, as a phone
    turned would. (Choosing the answers in the page's script saves nothing: no change event.)"""
    page = shared_page
    prefix = "" if language == "en" else f"/{language}"
    open_page(page, f"{prefix}/rooms/{room}")
    page.evaluate(f"document.documentElement.style.fontSize = '{dict(TEXT_SIZES)[text_size]}'")
    split = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        assert page.evaluate("innerWidth") == width
        if found := page.evaluate(SPLIT_WORDS):
            split[f"{width} px"] = found
    assert split == {}


@pytest.fixture(scope="module")
def firefox():
    if not shutil.which(FIREFOX):
        # A missing browser is a failure, never a skip, as for Chromium: scripts/setup test installs firefox-esr.
        pytest.fail(f"{FIREFOX} is missing: run scripts/test, which installs Debian's firefox-esr")
    browser = Firefox()
    yield browser
    browser.close()


@pytest.mark.firefox
@pytest.mark.xdist_group("firefox")  # one Firefox for the four widths, on one worker
@pytest.mark.parametrize("width", WIDTHS)
def test_no_answer_word_is_split_in_firefox(firefox, live_server, width):
    """The same check in the other engine (Firefox split "Need / s / fixin / g" where Chromium split less), one
    Firefox for every width. Each room is laid out at both text sizes (resizing Firefox's viewport is the slow
    step, so it is done once per width)."""
    firefox.set_viewport(width, 844)
    split = {}
    for room in ROOMS:
        firefox.goto(f"{live_server}/rooms/{room}")
        assert firefox.call("() => [innerWidth, document.querySelectorAll('.answer').length > 0]") == [width, True]
        for text_size, root in TEXT_SIZES:
            firefox.call(f"() => {{ document.documentElement.style.fontSize = '{root}'; }}")
            if found := firefox.call(SPLIT_WORDS):
                split[f"{room}, {text_size} text"] = found
    assert split == {}, f"Firefox {firefox.version}"


def test_the_tick_is_not_read_out(page, content):
    item = content.sections[0].items[0]
    open_page(page, f"/rooms/{content.sections[0].id}")
    label = page.locator(f"label[for='{item.id}--fix']")
    label.click()
    before = label.evaluate("el => getComputedStyle(el, '::before').content")
    assert "✓" in before and before.endswith('/ ""')  # shown, with empty alternative text
    # The radio's accessible name is the label's words alone, with no tick before them.
    words = content.kind_labels[item.kind]["fix"]
    card = page.locator(f"[data-item='{item.id}']")
    assert card.get_by_role("radio", name=words, exact=True).is_checked()
