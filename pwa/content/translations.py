"""The content in another language: `checklists/<language>/` mirrors the English files, texts only.

Each translated file has the English file's keys and nesting down to each text; list elements with an `id` keep
it (and are matched by it), others are matched by position; every key that is not a text is left out. Reading
a language lays its texts over the English data before the models are built, so the Content of a language is
the English one with other words: the same ids, rules and priorities. Anything that does not match stops the
app, naming the file and the id path: a missing text, an extra one (an id or key English does not have), or a
text whose placeholders ({emergency_number}) are not the English ones.
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import ContentError

# The keys whose string values are texts; every string in an `answers`, `call_now` or a place's `words` mapping is
# one too.
TEXT_KEYS = frozenset(
    [
        "title",
        "intro",
        "question",
        "why",
        "action",
        "text",
        "short",
        "hint",
        "label",
        "because",
        "on_paper",
        "skip_label",
        "higher_risk",
        "lower_risk",
        "undecided",
        "key_risk",
        "at_risk_label",
        "not_at_risk_label",
    ]
)
TEXT_MAPS = frozenset({"answers", "call_now", "words"})
# A text key that names another entry rather than holding words: "follows: {question: walking_aid}".
NOT_TEXT = frozenset({("follows", "question")})
PLACE_TEXT_KEYS = frozenset({"name"})  # a place's own name, in places.yaml only
# English files with no translation: published titles stay as published; seed points are not words.
UNTRANSLATED = frozenset({"sources.yaml", "seed_points.yaml"})
_PLACEHOLDER = re.compile(r"\{[A-Za-z_]+\}")


def translated_paths(directory: Path) -> list[str]:
    """Every English content file that has a translation, as a path relative to `directory`."""
    names = [p.name for p in directory.glob("*.yaml") if p.name not in UNTRANSLATED]
    names += [f"sections/{p.name}" for p in directory.glob("sections/*.yaml")]
    return sorted(names)


class _Overlay:
    """Lays one translated file's texts over its English data, checking as it goes."""

    def __init__(self, where: str, text_keys: frozenset[str]):
        self.where = where
        self.text_keys = text_keys

    def fail(self, trail: list[str], problem: str):
        path = ".".join(trail) or "(top)"
        raise ContentError(f"{self.where}: {path}: {problem}")

    def has_text(self, node, in_map: bool = False) -> bool:
        if isinstance(node, dict):
            return any(
                (isinstance(v, str) and k != "id" and (in_map or k in self.text_keys))
                or (isinstance(v, list) and k in self.text_keys and all(isinstance(x, str) for x in v))
                or (not isinstance(v, str) and self.has_text(v, in_map or k in TEXT_MAPS))
                for k, v in node.items()
            )
        if isinstance(node, list):
            return any(self.has_text(x, in_map) for x in node)
        return False

    def text(self, english: str, translated, trail: list[str]) -> str:
        if translated is None:
            self.fail(trail, "the translation is missing")
        if not isinstance(translated, str) or not translated.strip():
            self.fail(trail, "the translation must be a text")
        if set(_PLACEHOLDER.findall(english)) != set(_PLACEHOLDER.findall(translated)):
            want = sorted(set(_PLACEHOLDER.findall(english)))
            self.fail(
                trail,
                f"the placeholders must be the English ones {want}, not {sorted(set(_PLACEHOLDER.findall(translated)))}",
            )
        return translated

    def node(self, english, translated, trail: list[str], in_map: bool = False):
        if isinstance(english, dict):
            return self.mapping(english, translated, trail, in_map)
        if isinstance(english, list):
            return self.sequence(english, translated, trail, in_map)
        return english

    def mapping(self, english: dict, translated, trail: list[str], in_map: bool) -> dict:
        if translated is None:
            translated = {}
        if not isinstance(translated, dict):
            self.fail(trail, "must be a mapping, as in English")
        for key in translated:
            if key not in english:
                self.fail([*trail, str(key)], "there is no such key in English")
        if "id" in translated and translated["id"] != english.get("id"):
            self.fail(trail, f"the id must be {english.get('id')!r}")
        result = dict(english)
        for key, value in english.items():
            here = [*trail, str(key)]
            if key == "id" or (trail and (trail[-1], key) in NOT_TEXT):
                continue
            if isinstance(value, str) and (in_map or key in self.text_keys):
                result[key] = self.text(value, translated.get(key), here)
            elif isinstance(value, list) and key in self.text_keys and all(isinstance(x, str) for x in value):
                given = translated.get(key) or []
                if not isinstance(given, list) or len(given) != len(value):
                    self.fail(here, f"must be a list of {len(value)} texts, as in English")
                result[key] = [
                    self.text(e, t, [*here, str(i)]) for i, (e, t) in enumerate(zip(value, given, strict=True))
                ]
            elif isinstance(value, (dict, list)) and self.has_text(value, in_map or key in TEXT_MAPS):
                result[key] = self.node(value, translated.get(key), here, in_map or key in TEXT_MAPS)
        return result

    def sequence(self, english: list, translated, trail: list[str], in_map: bool) -> list:
        if translated is None:
            translated = []
        if not isinstance(translated, list):
            self.fail(trail, "must be a list, as in English")
        by_id = {}
        by_position = []
        for element in translated:
            if isinstance(element, dict) and "id" in element:
                if element["id"] in by_id:
                    self.fail([*trail, str(element["id"])], "this id is translated twice")
                by_id[element["id"]] = element
            else:
                by_position.append(element)
        english_ids = {e["id"] for e in english if isinstance(e, dict) and "id" in e}
        for extra in by_id.keys() - english_ids:
            self.fail([*trail, str(extra)], "there is no such id in English")
        result = []
        unnamed = [e for e in english if not (isinstance(e, dict) and "id" in e) and self.has_text(e, in_map)]
        if len(by_position) != len(unnamed):
            self.fail(trail, f"{len(unnamed)} elements without an id in English, {len(by_position)} here")
        positions = iter(by_position)
        for index, element in enumerate(english):
            if isinstance(element, dict) and "id" in element:
                here = [*trail, str(element["id"])]
                if not self.has_text(element, in_map):
                    result.append(element)
                elif element["id"] not in by_id:
                    self.fail(here, "the translation is missing")
                else:
                    result.append(self.node(element, by_id[element["id"]], here, in_map))
            elif self.has_text(element, in_map):
                here = [*trail, str(index)]
                given = next(positions)
                if isinstance(element, str):
                    result.append(self.text(element, given, here))
                else:
                    result.append(self.node(element, given, here, in_map))
            else:
                result.append(element)
        return result


def overlay(english, translated, where: str, relative: str):
    """The English data of one file with the translated file's texts laid over it (see the module's notes)."""
    keys = TEXT_KEYS | PLACE_TEXT_KEYS if relative == "places.yaml" else TEXT_KEYS
    return _Overlay(where, keys).node(english, translated, [])
