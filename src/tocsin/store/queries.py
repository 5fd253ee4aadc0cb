"""Queries over the tables; each takes a connection, so the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from tocsin.models import Comment, Document, Form, Kind, Precision, Source
from tocsin.store.columns import object_of, utc
from tocsin.store.tables import comments, documents, feeds, sources


def _precision(value: str | None) -> Precision | None:
    return Precision(value) if value else None


def precise_day(published: datetime | None, precision: object, *, missing: str = "") -> str:
    """A date written as precisely as it is known: 2025-11-04, 2025-11 or 2025."""
    if published is None:
        return missing
    day = published.date().isoformat()
    return {"month": day[:7], "year": day[:4]}.get(str(precision), day)


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One line of ``docs list``."""

    id: str
    title: str | None
    source: str
    kind: str
    form: str  # "article" or "report"
    language: str | None
    published: datetime | None
    published_precision: Precision | None
    url: str | None
    origin: str
    comments: int
    duplicate_of: str | None

    @property
    def when(self) -> str:
        """The publication date as precise as it is known: 2025-11-04, 2025-11 or 2025."""
        return precise_day(self.published, self.published_precision, missing="no date")


@dataclass(frozen=True, slots=True)
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    last_error: str | None = None
    failures: int = 0


def find_by_hash(conn: Connection, content_hash: str) -> str | None:
    row = conn.execute(
        select(documents.c.id).where(documents.c.content_hash == content_hash)
    ).first()
    return row[0] if row else None


def find_by_url(conn: Connection, url: str) -> str | None:
    row = conn.execute(select(documents.c.id).where(documents.c.url == url).limit(1)).first()
    return row[0] if row else None


def _upsert_source(conn: Connection, src: Source) -> None:
    exists = conn.execute(select(sources.c.id).where(sources.c.id == src.id)).first()
    if exists:
        return
    conn.execute(
        sources.insert().values(
            id=src.id,
            name=src.name,
            domain=src.domain,
            kind=src.kind.value,
            language=src.language,
            reliability=src.reliability,
            reliability_reason=src.reliability_reason,
        )
    )


def _comment_rows(doc_id: str, items: Iterable[Comment], start: int) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "document_id": doc_id,
            "position": start + i,
            "parent_id": c.parent_id,
            "author": c.author,
            "posted": utc(c.posted),
            "posted_precision": c.posted_precision.value if c.posted_precision else None,
            "language": c.language,
            "text": c.text,
        }
        for i, c in enumerate(items)
    ]


def save_document(
    conn: Connection, doc: Document, *, minhash: bytes | None, source_known: bool = False
) -> None:
    """Insert a document and its comments; the caller's transaction makes it all or nothing.
    A document already there raises ``IntegrityError`` (same id or same content hash)."""
    if not source_known:
        _upsert_source(conn, doc.source)
    conn.execute(
        documents.insert().values(
            id=doc.id,
            source_id=doc.source.id,
            url=doc.url,
            origin=doc.origin,
            title=doc.title,
            author=doc.author,
            published=utc(doc.published),
            published_precision=doc.published_precision.value if doc.published_precision else None,
            language=doc.language,
            kind=doc.kind.value,
            form=doc.form.value,
            text=doc.text,
            content_hash=doc.content_hash,
            minhash=minhash,
            duplicate_of=doc.duplicate_of,
            fetched_at=utc(doc.fetched_at),
        )
    )
    rows = _comment_rows(doc.id, doc.comments, 0)
    if rows:
        conn.execute(comments.insert(), rows)


def add_comments(conn: Connection, doc_id: str, items: tuple[Comment, ...]) -> int:
    known = set(
        conn.execute(select(comments.c.id).where(comments.c.document_id == doc_id)).scalars()
    )
    fresh = [c for c in items if c.id not in known]
    if not fresh:
        return 0
    start = conn.execute(
        select(func.coalesce(func.max(comments.c.position), -1)).where(
            comments.c.document_id == doc_id
        )
    ).scalar_one()
    conn.execute(comments.insert(), _comment_rows(doc_id, fresh, int(start) + 1))
    return len(fresh)


def source_from_row(row: Any) -> Source:
    """A ``sources`` row as a ``Source``."""
    return object_of(Source, row, kind=Kind(row.kind))


