"""Finding documents: full-text search over titles, texts and reader comments, the
filtered and paged list of documents, and the labels (title, source) other pages show
for documents and sources. Mixed into ``Store``.

Search runs on what migration 0007 built: SQLite's FTS5 table ``search_text`` (with
``search_parts`` saying which document body or comment each row is), PostgreSQL's GIN
indexes on ``to_tsvector``. The user's query never reaches either as syntax: it is cut
into words (:func:`tocsin.text.snippets.words`), each quoted for FTS5 or handed to
``plainto_tsquery``, so quotes, ``AND``, ``*``, ``NEAR`` or brackets are plain words and
cannot raise. Every word must match (AND), without case or diacritics ("Segou" finds
"Ségou"; on PostgreSQL where the ``unaccent`` extension was available at migration).
Hits come newest document first, the body before its comments, and carry a snippet with
the matched words as offsets (never markup).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)

from tocsin.models import Precision, Source
from tocsin.store.columns import chunks, object_of, utc
from tocsin.store.queries import LISTED_COLUMNS, precise_day, source_from_row
from tocsin.store.tables import comments, documents, sources
from tocsin.text.snippets import Snippet, snippet, words

PG_CONFIG = "tocsin_search"  # the text search configuration of migration 0007
PG_TEXT_LIMIT = 250_000  # characters indexed per text (migration 0007)
_pg_configs: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching part of a document: its body (``part == "body"``; the title may be
    what matched) or one of its comments (``part`` is the comment id)."""

    document_id: str
    title: str | None
    source_id: str
    source: str  # the source's name
    published: datetime | None
    part: str
    snippet: Snippet


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits, how many parts match in all, and the words searched for."""

    terms: tuple[str, ...]
    hits: list[SearchHit]
    total: int


@dataclass(frozen=True, slots=True)
class DocumentItem:
    """One line of the document list: the document's metadata, not its text."""

    id: str
    title: str | None
    source_id: str
    source: str  # the source's name
    kind: str
    form: str  # "article" or "report"
    language: str | None
    published: datetime | None
    published_precision: Precision | None
    url: str | None
    comments: int
    duplicate_of: str | None

    @property
    def when(self) -> str:
        """The publication date as precise as it is known: 2025-11-04, 2025-11 or 2025."""
        return precise_day(self.published, self.published_precision)


@dataclass(frozen=True, slots=True)
class DocumentLabel:
    """What a page needs to name a document it links to."""

    id: str
    title: str | None
    source_id: str
    source: str
    published: datetime | None
    url: str | None


