"""Every rule in checklists/rules.yaml moves an item, and the STEADI key questions mean "at risk".

Each rule must have a line in MOVES naming an item it moves: a new rule without one fails here. The test builds the
smallest profile its condition holds for, and ranks the items with and without that rule: the item must rise.
"""

import json

import pytest

from pwa.assessment import Profile, parse_assessment
from pwa.content import load_content
from pwa.personalise import BASE_POINTS, condition_holds, facts_for, personalise, score_screen
from pwa.plan import build, plan_as_json

from .pdf_text import text_of

# Rule id -> an item it must move up for the person its condition describes.
MOVES = {
    "spine": "kitchen.oven",
    "spine-precautions": "exercise.spine-stretches",
    "spine-warning-signs": "exercise.stop-signs",
    "hip-or-thigh": "stairs.rails",
    "hip-or-thigh-precautions": "bathroom.step-over",
    "arm-or-ribs": "kitchen.everyday-shelves",
    "arm-or-ribs-precautions": "moving.carrying",
    "recent-fall": "after-fall.no-pulling",
    "recent-fall-trips": "living.rugs",
    "recent-fall-home": "entrance.path-clear",
    "lives-alone": "bedroom.phone-reach",
    "walking-aid": "living.cords",
    "wheelchair": "moving.chair-stand",
    "wheelchair-transfers": "bedroom.toilet-near",
    "screen-score": "habits.shoes",
    "worried": "exercise.balance",
    "no-care-team-number": "habits.numbers",
    "medicines": "habits.medicines",
    "rush-toilet": "bedroom.toilet-near",
    "dizzy": "bathroom.shower-chair",
    "numb-feet": "living.floor-surface",
    "tired": "stairs.one-floor",
    "bone-thinning-medicine": "kitchen.oven",
    "recent-bone-treatment": "exercise.ease-off",
    "bone-at-risk": "moving.weight-bearing",
    "falls-repeated-or-hurt": "after-fall.hospital-even-if-fine",
    "could-not-get-up": "bedroom.phone-reach",
    "lives-alone-help": "habits.fall-alarm",
    "wheelchair-full-time": "moving.pressure-care",
    "dizzy-on-standing": "habits.lying-standing-bp",
    "memory": "habits.carer-check",
}

# Someone with every "About me" text field filled and nothing else answered: no rule holds for them.
BASELINE = {"care_team_phone": "0161 555 0100", "lifting_limit": "5 kg", "name": "A"}
RULE_IDS = [rule.id for rule in load_content().rules]


def satisfying(content, condition, profile=None):
    """The smallest change to the baseline that makes the condition hold (the first choice of each list)."""
    profile = profile or {**BASELINE, "sites": [], "screen": {}, "yes_no": {}}
    if condition.sites_any:
        profile["sites"].append(condition.sites_any[0])
    if condition.screen_yes:
        profile["screen"][condition.screen_yes[0]] = True
    if condition.profile_yes:
        profile["yes_no"][condition.profile_yes[0]] = True
    if condition.walking_aid_any:
        profile["walking_aid"] = condition.walking_aid_any[0]
    for field in condition.text_empty:
        profile[field] = ""
    if condition.screen_at_risk:
        key = next(q for q in content.profile.screen.questions if q.key)
        profile["screen"][key.id] = True
    if condition.screen_score_at_least:
        for question in content.profile.screen.questions:
            if score_screen(content, Profile(**profile)).score >= condition.screen_score_at_least:
                break
            profile["screen"][question.id] = True
    if condition.any_of:
        satisfying(content, condition.any_of[0], profile)
    return profile


def order(content, profile):
    """The items shown to this person, in the order the plan ranks them."""
    views = personalise(content, profile).items
    return [item_id for item_id, view in sorted(views.items(), key=lambda entry: entry[1].rank) if view.shown]


def test_every_rule_says_which_item_it_moves(content):
    missing = sorted(set(RULE_IDS) - set(MOVES))
    assert not missing, f"add a line to MOVES for rules {missing}: which item does each one move?"
    assert not set(MOVES) - set(RULE_IDS), "MOVES names a rule that rules.yaml no longer has"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_each_rule_moves_its_item_up(content, rule_id):
    rule = next(r for r in content.rules if r.id == rule_id)
    profile = Profile(**satisfying(content, rule.when))
    assert condition_holds(rule.when, facts_for(content, profile), showing=False), profile
    item_id = MOVES.get(rule_id)
    assert item_id, f"no line in MOVES for {rule_id}"
    without = content.model_copy(update={"rules": tuple(r for r in content.rules if r.id != rule_id)})
    with_rule, without_rule = order(content, profile), order(without, profile)
    assert with_rule.index(item_id) < without_rule.index(item_id), (rule_id, item_id)
    assert rule.because in personalise(content, profile).items[item_id].reasons


def test_generic_tags_never_stack_past_the_strongest_rule_plus_one(content):
    # Spine, steroids, tired, a fall: many rules match the kitchen laundry, but it counts the strongest one and 1.
    profile = Profile(
        sites=("spine",), yes_no={"steroids-or-hormones": True, "tired-or-anaemic": True}, screen={"fallen": True}
    )
    views = personalise(content, profile).items
    firing = [r for r in content.rules if condition_holds(r.when, facts_for(content, profile), showing=False)]
    for item_id in ("kitchen.laundry", "kitchen.oven", "moving.housework"):
        view = views[item_id]
        assert len(view.reasons) >= 2
        section = content.section_of(item_id)
        matched = [
            r.weight
            for r in firing
            if item_id in r.raise_.items or set(view.item.tags) & set(r.raise_.tags) or section.kind in r.raise_.kinds
        ]
        assert view.score == BASE_POINTS[view.item.priority] + max(matched) + content.extra_rule_points
    # So the precaution written for her own bone beats them all.
    assert views["exercise.spine-stretches"].score > max(views[i].score for i in ("kitchen.laundry", "kitchen.oven"))


