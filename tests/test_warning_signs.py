"""The warning signs after the second clinical review (issue 16): who to call for each sign, and how soon.

An ambulance group comes first, with the emergency number of the place the app is set up for (SAFESTEPS_PLACE);
each sign has one urgency, the same wherever it is said (the warning signs, the exercise items, the About me hint).
"""

import html
import re

import pytest

from pwa import create_app
from pwa.content import ContentError, load_content

from .conftest import TEST_CONFIG
from .pdf_text import pages_text
from .test_pdf import short


def groups_by_level(content, *levels):
    return [group for group in content.red_flags.groups if group.level in levels]


def signs_matching(content, pattern):
    """(group, sign) for every warning sign whose words match `pattern`."""
    return [
        (group, sign)
        for group in content.red_flags.groups
        for sign in group.signs
        if re.search(pattern, sign.text, re.IGNORECASE)
    ]


def sentences(text):
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


# ---------------------------------------------------------------- who to call


def test_chest_pain_and_the_other_emergencies_are_in_the_ambulance_group_first(content):
    first = content.red_flags.groups[0]
    assert first.level == "ambulance" and groups_by_level(content, "ambulance") == [first]
    title = first.title.lower()
    assert f"ambulance now on {content.place.emergency_number}" in title and "do not drive yourself" in title
    words = " ".join(sign.text.lower() for sign in first.signs)
    for needed in ("chest pain", "breathless", "coughing up blood", "hard to wake", "fit", "collapsing"):
        assert needed in words, needed
    for needed in ("suddenly give way", "not being able to stand", "bleeding that will not stop"):
        assert needed in words, needed
    (chest,) = [sign for sign in first.signs if "chest" in sign.text]
    assert re.search(r"\b(new|sudden)\b", chest.text, re.IGNORECASE)  # not the long-standing rib pain


def test_the_fever_sign_has_a_number_a_window_and_no_guessing_about_blood_counts(content):
    ((group, fever),) = signs_matching(content, r"temperature")
    assert group.level == "now" and "24-hour line now, day or night" in group.title
    assert "37.5 °C or more" in fever.text and "below 36 °C" in fever.text
    assert "six weeks" in fever.text and "chemotherapy or another cancer drug" in fever.text
    assert "shivering" in fever.text and "very unwell" in fever.text
    assert "blood counts may be low" not in fever.text and "do not wait" in fever.text.lower()


def test_the_today_list_never_says_weak_and_points_to_the_call_now_lists(content):
    (today,) = groups_by_level(content, "soon")
    assert today is content.red_flags.groups[-1]
    for sign in today.signs:
        assert not re.search(r"\bweak", sign.text, re.IGNORECASE), sign.id
    assert any("arm or leg" in sign.text and "call now" in sign.text for sign in today.signs)


def test_the_intro_and_heading_agree_with_the_today_list(content, client):
    intro = content.red_flags.intro.lower()
    assert "now, day or night" in intro and "the last list needs a call today" in intro
    assert "these signs need help now" not in intro  # the old words, which the today list contradicted
    page = client.post("/api/plan", json={"schema": 1, "answers": {}}).get_data(as_text=True)
    assert "act straight away" not in page.lower()


def test_constipation_is_two_signs_split_by_its_red_flags(content):
    constipation = signs_matching(content, r"constipat")
    assert len(constipation) == 2
    by_level = {group.level: sign.text for group, sign in constipation}
    assert set(by_level) == {"now", "soon"}
    assert "back pain" in by_level["now"] and "numb or weak legs" in by_level["now"]
    assert "on its own" in by_level["soon"]


# ---------------------------------------------------------------- pain when bearing weight: one urgency


WEIGHT = r"put weight on"
ONE_URGENCY = "keep your weight off it and call your 24-hour line now"


def test_pain_when_bearing_weight_has_one_urgency_everywhere(content):
    ((group, sign),) = signs_matching(content, WEIGHT)
    assert group.id == "fracture" and "keeps getting worse" in sign.text
    title = group.title.lower()
    assert "keep your weight off it" in title and "call your 24-hour line now" in title
    for item_id in ("exercise.stop-signs", "exercise.ease-off"):
        said = [s for s in sentences(content.items[item_id].action) if re.search(WEIGHT, s)]
        assert len(said) == 1 and ONE_URGENCY in said[0] and "keeps getting worse" in said[0], item_id
    # Nowhere else is it sent to a later time, or to easing off.
    later = re.compile(r"\b(today|ease off|drop back|easier level|this week)\b", re.IGNORECASE)
    for item in content.items.values():
        for text in (item.question, item.why, item.action):
            for sentence in sentences(text):
                if re.search(r"weight on|bear weight", sentence):
                    assert not later.search(sentence), (item.id, sentence)


def test_exercise_stop_signs_hold_the_heart_and_lung_signs_and_a_crack(content):
    action = content.items["exercise.stop-signs"].action.lower()
    for needed in ("chest pain", "faint or dizzy", "out of breath", "heart race", "crack", "sudden sharp pain"):
        assert needed in action, needed
    assert "call an ambulance" in action  # chest pain, as in the warning signs
    ease_off = content.items["exercise.ease-off"].action.lower()
    assert "stop that exercise" in ease_off and "today" in ease_off


# ---------------------------------------------------------------- new signs, each in its group


@pytest.mark.parametrize(
    ("pattern", "group_id"),
    [
        (r"cramps[^.]*twitching[^.]*around your mouth[^.]*bone-strengthening", "urgent"),  # low calcium
        (r"shorter or turned out[^.]*crack you heard or felt", "fracture"),
        (r"central line or port", "urgent"),
        (r"blood in your urine, stools or sick", "urgent"),
        (r"severe new headache[^.]*double vision", "urgent"),
        (r"usual painkillers do not control", "urgent"),
        (r"diarrhoea[^.]*24 hours", "urgent"),
        (r"groin or thigh[^.]*bone-strengthening", "soon"),
        (r"new numbness around your bottom", "now"),
    ],
)
def test_each_new_sign_sits_in_its_group(content, pattern, group_id):
    ((group, _),) = signs_matching(content, pattern)
    assert group.id == group_id


