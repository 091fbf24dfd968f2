"""Every PDF's length is bounded before it is rendered (issue 17 item 5): the worst documents found by hand —
notes on safe answers, very wide characters, emoji, a long OT report, a summary with full fields — are either
refused by the estimate or render within the limit. The renders here are few on purpose: they are slow."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from pwa.assessment import NOTE_LINE_BREAKS_MAX, NOTE_MAX, TEXT_MAX, parse_assessment
from pwa.example import worst_case_assessment
from pwa.pdf import (
    PAGES_MAX,
    PlanTooLong,
    check_length,
    estimate_pages,
    estimate_report_pages,
    fit,
    ot_report_pdf,
    plan_pdf,
    summary_pdf,
)
from pwa.pdf.length import width
from pwa.personalise import personalise
from pwa.plan import build
from pwa.visits import ot_report


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def longest_note(unit: str) -> str:
    """The longest note there can be, in this text, with as many line breaks as a note may hold."""
    per_line = NOTE_MAX // (NOTE_LINE_BREAKS_MAX + 1) - 1
    line = (unit * per_line)[:per_line]
    return "\n".join([line] * (NOTE_LINE_BREAKS_MAX + 1))[:NOTE_MAX]


def with_answers(content, answer: str, note: str, count: int | None = None) -> dict:
    document = worst_case_assessment(content, note=note)
    # Only the items this person is shown are printed (a wheelchair user's items are not, for example).
    views = personalise(content, parse_assessment(document).profile).items
    item_ids = [item_id for item_id in document["answers"] if views[item_id].shown][:count]
    document["answers"] = {item_id: {"answer": answer, "note": note} for item_id in item_ids}
    return document


def largest_accepted(content, answer: str, note: str, estimate) -> tuple[dict, int]:
    """The document with the most items so answered that the estimate still lets through, and its estimate."""
    total = len(with_answers(content, answer, note)["answers"])
    low, high = 0, total
    while low < high:
        middle = (low + high + 1) // 2
        if estimate(with_answers(content, answer, note, middle)) <= PAGES_MAX:
            low = middle
        else:
            high = middle - 1
    document = with_answers(content, answer, note, low)
    return document, estimate(document)


def test_wide_characters_count_by_their_width():
    assert width("a") == 1 and width("W") >= 2 and width("中") == 2
    assert width("\ufdfd") > 10  # one of the widest glyphs there is
    assert width("🎉") > 2  # an emoji, drawn from a colour font


def test_notes_on_safe_and_not_applicable_answers_are_counted(content):
    note = longest_note("The mat by the door is fine for now. ")
    for answer in ("ok", "na"):
        plan = build(content, parse_assessment(with_answers(content, answer, note)))
        assert plan.other_notes and not plan.actions
        with pytest.raises(PlanTooLong):
            check_length(plan)  # every note at its longest: far over the limit, refused before rendering


def test_emoji_cost_rendering_time_as_well_as_room(content):
    letters = build(content, parse_assessment(with_answers(content, "fix", "ab" * 20, 20)))
    emoji = build(content, parse_assessment(with_answers(content, "fix", "🎉🙈" * 20, 20)))
    # 800 emoji: at least 40 pages' worth of rendering time on top of their room.
    assert estimate_pages(emoji) >= estimate_pages(letters) + 40


def test_the_summary_cuts_fields_at_a_word_to_fit():
    assert fit("Call the ward", 40) == "Call the ward"
    cut = fit("Call the ward on 0161 496 0000 and ask for the cancer nurse on duty", 40)
    assert cut.endswith("…") and "Call the ward on 0161 496 0000".startswith(cut[:-1].rsplit(" ", 1)[0])
    assert sum(map(width, cut)) <= 40 and not cut[:-1].endswith(" ")
    # One short word before a very long one: cut inside the long word, never a lone "On…".
    assert fit("On " + "x" * 100, 40) != "On…" and len(fit("On " + "x" * 100, 40)) > 20
    assert sum(map(width, fit("\ufdfd" * 200, 40))) <= 40


# ------------------------------------------------------------------ renders: the worst that gets through


@pytest.mark.parametrize(
    ("answer", "unit"),
    [("ok", "The mat by the door is fine for now. "), ("fix", "\ufdfd "), ("fix", "Rail 🎉🙈 ")],
    ids=["notes-on-safe-answers", "widest-character", "emoji"],
)
def test_the_largest_plan_the_estimate_lets_through_renders_within_the_limit(app, content, answer, unit):
    def estimate(document):
        return estimate_pages(build(content, parse_assessment(document)))

    document, estimated = largest_accepted(content, answer, longest_note(unit), estimate)
    assert document["answers"], "nothing of this kind gets through at all: the test would test nothing"
    with app.app_context():
        real = pages(plan_pdf(build(content, parse_assessment(document))))
    assert real <= estimated <= PAGES_MAX


def test_the_largest_ot_report_the_estimate_lets_through_renders_within_the_limit(app, content):
    def estimate(document):
        return estimate_report_pages(ot_report(content, parse_assessment(document)))

    document, estimated = largest_accepted(
        content, "fix", longest_note("The rail by the back step wobbles. "), estimate
    )
    assert document["answers"]
    # The whole report, every item answered, is over the limit (84 pages when it had no estimate): refused.
    full = parse_assessment(with_answers(content, "fix", longest_note("The rail by the back step wobbles. ")))
    assert estimate_report_pages(ot_report(content, full)) > PAGES_MAX
    with app.app_context():
        pdf = ot_report_pdf(
            ot_report(content, parse_assessment(document)), {}, "a4", False, answer_labels=content.answer_labels
        )
    assert pages(pdf) <= estimated <= PAGES_MAX


def test_the_summary_stays_one_page_with_every_field_full_of_the_widest_characters(app, content):
    document = worst_case_assessment(content, note="\ufdfd" * NOTE_MAX)
    document["profile"].update(
        name="\ufdfd" * TEXT_MAX, care_team_phone="\ufdfd" * TEXT_MAX, lifting_limit="\ufdfd" * TEXT_MAX
    )
    plan = build(content, parse_assessment(document))
    with app.app_context():
        for large in (False, True):
            assert pages(summary_pdf(plan, large=large)) == 1


def test_the_ot_report_over_the_limit_is_a_422_before_rendering(client, csrf_headers, content):
    import json

    document = with_answers(content, "fix", longest_note("The rail by the back step wobbles. "))
    response = client.post(
        "/ot-report.pdf",
        data={"assessment": json.dumps(document)},
        headers=csrf_headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and response.get_json()["error"] == "too-long"
