"""Claims: the same proposition asserted by several documents, in French or English.

:func:`statements_from` turns the claim sentences of a document (the claims of its
attributions, issue 3) into :class:`~tocsin.models.Statement` objects, each with its
stance (:func:`stance_of`, or "forecasts" when the sentence holds a judgment about the
future or a forecast horizon), the actors, places and dates it names, who says it, and
the sources it cites. :func:`relation` tells whether two statements assert the same
proposition, opposite ones, or different ones; :class:`ClaimIndex` groups many
statements into :class:`~tocsin.models.Claim` objects with their independent
corroboration and their contradictions, comparing only the statements that an index
puts side by side.

Statement text is the claim without its attribution cue ("selon l'AFP", "a déclaré le
ministre"): the encoder compares what is said. Its stance is read on the whole
attributed sentence, cue included, so that "le ministère a démenti que ..." denies.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from typing import Generic, TypeVar

from tocsin.assess.claims.index import ClaimIndex, independent_sources
from tocsin.assess.claims.relation import SAME, relation
from tocsin.assess.claims.stance import read_stance, stance_of
from tocsin.models import (
    ActorRef,
    Annotations,
    Document,
    Judgment,
    PlaceRef,
    Statement,
    TimeRef,
)

__all__ = [
    "SAME",
    "ClaimIndex",
    "independent_sources",
    "relation",
    "stance_of",
    "statements_from",
]

MIN_WORDS = 5  # a shorter claim is not worth grouping
CITING_KINDS = frozenset({"person", "organisation"})
_LONGEST = 400  # no annotation span is longer: bounds the overlap search
_Ref = TypeVar("_Ref", ActorRef, PlaceRef, TimeRef, Judgment)


class _Overlaps(Generic[_Ref]):
    """Annotations of one part sorted by start, to find those overlapping a span."""

    def __init__(self, refs: Sequence[_Ref], part: str) -> None:
        self.refs: list[_Ref] = sorted(
            (r for r in refs if r.span.part == part), key=lambda r: (r.span.start, r.span.end)
        )
        self.starts: list[int] = [r.span.start for r in self.refs]

    def within(self, start: int, end: int) -> list[_Ref]:
        lo = bisect_left(self.starts, start - _LONGEST)
        hi = bisect_left(self.starts, end)
        return [r for r in self.refs[lo:hi] if r.span.end > start and r.span.start < end]


def statements_from(
    doc: Document, ann: Annotations, *, copy_of: str | None = None
) -> list[Statement]:
    """One statement per claim of the document's body (claims under five words
    skipped), in text order."""
    part = "body"
    text = doc.text or ""
    lang = ann.languages.get(part) or doc.language
    actors = _Overlaps(ann.actors, part)
    places = _Overlaps(ann.places, part)
    times = _Overlaps(ann.times, part)
    judgments = _Overlaps(ann.judgments, part)
    seen: set[tuple[int, int]] = set()
    out: list[Statement] = []
    for attribution in sorted(ann.attributions, key=lambda a: (a.span.start, a.span.end)):
        span = attribution.span
        start, end = max(0, span.start), min(len(text), span.end)
        if span.part != part or end <= start or (start, end) in seen:
            continue
        seen.add((start, end))
        claim = text[start:end].strip()
        if len(claim.split()) < MIN_WORDS:
            continue
        lo, hi = start, end
        cue = attribution.cue
        if cue is not None and cue.part == part:
            lo, hi = max(0, min(lo, cue.start)), min(len(text), max(hi, cue.end))
        reading = read_stance(text[lo:hi], lang)
        stance = reading.stance
        ahead = any(j.future for j in judgments.within(lo, hi)) or any(
            t.kind == "horizon" for t in times.within(lo, hi)
        )
        if ahead and not reading.denial:
            stance = "forecasts"
        cites = (
            frozenset({attribution.source})
            if attribution.kind in CITING_KINDS and attribution.source
            else frozenset()
        )
        out.append(
            Statement(
                id="st-" + _digest(f"{doc.id}:{part}:{start}:{end}"),
                document_id=doc.id,
                source_id=doc.source.id,
                span=replace(span, start=start, end=end),
                text=claim,
                lang=lang,
                stance=stance,
                actors=frozenset(a.actor_id for a in actors.within(start, end)),
                places=frozenset(
                    p.geonameid
                    for p in places.within(start, end)
                    if p.resolved and p.geonameid is not None
                ),
                times=frozenset(t.value for t in times.within(start, end) if t.value),
                attribution=attribution.kind,
                copy_of=copy_of or doc.duplicate_of,
                cites=cites,
                published=doc.published,
            )
        )
    return out


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]
