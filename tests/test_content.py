"""The checklist content: it loads, it is complete, and a broken file fails with the file and the id named."""

import shutil
from pathlib import Path

import pytest
import yaml

from pwa.content import DEFAULT_DIR, ContentError, load_content

SECTION_IDS = ["entrance", "living", "kitchen", "bathroom", "bedroom", "stairs", "habits", "moving", "exercise"]


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
            item for section in content.sections for item in section.items
            if section.id in target.sections or section.kind in target.kinds or set(item.tags) & set(target.tags)
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


def test_every_seed_point_is_covered_by_an_item(content):
    seeds_cited = {p.source for p in content.seed_points}
    assert {"seed-000", "seed-001", "seed-004"} <= seeds_cited
    for point in content.seed_points:
        assert set(point.items) <= content.items.keys(), point.point


# --- broken content fails loudly, naming the file and the id -------------------------------------------------

@pytest.fixture()
def content_copy(tmp_path):
    target = tmp_path / "checklists"
    shutil.copytree(DEFAULT_DIR, target)
    return target


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

    filename, item_id = _edit_first_item(content_copy, duplicate)
    with pytest.raises(ContentError, match="duplicate") as caught:
        load_content(content_copy)
    assert item_id in str(caught.value)


def test_unknown_priority_and_tag_are_refused(content_copy):
    _, item_id = _edit_first_item(content_copy, lambda item, _: item.update(priority="urgent"))
    with pytest.raises(ContentError, match=item_id):
        load_content(content_copy)


def test_item_id_must_belong_to_its_section(content_copy):
    _edit_first_item(content_copy, lambda item, _: item.update(id="kitchen.somewhere-else"))
    with pytest.raises(ContentError, match="kitchen.somewhere-else"):
        load_content(content_copy)


def test_condition_on_an_unknown_answer_is_refused(content_copy):
    _, item_id = _edit_first_item(content_copy, lambda item, _: item.update(only_when={"screen_yes": ["nope"]}))
    with pytest.raises(ContentError, match="nope") as caught:
        load_content(content_copy)
    assert item_id in str(caught.value)


def test_invalid_yaml_names_the_file(content_copy):
    (content_copy / "red_flags.yaml").write_text("title: [unclosed\n")
    with pytest.raises(ContentError, match="red_flags.yaml"):
        load_content(content_copy)


def test_app_refuses_to_start_on_broken_content(content_copy):
    from pwa import create_app

    (content_copy / "rules.yaml").write_text("rules:\n  - id: x\n    when: {}\n    raise: {sections: [attic]}\n    to: high\n    because: x\n")
    with pytest.raises(ContentError, match="attic"):
        create_app({"CONTENT_DIR": str(content_copy)})