def fts5_query(terms: Sequence[str]) -> str:
    """An FTS5 MATCH expression requiring every word: each one a quoted string (a
    double quote inside is doubled), so none is read as an operator."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


# ---------------------------------------------------------------- search


def _labels(conn: Connection, ids: Sequence[str]) -> dict[str, DocumentLabel]:
    wanted = sorted(set(ids))
    found: dict[str, DocumentLabel] = {}
    for chunk in chunks(wanted):
        query = (
            select(
                documents.c.id,
                documents.c.title,
                documents.c.source_id,
                sources.c.name,
                documents.c.published,
                documents.c.url,
            )
            .join(sources, sources.c.id == documents.c.source_id)
            .where(documents.c.id.in_(chunk))
        )
        for r in conn.execute(query):
            found[r.id] = DocumentLabel(r.id, r.title, r.source_id, r.name, utc(r.published), r.url)
    return found


@dataclass(frozen=True, slots=True)
class _Row:
    document_id: str
    part: str
    title: str | None
    published: datetime | None
    source_id: str
    source: str


def _hit_row(document_id: str, part: str, labels: dict[str, DocumentLabel]) -> _Row:
    label = labels[document_id]
    return _Row(document_id, part, label.title, label.published, label.source_id, label.source)


SCAN_ORDER_FROM = 2_000  # matches from which the order index is walked (see _sqlite_hits)


def _sqlite_hits(conn: Connection, match: str, total: int, limit: int, offset: int) -> list[Any]:
    """A page of matching parts, newest document first. Few matches are read by rowid
    and sorted; many are found by walking ``ix_search_parts_order`` and keeping the
    matching ones, which stops after the page instead of sorting every match."""
    hint = "INDEXED BY ix_search_parts_order " if total >= SCAN_ORDER_FROM else ""
    query = text(
        "SELECT p.document_id AS document_id, coalesce(p.comment_id, 'body') AS part "
        f"FROM search_parts p {hint}"
        "WHERE p.id IN (SELECT rowid FROM search_text WHERE search_text MATCH :match) "
        "ORDER BY p.published DESC, p.document_id, p.position "
        "LIMIT :limit OFFSET :offset"
    )
    found = list(conn.execute(query, {"match": match, "limit": limit, "offset": offset}))
    labels = _labels(conn, [r.document_id for r in found])
    return [_hit_row(r.document_id, r.part, labels) for r in found if r.document_id in labels]


def _sqlite_total(conn: Connection, match: str) -> int:
    query = text("SELECT count(*) FROM search_text WHERE search_text MATCH :match")
    return int(conn.execute(query, {"match": match}).scalar_one())


def pg_config(conn: Connection) -> str:
    """The text search configuration the indexes were built with (migration 0007)."""
    engine = conn.engine
    if engine not in _pg_configs:
        found = conn.execute(
            text("SELECT count(*) FROM pg_ts_config WHERE cfgname = :name"), {"name": PG_CONFIG}
        ).scalar_one()
        _pg_configs[engine] = PG_CONFIG if found else "simple"
    return _pg_configs[engine]


def _pg_parts(conn: Connection, terms: Sequence[str]) -> Any:
    """Matching bodies and comments: (document_id, part, position) rows."""
    config = pg_config(conn)  # one of two fixed names, never user input
    regconfig: ColumnElement[Any] = literal_column(f"'{config}'::regconfig")
    wanted = func.plainto_tsquery(regconfig, " ".join(terms))
    body_vector: ColumnElement[Any] = literal_column(
        f"to_tsvector('{config}'::regconfig, left(coalesce(documents.title, '') || ' ' "
        f"|| documents.text, {PG_TEXT_LIMIT}))"
    )
    comment_vector: ColumnElement[Any] = literal_column(
        f"to_tsvector('{config}'::regconfig, left(comments.text, {PG_TEXT_LIMIT}))"
    )
    bodies = select(
        documents.c.id.label("document_id"),
        literal("body").label("part"),
        literal(-1).label("position"),
    ).where(body_vector.op("@@")(wanted))
    replies = select(
        comments.c.document_id.label("document_id"),
        comments.c.id.label("part"),
        comments.c.position.label("position"),
    ).where(comment_vector.op("@@")(wanted))
    return union_all(bodies, replies).subquery("found")


def _pg_hits(conn: Connection, terms: Sequence[str], limit: int, offset: int) -> list[Any]:
    found = _pg_parts(conn, terms)
    query = (
        select(
            found.c.document_id,
            found.c.part,
            documents.c.title,
            documents.c.published,
            documents.c.source_id,
            sources.c.name.label("source"),
        )
        .join(documents, documents.c.id == found.c.document_id)
        .join(sources, sources.c.id == documents.c.source_id)
        .order_by(
            documents.c.published.desc().nulls_last(),
            documents.c.id,
            found.c.position,
        )
        .limit(limit)
        .offset(offset)
    )
    return list(conn.execute(query))


def _pg_total(conn: Connection, terms: Sequence[str]) -> int:
    found = _pg_parts(conn, terms)
    return int(conn.execute(select(func.count()).select_from(found)).scalar_one())


def _texts(conn: Connection, rows: Sequence[Any]) -> dict[tuple[str, str], str]:
    """(document id, part) -> the text of that part, for the hits of one page."""
    bodies = sorted({r.document_id for r in rows if r.part == "body"})
    replies = sorted({r.part for r in rows if r.part != "body"})
    found: dict[tuple[str, str], str] = {}
    for chunk in chunks(bodies):
        query = select(documents.c.id, documents.c.text).where(documents.c.id.in_(chunk))
        found.update({(doc_id, "body"): body for doc_id, body in conn.execute(query)})
    for chunk in chunks(replies):
        query = select(comments.c.document_id, comments.c.id, comments.c.text).where(
            comments.c.id.in_(chunk)
        )
        found.update({(r.document_id, r.id): r.text for r in conn.execute(query)})
    return found


def search_documents(conn: Connection, query: str, *, limit: int, offset: int) -> SearchResult:
    terms = words(query)
    if not terms:
        return SearchResult(terms=(), hits=[], total=0)
    if conn.dialect.name == "postgresql":
        rows = _pg_hits(conn, terms, limit, offset)
        total = _pg_total(conn, terms)
    else:
        match = fts5_query(terms)
        total = _sqlite_total(conn, match)
        rows = _sqlite_hits(conn, match, total, limit, offset) if total > offset else []
    texts = _texts(conn, rows)
    hits = [
        SearchHit(
            document_id=r.document_id,
            title=r.title,
            source_id=r.source_id,
            source=r.source,
            published=utc(r.published),
            part=r.part,
            snippet=snippet(texts.get((r.document_id, r.part), ""), terms),
        )
        for r in rows
    ]
    return SearchResult(terms=terms, hits=hits, total=total)


# ---------------------------------------------------------------- document lists


def _document_conditions(language: str | None, source: str | None) -> list[Any]:
    where = []
    if language:
        where.append(documents.c.language == language.strip().lower())
    if source:
        where.append(documents.c.source_id == source.strip())
    return where


def list_document_rows(
    conn: Connection, *, language: str | None, source: str | None, limit: int, offset: int
) -> list[DocumentItem]:
    order = (documents.c.published.desc().nulls_last(), documents.c.id)
    # The page's ids first, from the indexes alone: a deep offset skips index entries,
    # not whole rows joined to their source.
    page_ids = (
        select(documents.c.id)
        .where(*_document_conditions(language, source))
        .order_by(*order)
        .limit(limit)
        .offset(offset)
        .scalar_subquery()
    )
    query = (
        select(*LISTED_COLUMNS, documents.c.source_id)
        .join(sources, sources.c.id == documents.c.source_id)
        .where(documents.c.id.in_(page_ids))
        .order_by(*order)
    )
    rows = list(conn.execute(query))
    counts: dict[str, int] = {}
    ids = [r.id for r in rows]
    if ids:
        numbers = (
            select(comments.c.document_id, func.count())
            .where(comments.c.document_id.in_(ids))
            .group_by(comments.c.document_id)
        )
        counts = {doc_id: int(n) for doc_id, n in conn.execute(numbers)}
    return [
        object_of(
            DocumentItem,
            r,
            published=utc(r.published),
            published_precision=Precision(r.published_precision) if r.published_precision else None,
            comments=counts.get(r.id, 0),
        )
        for r in rows
    ]


def count_document_rows(conn: Connection, *, language: str | None, source: str | None) -> int:
    query = (
        select(func.count()).select_from(documents).where(*_document_conditions(language, source))
    )
    return int(conn.execute(query).scalar_one())


class SearchQueries:
    """``Store`` methods for finding documents: full-text search, the filtered list,
    and labels of documents and sources for the pages that link to them."""

    engine: Engine

    def search_documents(self, query: str, *, limit: int = 20, offset: int = 0) -> SearchResult:
        """Parts (bodies and comments) matching every word of ``query``, newest document
        first, with snippets; an empty or word-less query finds nothing."""
        with self.engine.connect() as conn:
            return search_documents(conn, query, limit=limit, offset=offset)

    def list_document_rows(
        self,
        *,
        language: str | None = None,
        source: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[DocumentItem]:
        """A page of documents (newest first), of one language and/or one source id."""
        with self.engine.connect() as conn:
            return list_document_rows(
                conn, language=language, source=source, limit=limit, offset=offset
            )

    def count_document_rows(self, *, language: str | None = None, source: str | None = None) -> int:
        """How many documents :meth:`list_document_rows` pages through."""
        with self.engine.connect() as conn:
            return count_document_rows(conn, language=language, source=source)

    def list_sources(self) -> list[Source]:
        """Every stored source, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(sources).order_by(sources.c.name, sources.c.id))
            return [source_from_row(r) for r in rows]

    def sources_by_id(self, ids: Sequence[str]) -> dict[str, Source]:
        """The stored sources of these ids (unknown ids are left out)."""
        wanted = sorted(set(ids))
        found: dict[str, Source] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(wanted):
                query = select(sources).where(sources.c.id.in_(chunk))
                found.update({r.id: source_from_row(r) for r in conn.execute(query)})
        return found

    def document_labels(self, ids: Sequence[str]) -> dict[str, DocumentLabel]:
        """Title, source and date of these documents (unknown ids are left out)."""
        with self.engine.connect() as conn:
            return _labels(conn, ids)
