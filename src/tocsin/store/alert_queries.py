"""Queries for assets, alert rules and alerts (tables assets, alert_rules, alerts),
and the ``Store`` methods over them (mixed into ``Store``)."""

from __future__ import annotations

from sqlalchemy import Engine


class AlertQueries:
    """Store methods for assets, alert rules and alerts (tables assets, alert_rules, alerts)."""

    engine: Engine
