"""Queries for risk levels (table risk_levels), and the ``Store`` methods over them (mixed into
``Store``): save computed levels (upsert by place, category and period end), read the
latest level of each place and category, a place's history, and the places the
forecasts' sentences name (for risk from forecasts)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select

from tocsin.models import (
    RISK_CATEGORIES,
    PlaceRef,
    RiskContribution,
    RiskLevel,
    annotation_from_plain,
)
from tocsin.store.columns import chunks, object_of, row_of
from tocsin.store.tables import annotation_rows, forecasts, risk_levels

_SCOPE_ORDER = {"country": 0, "admin1": 1, "town": 2, "point": 3}
_CATEGORY_ORDER = {c: i for i, c in enumerate(RISK_CATEGORIES)}


def _row(level: RiskLevel, at: datetime) -> dict[str, object]:
    contributions = [asdict(c) for c in level.contributions]
    return row_of(
        level,
        risk_levels,
        contributions=json.dumps(contributions, ensure_ascii=False),
        computed_at=at,
    )


def _level(row: Any) -> RiskLevel:
    contributions = tuple(
        RiskContribution(
            kind=str(c["kind"]),
            ref_id=str(c["ref_id"]),
            weight=float(c["weight"]),
            summary=str(c["summary"]),
        )
        for c in json.loads(row.contributions)
    )
    return object_of(RiskLevel, row, contributions=contributions)


def _order(level: RiskLevel) -> tuple[int, str, int]:
    return (
        _SCOPE_ORDER.get(level.scope, 9),
        level.place_key,
        _CATEGORY_ORDER.get(level.category, 9),
    )


def save_risk_levels(conn: Connection, levels: Iterable[RiskLevel], *, at: datetime) -> int:
    """Insert the levels, replacing any stored for the same place, category and period
    end. Returns how many were written."""
    rows = []
    keys: dict[tuple[date, str], set[str]] = defaultdict(set)
    seen: set[tuple[str, str, date]] = set()
    for level in levels:
        key = (level.place_key, level.category, level.period_end)
        if key in seen:
            raise ValueError(f"risk level {key[0]} {key[1]} {key[2]} given twice")
        seen.add(key)
        keys[(level.period_end, level.category)].add(level.place_key)
        rows.append(_row(level, at))
    for (period_end, category), places in keys.items():
        for chunk in chunks(sorted(places)):
            conn.execute(
                delete(risk_levels).where(
                    risk_levels.c.period_end == period_end,
                    risk_levels.c.category == category,
                    risk_levels.c.place_key.in_(chunk),
                )
            )
    if rows:
        conn.execute(insert(risk_levels), rows)
    return len(rows)


def latest_risk_levels(
    conn: Connection,
    *,
    asof: date | None = None,
    country: str | None = None,
    scope: str | None = None,
    category: str | None = None,
) -> list[RiskLevel]:
    """The latest stored level of each place and category (period end on or before
    ``asof`` when given), filtered; countries, regions then towns, by place key and
    category."""
    latest = select(
        risk_levels.c.place_key,
        risk_levels.c.category,
        func.max(risk_levels.c.period_end).label("period_end"),
    )
    if asof is not None:
        latest = latest.where(risk_levels.c.period_end <= asof)
    if country is not None:
        latest = latest.where(risk_levels.c.country == country.upper())
    if scope is not None:
        latest = latest.where(risk_levels.c.scope == scope)
    if category is not None:
        latest = latest.where(risk_levels.c.category == category)
    sub = latest.group_by(risk_levels.c.place_key, risk_levels.c.category).subquery()
    query = select(risk_levels).join(
        sub,
        and_(
            risk_levels.c.place_key == sub.c.place_key,
            risk_levels.c.category == sub.c.category,
            risk_levels.c.period_end == sub.c.period_end,
        ),
    )
    return sorted((_level(row) for row in conn.execute(query)), key=_order)


def risk_history(conn: Connection, place_key: str, category: str) -> list[RiskLevel]:
    """Every stored level of one place and category, oldest period first."""
    query = (
        select(risk_levels)
        .where(risk_levels.c.place_key == place_key, risk_levels.c.category == category)
        .order_by(risk_levels.c.period_end)
    )
    return [_level(row) for row in conn.execute(query)]


def forecast_places(conn: Connection) -> dict[str, list[PlaceRef]]:
    """Forecast id -> the resolved places named inside its sentence, in text order."""
    ann = annotation_rows
    query = (
        select(forecasts.c.id, ann.c.document_id, ann.c.data)
        .join(
            ann,
            and_(
                ann.c.document_id == forecasts.c.document_id,
                ann.c.part == forecasts.c.part,
                ann.c.start >= forecasts.c.start,
                ann.c.end <= forecasts.c.end,
            ),
        )
        .where(ann.c.kind == "place")
        .order_by(forecasts.c.id, ann.c.start, ann.c.id)
    )
    found: dict[str, list[PlaceRef]] = defaultdict(list)
    for forecast_id, document_id, data in conn.execute(query):
        ref = annotation_from_plain(document_id, json.loads(data))
        if isinstance(ref, PlaceRef) and ref.resolved:
            found[forecast_id].append(ref)
    return dict(found)


class RiskQueries:
    """Store methods for risk levels (table risk_levels)."""

    engine: Engine

    def save_risk_levels(self, levels: Iterable[RiskLevel], *, at: datetime | None = None) -> int:
        """Save computed levels (one transaction), replacing those of the same place,
        category and period end; ``at`` is when they were computed (default: now)."""
        with self.engine.begin() as conn:
            return save_risk_levels(conn, levels, at=at or datetime.now(UTC))

    def latest_risk_levels(
        self,
        *,
        asof: date | None = None,
        country: str | None = None,
        scope: str | None = None,
        category: str | None = None,
    ) -> list[RiskLevel]:
        """The latest stored level of each place and category, as of ``asof``."""
        with self.engine.connect() as conn:
            return latest_risk_levels(
                conn, asof=asof, country=country, scope=scope, category=category
            )

    def risk_history(self, place_key: str, category: str) -> list[RiskLevel]:
        """Every stored level of one place and category, oldest first."""
        with self.engine.connect() as conn:
            return risk_history(conn, place_key, category)

    def forecast_places(self) -> dict[str, list[PlaceRef]]:
        """Forecast id -> the resolved places its sentence names, in text order."""
        with self.engine.connect() as conn:
            return forecast_places(conn)
