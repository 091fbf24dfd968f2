"""How long a PDF will be, estimated from what it prints before anything is rendered, so that a document over
PAGES_MAX is refused (PlanTooLong, a 422) at almost no cost.

Text is counted by width, not by characters: each character in "letters" (an average lowercase letter of the
PDF's font), from Unicode's East Asian width and a table measured from the installed fonts (glyphs.json, made
by scripts/glyph_widths.py: U+FDFD is about 15 letters wide). Characters a colour font has (emoji: Pango draws
them from it even when a plain font comes first) are slow to render as well as wide: each costs SLOW_GLYPH_PAGES of a page on top, so a document of emoji is stopped
here and not by the 30 s render limit. tests/test_limits.py holds the estimates against real renders.
"""

from __future__ import annotations

import bisect
import json
import math
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ..exceptions import SafeStepsError
from ..plan import ActionPlan
from ..visits import OtReport

# The longest PDF made, in estimated pages. The worst plan within it renders in about 3 s on one core; a
# realistic full plan is under 20 pages, in large print too.
PAGES_MAX = 60

# What one colour glyph costs, in pages of rendering time: a page of text takes about 50 ms to render and an
# emoji about 1.3 ms (2,000 in 2.6 s on one idle core); counted as 2.5 ms, 20 emoji cost as much as a page.
# Checked on a busy machine: the largest emoji plan let through rendered in 7.1 s, the largest plain one in 6.4 s
# (a plan of 34,000 emoji, which the old estimate let through at 58 pages, took 313 s).
SLOW_GLYPH_PAGES = 1 / 20

# Measured on the PDF templates (A4 and US Letter alike), then rounded to over-estimate: the width of a line
# in lowercase letters, lines on a page, and pages lost to headings and page breaks.
_LAYOUT = {False: {"line": 85, "page": 30, "spare": 1}, True: {"line": 40, "page": 24, "spare": 2}}


class PlanTooLong(SafeStepsError, ValueError):
    """The document would be longer than PAGES_MAX pages: refused before any rendering."""

    status, code, words_name = 422, "too-long", "too_long"


@cache
def _glyphs() -> tuple[dict[int, float], list[int], list[int]]:
    data = json.loads((Path(__file__).with_name("glyphs.json")).read_text())
    wide = {int(code, 16): width for code, width in data["wide"].items()}
    return wide, [start for start, _ in data["slow"]], [end for _, end in data["slow"]]


def is_slow(code: int) -> bool:
    _, starts, ends = _glyphs()
    index = bisect.bisect_right(starts, code) - 1
    return index >= 0 and code <= ends[index]


def width(character: str) -> float:
    """A character's width in lowercase letters, over-estimated: capitals and digits 1.4, "W" and CJK about 2,
    the widest ligatures far more. Every character counts, combining marks too (they stack and add height)."""
    code = ord(character)
    wide = _glyphs()[0].get(code)
    if wide is not None:
        return wide
    if is_slow(code):
        return 2.5
    if unicodedata.east_asian_width(character) in "WF":
        return 2.0
    return 1.4 if character.isupper() or character.isdigit() else 1.0


class Count:
    """Lines of text, and the time cost of slow glyphs, for one document."""

    def __init__(self, large: bool):
        layout = _LAYOUT[large]
        self.per_line, self.per_page, self.spare = layout["line"], layout["page"], layout["spare"]
        self.slow = 0

    def lines(self, text: str | None) -> int:
        if not text:
            return 0
        self.slow += sum(1 for c in text if ord(c) > 0x7F and is_slow(ord(c)))
        return sum(max(1, math.ceil(sum(map(width, line)) / self.per_line)) for line in text.split("\n"))

    def pages(self, fixed: int, blocks: Iterable[int]) -> int:
        """Pages for `fixed` lines of running text, then `blocks` that are never split across pages
        (`break-inside: avoid`): packed whole, as the renderer does. Slow glyphs add their cost."""
        pages, used = self.spare + fixed // self.per_page, fixed % self.per_page
        for block in blocks:
            if block > self.per_page:  # taller than a page: it starts a page of its own and runs on
                pages += (used > 0) + math.ceil(block / self.per_page) - 1
                used = block % self.per_page or self.per_page
            elif used + block > self.per_page:
                pages, used = pages + 1, block
            else:
                used += block
        return pages + (used > 0) + math.ceil(self.slow * SLOW_GLYPH_PAGES)


