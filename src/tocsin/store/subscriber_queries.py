"""Queries for digest subscribers (table subscribers), and the ``Store`` methods over
them (mixed into ``Store``)."""

from __future__ import annotations

from sqlalchemy import Engine


class SubscriberQueries:
    """Store methods for digest subscribers."""

    engine: Engine
