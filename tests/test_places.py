"""The place the app is set up for (issue 22.4): each place's words reach the pages (the care team's line, the
lifting limit's unit, the spelling, the calcium, vitamin D and alcohol figures or "ask your team"), every place
gives every word, and a deploying service can give its name and its 24-hour number as everyone's default.
The emergency number and the care line on the warning signs, plan PDF and summary: tests/test_warning_signs.py."""

import html
import re

import pytest
import yaml

from pwa import create_app
from pwa.content import ContentError, load_content
from pwa.service import ServiceSettingError

from . import test_content
from .conftest import TEST_CONFIG
from .pdf_text import pages_text

PLACE_IDS = ("uk", "ie", "eu", "us")
# What each place should show, as set in places.yaml: the lifting limit's unit, two everyday words, and whether
# it gives figures (only the US, from seed-000) or tells the person to ask their team.
EXPECTED = {
    "uk": {"unit": "kilograms (kg)", "kerb": "kerb", "mobile": "mobile phone", "tinned": "tinned", "figures": False},
    "ie": {"unit": "kilograms (kg)", "kerb": "kerb", "mobile": "mobile phone", "tinned": "tinned", "figures": False},
    "eu": {"unit": "kilograms (kg)", "kerb": "kerb", "mobile": "mobile phone", "tinned": "tinned", "figures": False},
    "us": {"unit": "pounds (lb)", "kerb": "curb", "mobile": "cell phone", "tinned": "canned", "figures": True},
}
# The figures seed-000 (a US booklet) gives, in its table of daily amounts and its alcohol advice: the only
# figures any place may show.
SEED_000_FIGURES = {"1,000 mg", "1,200 mg", "600 IU", "800 IU", "one drink a day for women, or two for men"}
FIGURE_WORDS = ("calcium_amount", "vitamin_d_amount", "alcohol_amount")


def _page(client, path):
    return html.unescape(client.get(path).get_data(as_text=True))


@pytest.fixture(scope="module", params=PLACE_IDS)
def place_app(request):
    return request.param, create_app({**TEST_CONFIG, "PLACE": request.param})


def test_every_place_reads_at_grade_10_and_explains_its_words(place_app):
    place, _ = place_app
    content = load_content(place=place)
    test_content.test_no_sentence_is_above_grade_10(content)
    test_content.test_jargon_is_explained_where_it_first_appears(content)
    texts = " ".join(text for _, text in test_content._texts(content))
    assert "{" not in texts and "}" not in texts  # every placeholder was filled in


def test_each_place_shows_its_weight_unit_and_spelling(place_app):
    place, app = place_app
    expected = EXPECTED[place]
    others = {key: {EXPECTED[o][key] for o in PLACE_IDS} - {expected[key]} for key in ("unit", "kerb", "mobile")}
    client = app.test_client()
    about = _page(client, "/about-me")
    assert f"for example in {expected['unit']}." in about
    assert not any(unit in about for unit in others["unit"])
    entrance = _page(client, "/rooms/entrance")
    assert f"a step, a {expected['kerb']} or something" in entrance
    assert not any(f"a {word} or" in entrance for word in others["kerb"])
    habits = _page(client, "/rooms/habits")
    assert f"saved in your {expected['mobile']}, and written" in habits
    assert f"keep a {expected['mobile']} in your pocket" in habits
    assert not any(f"your {word}," in habits for word in others["mobile"])
    assert f"Keep a charged {expected['mobile']} or cordless phone" in _page(client, "/rooms/bedroom")


def test_each_place_gives_its_figures_or_says_ask_your_team(place_app):
    place, app = place_app
    client = app.test_client()
    headers = {"X-CSRFToken": client.get("/api/csrf-token").get_json()["token"]}
    plan = html.unescape(
        client.post("/api/plan", json={"schema": 1, "answers": {}}, headers=headers).get_data(as_text=True)
    )
    assert f"{EXPECTED[place]['tinned']} fish with soft bones" in plan
    if EXPECTED[place]["figures"]:
        for figure in SEED_000_FIGURES:
            assert figure in plan, figure
        assert "A US guide says" in plan
    else:
        assert "Ask your team how much calcium you need each day." in plan
        assert "Ask your team how much you need each day." in plan
        assert "Ask them too how much is safe for you." in plan
        assert not re.search(r"\b[0-9],?[0-9]{3} mg|[0-9]+ IU|one drink a day", plan)


def test_a_figure_comes_only_from_a_source_the_place_cites():
    for place in load_content().places.values():
        figures = " ".join(place.words[name] for name in FIGURE_WORDS)
        found = set(re.findall(r"[0-9][0-9,]* (?:mg|IU)", figures))
        if "drink a day" in figures:
            found.add("one drink a day for women, or two for men")
        if found:
            assert place.sources == ("seed-000",), place.id
            assert found <= SEED_000_FIGURES, (place.id, found - SEED_000_FIGURES)
        else:
            assert not re.search(r"[0-9]", figures), place.id
            assert all(place.words[name].startswith("Ask") for name in FIGURE_WORDS[:2]), place.id


