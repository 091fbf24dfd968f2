"""The checklist content: it loads, it is complete, and a broken file fails with the file and the id named."""

import re
import shutil
from pathlib import Path

import pytest
import textstat
import yaml

from pwa.content import DEFAULT_DIR, ContentError, load_content

from .conftest import SECTION_IDS


def test_every_section_is_there_in_walk_order(content):
    assert [s.id for s in content.sections] == SECTION_IDS
    assert {s.kind for s in content.sections} == {"home", "movement", "exercise"}


def test_every_item_is_complete_and_cited(content):
    assert len(content.items) >= 45
    for item in content.items.values():
        assert item.question.endswith("?"), item.id
        assert item.why and item.action and item.who and item.sources, item.id
        assert set(item.sources) <= content.sources.keys(), item.id


def test_each_fix_is_written_for_its_own_item(content):
    # One open-source checklist showed the fix for furniture under the question about broken steps: a shifted
    # list. Every action and every question here must be distinct, so no item can carry another's text.
    actions = [i.action for i in content.items.values()]
    questions = [i.question for i in content.items.values()]
    assert len(set(actions)) == len(actions)
    assert len(set(questions)) == len(questions)


def test_every_rule_reaches_some_item(content):
    for rule in content.rules:
        target = rule.raise_
        reached = [
            item
            for section in content.sections
            for item in section.items
            if section.id in target.sections
            or section.kind in target.kinds
            or set(item.tags) & set(target.tags)
            or item.id in target.items
        ]
        assert reached, rule.id


def test_site_precautions_exist_for_each_site_group(content):
    conditional = [i for i in content.items.values() if i.only_when]
    for site in ("spine", "pelvis-hip", "upper-arm"):
        assert any(site in i.only_when.sites_any for i in conditional), site


def test_stay_independent_is_scored_as_published(content):
    screen = content.profile.screen
    assert len(screen.questions) == 12
    points = {q.id: q.points for q in screen.questions}
    assert points.pop("fallen") == 2 and points.pop("cane-or-walker") == 2
    assert set(points.values()) == {1}
    assert screen.threshold == 4


def test_red_flags_cover_cord_compression_fracture_and_calcium(content):
    levels = {g.id: g.level for g in content.red_flags.groups}
    assert levels.get("now") == "now" and levels.get("fracture") == "now" and levels.get("soon") == "soon"
    assert levels.get("ambulance") == "ambulance"


def test_every_seed_point_is_covered_by_an_item(content):
    seeds_cited = {p.source for p in content.seed_points}
    assert {"seed-000", "seed-001", "seed-004"} <= seeds_cited
    for point in content.seed_points:
        assert set(point.items) <= content.items.keys(), point.point


# --- safety review (issue 8) ---------------------------------------------------------------------------------


def _signs(content, level=None):
    """(group, sign) pairs; `level` is one level or a tuple of them (the act-now ones: ambulance and now)."""
    levels = (level,) if isinstance(level, str) else level
    return [
        (group, sign)
        for group in content.red_flags.groups
        for sign in group.signs
        if levels is None or group.level in levels
    ]


ACT_NOW = ("ambulance", "now")


def test_act_now_holds_confusion_blood_clots_and_new_numbness_or_weakness(content):
    now = " ".join(sign.text.lower() for _, sign in _signs(content, ACT_NOW))
    for needed in (
        "confused",
        "hard to wake",
        "keep drinks down",
        "blood clot",
        "chest",
        "calf",
        "new or spreading numbness",
        "newly weak",
        "around your bottom or your genitals",
        "temperature",
    ):
        assert needed in now, needed
    soon = " ".join(sign.text.lower() for _, sign in _signs(content, "soon"))
    for late_sign in ("confus", "hard to wake", "sleepy", "drinks down", "chest", "calf"):
        assert late_sign not in soon, late_sign


def test_warning_sign_intro_says_act_now_not_later(content):
    intro = content.red_flags.intro.lower()
    assert "24-hour" in intro and "emergency department" in intro and "now, day or night" in intro
    assert "do not wait for the morning" in intro and "monday" in intro
    assert "same day" not in intro
    for group in content.red_flags.groups:
        if group.level in ACT_NOW:
            assert "now" in group.title.lower(), group.id


def test_a_suspected_break_says_what_to_do(content):
    fracture = next(g for g in content.red_flags.groups if g.id == "fracture")
    title = fracture.title.lower()
    assert "keep your weight off it and do not move it" in title and "ambulance" in title and "24-hour" in title


