"""Queries for the outbox (table outbox),
and the ``Store`` methods over them (mixed into ``Store``).

A message goes pending -> sending (claimed, with a lease) -> sent, or back to pending
with a later ``next_attempt`` after a failure, or dead. Claiming is a conditional UPDATE
per message (``WHERE id = ? AND <still claimable>``): of two processes racing for the
same row only one sees a row count of 1, on SQLite (one writer at a time) and on
PostgreSQL (the second UPDATE waits for the first and re-checks its WHERE) alike. A
"sending" message whose lease has run out belongs to a process that died: it is
claimable again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict, Unpack

from sqlalchemy import ColumnElement, Connection, Engine, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tocsin.models import OutboxMessage
from tocsin.store.columns import chunks, object_of, row_of, utc
from tocsin.store.tables import outbox


def _stored(value: datetime | None) -> datetime | None:
    """A datetime as the columns hold it: UTC (SQLite keeps no offset, so always UTC)."""
    return None if value is None else utc(value)


def _message(row: Any) -> OutboxMessage:
    return object_of(
        OutboxMessage,
        row,
        next_attempt=utc(row.next_attempt),
        lease_until=utc(row.lease_until),
        sent_at=utc(row.sent_at),
        created=utc(row.created),
    )


def _row(message: OutboxMessage, *, now: datetime) -> dict[str, object]:
    """A new message's row: pending, never tried."""
    return row_of(
        message,
        outbox,
        status="pending",
        attempts=0,
        next_attempt=_stored(message.next_attempt),
        lease_until=None,
        sent_at=None,
        last_error=None,
        created=_stored(message.created or now),
    )


def enqueue_messages(conn: Connection, messages: Iterable[OutboxMessage], *, now: datetime) -> int:
    """Insert messages as pending; an id already in the outbox (in any state) is left as
    it is. Returns how many were inserted."""
    rows = {m.id: _row(m, now=now) for m in messages}
    if not rows:
        return 0
    dialect = conn.dialect.name
    inserted = 0
    values = list(rows.values())
    for chunk in chunks(values):
        if dialect in ("postgresql", "sqlite"):
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            stmt = insert(outbox).values(chunk).on_conflict_do_nothing().returning(outbox.c.id)
            inserted += len(conn.execute(stmt).all())
        else:  # another backend: skip the ids already there (no concurrent writer assumed)
            ids = [row["id"] for row in chunk]
            known = set(conn.scalars(select(outbox.c.id).where(outbox.c.id.in_(ids))))
            chunk = [row for row in chunk if row["id"] not in known]
            if not chunk:
                continue
            conn.execute(outbox.insert().values(chunk))
            inserted += len(chunk)
    return inserted


def _claimable(now: datetime) -> ColumnElement[bool]:
    due = and_(
        outbox.c.status == "pending",
        or_(outbox.c.next_attempt.is_(None), outbox.c.next_attempt <= now),
    )
    abandoned = and_(outbox.c.status == "sending", outbox.c.lease_until <= now)
    return or_(due, abandoned)


def due_ids(
    conn: Connection, *, now: datetime, limit: int, channels: Sequence[str] | None = None
) -> list[str]:
    """Ids of claimable messages, oldest first (a read; claiming re-checks each)."""
    now = utc(now) or now
    query = (
        select(outbox.c.id)
        .where(_claimable(now))
        .order_by(outbox.c.created, outbox.c.id)
        .limit(limit)
    )
    if channels is not None:
        query = query.where(outbox.c.channel.in_(list(channels)))
    return list(conn.scalars(query))


def claim(
    conn: Connection, ids: Sequence[str], *, now: datetime, lease_seconds: float
) -> list[OutboxMessage]:
    """Mark each of ``ids`` that is still claimable as sending, leased until now +
    ``lease_seconds``, one attempt more; returns the messages this call claimed."""
    now = utc(now) or now
    lease = now + timedelta(seconds=lease_seconds)
    won: list[str] = []
    for message_id in ids:
        result = conn.execute(
            update(outbox)
            .where(and_(outbox.c.id == message_id, _claimable(now)))
            .values(status="sending", lease_until=lease, attempts=outbox.c.attempts + 1)
        )
        if result.rowcount == 1:
            won.append(message_id)
    if not won:
        return []
    rows = conn.execute(select(outbox).where(outbox.c.id.in_(won)))
    by_id = {row.id: _message(row) for row in rows}
    return [by_id[i] for i in won]


def mark_sent(conn: Connection, message_id: str, *, at: datetime) -> bool:
    """A claimed message went out; False if it was no longer "sending" (another
    process took it over after the lease ran out and finished first)."""
    result = conn.execute(
        update(outbox)
        .where(and_(outbox.c.id == message_id, outbox.c.status == "sending"))
        .values(status="sent", sent_at=_stored(at), lease_until=None, last_error=None)
    )
    return result.rowcount == 1


