"""plan.build: the personalised action plan, as data (no Flask, no PDF)."""

from datetime import date

import pytest

from pwa.assessment import parse_assessment
from pwa.content import PRIORITY_ORDER
from pwa.personalise import personalise
from pwa.plan import build

TODAY = date(2026, 11, 25)


def assessment(answers=None, profile=None, done=None):
    return parse_assessment(
        {"schema": 1, "id": "test", "profile": profile or {}, "answers": answers or {}, "done": done or {}}
    )


def first_item(content, priority, *, kind=None):
    """The first item in walk order with this base priority that shows for everyone."""
    return next(
        item
        for section in content.sections
        if kind is None or section.kind == kind
        for item in section.items
        if item.priority == priority and item.only_when is None
    )


def test_red_flags_come_with_the_care_team_number_when_given(content):
    plan = build(content, assessment(profile={"care_team_phone": "0161 555 0100"}), today=TODAY)
    assert plan.red_flags == content.red_flags
    assert plan.care_team_phone == "0161 555 0100"
    assert build(content, assessment(), today=TODAY).care_team_phone is None


def test_needs_fixing_items_become_actions_grouped_by_urgency_with_notes(content):
    low, medium, high = (first_item(content, p) for p in ("low", "medium", "high"))
    plan = build(
        content,
        assessment(
            {
                low.id: {"answer": "fix", "note": "low note"},
                medium.id: {"answer": "fix", "note": "medium note"},
                high.id: {"answer": "fix"},
            }
        ),
        today=TODAY,
    )
    assert [g.priority for g in plan.groups] == ["high", "medium", "low"]
    assert [g.title for g in plan.groups] == [content.urgency_title(p) for p in ("high", "medium", "low")]
    assert [a.item_id for a in plan.actions] == [high.id, medium.id, low.id]
    by_id = {a.item_id: a for a in plan.actions}
    assert by_id[medium.id].note == "medium note" and by_id[high.id].note == ""
    action = by_id[low.id]
    assert action.action == low.action and action.who == low.who
    assert action.room == content.section_of(low.id).title


def test_actions_in_one_group_follow_the_walk(content):
    walk = [
        item.id
        for section in content.sections
        for item in section.items
        if item.priority == "high" and item.only_when is None
    ]
    chosen = [walk[5], walk[0], walk[3]]
    plan = build(content, assessment({item_id: {"answer": "fix"} for item_id in chosen}), today=TODAY)
    assert [a.item_id for a in plan.actions] == sorted(chosen, key=walk.index)


def test_empty_urgency_groups_are_left_out(content):
    plan = build(content, assessment({first_item(content, "medium").id: {"answer": "fix"}}), today=TODAY)
    assert [g.priority for g in plan.groups] == ["medium"]
    assert build(content, assessment(), today=TODAY).groups == ()


def test_the_personalised_priority_and_reason_are_used(content):
    profile = {"sites": ["pelvis-hip"], "screen": {"fallen": True}}
    views = personalise(content, parse_assessment({"profile": profile}).profile).items
    raised = next(v for v in views.values() if v.shown and v.raised and v.item.priority == "medium")
    plain = first_item(content, "medium", kind="exercise")
    assert not views[plain.id].raised
    plan = build(
        content,
        assessment({raised.item.id: {"answer": "fix"}, plain.id: {"answer": "fix"}}, profile=profile),
        today=TODAY,
    )
    by_id = {a.item_id: a for a in plan.actions}
    assert by_id[raised.item.id].priority == raised.priority == "high"
    assert by_id[raised.item.id].reasons == tuple(dict.fromkeys(raised.reasons)) != ()
    assert plan.groups[0].actions[0].item_id == raised.item.id
    assert by_id[plain.id].priority == "medium" and by_id[plain.id].reasons == ()


def test_each_reason_is_given_once_for_the_whole_plan(content):
    profile = {"sites": ["spine", "thigh"], "screen": {"fallen": True}}
    every_item = {item_id: {"answer": "fix"} for item_id in content.items}
    plan = build(content, assessment(every_item, profile=profile), today=TODAY)
    # The strongest reason of each action marked important, each said once.
    said = [action.reasons[0] for action in plan.actions if action.important]
    assert len(said) > len(plan.reasons) == len(set(plan.reasons)) >= 2
    assert set(plan.reasons) == set(said)


def test_a_fall_is_given_as_a_reason_once(content):
    """Three rules raise different items after a fall; the plan's reasons box says why once, not three ways."""
    profile = {"screen": {"fallen": True}}
    every_item = {item_id: {"answer": "fix"} for item_id in content.items}
    plan = build(content, assessment(every_item, profile=profile), today=TODAY)
    assert len([reason for reason in plan.reasons if reason.startswith("You have fallen")]) == 1


