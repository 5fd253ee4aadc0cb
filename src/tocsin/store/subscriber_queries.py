"""Queries for digest subscribers (table subscribers), and the ``Store`` methods over
them (mixed into ``Store``).

A subscriber is one row per email address. Adding an address that is there already
updates its name, language and areas and keeps its id, token and creation time, so the
unsubscribe links already sent keep working.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from tocsin.models import Subscriber
from tocsin.store.columns import object_of, utc
from tocsin.store.tables import outbox, subscribers


def _subscriber(row: Any) -> Subscriber:
    return object_of(
        Subscriber,
        row,
        areas=tuple(json.loads(row.areas)),
        active=bool(row.active),
        created=utc(row.created),
    )


def get_subscriber(conn: Connection, email: str) -> Subscriber | None:
    row = conn.execute(select(subscribers).where(subscribers.c.email == email)).first()
    return _subscriber(row) if row is not None else None


def add_subscriber(conn: Connection, subscriber: Subscriber) -> Subscriber:
    """Insert ``subscriber``, or update the one with its email (name, language, areas,
    active) keeping its id, token and creation time; returns the stored subscriber."""
    known = get_subscriber(conn, subscriber.email)
    values = {
        "name": subscriber.name,
        "lang": subscriber.lang,
        "areas": json.dumps(list(subscriber.areas), ensure_ascii=False),
        "active": subscriber.active,
    }
    if known is None:
        created = subscriber.created or datetime.now(UTC)
        conn.execute(
            insert(subscribers).values(
                id=subscriber.id,
                email=subscriber.email,
                token=subscriber.token,
                created=created,
                **values,
            )
        )
    else:
        conn.execute(update(subscribers).where(subscribers.c.email == known.email).values(values))
    stored = get_subscriber(conn, subscriber.email)
    assert stored is not None  # written just above, in this transaction
    return stored


def list_subscribers(conn: Connection, *, active: bool | None = True) -> list[Subscriber]:
    """Subscribers by email: the active ones (``active=True``), the unsubscribed ones
    (False) or all (None)."""
    query = select(subscribers).order_by(subscribers.c.email)
    if active is not None:
        query = query.where(subscribers.c.active == active)
    return [_subscriber(row) for row in conn.execute(query)]


def get_subscriber_by_token(conn: Connection, token: str) -> Subscriber | None:
    row = conn.execute(select(subscribers).where(subscribers.c.token == token)).first()
    return _subscriber(row) if row is not None else None


def unsubscribe(conn: Connection, token: str) -> bool:
    """Mark the subscriber of ``token`` inactive; False when no subscriber has it (a
    second click on the same link is True again: the subscriber stays unsubscribed)."""
    done = conn.execute(
        update(subscribers).where(subscribers.c.token == token).values(active=False)
    )
    return bool(done.rowcount)


def remove_subscriber(conn: Connection, email: str) -> bool:
    done = conn.execute(delete(subscribers).where(subscribers.c.email == email))
    return bool(done.rowcount)


def last_digest_queued(conn: Connection) -> datetime | None:
    """When the newest digest message was put in the outbox (None: never); ``tocsin
    watch`` reads it to know whether the scheduled digest has gone out."""
    newest = conn.execute(select(func.max(outbox.c.created)).where(outbox.c.kind == "digest"))
    return utc(newest.scalar())


class SubscriberQueries:
    """Store methods for digest subscribers."""

    engine: Engine

    def add_subscriber(self, subscriber: Subscriber) -> Subscriber:
        """Add ``subscriber`` or update the one with its email (see ``add_subscriber``)."""
        with self.engine.begin() as conn:
            return add_subscriber(conn, subscriber)

    def get_subscriber(self, email: str) -> Subscriber | None:
        with self.engine.connect() as conn:
            return get_subscriber(conn, email)

    def list_subscribers(self, *, active: bool | None = True) -> list[Subscriber]:
        with self.engine.connect() as conn:
            return list_subscribers(conn, active=active)

    def get_subscriber_by_token(self, token: str) -> Subscriber | None:
        with self.engine.connect() as conn:
            return get_subscriber_by_token(conn, token)

    def unsubscribe(self, token: str) -> bool:
        with self.engine.begin() as conn:
            return unsubscribe(conn, token)

    def remove_subscriber(self, email: str) -> bool:
        with self.engine.begin() as conn:
            return remove_subscriber(conn, email)

    def last_digest_queued(self) -> datetime | None:
        with self.engine.connect() as conn:
            return last_digest_queued(conn)