# Each concept is one warning sign: it must sit in exactly one group, once.
SIGN_CONCEPTS = {
    "confusion": r"confus",
    "hard to wake": r"hard to wake",
    "vomiting": r"drinks down",
    "numbness in limbs": r"numbness, tingling",
    "saddle numbness": r"bottom or your genitals",
    "legs giving way": r"give way",
    "weakness": r"newly weak",
    "bladder or bowel control": r"control of your bladder",
    # Constipation is two signs: with back pain or numb or weak legs (call now), and on its own (today).
    "constipation with back or leg signs": r"constipat[^.]*with (back pain|numb)",
    "constipation on its own": r"constipation on its own",
    "calf clot": r"\bcalf\b",
    "chest pain": r"\bchest\b(?! or belly)",
    "fever": r"temperature",
    "thirst": r"thirsty",
    "night pain": r"at night",
    "jaw": r"\bjaw\b",
    "thigh pain on bone drugs": r"groin or thigh",
    "low calcium": r"around your mouth",
    "weight-bearing pain": r"put weight on",
    "central line": r"central line",
    "headache": r"headache",
    "uncontrolled pain": r"painkillers",
    "fit": r"\bfit\b|seizure",
}


def test_every_warning_sign_appears_once_in_one_group(content):
    signs = _signs(content)
    ids = [sign.id for _, sign in signs]
    texts = [sign.text.lower() for _, sign in signs]
    assert len(set(ids)) == len(ids) and len(set(texts)) == len(texts)
    for concept, pattern in SIGN_CONCEPTS.items():
        holders = [(group.id, sign.id) for group, sign in signs if re.search(pattern, sign.text.lower())]
        assert len(holders) == 1, (concept, holders)


def test_gradual_breathlessness_is_apart_from_a_sudden_one(content):
    breathless = {sign.id: group.level for group, sign in _signs(content) if "breath" in sign.text.lower()}
    breathless.pop("ambulance.chest-pain")  # chest pain "especially if you are short of breath too"
    assert sorted(breathless.values()) == ["ambulance", "soon"], breathless


# Pairs of advice that cannot both stand: if one item's words match `does` while another's match `forbids`,
# the content says two things. Add a pair whenever a review finds a new kind of clash.
CONTRADICTIONS = [
    (
        "climbing",
        r"\b(steady|sturdy|safe|swap[^.]*for a)\b[^.]*\b(step stool|step ladder|stool|ladder)\b|\bstand on (a|the|your) (step stool|stool|ladder)",
        r"\bnever (need to )?climb|\bwithout climbing",
    ),
    (
        "kettle as a lifting measure",
        r"(no more than|up to|as much as) a full kettle",
        r"\bonly the water you need|\bfull kettle[^.]*more weight",
    ),
    (
        "night back pain urgency",
        (
            r"worse at night[^.]*(call|tell) your care team\b(?![^.]*(24-hour|emergency))"
            r"|(call|tell) your care team\b(?![^.]*(24-hour|emergency))[^.]*worse at night"
        ),
        r"worse when you lie down or at night",
    ),
    (
        # Pain when bearing weight is a sign a bone may break: keep weight off it and call now, never later.
        "weight-bearing pain urgency",
        r"(put|bear) weight on[^.]*\b(today|ease off|drop back|easier level)\b"
        r"|\b(today|ease off|drop back|easier level)\b[^.]*(put|bear) weight on",
        r"keep your weight off it",
    ),
]


def _texts(content):
    """Every piece of wording a person reads, with where it lives."""
    for section in content.sections:
        yield section.id, section.intro
        for item in section.items:
            for field in ("question", "why", "action"):
                yield f"{item.id}.{field}", getattr(item, field)
    for question in (*content.profile.yes_no, *content.profile.text):
        yield question.id, question.hint
    for group in content.red_flags.groups:
        for sign in group.signs:
            yield sign.id, sign.text


def find_contradictions(texts):
    texts = list(texts)
    found = []
    for name, does, forbids in CONTRADICTIONS:
        doers = [where for where, text in texts if re.search(does, text, re.IGNORECASE)]
        forbidders = [where for where, text in texts if re.search(forbids, text, re.IGNORECASE)]
        if doers and forbidders:
            found.append((name, doers, forbidders))
    return found


def test_no_two_items_give_contradicting_advice(content):
    assert find_contradictions(_texts(content)) == []


def test_the_contradiction_check_finds_the_old_step_stool_advice(content):
    old = [
        ("kitchen.step-stool.action", "Swap any wobbly stool for a steady step stool with a tall handle."),
        ("lifting_limit", 'For example "no more than a full kettle".'),
        ("exercise.stop-signs.action", "Stop and call your care team if you have back pain that is worse at night."),
        ("exercise.ease-off.action", "Drop back to an easier level if it hurts to put weight on your leg."),
    ]
    found = {name for name, _, _ in find_contradictions([*_texts(content), *old])}
    assert found == {
        "climbing",
        "kettle as a lifting measure",
        "night back pain urgency",
        "weight-bearing pain urgency",
    }


