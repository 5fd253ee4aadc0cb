"""The place lexicon (``knowledge/places.toml``) and what it says about a name's context.

The words right before and after a place name tell what kind of place it is: "le fleuve
Niger" is the river, "la région de Ségou" the region, "à 30 km au nord de Gao" a point
near Gao. :func:`load_place_lexicon` reads the bundled lexicon and a user's file of the
same format; :meth:`PlaceLexicon.context` reads the cues around one name. The code is
language-neutral: every word lives in the lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge
from tocsin.text.fold import fold
from tocsin.text.phrases import phrase_alternation

WINDOW = 80  # characters read before and after a name
LEVELS = frozenset({"ADM1", "ADM2", "any"})
_LIST_KEYS = (
    "stop", "locative", "town", "near", "river_before", "river_after", "direction_before",
    "direction_after", "distance_after", "demonym_endings",
)  # fmt: skip
_TABLE_KEYS = ("units", "directions", "region_before", "region_after")
_COMMON_KEYS = ("connectors", "region_only", "cue_required")
_HEAD = re.compile(r"\s*(\w+)")


@dataclass(frozen=True, slots=True)
class Context:
    """What the words around one name say. ``cue``: "river", "region", "town" or None;
    ``level``: the region level a region cue asks for (ADM1, ADM2 or any)."""

    cue: str | None = None
    level: str | None = None
    locative: bool = False
    near: bool = False
    offset_km: float | None = None
    direction: str | None = None

    @property
    def relative(self) -> bool:
        return self.near or self.offset_km is not None or self.direction is not None


@dataclass(frozen=True, slots=True)
class LanguageCues:
    """One language's cues, compiled. Patterns run on a short window, so they stay cheap."""

    stop: frozenset[str]
    locative: re.Pattern[str] | None
    town: re.Pattern[str] | None
    near: re.Pattern[str] | None
    river_before: re.Pattern[str] | None
    river_after: re.Pattern[str] | None
    region_before: re.Pattern[str] | None
    region_after: re.Pattern[str] | None
    levels: dict[str, str]
    relative: re.Pattern[str] | None
    distance: re.Pattern[str] | None
    units: dict[str, float]
    directions: dict[str, str]
    demonym_endings: tuple[str, ...]  # "Maliens", "Nigerians": people, not places
    tails: frozenset[str]  # the last word of every cue that comes before a name
    heads: frozenset[str]  # the first word of every cue that comes after it


@dataclass(frozen=True, slots=True)
class PlaceLexicon:
    """Cues per language, plus the language-neutral lists (see ``places.toml``)."""

    languages: dict[str, LanguageCues]
    fallback: LanguageCues  # every language's cues together, for texts in other languages
    connectors: frozenset[str]
    region_only: frozenset[str]
    cue_required: frozenset[str]

    def cues(self, lang: str | None) -> LanguageCues:
        return self.languages.get(lang or "", self.fallback)

    def context(self, text: str, start: int, end: int, cues: LanguageCues) -> Context:
        """The cues around ``text[start:end]``."""
        # Every cue ends (or starts) with a known word: read the window only then.
        before = text[max(0, start - WINDOW) : start]
        last = before.rsplit(None, 1)
        before = fold(before) if last and fold(last[-1]) in cues.tails else ""
        after = text[end : end + WINDOW]
        first = _HEAD.match(after)
        after = fold(after) if first is not None and fold(first.group(1)) in cues.heads else ""
        cue: str | None = None
        level: str | None = None
        if _hit(cues.river_before, before) or _hit(cues.river_after, after):
            cue = "river"
        elif (
            found := _find(cues.region_before, before) or _find(cues.region_after, after)
        ) is not None:
            cue, level = "region", cues.levels.get(fold(found), "any")
        elif _hit(cues.town, before):
            cue = "town"
        offset: float | None = None
        direction: str | None = None
        near = _hit(cues.near, before)
        relative = cues.relative.search(before) if cues.relative is not None else None
        plain = None
        if relative is not None:
            direction = cues.directions.get(fold(relative.group("dir")))
            offset = _distance(relative.group("num"), relative.group("unit"), cues.units)
        elif cues.distance is not None:
            plain = cues.distance.search(before)
            if plain is not None:
                offset = _distance(plain.group("num"), plain.group("unit"), cues.units)
        placed = near or relative is not None or plain is not None
        locative = placed or _hit(cues.locative, before)
        return Context(cue, level, locative, near, offset, direction)


def _hit(pattern: re.Pattern[str] | None, window: str) -> bool:
    return pattern is not None and pattern.search(window) is not None


def _find(pattern: re.Pattern[str] | None, window: str) -> str | None:
    if pattern is None:
        return None
    match = pattern.search(window)
    return match.group("cue") if match is not None else None


def _distance(number: str | None, unit: str | None, units: dict[str, float]) -> float | None:
    if not number or not unit:
        return None
    try:
        value = float(number.replace(",", "."))
    except ValueError:
        return None
    return round(value * units.get(fold(unit), 1.0), 1)


# ---------------------------------------------------------------- loading


def load_place_lexicon(extra: Path | str | None = None) -> PlaceLexicon:
    """The bundled lexicon, then the user's file (same format) added on top."""
    data = _checked(load_knowledge("places"), knowledge_source("places"))
    if extra is not None:
        extra = Path(extra)
        _merge(data, _read(extra), extra)
    return _build(data)


def _read(path: Path) -> dict[str, Any]:
    return _checked(read_toml(path, what="place lexicon"), path)


def _checked(data: dict[str, Any], path: Path) -> dict[str, Any]:
    for name, section in data.items():
        _check_section(path, name, section)
    return data


