"""Queries for assets, alert rules and alerts (tables assets, alert_rules, alerts),
and the ``Store`` methods over them (mixed into ``Store``).

Tuples and quotes are JSON text; datetimes are UTC. Saving is an upsert by id (assets,
rules) or by key (alerts), written as "update the rows that are there, insert the
others" so that it reads the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, TypedDict, Unpack

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)

from tocsin.models import Alert, AlertQuote, AlertRule, Asset
from tocsin.store.columns import chunks, object_of, row_of, utc
from tocsin.store.tables import alert_rules, alerts, assets


def _now() -> datetime:
    return datetime.now(UTC)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _upsert(
    conn: Connection, table: Table, column: str, rows: list[dict[str, object]], *, keep: str
) -> int:
    """Update the rows whose ``column`` value is there (leaving ``keep`` as stored),
    insert the others; returns how many rows were written."""
    if not rows:
        return 0
    values = [str(row[column]) for row in rows]
    there: set[str] = set()
    for chunk in chunks(sorted(set(values))):
        there.update(
            conn.execute(select(table.c[column]).where(table.c[column].in_(chunk))).scalars()
        )
    fresh = [row for row in rows if row[column] not in there]
    for row in rows:
        if row[column] in there:
            changes = {k: v for k, v in row.items() if k not in (column, keep)}
            conn.execute(update(table).where(table.c[column] == row[column]).values(**changes))
    if fresh:
        conn.execute(insert(table), fresh)
    return len(rows)


# ---------------------------------------------------------------- assets


def _asset_row(asset: Asset, now: datetime) -> dict[str, object]:
    return row_of(
        asset,
        assets,
        coords=_json([list(pair) for pair in asset.coords]),
        tags=_json(list(asset.tags)),
        created=asset.created or now,
    )


def _asset(row: Any) -> Asset:
    return object_of(
        Asset,
        row,
        coords=tuple((float(lat), float(lon)) for lat, lon in json.loads(row.coords)),
        radius_km=float(row.radius_km),
        tags=tuple(json.loads(row.tags)),
        created=utc(row.created),
    )


def save_assets(conn: Connection, items: Iterable[Asset], *, now: datetime) -> int:
    rows = [_asset_row(asset, now) for asset in items]
    return _upsert(conn, assets, "id", rows, keep="created")


def list_assets(conn: Connection) -> list[Asset]:
    return [_asset(row) for row in conn.execute(select(assets).order_by(assets.c.id))]


def get_asset(conn: Connection, asset_id: str) -> Asset | None:
    row = conn.execute(select(assets).where(assets.c.id == asset_id)).first()
    return _asset(row) if row is not None else None


def remove_asset(conn: Connection, asset_id: str) -> bool:
    return conn.execute(delete(assets).where(assets.c.id == asset_id)).rowcount > 0


# ---------------------------------------------------------------- rules


def _rule_row(rule: AlertRule, now: datetime) -> dict[str, object]:
    return row_of(
        rule,
        alert_rules,
        kinds=_json(list(rule.kinds)),
        categories=_json(list(rule.categories)),
        channels=_json(list(rule.channels)),
        created=rule.created or now,
    )


def _rule(row: Any) -> AlertRule:
    return object_of(
        AlertRule,
        row,
        kinds=tuple(json.loads(row.kinds)),
        categories=tuple(json.loads(row.categories)),
        min_severity=int(row.min_severity),
        min_level=int(row.min_level),
        min_probability=float(row.min_probability),
        distance_km=float(row.distance_km),
        channels=tuple(json.loads(row.channels)),
        created=utc(row.created),
    )


def save_rules(conn: Connection, items: Iterable[AlertRule], *, now: datetime) -> int:
    rows = [_rule_row(rule, now) for rule in items]
    return _upsert(conn, alert_rules, "id", rows, keep="created")


def list_rules(conn: Connection) -> list[AlertRule]:
    query = select(alert_rules).order_by(alert_rules.c.id)
    return [_rule(row) for row in conn.execute(query)]


def get_rule(conn: Connection, rule_id: str) -> AlertRule | None:
    row = conn.execute(select(alert_rules).where(alert_rules.c.id == rule_id)).first()
    return _rule(row) if row is not None else None


def remove_rule(conn: Connection, rule_id: str) -> bool:
    return conn.execute(delete(alert_rules).where(alert_rules.c.id == rule_id)).rowcount > 0


# ---------------------------------------------------------------- alerts


def _alert_row(alert: Alert, now: datetime) -> dict[str, object]:
    return row_of(
        alert,
        alerts,
        quotes=_json([asdict(quote) for quote in alert.quotes]),
        created=alert.created or now,
        updated=alert.updated or alert.created or now,
    )


def _alert(row: Any) -> Alert:
    return object_of(
        Alert,
        row,
        severity=int(row.severity),
        version=int(row.version),
        quotes=tuple(AlertQuote(**q) for q in json.loads(row.quotes)),
        created=utc(row.created),
        updated=utc(row.updated),
    )


def save_alerts(conn: Connection, items: Iterable[Alert], *, now: datetime) -> int:
    rows = [_alert_row(alert, now) for alert in items]
    return _upsert(conn, alerts, "key", rows, keep="created")


def known_alerts(conn: Connection) -> dict[str, Alert]:
    return {row.key: _alert(row) for row in conn.execute(select(alerts))}


class AlertFilters(TypedDict, total=False):
    """What ``list_alerts`` and ``count_alerts`` select on; a filter left out (or None)
    selects every alert."""

    since: datetime | None  # updated at or after
    asset_id: str | None
    rule_id: str | None
    kind: str | None
    min_severity: int | None


def _alert_filters(filters: AlertFilters) -> list[ColumnElement[bool]]:
    if unknown := set(filters) - set(AlertFilters.__annotations__):
        raise TypeError(f"unknown alert filter(s): {', '.join(sorted(unknown))}")
    where: list[ColumnElement[bool]] = []
    if (since := filters.get("since")) is not None:
        where.append(alerts.c.updated >= since)
    if (asset_id := filters.get("asset_id")) is not None:
        where.append(alerts.c.asset_id == asset_id)
    if (rule_id := filters.get("rule_id")) is not None:
        where.append(alerts.c.rule_id == rule_id)
    if (kind := filters.get("kind")) is not None:
        where.append(alerts.c.kind == kind)
    if (min_severity := filters.get("min_severity")) is not None:
        where.append(alerts.c.severity >= min_severity)
    return where


def list_alerts(
    conn: Connection,
    *,
    limit: int | None = None,
    offset: int = 0,
    **filters: Unpack[AlertFilters],
) -> list[Alert]:
    query = (
        select(alerts)
        .where(*_alert_filters(filters))
        .order_by(alerts.c.updated.desc(), alerts.c.key)
    )
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_alert(row) for row in conn.execute(query)]


def count_alerts(conn: Connection, **filters: Unpack[AlertFilters]) -> int:
    where = _alert_filters(filters)
    return int(conn.execute(select(func.count()).select_from(alerts).where(*where)).scalar_one())


def get_alert(conn: Connection, alert_id: str) -> Alert | None:
    row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
    return _alert(row) if row is not None else None


# ---------------------------------------------------------------- Store methods


class AlertQueries:
    """Store methods for assets, alert rules and alerts (tables assets, alert_rules, alerts)."""

    engine: Engine

    # assets ----------------------------------------------------------------
    def save_assets(self, items: Iterable[Asset], *, now: datetime | None = None) -> int:
        """Insert or replace assets by id (a replaced asset keeps its creation time)."""
        with self.engine.begin() as conn:
            return save_assets(conn, items, now=now or _now())

    def list_assets(self) -> list[Asset]:
        """Every asset, by id."""
        with self.engine.connect() as conn:
            return list_assets(conn)

    def get_asset(self, asset_id: str) -> Asset | None:
        with self.engine.connect() as conn:
            return get_asset(conn, asset_id)

    def remove_asset(self, asset_id: str) -> bool:
        """Remove an asset; False when there was none with that id."""
        with self.engine.begin() as conn:
            return remove_asset(conn, asset_id)

    # rules -----------------------------------------------------------------
    def save_rules(self, items: Iterable[AlertRule], *, now: datetime | None = None) -> int:
        """Insert or replace rules by id (a replaced rule keeps its creation time)."""
        with self.engine.begin() as conn:
            return save_rules(conn, items, now=now or _now())

    def list_rules(self) -> list[AlertRule]:
        """Every rule, by id."""
        with self.engine.connect() as conn:
            return list_rules(conn)

    def get_rule(self, rule_id: str) -> AlertRule | None:
        with self.engine.connect() as conn:
            return get_rule(conn, rule_id)

    def remove_rule(self, rule_id: str) -> bool:
        """Remove a rule (its alerts stay, as a record); False when there was none."""
        with self.engine.begin() as conn:
            return remove_rule(conn, rule_id)

    # alerts ----------------------------------------------------------------
    def known_alerts(self) -> dict[str, Alert]:
        """Every stored alert by key: what matching compares fingerprints with."""
        with self.engine.connect() as conn:
            return known_alerts(conn)

    def save_alerts(self, items: Iterable[Alert], *, now: datetime | None = None) -> int:
        """Insert or replace alerts by key, in one transaction."""
        with self.engine.begin() as conn:
            return save_alerts(conn, items, now=now or _now())

    def list_alerts(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        **filters: Unpack[AlertFilters],
    ) -> list[Alert]:
        """Alerts, the most recently updated first (``offset`` and ``limit``: a page);
        ``filters``: since, asset_id, rule_id, kind, min_severity (see ``AlertFilters``)."""
        with self.engine.connect() as conn:
            return list_alerts(conn, limit=limit, offset=offset, **filters)

    def count_alerts(self, **filters: Unpack[AlertFilters]) -> int:
        """How many alerts ``list_alerts`` would give without a limit."""
        with self.engine.connect() as conn:
            return count_alerts(conn, **filters)

    def get_alert(self, alert_id: str) -> Alert | None:
        with self.engine.connect() as conn:
            return get_alert(conn, alert_id)
