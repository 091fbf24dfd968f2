"""The second clinical review's people (shared/reviews/clinical-review-2026-11.md, section 4), each as a whole walk:
the items listed are "Needs fixing" (or "Not sure"), everything else shown "Looks safe", every screen question
answered. Each plan must put first what the reviewer, a senior oncology physio and OT, would put first ("What a
clinician would put first"), with the items that exist today; and must hold, for anyone, the plan's structure:
"stop" and "know" items are never scheduled, "Do this week" holds at most five things to fix, "Important for
you" falls on actions only, on at most a quarter of the items shown."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pwa.assessment import Profile, parse_assessment
from pwa.personalise import personalise
from pwa.plan import build

from .pdf_text import text_of

PHONE = "0161 555 0100"

PERSONAS = {
    # 62, spine only, hormones and denosumab, worried, no falls (screen 1). No 24-hour number, no stop signs.
    "A spine": {
        "profile": {
            "sites": ["spine"],
            "walking_aid": "none",
            "yes_no": {"steroids-or-hormones": True, "bone-injections": True},
            "screen": {"worried": True},
        },
        "fix": [
            "exercise.spine-stretches",
            "moving.housework",
            "kitchen.laundry",
            "moving.out-of-bed",
            "moving.bend-low",
            "habits.numbers",
            "exercise.stop-signs",
        ],
    },
    # 74, hip and thigh bone, walking frame, fell at night, radiotherapy to the hip, anaemic, rushes to the toilet.
    "B hip and thigh, after a fall": {
        "profile": {
            "sites": ["pelvis-hip", "thigh"],
            "walking_aid": "walker",
            "yes_no": {"recent-bone-treatment": True, "tired-or-anaemic": True, "steroids-or-hormones": True},
            "screen": {
                "fallen": True,
                "unsteady": True,
                "hold-furniture": True,
                "push-up": True,
                "curb": True,
                "rush-toilet": True,
                "worried": True,
            },
            "care_team_phone": PHONE,
        },
        "fix": [
            "bathroom.step-over",
            "bathroom.grab-bars-bath",
            "bathroom.shower-chair",
            "bathroom.toilet-height",
            "bedroom.night-path",
            "bedroom.toilet-near",
            "living.chair",
            "living.rugs",
            "kitchen.carrying",
            "stairs.rails",
            "habits.phone-or-alarm",
            "habits.walking-aid-check",
            "moving.stairs-technique",
            "after-fall.stay-down",
            "after-fall.no-pulling",
        ],
    },
    # 58, upper arm and ribs, lives alone, drowsy on morphine, lifts dumbbells and does bicep curls.
    "C arm and ribs": {
        "profile": {
            "sites": ["upper-arm", "ribs"],
            "walking_aid": "none",
            "yes_no": {"lives-alone": True},
            "screen": {"medicine-light-headed": True},
            "care_team_phone": PHONE,
        },
        "fix": [
            "kitchen.everyday-shelves",
            "kitchen.kettle",
            "kitchen.laundry",
            "moving.reach-overhead",
            "moving.carrying",
            "moving.housework",
            "exercise.shoulder-load",
            "exercise.arm-load",
            "bedroom.phone-reach",
            "habits.phone-or-alarm",
            "habits.medicines",
            "living.rugs",
        ],
    },
    # 68, site unknown, steroids, dizzy, chemotherapy numbness, a sleeping tablet and codeine (screen 5).
    "D site unknown": {
        "profile": {
            "sites": ["not-sure"],
            "walking_aid": "none",
            "yes_no": {"steroids-or-hormones": True, "dizziness": True, "numbness": True},
            "screen": {
                "medicine-light-headed": True,
                "medicine-sleep-mood": True,
                "feet-numb": True,
                "unsteady": True,
                "hold-furniture": True,
            },
            "care_team_phone": PHONE,
        },
        "fix": [
            "habits.shoes",
            "habits.medicines",
            "habits.get-up-slowly",
            "habits.eyesight",
            "bedroom.night-path",
            "bedroom.lamp-reach",
            "living.rugs",
            "bathroom.shower-chair",
            "bathroom.non-slip",
            "stairs.edges",
            "exercise.balance",
        ],
        "unsure": ["exercise.ask-first", "moving.lifting-limit"],
    },
    # 70, spine and pelvis, wheelchair after cord compression, fell during a transfer; his son lifts him under the
    # arms; not sure when to wear his brace.
    "E wheelchair user": {
        "profile": {
            "sites": ["spine", "pelvis-hip"],
            "walking_aid": "wheelchair",
            "yes_no": {"numbness": True, "recent-bone-treatment": True, "steroids-or-hormones": True},
            "screen": {"fallen": True, "push-up": True, "feet-numb": True, "worried": True, "sad": True},
            "care_team_phone": PHONE,
        },
        "fix": [
            "bedroom.bed-height",
            "bedroom.bed-handle",
            "bedroom.toilet-near",
            "bathroom.grab-bar-toilet",
            "bathroom.grab-bars-bath",
            "bathroom.shower-chair",
            "entrance.step-rail",
            "living.floor-surface",
            "living.clear-paths",
            "kitchen.carrying",
            "habits.phone-or-alarm",
            "after-fall.no-pulling",
        ],
        "unsure": ["moving.brace"],
    },
    # 55, pelvis, unsteady and worried (screen 2): a lamp lead across the doorway and no shower mat.
    "F two hazards": {
        "profile": {
            "sites": ["pelvis-hip"],
            "walking_aid": "none",
            "screen": {"unsteady": True, "worried": True},
            "care_team_phone": PHONE,
        },
        "fix": ["living.cords", "bathroom.non-slip"],
    },
    # After a fall, ribs, a stick, lives alone, no 24-hour number saved: knows none of the after-fall plan.
    "G after a fall, alone": {
        "profile": {
            "sites": ["ribs"],
            "walking_aid": "stick",
            "yes_no": {"lives-alone": True},
            "screen": {"fallen": True},
        },
        "fix": [
            "living.rugs",
            "living.cords",
            "habits.phone-or-alarm",
            "habits.numbers",
            "after-fall.stay-down",
            "after-fall.no-pulling",
            "after-fall.get-up",
            "after-fall.tell-team",
            "kitchen.everyday-shelves",
        ],
    },
}


def walk(content, person):
    """The whole walk: every screen question answered, every item shown answered."""
    profile = dict(person["profile"])
    profile["screen"] = {q.id: False for q in content.profile.screen.questions} | profile["screen"]
    views = personalise(content, parse_assessment({"profile": profile}).profile).items
    answers = {item_id: {"answer": "ok"} for item_id, view in views.items() if view.shown}
    answers |= {item_id: {"answer": "fix"} for item_id in person["fix"]}
    answers |= {item_id: {"answer": "unsure"} for item_id in person.get("unsure", [])}
    assert {*person["fix"], *person.get("unsure", [])} <= {i for i, v in views.items() if v.shown}
    return build(content, parse_assessment({"profile": profile, "answers": answers}))


def today(plan):
    return [a.item_id for a in plan.today.actions]


def week(plan):
    first = plan.groups[0]
    assert first.priority == "high"
    return [a.item_id for a in first.actions]


def test_a_spine_the_24_hour_number_and_stop_signs_first_then_no_loaded_bending(content):
    plan = walk(content, PERSONAS["A spine"])
    # "24-hour number and MSCC signs; stop loaded flexion and twisting (Pilates)": never "this month".
    assert today(plan)[:2] == ["habits.numbers", "exercise.stop-signs"]
    assert "exercise.spine-stretches" in today(plan)
    # "Stop heavy housework and lifting; log roll; grabber."
    assert {"moving.housework", "moving.out-of-bed", "moving.bend-low"} <= set(week(plan))
    # Worried about falling: at risk (a STEADI key question), so the referral question comes first.
    assert plan.screen.at_risk and plan.screen.score == 1
    assert plan.questions[0].id == "q.referral"


def test_b_hip_after_a_fall_the_bath_step_the_night_toilet_and_the_after_fall_plan(content):
    plan = walk(content, PERSONAS["B hip and thigh, after a fall"])
    # "After-fall plan (stay down, nobody pulls by the arms)": in "Start today".
    assert set(today(plan)) == {"after-fall.stay-down", "after-fall.no-pulling"}
    # "Stop stepping over the bath; night toilet plan; alarm": this week, above the rugs.
    first = week(plan)
    assert {"bathroom.step-over", "bedroom.night-path", "bedroom.toilet-near", "habits.phone-or-alarm"} <= set(first)
    assert "living.rugs" not in first
    # "Important for you" on his own actions, never on what already looks safe.
    assert plan.reasons
    assert all(a.important for a in plan.actions if a.item_id in ("bathroom.step-over", "habits.phone-or-alarm"))


def test_c_arm_loaded_arm_exercise_today_then_carrying_the_alarm_and_a_medicine_review(content):
    plan = walk(content, PERSONAS["C arm and ribs"])
    # "Stop loaded arm exercise (shoulder-load and arm-load)", and reaching overhead: never "this month".
    assert set(today(plan)) == {"exercise.shoulder-load", "exercise.arm-load", "moving.reach-overhead"}
    # "Stop heavy carrying; alarm or phone on her (lives alone); medicine review (drowsy and alone); shelves."
    assert set(week(plan)) >= {"moving.carrying", "habits.phone-or-alarm", "habits.medicines"}
    assert plan.questions[0].id == "q.medicines-falls"


def test_d_site_unknown_a_medicine_review_first_then_getting_up_slowly_shoes_and_night_light(content):
    plan = walk(content, PERSONAS["D site unknown"])
    first = week(plan)
    assert first[0] == "habits.medicines"
    assert {"habits.get-up-slowly", "habits.shoes", "bedroom.night-path"} <= set(first)
    # Dizzy and at risk: the referral question first; which bones, and the medicines question, soon after.
    assert [q.id for q in plan.questions[:3]] == ["q.referral", "q.which-bones", "q.medicines-falls"]


def test_e_wheelchair_transfers_the_son_never_lifts_him_and_the_alarm(content):
    plan = walk(content, PERSONAS["E wheelchair user"])
    # "Stop the son lifting him under the arms": "Start today".
    assert today(plan) == ["after-fall.no-pulling"]
    # "Safe transfers (level heights, toilet and commode); alarm; ramp."
    assert set(week(plan)) == {
        "bathroom.grab-bar-toilet",
        "bedroom.bed-height",
        "bedroom.toilet-near",
        "habits.phone-or-alarm",
        "entrance.step-rail",
    }
    # Not sure about his brace: a question for the team; the brace ranks high for spine and recent treatment.
    assert [u.item_id for u in plan.unsure] == ["moving.brace"]
    brace = personalise(content, Profile(**PERSONAS["E wheelchair user"]["profile"])).items["moving.brace"]
    assert brace.item.priority == "high" and brace.score > personalise(content, Profile()).items["moving.brace"].score


def test_f_two_hazards_and_at_risk_without_four_points(content):
    plan = walk(content, PERSONAS["F two hazards"])
    assert week(plan) == ["living.cords", "bathroom.non-slip"] and today(plan) == []
    # "Plus a falls assessment or balance referral, because STEADI key questions are positive."
    assert plan.screen.score == 2 and plan.screen.at_risk and not plan.screen.higher_risk
    assert plan.screen.message == content.profile.screen.key_risk
    assert plan.questions[0].id == "q.referral"
    # Nothing already safe is marked important.
    assert not any(a.important for a in plan.actions if a.item_id not in PERSONAS["F two hazards"]["fix"])


def test_g_after_a_fall_the_alarm_and_the_after_fall_plan_beat_the_rugs(content):
    plan = walk(content, PERSONAS["G after a fall, alone"])
    # No number saved and alone: the 24-hour number first, then "never pulled up by the arms".
    assert today(plan)[:2] == ["habits.numbers", "after-fall.no-pulling"]
    assert set(today(plan)) == {
        "habits.numbers",
        *(f"after-fall.{s}" for s in ("stay-down", "no-pulling", "get-up", "tell-team")),
    }
    first = week(plan)
    assert first.index("habits.phone-or-alarm") < first.index("living.rugs")


@pytest.mark.parametrize("person", PERSONAS)
def test_important_only_on_actions_and_on_at_most_a_quarter(content, person):
    plan = walk(content, PERSONAS[person])
    person_ = PERSONAS[person]
    views = personalise(content, parse_assessment({"profile": person_["profile"]}).profile).items
    shown = sum(1 for v in views.values() if v.shown)
    marked = [a for a in plan.actions if a.important]
    assert len(marked) <= shown * content.important_share
    assert {a.item_id for a in marked} <= set(person_["fix"])
    assert len(week(plan)) <= content.first_group_max == 5


# Any profile at all: every item "Needs fixing". No stop-or-know item is ever in a later group than the first.
profiles = st.fixed_dictionaries(
    {
        "sites": st.lists(
            st.sampled_from(["spine", "pelvis-hip", "thigh", "upper-arm", "ribs", "skull", "other", "not-sure"]),
            unique=True,
        ),
        "walking_aid": st.sampled_from([None, "none", "stick", "crutches", "walker", "wheelchair"]),
        "yes_no": st.dictionaries(
            st.sampled_from(
                [
                    "dizziness",
                    "tired-or-anaemic",
                    "lives-alone",
                    "numbness",
                    "steroids-or-hormones",
                    "bone-injections",
                    "recent-bone-treatment",
                ]
            ),
            st.booleans(),
        ),
        "screen": st.dictionaries(
            st.sampled_from(
                ["fallen", "cane-or-walker", "unsteady", "worried", "rush-toilet", "medicine-light-headed", "sad"]
            ),
            st.booleans(),
        ),
        "care_team_phone": st.sampled_from(["", PHONE]),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles)
def test_no_stop_or_know_item_is_ever_scheduled_or_capped(content, profile):
    answers = {item_id: {"answer": "fix"} for item_id in content.items}
    plan = build(content, parse_assessment({"profile": profile, "answers": answers}))
    views = personalise(content, parse_assessment({"profile": profile}).profile).items
    stop_or_know = {i for i in content.stop_or_know if views[i].shown}
    assert set(today(plan)) == stop_or_know
    for group in plan.groups:
        assert not stop_or_know & {a.item_id for a in group.actions}, group.title
        if group.priority == "high":
            assert len(group.actions) <= content.first_group_max
    assert plan.actions[: len(stop_or_know)] == plan.today.actions


def test_start_today_opens_the_plan_page_the_pdf_and_the_fridge_summary(client, csrf_headers, content):
    answers = {i: {"answer": "fix"} for i in ("living.rugs", "exercise.spine-stretches", "habits.numbers")}
    document = {"profile": {"sites": ["spine"], "care_team_phone": PHONE}, "answers": answers}
    page = client.post("/api/plan", json=document, headers=csrf_headers).get_data(as_text=True)
    today_block = page.split('data-urgency="today"')[1].split("</ul>")[0]
    assert 'data-action="exercise.spine-stretches"' in today_block and 'data-action="habits.numbers"' in today_block
    assert page.index(content.today.title) < page.index(content.urgency_title("high"))
    assert 'data-action="living.rugs"' in page.split('data-urgency="high"')[1]
    for url in ("/plan.pdf", "/summary.pdf"):
        response = client.post(url, json=document, headers=csrf_headers)
        text = text_of(response.data)
        start = text.index(content.today.title)
        assert start < text.index(content.urgency_title("high"))
        assert start < text.index(content.items["exercise.spine-stretches"].action[:40], start)
