"""The fatality lexicon: the words and figures of ``knowledge/fatalities.toml`` (a
user's file in the same format on top), checked and compiled into one grammar per language.

A grammar holds the patterns :mod:`tocsin.extract.events.figures` reads a figure with and
:mod:`tocsin.extract.events.fatalities` finds a toll with, and the word tables both use.
Each pattern is one regular expression compiled once from the lexicon (alternations as
tries, bounded repetitions). Every pattern runs on :func:`fold_text` text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.text.fold import fold_same
from tocsin.text.phrases import phrase_alternation

if TYPE_CHECKING:
    from tocsin.extract.events.figures import FigureValue

__all__ = [
    "ALT_BETWEEN",
    "ALT_NEAR",
    "BLOCK",
    "BREAK",
    "DET",
    "END",
    "FILLER",
    "JOIN",
    "LINK",
    "MANY",
    "MANY_HEAD",
    "MAX_VALUE",
    "OBJECT",
    "ONE",
    "PEOPLE",
    "PRE",
    "SUB_AFTER",
    "SUB_BEFORE",
    "TOKEN",
    "DeathWord",
    "FatalityGrammar",
    "FatalityLexicon",
    "fold_text",
    "load_fatality_lexicon",
    "normalise_phrase",
]

MAX_VALUE = 10_000_000  # larger figures are not casualty counts

TOKEN = re.compile(r"\w+'?|[^\w\s]")
_SPACES = re.compile(r"[\s\-]+")
_SEP = r"(?:\s{1,3}|\s{0,2}-\s{0,2})"
_APOSTROPHE = r"'\s?"
_DIGITS = r"\d{1,3}(?:[ .,]\d{3}){1,2}(?![.,]?\d)|\d{1,7}(?![.,]?\d)"
_DIRECTIONS = frozenset({"before", "after", "both"})

# Token flags: what a cue word says about the figures near it (its list in the lexicon).
PEOPLE = 1  # people: names people ("soldiers", "civils")
BLOCK = 2  # not_deaths: a head noun that makes a figure something else ("blessés", "km")
PRE = 4  # not_after: makes the figure after it a date, a year, a route ("en", "page")
FILLER = 8  # fillers: may stand between a death word and its figure
OBJECT = 16  # objects: after an active death word, its object (not the dead) follows
JOIN = 32  # joins: "et", "and" between groups of one count
SUB_BEFORE = 64  # subsets_before: the figure after it is part of another ("dont")
SUB_AFTER = 128  # subsets_after: the figure before it is part of another ("of whom")
ALT_NEAR = 256  # alternatives_near: a figure near it is another estimate ("selon")
ALT_BETWEEN = 512  # alternatives_between: between two tolls, they are estimates ("voire")
BREAK = 1024  # breaks: no tie crosses it
ONE = 2048  # victim_one: after a kill verb, starts one named victim ("a", "his", "him")
MANY = 4096  # victim_many: ... victims of a number not said ("des", "ses", "them")
DET = 8192  # victim_either: ... one or more, as the head noun says ("the", "their")
END = 16384  # victim_ends: ends a named victim ("in", "near", "à"): place, time, means
MANY_HEAD = 32768  # plural_heads: a head noun that names several ("men", "people")
LINK = 65536  # victim_links: after a victim's head noun ("the chief of ...")
_FLAG_KEYS = {
    "people": PEOPLE,
    "not_deaths": BLOCK,
    "not_after": PRE,
    "fillers": FILLER,
    "objects": OBJECT,
    "joins": JOIN,
    "subsets_before": SUB_BEFORE,
    "subsets_after": SUB_AFTER,
    "alternatives_near": ALT_NEAR,
    "alternatives_between": ALT_BETWEEN,
    "breaks": BREAK,
    "victim_one": ONE,
    "victim_many": MANY,
    "victim_either": DET,
    "victim_ends": END,
    "plural_heads": MANY_HEAD,
    "victim_links": LINK,
}
_LIST_KEYS = frozenset(
    {"articles", "none", "unknown", "tails", "range_words", "zero", "plural_endings"}
) | set(_FLAG_KEYS)
_BOUND_KEYS = {"at_least": "low", "at_most": "high", "about": "about"}
_TABLE_KEYS = frozenset({"numbers", "vague"})
_LANG_KEYS = _LIST_KEYS | _TABLE_KEYS | set(_BOUND_KEYS) | {"range_pairs", "death"}
_DEATH_KEYS = frozenset({"words", "count", "alone", "total"})
_LANG = re.compile(r"[a-z]{2,3}")


# ---------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class DeathWord:
    """How a death word of the lexicon ties figures, and what it means alone."""

    after: bool  # the figure may follow ("ont tué 12")
    before: bool  # the figure may precede ("12 tués")
    alone: int | None  # meaning with no figure: 1, 0 (unknown) or None (no report)
    total: bool  # a toll: another one is an alternative, not more deaths
    active: bool  # "both": a figure before needs no object after ("3 gunmen killed the chief")


@dataclass(frozen=True, slots=True)
class FatalityGrammar:
    """The compiled patterns and word tables of one language."""

    lang: str
    count: re.Pattern[str]  # a figure, with its bounds or range
    core: re.Pattern[str]  # one figure, with named alternatives
    atoms: re.Pattern[str]  # one number word
    deaths: re.Pattern[str]
    zero: re.Pattern[str]
    phrases: tuple[tuple[re.Pattern[str], int], ...]  # multi-word cues and their flags
    words: dict[str, int]  # one-word cues -> flags
    numbers: dict[str, int]
    articles: frozenset[str]
    vague: dict[str, int]
    vague_keys: tuple[str, ...]  # longest first
    bounds: dict[str, str]  # normalised bound words -> "low", "high" or "about"
    death_words: dict[str, DeathWord]
    unstated: int
    plural_endings: tuple[str, ...] = ()  # a head noun ending so names several ("soldiers")
    memo: dict[str, tuple[FigureValue, int, bool] | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FatalityLexicon:
    """Grammars per language (``fr``, ``en``); other languages have none."""

    grammars: dict[str, FatalityGrammar]
    sources: tuple[Path, ...] = field(default=())

    def grammar(self, lang: str | None) -> FatalityGrammar | None:
        code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
        return self.grammars.get(code)


def normalise_phrase(words: str) -> str:
    """The key of a phrase: folded, spaces and hyphens as one space, "d' " as "d'"."""
    return _SPACES.sub(" ", fold_text(words)).replace("' ", "'").strip()


def fold_text(text: str) -> str:
    """Lower case, no accents, plain apostrophes, hyphens and spaces, same length."""
    return fold_same(text, dashes=True)


# ---------------------------------------------------------------- loading


def load_fatality_lexicon(extra: Path | str | None = None) -> FatalityLexicon:
    """The bundled lexicon, then the user's file (same format) on top."""
    if extra is None:
        return _default_lexicon()
    return _load(Path(extra))


