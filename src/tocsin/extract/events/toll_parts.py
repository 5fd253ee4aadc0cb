"""The parts a clause's killed count is built from, for :mod:`tocsin.extract.events.fatalities`:
the figures (:class:`Count`) and death words (:class:`Death`) found in a clause, the
bundles tied from them (:class:`Bundle`), the windows of text around death words, and
groups of one count added up (:func:`sum_groups`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tocsin.extract.events.fatality_lexicon import DeathWord
from tocsin.extract.events.figures import FigureValue

_WINDOW = 200  # characters on each side of a death word where its figures can be
_SNAP = 40  # characters a window edge moves to reach a space


@dataclass(slots=True)
class Count:
    first: int  # token indexes
    last: int
    start: int  # offsets in the folded clause
    end: int
    value: FigureValue
    needs_noun: bool  # "un", "a", "aucun" and years: only before a person or a death word
    usable: bool = True


@dataclass(frozen=True, slots=True)
class Death:
    first: int
    last: int
    start: int
    end: int
    word: DeathWord


@dataclass(frozen=True, slots=True)
class Bundle:
    """One death word and the figures tied to it, a "no casualties", or an alternative."""

    values: tuple[FigureValue, ...]
    first: int  # token span
    last: int
    start: int  # offsets in the folded clause
    end: int
    total: bool = False
    alternative: bool = False


def death_windows(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
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


def sum_groups(values: Sequence[FigureValue], unstated: int) -> FigureValue:
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


def combine_bundles(
    bundles: Sequence[Bundle], unstated: int, *, apart: Callable[[int, int], bool]
) -> tuple[FigureValue, int, int]:
    """Bundles add up within a group; groups (tolls, alternatives, or bundles that
    ``apart`` says an alternative word separates) are estimates of the same deaths: the
    lowest is the best, the bounds span them all. Returns the value and its span."""
    groups: list[list[Bundle]] = []
    for b in bundles:
        if (
            groups
            and not b.alternative
            and not b.total
            and not groups[-1][0].total
            and not apart(groups[-1][-1].last, b.first)
        ):
            groups[-1].append(b)
        else:
            groups.append([b])
    values = [sum_groups([v for b in group for v in b.values], unstated) for group in groups]
    s, e = min(b.start for b in bundles), max(b.end for b in bundles)
    if len(values) == 1:
        return values[0], s, e
    best = min(v.best for v in values)
    low = min(v.best if v.low is None else v.low for v in values)
    high = max(v.best if v.high is None else v.high for v in values)
    return FigureValue(best, low, high), s, e
