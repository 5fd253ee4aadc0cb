"""Engine, migrations and the ``Store`` facade that every other layer uses.

A SQLite file by default; any SQLAlchemy URL (``--db`` / ``TOCSIN_DB``), PostgreSQL
included. The schema is created and upgraded by Alembic migrations when the store opens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from tocsin.errors import StoreError
from tocsin.models import (
    LAYER_TOCSIN,
    AnnotationRef,
    Annotations,
    Document,
    Event,
    EventFilter,
    Forecast,
    SourcedReport,
)
from tocsin.store import annotation_queries, event_queries, forecast_queries, queries
from tocsin.store.alert_queries import AlertQueries
from tocsin.store.brief_queries import BriefQueries
from tocsin.store.event_queries import EventListQueries
from tocsin.store.map_queries import MapQueries
from tocsin.store.outbox_queries import OutboxQueries
from tocsin.store.review_queries import ReviewQueries
from tocsin.store.risk_queries import RiskQueries
from tocsin.store.search_queries import SearchQueries
from tocsin.store.subscriber_queries import SubscriberQueries
from tocsin.store.user_queries import UserQueries

_MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


if TYPE_CHECKING:
    from alembic.config import Config


def _alembic_config(conn: Connection) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def _normalise_url(url: str) -> str:
    if "://" not in url:  # a bare path means a SQLite file
        return f"sqlite:///{url}"
    return url


def head_revision() -> str:
    """The newest migration: the highest ``NNNN`` of ``versions/NNNN_*.py`` (each file's
    ``revision`` is its number; a test checks this against Alembic's own head)."""
    return max(p.name[:4] for p in (_MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def _stored_revision(conn: Connection) -> str | None:
    """The database's revision, read without importing Alembic (0.25 s a command)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row is not None else None


def _upgrade(conn: Connection) -> None:
    from alembic import command

    command.upgrade(_alembic_config(conn), "head")


def open_store(url: str) -> Store:
    """Open (and create or upgrade) the database at ``url``."""
    url = _normalise_url(url)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        with engine.begin() as conn:
            if _stored_revision(conn) != head_revision():
                _upgrade(conn)
    except SQLAlchemyError as exc:
        reason = str(exc).splitlines()[0]
        raise StoreError(
            f"{url}: cannot open the database ({reason}); check --db / TOCSIN_DB"
        ) from exc
    return Store(engine)


class Store(
    RiskQueries,
    AlertQueries,
    OutboxQueries,
    SubscriberQueries,
    BriefQueries,
    UserQueries,
    ReviewQueries,
    SearchQueries,
    EventListQueries,
    MapQueries,
):
    """Every read and write of Tocsin's objects goes through here. The act stage's
    methods (risk, assets and alerts, outbox, subscribers, briefs) live in the mixins
    beside their queries."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sources: set[str] = set()  # ids known to be stored: saves a query per document

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    # documents -----------------------------------------------------------
    def find_by_hash(self, content_hash: str) -> str | None:
        with self.engine.connect() as conn:
            return queries.find_by_hash(conn, content_hash)

    def find_by_url(self, url: str) -> str | None:
        with self.engine.connect() as conn:
            return queries.find_by_url(conn, url)

    def save_document(
        self, doc: Document, *, minhash: bytes | None, replaces: str | None = None
    ) -> bool:
        """Write a document and its comments in one transaction; False if it was there.

        ``replaces``: the root of a copy chain that turned out to be younger than ``doc``;
        it and its copies are linked to ``doc`` in the same transaction.
        """
        known = doc.source.id in self._sources
        try:
            with self.transaction() as conn:
                queries.save_document(conn, doc, minhash=minhash, source_known=known)
                if replaces:
                    queries.relink_copies(conn, replaces, doc.id)
        except IntegrityError:
            return False  # another process stored the same content first
        self._sources.add(doc.source.id)
        return True

    def get_document(self, doc_id: str) -> Document | None:
        with self.engine.connect() as conn:
            return queries.get_document(conn, doc_id)

    def list_documents(
        self, *, limit: int = 50, offset: int = 0, language: str | None = None
    ) -> list[queries.DocumentRow]:
        with self.engine.connect() as conn:
            return queries.list_documents(conn, limit=limit, offset=offset, language=language)

    def published_of(self, doc_id: str) -> datetime | None:
        with self.engine.connect() as conn:
            return queries.published_of(conn, doc_id)

    def count_documents(self) -> int:
        with self.engine.connect() as conn:
            return queries.count_documents(conn)

    def iter_fingerprints(self) -> Iterator[tuple[str, str, str | None, bytes | None]]:
        with self.engine.connect() as conn:
            yield from queries.iter_fingerprints(conn)

    def add_comments(self, doc_id: str, comments: tuple[Any, ...]) -> int:
        """Add comments not yet stored for a document (a re-fetched page grew its thread)."""
        with self.transaction() as conn:
            return queries.add_comments(conn, doc_id, comments)

    # annotations ---------------------------------------------------------
    def save_annotations(self, ann: Annotations) -> int:
        """Replace a document's annotations (one transaction); rows written."""
        with self.transaction() as conn:
            return annotation_queries.save_annotations(conn, ann)

    def load_annotations(self, doc_id: str) -> Annotations | None:
        with self.engine.connect() as conn:
            return annotation_queries.load_annotations(conn, doc_id)

    def list_annotations(
        self, kind: str, *, document_id: str | None = None, limit: int = 10_000
    ) -> list[AnnotationRef]:
        with self.engine.connect() as conn:
            return annotation_queries.list_annotations(
                conn, kind, document_id=document_id, limit=limit
            )

    def stale_documents(self, version: str | None, *, limit: int | None = None) -> list[str]:
        """Documents not yet extracted by ``version`` (never, or by another version);
        every document when ``version`` is None."""
        with self.engine.connect() as conn:
            return annotation_queries.stale_documents(conn, version, limit=limit)

    def extractor_version_of(self, doc_id: str) -> str | None:
        with self.engine.connect() as conn:
            return annotation_queries.extractor_version_of(conn, doc_id)

    def save_extraction(self, ann: Annotations, forecasts: list[Forecast]) -> int:
        """A document's annotations and the forecasts they make, in one transaction."""
        with self.transaction() as conn:
            written = annotation_queries.save_annotations(conn, ann)
            forecast_queries.save_forecasts(conn, forecasts)
            return written

    # forecasts -----------------------------------------------------------
    def list_forecasts(
        self,
        *,
        due_before: date | None = None,
        holder: str | None = None,
        source: str | None = None,
        document_id: str | None = None,
    ) -> list[Forecast]:
        with self.engine.connect() as conn:
            return forecast_queries.list_forecasts(
                conn, due_before=due_before, holder=holder, source=source, document_id=document_id
            )

    def get_forecast(self, forecast_id: str) -> Forecast | None:
        with self.engine.connect() as conn:
            return forecast_queries.get_forecast(conn, forecast_id)

    def resolve_forecast(self, forecast_id: str, *, outcome: bool, evidence: str, on: date) -> bool:
        with self.transaction() as conn:
            return forecast_queries.resolve_forecast(
                conn, forecast_id, outcome=outcome, evidence=evidence, on=on
            )

    # events --------------------------------------------------------------
    def event_reports(self, *, document_ids: Iterable[str] | None = None) -> list[SourcedReport]:
        """Stored event reports (every one, or those of ``document_ids``) with where they
        come from: source, kind, reliability, copy, date and quote."""
        with self.engine.connect() as conn:
            return event_queries.sourced_reports(conn, document_ids=document_ids)

    def event_assignments(self, *, layer: str = LAYER_TOCSIN) -> dict[str, str]:
        """Report id -> event id, as the last save of ``layer`` left them."""
        with self.engine.connect() as conn:
            return event_queries.event_assignments(conn, layer=layer)

    def event_statuses(self, *, layer: str = LAYER_TOCSIN) -> dict[str, str]:
        """Event id -> status, for every event of ``layer``."""
        with self.engine.connect() as conn:
            return event_queries.event_statuses(conn, layer=layer)

    def save_events(self, events: Iterable[Event], *, layer: str = LAYER_TOCSIN) -> int:
        """Replace the events of ``layer`` and their report links in one transaction
        (whole or nothing); returns how many events were written."""
        with self.transaction() as conn:
            return event_queries.save_events(conn, events, layer=layer)

    def list_events(self, flt: EventFilter) -> list[Event]:
        """Events matching ``flt``, newest first, with their reports. An unknown country
        raises ``InputError``."""
        with self.engine.connect() as conn:
            return event_queries.list_events(conn, flt)

    def get_event(self, event_id: str) -> Event | None:
        """One event with its reports, from any layer (Tocsin's own first)."""
        with self.engine.connect() as conn:
            return event_queries.get_event(conn, event_id)

    def count_events(self, layer: str = LAYER_TOCSIN) -> int:
        with self.engine.connect() as conn:
            return event_queries.count_events(conn, layer=layer)

    # feeds ---------------------------------------------------------------
    def feed_state(self, url: str) -> queries.FeedState | None:
        with self.engine.connect() as conn:
            return queries.feed_state(conn, url)

    def save_feed_state(self, state: queries.FeedState) -> None:
        with self.transaction() as conn:
            queries.save_feed_state(conn, state)
