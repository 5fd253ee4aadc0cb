"""Tocsin's events against a reference layer: one-to-one matching, best pairs first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from tocsin.assess.reference import MatchedPair, compare_layers
from tocsin.geo.distance import haversine_km
from tocsin.ingest.acled_csv import read_acled_csv
from tocsin.models import Event

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "acled_sample.csv"
DAY = date(2025, 9, 14)


def _event(
    event_id: str,
    *,
    day: int = 0,
    lat: float | None = 12.0,
    lon: float | None = -8.0,
    country: str = "ML",
    admin1: str | None = "Koulikoro",
    kind: tuple[str, str] = ("Battles", "Armed clash"),
    fatalities: int | None = None,
    layer: str = "tocsin",
) -> Event:
    return Event(
        id=event_id,
        event_type=kind[0],
        sub_event_type=kind[1],
        event_date=DAY + timedelta(days=day),
        time_precision=1,
        lat=lat,
        lon=lon,
        country=country,
        admin1=admin1,
        fatalities=fatalities,
        layer=layer,
    )


def _ids(comparison_pairs: tuple[MatchedPair, ...]) -> list[tuple[str, str, int]]:
    return [(p.own.id, p.reference.id, p.days) for p in comparison_pairs]


def test_haversine() -> None:
    assert round(haversine_km(0.0, 0.0, 1.0, 0.0), 3) == 111.195
    assert round(haversine_km(12.65, -8.0, 12.744, -8.072), 1) == 13.0  # Bamako - Kati
    assert haversine_km(14.0, 1.0, 14.0, 1.0) == 0.0


def test_whole_comparison() -> None:
    own = [
        _event("o-same", kind=("Violence against civilians", "Attack"), fatalities=3),
        _event("o-next-day", day=1, lat=13.0, fatalities=None),
        _event("o-far", lat=14.0),  # 222 km from every reference event
        _event("o-undated", lat=12.0),
        _event("o-burkina", country="BF"),
    ]
    own[3] = replace(own[3], event_date=None)
    reference = [
        _event("r-1", lon=-8.1, kind=("Violence against civilians", "Abduction/forced "
               "disappearance"), fatalities=3, layer="acled"),
        _event("r-2", lat=13.1, fatalities=0, layer="acled"),
        _event("r-3", day=3, layer="acled"),
    ]  # fmt: skip
    result = compare_layers(own, reference)
    assert _ids(result.pairs) == [("o-same", "r-1", 0), ("o-next-day", "r-2", 1)]
    assert [e.id for e in result.own_only] == ["o-far", "o-undated", "o-burkina"]
    assert [e.id for e in result.reference_only] == ["r-3"]
    distances = [round(p.km or 0, 2) for p in result.pairs]
    assert distances == [10.88, 11.12]
    assert result.figures() == {
        "matched": 2,
        "own_only": 3,
        "reference_only": 1,
        "recall": 2 / 3,
        "precision": 2 / 5,
        "event_type_agreement": 1.0,
        "sub_event_type_agreement": 0.5,
        "fatalities_agreement": 1.0,  # not reported counts as 0, as in ACLED
        "median_km": pytest.approx(10.998, abs=1e-3),
    }


def test_best_pairs_first() -> None:
    reference = [_event("r", layer="acled")]
    # the closer in time wins over the closer in space
    day_off = _event("o-day-off", day=1)
    far_same_day = _event("o-15km", lat=12.135)
    result = compare_layers([day_off, far_same_day], reference)
    assert _ids(result.pairs) == [("o-15km", "r", 0)]
    # on the same day, the closer in space
    near = _event("o-1km", lat=12.009)
    assert _ids(compare_layers([far_same_day, near], reference).pairs) == [("o-1km", "r", 0)]
    # at the same place and day, the one with the same event type
    other_type = _event("o-riot", kind=("Riots", "Mob violence"))
    same_type = _event("o-battle")
    pairs = compare_layers([other_type, same_type], reference).pairs
    assert _ids(pairs) == [("o-battle", "r", 0)]


def test_one_to_one() -> None:
    own = [_event("o-1"), _event("o-2", lat=12.05)]
    reference = [_event("r-1", lat=12.04), _event("r-2", lat=12.3)]
    result = compare_layers(own, reference)
    # o-2 and r-1 are the closest pair (1 km); o-1 then takes r-2 (33 km) only if km allows
    assert _ids(result.pairs) == [("o-2", "r-1", 0)]
    assert _ids(compare_layers(own, reference, km=40).pairs) == [
        ("o-2", "r-1", 0),
        ("o-1", "r-2", 0),
    ]


def test_window_and_radius() -> None:
    own = [_event("o", day=2)]
    reference = [_event("r")]
    assert compare_layers(own, reference).pairs == ()
    assert _ids(compare_layers(own, reference, days=2).pairs) == [("o", "r", 2)]
    far = [_event("o", lat=12.3)]
    assert compare_layers(far, reference).pairs == ()
    assert len(compare_layers(far, reference, km=40).pairs) == 1


def test_without_coordinates_same_admin1_same_day() -> None:
    reference = [_event("r", admin1="Ségou")]
    no_place = _event("o", lat=None, lon=None, admin1="SEGOU")
    result = compare_layers([no_place], reference)
    assert [(p.own.id, p.km) for p in result.pairs] == [("o", None)]
    assert result.median_km is None
    assert compare_layers([replace(no_place, admin1="Mopti")], reference).pairs == ()
    next_day = replace(no_place, event_date=DAY + timedelta(days=1))
    assert compare_layers([next_day], reference).pairs == ()
    assert compare_layers([replace(no_place, admin1=None)], reference).pairs == ()


def test_empty_layers() -> None:
    result = compare_layers([], [])
    assert result.figures() == {
        "matched": 0,
        "own_only": 0,
        "reference_only": 0,
        "recall": None,
        "precision": None,
        "event_type_agreement": None,
        "sub_event_type_agreement": None,
        "fatalities_agreement": None,
        "median_km": None,
    }


def test_many_events_all_found() -> None:
    # 600 events over 60 days and 3 countries, each matched by its shifted twin
    own, reference = [], []
    for n in range(600):
        block = n // 60  # ten blocks of 60 days, each its own country and latitude
        country = ("ML", "BF", "NE")[block % 3]
        lat = 10.0 + block // 3
        own.append(_event(f"o{n}", day=n % 60, lat=lat, country=country))
        reference.append(_event(f"r{n}", day=n % 60, lat=lat + 0.01, country=country))
    result = compare_layers(own, reference[::-1])
    assert sorted(_ids(result.pairs)) == sorted((f"o{n}", f"r{n}", 0) for n in range(600))
    assert result.recall == result.precision == 1.0


def test_against_the_sample_export() -> None:
    reference = read_acled_csv(SAMPLE).events
    by_id = {e.id: e for e in reference}
    own = [
        replace(by_id["MLI90001"], id="t1", layer="tocsin", fatalities=10),
        replace(by_id["MLI90002"], id="t2", layer="tocsin", event_date=date(2025, 9, 16)),
        replace(by_id["BFO90001"], id="t3", layer="tocsin", lat=14.2),  # 11 km off
        replace(by_id["NIG90003"], id="t4", layer="tocsin", country="ML"),  # wrong country
    ]
    result = compare_layers(own, reference)
    assert _ids(result.pairs) == [
        ("t1", "MLI90001", 0),
        ("t3", "BFO90001", 0),
        ("t2", "MLI90002", 1),
    ]
    assert len(result.reference_only) == 12
    assert [e.id for e in result.own_only] == ["t4"]
    figures = result.figures()
    assert (figures["recall"], figures["precision"]) == (3 / 15, 3 / 4)
    assert figures["fatalities_agreement"] == 2 / 3