@per_knowledge_dir
def _default_lexicon() -> FatalityLexicon:
    return _load(None)


def _load(extra: Path | None) -> FatalityLexicon:
    bundled = knowledge_source("fatalities")
    files = [(bundled, _checked(load_knowledge("fatalities"), bundled))]
    if extra is not None:
        files.append((extra, _read(extra)))
    unstated = 0
    for path, data in files:
        common = data.get("common", {})
        if unknown := set(common) - {"unstated"}:
            raise _fail(path, "[common]", f"unknown key(s) {', '.join(sorted(unknown))}")
        if "unstated" in common:
            unstated = _count_value(path, "[common]", "unstated", common["unstated"])
    langs = sorted({k for _, data in files for k in data if k != "common"})
    grammars = {
        lang: _compile(lang, [(p, d[lang]) for p, d in files if lang in d], unstated)
        for lang in langs
    }
    return FatalityLexicon(grammars=grammars, sources=tuple(p for p, _ in files))


def _read(path: Path) -> dict[str, Any]:
    return _checked(read_toml(path, what="fatality lexicon"), path)


def _checked(data: dict[str, Any], path: Path) -> dict[str, Any]:
    for key, value in data.items():
        if not (key == "common" or _LANG.fullmatch(key)) or not isinstance(value, dict):
            raise ConfigError(f"{path}: unknown table {key!r}; use [fr], [en] or [common]")
    return data


