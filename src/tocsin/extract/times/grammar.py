"""The time lexicon: per-language words and patterns, compiled once from data files.

``knowledge/times.toml`` holds month and weekday names, number words, units and the
patterns of each language; ``knowledge/horizons.toml`` maps vague forecast horizons
("à court terme", "in the coming weeks") to durations or anchors. A user's file in
the same format extends both; a broken file is a one-line ``ConfigError`` naming it.

Each pattern compiles to its own regular expression (no nested quantifiers, bounded
whitespace, so matching is linear) and is filed under the words it can start with, so
the extractor only tries the few patterns whose first word is the token at hand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.text.fold import fold

DIGIT = "#"  # the dispatch key of a token that starts with an ASCII digit
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
SLOTS = frozenset({"day", "mm", "month", "year", "weekday", "n", "unit"})
_LANG_KEYS = frozenset({"cased", "day_suffixes", "months", "weekdays", "numbers", "units", "rule"})
_RULE_KEYS = frozenset({"make", "patterns", "entity_only", "when", "offset", "unit", "anchor"})
_HORIZON_KEYS = frozenset({"name", "duration", "until", "fr", "en"})
_DURATION = re.compile(r"^\s*(\d{1,3})\s+(day|week|month|year)s?\s*$")
_UNTIL = re.compile(r"^\s*(end of year|end of month|end of week|before month (\d{1,2}))\s*$")

_WS = r",?\s{1,6}"  # a space in a pattern: bounded, so that no match can run away
_HYPHEN = "[-\u2010\u2011\u2013]"
_APOSTROPHES = "['\u2019\u02bc\u2018]"
_LEADING_WORD = re.compile(r"\w+")
_LANG = re.compile(r"[a-z]{2,3}")
_NON_WORD = re.compile(r"[\W_]+")
_GROUP_NAME = re.compile(r"\(\?P<\w+>")


# ---------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Rule:
    """One meaning and the compiled pattern that says it (one rule per pattern)."""

    make: str
    regex: re.Pattern[str]
    keys: frozenset[str]  # the folded words (or DIGIT) a match can start with
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
    names = _SlotNames(cased, tuple(suffixes), _raw_names(parts, common))
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


def _rules(raw: Any, path: Path, where: str, names: _SlotNames, order: int) -> list[Rule]:
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


def _horizon_rules(raw: Any, lang: str, path: Path, names: _SlotNames, order: int) -> list[Rule]:
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


# ---------------------------------------------------------------- patterns
#
# A pattern parses into nodes: ("lit", text), ("ws", ""), ("slot", name),
# ("opt", [branches]), ("alt", [branches]); a leading <a|b> is the context.

Node = tuple[str, Any]


@dataclass(frozen=True, slots=True)
class _SlotNames:
    cased: bool
    suffixes: tuple[str, ...]
    raw: dict[str, list[str]]


class _PatternError(ValueError):
    pass


def _parse(text: str) -> tuple[list[list[Node]] | None, list[Node]]:
    context = None
    pos = 0
    if text.startswith("<"):
        context, pos = _parse_alts(text, 1, ">")
        while pos < len(text) and text[pos].isspace():
            pos += 1
    nodes, pos = _parse_seq(text, pos, "")
    if pos != len(text):
        raise _PatternError(f"unexpected {text[pos]!r}")
    return context, nodes


def _parse_alts(text: str, pos: int, closer: str) -> tuple[list[list[Node]], int]:
    branches = []
    while True:
        seq, pos = _parse_seq(text, pos, closer)
        branches.append(seq)
        if pos >= len(text):
            raise _PatternError(f"missing {closer!r}")
        if text[pos] == closer:
            return branches, pos + 1
        pos += 1  # "|"


def _parse_seq(text: str, pos: int, closer: str) -> tuple[list[Node], int]:
    nodes: list[Node] = []
    while pos < len(text):
        ch = text[pos]
        if ch in closer or (closer and ch == "|"):
            break
        if ch in "])>|" or ch == "<":
            raise _PatternError(f"unexpected {ch!r}")
        if ch == "{":
            end = text.find("}", pos)
            name = text[pos + 1 : end] if end > 0 else ""
            if name not in SLOTS:
                raise _PatternError(f"unknown slot {{{name}}}; use one of {sorted(SLOTS)}")
            if any(n == ("slot", name) for n in nodes):
                raise _PatternError(f"slot {{{name}}} twice")
            nodes.append(("slot", name))
            pos = end + 1
        elif ch in "[(":
            branches, pos = _parse_alts(text, pos + 1, "]" if ch == "[" else ")")
            nodes.append(("opt" if ch == "[" else "alt", branches))
        elif ch.isspace():
            while pos < len(text) and text[pos].isspace():
                pos += 1
            nodes.append(("ws", ""))
        else:
            if nodes and nodes[-1][0] == "lit":
                nodes[-1] = ("lit", nodes[-1][1] + ch)
            else:
                nodes.append(("lit", ch))
            pos += 1
    return nodes, pos


def _compile(
    pattern: str, names: _SlotNames, path: Path, where: str
) -> tuple[re.Pattern[str], frozenset[str]]:
    try:
        context, nodes = _parse(pattern.strip())
        if not nodes:
            raise _PatternError("empty pattern")
        keys, nullable = _first(nodes, names)
        if context is not None:
            keys, nullable = set(), False
            for branch in context:
                branch_keys, branch_nullable = _first(branch, names)
                keys |= branch_keys
                nullable = nullable or branch_nullable
        if nullable or "" in keys:
            raise _PatternError("it must start with a word, a number or a slot")
        body = f"(?P<span>{_seq(nodes, names)})(?!\\w)"
        if context is not None:
            body = f"(?:{'|'.join(_seq(b, names) for b in context)}){_WS}{body}"
        return re.compile(body, re.IGNORECASE), frozenset(keys)
    except (_PatternError, re.error) as exc:
        raise _fail(path, where, f"pattern {pattern!r}: {exc}") from exc


def _seq(nodes: list[Node], names: _SlotNames) -> str:
    out: list[str] = []
    i = 0
    while i < len(nodes):
        kind, value = nodes[i]
        if kind == "ws":
            out.append(_WS)
        elif kind == "lit":
            out.append(_literal(value))
        elif kind == "slot":
            out.append(_slot(value, names))
        else:
            inner = "|".join(_seq(b, names) for b in value)
            if kind == "alt":
                out.append(f"(?:{inner})")
            elif out and out[-1] == _WS and (i + 1 == len(nodes) or nodes[i + 1][0] == "ws"):
                out[-1] = f"(?:{_WS}(?:{inner}))?"  # "hier [soir]": the space goes too
            else:
                out.append(f"(?:{inner})?")
        i += 1
    return "".join(out)


def _literal(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        if ch in "'\u2019":
            out.append(_APOSTROPHES)
        elif ch == "-":
            after_letter = i > 0 and text[i - 1].isalpha()
            out.append(f"(?:{_HYPHEN}|\\s{{1,3}})" if after_letter else _HYPHEN)
        elif ch.isspace():
            out.append(_WS)
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(f"[{ch}{base}]" if base != ch and base.isalpha() else re.escape(ch))
    return "".join(out)


def _words(words: list[str], *, cased: bool) -> str:
    alts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        stem = word[:-1] if word.endswith(".") else word
        regex = "".join(_literal(part) if part else "" for part in re.split(r"(\s+)", stem))
        dot = r"\.?" if word.endswith(".") else ""
        if cased:
            upper = "".join(_literal(part) for part in re.split(r"(\s+)", stem.upper()))
            alts.append(f"(?-i:{regex}|{upper}){dot}")
        else:
            alts.append(f"{regex}{dot}")
    return "|".join(alts) or "(?!)"


def _slot(name: str, names: _SlotNames) -> str:
    if name == "day":
        suffix = "|".join(re.escape(s) for s in names.suffixes)
        return f"(?P<day>[0-3]?[0-9])(?:{suffix})?" if suffix else "(?P<day>[0-3]?[0-9])"
    if name == "mm":
        return "(?P<mm>[01]?[0-9])"
    if name == "year":
        return "(?P<year>(?:1[89]|20)[0-9]{2})(?![0-9])"
    if name == "n":
        words = _words(names.raw["numbers"], cased=False)
        return f"(?P<n>[0-9]{{1,3}}|{words})(?!\\w)"
    table = {"month": "months", "weekday": "weekdays", "unit": "units"}[name]
    cased = names.cased and name != "unit"
    return f"(?P<{name}>{_words(names.raw[table], cased=cased)})(?!\\w)"


def _first(nodes: list[Node], names: _SlotNames) -> tuple[set[str], bool]:
    keys: set[str] = set()
    for kind, value in nodes:
        if kind == "ws":
            continue
        if kind == "lit":
            lead = _LEADING_WORD.match(value)
            keys.add(_key(lead.group()) if lead else "")
            return keys, False
        if kind == "slot":
            if value in ("day", "mm", "year", "n"):
                keys.add(DIGIT)
            table = {"month": "months", "weekday": "weekdays", "unit": "units", "n": "numbers"}
            for word in names.raw.get(table.get(value, ""), []):
                if found := _LEADING_WORD.match(word):
                    keys.add(_key(found.group()))
            return keys, False
        nullable = kind == "opt"
        for branch in value:
            branch_keys, branch_nullable = _first(branch, names)
            keys |= branch_keys
            nullable = nullable or branch_nullable
        if not nullable:
            return keys, False
    return keys, True


def word_key(text: str) -> str:
    """How a slot's word is looked up: folded, without spaces, hyphens or dots."""
    return _NON_WORD.sub("", fold(text))


def _key(word: str) -> str:
    return DIGIT if "0" <= word[:1] <= "9" else fold(word)
