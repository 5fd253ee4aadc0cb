"""Areas: names resolved from the gazetteer, and what lies inside an area."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from tocsin.errors import InputError
from tocsin.geo.areas import EVERYWHERE, Area, resolve_area
from tocsin.geo.gazetteer import Gazetteer
from tocsin.models import Event, RiskLevel

BAMAKO = Area(
    name="Bamako", scope="town", country="ML", admin1="Bamako", geonameid=2460596,
    lat=12.65, lon=-8.0, radius_km=50.0,
)  # fmt: skip


@pytest.fixture(scope="module")
def gazetteer() -> Iterator[Gazetteer]:
    gaz = Gazetteer.load()
    yield gaz
    gaz.close()


def _event(**fields: object) -> Event:
    values: dict[str, object] = {
        "id": "e1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "event_date": date(2025, 12, 1),
        "time_precision": 1,
    }
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def test_resolves_codes_countries_regions_and_towns(gazetteer: Gazetteer) -> None:
    mali = Area(name="Mali", scope="country", country="ML")
    assert resolve_area("ML", gazetteer=gazetteer) == mali
    assert resolve_area("Mali", gazetteer=gazetteer) == mali
    assert resolve_area("country:ML", gazetteer=gazetteer) == mali
    assert resolve_area("Tchad", gazetteer=gazetteer) == Area(
        name="Chad", scope="country", country="TD"
    )
    koulikoro = resolve_area("Koulikoro", gazetteer=gazetteer)
    assert (koulikoro.scope, koulikoro.country, koulikoro.admin1) == ("admin1", "ML", "Koulikoro")
    assert koulikoro.key == "admin1:ML:Koulikoro"
    assert resolve_area("admin1:ML:Koulikoro", gazetteer=gazetteer).key == koulikoro.key
    assert resolve_area("Bamako", gazetteer=gazetteer, radius_km=50.0) == BAMAKO
    assert BAMAKO.key == "town:2460596"
    region = resolve_area("Kayes region", gazetteer=gazetteer)
    assert (region.name, region.scope, region.admin1) == ("Kayes Region", "admin1", "Kayes")
    town = resolve_area("Kayes (town)", gazetteer=gazetteer, radius_km=30.0)
    assert (town.name, town.scope, town.geonameid, town.radius_km) == (
        "Kayes", "town", 2455518, 30.0,
    )  # fmt: skip
    assert resolve_area("  all ", gazetteer=gazetteer) is EVERYWHERE
    assert EVERYWHERE.key == "all"


def test_town_radius_comes_from_the_risk_parameters(gazetteer: Gazetteer) -> None:
    assert resolve_area("Bamako", gazetteer=gazetteer).radius_km == 50.0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "Xyzzyville",
            "area Xyzzyville: not a country, region or town known to the gazetteer; "
            "check the spelling with `tocsin gazetteer lookup Xyzzyville`",
        ),
        ("ZZ", "area ZZ: not an ISO 3166 country code; give a code such as ML or a name"),
        ("   ", "area '': no area given; name a country, a region or a town"),
        ("admin1:ML", "area admin1:ML: not a place key; write country:ML or admin1:ML:Koulikoro"),
    ],
)
def test_unknown_areas_are_one_line_errors(gazetteer: Gazetteer, name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        resolve_area(name, gazetteer=gazetteer)
    assert str(caught.value) == message


def test_contains_events_by_country_region_and_distance() -> None:
    mali = Area(name="Mali", scope="country", country="ML")
    koulikoro = Area(name="Koulikoro", scope="admin1", country="ML", admin1="Koulikoro")
    kati = _event(geonameid=2455067, lat=12.74, lon=-8.07, country="ML", admin1="Koulikoro",
                  geo_precision=1)  # fmt: skip
    gao = _event(geonameid=2457163, lat=16.27, lon=-0.04, country="ML", admin1="Gao",
                 geo_precision=1)  # fmt: skip
    dakar = _event(lat=14.69, lon=-17.44, country="SN", admin1="Dakar", geo_precision=1)
    region_only = _event(lat=12.66, lon=-8.0, country="ML", admin1="Bamako", geo_precision=3)
    same_town = _event(geonameid=2460596, country="ML", geo_precision=1)
    assert [mali.contains(e) for e in (kati, gao, dakar)] == [True, True, False]
    assert [koulikoro.contains(e) for e in (kati, gao, dakar)] == [True, False, False]
    assert koulikoro.contains(_event(country="ML", admin1="KOULIKORO"))
    assert [BAMAKO.contains(e) for e in (kati, gao, dakar)] == [True, False, False]
    assert not BAMAKO.contains(region_only)  # a region's centroid is no place in town
    assert BAMAKO.contains(same_town)  # coded at the town, even without coordinates
    assert all(EVERYWHERE.contains(e) for e in (kati, gao, dakar, _event()))
    assert not mali.contains(_event())  # no country: not known to be inside


def test_contains_points_and_levels() -> None:
    assert BAMAKO.contains_point(12.7, -8.1)
    assert not BAMAKO.contains_point(13.5, -8.0)  # about 95 km north
    assert not BAMAKO.contains_point(None, None, country="ML")
    mali = Area(name="Mali", scope="country", country="ML")
    assert mali.contains_point(None, None, country="ml")
    assert not mali.contains_point(12.65, -8.0)

    def level(key: str, scope: str, **fields: object) -> RiskLevel:
        return RiskLevel(
            place_key=key, scope=scope, name=key, category="conflict", level=3, score=5.0,
            period_start=date(2025, 12, 2), period_end=date(2025, 12, 8), **fields,
        )  # type: ignore[arg-type]  # fmt: skip

    town = level("town:2455067", "town", country="ML", admin1="Koulikoro", lat=12.74, lon=-8.07)
    region = level("admin1:ML:Koulikoro", "admin1", country="ML", admin1="Koulikoro")
    country = level("country:ML", "country", country="ML")
    koulikoro = Area(name="Koulikoro", scope="admin1", country="ML", admin1="Koulikoro")
    assert [mali.contains_level(x) for x in (town, region, country)] == [True, True, True]
    assert [koulikoro.contains_level(x) for x in (town, region, country)] == [True, True, False]
    assert [BAMAKO.contains_level(x) for x in (town, region, country)] == [True, False, False]
    senegal = Area(name="Senegal", scope="country", country="SN")
    assert [senegal.contains_level(x) for x in (town, region, country)] == [False, False, False]