def test_exercise_stop_signs_match_the_warning_signs(content):
    action = content.items["exercise.stop-signs"].action.lower()
    assert "24-hour" in action and "emergency department" in action
    for sign in ("worse at night", "numbness", "weakness", "bladder or bowel", "an arm or a leg"):
        assert sign in action, sign


def test_site_exclusions_follow_the_consensus(content):
    def words(item_id):
        item = content.items[item_id]
        return (item.question + " " + item.action).lower(), set(item.only_when.sites_any if item.only_when else ())

    # Galvão's tables leave out trunk bends and twists for the thoracic spine and the ribs too (review M6).
    spine, spine_sites = words("exercise.spine-stretches")
    assert {"sit-ups", "crunches", "twisting"} <= set(re.findall(r"[a-z-]+", spine)) and spine_sites == {
        "spine",
        "ribs",
    }
    thigh, thigh_sites = words("exercise.thigh-load")
    assert "leg extensions" in thigh and "ankle weights" in thigh and thigh_sites == {"thigh"}
    assert "hamstring curls" in thigh  # K7
    hip, _ = words("exercise.hip-load")
    assert "side leg lifts" in hip and "hip machines" in hip  # K7: loaded hip abduction and adduction
    shoulder, _ = words("exercise.shoulder-load")
    assert "pulling" in shoulder and "rows" in shoulder  # K6: pulling is shoulder extension
    turn, turn_sites = words("moving.turn-whole-body")
    assert "pivoting" in turn and turn_sites == {"spine", "ribs", "pelvis-hip", "thigh"}  # K7, M6
    arm, arm_sites = words("moving.arm-weight")
    assert all(w in arm for w in ("chair arms", "bed lever", "grab bars", "crutches", "frame"))
    assert arm_sites == {"upper-arm"}  # M5
    arm, arm_sites = words("exercise.arm-load")
    assert "curls" in arm and "presses" in arm and arm_sites == {"upper-arm"}
    impact, impact_sites = words("exercise.high-impact")
    assert "jumping" in impact and impact_sites == set()
    balance, _ = words("exercise.balance")
    assert "tai chi" in balance


def test_after_a_fall_says_what_to_do(content):
    section = content.section("after-fall")
    text = " ".join(f"{i.question} {i.action}" for i in section.items).lower()
    for needed in (
        "stay where you are",
        "keep warm",
        "never to pull you up by the arms",
        "every fall",
        "get up from the floor",
    ):
        assert needed in text, needed


def test_every_cited_source_exists_and_can_be_traced(content):
    cited = set()
    for item in content.items.values():
        cited |= set(item.sources)
    for _, sign in _signs(content):
        cited |= set(sign.sources)
    for entry in (*content.plan_extras.questions, *content.plan_extras.basics):
        cited |= set(entry.sources)
    for question in content.profile.yes_no:
        cited |= set(question.sources)
    cited |= set(content.profile.sites.sources) | {content.profile.screen.source}
    cited |= {point.source for point in content.seed_points}
    assert cited <= content.sources.keys(), cited - content.sources.keys()
    for source in content.sources.values():
        if source.seed is None:
            assert source.url or source.doi, source.id
            if source.url:
                # Dated when it was read; a page that could not be opened says where it was read instead (W6).
                assert bool(source.accessed) != bool(source.read_from), source.id
    assert "mscc-leaflet" not in content.sources
    for unopened in ("cdc-check-for-safety", "cdc-stay-independent", "hssat"):
        assert content.sources[unopened].accessed is None and content.sources[unopened].read_from


# The published Stay Independent statements, by the words that carry each one's meaning.
STAY_INDEPENDENT = {
    "fallen": r"fallen|had a fall",
    "cane-or-walker": r"walking stick \(cane\) or a walker, or i have been advised to use one",
    "unsteady": r"sometimes i feel unsteady when i am walking",
    "hold-furniture": r"steady myself by holding on to furniture when i walk at home",
    "worried": r"worried about falling",
    "push-up": r"push with my hands to stand up from a chair",
    "curb": r"some trouble stepping up onto a kerb \(curb\)",
    "rush-toilet": r"often have to rush to the toilet",
    "feet-numb": r"lost some feeling in my feet",
    "medicine-light-headed": r"medicine that sometimes makes me feel light-headed or more tired than usual",
    "medicine-sleep-mood": r"medicine to help me sleep or to improve my mood",
    "sad": r"often feel sad or depressed",
}