def get_document(conn: Connection, doc_id: str) -> Document | None:
    row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
    if row is None:
        return None
    src = conn.execute(select(sources).where(sources.c.id == row.source_id)).one()
    thread = conn.execute(
        select(comments).where(comments.c.document_id == doc_id).order_by(comments.c.position)
    ).all()
    return Document(
        id=row.id,
        source=source_from_row(src),
        text=row.text,
        content_hash=row.content_hash,
        fetched_at=utc(row.fetched_at) or datetime.now(UTC),
        url=row.url,
        title=row.title,
        author=row.author,
        published=utc(row.published),
        published_precision=_precision(row.published_precision),
        language=row.language,
        kind=Kind(row.kind),
        duplicate_of=row.duplicate_of,
        origin=row.origin,
        form=Form(row.form),
        comments=tuple(
            object_of(
                Comment,
                c,
                posted=utc(c.posted),
                posted_precision=_precision(c.posted_precision),
            )
            for c in thread
        ),
    )


# What a line of a document list shows (joined to ``sources`` for the source's name).
LISTED_COLUMNS = (
    documents.c.id,
    documents.c.title,
    sources.c.name.label("source"),
    documents.c.kind,
    documents.c.form,
    documents.c.language,
    documents.c.published,
    documents.c.published_precision,
    documents.c.url,
    documents.c.duplicate_of,
)


def list_documents(
    conn: Connection, *, limit: int, offset: int, language: str | None
) -> list[DocumentRow]:
    counts = (
        select(comments.c.document_id, func.count().label("n"))
        .group_by(comments.c.document_id)
        .subquery()
    )
    query = (
        select(*LISTED_COLUMNS, documents.c.origin, func.coalesce(counts.c.n, 0).label("n"))
        .join(sources, sources.c.id == documents.c.source_id)
        .outerjoin(counts, counts.c.document_id == documents.c.id)
        .order_by(documents.c.published.desc(), documents.c.id)
        .limit(limit)
        .offset(offset)
    )
    if language:
        query = query.where(documents.c.language == language)
    return [
        object_of(
            DocumentRow,
            r,
            published=utc(r.published),
            published_precision=_precision(r.published_precision),
            comments=int(r.n),
        )
        for r in conn.execute(query)
    ]


def published_of(conn: Connection, doc_id: str) -> datetime | None:
    row = conn.execute(select(documents.c.published).where(documents.c.id == doc_id)).first()
    return utc(row[0]) if row else None


def relink_copies(conn: Connection, old_root: str, new_root: str) -> None:
    """``new_root`` turned out to be the original: the old root and its copies point at it."""
    conn.execute(
        documents.update()
        .where((documents.c.id == old_root) | (documents.c.duplicate_of == old_root))
        .values(duplicate_of=new_root)
    )


def count_documents(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(documents)).scalar_one())


def iter_fingerprints(conn: Connection) -> Iterator[tuple[str, str, str | None, bytes | None]]:
    """(id, content hash, duplicate_of, MinHash signature) of every document."""
    query = select(
        documents.c.id, documents.c.content_hash, documents.c.duplicate_of, documents.c.minhash
    )
    for row in conn.execute(query):
        yield row.id, row.content_hash, row.duplicate_of, row.minhash


def feed_state(conn: Connection, url: str) -> FeedState | None:
    row = conn.execute(select(feeds).where(feeds.c.url == url)).first()
    if row is None:
        return None
    return FeedState(
        url=row.url,
        etag=row.etag,
        last_modified=row.last_modified,
        last_polled=utc(row.last_polled),
        last_error=row.last_error,
        failures=row.failures,
    )


def save_feed_state(conn: Connection, state: FeedState) -> None:
    values = {
        "etag": state.etag,
        "last_modified": state.last_modified,
        "last_polled": utc(state.last_polled),
        "last_error": state.last_error,
        "failures": state.failures,
    }
    if conn.execute(select(feeds.c.url).where(feeds.c.url == state.url)).first():
        conn.execute(feeds.update().where(feeds.c.url == state.url).values(**values))
    else:
        conn.execute(feeds.insert().values(url=state.url, **values))
