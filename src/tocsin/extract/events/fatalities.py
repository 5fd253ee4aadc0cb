"""Fatalities: the number of people a clause reports killed, coded the ACLED way.

``find_fatalities`` ties figures ("12", "vingt-trois", "une dizaine de", "at least 86",
"between 10 and 15") to death words ("tués", "ont péri", "killed", "lost their lives")
before or after them, adds the groups of one count ("7 soldiers and 35 civilians were
killed": 42), reads "no casualties" as 0, counts the victims a kill verb names without a
figure ("killed a herder and his son": 2), keeps the wounded, the abducted, animals,
vehicles, distances, dates and figures in asides ("(coded at precision 2)") out, and takes
the lowest of differing figures as the best one
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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import islice

from tocsin.extract.events.fatality_lexicon import (
    ALT_BETWEEN,
    ALT_NEAR,
    BLOCK,
    BREAK,
    DET,
    END,
    FILLER,
    JOIN,
    LINK,
    MANY,
    MANY_HEAD,
    OBJECT,
    ONE,
    PEOPLE,
    PRE,
    SUB_AFTER,
    SUB_BEFORE,
    TOKEN,
    FatalityGrammar,
    FatalityLexicon,
    fold_text,
    normalise_phrase,
)
from tocsin.extract.events.figures import FigureValue, read_figure
from tocsin.extract.events.toll_parts import (
    Bundle,
    Count,
    Death,
    combine_bundles,
    death_windows,
)

__all__ = ["Fatalities", "find_fatalities"]

_BEFORE_GAP = 10  # tokens between a figure and the death word after it
_AFTER_GAP = 4  # filler tokens between a death word and the figure after it
_HEAD_GAP = 4  # tokens after a figure searched for a head noun that is not a death
_NEAR_GAP = 3  # tokens between a figure and a word that makes it an alternative
_GROUP_GAP = 2  # tokens between a figure and "et"/"and" joining the next group
_GROUP_GAP_PEOPLE = 5  # ... when the last of them names people ("3 Malian soldiers and")
_MAX_ANCHORS = 32  # death words and "no casualties" tied in one clause; a text with more is
# not a clause, and the bound keeps the work small whatever the length
_VICTIM_WORDS = 14  # tokens of one named victim ("a leader of the X faction of the Y")
_VICTIMS = 6  # named victims joined after one kill verb


@dataclass(frozen=True, slots=True)
class Fatalities:
    """The killed count of a clause; ``start``/``end`` are offsets in the text given."""

    best: int
    low: int | None
    high: int | None
    text: str
    start: int
    end: int


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
        self.folded = folded
        windows = death_windows(folded, [m.span() for m in (*zeros, *deaths)])
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
        self.deaths: list[Death] = []
        for m in deaths:
            span = self._span(m.start(), m.end())
            word = grammar.death_words.get(normalise_phrase(m.group()))
            if span is None or word is None or any(self.taken[span[0] : span[1] + 1]):
                continue
            for i in range(span[0], span[1] + 1):
                self.death_at[i] = len(self.deaths)
            self.deaths.append(Death(span[0], span[1], m.start(), m.end(), word))
            self._take(span)
        self.counts: list[Count] = []
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
        self.counts.append(Count(span[0], span[1], s, s + length, value, needs_noun))
        self._take(span)

    def _usable(self, c: Count) -> bool:
        """Whether the figure can count deaths: not a date, a year, a distance, the
        wounded ... and, for "un"/"a"/"aucun", followed by a person or a death word."""
        n = len(self.starts)
        if c.first > 0 and self.flags[c.first - 1] & PRE:
            return False
        if self._aside(c):
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
            if self.flags[i] & END:
                break  # "two civilians in the village": what follows is the place
        return True

    def _aside(self, c: Count) -> bool:
        """Whether the figure is inside parentheses that hold no death word ("(coded
        at geoprecision 2)"): a remark, not a toll."""
        folded = self.folded
        opened = folded.rfind("(", 0, c.start)
        if opened < 0 or folded.rfind(")", 0, c.start) > opened:
            return False
        closed = folded.find(")", c.end)
        closed = len(folded) if closed < 0 else closed
        return not any(opened < d.start < closed for d in self.deaths)

    def _subset(self, c: Count) -> bool:
        before = c.first > 0 and self.flags[c.first - 1] & SUB_BEFORE
        after = c.last + 1 < len(self.starts) and self.flags[c.last + 1] & SUB_AFTER
        return bool(before or after)

    def _free(self, index: int) -> Count | None:
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
        bundles: list[Bundle] = []
        unknown: list[Death] = []
        owner: dict[int, int] = {}  # token of a tied figure's end -> its bundle
        for d in self.deaths:
            tied = self._tie(d)
            named = self._named(d, tied)
            if named is not None:
                values, last = named
                s, e = self.starts[d.first], self.ends[last]
                bundles.append(Bundle(values, d.first, last, s, e))
            elif tied:
                first, last = min(d.first, tied[0].first), max(d.last, tied[-1].last)
                values = tuple(c.value for c in tied)
                s, e = self.starts[first], self.ends[last]
                owner.update((c.last, len(bundles)) for c in tied)
                bundles.append(Bundle(values, first, last, s, e, total=d.word.total))
            elif (at := owner.get(d.first - 1)) is not None:
                b = bundles[at]  # "le bilan est de 14 morts": "morts" joins the quote
                if d.last > b.last:
                    bundles[at] = replace(b, last=d.last, end=d.end)
            elif d.first > 0 and self.flags[d.first - 1] & BLOCK:
                continue  # "deux drones abattus": not people
            elif d.word.alone == 1:
                bundles.append(Bundle((FigureValue(1),), d.first, d.last, d.start, d.end))
            elif d.word.alone == 0:
                unknown.append(d)
        for first, last in self.zeros:
            s, e = self.starts[first], self.ends[last]
            bundles.append(Bundle((FigureValue(0),), first, last, s, e))
        if not bundles:
            if not unknown:
                return None
            return FigureValue(self.g.unstated), unknown[0].start, unknown[0].end
        bundles += self._alternatives(min(b.first for b in bundles))
        bundles.sort(key=lambda b: b.first)
        return self._combine(bundles)

    def _tie(self, d: Death) -> list[Count]:
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

    def _named(self, d: Death, tied: Sequence[Count]) -> tuple[tuple[FigureValue, ...], int] | None:
        """The victims a kill verb names without a figure, one value each, and the last
        token: "killed a herder" 1, "a exécuté un berger et son fils" 2, "killing him" 1,
        "ont tué des civils" unknown; None when it names none (or a figure was tied)."""
        if not d.word.after or d.word.total:
            return None
        if tied and not (len(tied) == 1 and tied[0].first == d.last + 1 and tied[0].needs_noun):
            return None  # a figure says it: "killed 12 soldiers"
        values: list[FigureValue] = []
        i, last = d.last + 1, -1
        n = len(self.starts)
        while i < n and len(values) < _VICTIMS:
            victim = self._victim(i, first=not values)
            if victim is None:
                break
            value, last = victim
            values.append(value)
            i = last + 1
            if not (i + 1 < n and self.flags[i] & JOIN):
                break
            i += 1
        if not values:
            return None
        return tuple(values), last

    def _victim(self, i: int, *, first: bool) -> tuple[FigureValue, int] | None:
        """One victim starting at token ``i`` ("a herder", "his two sons", "him"), its
        value and last token; None when nothing there names people."""
        n = len(self.starts)
        flags = self.flags
        value: FigureValue | None = None
        if self.count_at[i] >= 0:
            index = self.count_at[i]
            c = self.counts[index]
            if c.needs_noun and c.value.best == 1 and flags[i] & ONE:
                pass  # "a", "un": one victim, read below
            elif self._free(index) is not None and c.first == i and not first:
                value = c.value  # "... and two soldiers"
                self.used[index] = True
                i = c.last
            else:
                return None
        kind = flags[i] & (ONE | MANY | DET) if value is None else ONE
        if not kind or (not first and kind == DET and self._after_comma(i)):
            return None  # "killing a trader, the IED was ...": a new clause
        plain = self.count_at[i] < 0  # a determiner, not the article "a"
        j, head, linked, last = i + 1, -1, False, i
        while j < n and j - i <= _VICTIM_WORDS:
            f = flags[j]
            if f & (BREAK | END | JOIN | ALT_NEAR) or self.death_at[j] >= 0:
                break
            if self.count_at[j] >= 0:
                index = self.count_at[j]
                if linked or value is not None or self._free(index) is None:
                    break
                value = self.counts[index].value  # "his two sons"
                self.used[index] = True
                j = self.counts[index].last
            elif f & LINK:
                linked = True
            elif not linked:
                head = j
            last = j
            j += 1
        if head >= 0 and flags[head] & BLOCK:
            return None  # "killed a goat", "the following day": not people
        if value is not None:
            return value, last
        if head < 0:  # a pronoun: "killing him", "killing them"
            return (FigureValue(1) if kind & ONE else FigureValue(0, unknown=True)), last
        if kind & MANY or (plain and self._several(head)):
            return FigureValue(0, unknown=True), last
        return FigureValue(1), last

    def _after_comma(self, i: int) -> bool:
        return i > 0 and self.folded[self.starts[i - 1] : self.ends[i - 1]] == ","

    def _several(self, head: int) -> bool:
        """Whether a head noun names several people ("the chiefs", "the people")."""
        if self.flags[head] & MANY_HEAD:
            return True
        word = self.folded[self.starts[head] : self.ends[head]]
        return len(word) > 3 and any(word.endswith(e) for e in self.g.plural_endings)

    def _after(self, d: Death) -> list[Count]:
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

    def _join_right(self, c: Count, tied: list[Count]) -> None:
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

    def _before(self, d: Death) -> list[Count]:
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

    def _join_left(self, c: Count, tied: list[Count]) -> None:
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

    def _alternatives(self, after: int) -> list[Bundle]:
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
                found.append(Bundle((c.value,), c.first, c.last, c.start, c.end, alternative=True))
        return found

    def _combine(self, bundles: Sequence[Bundle]) -> tuple[FigureValue, int, int]:
        def apart(last: int, first: int) -> bool:  # an "or"/"selon" word between them
            return any(self.flags[i] & ALT_BETWEEN for i in range(last + 1, first))

        return combine_bundles(bundles, self.g.unstated, apart=apart)