def test_the_numbness_hint_says_what_the_warning_sign_says(content):
    hint = next(q.hint for q in content.profile.yes_no if q.id == "numbness")
    ((group, _),) = signs_matching(content, r"^new or spreading numbness")
    assert "New or spreading numbness" in hint and "Call your 24-hour line now" in hint
    assert "Call your 24-hour line now" in group.title


def test_every_warning_sign_rests_on_a_source_that_was_read(content):
    for group in content.red_flags.groups:
        for sign in group.signs:
            for source_id in sign.sources:
                source = content.sources[source_id]
                assert source.seed or source.doi or source.accessed, (sign.id, source_id)


# ---------------------------------------------------------------- the place and its emergency number


def test_an_unknown_place_stops_the_app_at_start_up():
    with pytest.raises(ContentError, match=r"SAFESTEPS_PLACE.*'uk'"):
        create_app({**TEST_CONFIG, "PLACE": "atlantis"})


def test_the_place_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SAFESTEPS_PLACE", "us")
    app = create_app(TEST_CONFIG)
    assert app.config["PLACE"] == "us" and app.extensions["safesteps.content"].place.emergency_number == "911"


def test_a_placeholder_the_app_does_not_know_is_refused(content_copy):
    path = content_copy / "red_flags.yaml"
    path.write_text(path.read_text().replace("Bleeding that will not stop", "Bleeding ({bleed_minutes}) that", 1))
    with pytest.raises(ContentError, match=r"ambulance\.bleeding: unknown placeholder \['\{bleed_minutes\}'\]"):
        load_content(content_copy)


def test_an_ambulance_group_without_the_number_is_refused(content_copy):
    path = content_copy / "red_flags.yaml"
    path.write_text(path.read_text().replace("now on {emergency_number}. Do not", "now. Do not", 1))
    with pytest.raises(ContentError, match=r"ambulance: an ambulance group's title must say \{emergency_number\}"):
        load_content(content_copy)


PLACES = {"uk": "999", "ie": "112", "eu": "112", "us": "911"}
# What each place calls the care team's line (places.yaml `care_line`).
CARE_LINES = {"uk": "24-hour line", "ie": "24-hour line", "eu": "24-hour line", "us": "cancer team's 24-hour number"}


@pytest.mark.parametrize(("place", "number"), PLACES.items())
def test_each_place_shows_its_number_in_the_ambulance_group_on_page_plan_and_paper(place, number):
    app = create_app({**TEST_CONFIG, "PLACE": place})
    client = app.test_client()
    headers = {"X-CSRFToken": client.get("/api/csrf-token").get_json()["token"]}
    red_flags = app.extensions["safesteps.content"].red_flags
    title = f"Call an ambulance now on {number}. Do not drive yourself"
    others = {other for other in PLACES.values() if other != number}

    def ambulance_section(markup):
        section = re.search(
            r'<section class="flag-group flag-ambulance" id="ambulance"[^>]*>(.*?)</section>', markup, re.S
        )
        return section.group(1)

    page = client.get("/red-flags").get_data(as_text=True)
    plan = client.post("/api/plan", json={"schema": 1, "answers": {}}, headers=headers).get_data(as_text=True)
    for markup in (page, plan):
        section = ambulance_section(markup)
        assert title in section and f'href="tel:{number}"' in section and f"Call {number}" in section
        assert not any(f"on {other}" in section for other in others)

    doc = {"schema": 1, "answers": {}, "profile": {"care_team_phone": "0161 446 3658"}}
    pdfs = {
        "plan PDF": client.post("/plan.pdf", json=doc, headers=headers).data,
        "summary PDF": client.post("/summary.pdf", json=doc, headers=headers).data,
        "blank checklist PDF": client.get("/checklist.pdf").data,
    }
    first_sign = short(red_flags.groups[0].signs[0].text, 25)
    next_title = short(red_flags.groups[1].title, 25)
    # The summary's "Call now" lists: the ambulance title with the number, each sign in its short form.
    summary = " ".join(pages_text(pdfs.pop("summary PDF")))
    ambulance, now = red_flags.call_now["ambulance"], red_flags.call_now["now"]
    assert ambulance == f"Call an ambulance on {number} now" and f"Emergency: {number}" in summary
    assert summary.index(ambulance) < summary.index(red_flags.groups[0].signs[0].short) < summary.index(now)
    assert not any(f"ambulance on {other}" in summary for other in others)
    for name, pdf in pdfs.items():
        text = " ".join(pages_text(pdf))
        assert title in text, name
        # In the ambulance group: its title, then its first sign, before the next group.
        assert text.index(title) < text.index(first_sign) < text.index(next_title), name
        assert not any(f"ambulance now on {other}" in text for other in others), name

    # The care team's line, in the place's words: in the intro and the groups to call now, on the page, in the
    # plan PDF and on the summary, and never another place's words.
    line = CARE_LINES[place]
    other_lines = set(CARE_LINES.values()) - {line}
    plan_text = " ".join(pages_text(pdfs["plan PDF"]))
    for name, text in {"page": page, "plan PDF": plan_text, "summary PDF": summary}.items():
        text = html.unescape(text).replace("\u2019", "'")
        assert f"Call your {line} now" in text, name
        assert not any(f"your {other}" in text for other in other_lines), name
    assert f"If you cannot reach your {line}," in html.unescape(page)
