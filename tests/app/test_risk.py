"""Risk levels over the store: forecasts located at the places their sentences name,
levels computed, saved and compared with the last saved ones; the store's risk queries
(on SQLite and, where the server is installed, a real PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from tocsin.app.risk import LocatedForecast, located_forecasts, update_risk
from tocsin.config import Settings
from tocsin.models import (
    Annotations,
    Document,
    Event,
    Forecast,
    PlaceRef,
    RiskContribution,
    RiskLevel,
    Source,
    Span,
)
from tocsin.store import Store, open_store

ASOF = date(2025, 12, 8)
SOURCE = Source(id="desk-example", name="Security Desk", reliability="B")
TEXT = (
    "Il est probable que les attaques contre les convois reprennent autour de Kati. "
    "Une crise politique au Mali est peu probable. "
    "La situation restera probablement confuse."
)
KATI_PLACE = dict(
    resolved=True, geonameid=2455558, name="Kati", lat=12.7446, lon=-8.0726, country="ML",
    admin1="Koulikoro", kind="town", precision=1,
)  # fmt: skip


def _span(sentence: str) -> Span:
    start = TEXT.index(sentence)
    return Span("doc1", "body", start, start + len(sentence))


def _place(word: str, **fields: object) -> PlaceRef:
    start = TEXT.index(word)
    return PlaceRef(Span("doc1", "body", start, start + len(word)), word, **fields)  # type: ignore[arg-type]


def _forecast(forecast_id: str, sentence: str, **fields: object) -> Forecast:
    values: dict[str, object] = {
        "id": forecast_id, "document_id": "doc1", "source_id": SOURCE.id, "span": _span(sentence),
        "proposition": sentence, "holder_kind": "author", "holder": None, "label": "likely",
        "low": 0.55, "high": 0.8, "deadline": date(2026, 3, 1), "made_on": date(2025, 12, 3),
    }  # fmt: skip
    values.update(fields)
    return Forecast(**values)  # type: ignore[arg-type]


SENTENCES = TEXT.split(". ")
FORECASTS = [
    _forecast("f-kati", SENTENCES[0]),
    _forecast("f-mali", SENTENCES[1] + ".", label="unlikely", low=0.2, high=0.45),
    _forecast("f-none", SENTENCES[2], deadline=date(2025, 12, 5)),
]


def event(event_id: str, *, days_ago: int = 0, **fields: object) -> Event:
    values: dict[str, object] = {
        "id": event_id, "event_type": "Battles", "sub_event_type": "Armed clash",
        "event_date": ASOF - timedelta(days=days_ago), "time_precision": 1, "location": "Kati",
        "geonameid": 2455558, "lat": 12.7446, "lon": -8.0726, "country": "ML",
        "admin1": "Koulikoro", "geo_precision": 1, "status": "confirmed",
    }  # fmt: skip
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def fill(store: Store) -> None:
    doc = Document(
        id="doc1", source=SOURCE, text=TEXT, content_hash="h-doc1",
        fetched_at=datetime(2025, 12, 3, tzinfo=UTC),
        published=datetime(2025, 12, 3, 8, tzinfo=UTC), origin="test",
    )  # fmt: skip
    assert store.save_document(doc, minhash=None)
    places = (
        _place("Kati", **KATI_PLACE),  # type: ignore[arg-type]
        _place(
            "Mali",
            resolved=True,
            geonameid=2453866,
            name="Mali",
            country="ML",
            kind="country",
            precision=3,
        ),
        _place("confuse", resolved=False, reason="not a place"),
    )
    store.save_extraction(Annotations("doc1", "v1", places=places), FORECASTS)


_TABLES = ("risk_levels", "event_reports", "events", "forecasts", "annotations",
           "extractions", "comments", "documents", "sources")  # fmt: skip


def _empty(store: Store) -> None:
    with store.transaction() as conn:
        for table in _TABLES:
            conn.execute(text(f"delete from {table}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened = open_store(str(tmp_path / "t.db"))
        yield opened
        opened.close()
        return
    opened = open_store(request.getfixturevalue("postgres_url"))
    _empty(opened)
    yield opened
    _empty(opened)  # the other PostgreSQL tests share this server
    opened.close()


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "t.db"))
    yield opened
    opened.close()


def test_forecasts_are_located_at_the_most_precise_place_named(lite: Store) -> None:
    fill(lite)
    found = {lf.forecast.id: lf for lf in located_forecasts(lite)}
    assert found["f-kati"] == LocatedForecast(
        FORECASTS[0], place="Kati", country="ML", admin1="Koulikoro", geonameid=2455558,
        lat=12.7446, lon=-8.0726,
    )  # fmt: skip
    assert found["f-mali"] == LocatedForecast(FORECASTS[1], place="Mali", country="ML")
    assert found["f-none"] == LocatedForecast(FORECASTS[2])
    assert [lf.forecast.id for lf in located_forecasts(lite, open_on=ASOF)] == ["f-kati", "f-mali"]
    assert located_forecasts(lite, open_on=date(2025, 12, 1)) == []  # made on 12-03


def test_update_saves_levels_and_reports_changes(lite: Store) -> None:
    fill(lite)
    lite.save_events([event("e1")])
    first = update_risk(lite, asof=ASOF)
    saved = lite.latest_risk_levels()
    assert saved == list(first.levels)
    kati = {lv.category: lv for lv in saved if lv.place_key == "town:2455558"}
    # the event (4 points x 0.75, no reports) and the "likely" forecast (0.675 x 6)
    assert (kati["conflict"].score, kati["conflict"].level) == (7.05, 3)
    assert [c.ref_id for c in kati["conflict"].contributions] == ["f-kati", "e1"]
    assert (kati["supply"].score, kati["supply"].level) == (4.05, 3)  # "convois"
    country = {lv.category: lv.score for lv in saved if lv.place_key == "country:ML"}
    assert country == {"conflict": 7.05, "supply": 4.05, "political": 1.95}
    assert {(c.level.place_key, c.level.category, c.before) for c in first.changes} == {
        ("country:ML", "conflict", None), ("country:ML", "supply", None),
        ("admin1:ML:Koulikoro", "conflict", None), ("admin1:ML:Koulikoro", "supply", None),
        ("town:2455558", "conflict", None), ("town:2455558", "supply", None),
    }  # political: minimal, new -> not a change  # fmt: skip
    again = update_risk(lite, asof=ASOF)
    assert again.changes == ()
    assert lite.latest_risk_levels() == saved
    lite.save_events([event("e1"), event("e2", fatalities=63, sub_event_type="Suicide bomb",
                                         event_type="Explosions/Remote violence")])  # fmt: skip
    worse = update_risk(lite, asof=ASOF)
    assert {(c.level.place_key, c.level.category, c.before, c.level.level) for c in worse.changes
            if c.level.category == "conflict"} == {
        ("country:ML", "conflict", 2, 3), ("admin1:ML:Koulikoro", "conflict", 2, 4),
        ("town:2455558", "conflict", 3, 5),
    }  # fmt: skip


def test_a_place_with_nothing_left_falls_to_minimal(lite: Store) -> None:
    lite.save_events([event("e1", fatalities=20)])
    update_risk(lite, asof=ASOF)
    later = ASOF + timedelta(days=70)
    update = update_risk(lite, asof=later, settings=Settings(risk_period_days=7))
    town = {(c.level.place_key, c.level.category): c for c in update.changes}
    change = town[("town:2455558", "conflict")]
    assert (change.before, change.level.level, change.level.score, change.level.trend) == (
        4, 1, 0.0, "down",
    )  # fmt: skip
    assert change.level.previous_level == 4
    assert lite.latest_risk_levels(asof=later, scope="town")[0].level == 1
    assert lite.latest_risk_levels(asof=ASOF, scope="town")[0].level == 4
    assert update_risk(lite, asof=later + timedelta(days=7)).levels == ()  # nothing to say


def _level(key: str, category: str, end: date, level: int, **fields: object) -> RiskLevel:
    scope = key.split(":")[0]
    values: dict[str, object] = {
        "place_key": key, "scope": scope, "name": key, "category": category, "level": level,
        "score": float(level), "period_start": end - timedelta(days=6), "period_end": end,
        "country": "ML", "trend": "new",
    }  # fmt: skip
    values.update(fields)
    return RiskLevel(**values)  # type: ignore[arg-type]


def test_risk_queries(store: Store) -> None:
    week1, week2 = date(2025, 12, 1), ASOF
    why = (RiskContribution("event", "e1", 0.75, "2025-12-01: Attack at Kati (confirmed)"),)
    levels = [
        _level("town:2455558", "conflict", week1, 3, contributions=why, geonameid=2455558,
               lat=12.7446, lon=-8.0726, admin1="Koulikoro"),
        _level("country:ML", "conflict", week1, 2),
        _level("country:SN", "crime", week1, 2, country="SN"),
        _level("admin1:ML:Koulikoro", "supply", week1, 2, admin1="Koulikoro"),
    ]  # fmt: skip
    assert store.save_risk_levels(levels) == 4
    # countries (by key), regions, towns
    assert store.latest_risk_levels() == [levels[1], levels[2], levels[3], levels[0]]
    replaced = replace(levels[1], level=4, score=40.0, trend="up", previous_level=2)
    newer = _level("country:ML", "conflict", week2, 5, previous_level=4, previous_score=40.0)
    assert store.save_risk_levels([replaced, newer]) == 2
    assert store.latest_risk_levels(asof=week1, category="conflict") == [replaced, levels[0]]
    assert store.latest_risk_levels(category="conflict") == [newer, levels[0]]
    assert store.latest_risk_levels(country="sn") == [levels[2]]
    assert store.latest_risk_levels(scope="admin1") == [levels[3]]
    assert store.latest_risk_levels(asof=date(2025, 11, 1)) == []
    assert store.risk_history("country:ML", "conflict") == [replaced, newer]
    assert store.risk_history("country:ML", "unrest") == []
    with pytest.raises(ValueError, match="given twice"):
        store.save_risk_levels([newer, newer])
