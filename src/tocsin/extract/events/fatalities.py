"""Fatalities: the number of people a clause reports killed, coded the ACLED way.

``find_fatalities`` ties figures ("12", "vingt-trois", "une dizaine de", "at least 86",
"between 10 and 15") to death words ("tués", "ont péri", "killed", "lost their lives")
before or after them, adds the groups of one count ("7 soldiers and 35 civilians were
killed": 42), reads "no casualties" as 0, keeps the wounded, the abducted, vehicles,
distances and dates out, and takes the lowest of differing figures as the best one
("12 selon l'armée, 20 selon des sources locales": best 12, low 12, high 20). The words
and the numbers coded for vague figures are data (``knowledge/fatalities.toml``, compiled
by :mod:`tocsin.extract.events.fatality_lexicon`), a figure's value is read by
:mod:`tocsin.extract.events.figures`; this module is language-neutral.

Conventions: ``best`` is the figure to code; ``low``/``high`` are bounds the text states
("at least 12": low 12; "up to 12": high 12; a range or differing sources: both), None
when it states none. An unknown number ("an unknown number of", "des civils ont été
tués") is best 0 with no bounds; added to known groups it makes their sum a lower bound.

Matching is linear: each pattern of the lexicon's grammar is one regular expression,
run once over the clause; the tying walks a bounded number of tokens from each death
word.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import islice

from tocsin.extract.events.fatality_lexicon import (
    ALT_BETWEEN,
    ALT_NEAR,
    BLOCK,
    BREAK,
    FILLER,
    JOIN,
    OBJECT,
    PEOPLE,
    PRE,
    SUB_AFTER,
    SUB_BEFORE,
    TOKEN,
    DeathWord,
    FatalityGrammar,
    FatalityLexicon,
    fold_text,
    normalise_phrase,
)
from tocsin.extract.events.figures import FigureValue, read_figure

__all__ = ["Fatalities", "find_fatalities"]

_BEFORE_GAP = 10  # tokens between a figure and the death word after it
_AFTER_GAP = 4  # filler tokens between a death word and the figure after it
_HEAD_GAP = 4  # tokens after a figure searched for a head noun that is not a death
_NEAR_GAP = 3  # tokens between a figure and a word that makes it an alternative
_GROUP_GAP = 2  # tokens between a figure and "et"/"and" joining the next group
_GROUP_GAP_PEOPLE = 5  # ... when the last of them names people ("3 Malian soldiers and")
_WINDOW = 200  # characters on each side of a death word where its figures can be
_MAX_ANCHORS = 32  # death words and "no casualties" tied in one clause; a text with more is
# not a clause, and the bound keeps the work small whatever the length
_SNAP = 40  # characters a window edge moves to reach a space


@dataclass(frozen=True, slots=True)
class Fatalities:
    """The killed count of a clause; ``start``/``end`` are offsets in the text given."""

    best: int
    low: int | None
    high: int | None
    text: str
    start: int
    end: int


@dataclass(slots=True)
class _Count:
    first: int  # token indexes
    last: int
    start: int  # offsets in the folded clause
    end: int
    value: FigureValue
    needs_noun: bool  # "un", "a", "aucun" and years: only before a person or a death word
    usable: bool = True


@dataclass(frozen=True, slots=True)
class _Death:
    first: int
    last: int
    start: int
    end: int
    word: DeathWord


@dataclass(frozen=True, slots=True)
class _Bundle:
    """One death word and the figures tied to it, a "no casualties", or an alternative."""

    values: tuple[FigureValue, ...]
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
    folded = fold_text(text[begin:stop])
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
            for m in TOKEN.finditer(folded, ws, we):
                starts.append(m.start())
                ends.append(m.end())
                flags.append(words.get(m.group(), 0))
            starts.append(we)  # a token that no tie crosses between two windows
            ends.append(we)
            flags.append(BREAK)
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
            word = grammar.death_words.get(normalise_phrase(m.group()))
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
        figure = read_figure(self.g, m)
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
        if c.first > 0 and self.flags[c.first - 1] & PRE:
            return False
        after = c.last + 1
        if c.needs_noun and (
            after >= n or not (self.flags[after] & PEOPLE or self.death_at[after] >= 0)
        ):
            return False
        for i in range(after, min(n, after + _HEAD_GAP)):
            if self.death_at[i] >= 0 or self.count_at[i] >= 0:
                break
            if self.flags[i] & (BREAK | JOIN | ALT_NEAR | SUB_BEFORE):
                break
            if self.flags[i] & BLOCK:
                return False
        return True

    def _subset(self, c: _Count) -> bool:
        before = c.first > 0 and self.flags[c.first - 1] & SUB_BEFORE
        after = c.last + 1 < len(self.starts) and self.flags[c.last + 1] & SUB_AFTER
        return bool(before or after)

    def _free(self, index: int) -> _Count | None:
        c = self.counts[index]
        if self.used[index] or not c.usable or self._subset(c):
            return None
        return c

    def _stops(self, i: int) -> bool:
        """A token that no tie crosses."""
        return bool(
            self.flags[i] & (BREAK | BLOCK)
            or self.death_at[i] >= 0
            or (self.taken[i] and self.count_at[i] < 0)
        )

    # ----- tying

    def resolve(self) -> tuple[FigureValue, int, int] | None:
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
            elif d.first > 0 and self.flags[d.first - 1] & BLOCK:
                continue  # "deux drones abattus": not people
            elif d.word.alone == 1:
                bundles.append(_Bundle((FigureValue(1),), d.first, d.last, d.start, d.end))
            elif d.word.alone == 0:
                unknown.append(d)
        for first, last in self.zeros:
            s, e = self.starts[first], self.ends[last]
            bundles.append(_Bundle((FigureValue(0),), first, last, s, e))
        if not bundles:
            if not unknown:
                return None
            return FigureValue(self.g.unstated), unknown[0].start, unknown[0].end
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
            if d.word.active and nxt < len(self.starts) and self.flags[nxt] & OBJECT:
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
            if not self.flags[i] & FILLER or self._stops(i):
                return []
            i, skipped = i + 1, skipped + 1
        return []

    def _join_right(self, c: _Count, tied: list[_Count]) -> None:
        n = len(self.starts)
        while True:
            i, gap = c.last + 1, 0
            while i < n and not self.flags[i] & JOIN:
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
            if i < 1 or not self.flags[i] & JOIN:
                return
            i -= 1
            limit = _GROUP_GAP_PEOPLE if self.flags[i] & PEOPLE else _GROUP_GAP
            gap = 0
            while i >= 0 and self.count_at[i] < 0:
                if self._stops(i) or self.flags[i] & JOIN or gap >= limit:
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
            if c.last + 1 < n and self.flags[c.last + 1] & PEOPLE:
                continue  # "5 civilians according to ...": other people, not an estimate
            lo, hi = max(0, c.first - _NEAR_GAP), min(n, c.last + 1 + _NEAR_GAP)
            if any(self.flags[i] & ALT_NEAR for i in range(lo, hi) if not c.first <= i <= c.last):
                self.used[index] = True
                found.append(_Bundle((c.value,), c.first, c.last, c.start, c.end, alternative=True))
        return found

    def _combine(self, bundles: Sequence[_Bundle]) -> tuple[FigureValue, int, int]:
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
                    self.flags[i] & ALT_BETWEEN for i in range(groups[-1][-1].last + 1, b.first)
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
        return FigureValue(best, low, high), s, e


def _sum(values: Sequence[FigureValue], unstated: int) -> FigureValue:
    """Groups of one count added: "7 soldiers and 35 civilians" is 42; an unknown
    number added makes the sum a lower bound."""
    known = [v for v in values if not v.unknown]
    if not known:
        return FigureValue(unstated)
    best = sum(v.best for v in known)
    open_low = len(known) < len(values)
    low = None
    if open_low or any(v.low is not None for v in known):
        low = sum(v.best if v.low is None else v.low for v in known)
    open_high = open_low or any(v.low is not None and v.high is None for v in known)
    high = None
    if not open_high and any(v.high is not None for v in known):
        high = sum(v.best if v.high is None else v.high for v in known)
    return FigureValue(best, low, high)
