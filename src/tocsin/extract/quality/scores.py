"""Sourcing quality of one document part: who is cited, and how the author writes.

:func:`assess_quality` reads a part (the body, or a comment) with its annotations:

* ``claims``: the claims of the part, one per :class:`Attribution` whose span lies
  in the text;
* ``anonymous_share``: the share of claims whose source is unnamed
  (``ANONYMOUS_KINDS``: an anonymous source, unnamed sources, unnamed experts);
* ``unattributed_share``: the share of claims in the author's own voice (kind
  "author": no source given);
* ``opinion``: the author's opinion and editorial markers ("à notre avis", "il est
  temps que", "scandale", "we believe", "clearly");
* ``loaded``: loaded or emotive wording ("hordes", "junte illégitime", "bloodbath");
* ``accusations``: sentences that accuse ("accuse", "complicité", "covering up",
  "behind the attack") and are in the author's own voice or have no attribution at
  all: accusations made without any source. Questions do not accuse.

The phrases are data (``knowledge/quality.toml``, per language). Words inside
quotation marks (« », “ ”, " ") are someone else's, reported, and count in no list.
Opinion and loaded spans are the words; an accusation's span is its sentence (the
claim of its attribution with the cue, or the sentence around it).

``score`` sums weighted penalties, 1.0 being clean sourcing and 0.0 the worst:
``WEIGHTS`` apply to the two shares and to the rate of each list per claim (capped
at one per claim). Everything is linear in the text: trie patterns, one pass for
quotation marks, one for sentence ends, bisection for the rest.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from tocsin.extract.quality.lexicon import QualityCues, QualityLexicon, load_quality_lexicon
from tocsin.models import Annotations, Attribution, Span
from tocsin.text.fold import fold_same

__all__ = [
    "ANONYMOUS_KINDS",
    "WEIGHTS",
    "QualityLexicon",
    "SourcingQuality",
    "assess_quality",
    "excerpts",
    "load_quality_lexicon",
]

ANONYMOUS_KINDS = frozenset({"anonymous", "unnamed_sources", "unnamed_experts"})
WEIGHTS = {  # penalties; they sum to 1.0
    "anonymous": 0.25,
    "unattributed": 0.15,
    "opinion": 0.20,
    "loaded": 0.20,
    "accusations": 0.20,
}
MAX_QUOTE = 2000  # characters: an opening mark not closed within this quotes nothing
MAX_SENTENCE = 600  # characters either side of an accusation when no sentence end is near
MAX_EXCERPT = 300  # characters of an excerpt

_OPEN = {"«": "»", "“": "”"}
_MARKS = re.compile(r'[«»“”"]')
_SENTENCE_END = re.compile(r"[.!?…]+[»”\"')\]]*(?=\s|$)|\n")


@dataclass(frozen=True, slots=True)
class SourcingQuality:
    """How one part is sourced and written. Spans point into that part."""

    claims: int
    anonymous_share: float
    unattributed_share: float
    opinion: tuple[Span, ...]
    loaded: tuple[Span, ...]
    accusations: tuple[Span, ...]
    score: float  # 1.0 clean sourcing ... 0.0 the worst

    @property
    def summary(self) -> str:
        """The findings in one line of words."""
        if self.claims == 0 and not (self.opinion or self.loaded or self.accusations):
            return "no claims"
        return (
            f"{_n(self.claims, 'claim')}: {self.anonymous_share:.0%} from unnamed sources, "
            f"{self.unattributed_share:.0%} in the author's own voice; "
            f"{_n(len(self.opinion), 'opinion marker')}, "
            f"{_n(len(self.loaded), 'loaded word')}, "
            f"{_n(len(self.accusations), 'accusation')} without a source; "
            f"score {self.score:.2f}"
        )


def assess_quality(
    text: str,
    ann: Annotations,
    *,
    lang: str | None,
    part: str = "body",
    lexicon: QualityLexicon | None = None,
) -> SourcingQuality:
    """The sourcing quality of ``text``, the ``part`` of the document ``ann`` annotates."""
    text = text if isinstance(text, str) else ""
    n = len(text)
    doc = ann.document_id
    attributions = sorted(
        (
            a
            for a in ann.attributions
            if a.span.part == part and 0 <= a.span.start < a.span.end <= n
        ),
        key=lambda a: a.span.start,
    )
    claims = len(attributions)
    anonymous = sum(a.kind in ANONYMOUS_KINDS for a in attributions)
    author = sum(a.kind == "author" for a in attributions)
    if not text.strip():
        return _quality(0, 0, 0, (), (), ())

    cues = (lexicon or load_quality_lexicon()).for_language(lang)
    folded = fold_same(text)
    quotes = _quoted(text)
    skip = _merge(quotes + _found(cues, "ignore", folded))
    opinion = _outside(_found(cues, "opinion", folded), skip)
    loaded = _outside(_found(cues, "loaded", folded), skip)

    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    index = _Attributed(attributions)
    seen: set[tuple[int, int]] = set()
    accused: list[tuple[int, int]] = []
    for start, end in _outside(_found(cues, "accusations", folded), skip):
        hit = index.at(start)
        if hit is not None and hit.kind != "author":
            continue  # someone is named, or at least cited, as its source
        bounds = _bounds(hit) if hit is not None else _sentence(text, ends, start, end)
        if bounds in seen or text[bounds[0] : bounds[1]].rstrip(" \t\r\n»”\"')]").endswith("?"):
            continue
        seen.add(bounds)
        accused.append(bounds)

    def spans(found: list[tuple[int, int]]) -> tuple[Span, ...]:
        return tuple(Span(doc, part, s, e) for s, e in found)

    return _quality(claims, anonymous, author, spans(opinion), spans(loaded), spans(accused))


def excerpts(text: str, spans: tuple[Span, ...] | list[Span]) -> list[str]:
    """The words of each span, on one line, cut to ``MAX_EXCERPT`` characters."""
    out = []
    for span in spans:
        words = " ".join(text[max(0, span.start) : max(0, span.end)].split())
        out.append(words if len(words) <= MAX_EXCERPT else words[: MAX_EXCERPT - 1] + "…")
    return out


def _quality(
    claims: int,
    anonymous: int,
    author: int,
    opinion: tuple[Span, ...],
    loaded: tuple[Span, ...],
    accusations: tuple[Span, ...],
) -> SourcingQuality:
    anon = anonymous / claims if claims else 0.0
    unattributed = author / claims if claims else 0.0
    per = max(claims, 1)
    penalty = (
        WEIGHTS["anonymous"] * anon
        + WEIGHTS["unattributed"] * unattributed
        + WEIGHTS["opinion"] * min(1.0, len(opinion) / per)
        + WEIGHTS["loaded"] * min(1.0, len(loaded) / per)
        + WEIGHTS["accusations"] * min(1.0, len(accusations) / per)
    )
    score = round(max(0.0, min(1.0, 1.0 - penalty)), 4)
    return SourcingQuality(claims, anon, unattributed, opinion, loaded, accusations, score)


def _found(cues: QualityCues, key: str, folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in cues.patterns[key].finditer(folded)]


def _quoted(text: str) -> list[tuple[int, int]]:
    """The stretches inside quotation marks, marks included; one pass over the marks."""
    regions: list[tuple[int, int]] = []
    opened: tuple[str, int] | None = None
    for m in _MARKS.finditer(text):
        mark, at = m.group(), m.start()
        if opened is not None and at - opened[1] > MAX_QUOTE:
            opened = None  # never closed: it quotes nothing
        if opened is None:
            if mark in _OPEN or mark == '"':
                opened = (mark, at)
        elif mark == _OPEN.get(opened[0], '"'):
            regions.append((opened[1], at + 1))
            opened = None
    return regions


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(regions):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _outside(found: list[tuple[int, int]], skip: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The matches that overlap no ``skip`` region (sorted, disjoint)."""
    starts = [s for s, _ in skip]
    kept = []
    for start, end in found:
        i = bisect_right(starts, end - 1) - 1  # the last region starting before ``end``
        if i >= 0 and skip[i][1] > start:
            continue
        kept.append((start, end))
    return kept