def test_stay_independent_keeps_the_published_meaning(content):
    screen = content.profile.screen
    assert {q.id for q in screen.questions} == STAY_INDEPENDENT.keys()
    for question in screen.questions:
        assert re.search(STAY_INDEPENDENT[question.id], question.text.lower()), question.id
    assert "past year" in next(q.text for q in screen.questions if q.id == "fallen")
    assert "may mean" in screen.higher_risk and "65" in screen.higher_risk and "cancer" in screen.higher_risk
    assert "less than 4" in screen.lower_risk and screen.undecided


def test_the_fracture_warning_is_not_said_on_every_item(content):
    # Nor in every room's intro (issue 19.12: said once, where it helps; tests/test_tone.py).
    warning = re.compile(r"\b(can|may|could) break\b|\bbones?\b[^.]*\bbroken\b|\bfracture", re.IGNORECASE)
    for section in content.sections:
        for item in section.items:
            assert not warning.search(item.why), item.id


def _documents(content):
    """Wording a person reads together: one room, the warning signs, the profile, the plan extras."""
    for section in content.sections:
        yield (
            section.id,
            [section.intro] + [text for item in section.items for text in (item.question, item.why, item.action)],
        )
    yield "red_flags", [content.red_flags.intro] + [s.text for _, s in _signs(content)]
    yield "profile", [q.hint for q in content.profile.yes_no] + [q.question for q in content.profile.yes_no]
    yield "plan", [b.text for b in content.plan_extras.basics] + [q.text for q in content.plan_extras.questions]


JARGON = {"spinal cord": r"nerves", "IU": r"international units", "platelets": r"help stop bleeding"}


def test_jargon_is_explained_where_it_first_appears(content):
    for name, texts in _documents(content):
        whole = " ".join(texts)
        for term, explanation in JARGON.items():
            first = whole.find(term)
            if first >= 0:
                window = whole[first : first + 160]
                assert re.search(explanation, window), (name, term)


def _sentences(text):
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def test_no_sentence_is_above_grade_10(content):
    texts = [text for _, texts in _documents(content) for text in texts]
    texts += [g.title for g in content.red_flags.groups]
    # The fridge summary's short signs and their titles are read alone, each a sentence of its own.
    texts += [f"{s.short}." for _, s in _signs(content) if s.short] + list(content.red_flags.call_now.values())
    texts += [q.text for q in content.profile.screen.questions]
    texts += [content.profile.screen.higher_risk, content.profile.screen.lower_risk, content.profile.screen.key_risk]
    texts += [content.today.title, content.today.intro]
    texts += [rule.because for rule in content.rules]
    too_hard = []
    for text in texts:
        for sentence in _sentences(text):
            grade = textstat.flesch_kincaid_grade(sentence)
            if grade > 10:
                too_hard.append((grade, sentence))
    assert not too_hard, sorted(too_hard, reverse=True)


def test_home_page_says_this_is_not_medical_advice(client):
    page = client.get("/").get_data(as_text=True)
    main = page[page.index("<main") : page.index("</main>")]
    assert "not medical advice" in main and "care team" in main