def mark_failed(
    conn: Connection,
    message_id: str,
    *,
    error: str,
    next_attempt: datetime | None,
    dead: bool,
) -> bool:
    """A claimed message failed: dead, or pending again from ``next_attempt`` on."""
    result = conn.execute(
        update(outbox)
        .where(and_(outbox.c.id == message_id, outbox.c.status == "sending"))
        .values(
            status="dead" if dead else "pending",
            next_attempt=None if dead else _stored(next_attempt),
            lease_until=None,
            last_error=error,
        )
    )
    return result.rowcount == 1


def note_pending_error(conn: Connection, *, channel: str, error: str) -> int:
    """Record why pending messages of ``channel`` are not being sent (a missing setting);
    their attempts and schedule are left alone."""
    result = conn.execute(
        update(outbox)
        .where(and_(outbox.c.channel == channel, outbox.c.status == "pending"))
        .values(last_error=error)
    )
    return result.rowcount or 0


def requeue(conn: Connection, message_id: str, *, now: datetime) -> bool:
    """Give a dead (or pending) message a fresh start: pending, no attempts, due now."""
    result = conn.execute(
        update(outbox)
        .where(and_(outbox.c.id == message_id, outbox.c.status.in_(("dead", "pending"))))
        .values(status="pending", attempts=0, next_attempt=_stored(now), last_error=None)
    )
    return result.rowcount == 1


class OutboxFilters(TypedDict, total=False):
    """What ``list_outbox`` selects on, each a column's value; a filter left out (or
    None) selects every message."""

    status: str | None
    kind: str | None
    channel: str | None
    alert_id: str | None


def list_outbox(
    conn: Connection, *, limit: int | None = None, **filters: Unpack[OutboxFilters]
) -> list[OutboxMessage]:
    """Messages, newest first."""
    if unknown := set(filters) - set(OutboxFilters.__annotations__):
        raise TypeError(f"unknown outbox filter(s): {', '.join(sorted(unknown))}")
    query = select(outbox).order_by(outbox.c.created.desc(), outbox.c.id)
    for column, value in filters.items():
        if value is not None:
            query = query.where(outbox.c[column] == value)
    if limit is not None:
        query = query.limit(limit)
    return [_message(row) for row in conn.execute(query)]


def get_message(conn: Connection, message_id: str) -> OutboxMessage | None:
    row = conn.execute(select(outbox).where(outbox.c.id == message_id)).first()
    return None if row is None else _message(row)


def outbox_counts(conn: Connection) -> dict[str, int]:
    """Messages per status (every status present, 0 when none)."""
    counts = dict.fromkeys(("pending", "sending", "sent", "dead"), 0)
    for status, count in conn.execute(
        select(outbox.c.status, func.count()).group_by(outbox.c.status)
    ):
        counts[str(status)] = int(count)
    return counts


class OutboxQueries:
    """Store methods for the outbox."""

    engine: Engine

    def enqueue_messages(
        self, messages: Iterable[OutboxMessage], *, now: datetime | None = None
    ) -> int:
        """Queue messages (pending, due now unless ``next_attempt`` says later); ids
        already queued are ignored, so queueing twice queues once. Returns how many
        were new. ``created`` defaults to ``now`` (the clock when not given)."""
        with self.engine.begin() as conn:
            return enqueue_messages(conn, messages, now=now or datetime.now(UTC))

    def claim_due(
        self,
        *,
        now: datetime,
        limit: int,
        lease_seconds: float,
        channels: Sequence[str] | None = None,
    ) -> list[OutboxMessage]:
        """Claim up to ``limit`` messages due at ``now`` (pending and due, or sending with
        an expired lease), oldest first, optionally only of ``channels``: each is marked
        sending with a lease until now + ``lease_seconds`` and one attempt more. Two
        processes never claim the same message while its lease runs."""
        with self.engine.connect() as conn:
            ids = due_ids(conn, now=now, limit=limit, channels=channels)
        if not ids:
            return []
        with self.engine.begin() as conn:
            return claim(conn, ids, now=now, lease_seconds=lease_seconds)

    def mark_sent(self, message_id: str, *, at: datetime) -> bool:
        with self.engine.begin() as conn:
            return mark_sent(conn, message_id, at=at)

    def mark_failed(
        self, message_id: str, *, error: str, next_attempt: datetime | None, dead: bool
    ) -> bool:
        with self.engine.begin() as conn:
            return mark_failed(conn, message_id, error=error, next_attempt=next_attempt, dead=dead)

    def note_pending_error(self, *, channel: str, error: str) -> int:
        with self.engine.begin() as conn:
            return note_pending_error(conn, channel=channel, error=error)

    def requeue_message(self, message_id: str, *, now: datetime) -> bool:
        with self.engine.begin() as conn:
            return requeue(conn, message_id, now=now)

    def list_outbox(
        self, *, limit: int | None = None, **filters: Unpack[OutboxFilters]
    ) -> list[OutboxMessage]:
        """Messages, newest first; ``filters``: status, kind, channel, alert_id."""
        with self.engine.connect() as conn:
            return list_outbox(conn, limit=limit, **filters)

    def get_message(self, message_id: str) -> OutboxMessage | None:
        with self.engine.connect() as conn:
            return get_message(conn, message_id)

    def outbox_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return outbox_counts(conn)
