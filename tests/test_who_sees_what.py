"""Issue 16 (second clinical review): new items show only to the people they concern, walking items leave a
full-time wheelchair user's walk, and each new rule moves the items it names."""

import re

import pytest

from pwa.assessment import Profile
from pwa.content import ContentError, load_content
from pwa.personalise import personalise

FULL_TIME = {"walking_aid": "wheelchair", "yes_no": {"wheelchair-full-time": True}}

# item: (a profile that sees it, a profile that does not)
WHO_SEES = {
    "moving.arm-weight": ({"sites": ("upper-arm",)}, {"sites": ("spine",)}),
    "moving.weight-bearing": ({"yes_no": {"bone-at-risk": True}}, {"yes_no": {"bone-at-risk": False}}),
    "entrance.ramp": ({"walking_aid": "wheelchair"}, {"walking_aid": "walker"}),
    "living.wheelchair-space": ({"walking_aid": "wheelchair"}, {"walking_aid": "stick"}),
    "kitchen.lap-tray": ({"walking_aid": "wheelchair"}, {}),
    "moving.wheelchair-brakes": ({"walking_aid": "wheelchair"}, {"walking_aid": "none"}),
    "moving.transfer-heights": ({"walking_aid": "wheelchair"}, {}),
    "moving.transfer-help": ({"walking_aid": "wheelchair"}, {}),
    "moving.pressure-care": (FULL_TIME, {"walking_aid": "crutches"}),
    "habits.fall-alarm": ({"yes_no": {"lives-alone": True}}, {"yes_no": {"lives-alone": False}}),
    "habits.key-safe": ({"yes_no": {"lives-alone": True}}, {}),
    "habits.check-in": ({"yes_no": {"lives-alone": True}}, {}),
    "bathroom.water-temp": ({"screen": {"feet-numb": True}}, {"screen": {"feet-numb": False}}),
    "kitchen.perching-stool": ({"yes_no": {"tired-or-anaemic": True}}, {}),
    "exercise.low-counts": ({"yes_no": {"tired-or-anaemic": True}}, {"yes_no": {"tired-or-anaemic": False}}),
    "habits.lying-standing-bp": ({"screen": {"medicine-light-headed": True}}, {"yes_no": {"dizziness": False}}),
    "habits.carer-check": ({"yes_no": {"memory": True}}, {}),
    "living.steady-furniture": ({"screen": {"hold-furniture": True}}, {}),
    "bedroom.aid-reach": ({"walking_aid": "walker"}, {"walking_aid": "wheelchair"}),
    "exercise.daytime": ({"screen": {"medicine-sleep-mood": True}}, {"screen": {"medicine-sleep-mood": False}}),
}


def shown(content, **profile):
    return {item_id for item_id, view in personalise(content, Profile(**profile)).items.items() if view.shown}


@pytest.mark.parametrize("item_id", sorted(WHO_SEES))
def test_a_new_item_shows_only_to_the_people_it_concerns(content, item_id):
    sees, does_not = WHO_SEES[item_id]
    assert item_id in shown(content, **sees)
    assert item_id not in shown(content, **does_not)
    if not content.items[item_id].only_when.sites_any:
        assert item_id not in shown(content)  # nobody is shown it before giving the answer it is for


def test_the_other_way_to_each_answer_brings_the_item_too(content):
    assert "bathroom.water-temp" in shown(content, yes_no={"numbness": True})
    assert "habits.lying-standing-bp" in shown(content, yes_no={"dizziness": True})
    assert "bedroom.aid-reach" in shown(content, walking_aid="stick")
    assert "moving.arm-weight" in shown(content, sites=("not-sure",))  # an unknown site shows every precaution


def test_a_bone_told_to_be_at_risk_raises_its_precautions(content):
    plain = personalise(content, Profile(sites=("pelvis-hip",))).items
    at_risk = personalise(content, Profile(sites=("pelvis-hip",), yes_no={"bone-at-risk": True})).items
    for item_id in ("exercise.hip-load", "moving.turn-whole-body", "moving.lifting-limit"):
        assert at_risk[item_id].score > plain[item_id].score, item_id
    assert at_risk["moving.weight-bearing"].important


# ---------------------------------------------------------------- the rules issue 16 added, each moving an item

RULE_PROFILES = {
    "bone-at-risk": ({"yes_no": {"bone-at-risk": True}}, "exercise.high-impact"),
    "falls-repeated-or-hurt": ({"screen": {"fallen": True}, "yes_no": {"fall-hurt": True}}, "exercise.specialist"),
    "could-not-get-up": ({"screen": {"fallen": True}, "yes_no": {"fall-long-lie": True}}, "habits.fall-alarm"),
    "lives-alone-help": ({"yes_no": {"lives-alone": True}}, "habits.key-safe"),
    "wheelchair-transfers": ({"walking_aid": "wheelchair"}, "moving.wheelchair-brakes"),
    "wheelchair-full-time": (FULL_TIME, "living.wheelchair-space"),
    "dizzy-on-standing": ({"yes_no": {"dizziness": True}}, "habits.lying-standing-bp"),
    "memory": ({"yes_no": {"memory": True}}, "habits.carer-check"),
}


