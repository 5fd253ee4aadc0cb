"""Queries for briefs as written (table briefs), and the ``Store`` methods over them (mixed into
``Store``)."""

from __future__ import annotations

from sqlalchemy import Engine


class BriefQueries:
    """Store methods for briefs as written (table briefs)."""

    engine: Engine
