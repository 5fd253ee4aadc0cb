"""Figures: the value of a count phrase ("vingt-trois", "une dizaine de", "at least 12",
"between 10 and 15", "an unknown number of"), read with a language's fatality grammar.

``best`` is the figure to code; ``low``/``high`` are bounds the text states ("at least
12": low 12; "up to 12": high 12; a range: both), None when it states none. An unknown
number is best 0 with no bounds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tocsin.extract.events.fatality_lexicon import (
    MAX_VALUE,
    FatalityGrammar,
    FatalityLexicon,
    fold_text,
    normalise_phrase,
)

__all__ = ["FigureValue", "parse_count", "read_figure"]

_MEMO_SIZE = 4096


@dataclass(frozen=True, slots=True)
class FigureValue:
    """What a figure says: the figure to code, its stated bounds, or an unknown number."""

    best: int
    low: int | None = None
    high: int | None = None
    unknown: bool = False


def parse_count(
    words: str, *, lang: str, lexicon: FatalityLexicon
) -> tuple[int, int | None, int | None] | None:
    """``(best, low, high)`` for a count phrase ("vingt-trois", "une dizaine", "at least
    12", "between 10 and 15", "dozens"); None when the words are not a figure. An
    unknown number is ``(0, None, None)``."""
    grammar = lexicon.grammar(lang)
    if grammar is None:
        return None
    body = fold_text(words).strip()
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


def _evaluate(grammar: FatalityGrammar, match: re.Match[str]) -> tuple[FigureValue, int] | None:
    """The value of a count match and where it really ends (relative to its start)."""
    base = match.start()
    if match.group("open") is not None:
        first = _core_value(grammar, match.group("a"))
        second = _core_value(grammar, match.group("b"))
        if first is None or second is None or first[1] or second[1]:
            return None
        low, high = sorted((first[0], second[0]))
        return FigureValue(low, low, high), match.end() - base
    value = _core_value(grammar, match.group("c"))
    if value is None:
        return None
    n, unknown, used = value
    end = match.start("c") + used - base
    if unknown:
        return FigureValue(0, unknown=True), end
    if match.group("d") is not None and used == len(match.group("c")):
        other = _core_value(grammar, match.group("d"))
        if other is not None and not other[1] and other[2] == len(match.group("d")):
            low, high = sorted((n, other[0]))
            return FigureValue(low, low, high), match.end() - base
    bound = grammar.bounds.get(normalise_phrase(match.group("bound") or ""), "")
    if bound == "low":
        return FigureValue(n, n, None), end
    if bound == "high":
        return FigureValue(n, None, n), end
    return FigureValue(n), end


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
        said = normalise_phrase(m.group("vague"))
        for key in grammar.vague_keys:  # longest first: "plusieurs dizaines" before "plusieurs"
            if said == key or said.startswith(key + " "):
                return grammar.vague[key], False, len(text)
        return None
    if m.group("digits") is not None:
        value = int(re.sub(r"\D", "", text))
        return (value, False, len(text)) if value <= MAX_VALUE else None
    return _words_value(grammar, text)


def _words_value(grammar: FatalityGrammar, text: str) -> tuple[int, bool, int] | None:
    """Number words in order ("quatre-vingt-six", "one hundred and five"); stops at the
    first word that cannot follow ("trois vingt" is 3)."""
    total = current = 0
    last_small = 0  # the last word added below a hundred (0: none since the last multiplier)
    last_big = MAX_VALUE + 1
    used = 0
    seen = False
    for atom in grammar.atoms.finditer(text):
        value = grammar.numbers.get(normalise_phrase(atom.group()), -1)
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
    if not seen or value > MAX_VALUE:
        return None
    return value, False, used


def read_figure(grammar: FatalityGrammar, m: re.Match[str]) -> tuple[FigureValue, int, bool] | None:
    """A match of ``grammar.count``: its value, its real length and whether it needs a
    noun after it ("un", "a", "aucun", a year), remembered by its text."""
    key = m.group()
    memo = grammar.memo
    if key in memo:
        return memo[key]
    found: tuple[FigureValue, int, bool] | None = None
    evaluated = _evaluate(grammar, m)
    if evaluated is not None:
        value, length = evaluated
        core = m.group("c")
        needs_noun = len(key) == 4 and key.isdigit() and key[:2] in ("19", "20")
        if core is not None and m.group("bound") is None and m.group("d") is None:
            named = grammar.core.fullmatch(core)
            needs_noun = needs_noun or normalise_phrase(core) in grammar.articles
            needs_noun = needs_noun or (named is not None and named.group("none") is not None)
        found = (value, length, needs_noun)
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = found
    return found
