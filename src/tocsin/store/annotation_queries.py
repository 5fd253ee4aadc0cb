"""Annotations: written per document in one transaction, replacing the previous run's."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select

from tocsin.models import (
    ANNOTATION_KINDS,
    ActorRef,
    AnnotationRef,
    Annotations,
    Attribution,
    EventReport,
    Judgment,
    PlaceRef,
    TimeRef,
    annotation_from_plain,
    annotation_kind,
    annotation_to_plain,
)
from tocsin.store.tables import annotation_rows, documents, extractions


def _value(ref: AnnotationRef) -> str | None:
    """The resolved value, indexed so later stages can ask "every mention of JNIM"."""
    if isinstance(ref, ActorRef):
        return ref.actor_id
    if isinstance(ref, PlaceRef):
        return str(ref.geonameid) if ref.geonameid is not None else None
    if isinstance(ref, TimeRef):
        return ref.value
    if isinstance(ref, Judgment):
        return ref.label
    if isinstance(ref, EventReport):
        return ref.sub_event_type
    return ref.kind


def _refs(ann: Annotations) -> Iterable[AnnotationRef]:
    yield from ann.actors
    yield from ann.places
    yield from ann.times
    yield from ann.attributions
    yield from ann.judgments
    yield from ann.events


def save_annotations(conn: Connection, ann: Annotations, *, at: datetime | None = None) -> int:
    """Replace a document's annotations with ``ann``; returns how many rows were written."""
    conn.execute(delete(annotation_rows).where(annotation_rows.c.document_id == ann.document_id))
    conn.execute(delete(extractions).where(extractions.c.document_id == ann.document_id))
    conn.execute(
        insert(extractions).values(
            document_id=ann.document_id,
            extractor_version=ann.extractor_version,
            extracted_at=at or datetime.now(UTC),
            languages=json.dumps(ann.languages, sort_keys=True),
        )
    )
    rows = []
    for ref in _refs(ann):
        plain = annotation_to_plain(ref)
        span = ref.span
        rows.append(
            {
                "document_id": ann.document_id,
                "part": span.part,
                "kind": annotation_kind(ref),
                "start": span.start,
                "end": span.end,
                "value": _value(ref),
                "data": json.dumps(plain, ensure_ascii=False, sort_keys=True),
                "extractor_version": ann.extractor_version,
            }
        )
    if rows:
        conn.execute(insert(annotation_rows), rows)
    return len(rows)


def extractor_version_of(conn: Connection, doc_id: str) -> str | None:
    row = conn.execute(
        select(extractions.c.extractor_version).where(extractions.c.document_id == doc_id)
    ).first()
    return row[0] if row else None


def load_annotations(conn: Connection, doc_id: str) -> Annotations | None:
    """A document's stored annotations, or None when it was never extracted."""
    head = conn.execute(select(extractions).where(extractions.c.document_id == doc_id)).first()
    if head is None:
        return None
    found: dict[str, list[AnnotationRef]] = {kind: [] for kind in ANNOTATION_KINDS}
    query = (
        select(annotation_rows.c.kind, annotation_rows.c.data)
        .where(annotation_rows.c.document_id == doc_id)
        .order_by(annotation_rows.c.id)
    )
    for kind, data in conn.execute(query):
        found[kind].append(annotation_from_plain(doc_id, json.loads(data)))
    return Annotations(
        document_id=doc_id,
        extractor_version=head.extractor_version,
        languages=json.loads(head.languages),
        actors=tuple(r for r in found["actor"] if isinstance(r, ActorRef)),
        places=tuple(r for r in found["place"] if isinstance(r, PlaceRef)),
        times=tuple(r for r in found["time"] if isinstance(r, TimeRef)),
        attributions=tuple(r for r in found["attribution"] if isinstance(r, Attribution)),
        judgments=tuple(r for r in found["judgment"] if isinstance(r, Judgment)),
        events=tuple(r for r in found["event"] if isinstance(r, EventReport)),
    )


def stale_documents(
    conn: Connection, version: str | None, *, limit: int | None = None
) -> list[str]:
    """Ids of documents never extracted, or extracted by another extractor version
    (``version=None``: every document)."""
    query = (
        select(documents.c.id)
        .select_from(documents.outerjoin(extractions, extractions.c.document_id == documents.c.id))
        .order_by(documents.c.fetched_at, documents.c.id)
    )
    if version is not None:
        query = query.where(
            extractions.c.document_id.is_(None) | (extractions.c.extractor_version != version)
        )
    if limit is not None:
        query = query.limit(limit)
    return [row[0] for row in conn.execute(query)]


def list_annotations(
    conn: Connection, kind: str, *, document_id: str | None = None, limit: int = 10_000
) -> list[AnnotationRef]:
    """Stored annotations of one kind ("judgment", "actor", ...), in document order."""
    query = (
        select(annotation_rows.c.document_id, annotation_rows.c.data)
        .where(annotation_rows.c.kind == kind)
        .order_by(annotation_rows.c.document_id, annotation_rows.c.id)
        .limit(limit)
    )
    if document_id is not None:
        query = query.where(annotation_rows.c.document_id == document_id)
    return [annotation_from_plain(doc_id, json.loads(data)) for doc_id, data in conn.execute(query)]