def test_non_seed_source_without_url_or_doi_is_refused(tmp_path):
    target = tmp_path / "checklists"
    shutil.copytree(DEFAULT_DIR, target)
    data = yaml.safe_load((target / "sources.yaml").read_text())
    data["sources"].append({"id": "hearsay", "title": "Something someone said"})
    (target / "sources.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ContentError, match="hearsay"):
        load_content(target)


# --- broken content fails loudly, naming the file and the id -------------------------------------------------


def _edit_first_item(directory: Path, change) -> tuple[str, str]:
    path = sorted((directory / "sections").glob("*.yaml"))[0]
    data = yaml.safe_load(path.read_text())
    change(data["items"][0], data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path.name, data["items"][0]["id"]


def test_missing_field_names_file_and_item(content_copy):
    filename, item_id = _edit_first_item(content_copy, lambda item, _: item.pop("action"))
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert filename in str(caught.value) and item_id in str(caught.value) and "action" in str(caught.value)


def test_unknown_source_names_file_and_item(content_copy):
    filename, item_id = _edit_first_item(content_copy, lambda item, _: item.update(sources=["no-such-source"]))
    with pytest.raises(ContentError, match="no-such-source") as caught:
        load_content(content_copy)
    assert filename in str(caught.value) and item_id in str(caught.value)


def test_duplicate_item_id_is_refused(content_copy):
    def duplicate(item, data):
        data["items"].append(dict(item, question="Another question?", action="Another action."))

    _, item_id = _edit_first_item(content_copy, duplicate)
    with pytest.raises(ContentError, match="duplicate") as caught:
        load_content(content_copy)
    assert item_id in str(caught.value)


def test_unknown_priority_and_tag_are_refused(content_copy):
    _, item_id = _edit_first_item(content_copy, lambda item, _: item.update(priority="urgent"))
    with pytest.raises(ContentError, match=item_id):
        load_content(content_copy)


def test_item_id_must_belong_to_its_section(content_copy):
    _edit_first_item(content_copy, lambda item, _: item.update(id="kitchen.somewhere-else"))
    with pytest.raises(ContentError, match=r"kitchen\.somewhere-else"):
        load_content(content_copy)


def test_condition_on_an_unknown_answer_is_refused(content_copy):
    _, item_id = _edit_first_item(content_copy, lambda item, _: item.update(only_when={"screen_yes": ["nope"]}))
    with pytest.raises(ContentError, match="nope") as caught:
        load_content(content_copy)
    assert item_id in str(caught.value)


def test_invalid_yaml_names_the_file(content_copy):
    (content_copy / "red_flags.yaml").write_text("title: [unclosed\n")
    with pytest.raises(ContentError, match=r"red_flags\.yaml"):
        load_content(content_copy)


def test_app_refuses_to_start_on_broken_content(content_copy):
    from pwa import create_app

    (content_copy / "rules.yaml").write_text(
        "important_share: 0.25\nfirst_group_max: 5\n"
        "rules:\n  - id: x\n    when: {}\n    raise: {sections: [attic]}\n    weight: 2\n    because: x\n"
    )
    with pytest.raises(ContentError, match="attic"):
        create_app({"CONTENT_DIR": str(content_copy)})


def test_every_sign_to_call_about_now_has_a_short_form_for_the_fridge(content):
    for group in content.red_flags.groups:
        for sign in group.signs:
            if group.level != "soon":
                # A few words: the summary prints them in large type, two columns to a page.
                assert sign.short and len(sign.short.split()) <= 9, sign.id
    assert set(content.red_flags.call_now) == {"ambulance", "now"}
    assert content.place.emergency_number in content.red_flags.call_now["ambulance"]


def test_a_sign_to_call_about_now_without_a_short_form_is_refused(content_copy):
    path = content_copy / "red_flags.yaml"
    path.write_text(path.read_text().replace("        short: New chest pain or tightness\n", ""))
    with pytest.raises(ContentError, match=r"ambulance.chest-pain"):
        load_content(content_copy)


# --- a release the editor cannot get wrong --------------------------------------------------------------------


def test_the_content_version_is_the_label_and_a_digest_of_the_files(content):
    label = yaml.safe_load((DEFAULT_DIR / "content.yaml").read_text())["version"]
    assert re.fullmatch(re.escape(label) + r"\+[0-9a-f]{8}", content.version)


def test_a_wording_edit_without_a_version_bump_still_gives_a_new_content_version(tmp_path):
    from pwa import create_app

    target = tmp_path / "checklists"
    shutil.copytree(DEFAULT_DIR, target)
    before = create_app({"TESTING": True, "CONTENT_DIR": str(target)})
    rules = target / "rules.yaml"
    spine = next(r["because"] for r in yaml.safe_load(rules.read_text())["rules"] if r["id"] == "spine")
    rules.write_text(rules.read_text().replace(spine, "Ask your care team before you bend, twist or lift."))
    after = create_app({"TESTING": True, "CONTENT_DIR": str(target)})

    old, new = (app.extensions["safesteps.content"].version for app in (before, after))
    assert old.split("+")[0] == new.split("+")[0] and old != new
    # What a returning person's browser sees: the page's content version (the key of the cached personal advice
    # and of the last plan) and the service worker's cache version both move on.
    pages = [app.test_client().get("/rooms/kitchen").get_data(as_text=True) for app in (before, after)]
    assert f'name="safesteps-content-version" content="{old}"' in pages[0]
    assert f'name="safesteps-content-version" content="{new}"' in pages[1]
    workers = [app.test_client().get("/sw.js").get_data(as_text=True) for app in (before, after)]
    assert workers[0] != workers[1]
    # The personal advice the new release sends names the new content version.
    client = after.test_client()
    token = client.get("/api/csrf-token").get_json()["token"]
    advice = client.post("/api/personalise", json={"schema": 4, "profile": {}}, headers={"X-CSRFToken": token})
    assert advice.get_json()["content_version"] == new
