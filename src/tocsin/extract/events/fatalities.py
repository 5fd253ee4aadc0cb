"""Fatalities: the number of people a clause reports killed, coded the ACLED way.

``find_fatalities`` ties figures ("12", "vingt-trois", "une dizaine de", "at least 86",
"between 10 and 15") to death words ("tués", "ont péri", "killed", "lost their lives")
before or after them, adds the groups of one count ("7 soldiers and 35 civilians were
killed": 42), reads "no casualties" as 0, keeps the wounded, the abducted, vehicles,
distances and dates out, and takes the lowest of differing figures as the best one
("12 selon l'armée, 20 selon des sources locales": best 12, low 12, high 20). The words
and the numbers coded for vague figures are data (``knowledge/fatalities.toml``); this
module is language-neutral.

Conventions: ``best`` is the figure to code; ``low``/``high`` are bounds the text states
("at least 12": low 12; "up to 12": high 12; a range or differing sources: both), None
when it states none. An unknown number ("an unknown number of", "des civils ont été
tués") is best 0 with no bounds; added to known groups it makes their sum a lower bound.

Matching is linear: each pattern is one regular expression compiled once from the
lexicon (alternations as tries, bounded repetitions), run once over the clause; the
tying walks a bounded number of tokens from each death word.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.text.fold import fold_same
from tocsin.text.phrases import phrase_alternation

__all__ = [
    "Fatalities",
    "FatalityGrammar",
    "FatalityLexicon",
    "find_fatalities",
    "load_fatality_lexicon",
    "parse_count",
]

_MAX_VALUE = 10_000_000  # larger figures are not casualty counts
_BEFORE_GAP = 10  # tokens between a figure and the death word after it
_AFTER_GAP = 4  # filler tokens between a death word and the figure after it
_HEAD_GAP = 4  # tokens after a figure searched for a head noun that is not a death
_NEAR_GAP = 3  # tokens between a figure and a word that makes it an alternative
_GROUP_GAP = 2  # tokens between a figure and "et"/"and" joining the next group
_GROUP_GAP_PEOPLE = 5  # ... when the last of them names people ("3 Malian soldiers and")

_TOKEN = re.compile(r"\w+'?|[^\w\s]")
_SPACES = re.compile(r"[\s\-]+")
_SEP = r"(?:\s{1,3}|\s{0,2}-\s{0,2})"
_APOSTROPHE = r"'\s?"
_DIGITS = r"\d{1,3}(?:[ .,]\d{3}){1,2}(?![.,]?\d)|\d{1,7}(?![.,]?\d)"
_DIRECTIONS = frozenset({"before", "after", "both"})

# token flags
_PEOPLE = 1
_BLOCK = 2
_PRE = 4
_FILLER = 8
_OBJECT = 16
_JOIN = 32
_SUB_BEFORE = 64
_SUB_AFTER = 128
_ALT_NEAR = 256
_ALT_BETWEEN = 512
_BREAK = 1024
_FLAG_KEYS = {
    "people": _PEOPLE,
    "not_deaths": _BLOCK,
    "not_after": _PRE,
    "fillers": _FILLER,
    "objects": _OBJECT,
    "joins": _JOIN,
    "subsets_before": _SUB_BEFORE,
    "subsets_after": _SUB_AFTER,
    "alternatives_near": _ALT_NEAR,
    "alternatives_between": _ALT_BETWEEN,
    "breaks": _BREAK,
}
_LIST_KEYS = frozenset({"articles", "none", "unknown", "tails", "range_words", "zero"}) | set(
    _FLAG_KEYS
)
_BOUND_KEYS = {"at_least": "low", "at_most": "high", "about": "about"}
_TABLE_KEYS = frozenset({"numbers", "vague"})
_LANG_KEYS = _LIST_KEYS | _TABLE_KEYS | set(_BOUND_KEYS) | {"range_pairs", "death"}
_DEATH_KEYS = frozenset({"words", "count", "alone", "total"})
_LANG = re.compile(r"[a-z]{2,3}")


# ---------------------------------------------------------------- results and data


@dataclass(frozen=True, slots=True)
class Fatalities:
    """The killed count of a clause; ``start``/``end`` are offsets in the text given."""

    best: int
    low: int | None
    high: int | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Value:
    best: int
    low: int | None = None
    high: int | None = None
    unknown: bool = False


@dataclass(frozen=True, slots=True)
class _DeathWord:
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
    death_words: dict[str, _DeathWord]
    unstated: int
    memo: dict[str, tuple[_Value, int, bool] | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FatalityLexicon:
    """Grammars per language (``fr``, ``en``); other languages have none."""

    grammars: dict[str, FatalityGrammar]
    sources: tuple[Path, ...] = field(default=())

    def grammar(self, lang: str | None) -> FatalityGrammar | None:
        code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
        return self.grammars.get(code)


def _norm(words: str) -> str:
    """The key of a phrase: folded, spaces and hyphens as one space, "d' " as "d'"."""
    return _SPACES.sub(" ", _fold(words)).replace("' ", "'").strip()


def _fold(text: str) -> str:
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
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_VALUE:
        raise _fail(path, where, f"{key} must be a whole number from 0 to {_MAX_VALUE}")
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
    deaths: dict[str, _DeathWord] = field(default_factory=dict)


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
                tables.bounds[_norm(word)] = kind
        for key in _TABLE_KEYS & set(table):
            words = table[key]
            if not isinstance(words, dict):
                raise _fail(path, where, f"'{key}' must be a table of word = number")
            target = tables.numbers if key == "numbers" else tables.vague
            for word, value in words.items():
                target[_norm(word)] = _count_value(path, where, f"{key}: {word!r}", value)
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


def _gather_death(
    path: Path, where: str, item: dict[str, Any], into: dict[str, _DeathWord]
) -> None:
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
    word = _DeathWord(
        after=direction in ("after", "both"),
        before=direction in ("before", "both"),
        alone=alone,
        total=total,
        active=direction == "both",
    )
    for words in _strings(path, where, "words", item.get("words")):
        into[_norm(words)] = word


def _compile(lang: str, parts: list[tuple[Path, dict[str, Any]]], unstated: int) -> FatalityGrammar:
    tables = _gather(lang, parts)
    lists = tables.lists
    numbers = tables.numbers
    atoms = _alternation(numbers)
    words_rx = rf"{atoms}(?:(?:[\s-]{{1,3}}(?:et|and)[\s-]{{1,3}}|{_SEP}){atoms}){{0,7}}"
    tails = _alternation(_norm(t) for t in lists["tails"])
    tail = rf"(?:{_SEP}?{tails})?" if lists["tails"] else ""
    unknown = _alternation(_norm(u) for u in lists["unknown"])
    vague = _alternation(tables.vague)
    none = _alternation(_norm(n) for n in lists["none"])
    core_named = (
        rf"(?P<unknown>{unknown}{tail})|(?P<vague>{vague}{tail})|(?P<none>{none})"
        rf"|(?P<digits>{_DIGITS})|(?P<words>{words_rx})"
    )
    core = re.sub(r"\(\?P<\w+>", "(?:", core_named)
    opens = _alternation(_norm(a) for a, _ in tables.pairs)
    closes = _alternation(_norm(b) for _, b in tables.pairs)
    mids = _alternation(_norm(w) for w in lists["range_words"] if w.strip() != "-")
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
            key_text = _norm(phrase)
            if len(_TOKEN.findall(key_text)) == 1:
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
        zero=re.compile(rf"(?<!\w){_alternation(_norm(z) for z in lists['zero'])}"),
        phrases=tuple(phrase_rx),
        words=flag_words,
        numbers=numbers,
        articles=frozenset(_norm(a) for a in lists["articles"]),
        vague=tables.vague,
        vague_keys=tuple(sorted(tables.vague, key=len, reverse=True)),
        bounds=tables.bounds,
        death_words=tables.deaths,
        unstated=unstated,
    )


def _alternation(phrases: Iterable[str]) -> str:
    """A regular expression matching any of the (normalised) phrases, as a trie: each
    position tries one branch per next character, and the longest phrase wins. The
    callers put the boundary before it."""
    return phrase_alternation(phrases, space=_SEP, apostrophe=_APOSTROPHE, start="")


# ---------------------------------------------------------------- figures


def parse_count(
    words: str, *, lang: str, lexicon: FatalityLexicon
) -> tuple[int, int | None, int | None] | None:
    """``(best, low, high)`` for a count phrase ("vingt-trois", "une dizaine", "at least
    12", "between 10 and 15", "dozens"); None when the words are not a figure. An
    unknown number is ``(0, None, None)``."""
    grammar = lexicon.grammar(lang)
    if grammar is None:
        return None
    body = _fold(words).strip()
    match = grammar.count.fullmatch(body)
    if match is None:
        return None
    parsed = _evaluate(grammar, match)
    if parsed is None or parsed[1] != len(body):
        return None
    value = parsed[0]
    if value.unknown:
        return grammar.unstated, None, None
    return value.best, value.low, value.high


def _evaluate(grammar: FatalityGrammar, match: re.Match[str]) -> tuple[_Value, int] | None:
    """The value of a count match and where it really ends (relative to its start)."""
    base = match.start()
    if match.group("open") is not None:
        first = _core_value(grammar, match.group("a"))
        second = _core_value(grammar, match.group("b"))
        if first is None or second is None or first[1] or second[1]:
            return None
        low, high = sorted((first[0], second[0]))
        return _Value(low, low, high), match.end() - base
    value = _core_value(grammar, match.group("c"))
    if value is None:
        return None
    n, unknown, used = value
    end = match.start("c") + used - base
    if unknown:
        return _Value(0, unknown=True), end
    if match.group("d") is not None and used == len(match.group("c")):
        other = _core_value(grammar, match.group("d"))
        if other is not None and not other[1] and other[2] == len(match.group("d")):
            low, high = sorted((n, other[0]))
            return _Value(low, low, high), match.end() - base
    bound = grammar.bounds.get(_norm(match.group("bound") or ""), "")
    if bound == "low":
        return _Value(n, n, None), end
    if bound == "high":
        return _Value(n, None, n), end
    return _Value(n), end


def _core_value(grammar: FatalityGrammar, text: str) -> tuple[int, bool, int] | None:
    """``(value, unknown, characters used)`` of one figure."""
    m = grammar.core.fullmatch(text)
    if m is None:
        return None
    if m.group("unknown") is not None:
        return 0, True, len(text)
    if m.group("none") is not None:
        return 0, False, len(text)
    if m.group("vague") is not None:
        said = _norm(m.group("vague"))
        for key in grammar.vague_keys:  # longest first: "plusieurs dizaines" before "plusieurs"
            if said == key or said.startswith(key + " "):
                return grammar.vague[key], False, len(text)
        return None
    if m.group("digits") is not None:
        value = int(re.sub(r"\D", "", text))
        return (value, False, len(text)) if value <= _MAX_VALUE else None
    return _words_value(grammar, text)


def _words_value(grammar: FatalityGrammar, text: str) -> tuple[int, bool, int] | None:
    """Number words in order ("quatre-vingt-six", "one hundred and five"); stops at the
    first word that cannot follow ("trois vingt" is 3)."""
    total = current = 0
    last_small = 0  # the last word added below a hundred (0: none since the last multiplier)
    last_big = _MAX_VALUE + 1
    used = 0
    seen = False
    for atom in grammar.atoms.finditer(text):
        value = grammar.numbers.get(_norm(atom.group()), -1)
        if value < 0:
            break
        if value >= 1000:
            if value >= last_big:
                break
            total += (current or 1) * value
            current, last_small, last_big = 0, 0, value
        elif value >= 100:
            if current >= 100:
                break
            current = (current or 1) * value
            last_small = 0
        else:
            if last_small and not (value < last_small and last_small % 10 == 0):
                break  # "vingt-trois" and "dix-sept" go on; "trois vingt" stops
            current += value
            last_small = value
        used = atom.end()
        seen = True
    value = total + current
    if not seen or value > _MAX_VALUE:
        return None
    return value, False, used


# ---------------------------------------------------------------- the clause

_WINDOW = 200  # characters on each side of a death word where its figures can be
_MAX_ANCHORS = 32  # death words and "no casualties" tied in one clause; a text with more is
# not a clause, and the bound keeps the work small whatever the length
_SNAP = 40  # characters a window edge moves to reach a space
_MEMO_SIZE = 4096


@dataclass(slots=True)
class _Count:
    first: int  # token indexes
    last: int
    start: int  # offsets in the folded clause
    end: int
    value: _Value
    needs_noun: bool  # "un", "a", "aucun" and years: only before a person or a death word
    usable: bool = True


@dataclass(frozen=True, slots=True)
class _Death:
    first: int
    last: int
    start: int
    end: int
    word: _DeathWord


@dataclass(frozen=True, slots=True)
class _Bundle:
    """One death word and the figures tied to it, a "no casualties", or an alternative."""

    values: tuple[_Value, ...]
    first: int  # token span
    last: int
    start: int  # offsets in the folded clause
    end: int
    total: bool = False
    alternative: bool = False


def find_fatalities(
    text: str,
    *,
    lang: str,
    lexicon: FatalityLexicon,
    start: int = 0,
    end: int | None = None,
) -> Fatalities | None:
    """The killed count reported in ``text[start:end]`` (a clause); None when the clause
    reports no death at all (or its language has no lexicon)."""
    grammar = lexicon.grammar(lang)
    stop = len(text) if end is None else max(0, min(end, len(text)))
    begin = max(0, min(start, stop))
    if grammar is None or begin == stop:
        return None
    folded = _fold(text[begin:stop])
    zeros = list(islice(grammar.zero.finditer(folded), _MAX_ANCHORS))
    deaths = list(islice(grammar.deaths.finditer(folded), _MAX_ANCHORS))
    if not zeros and not deaths:
        return None
    if len(zeros) + len(deaths) > _MAX_ANCHORS:  # the first ones in the text
        first = sorted([*zeros, *deaths], key=lambda m: m.start())[:_MAX_ANCHORS]
        zeros = [m for m in zeros if m in first]
        deaths = [m for m in deaths if m in first]
    found = _Clause(grammar, folded, zeros, deaths).resolve()
    if found is None:
        return None
    value, s, e = found
    s, e = begin + s, begin + e
    return Fatalities(value.best, value.low, value.high, text[s:e], s, e)


def _windows(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Disjoint stretches of ``text`` around the spans, their edges moved to spaces."""
    n = len(text)
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        s, e = _snap_left(text, max(0, s - _WINDOW)), _snap_right(text, min(n, e + _WINDOW))
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _snap_left(text: str, i: int) -> int:
    floor = max(0, i - _SNAP)
    while i > floor and not text[i - 1].isspace():
        i -= 1
    return i


def _snap_right(text: str, i: int) -> int:
    ceiling = min(len(text), i + _SNAP)
    while i < ceiling and not text[i].isspace():
        i += 1
    return i


def _figure(grammar: FatalityGrammar, m: re.Match[str]) -> tuple[_Value, int, bool] | None:
    """A count match's value, its real length and whether it needs a noun after it
    ("un", "a", "aucun", a year), remembered by its text."""
    key = m.group()
    memo = grammar.memo
    if key in memo:
        return memo[key]
    found: tuple[_Value, int, bool] | None = None
    evaluated = _evaluate(grammar, m)
    if evaluated is not None:
        value, length = evaluated
        core = m.group("c")
        needs_noun = len(key) == 4 and key.isdigit() and key[:2] in ("19", "20")
        if core is not None and m.group("bound") is None and m.group("d") is None:
            named = grammar.core.fullmatch(core)
            needs_noun = needs_noun or _norm(core) in grammar.articles
            needs_noun = needs_noun or (named is not None and named.group("none") is not None)
        found = (value, length, needs_noun)
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = found
    return found


class _Clause:
    """The tokens near the death words of one folded clause, their roles, and the
    tying of figures to death words."""

    def __init__(
        self,
        grammar: FatalityGrammar,
        folded: str,
        zeros: Sequence[re.Match[str]],
        deaths: Sequence[re.Match[str]],
    ) -> None:
        self.g = grammar
        windows = _windows(folded, [m.span() for m in (*zeros, *deaths)])
        starts: list[int] = []
        ends: list[int] = []
        flags: list[int] = []
        words = grammar.words
        for ws, we in windows:
            for m in _TOKEN.finditer(folded, ws, we):
                starts.append(m.start())
                ends.append(m.end())
                flags.append(words.get(m.group(), 0))
            starts.append(we)  # a token that no tie crosses between two windows
            ends.append(we)
            flags.append(_BREAK)
        self.starts, self.ends, self.flags = starts, ends, flags
        n = len(starts)
        self.taken = [False] * n
        self.count_at = [-1] * n
        self.death_at = [-1] * n
        self.zeros: list[tuple[int, int]] = []  # token spans
        for m in zeros:
            if (span := self._span(m.start(), m.end())) is not None:
                self.zeros.append(span)
                self._take(span)
        self.deaths: list[_Death] = []
        for m in deaths:
            span = self._span(m.start(), m.end())
            word = grammar.death_words.get(_norm(m.group()))
            if span is None or word is None or any(self.taken[span[0] : span[1] + 1]):
                continue
            for i in range(span[0], span[1] + 1):
                self.death_at[i] = len(self.deaths)
            self.deaths.append(_Death(span[0], span[1], m.start(), m.end(), word))
            self._take(span)
        self.counts: list[_Count] = []
        for ws, we in windows:
            for m in grammar.count.finditer(folded, ws, we):
                self._add_count(m)
            for rx, flag in grammar.phrases:
                for m in rx.finditer(folded, ws, we):
                    if (span := self._span(m.start(), m.end())) is not None:
                        for i in range(span[0], span[1] + 1):
                            flags[i] |= flag
        for count in self.counts:
            count.usable = self._usable(count)
        self.used = [False] * len(self.counts)

    # ----- building

    def _span(self, s: int, e: int) -> tuple[int, int] | None:
        """The tokens from offset ``s`` to ``e`` (None unless ``s`` starts a token)."""
        first = bisect.bisect_left(self.starts, s)
        last = bisect.bisect_right(self.ends, e, lo=first) - 1
        if first >= len(self.starts) or last < first or self.starts[first] != s:
            return None
        return first, last

    def _take(self, span: tuple[int, int]) -> None:
        for i in range(span[0], span[1] + 1):
            self.taken[i] = True

    def _add_count(self, m: re.Match[str]) -> None:
        figure = _figure(self.g, m)
        if figure is None:
            return
        value, length, needs_noun = figure
        s = m.start()
        span = self._span(s, s + length)
        if span is None or any(self.taken[span[0] : span[1] + 1]):
            return
        for i in range(span[0], span[1] + 1):
            self.count_at[i] = len(self.counts)
        self.counts.append(_Count(span[0], span[1], s, s + length, value, needs_noun))
        self._take(span)

    def _usable(self, c: _Count) -> bool:
        """Whether the figure can count deaths: not a date, a year, a distance, the
        wounded ... and, for "un"/"a"/"aucun", followed by a person or a death word."""
        n = len(self.starts)
        if c.first > 0 and self.flags[c.first - 1] & _PRE:
            return False
        after = c.last + 1
        if c.needs_noun and (
            after >= n or not (self.flags[after] & _PEOPLE or self.death_at[after] >= 0)
        ):
            return False
        for i in range(after, min(n, after + _HEAD_GAP)):
            if self.death_at[i] >= 0 or self.count_at[i] >= 0:
                break
            if self.flags[i] & (_BREAK | _JOIN | _ALT_NEAR | _SUB_BEFORE):
                break
            if self.flags[i] & _BLOCK:
                return False
        return True

    def _subset(self, c: _Count) -> bool:
        before = c.first > 0 and self.flags[c.first - 1] & _SUB_BEFORE
        after = c.last + 1 < len(self.starts) and self.flags[c.last + 1] & _SUB_AFTER
        return bool(before or after)

    def _free(self, index: int) -> _Count | None:
        c = self.counts[index]
        if self.used[index] or not c.usable or self._subset(c):
            return None
        return c

    def _stops(self, i: int) -> bool:
        """A token that no tie crosses."""
        return bool(
            self.flags[i] & (_BREAK | _BLOCK)
            or self.death_at[i] >= 0
            or (self.taken[i] and self.count_at[i] < 0)
        )

    # ----- tying

    def resolve(self) -> tuple[_Value, int, int] | None:
        """The count, and the offsets of the words that say it."""
        bundles: list[_Bundle] = []
        unknown: list[_Death] = []
        owner: dict[int, int] = {}  # token of a tied figure's end -> its bundle
        for d in self.deaths:
            tied = self._tie(d)
            if tied:
                first, last = min(d.first, tied[0].first), max(d.last, tied[-1].last)
                values = tuple(c.value for c in tied)
                s, e = self.starts[first], self.ends[last]
                owner.update((c.last, len(bundles)) for c in tied)
                bundles.append(_Bundle(values, first, last, s, e, total=d.word.total))
            elif (at := owner.get(d.first - 1)) is not None:
                b = bundles[at]  # "le bilan est de 14 morts": "morts" joins the quote
                if d.last > b.last:
                    bundles[at] = replace(b, last=d.last, end=d.end)
            elif d.first > 0 and self.flags[d.first - 1] & _BLOCK:
                continue  # "deux drones abattus": not people
            elif d.word.alone == 1:
                bundles.append(_Bundle((_Value(1),), d.first, d.last, d.start, d.end))
            elif d.word.alone == 0:
                unknown.append(d)
        for first, last in self.zeros:
            s, e = self.starts[first], self.ends[last]
            bundles.append(_Bundle((_Value(0),), first, last, s, e))
        if not bundles:
            if not unknown:
                return None
            return _Value(self.g.unstated), unknown[0].start, unknown[0].end
        bundles += self._alternatives(min(b.first for b in bundles))
        bundles.sort(key=lambda b: b.first)
        return self._combine(bundles)

    def _tie(self, d: _Death) -> list[_Count]:
        """The figures tied to one death word, in text order."""
        if d.word.after:
            tied = self._after(d)
            if tied:
                return tied
        if d.word.before:
            nxt = d.last + 1
            if d.word.active and nxt < len(self.starts) and self.flags[nxt] & _OBJECT:
                return []  # "3 gunmen killed the chief": the 3 are not the dead
            return self._before(d)
        return []

    def _after(self, d: _Death) -> list[_Count]:
        n = len(self.starts)
        i, skipped = d.last + 1, 0
        while i < n and skipped <= _AFTER_GAP:
            if self.count_at[i] >= 0:
                index = self.count_at[i]
                c = self._free(index)
                if c is None or c.first != i:
                    return []
                self.used[index] = True
                tied = [c]
                self._join_right(c, tied)
                return tied
            if not self.flags[i] & _FILLER or self._stops(i):
                return []
            i, skipped = i + 1, skipped + 1
        return []

    def _join_right(self, c: _Count, tied: list[_Count]) -> None:
        n = len(self.starts)
        while True:
            i, gap = c.last + 1, 0
            while i < n and not self.flags[i] & _JOIN:
                if self._stops(i) or self.count_at[i] >= 0 or gap >= _GROUP_GAP_PEOPLE:
                    return
                i, gap = i + 1, gap + 1
            i += 1
            if i >= n or self.count_at[i] < 0:
                return
            index = self.count_at[i]
            nxt = self._free(index)
            if nxt is None or nxt.first != i:
                return
            self.used[index] = True
            tied.append(nxt)
            c = nxt

    def _before(self, d: _Death) -> list[_Count]:
        i, gap = d.first - 1, 0
        while i >= 0 and gap < _BEFORE_GAP:
            if self.count_at[i] >= 0:
                index = self.count_at[i]
                c = self.counts[index]
                if self._subset(c):  # "12 personnes, dont 3 enfants, ont été tuées"
                    i, gap = c.first - 1, gap + 1
                    continue
                if self._free(index) is None:
                    return []
                self.used[index] = True
                tied = [c]
                self._join_left(c, tied)
                tied.reverse()
                return tied
            if self._stops(i):
                return []
            i, gap = i - 1, gap + 1
        return []

    def _join_left(self, c: _Count, tied: list[_Count]) -> None:
        while True:
            i = c.first - 1
            if i < 1 or not self.flags[i] & _JOIN:
                return
            i -= 1
            limit = _GROUP_GAP_PEOPLE if self.flags[i] & _PEOPLE else _GROUP_GAP
            gap = 0
            while i >= 0 and self.count_at[i] < 0:
                if self._stops(i) or self.flags[i] & _JOIN or gap >= limit:
                    return
                i, gap = i - 1, gap + 1
            if i < 0:
                return
            index = self.count_at[i]
            nxt = self._free(index)
            if nxt is None:
                return
            self.used[index] = True
            tied.append(nxt)
            c = nxt

    def _alternatives(self, after: int) -> list[_Bundle]:
        """Bare figures next to "selon", "according to", "voire" after a tied one: other
        estimates of the same deaths ("12 morts selon l'armée, 20 selon ...")."""
        found = []
        n = len(self.starts)
        for index, c in enumerate(self.counts):
            if c.first <= after or self._free(index) is None:
                continue
            if c.last + 1 < n and self.flags[c.last + 1] & _PEOPLE:
                continue  # "5 civilians according to ...": other people, not an estimate
            lo, hi = max(0, c.first - _NEAR_GAP), min(n, c.last + 1 + _NEAR_GAP)
            if any(self.flags[i] & _ALT_NEAR for i in range(lo, hi) if not c.first <= i <= c.last):
                self.used[index] = True
                found.append(_Bundle((c.value,), c.first, c.last, c.start, c.end, alternative=True))
        return found

    def _combine(self, bundles: Sequence[_Bundle]) -> tuple[_Value, int, int]:
        """Bundles add up within a group; groups (tolls, alternatives) are estimates of
        the same deaths: the lowest is the best, the bounds span them all."""
        groups: list[list[_Bundle]] = []
        for b in bundles:
            if (
                groups
                and not b.alternative
                and not b.total
                and not groups[-1][0].total
                and not any(
                    self.flags[i] & _ALT_BETWEEN for i in range(groups[-1][-1].last + 1, b.first)
                )
            ):
                groups[-1].append(b)
            else:
                groups.append([b])
        values = [_sum([v for b in group for v in b.values], self.g.unstated) for group in groups]
        s, e = min(b.start for b in bundles), max(b.end for b in bundles)
        if len(values) == 1:
            return values[0], s, e
        best = min(v.best for v in values)
        low = min(v.best if v.low is None else v.low for v in values)
        high = max(v.best if v.high is None else v.high for v in values)
        return _Value(best, low, high), s, e


def _sum(values: Sequence[_Value], unstated: int) -> _Value:
    """Groups of one count added: "7 soldiers and 35 civilians" is 42; an unknown
    number added makes the sum a lower bound."""
    known = [v for v in values if not v.unknown]
    if not known:
        return _Value(unstated)
    best = sum(v.best for v in known)
    open_low = len(known) < len(values)
    low = None
    if open_low or any(v.low is not None for v in known):
        low = sum(v.best if v.low is None else v.low for v in known)
    open_high = open_low or any(v.low is not None and v.high is None for v in known)
    high = None
    if not open_high and any(v.high is not None for v in known):
        high = sum(v.best if v.high is None else v.high for v in known)
    return _Value(best, low, high)
