"""Queries for risk levels (table risk_levels), and the ``Store`` methods over them (mixed into
``Store``)."""

from __future__ import annotations

from sqlalchemy import Engine


class RiskQueries:
    """Store methods for risk levels (table risk_levels)."""

    engine: Engine
