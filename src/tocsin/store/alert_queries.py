"""Queries for assets, alert rules and alerts (tables assets, alert_rules, alerts),
and the ``Store`` methods over them (mixed into ``Store``).

Tuples and quotes are JSON text; datetimes are UTC. Saving is an upsert by id (assets,
rules) or by key (alerts), written as "update the rows that are there, insert the
others" so that it reads the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

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
from tocsin.store.tables import alert_rules, alerts, assets

_CHUNK = 500  # ids per IN (...) list


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
    for chunk in _chunks(sorted(set(values))):
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
    return {
        "id": asset.id,
        "name": asset.name,
        "kind": asset.kind,
        "geometry": asset.geometry,
        "coords": _json([list(pair) for pair in asset.coords]),
        "radius_km": asset.radius_km,
        "tags": _json(list(asset.tags)),
        "created": asset.created or now,
    }


def _asset(row: Any) -> Asset:
    return Asset(
        id=row.id,
        name=row.name,
        kind=row.kind,
        geometry=row.geometry,
        coords=tuple((float(lat), float(lon)) for lat, lon in json.loads(row.coords)),
        radius_km=float(row.radius_km),
        tags=tuple(json.loads(row.tags)),
        created=_utc(row.created),
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
    return {
        "id": rule.id,
        "name": rule.name,
        "asset_id": rule.asset_id,
        "area": rule.area,
        "kinds": _json(list(rule.kinds)),
        "categories": _json(list(rule.categories)),
        "min_severity": rule.min_severity,
        "min_level": rule.min_level,
        "min_probability": rule.min_probability,
        "distance_km": rule.distance_km,
        "channels": _json(list(rule.channels)),
        "lang": rule.lang,
        "created": rule.created or now,
    }


def _rule(row: Any) -> AlertRule:
    return AlertRule(
        id=row.id,
        name=row.name,
        asset_id=row.asset_id,
        area=row.area,
        kinds=tuple(json.loads(row.kinds)),
        categories=tuple(json.loads(row.categories)),
        min_severity=int(row.min_severity),
        min_level=int(row.min_level),
        min_probability=float(row.min_probability),
        distance_km=float(row.distance_km),
        channels=tuple(json.loads(row.channels)),
        lang=row.lang,
        created=_utc(row.created),
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


def _quote_plain(quote: AlertQuote) -> dict[str, object]:
    return {
        "document_id": quote.document_id,
        "source": quote.source,
        "reliability": quote.reliability,
        "text": quote.text,
        "credibility": quote.credibility,
        "url": quote.url,
    }


def _alert_row(alert: Alert, now: datetime) -> dict[str, object]:
    return {
        "id": alert.id,
        "key": alert.key,
        "rule_id": alert.rule_id,
        "asset_id": alert.asset_id,
        "kind": alert.kind,
        "subject_id": alert.subject_id,
        "category": alert.category,
        "severity": alert.severity,
        "distance_km": alert.distance_km,
        "lat": alert.lat,
        "lon": alert.lon,
        "title": alert.title,
        "summary": alert.summary,
        "quotes": _json([_quote_plain(q) for q in alert.quotes]),
        "fingerprint": alert.fingerprint,
        "version": alert.version,
        "created": alert.created or now,
        "updated": alert.updated or alert.created or now,
    }


def _alert(row: Any) -> Alert:
    return Alert(
        id=row.id,
        key=row.key,
        rule_id=row.rule_id,
        kind=row.kind,
        subject_id=row.subject_id,
        severity=int(row.severity),
        title=row.title,
        summary=row.summary,
        fingerprint=row.fingerprint,
        version=int(row.version),
        asset_id=row.asset_id,
        category=row.category,
        distance_km=row.distance_km,
        lat=row.lat,
        lon=row.lon,
        quotes=tuple(AlertQuote(**q) for q in json.loads(row.quotes)),
        created=_utc(row.created),
        updated=_utc(row.updated),
    )


def save_alerts(conn: Connection, items: Iterable[Alert], *, now: datetime) -> int:
    rows = [_alert_row(alert, now) for alert in items]
    return _upsert(conn, alerts, "key", rows, keep="created")


def known_alerts(conn: Connection) -> dict[str, Alert]:
    return {row.key: _alert(row) for row in conn.execute(select(alerts))}


def _alert_filters(
    *,
    since: datetime | None,
    asset_id: str | None,
    rule_id: str | None,
    kind: str | None,
    min_severity: int | None,
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if since is not None:
        where.append(alerts.c.updated >= since)
    if asset_id is not None:
        where.append(alerts.c.asset_id == asset_id)
    if rule_id is not None:
        where.append(alerts.c.rule_id == rule_id)
    if kind is not None:
        where.append(alerts.c.kind == kind)
    if min_severity is not None:
        where.append(alerts.c.severity >= min_severity)
    return where


def list_alerts(
    conn: Connection,
    *,
    since: datetime | None = None,
    asset_id: str | None = None,
    rule_id: str | None = None,
    kind: str | None = None,
    min_severity: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Alert]:
    where = _alert_filters(
        since=since, asset_id=asset_id, rule_id=rule_id, kind=kind, min_severity=min_severity
    )
    query = select(alerts).where(*where).order_by(alerts.c.updated.desc(), alerts.c.key)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_alert(row) for row in conn.execute(query)]


def count_alerts(
    conn: Connection,
    *,
    since: datetime | None = None,
    asset_id: str | None = None,
    rule_id: str | None = None,
    kind: str | None = None,
    min_severity: int | None = None,
) -> int:
    where = _alert_filters(
        since=since, asset_id=asset_id, rule_id=rule_id, kind=kind, min_severity=min_severity
    )
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
        since: datetime | None = None,
        asset_id: str | None = None,
        rule_id: str | None = None,
        kind: str | None = None,
        min_severity: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Alert]:
        """Alerts, the most recently updated first (``offset`` and ``limit``: a page)."""
        with self.engine.connect() as conn:
            return list_alerts(
                conn, since=since, asset_id=asset_id, rule_id=rule_id, kind=kind,
                min_severity=min_severity, limit=limit, offset=offset,
            )  # fmt: skip

    def count_alerts(
        self,
        *,
        since: datetime | None = None,
        asset_id: str | None = None,
        rule_id: str | None = None,
        kind: str | None = None,
        min_severity: int | None = None,
    ) -> int:
        """How many alerts ``list_alerts`` would give without a limit."""
        with self.engine.connect() as conn:
            return count_alerts(
                conn, since=since, asset_id=asset_id, rule_id=rule_id, kind=kind,
                min_severity=min_severity,
            )  # fmt: skip

    def get_alert(self, alert_id: str) -> Alert | None:
        with self.engine.connect() as conn:
            return get_alert(conn, alert_id)
