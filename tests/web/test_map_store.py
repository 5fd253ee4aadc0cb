"""The map's store queries (store/map_queries.py) on SQLite and on PostgreSQL: the lean
events with the cap and the total, weekly counts, the newest date, the headline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete

from tocsin.models import Event, EventFilter, RiskLevel
from tocsin.store import Store, open_store
from tocsin.store.map_queries import WeekCount
from tocsin.store.tables import risk_levels

LAYER = "maptest"  # a layer of its own: the PostgreSQL server is shared by the session
START = date(2025, 9, 1)  # a Monday


def _events() -> list[Event]:
    kinds = ("Battles", "Protests", "Riots")
    found = []
    for i in range(12):
        located = i % 4 != 3  # every fourth event has no coordinates
        found.append(
            Event(
                id=f"map{i:02d}",
                event_type=kinds[i % 3],
                sub_event_type="Armed clash" if i % 3 == 0 else "Peaceful protest",
                event_date=START + timedelta(days=2 * i) if i != 11 else None,
                time_precision=1,
                location=f"Town {i}",
                lat=12.0 + i / 10 if located else None,
                lon=-8.0 if located else None,
                country="ML" if i % 2 else "SN",
                admin1="Kayes" if i % 2 else "Dakar",
                fatalities=i,
                status="confirmed" if i % 5 == 0 else "reported",
                layer=LAYER,
            )
        )
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = str(tmp_path / "map.db")
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    opened = open_store(url)
    opened.save_events(_events(), layer=LAYER)
    yield opened
    opened.save_events([], layer=LAYER)
    opened.close()


def test_map_points_are_the_newest_located_events(store: Store) -> None:
    queries = store
    every = queries.map_points(EventFilter(layer=LAYER), limit=100)
    assert every.total == 12 and not every.truncated
    # newest first, the undated one last; those without coordinates are left out
    assert [p.id for p in every.points] == ["map10", "map09", "map08", "map06", "map05",
                                            "map04", "map02", "map01", "map00"]  # fmt: skip
    first = every.points[-1]
    assert (first.event_type, first.event_date, first.lat, first.lon) == (
        "Battles",
        START,
        12.0,
        -8.0,
    )
    capped = queries.map_points(EventFilter(layer=LAYER), limit=4)
    assert [p.id for p in capped.points] == ["map10", "map09", "map08"]  # map07 unlocated
    assert capped.truncated and capped.total == 12
    riots = queries.map_points(
        EventFilter(layer=LAYER, event_type="riots", country="Mali"), limit=100
    )
    assert [p.id for p in riots.points] == ["map05"] and riots.total == 2  # and map11


def test_week_counts_and_the_newest_date(store: Store) -> None:
    queries = store
    assert queries.latest_event_date(layer=LAYER) == START + timedelta(days=20)
    weeks = queries.week_counts(EventFilter(layer=LAYER))
    assert weeks == [
        WeekCount(START, "Battles", 2),
        WeekCount(START, "Protests", 1),
        WeekCount(START, "Riots", 1),
        WeekCount(START + timedelta(weeks=1), "Battles", 1),
        WeekCount(START + timedelta(weeks=1), "Protests", 1),
        WeekCount(START + timedelta(weeks=1), "Riots", 1),
        WeekCount(START + timedelta(weeks=2), "Battles", 1),
        WeekCount(START + timedelta(weeks=2), "Protests", 2),
        WeekCount(START + timedelta(weeks=2), "Riots", 1),
    ]
    since = queries.week_counts(EventFilter(layer=LAYER, since=START + timedelta(days=14)))
    assert sum(w.count for w in since) == 4


def test_headline_counts(store: Store) -> None:
    before = store.headline()
    level = RiskLevel(
        place_key="town:8888888",
        scope="town",
        name="Testville",
        category="crime",
        level=4,
        score=10.0,
        period_start=START,
        period_end=START + timedelta(days=6),
    )
    store.save_risk_levels([level])
    lower = replace(level, level=2, period_end=START + timedelta(days=13))
    try:
        assert store.headline().high_risk_places == before.high_risk_places + 1
        store.save_risk_levels([lower])  # the latest level is what counts
        assert store.headline().high_risk_places == before.high_risk_places
    finally:
        with store.transaction() as conn:
            conn.execute(delete(risk_levels).where(risk_levels.c.place_key == "town:8888888"))
