"""The time lexicon: per-language words and patterns, compiled once from data files.

``knowledge/times.toml`` holds month and weekday names, number words, units and the
patterns of each language; ``knowledge/horizons.toml`` maps vague forecast horizons
("à court terme", "in the coming weeks") to durations or anchors. A user's file in
the same format extends both; a broken file is a one-line ``ConfigError`` naming it.

Each pattern compiles to its own regular expression (:mod:`tocsin.extract.times.patterns`)
and is filed under the words it can start with, so the extractor only tries the few
patterns whose first word is the token at hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.extract.times.patterns import PatternError, SlotNames, compile_pattern, word_key
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir

UNITS = frozenset({"day", "week", "month", "year"})
MAKES: dict[str, frozenset[str]] = {
    "date": frozenset({"when"}),
    "month": frozenset({"when"}),
    "year": frozenset(),
    "day_offset": frozenset({"offset"}),
    "weekday": frozenset({"when"}),
    "period": frozenset({"unit", "offset"}),
    "ago": frozenset(),
    "ahead": frozenset(),
    "horizon": frozenset(),
    "past_period": frozenset(),
    "horizon_end": frozenset({"anchor"}),
    "vague": frozenset({"duration", "until"}),
}
WHENS = frozenset({"recent", "past", "future", "this_week"})
ANCHORS = frozenset({"end_of_year", "mid_year", "before_year", "end_of_month", "end_of_week"})
PERIODS = frozenset({"week", "month", "year", "weekend"})
_LANG_KEYS = frozenset({"cased", "day_suffixes", "months", "weekdays", "numbers", "units", "rule"})
_RULE_KEYS = frozenset({"make", "patterns", "entity_only", "when", "offset", "unit", "anchor"})
_HORIZON_KEYS = frozenset({"name", "duration", "until", "fr", "en"})
_DURATION = re.compile(r"^\s*(\d{1,3})\s+(day|week|month|year)s?\s*$")
_UNTIL = re.compile(r"^\s*(end of year|end of month|end of week|before month (\d{1,2}))\s*$")

_LANG = re.compile(r"[a-z]{2,3}")
_GROUP_NAME = re.compile(r"\(\?P<\w+>")


# ---------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Rule:
    """One meaning and the compiled pattern that says it (one rule per pattern)."""

    make: str
    regex: re.Pattern[str]
    keys: frozenset[str]  # the folded words (or patterns.DIGIT) a match can start with
    params: tuple[tuple[str, str | int], ...] = ()
    entity_only: bool = False
    order: int = 0  # earlier rules win a tie between matches of the same length
    source: str = ""  # the pattern as written

    def param(self, key: str, default: str | int = "") -> str | int:
        return dict(self.params).get(key, default)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Folded word -> value, for the slots of one language."""

    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Grammar:
    """The compiled patterns of one language, filed by the words they start with."""

    lang: str
    vocabulary: Vocabulary
    by_key: dict[str, tuple[Rule, ...]]
    entity_by_key: dict[str, tuple[Rule, ...]]
    # per key, one regex matching where any of its rules could: most tokens stop here
    screens: dict[str, re.Pattern[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TimeLexicon:
    """Grammars per language; ``neutral`` (numeric dates only) serves other languages."""

    grammars: dict[str, Grammar]
    neutral: Grammar
    sources: tuple[Path, ...] = ()

    def grammar(self, lang: str | None) -> Grammar:
        code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
        return self.grammars.get(code, self.neutral)


# ---------------------------------------------------------------- loading


def load_time_lexicon(extra: Path | str | None = None) -> TimeLexicon:
    """The bundled lexicon and horizons, then the user's file (same format) on top."""
    if extra is None:
        return _default_lexicon()
    return _load(Path(extra))


@per_knowledge_dir
def _default_lexicon() -> TimeLexicon:
    return _load(None)


def _load(extra: Path | None) -> TimeLexicon:
    files: list[tuple[Path, dict[str, Any]]] = [
        (knowledge_source(name), _checked(load_knowledge(name), knowledge_source(name)))
        for name in ("times", "horizons")
    ]
    if extra is not None:
        files.insert(0, (extra, _read(extra)))  # the user's rules first: they win ties
    common = [(p, d.get("common", {})) for p, d in files]
    langs = sorted({k for _, data in files for k in data if k not in ("common", "horizon")})
    grammars = {
        lang: _compile_lang(lang, [(p, d.get(lang, {})) for p, d in files], files, common)
        for lang in langs
    }
    neutral = _compile_lang("", common, [], [])
    return TimeLexicon(grammars=grammars, neutral=neutral, sources=tuple(p for p, _ in files))


def _read(path: Path) -> dict[str, Any]:
    return _checked(read_toml(path, what="time lexicon"), path)


def _checked(data: dict[str, Any], path: Path) -> dict[str, Any]:
    for key, value in data.items():
        if key == "horizon":
            if not isinstance(value, list) or not all(isinstance(h, dict) for h in value):
                raise ConfigError(f"{path}: 'horizon' must be [[horizon]] tables")
        elif not (key == "common" or _LANG.fullmatch(key)) or not isinstance(value, dict):
            raise ConfigError(
                f"{path}: unknown table {key!r}; use [fr], [en], [common] or [[horizon]]"
            )
    return data


def _fail(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {problem}; see the format at the top of times.toml")


def _compile_lang(
    lang: str,
    parts: list[tuple[Path, Any]],
    files: list[tuple[Path, dict[str, Any]]],
    common: list[tuple[Path, Any]],
) -> Grammar:
    """One language's grammar from its tables in each file (user's first), plus common."""
    vocab = Vocabulary()
    cased = False
    suffixes: list[str] = []
    for path, table in reversed(parts):  # ours first, the user's words override
        where = f"[{lang or 'common'}]"
        if unknown := set(table) - _LANG_KEYS:
            raise _fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
        cased = bool(table.get("cased", cased))
        suffixes += _strings(table.get("day_suffixes", []), path, where, "day_suffixes")
        tables: tuple[tuple[str, dict[str, Any], type], ...] = (
            ("months", vocab.months, int),
            ("weekdays", vocab.weekdays, int),
            ("numbers", vocab.numbers, int),
            ("units", vocab.units, str),
        )
        for key, words_to, kind in tables:
            words = table.get(key, {})
            if not isinstance(words, dict):
                raise _fail(path, where, f"'{key}' must be a table of word = value")
            for word, value in words.items():
                if not isinstance(value, kind) or isinstance(value, bool):
                    raise _fail(path, where, f"{key}: {word!r} has a bad value {value!r}")
                if key == "units" and value not in UNITS:
                    raise _fail(path, where, f"units: {word!r} must be one of {sorted(UNITS)}")
                words_to[word_key(word)] = value
    names = SlotNames(cased, tuple(suffixes), _raw_names(parts, common))
    rules: list[Rule] = []
    for path, table in [*parts, *common]:
        for raw in table.get("rule", []) if isinstance(table, dict) else []:
            rules += _rules(raw, path, f"[[{lang or 'common'}.rule]]", names, len(rules))
    if lang:
        for path, data in files:
            for raw in data.get("horizon", []):
                rules += _horizon_rules(raw, lang, path, names, len(rules))
    by_key: dict[str, list[Rule]] = {}
    entity_by_key: dict[str, list[Rule]] = {}
    for rule in rules:
        target = entity_by_key if rule.entity_only else by_key
        for key in rule.keys:
            target.setdefault(key, []).append(rule)
    return Grammar(
        lang=lang,
        vocabulary=vocab,
        by_key={k: tuple(v) for k, v in by_key.items()},
        entity_by_key={k: tuple(v) for k, v in entity_by_key.items()},
        screens={k: _screen(v) for k, v in by_key.items()},
    )


def _screen(rules: list[Rule]) -> re.Pattern[str]:
    """One regex for several rules: their patterns, less the group names, as choices."""
    bodies = [_GROUP_NAME.sub("(?:", r.regex.pattern) for r in rules]
    return re.compile("|".join(f"(?:{b})" for b in bodies), re.IGNORECASE)


def _raw_names(
    parts: list[tuple[Path, Any]], common: list[tuple[Path, Any]]
) -> dict[str, list[str]]:
    """The words as written (with case and accents), per slot, for the regexes."""
    out: dict[str, list[str]] = {"months": [], "weekdays": [], "numbers": [], "units": []}
    for _, table in [*parts, *common]:
        for key, words in out.items():
            value = table.get(key, {}) if isinstance(table, dict) else {}
            if isinstance(value, dict):
                words += [w for w in value if isinstance(w, str) and w.strip()]
    return out


def _strings(value: Any, path: Path, where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, where, f"'{key}' must be a list of non-empty strings")
    return list(value)


def _rules(raw: Any, path: Path, where: str, names: SlotNames, order: int) -> list[Rule]:
    if not isinstance(raw, dict):
        raise _fail(path, where, "each rule must be a table")
    make = raw.get("make")
    if make not in MAKES or make == "vague":
        raise _fail(path, where, f"make = {make!r} is not one of {sorted(set(MAKES) - {'vague'})}")
    if unknown := set(raw) - _RULE_KEYS:
        raise _fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    params: list[tuple[str, str | int]] = []
    for key in sorted(MAKES[make]):
        if key not in raw:
            if key in ("when",):
                continue
            raise _fail(path, where, f"make = {make!r} needs '{key}'")
        value = raw[key]
        allowed = {"when": WHENS, "anchor": ANCHORS, "unit": PERIODS}.get(key)
        if key == "offset" and (not isinstance(value, int) or isinstance(value, bool)):
            raise _fail(path, where, "'offset' must be a whole number")
        if allowed is not None and value not in allowed:
            raise _fail(path, where, f"{key} = {value!r} is not one of {sorted(allowed)}")
        params.append((key, value))
    patterns = _strings(raw.get("patterns"), path, where, "patterns")
    entity_only = bool(raw.get("entity_only", False))
    return [
        Rule(make, *_compile(p, names, path, where), tuple(params), entity_only, order + i, p)
        for i, p in enumerate(patterns)
    ]


def _horizon_rules(raw: Any, lang: str, path: Path, names: SlotNames, order: int) -> list[Rule]:
    where = f"[[horizon]] {raw.get('name', '?')!r}"
    if unknown := {k for k in set(raw) - _HORIZON_KEYS if not _LANG.fullmatch(k)}:
        raise _fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    duration, until = raw.get("duration"), raw.get("until")
    if (duration is None) == (until is None):
        raise _fail(path, where, "give exactly one of 'duration' or 'until'")
    params: tuple[tuple[str, str | int], ...]
    if duration is not None:
        if not isinstance(duration, str) or not _DURATION.match(duration):
            raise _fail(path, where, f'duration {duration!r} is not like "3 months"')
        params = (("duration", duration.strip()),)
    else:
        found = _UNTIL.match(until) if isinstance(until, str) else None
        if not found or (found.group(2) and not 1 <= int(found.group(2)) <= 12):
            raise _fail(path, where, f"until {until!r} is not a known anchor")
        params = (("until", found.group(1)),)
    phrases = _strings(raw.get(lang, []), path, where, lang)
    rules = []
    for i, phrase in enumerate(phrases):
        if "{" in phrase:
            raise _fail(path, where, f"phrase {phrase!r}: horizons take no {{slots}}")
        regex, keys = _compile(phrase, names, path, where)
        rules.append(Rule("vague", regex, keys, params, False, order + i, phrase))
    return rules


def _compile(
    pattern: str, names: SlotNames, path: Path, where: str
) -> tuple[re.Pattern[str], frozenset[str]]:
    try:
        return compile_pattern(pattern, names)
    except PatternError as exc:
        raise _fail(path, where, f"pattern {pattern!r}: {exc}") from exc
