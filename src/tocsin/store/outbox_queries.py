"""Queries for the outbox (table outbox),
and the ``Store`` methods over them (mixed into ``Store``)."""

from __future__ import annotations

from sqlalchemy import Engine


class OutboxQueries:
    """Store methods for the outbox."""

    engine: Engine