def test_a_place_without_a_word_the_others_give_is_refused(content_copy):
    path = content_copy / "places.yaml"
    data = yaml.safe_load(path.read_text())
    us = next(place for place in data["places"] if place["id"] == "us")
    del us["words"]["kerb"]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match=r"places\.yaml: .*us: words: missing \['kerb'\]"):
        load_content(content_copy)


def test_a_placeholder_no_place_gives_is_refused_with_its_file_and_item(content_copy):
    path = content_copy / "sections" / "01-entrance.yaml"
    path.write_text(path.read_text().replace("a {kerb} or something", "a {sidewalk} or something"))
    with pytest.raises(ContentError, match=r"sections/01-entrance\.yaml: entrance\.lighting: unknown placeholder"):
        load_content(content_copy)


def test_a_place_word_cannot_hold_a_placeholder(content_copy):
    path = content_copy / "places.yaml"
    path.write_text(path.read_text().replace("kerb: kerb", "kerb: '{kerb}'", 1))
    with pytest.raises(ContentError, match=r"uk: words\.kerb: a place's word cannot hold a placeholder"):
        load_content(content_copy)


# ---------------------------------------------------------------- the deploying service's name and number

SERVICE = {"SERVICE_NAME": "North Cancer Centre", "CARE_LINE_NUMBER": "0800 123 4567"}


@pytest.fixture()
def service_client():
    app = create_app({**TEST_CONFIG, **SERVICE})
    client = app.test_client()
    client.headers = {"X-CSRFToken": client.get("/api/csrf-token").get_json()["token"]}
    return client


def _post(client, path, doc):
    return client.post(path, json=doc, headers=client.headers)


def test_the_services_number_stands_in_where_the_person_gave_none(service_client):
    empty = {"schema": 1, "answers": {}}
    plan = html.unescape(_post(service_client, "/api/plan", empty).get_data(as_text=True))
    line = re.search(r'<p class="care-team">(.*?)</p>', plan).group(1)
    assert 'href="tel:08001234567">0800 123 4567</a>' in line and "(North Cancer Centre)" in line
    for path in ("/plan.pdf", "/summary.pdf"):
        text = " ".join(pages_text(_post(service_client, path, empty).data))
        assert "0800 123 4567" in text, path
    assert "0800 123 4567" in " ".join(pages_text(service_client.get("/checklist.pdf").data))
    # With a number, the ranking does not put "get your 24-hour number" first for lack of one.
    reasons = _post(service_client, "/api/personalise", empty).get_json()["items"]["habits.numbers"]["reasons"]
    assert not any("No care team number" in reason for reason in reasons)


def test_the_persons_own_number_wins(service_client):
    own = {"schema": 1, "answers": {}, "profile": {"care_team_phone": "0161 446 3658"}}
    plan = _post(service_client, "/api/plan", own).get_data(as_text=True)
    assert "0161 446 3658" in plan and "0800 123 4567" not in plan and "North Cancer Centre)" not in plan
    text = " ".join(pages_text(_post(service_client, "/summary.pdf", own).data))
    assert "0161 446 3658" in text and "0800 123 4567" not in text


def test_the_pages_kept_on_the_device_show_the_services_number_and_name(service_client):
    warning_signs = _page(service_client, "/red-flags")
    line = re.search(r"<p class=\"care-team\" data-care-team[^>]*>(.*?)</p>", warning_signs).group(1)
    assert 'href="tel:08001234567">0800 123 4567</a>' in line and "(North Cancer Centre)" in line
    assert "data-care-team-missing" not in warning_signs  # nothing to add: the service's number is there
    about = _page(service_client, "/about-me")
    assert "If you leave it empty, SafeSteps shows 0800 123 4567, the 24-hour number of North Cancer Centre." in about
    assert "Offered by North Cancer Centre." in _page(service_client, "/")


def test_without_service_settings_nothing_of_them_shows(client):
    warning_signs = _page(client, "/red-flags")
    assert "data-service-name" not in warning_signs and "data-care-team-missing" in warning_signs
    assert "Offered by" not in warning_signs and "data-service-default" not in _page(client, "/about-me")


def test_the_service_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SAFESTEPS_SERVICE_NAME", "Hope Hospital")
    monkeypatch.setenv("SAFESTEPS_CARE_LINE_NUMBER", "18005550100")  # JSON reads this as a number: kept as text
    service = create_app(TEST_CONFIG).extensions["safesteps.service"]
    assert (service.name, service.care_line_number) == ("Hope Hospital", "18005550100")


def test_a_care_line_number_that_is_not_a_phone_number_stops_the_app():
    with pytest.raises(ServiceSettingError, match="SAFESTEPS_CARE_LINE_NUMBER='ring the ward'"):
        create_app({**TEST_CONFIG, "CARE_LINE_NUMBER": "ring the ward"})


def test_the_service_settings_change_the_offline_cache_version():
    from pwa.views.pwa import compute_cache_version

    plain = create_app({**TEST_CONFIG, "CACHE_VERSION": None})
    served = create_app({**TEST_CONFIG, **SERVICE, "CACHE_VERSION": None})
    assert compute_cache_version(plain) != compute_cache_version(served)
