"""Personalisation that ranks (issue 9): four different people get different top actions, "Important for you"
on at most a quarter of the items, and at most five actions to do this week; every "About me" answer changes
something the person sees; every note counts."""

import pytest

from pwa.assessment import Profile, parse_assessment
from pwa.personalise import personalise
from pwa.plan import build

PEOPLE = {
    "spine only": {"sites": ["spine"]},
    "hip and thigh, with a walker": {"sites": ["pelvis-hip", "thigh"], "walking_aid": "walker"},
    "arm and ribs": {"sites": ["upper-arm", "ribs"]},
    "no bone named, a recent fall, lives alone": {"screen": {"fallen": True}, "yes_no": {"lives-alone": True}},
}


def everything_needs_fixing(content, profile):
    document = {"profile": profile, "answers": {item_id: {"answer": "fix"} for item_id in content.items}}
    return build(content, parse_assessment(document))


@pytest.mark.parametrize("person", PEOPLE)
def test_important_on_at_most_a_quarter_of_the_items_with_one_reason(content, person):
    views = personalise(content, Profile.model_validate(PEOPLE[person])).items
    shown = [v for v in views.values() if v.shown]
    marked = [v for v in shown if v.important]
    assert 0 < len(marked) <= len(shown) / 4
    assert all(v.reason and v.reason == v.reasons[0] for v in marked)
    # The marked ones are those with the most points.
    lowest_marked = min(v.score for v in marked)
    assert all(v.score <= lowest_marked for v in shown if not v.important and v.reasons)


@pytest.mark.parametrize("person", PEOPLE)
def test_do_this_week_holds_at_most_five_and_the_rest_wait(content, person):
    plan = everything_needs_fixing(content, PEOPLE[person])
    first = plan.groups[0]
    assert first.priority == "high" and first.title == content.urgency_title("high")
    assert 1 <= len(first.actions) <= content.first_group_max == 5
    assert [g.priority for g in plan.groups] == ["high", "medium", "low"]
    # Nothing is lost: every shown item is somewhere in the plan.
    views = personalise(content, Profile.model_validate(PEOPLE[person])).items
    assert len(plan.actions) == sum(1 for v in views.values() if v.shown)


def test_four_people_get_four_different_top_actions(content):
    # The first thing to fix this week ("Start today" above it holds the stop-or-know items, see test_personas).
    tops = {
        person: everything_needs_fixing(content, profile).groups[0].actions[0].item_id
        for person, profile in PEOPLE.items()
    }
    assert len(set(tops.values())) == 4, tops
    assert tops["spine only"].startswith(("moving.", "exercise."))
    assert tops["no bone named, a recent fall, lives alone"] in ("habits.phone-or-alarm", "bedroom.phone-reach")
    weeks = {
        frozenset(a.item_id for a in everything_needs_fixing(content, profile).groups[0].actions)
        for profile in PEOPLE.values()
    }
    assert len(weeks) == 4


def _scores(content, **profile):
    return {item_id: view.score for item_id, view in personalise(content, Profile(**profile)).items.items()}


@pytest.mark.parametrize(
    "profile",
    [
        {"walking_aid": "walker"},
        {"walking_aid": "stick"},
        {"walking_aid": "wheelchair"},
        {"screen": {"feet-numb": True}},
        {"yes_no": {"numbness": True}},
        {"yes_no": {"tired-or-anaemic": True}},
        {"yes_no": {"lives-alone": True}},
        {"yes_no": {"dizziness": True}},
        {"yes_no": {"steroids-or-hormones": True}},
        {"yes_no": {"recent-bone-treatment": True}},
        # A score of 5 without a fall.
        {"screen": {"unsteady": True, "hold-furniture": True, "worried": True, "push-up": True, "curb": True}},
    ],
)
def test_every_risk_factor_changes_the_ranking(content, profile):
    before, after = _scores(content), _scores(content, **profile)
    assert any(after[i] > before[i] for i in before), profile


def test_bone_injections_another_bone_and_not_sure_bring_their_questions_first(content):
    def first_questions(profile):
        plan = build(content, parse_assessment({"profile": profile}))
        return [q.id for q in plan.questions[:2]], [b.id for b in plan.basics[:1]]

    plain_questions, plain_basics = first_questions({})
    questions, basics = first_questions({"yes_no": {"bone-injections": True}})
    assert set(questions) == {"q.supplements", "q.dental"} and basics == ["basics.teeth"]
    assert questions != plain_questions and basics != plain_basics
    for site in ("other", "not-sure"):
        assert first_questions({"sites": [site]})[0][0] == "q.which-bones"
    assert first_questions({"yes_no": {"steroids-or-hormones": True}})[1] == ["basics.treatment-bones"]
    assert first_questions({"yes_no": {"recent-bone-treatment": True}})[1] == ["basics.radiotherapy"]


def test_every_about_me_question_is_used_by_a_rule_or_the_plan(content):
    used = set()

    def walk(condition):
        if condition is None:
            return
        used.update(condition.profile_yes)
        used.update(condition.sites_any)
        for inner in condition.any_of:
            walk(inner)

    for rule in content.rules:
        walk(rule.when)
    for entry in (*content.plan_extras.questions, *content.plan_extras.basics):
        walk(entry.first_when)
    assert {q.id for q in content.profile.yes_no} <= used
    assert {"other", "not-sure"} <= used


@pytest.mark.parametrize("value", ["ok", "na"])
def test_a_note_on_any_answer_is_in_the_plan_under_its_item(content, value):
    item_id = "living.rugs"
    document = {"answers": {item_id: {"answer": value, "note": "The hall runner is taped down"}}}
    plan = build(content, parse_assessment(document))
    (noted,) = plan.other_notes
    assert noted.item_id == item_id and noted.note == "The hall runner is taped down"
    assert noted.question == content.items[item_id].question
    assert noted.answer == content.labels_for(content.items[item_id])[value]


def test_habits_and_questions_for_the_team_have_their_own_words(content):
    kinds = {item.kind for item in content.items.values()}
    assert kinds == {"hazard", "habit", "ask-team"}
    assert content.labels_for(content.items["exercise.ask-first"])["fix"] != content.answer_labels["fix"]
    assert content.labels_for(content.items["habits.shoes"])["ok"] != content.answer_labels["ok"]
    for labels in content.kind_labels.values():
        assert list(labels) == ["ok", "fix", "unsure", "na"]