@pytest.mark.parametrize("rule_id", sorted(RULE_PROFILES))
def test_each_new_rule_raises_the_items_it_names(content, rule_id):
    profile, item_id = RULE_PROFILES[rule_id]
    rule = next(r for r in content.rules if r.id == rule_id)
    assert item_id in rule.raise_.items
    without = personalise(content, Profile()).items[item_id].score
    view = personalise(content, Profile(**profile)).items[item_id]
    assert view.score >= without + rule.weight
    assert rule.because in view.reasons


def test_the_fall_follow_ups_count_only_after_a_yes_to_the_fall(content):
    # A follow-up answered yes, then the fall itself changed to no: the follow-up no longer changes anything.
    stale = personalise(content, Profile(screen={"fallen": False}, yes_no={"fall-long-lie": True, "fall-hurt": True}))
    plain = personalise(content, Profile(screen={"fallen": False}))
    assert {i: v.score for i, v in stale.items.items()} == {i: v.score for i, v in plain.items.items()}
    follow_ups = [q for q in content.profile.yes_no if q.follows and q.follows.question == "screen.fallen"]
    assert {q.id for q in follow_ups} == {"fallen-more-than-once", "fall-hurt", "fall-needed-help", "fall-long-lie"}


# ---------------------------------------------------------------- a wheelchair user, full time

WALKING = re.compile(r"\bwalk(s|ed|ing)?\b|\bstand(ing)? up\b|\bstep over\b|\bjump|\bleg high\b", re.I)


def test_a_full_time_wheelchair_user_sees_no_walking_items(content):
    profile = Profile(sites=("spine", "pelvis-hip"), screen={"fallen": True}, **FULL_TIME)
    views = personalise(content, profile).items
    walking = [
        item_id
        for item_id, view in views.items()
        if view.shown and WALKING.search(f"{view.item.question} {view.item.action}")
    ]
    assert walking == []
    # Nor does any reason given to them talk about walking.
    assert not [r for view in views.values() if view.shown for r in view.reasons if WALKING.search(r)]
    for item_id in ("moving.wheelchair-brakes", "moving.transfer-help", "moving.pressure-care", "entrance.ramp"):
        assert views[item_id].shown, item_id


def test_part_time_wheelchair_users_keep_the_walking_items(content):
    part_time = shown(content, walking_aid="wheelchair", yes_no={"wheelchair-full-time": False})
    full_time = shown(content, **FULL_TIME)
    hidden = part_time - full_time
    assert {"moving.chair-stand", "bathroom.step-over", "habits.get-up-slowly", "exercise.high-impact"} <= hidden
    assert "moving.transfer-help" in part_time  # the wheelchair items are for part-time users too
    # A "full time" answer left over from an earlier wheelchair hides nothing once the aid is a frame.
    assert "moving.chair-stand" in shown(content, walking_aid="walker", yes_no={"wheelchair-full-time": True})


# ---------------------------------------------------------------- the About me page and the loader


def test_about_me_sets_each_follow_up_under_the_answer_it_follows(client, content):
    html = client.get("/about-me").get_data(as_text=True)
    fallen = html.index('name="screen.fallen"')
    for question in ("fallen-more-than-once", "fall-hurt", "fall-needed-help", "fall-long-lie"):
        at = html.index(f'name="yes_no.{question}"')
        assert fallen < at < html.index('name="screen.cane-or-walker"'), question
    wheelchair = html.index('name="walking_aid" value="wheelchair"')
    assert wheelchair < html.index('name="yes_no.wheelchair-full-time"') < html.index('name="yes_no.dizziness"')
    assert html.count('data-follows="screen.fallen" data-follows-answer="yes" hidden') == 4
    assert html.count('data-follows="walking_aid" data-follows-answer="wheelchair" hidden') == 1


def test_dizziness_is_asked_apart_from_confusion_and_weakness(content):
    dizzy = next(q for q in content.profile.yes_no if q.id == "dizziness")
    assert "stand up" in dizzy.question and not re.search(r"confused|weak", dizzy.question)


def _rewrite(copy_dir, name, old, new):
    path = copy_dir / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_follow_up_of_an_unknown_question_is_refused(content_copy):
    _rewrite(content_copy, "profile.yaml", "{question: screen.fallen,", "{question: screen.tumbled,")
    with pytest.raises(ContentError, match="fallen-more-than-once: follows an unknown question"):
        load_content(content_copy)


def test_unless_on_an_unknown_answer_is_refused(content_copy):
    _rewrite(content_copy, "sections/08-moving.yaml", "profile_yes: [wheelchair-full-time]", "profile_yes: [rolls]")
    with pytest.raises(ContentError, match="unknown answers"):
        load_content(content_copy)


def test_a_source_is_either_dated_or_says_where_it_was_read(content_copy):
    _rewrite(
        content_copy,
        "sources.yaml",
        "    read_from: Not opened.",
        "    accessed: 2026-11-26\n    read_from: Not opened.",
    )
    with pytest.raises(ContentError, match="not both"):
        load_content(content_copy)
