"""The plan does not contradict the answers (issue 19.10): no stairs precaution with the stairs left out, no
"Which bones?" question once the person has said, and "live alone" only where they said so."""

from pwa.assessment import parse_assessment
from pwa.plan import build

STAIRS_TECHNIQUE = "moving.stairs-technique"


def plan_for(content, sites=(), skipped=()):
    doc = {"schema": 4, "id": "answers", "profile": {"sites": list(sites)}, "answers": {}, "skipped": list(skipped)}
    return build(content, parse_assessment(doc))


def test_no_stairs_precaution_with_the_stairs_left_out(content):
    with_stairs = plan_for(content, sites=["pelvis-hip"])
    assert STAIRS_TECHNIQUE in {p.item_id for p in with_stairs.precautions}
    without = plan_for(content, sites=["pelvis-hip"], skipped=["stairs"])
    assert STAIRS_TECHNIQUE not in {p.item_id for p in without.precautions}
    assert not any("stairs" in p.action.lower() for p in without.precautions)


def test_which_bones_is_asked_only_until_the_person_says(content):
    question = next(q.text for q in content.plan_extras.questions if q.id == "q.which-bones")
    asked = lambda plan: question in {q.text for q in plan.questions}  # noqa: E731
    assert asked(plan_for(content))  # nothing ticked
    assert asked(plan_for(content, sites=["not-sure"]))
    assert asked(plan_for(content, sites=["spine", "other"]))
    assert not asked(plan_for(content, sites=["spine"]))
    assert not asked(plan_for(content, sites=["ribs", "pelvis-hip"]))


def test_often_alone_is_never_told_they_live_alone(content):
    """The question is "Do you live alone, or are you often alone at home for several hours?": a yes may mean either."""
    question = next(q for q in content.profile.yes_no if q.id == "lives-alone")
    assert "often alone" in question.question
    alone_rules = [rule for rule in content.rules if "lives-alone" in (rule.when.profile_yes or ())]
    assert alone_rules
    for rule in alone_rules:
        assert "live alone" not in rule.because.lower(), rule.id
    for section in content.sections:
        for item in section.items:
            if item.only_when and "lives-alone" in (item.only_when.profile_yes or ()):
                for words in (item.question, item.why, item.action):
                    assert "live alone" not in words.lower() and "living alone" not in words.lower(), item.id