def _fail(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: [{where}]: {problem}; see the format at the top of places.toml")


def _check_section(path: Path, name: str, section: Any) -> None:
    if not isinstance(section, dict):
        raise _fail(path, name, "must be a table ([common] or a language such as [fr])")
    allowed = _COMMON_KEYS if name == "common" else _LIST_KEYS + _TABLE_KEYS
    for key, value in section.items():
        if key not in allowed:
            raise _fail(path, name, f"unknown key {key!r}")
        if key in _TABLE_KEYS:
            if not isinstance(value, dict):
                raise _fail(path, name, f"{key!r} must be a table of phrase = value")
            for phrase, item in value.items():
                _check_item(path, name, key, phrase, item)
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _fail(path, name, f"{key!r} must be a list of strings")


def _check_item(path: Path, name: str, key: str, phrase: str, item: Any) -> None:
    if key == "units":
        if isinstance(item, bool) or not isinstance(item, int | float) or item <= 0:
            raise _fail(path, name, f"unit {phrase!r} must be a positive length in km")
    elif key == "directions":
        if item not in ("N", "NE", "E", "SE", "S", "SW", "W", "NW"):
            raise _fail(path, name, f"direction {phrase!r} must be N, NE, E, SE, S, SW, W or NW")
    elif item not in LEVELS:
        raise _fail(path, name, f"{key} {phrase!r} must be ADM1, ADM2 or any")


def _merge(base: dict[str, Any], extra: dict[str, Any], path: Path) -> None:
    del path  # checked on reading
    for name, section in extra.items():
        old = base.setdefault(name, {})
        for key, value in section.items():
            if isinstance(value, dict):
                old[key] = {**old.get(key, {}), **value}
            else:
                old[key] = list(value) + [v for v in old.get(key, []) if v not in value]


def _build(data: dict[str, Any]) -> PlaceLexicon:
    common = data.get("common", {})
    languages = {lang: _compile(section) for lang, section in data.items() if lang != "common"}
    merged: dict[str, Any] = {}
    for lang, section in data.items():
        if lang != "common":
            _merge(merged, {"all": section}, knowledge_source("places"))
    return PlaceLexicon(
        languages=languages,
        fallback=_compile(merged.get("all", {})),
        connectors=frozenset(fold(w) for w in common.get("connectors", [])),
        region_only=frozenset(fold(w) for w in common.get("region_only", [])),
        cue_required=frozenset(fold(w) for w in common.get("cue_required", [])),
    )


def _alternation(phrases: Iterable[str]) -> str:
    """Phrases (folded here) as one regex alternation, longest first, spaces and
    apostrophes loose; "" for none. The callers put the boundaries around it."""
    folded = [fold(p) for p in phrases if p.strip()]
    if not folded:
        return ""
    return phrase_alternation(folded, space=r"[\s-]+", apostrophe=r"['’]\s*", start="")


def _before(phrases: Iterable[str], *, group: bool = False) -> re.Pattern[str] | None:
    alt = _alternation(phrases)
    if not alt:
        return None
    body = f"(?P<cue>{alt})" if group else f"(?:{alt})"
    return re.compile(rf"(?<!\w){body}\s*$", re.IGNORECASE)


def _after(phrases: Iterable[str], *, group: bool = False) -> re.Pattern[str] | None:
    alt = _alternation(phrases)
    if not alt:
        return None
    body = f"(?P<cue>{alt})" if group else f"(?:{alt})"
    return re.compile(rf"^\s*{body}(?!\w)", re.IGNORECASE)


def _compile(section: dict[str, Any]) -> LanguageCues:
    units = {fold(k): float(v) for k, v in section.get("units", {}).items()}
    directions = {fold(k): str(v) for k, v in section.get("directions", {}).items()}
    region_before = {fold(k): str(v) for k, v in section.get("region_before", {}).items()}
    region_after = {fold(k): str(v) for k, v in section.get("region_after", {}).items()}
    relative = distance = None
    unit_alt, dir_alt = _alternation(units), _alternation(directions)
    if unit_alt and dir_alt:
        number = (
            rf"(?P<num>\d+(?:[.,]\d+)?)\s*(?P<unit>{unit_alt})(?!\w)\s*(?:\([^()\n]{{0,30}}\)\s*)?"
        )
        intro = _alternation(section.get("direction_before", []))
        intro = rf"(?:(?:{intro})\s*)?" if intro else ""
        link = _alternation(section.get("direction_after", [])) or "(?!)"
        relative = re.compile(
            rf"(?<!\w)(?:{number})?{intro}(?<!\w)(?P<dir>{dir_alt})[\s-]*(?:{link})\s*$",
            re.IGNORECASE,
        )
        link = _alternation(section.get("distance_after", []))
        if link:
            distance = re.compile(rf"(?<![\w.,]){number}(?:{link})\s*$", re.IGNORECASE)
    befores = [*region_before, *directions]
    for key in ("locative", "town", "near", "river_before", "direction_after", "distance_after"):
        befores.extend(section.get(key, []))
    afters = [*region_after, *section.get("river_after", [])]
    return LanguageCues(
        tails=frozenset(fold(p).split(" ")[-1] for p in befores if p.strip()),
        heads=frozenset(m.group(1) for p in afters if (m := _HEAD.match(fold(p))) is not None),
        stop=frozenset(fold(w) for w in section.get("stop", [])),
        demonym_endings=tuple(fold(w) for w in section.get("demonym_endings", [])),
        locative=_before(section.get("locative", [])),
        town=_before(section.get("town", [])),
        near=_before(section.get("near", [])),
        river_before=_before(section.get("river_before", [])),
        river_after=_after(section.get("river_after", [])),
        region_before=_before(region_before, group=True),
        region_after=_after(region_after, group=True),
        levels={**region_after, **region_before},
        relative=relative,
        distance=distance,
        units=units,
        directions=directions,
    )