def test_ties_break_by_the_stronger_rule_then_base_priority_not_by_walk_order(content):
    # Hip and thigh after a fall: the bath side (medium, own-bone precaution) and the rugs (high, a trip) tie on
    # points; the precaution for her own bone wins, though the rugs come first in the walk.
    profile = Profile(sites=("pelvis-hip",), screen={"fallen": True}, care_team_phone="0161 555 0100")
    views = personalise(content, profile).items
    step, rugs = views["bathroom.step-over"], views["living.rugs"]
    assert step.score == rugs.score and step.rank < rugs.rank
    # And after a fall, the alarm and "never pulled up by the arms" beat the rugs.
    assert views["habits.phone-or-alarm"].rank < rugs.rank and views["after-fall.no-pulling"].rank < rugs.rank


# STEADI: at risk when the score is 4 or more, or a key question (fallen, unsteady, worried) is yes.


@pytest.mark.parametrize("key", ["fallen", "unsteady", "worried"])
def test_a_yes_to_one_key_question_alone_is_at_risk(content, key):
    everything_else_no = {q.id: False for q in content.profile.screen.questions} | {key: True}
    for screen in ({key: True}, everything_else_no):
        result = score_screen(content, Profile(screen=screen))
        assert result.score < content.profile.screen.threshold and not result.higher_risk
        assert result.at_risk and result.key_yes == (key,)
        assert result.label == content.profile.screen.at_risk_label
        # Said apart from the published score, never as the reassuring "less than 4".
        assert result.message == content.profile.screen.key_risk != content.profile.screen.lower_risk


def test_the_published_score_and_wording_stay_as_they_were(content):
    screen = content.profile.screen
    assert [q.id for q in screen.questions if q.key] == ["fallen", "unsteady", "worried"]
    assert sum(q.points for q in screen.questions) == 14 and screen.threshold == 4
    no_key = score_screen(content, Profile(screen={q.id: q.id in ("hold-furniture", "curb") for q in screen.questions}))
    assert no_key.score == 2 and not no_key.at_risk and no_key.message == screen.lower_risk
    assert no_key.label == screen.not_at_risk_label


@pytest.mark.parametrize("aid", ["stick", "crutches", "walker"])
def test_the_walking_aid_in_about_me_answers_the_screens_walking_aid_question(content, aid):
    alone = score_screen(content, Profile(walking_aid=aid))
    assert alone.score == 2 and alone.answered == 1
    # A walker and a fall: 4, the published threshold (before, this said "lower risk").
    both = score_screen(content, Profile(walking_aid=aid, screen={"fallen": True}))
    assert both.score == 4 and both.higher_risk and both.message == content.profile.screen.higher_risk
    assert score_screen(content, Profile(walking_aid="wheelchair")).score == 0


@pytest.mark.parametrize(
    "profile",
    [
        {"screen": {"fallen": True}},
        {"screen": {"worried": True}},
        {"screen": {"hold-furniture": True, "curb": True, "push-up": True, "sad": True}},
        {"yes_no": {"dizziness": True}},
    ],
)
def test_at_risk_a_fall_or_dizziness_bring_the_referral_question_to_the_top(content, profile):
    plan = build(content, parse_assessment({"profile": {**profile, "sites": ["not-sure"]}}))
    assert plan.questions[0].id == "q.referral"
    assert build(content, parse_assessment({"profile": {"sites": ["not-sure"]}})).questions[0].id != "q.referral"


def test_the_screen_result_is_on_the_plan_and_in_its_json(content):
    plan = build(content, parse_assessment({"profile": {"screen": {"fallen": True}}}))
    assert plan.screen.at_risk
    data = plan_as_json(plan)["screen"]
    assert data["at_risk"] is True and data["score"] == 2 and data["key_yes"] == ["fallen"]
    assert data["result"] == content.profile.screen.at_risk_label


def test_the_screen_result_is_printed_on_the_plan_page_the_plan_pdf_and_the_ot_report(client, csrf_headers, content):
    screen = content.profile.screen
    document = {"profile": {"screen": {"fallen": True}}, "answers": {"living.rugs": {"answer": "fix"}}}

    def pdf_text(response):
        assert response.status_code == 200, response.get_data(as_text=True)[:200]
        return text_of(response.data)

    page = " ".join(client.post("/api/plan", json=document, headers=csrf_headers).get_data(as_text=True).split())
    assert screen.at_risk_label in page and screen.key_risk in page and "Score 2 out of 14" in page
    plan_pdf = pdf_text(client.post("/plan.pdf", json=document, headers=csrf_headers))
    assert screen.at_risk_label in plan_pdf and "Score 2 out of 14" in plan_pdf
    report = pdf_text(
        client.post(
            "/ot-report.pdf",
            data={"assessment": json.dumps(document)},
            headers=csrf_headers,
            content_type="multipart/form-data",
        )
    )
    assert screen.at_risk_label in report and "Score 2 of 14" in report
