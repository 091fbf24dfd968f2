"""Read the YAML files in ``checklists/``, describe what is wrong in them, and build the `Content`.

Any mistake stops the app with a message naming the file and the id of the entry at fault.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..assessment import ANSWER_VALUES
from .base import ITEM_KINDS, ContentError, _Model
from .checks import _check_condition, _check_follow_up, _CrossChecker
from .model import Content
from .places import DEFAULT_PLACE, Place, PlacesFile, fill_place
from .plan_extras import ContentMeta, PlanExtras
from .profile import ProfileQuestions
from .red_flags import RedFlags, _for_place
from .rules import RulesFile
from .sections import MeasurementsFile, Section, SeedPoints, Source
from .translations import UNTRANSLATED, overlay, translated_paths

SOURCE_LANGUAGE = "en"  # the language of checklists/ itself
DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "checklists"

# libyaml's loader when PyYAML was built with it (the wheels are): the same safe subset, about 7 times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_YAML_LOADER)
    except FileNotFoundError:
        raise ContentError(f"{path.name}: file is missing") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from None


def _describe(exc: ValidationError, data: object) -> str:
    """Turn pydantic's error into one line per problem, naming the id of the entry at fault."""
    lines = []
    for error in exc.errors():
        loc = error["loc"]
        owner = _owner_id(data, loc)
        where = ".".join(str(part) for part in loc)
        prefix = f"{owner}: " if owner else ""
        lines.append(f"{prefix}{where}: {error['msg']}")
    return "; ".join(lines)


