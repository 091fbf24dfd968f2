"""The rule evaluator: the Stay Independent score, which items show, and whose priority rises."""

from pwa.assessment import Profile
from pwa.personalise import personalise, score_screen


def tagged(content, *tags):
    return [i for i in content.items.values() if set(i.tags) & set(tags)]


def test_empty_profile_changes_nothing_and_shows_every_precaution(content):
    # With the care team's number saved, nothing else answered: nothing rises.
    result = personalise(content, Profile(care_team_phone="0161 555 0100"))
    for item_id, view in result.items.items():
        # Nothing ticked counts as "not sure": precautions are shown. Items for some answers (a wheelchair, living
        # alone, numb feet) wait for that answer.
        condition = content.items[item_id].only_when
        for_an_answer = condition is not None and bool(
            condition.screen_yes or condition.profile_yes or condition.walking_aid_any or condition.any_of
        )
        assert view.shown != for_an_answer, item_id
        assert view.priority == content.items[item_id].priority
        assert view.reasons == ()
    assert result.screen.score == 0 and not result.screen.higher_risk and not result.screen.at_risk


def test_without_a_care_team_number_the_24_hour_number_and_stop_signs_rise(content):
    views = personalise(content, Profile()).items
    raised = {item_id for item_id, view in views.items() if view.reasons}
    assert raised == {"habits.numbers", "exercise.stop-signs"}


def test_screen_counts_two_points_for_a_fall_and_a_walking_aid(content):
    two = score_screen(content, Profile(screen={"fallen": True}))
    assert two.score == 2 and not two.higher_risk
    four = score_screen(content, Profile(screen={"fallen": True, "cane-or-walker": True}))
    assert four.score == 4 and four.higher_risk
    assert four.message == content.profile.screen.higher_risk


def test_screen_counts_one_point_for_the_other_ten(content):
    ones = [q.id for q in content.profile.screen.questions if q.points == 1]
    assert score_screen(content, Profile(screen=dict.fromkeys(ones[:3], True))).score == 3
    assert not score_screen(content, Profile(screen=dict.fromkeys(ones[:3], True))).higher_risk
    assert score_screen(content, Profile(screen=dict.fromkeys(ones[:4], True))).higher_risk
    everything = score_screen(content, Profile(screen={q.id: True for q in content.profile.screen.questions}))
    assert everything.score == everything.max_score == 14


def test_no_answers_do_not_count(content):
    result = score_screen(content, Profile(screen={"fallen": False, "unsteady": False}))
    assert result.score == 0 and result.answered == 2


def test_spine_shows_spine_precautions_and_raises_bending_twisting_lifting(content):
    plain = personalise(content, Profile()).items
    result = personalise(content, Profile(sites=("spine",)))
    for item in tagged(content, "bending", "twisting", "lifting"):
        view = result.items[item.id]
        if view.shown:
            assert view.score > plain[item.id].score, item.id
            assert any("spine" in reason for reason in view.reasons)
    for_spine = [i for i in content.items.values() if i.only_when and "spine" in i.only_when.sites_any]
    assert for_spine and all(result.items[i.id].shown for i in for_spine)


def test_hip_precautions_hidden_when_only_the_arm_is_involved(content):
    result = personalise(content, Profile(sites=("upper-arm",)))
    hip_only = [
        i
        for i in content.items.values()
        if i.only_when and i.only_when.sites_any and set(i.only_when.sites_any) <= {"pelvis-hip", "thigh"}
    ]
    assert hip_only
    assert not any(result.items[i.id].shown for i in hip_only)


def test_not_sure_shows_every_precaution_but_raises_nothing(content):
    result = personalise(content, Profile(sites=("not-sure",)))
    every_precaution = [i for i in content.items.values() if i.only_when and i.only_when.names_sites]
    assert every_precaution and all(result.items[i.id].shown for i in every_precaution)
    assert all(view.priority == content.items[i].priority for i, view in result.items.items())


def test_hip_or_thigh_ranks_stairs_getting_up_and_walking_aid_higher(content):
    plain = personalise(content, Profile()).items
    result = personalise(content, Profile(sites=("thigh",)))
    stairs = content.section("stairs")
    for item in (*stairs.items, *tagged(content, "getting-up", "walking-aid")):
        view = result.items[item.id]
        assert view.score > plain[item.id].score, item.id
        assert any("hip, pelvis or thigh" in reason for reason in view.reasons), item.id


def test_a_recent_fall_ranks_every_home_item_higher_but_marks_only_a_few(content):
    plain = personalise(content, Profile()).items
    result = personalise(content, Profile(screen={"fallen": True}))
    home = [i for s in content.sections if s.kind == "home" for i in s.items]
    assert all(result.items[i.id].score > plain[i.id].score for i in home)
    marked = [v for v in result.items.values() if v.important]
    assert 0 < len(marked) <= len(result.items) * content.important_share
    untouched = [i for s in content.sections if s.kind == "exercise" for i in s.items if not i.tags]
    assert all(result.items[i.id].priority == i.priority for i in untouched)


def test_priorities_only_ever_rise(content):
    profile = Profile(sites=("spine", "ribs"), screen={"fallen": True}, yes_no={"dizziness": True})
    order = ["high", "medium", "low"]
    for item_id, view in personalise(content, profile).items.items():
        assert order.index(view.priority) <= order.index(content.items[item_id].priority)


def test_lower_risk_is_said_only_once_the_rest_cannot_reach_the_threshold(content):
    screen = content.profile.screen
    ones = [q.id for q in screen.questions if q.points == 1]
    # Nothing answered: 14 points still possible, so no verdict yet.
    assert score_screen(content, Profile()).message == screen.undecided
    # A walking aid (2) with two one-point questions left open could still reach 4.
    open_two = {q.id: False for q in screen.questions if q.id not in ones[:2]} | {"cane-or-walker": True}
    assert score_screen(content, Profile(screen=open_two)).message == screen.undecided
    # With only one one-point question left, 2 + 1 cannot reach 4 (no key question is yes: see test_steadi).
    open_one = {q.id: False for q in screen.questions if q.id != ones[0]} | {"cane-or-walker": True}
    result = score_screen(content, Profile(screen=open_one))
    assert result.message == screen.lower_risk and not result.higher_risk
    # A score of 1 with only a two-point question open can reach 3 at most, so "less than 4" holds.
    not_key = [q.id for q in screen.questions if q.points == 1 and not q.key]
    open_walker = {q.id: False for q in screen.questions if q.id != "cane-or-walker"} | {not_key[0]: True}
    assert score_screen(content, Profile(screen=open_walker)).message == screen.lower_risk
    # Everything answered "no".
    assert score_screen(content, Profile(screen={q.id: False for q in screen.questions})).message == screen.lower_risk


def test_higher_risk_is_said_as_soon_as_the_threshold_is_reached(content):
    result = score_screen(content, Profile(screen={"fallen": True, "cane-or-walker": True}))
    assert result.answered == 2 and result.message == content.profile.screen.higher_risk