def estimate_pages(plan: ActionPlan, large: bool = False, extra_lines: int = 0) -> int:
    """An upper estimate of the plan's pages (and their rendering time, in pages), from what it prints;
    `extra_lines` for what a variant adds (a home visit's QR code)."""
    count = Count(large)
    blocks = [
        2 + count.lines(action.action) + (1 + count.lines(action.note) if action.note else 0)
        for action in (*plan.actions, *(entry.action for entry in plan.done))
    ]
    blocks += [1 + count.lines(f"{entry.room}: {entry.question} {entry.note}") for entry in plan.unsure]
    # Notes on "Looks safe" and "Doesn't apply" answers are printed too, each under its question.
    blocks += [
        1 + count.lines(f"{entry.room}: {entry.question} ({entry.answer})") + count.lines(entry.note)
        for entry in plan.other_notes
    ]
    # The warning signs count as body text: in large print they are (issue 19.2); in normal print they are
    # smaller and in two columns, so this over-estimates them.
    every_plan = [plan.red_flags.intro, *(group.title for group in plan.red_flags.groups)]
    every_plan += [sign.text for group in plan.red_flags.groups for sign in group.signs]
    every_plan += [entry.action for entry in plan.precautions] + [question.text for question in plan.questions]
    every_plan += [f"{basic.title}. {basic.text}" for basic in plan.basics] + list(plan.reasons)
    every_plan += [question for room in plan.safe for question in (room.room, *room.questions)]
    # The person's own fields: on the warning signs page, under the title, and with the precautions.
    every_plan += [plan.name, plan.care_team_phone, plan.care_team_phone, plan.lifting_limit]
    # Each of these is its own line or more, plus a heading for each of about a dozen parts.
    fixed = 12 + extra_lines + sum(count.lines(text) for text in every_plan)
    return count.pages(fixed, blocks)


# An OT report's photo, in lines of text (a photo is at most 6 cm tall in pdf.css).
PHOTO_LINES = 14


def estimate_report_pages(report: OtReport, large: bool = False) -> int:
    """An upper estimate of the OT report's pages: every question, answer, note and photo is a row that is
    never split across pages."""
    count = Count(large)
    head = [report.client, report.assessor, report.date, report.note, report.previous_assessor, report.screen.message]
    fixed = 24 + sum(count.lines(text) for text in head) + len(report.rooms) + len(report.key_questions)
    # Each recommendation: the item, the OT's words, and who and by when.
    fixed += sum(2 + count.lines(f"{r.question} {r.text}") for r in report.recommendations)
    blocks = []
    if report.comparison:
        lines = (*report.comparison.fixed, *report.comparison.still_open, *report.comparison.new)
        fixed += 6 + sum(1 + count.lines(line.question) for line in lines)
    for room in report.rooms:
        fixed += 2
        for line in room.items:
            # The question and the answer side by side: the question column is about 3/4 of the line.
            measured = " ".join(m.label for m in line.measurements)
            captions = (caption for _, caption in line.photos)
            text = " ".join((line.question, line.note, measured, *captions, f"Last time: {line.previous or ''}"))
            rows = 1 + math.ceil(count.lines(text) * 4 / 3)
            blocks.append(rows + PHOTO_LINES * len(line.photos))
    return count.pages(fixed, blocks)


# The hand-off QR code on a home visit's plan, with its heading and words, in lines (the code is 6.5 cm).
QR_LINES = 20


def check_length(plan: ActionPlan, large: bool = False, extra_lines: int = 0) -> None:
    if estimate_pages(plan, large, extra_lines) > PAGES_MAX:
        raise PlanTooLong(f"The plan would be longer than {PAGES_MAX} pages.")


def check_report_length(report: OtReport, large: bool = False) -> None:
    if estimate_report_pages(report, large) > PAGES_MAX:
        raise PlanTooLong(f"The report would be longer than {PAGES_MAX} pages.")