def _owner_id(data: object, loc: tuple) -> str | None:
    """The deepest `id` on the path to an error, e.g. the item whose field is wrong."""
    owner = None
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            owner = node["id"]
        try:
            node = node[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        owner = node["id"]
    return owner


def _parse(model: type[_Model], path: Path, read=_read_yaml) -> _Model:
    data = read(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(f"{path.name}: {_describe(exc, data)}") from None


def _reader(directory: Path, language: str):
    """How to read a content file in `language`: English as it is; another language with the texts of
    checklists/<language>/ laid over the English (pwa/translations.py), every file checked."""
    if language == SOURCE_LANGUAGE:
        return _read_yaml
    root = directory / language
    expected = set(translated_paths(directory))
    found = {p.relative_to(root).as_posix() for p in root.rglob("*.yaml")} if root.is_dir() else set()
    for extra in sorted(found - expected):
        raise ContentError(f"{language}/{extra}: there is no such English file to translate")

    def read(path: Path) -> object:
        relative = path.relative_to(directory).as_posix()
        english = _read_yaml(path)
        if relative not in expected:
            return english
        where = f"{language}/{relative}"
        if not (root / relative).is_file():
            raise ContentError(f"{where}: file is missing (every English file but {sorted(UNTRANSLATED)} has one)")
        return overlay(english, _read_yaml(root / relative), where, relative)

    return read


def load_content(
    directory: Path | str = DEFAULT_DIR, place: str = DEFAULT_PLACE, language: str = SOURCE_LANGUAGE
) -> Content:
    """Read every file in `directory`, validate it, and cross-check ids, sources and rule targets. `place` is
    the id of a place in places.yaml (the setting PLACE): the warning signs carry its emergency number.
    `language` other than English lays the texts of checklists/<language>/ over the English first."""
    directory = Path(directory)
    read = _reader(directory, language)

    def parse(model: type[_Model], path: Path) -> _Model:
        return _parse(model, path, read)

    places: dict[str, Place] = {}
    for entry in parse(PlacesFile, directory / "places.yaml").places:
        if entry.id in places:
            raise ContentError(f"places.yaml: {entry.id}: duplicate place id")
        places[entry.id] = entry
    if place not in places:
        raise ContentError(f"places.yaml: no place {place!r}; set SAFESTEPS_PLACE to one of {sorted(places)}")
    meta = parse(ContentMeta, directory / "content.yaml")
    if set(meta.answers) != set(ITEM_KINDS):
        raise ContentError(f"content.yaml: answers must give labels for every kind of item {list(ITEM_KINDS)}")
    for kind, labels in meta.answers.items():
        if tuple(labels) != ANSWER_VALUES:
            raise ContentError(f"content.yaml: answers.{kind} must label exactly {list(ANSWER_VALUES)}, in that order")
    sources_file = _read_yaml(directory / "sources.yaml")
    if not isinstance(sources_file, dict) or not isinstance(sources_file.get("sources"), list):
        raise ContentError("sources.yaml: expected a list under 'sources'")
    sources: dict[str, Source] = {}
    for raw in sources_file["sources"]:
        try:
            source = Source.model_validate(raw)
        except ValidationError as exc:
            raise ContentError(f"sources.yaml: {_describe(exc, raw)}") from None
        if source.id in sources:
            raise ContentError(f"sources.yaml: {source.id}: duplicate source id")
        sources[source.id] = source

    section_files = sorted((directory / "sections").glob("*.yaml"))
    if not section_files:
        raise ContentError("sections/: no section files found")
    sections = tuple(parse(Section, path) for path in section_files)

    checker = _CrossChecker(sources)
    for entry in places.values():
        checker.known_sources("places.yaml", entry.id, entry.sources)
    for path, section in zip(section_files, sections, strict=True):
        where = f"sections/{path.name}"
        checker.new_id(where, section.id, kind="section")
        for item in section.items:
            checker.new_id(where, item.id)
            if not item.id.startswith(section.id + "."):
                raise ContentError(f"{where}: {item.id}: id must start with '{section.id}.'")
            checker.known_sources(where, item.id, item.sources)
        in_a_part: set[str] = set()
        for part in section.parts:
            checker.new_id(where, part.id, kind="section")  # a part's id shares `skipped` with the section ids
            unknown = [i for i in part.items if i not in {item.id for item in section.items}]
            if unknown:
                raise ContentError(f"{where}: part {part.id}: no such item in this section {unknown}")
            twice = in_a_part & set(part.items)
            if twice:
                raise ContentError(f"{where}: part {part.id}: {sorted(twice)} already in another part")
            in_a_part |= set(part.items)

    profile = parse(ProfileQuestions, directory / "profile.yaml")
    checker.known_sources("profile.yaml", "sites", profile.sites.sources)
    checker.known_sources("profile.yaml", "screen", (profile.screen.source,))
    for question in profile.yes_no:
        checker.known_sources("profile.yaml", question.id, question.sources)
        if question.follows:
            _check_follow_up(question, profile)

    ranking = parse(RulesFile, directory / "rules.yaml")
    rules = ranking.rules
    section_ids = {s.id for s in sections}
    all_item_ids = {item.id for s in sections for item in s.items}
    for rule in rules:
        checker.new_id("rules.yaml", rule.id, kind="rule")
        unknown = set(rule.raise_.sections) - section_ids
        if unknown:
            raise ContentError(f"rules.yaml: {rule.id}: unknown section {sorted(unknown)}")
        unknown = set(rule.raise_.items) - all_item_ids
        if unknown:
            raise ContentError(f"rules.yaml: {rule.id}: unknown item {sorted(unknown)}")
    conditions = [("rules.yaml", r.id, r.when) for r in rules] + [
        (f"sections/{path.name}", item.id, item.only_when)
        for path, section in zip(section_files, sections, strict=True)
        for item in section.items
        if item.only_when
    ]
    conditions += [("profile.yaml", q.id, q.yes_when) for q in profile.screen.questions if q.yes_when]
    for where, owner, condition in conditions:
        _check_condition(where, owner, condition, profile)

    red_flags = parse(RedFlags, directory / "red_flags.yaml")
    for group in red_flags.groups:
        for sign in group.signs:
            checker.new_id("red_flags.yaml", sign.id)
            checker.known_sources("red_flags.yaml", sign.id, sign.sources)

    plan_extras = parse(PlanExtras, directory / "plan.yaml")
    for entry in (*plan_extras.questions, *plan_extras.basics):
        checker.new_id("plan.yaml", entry.id)
        checker.known_sources("plan.yaml", entry.id, entry.sources)
        if entry.first_when:
            _check_condition("plan.yaml", entry.id, entry.first_when, profile)
        if getattr(entry, "only_when", None):
            _check_condition("plan.yaml", entry.id, entry.only_when, profile)

    seed_points = parse(SeedPoints, directory / "seed_points.yaml")
    item_ids = {item.id for s in sections for item in s.items}
    for point in seed_points.points:
        checker.known_sources("seed_points.yaml", point.point, (point.source,))
        missing = set(point.items) - item_ids
        if missing:
            raise ContentError(f"seed_points.yaml: {sorted(missing)}: no such item (for '{point.point}')")

    measurements = parse(MeasurementsFile, directory / "measurements.yaml").measurements
    for measurement in measurements:
        checker.new_id("measurements.yaml", measurement.id, "measurement")
        missing = set(measurement.items) - item_ids
        if missing:
            raise ContentError(f"measurements.yaml: {measurement.id}: no such item {sorted(missing)}")

    # The words of the place the app is set up for, in every text that has a placeholder for them.
    words = places[place].placeholders
    meta = fill_place(meta, words, "content.yaml")
    sections = tuple(
        fill_place(section, words, f"sections/{path.name}")
        for path, section in zip(section_files, sections, strict=True)
    )
    profile = fill_place(profile, words, "profile.yaml")
    plan_extras = fill_place(plan_extras, words, "plan.yaml")

    return Content(
        version=f"{meta.version}+{content_digest(directory)}",
        urgency=meta.urgency,
        today=meta.today,
        answer_labels=meta.answers["hazard"],
        kind_labels=meta.answers,
        important_share=ranking.important_share,
        first_group_max=ranking.first_group_max,
        extra_rule_points=ranking.extra_rule_points,
        sources=sources,
        profile=profile,
        rules=rules,
        red_flags=_for_place(red_flags, places[place]),
        plan_extras=plan_extras,
        sections=sections,
        seed_points=seed_points.points,
        place=places[place],
        places=places,
        measurements=measurements,
    )


def content_digest(directory: Path) -> str:
    """The first 8 hex digits of a sha256 over every file in `directory` (its path, then its bytes), in path order.

    An edit the editor forgot to label with a new `version` still changes the content version: the service
    worker, the cached personal advice and the last plan all move on to the new words.
    """
    digest = hashlib.sha256()
    files = sorted((p.relative_to(directory).as_posix(), p) for p in directory.rglob("*") if p.is_file())
    for relative, path in files:
        digest.update(f"{relative}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]