def test_unsure_items_become_questions_for_the_care_team(content):
    item = first_item(content, "high")
    plan = build(content, assessment({item.id: {"answer": "unsure", "note": "which rail?"}}), today=TODAY)
    assert plan.actions == ()
    assert [(u.item_id, u.question, u.note) for u in plan.unsure] == [(item.id, item.question, "which rail?")]
    # Every question but those shown only for an answer this person did not give (rushing to the toilet).
    assert plan.questions == tuple(q for q in content.plan_extras.questions if q.id != "q.continence")
    assert plan.basics == content.plan_extras.basics


def test_unknown_item_ids_are_counted_not_raised(content):
    known = first_item(content, "high")
    plan = build(
        content,
        assessment(
            {
                "attic.ladder": {"answer": "fix", "note": "from a newer release"},
                "garage.bins": {"answer": "ok"},
                "cellar.light": {},  # never answered: nothing to place
                known.id: {"answer": "fix"},
            },
            done={"attic.ladder": "2026-01-01"},
        ),
        today=TODAY,
    )
    assert plan.unplaced == 2
    assert [a.item_id for a in plan.actions] == [known.id]


def test_done_actions_move_to_their_own_list_with_the_date(content):
    first, second, third = (item for item in content.sections[3].items[:3])
    plan = build(
        content,
        assessment(
            {i.id: {"answer": "fix", "note": f"note {n}"} for n, i in enumerate((first, second, third))},
            done={second.id: "2026-11-20", third.id: "2026-11-02", "living.rugs": "2026-11-01"},
        ),
        today=TODAY,
    )
    assert [a.item_id for a in plan.actions] == [first.id]
    # Oldest first, so it reads as a log; "living.rugs" was never marked "Needs fixing" here, so it is not listed.
    assert [(d.action.item_id, d.on) for d in plan.done] == [
        (third.id, date(2026, 11, 2)),
        (second.id, date(2026, 11, 20)),
    ]
    assert plan.done[1].action.note == "note 1"


def test_lifting_limit_and_name_only_when_typed(content):
    typed = build(content, assessment(profile={"lifting_limit": "a full kettle", "name": "Ann"}), today=TODAY)
    assert typed.lifting_limit == "a full kettle" and typed.name == "Ann"
    blank = build(content, assessment(profile={"name": "   "}), today=TODAY)
    assert blank.lifting_limit is None and blank.name is None
    assert blank.made == TODAY


def _precaution_ids(content, sites):
    return {p.item_id for p in build(content, assessment(profile={"sites": sites}), today=TODAY).precautions}


def test_exercise_precautions_fit_the_bones_involved(content):
    hip = _precaution_ids(content, ["pelvis-hip"])
    arm = _precaution_ids(content, ["upper-arm"])
    spine = _precaution_ids(content, ["spine"])
    assert "exercise.hip-load" in hip and "exercise.hip-load" not in arm | spine
    assert "exercise.spine-stretches" in spine and "exercise.spine-stretches" not in hip | arm
    assert "exercise.shoulder-load" in arm and "exercise.shoulder-load" not in hip
    # Twisting loads the spine and ribs; pivoting on a planted foot twists the hip and thigh bone (review K7).
    assert "moving.turn-whole-body" in spine & hip and "moving.turn-whole-body" not in arm
    assert "moving.arm-weight" in arm and "moving.arm-weight" not in hip | spine
    # General exercise advice is for everyone; everyday movement items without a condition are actions, not precautions.
    everyone = {i.id for i in content.section("exercise").items if i.only_when is None}
    assert everyone <= hip & arm & spine
    not_for_bones = {i.id for i in content.section("moving").items if not (i.only_when and i.only_when.names_sites)}
    assert not not_for_bones & (hip | arm | spine)


def test_precautions_are_all_shown_when_the_bones_are_not_known(content):
    unknown = _precaution_ids(content, [])
    assert {"exercise.hip-load", "exercise.spine-stretches", "exercise.shoulder-load"} <= unknown
    assert unknown == _precaution_ids(content, ["not-sure"])


def test_answers_to_items_that_no_longer_apply_are_left_out(content):
    plan = build(
        content,
        assessment({"exercise.spine-stretches": {"answer": "fix"}}, profile={"sites": ["pelvis-hip"]}),
        today=TODAY,
    )
    assert plan.actions == () and plan.unplaced == 0


def test_what_is_already_safe_is_counted_per_room(content):
    kitchen, bedroom = content.section("kitchen"), content.section("bedroom")
    answers = {i.id: {"answer": "ok"} for i in kitchen.items[:3]}
    answers[bedroom.items[0].id] = {"answer": "ok"}
    answers[bedroom.items[1].id] = {"answer": "na"}
    plan = build(content, assessment(answers), today=TODAY)
    assert [(room.room, room.count) for room in plan.safe] == [(kitchen.title, 3), (bedroom.title, 1)]
    assert plan.safe[0].questions == tuple(i.question for i in kitchen.items[:3])
    assert plan.safe_count == 4


@pytest.mark.parametrize("priority", PRIORITY_ORDER)
def test_every_priority_has_an_urgency_title(content, priority):
    assert content.urgency_title(priority)
