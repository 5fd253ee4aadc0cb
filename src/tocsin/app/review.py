"""The assessment over the whole store: claims across documents, graded sources and claims,
sourcing quality per document. Composes the ``assess`` stages with the store, as
``pipeline.py`` does for ingestion and extraction; the CLI and the web call it.

Claims are the one assessment made on read, here, not after each extraction batch with
the others (forecasts, events, risk, alerts: ``app/assessment.py``); making them
incremental is left to its own change. Everything here is recomputed from stored
documents, annotations and forecasts on demand, so a new document or a resolved
forecast changes the grades the next time they are asked for. A long-running process
(the web app) asks through :func:`cached_review`, which keeps the last review of each
store until the store's review version changes.

Two passes: sources first get their registry letters, claims are graded
with those, then each source's record (resolved forecasts, claims corroborated or
contradicted) adjusts its letter, and claims are graded again with the adjusted letters.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from typing import Any

from tocsin.assess.claims.register import ClaimIndex, statements_from
from tocsin.assess.forecasts import brier
from tocsin.assess.grading import (
    ClaimGrade,
    GradedClaim,
    GradedSource,
    Review,
    TrackRecord,
    grade_claim,
    grade_source,
)
from tocsin.extract.quality.scores import SourcingQuality, assess_quality
from tocsin.models import Annotations, Claim, Document, Source, Statement
from tocsin.store import Store

__all__ = [
    "REVIEWS",
    "GradedClaim",
    "GradedSource",
    "Review",
    "ReviewCache",
    "cached_review",
    "document_quality",
    "review",
]


def _extracted(store: Store, *, limit: int) -> list[tuple[Document, Annotations]]:
    pairs = []
    for row in store.list_documents(limit=limit):
        ann = store.load_annotations(row.id)
        doc = store.get_document(row.id) if ann is not None else None
        if doc is not None and ann is not None:
            pairs.append((doc, ann))
    return pairs


def review(store: Store, *, limit: int = 5_000) -> Review:
    """Claims and grades over the stored, extracted documents (newest ``limit``)."""
    pairs = _extracted(store, limit=limit)
    sources: dict[str, Source] = {}
    documents: dict[str, int] = defaultdict(int)
    statements: list[Statement] = []
    for doc, ann in pairs:
        sources[doc.source.id] = doc.source
        documents[doc.source.id] += 1
        statements.extend(statements_from(doc, ann, copy_of=doc.duplicate_of))
    index = ClaimIndex()
    index.add(statements)
    claims = index.claims()
    base = {sid: src.reliability for sid, src in sources.items()}
    first = [grade_claim(c, source_letters=base) for c in claims]
    records = _records(store, sources, claims, first)
    graded_sources = [
        GradedSource(src, grade_source(src, record=records[sid]), records[sid], documents[sid])
        for sid, src in sources.items()
    ]
    letters = {g.source.id: g.grade.letter for g in graded_sources}
    graded_claims = [GradedClaim(c, grade_claim(c, source_letters=letters)) for c in claims]
    graded_claims.sort(key=lambda g: (-len(g.claim.statements), g.grade.number, g.claim.id))
    graded_sources.sort(key=lambda g: (g.grade.letter, -g.documents, g.source.name))
    return Review(graded_claims, graded_sources)


def _records(
    store: Store, sources: dict[str, Source], claims: list[Claim], grades: list[ClaimGrade]
) -> dict[str, TrackRecord]:
    total: dict[str, int] = defaultdict(int)
    corroborated: dict[str, int] = defaultdict(int)
    contradicted: dict[str, int] = defaultdict(int)
    for claim, grade in zip(claims, grades, strict=True):
        if claim.independent < 2 and not claim.contradicted:
            continue  # no independent source reported it: neither corroborated nor contradicted
        for sid in {s.source_id for s in claim.statements}:
            total[sid] += 1
            if claim.contradicted:
                contradicted[sid] += 1
            elif claim.independent >= 2 or grade.number <= 2:
                corroborated[sid] += 1
    records = {}
    for sid in sources:
        forecasts = store.list_forecasts(source=sid)
        resolved = [f for f in forecasts if f.status in ("true", "false")]
        records[sid] = TrackRecord(
            forecasts_resolved=len(resolved),
            brier=brier(resolved),
            claims_corroborated=corroborated[sid],
            claims_contradicted=contradicted[sid],
            claims_total=total[sid],
        )
    return records


def document_quality(store: Store, doc_id: str) -> tuple[Document, SourcingQuality] | None:
    """The sourcing quality of one stored, extracted document's body."""
    doc = store.get_document(doc_id)
    ann = store.load_annotations(doc_id)
    if doc is None or ann is None:
        return None
    return doc, assess_quality(doc.text, ann, lang=doc.language)


class ReviewCache:
    """The last review of each store, kept until ``store.review_version()`` changes (a
    document, an extraction, a comment, a resolution or a source's letter). Thread-safe:
    one review is computed at a time; callers arriving meanwhile wait for it and share
    it. Stores are held weakly, so a closed and dropped store frees its review."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: weakref.WeakKeyDictionary[Store, tuple[Any, Review]] = (
            weakref.WeakKeyDictionary()
        )
        self.computed = 0  # reviews computed so far (for tests and benchmarks)

    def get(self, store: Store) -> Review:
        version = store.review_version()
        held = self._held.get(store)
        if held is not None and held[0] == version:
            return held[1]
        with self._lock:
            version = store.review_version()  # another thread may have just computed it
            held = self._held.get(store)
            if held is not None and held[0] == version:
                return held[1]
            found = review(store)
            self._held[store] = (version, found)
            self.computed += 1
            return found

    def clear(self) -> None:
        with self._lock:
            self._held.clear()


REVIEWS = ReviewCache()


def cached_review(store: Store) -> Review:
    """``review(store)``, computed again only when the store changed since the last call
    (see :class:`ReviewCache`)."""
    return REVIEWS.get(store)