def _sentence(text: str, ends: list[int], start: int, end: int) -> tuple[int, int]:
    """The sentence around ``start``..``end``: from the previous sentence end to the next."""
    i = bisect_right(ends, start)
    s = ends[i - 1] if i else 0
    e = ends[i] if i < len(ends) else len(text)
    s, e = max(s, start - MAX_SENTENCE), min(max(e, end), end + MAX_SENTENCE)
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    return s, e


def _bounds(attribution: Attribution) -> tuple[int, int]:
    span, cue = attribution.span, attribution.cue
    if cue is None:
        return span.start, span.end
    return min(span.start, cue.start), max(span.end, cue.end)


class _Attributed:
    """Which attribution covers an offset: its claim, or its cue."""

    def __init__(self, attributions: list[Attribution]) -> None:
        self._items = sorted(((*_bounds(a), a) for a in attributions), key=lambda t: t[0])
        self._starts = [s for s, _, _ in self._items]

    def at(self, offset: int) -> Attribution | None:
        i = bisect_right(self._starts, offset) - 1
        for j in range(i, max(i - 4, -1), -1):  # attributions are sentences: few overlap
            start, end, attribution = self._items[j]
            if start <= offset < end:
                return attribution
        return None


def _inside(span: Span, n: int) -> bool:
    return 0 <= span.start < span.end <= n


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
