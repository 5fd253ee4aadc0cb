"""Lean reads for the dashboard's map, timeline and home page (mixed into ``Store`` as
``MapQueries``): the events to draw (a handful of columns, newest first, capped, with
the number that matched), weekly counts per event type, the latest event date (the
default window ends there) and the headline counts.

The filters mean what they mean for ``events list`` (``EventFilter``): ``country`` is an
ISO code or an English or French name, ``event_type`` matches a type or a sub-type,
``actor`` an actor id or part of a name, dates bound ``event_date`` inclusively.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from tocsin.models import LAYER_TOCSIN, EventFilter
from tocsin.store.event_queries import event_conditions
from tocsin.store.tables import alerts, documents, events, risk_levels


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One event as the map draws it."""

    id: str
    event_type: str
    sub_event_type: str
    event_date: date | None
    lat: float
    lon: float
    location: str | None
    country: str | None
    admin1: str | None
    fatalities: int | None
    status: str


@dataclass(frozen=True, slots=True)
class MapPoints:
    """The events to draw (with coordinates), newest first; ``total`` is how many events
    match the filters, with coordinates or without; ``truncated`` whether the limit left
    some matching events out."""

    points: tuple[MapPoint, ...]
    total: int
    truncated: bool


@dataclass(frozen=True, slots=True)
class WeekCount:
    """How many events of ``event_type`` happened in the ISO week starting ``week``
    (a Monday)."""

    week: date
    event_type: str
    count: int


@dataclass(frozen=True, slots=True)
class Headline:
    """The home page's counts: events (Tocsin's layer), documents, alerts, and places
    whose latest level of some category is 4 or 5."""

    events: int
    documents: int
    alerts: int
    high_risk_places: int


def map_points(conn: Connection, flt: EventFilter, *, limit: int) -> MapPoints:
    """The newest ``limit`` events matching ``flt`` (undated last) that have coordinates,
    and how many events match ``flt``, with coordinates or not.

    At most ``limit`` + 1 rows are read, newest first; those without coordinates are
    counted, not drawn. The total is then known without a second query unless the limit
    cut the list; the count that follows reads only the index for a date window alone.
    """
    query = (
        select(
            events.c.id,
            events.c.event_type,
            events.c.sub_event_type,
            events.c.event_date,
            events.c.lat,
            events.c.lon,
            events.c.location,
            events.c.country,
            events.c.admin1,
            events.c.fatalities,
            events.c.status,
        )
        .where(*event_conditions(flt))
        .order_by(events.c.event_date.desc().nulls_last(), events.c.id)
        .limit(limit + 1)
    )
    rows = list(conn.execute(query))
    truncated = len(rows) > limit
    points = tuple(
        MapPoint(*row) for row in rows[:limit] if row.lat is not None and row.lon is not None
    )
    total = len(rows)
    if truncated:
        counted = select(func.count()).select_from(events).where(*event_conditions(flt))
        total = int(conn.execute(counted).scalar_one())
    return MapPoints(points=points, total=total, truncated=truncated)


def latest_event_date(conn: Connection, *, layer: str = LAYER_TOCSIN) -> date | None:
    query = select(func.max(events.c.event_date)).where(events.c.layer == layer)
    found: date | None = conn.execute(query).scalar_one()
    return found


def week_counts(conn: Connection, flt: EventFilter) -> list[WeekCount]:
    """Events matching ``flt`` per ISO week (starting Monday) and event type, oldest week
    first, types by name; undated events are left out. Counted per day in SQL (at most
    days x types rows), folded into weeks here, the same on every backend."""
    query = (
        select(events.c.event_date, events.c.event_type, func.count())
        .where(*event_conditions(flt), events.c.event_date.is_not(None))
        .group_by(events.c.event_date, events.c.event_type)
    )
    weeks: dict[tuple[date, str], int] = defaultdict(int)
    for day, event_type, count in conn.execute(query):
        weeks[(day - timedelta(days=day.weekday()), event_type)] += int(count)
    return [WeekCount(week, kind, n) for (week, kind), n in sorted(weeks.items())]


def _count(conn: Connection, query: Any) -> int:
    return int(conn.execute(query).scalar_one())


def headline(conn: Connection) -> Headline:
    """The counts of the home page, in one connection."""
    latest = (
        select(
            risk_levels.c.place_key,
            risk_levels.c.category,
            func.max(risk_levels.c.period_end).label("period_end"),
        )
        .group_by(risk_levels.c.place_key, risk_levels.c.category)
        .subquery()
    )
    high = (
        select(func.count(func.distinct(risk_levels.c.place_key)))
        .select_from(risk_levels)
        .join(
            latest,
            (risk_levels.c.place_key == latest.c.place_key)
            & (risk_levels.c.category == latest.c.category)
            & (risk_levels.c.period_end == latest.c.period_end),
        )
        .where(risk_levels.c.level >= 4)
    )
    return Headline(
        events=_count(
            conn, select(func.count()).select_from(events).where(events.c.layer == LAYER_TOCSIN)
        ),
        documents=_count(conn, select(func.count()).select_from(documents)),
        alerts=_count(conn, select(func.count()).select_from(alerts)),
        high_risk_places=_count(conn, high),
    )


class MapQueries:
    """Store methods behind the map, the timeline and the home page."""

    engine: Engine

    def map_points(self, flt: EventFilter, *, limit: int) -> MapPoints:
        """Of the newest ``limit`` events matching ``flt`` (its own ``limit`` ignored),
        those with coordinates; and how many events match ``flt``."""
        with self.engine.connect() as conn:
            return map_points(conn, flt, limit=limit)

    def latest_event_date(self, *, layer: str = LAYER_TOCSIN) -> date | None:
        """The date of the newest dated event of ``layer`` (None when there is none)."""
        with self.engine.connect() as conn:
            return latest_event_date(conn, layer=layer)

    def week_counts(self, flt: EventFilter) -> list[WeekCount]:
        """Events matching ``flt`` per ISO week and event type, oldest first."""
        with self.engine.connect() as conn:
            return week_counts(conn, flt)

    def headline(self) -> Headline:
        """Counts of events, documents, alerts and high-risk places."""
        with self.engine.connect() as conn:
            return headline(conn)