def _fail(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {problem}; see the format at the top of fatalities.toml")


def _count_value(path: Path, where: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VALUE:
        raise _fail(path, where, f"{key} must be a whole number from 0 to {MAX_VALUE}")
    return value


def _strings(path: Path, where: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, where, f"'{key}' must be a list of words")
    return [str(v) for v in value]


@dataclass(slots=True)
class _Tables:
    lists: dict[str, list[str]] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    vague: dict[str, int] = field(default_factory=dict)
    bounds: dict[str, str] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    deaths: dict[str, DeathWord] = field(default_factory=dict)


def _gather(lang: str, parts: list[tuple[Path, dict[str, Any]]]) -> _Tables:
    tables = _Tables(lists={key: [] for key in _LIST_KEYS})
    for path, table in parts:  # ours first, the user's words extend and override
        where = f"[{lang}]"
        if unknown := set(table) - _LANG_KEYS:
            raise _fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
        for key in _LIST_KEYS & set(table):
            tables.lists[key] += _strings(path, where, key, table[key])
        for key, kind in _BOUND_KEYS.items():
            for word in _strings(path, where, key, table.get(key, [])):
                tables.bounds[normalise_phrase(word)] = kind
        for key in _TABLE_KEYS & set(table):
            words = table[key]
            if not isinstance(words, dict):
                raise _fail(path, where, f"'{key}' must be a table of word = number")
            target = tables.numbers if key == "numbers" else tables.vague
            for word, value in words.items():
                target[normalise_phrase(word)] = _count_value(
                    path, where, f"{key}: {word!r}", value
                )
        for pair in table.get("range_pairs", []):
            if not (isinstance(pair, list) and len(pair) == 2):
                raise _fail(path, where, 'range_pairs must be pairs like ["entre", "et"]')
            first, second = _strings(path, where, "range_pairs", pair)
            tables.pairs.append((first, second))
        deaths = table.get("death", [])
        if not isinstance(deaths, list) or not all(isinstance(d, dict) for d in deaths):
            raise _fail(path, where, "'death' must be [[LANG.death]] tables")
        for i, item in enumerate(deaths, 1):
            _gather_death(path, f"[[{lang}.death]] {i}", item, tables.deaths)
    return tables


def _gather_death(path: Path, where: str, item: dict[str, Any], into: dict[str, DeathWord]) -> None:
    if unknown := set(item) - _DEATH_KEYS:
        raise _fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    direction = item.get("count", "before")
    if direction not in _DIRECTIONS:
        raise _fail(path, where, f"count must be one of {', '.join(sorted(_DIRECTIONS))}")
    alone = item.get("alone")
    if alone is not None and (isinstance(alone, bool) or alone not in (0, 1)):
        raise _fail(path, where, "alone must be 0 (number unknown) or 1 (one death)")
    total = item.get("total", False)
    if not isinstance(total, bool):
        raise _fail(path, where, "total must be true or false")
    word = DeathWord(
        after=direction in ("after", "both"),
        before=direction in ("before", "both"),
        alone=alone,
        total=total,
        active=direction == "both",
    )
    for words in _strings(path, where, "words", item.get("words")):
        into[normalise_phrase(words)] = word


def _compile(lang: str, parts: list[tuple[Path, dict[str, Any]]], unstated: int) -> FatalityGrammar:
    tables = _gather(lang, parts)
    lists = tables.lists
    numbers = tables.numbers
    atoms = _alternation(numbers)
    words_rx = rf"{atoms}(?:(?:[\s-]{{1,3}}(?:et|and)[\s-]{{1,3}}|{_SEP}){atoms}){{0,7}}"
    tails = _alternation(normalise_phrase(t) for t in lists["tails"])
    tail = rf"(?:{_SEP}?{tails})?" if lists["tails"] else ""
    unknown = _alternation(normalise_phrase(u) for u in lists["unknown"])
    vague = _alternation(tables.vague)
    none = _alternation(normalise_phrase(n) for n in lists["none"])
    core_named = (
        rf"(?P<unknown>{unknown}{tail})|(?P<vague>{vague}{tail})|(?P<none>{none})"
        rf"|(?P<digits>{_DIGITS})|(?P<words>{words_rx})"
    )
    core = re.sub(r"\(\?P<\w+>", "(?:", core_named)
    opens = _alternation(normalise_phrase(a) for a, _ in tables.pairs)
    closes = _alternation(normalise_phrase(b) for _, b in tables.pairs)
    mids = _alternation(normalise_phrase(w) for w in lists["range_words"] if w.strip() != "-")
    if any(w.strip() == "-" for w in lists["range_words"]):
        mids = f"(?:{mids}|-)"
    bounds = _alternation(tables.bounds)
    count = (
        rf"(?<!\w)(?:(?P<open>{opens})\s{{0,3}}(?P<a>{core}){_SEP}(?:{closes}){_SEP}(?P<b>{core})"
        rf"|(?:(?P<bound>{bounds})\s{{0,3}})?(?P<c>{core})"
        rf"(?:\s{{0,3}}(?:{mids})\s{{0,3}}(?P<d>{core}))?)(?!\w)"
    )
    flag_words: dict[str, int] = {}
    phrase_rx: list[tuple[re.Pattern[str], int]] = []
    for key, flag in _FLAG_KEYS.items():
        multi = []
        for phrase in lists[key]:
            key_text = normalise_phrase(phrase)
            if len(TOKEN.findall(key_text)) == 1:
                flag_words[key_text] = flag_words.get(key_text, 0) | flag
            else:
                multi.append(key_text)
        if multi:
            phrase_rx.append((re.compile(rf"(?<!\w){_alternation(multi)}"), flag))
    return FatalityGrammar(
        lang=lang,
        count=re.compile(count),
        core=re.compile(core_named),
        atoms=re.compile(rf"(?<!\w){atoms}"),
        deaths=re.compile(rf"(?<!\w){_alternation(tables.deaths)}"),
        zero=re.compile(rf"(?<!\w){_alternation(normalise_phrase(z) for z in lists['zero'])}"),
        phrases=tuple(phrase_rx),
        words=flag_words,
        numbers=numbers,
        articles=frozenset(normalise_phrase(a) for a in lists["articles"]),
        vague=tables.vague,
        vague_keys=tuple(sorted(tables.vague, key=len, reverse=True)),
        bounds=tables.bounds,
        death_words=tables.deaths,
        unstated=unstated,
        plural_endings=tuple(fold_text(e) for e in lists["plural_endings"]),
    )


def _alternation(phrases: Iterable[str]) -> str:
    """A regular expression matching any of the (normalised) phrases, as a trie: each
    position tries one branch per next character, and the longest phrase wins. The
    callers put the boundary before it."""
    return phrase_alternation(phrases, space=_SEP, apostrophe=_APOSTROPHE, start="")
