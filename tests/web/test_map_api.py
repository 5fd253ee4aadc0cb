"""The JSON behind the map, the timeline and the risk page (routers/api_map.py), against
the dashboard's test database: GeoJSON shapes, filters, the default window, the cap on
points, pagination, and who may ask."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import shapely
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tocsin.app import users
from tocsin.geo.countries import iso_numeric
from tocsin.models import EventFilter
from tocsin.store import Store

API_ROUTES = (
    "/api/v1/map/events",
    "/api/v1/timeline",
    "/api/v1/risk",
    "/api/v1/risk/countries",
    "/api/v1/risk/places",
    "/api/v1/assets",
    "/api/v1/assets.geojson",
)


def store_of(client: TestClient) -> Store:
    app = client.app
    assert isinstance(app, FastAPI)
    store: Store = app.state.store
    return store


def window_events(store: Store, *, located: bool = True, **filters: Any) -> list[Any]:
    """The store's events in the default window (365 days up to the newest) matching
    ``filters``: those with coordinates, or all of them (``located=False``)."""
    every = store.list_events(EventFilter())
    newest = max(e.event_date for e in every if e.event_date)
    since = newest - timedelta(days=364)
    return [
        e
        for e in store.list_events(EventFilter(since=since, until=newest, **filters))
        if not located or (e.lat is not None and e.lon is not None)
    ]


def test_map_events_are_a_feature_collection_of_the_stored_events(
    viewer_client: TestClient,
) -> None:
    answer = viewer_client.get("/api/v1/map/events")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    data = answer.json()
    expected = {e.id: e for e in window_events(store_of(viewer_client))}
    assert len(expected) >= 20  # the demo's events, and more than one cluster's worth
    assert data["type"] == "FeatureCollection"
    assert data["count"] == len(expected) == len(data["features"])
    assert data["total"] == len(window_events(store_of(viewer_client), located=False))
    assert data["truncated"] is False and data["default_window"] is True
    newest = max(e.event_date for e in expected.values() if e.event_date)
    assert data["until"] == newest.isoformat()
    assert data["since"] == (newest - timedelta(days=364)).isoformat()
    for feature in data["features"]:
        event = expected[feature["id"]]
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {"type": "Point", "coordinates": [event.lon, event.lat]}
        assert feature["properties"] == {
            "event_type": event.event_type,
            "sub_event_type": event.sub_event_type,
            "event_date": event.event_date.isoformat() if event.event_date else None,
            "location": event.location,
            "country": event.country,
            "admin1": event.admin1,
            "fatalities": event.fatalities,
            "status": event.status,
        }
    dates = [f["properties"]["event_date"] for f in data["features"]]
    assert dates == sorted(dates, reverse=True)  # newest first


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("type=Battles", {"event_type": "Battles"}),
        ("type=attack", {"event_type": "attack"}),  # a sub-type, any case
        ("country=ML", {"country": "ML"}),
        ("country=Sénégal", {"country": "SN"}),
        ("status=confirmed", {"status": "confirmed"}),
        ("admin1=bamako", {"admin1": "Bamako"}),
    ],
)
def test_map_events_filters(viewer_client: TestClient, query: str, filters: Any) -> None:
    data = viewer_client.get(f"/api/v1/map/events?{query}").json()
    expected = {e.id for e in window_events(store_of(viewer_client), **filters)}
    assert expected, query
    assert {f["id"] for f in data["features"]} == expected
    every = window_events(store_of(viewer_client), located=False, **filters)
    assert data["total"] == len(every) >= len(expected)


def test_map_events_dates_replace_the_default_window(viewer_client: TestClient) -> None:
    store = store_of(viewer_client)
    since, until = date(2025, 10, 1), date(2025, 11, 4)
    data = viewer_client.get(f"/api/v1/map/events?since={since}&until={until}").json()
    expected = {
        e.id for e in store.list_events(EventFilter(since=since, until=until)) if e.lat is not None
    }
    assert expected
    assert {f["id"] for f in data["features"]} == expected
    assert (data["since"], data["until"], data["default_window"]) == (
        "2025-10-01",
        "2025-11-04",
        False,
    )
    assert all(since.isoformat() <= f["properties"]["event_date"] <= until.isoformat()
               for f in data["features"])  # fmt: skip


def test_map_events_are_capped_newest_first(viewer_client: TestClient) -> None:
    newest = window_events(store_of(viewer_client), located=False)
    data = viewer_client.get("/api/v1/map/events?limit=5").json()
    expected = [e.id for e in newest[:5] if e.lat is not None and e.lon is not None]
    assert expected and [f["id"] for f in data["features"]] == expected
    assert data["count"] == len(expected) and data["limit"] == 5
    assert data["truncated"] is True and data["total"] == len(newest)
    whole = viewer_client.get(f"/api/v1/map/events?limit={len(newest)}").json()
    assert whole["truncated"] is False and whole["total"] == len(newest)


@pytest.mark.parametrize(
    ("query", "status", "word"),
    [
        ("country=Narnia", 400, "country 'Narnia'"),
        ("since=2025-13-01", 400, "since '2025-13-01': not a date"),
        ("status=rumoured", 400, "status 'rumoured'"),
        ("since=2025-12-01&until=2025-11-01", 400, "swap"),
        ("limit=0", 422, "limit"),
        ("limit=20001", 422, "limit"),
    ],
)
def test_map_events_refuses_bad_filters(
    viewer_client: TestClient, query: str, status: int, word: str
) -> None:
    answer = viewer_client.get(f"/api/v1/map/events?{query}")
    assert answer.status_code == status
    assert word in answer.json()["error"]


def test_timeline_counts_every_dated_event_per_week(viewer_client: TestClient) -> None:
    data = viewer_client.get("/api/v1/timeline?limit=500").json()
    dated = [e for e in store_of(viewer_client).list_events(EventFilter()) if e.event_date]
    newest = max(e.event_date for e in dated if e.event_date)
    in_window = [e for e in dated if e.event_date and e.event_date > newest - timedelta(days=365)]
    assert len(in_window) >= 20
    assert sum(item["total"] for item in data["items"]) == len(in_window)
    by_type: dict[str, int] = {}
    for event in in_window:
        by_type[event.event_type] = by_type.get(event.event_type, 0) + 1
    counted: dict[str, int] = {}
    for item in data["items"]:
        assert sum(item["counts"].values()) == item["total"]
        for kind, n in item["counts"].items():
            counted[kind] = counted.get(kind, 0) + n
    assert counted == by_type
    assert set(data["types"]) == set(by_type)
    starts = [date.fromisoformat(item["start"]) for item in data["items"]]
    assert all(day.weekday() == 0 for day in starts)
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(starts))
    first = starts[0].isocalendar()
    assert data["items"][0]["week"] == f"{first[0]}-W{first[1]:02d}"
    assert data["total"] == len(data["items"]) and data["next"] is None


def test_timeline_pages_and_filters(viewer_client: TestClient) -> None:
    every = viewer_client.get("/api/v1/timeline?limit=500").json()
    first = viewer_client.get("/api/v1/timeline?limit=3").json()
    assert first["items"] == every["items"][:3]
    assert first["total"] == every["total"] and first["next"]
    second = viewer_client.get(first["next"]).json()
    assert second["items"] == every["items"][3:6]
    battles = viewer_client.get("/api/v1/timeline?type=Battles&limit=500").json()
    assert battles["types"] == ["Battles"]
    assert {kind for item in battles["items"] for kind in item["counts"]} == {"Battles"}


def test_risk_is_paginated_and_filtered(viewer_client: TestClient) -> None:
    store = store_of(viewer_client)
    levels = store.latest_risk_levels()
    assert len(levels) > 10
    every = viewer_client.get("/api/v1/risk?limit=500").json()
    assert every["total"] == len(levels) and every["next"] is None
    assert [(i["place_key"], i["category"]) for i in every["items"]] == [
        (x.place_key, x.category) for x in levels
    ]
    seen: list[dict[str, Any]] = []
    url: str | None = "/api/v1/risk?limit=4"
    while url:
        answer = viewer_client.get(url).json()
        assert answer["total"] == len(levels) and len(answer["items"]) <= 4
        seen.extend(answer["items"])
        url = answer["next"]
    assert seen == every["items"]
    first = every["items"][0]
    level = levels[0]
    assert first["level"] == level.level and first["trend"] == level.trend
    assert first["period_end"] == level.period_end.isoformat()
    assert [c["ref_id"] for c in first["contributions"]] == [c.ref_id for c in level.contributions]
    for item in every["items"]:
        for c in item["contributions"]:
            assert c["url"] == (f"/events/{c['ref_id']}" if c["kind"] == "event" else None)

    supply = viewer_client.get("/api/v1/risk?category=supply&limit=500").json()["items"]
    assert supply and {i["category"] for i in supply} == {"supply"}
    mali = viewer_client.get("/api/v1/risk?area=Mali&limit=500").json()["items"]
    assert {i["country"] for i in mali} == {"ML"}
    assert len(mali) == len([x for x in levels if x.country == "ML"])
    kayes = viewer_client.get("/api/v1/risk?area=kayes&scope=admin1&limit=500").json()["items"]
    assert {i["place_key"] for i in kayes} == {"admin1:ML:Kayes"}
    high = viewer_client.get("/api/v1/risk?min_level=3&limit=500").json()["items"]
    assert high and all(i["level"] >= 3 for i in high)
    assert viewer_client.get("/api/v1/risk?category=weather").status_code == 422


def test_risk_countries_give_the_world_atlas_ids(viewer_client: TestClient) -> None:
    store = store_of(viewer_client)
    countries = [x for x in store.latest_risk_levels(scope="country")]
    data = viewer_client.get("/api/v1/risk/countries?limit=500").json()
    codes = sorted({x.country for x in countries if x.country})
    assert [i["country"] for i in data["items"]] == codes
    mali = next(i for i in data["items"] if i["country"] == "ML")
    assert mali["numeric"] == "466" == iso_numeric("ML")
    ml_levels = {x.category: x.level for x in countries if x.country == "ML"}
    assert mali["categories"] == ml_levels
    assert mali["level"] == max(ml_levels.values())
    assert ml_levels[mali["category"]] == mali["level"]
    assert mali["url"] == "/risk?area=ML"


def test_risk_places_are_points_of_regions_and_towns(viewer_client: TestClient) -> None:
    store = store_of(viewer_client)
    levels = [x for x in store.latest_risk_levels() if x.scope in ("admin1", "town")]
    data = viewer_client.get("/api/v1/risk/places").json()
    assert data["type"] == "FeatureCollection"
    by_key = {f["id"]: f for f in data["features"]}
    towns = {x.place_key: x for x in levels if x.scope == "town"}
    assert set(towns) <= set(by_key)
    for key, level in towns.items():
        assert by_key[key]["geometry"]["coordinates"] == [level.lon, level.lat]
    regions = {x.place_key for x in levels if x.scope == "admin1"}
    assert "admin1:ML:Kayes" in regions and "admin1:ML:Kayes" in by_key
    lon, lat = by_key["admin1:ML:Kayes"]["geometry"]["coordinates"]
    assert 12 < lat < 16 and -13 < lon < -8  # the region of Kayes, in western Mali
    kayes = by_key["admin1:ML:Kayes"]["properties"]
    expected = {x.category: x.level for x in levels if x.place_key == "admin1:ML:Kayes"}
    assert kayes["categories"] == expected and kayes["level"] == max(expected.values())
    only_towns = viewer_client.get("/api/v1/risk/places?scope=town").json()["features"]
    assert {f["id"] for f in only_towns} == set(towns)


def test_assets_list_and_geojson(viewer_client: TestClient) -> None:
    assets = store_of(viewer_client).list_assets()
    assert {a.geometry for a in assets} == {"point", "polygon", "line"}
    listed = viewer_client.get("/api/v1/assets").json()
    assert listed["total"] == len(assets)
    assert listed["items"] == [
        {
            "id": a.id,
            "name": a.name,
            "kind": a.kind,
            "geometry": a.geometry,
            "coords": [[lat, lon] for lat, lon in a.coords],
            "radius_km": a.radius_km,
            "tags": list(a.tags),
        }
        for a in assets
    ]
    assert viewer_client.get("/api/v1/assets?limit=2").json()["next"].endswith("offset=2")

    geo = viewer_client.get("/api/v1/assets.geojson").json()
    assert geo["type"] == "FeatureCollection"
    shapes = {(f["id"], f["properties"]["role"]): f for f in geo["features"]}
    for asset in assets:
        feature = shapes[(asset.id, "asset")]
        kind = {"point": "Point", "polygon": "Polygon", "line": "LineString"}[asset.geometry]
        assert feature["geometry"]["type"] == kind
    point = next(a for a in assets if a.geometry == "point")
    assert shapes[(point.id, "asset")]["geometry"]["coordinates"] == [
        point.coords[0][1],
        point.coords[0][0],
    ]
    polygon = next(a for a in assets if a.geometry == "polygon")
    ring = shapes[(polygon.id, "asset")]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == len(polygon.coords) + 1
    route = next(a for a in assets if a.geometry == "line")
    assert route.radius_km > 0
    buffer = next(f for f in geo["features"] if f["id"] == f"{route.id}#buffer")
    assert buffer["properties"]["role"] == "buffer"
    area = shapely.Polygon(buffer["geometry"]["coordinates"][0])
    for lat, lon in route.coords:
        assert area.contains(shapely.Point(lon, lat))
    # about radius_km on each side: a degree of latitude is ~111 km
    north = area.bounds[3]
    lats = [lat for lat, _ in route.coords]
    assert north - max(lats) == pytest.approx(route.radius_km / 111.2, rel=0.05)
    assert (point.id, "buffer") not in shapes  # a point's radius is drawn as a circle


def test_api_needs_a_viewer(anonymous_client: TestClient) -> None:
    for path in API_ROUTES:
        answer = anonymous_client.get(path)
        assert answer.status_code == 401, path
        assert "Bearer" in answer.json()["error"]


def test_api_takes_a_bearer_token(web_app: FastAPI) -> None:
    token = users.issue_token(web_app.state.store, "viewer", name="map script").token
    client = TestClient(web_app)
    for path in API_ROUTES:
        answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, path


def test_routes_are_documented(viewer_client: TestClient) -> None:
    schema = viewer_client.get("/api/v1/openapi.json").json()
    for path in API_ROUTES:
        operation = schema["paths"][path]["get"]
        assert operation["summary"] and operation["description"], path
    names = {p["name"] for p in schema["paths"]["/api/v1/map/events"]["get"]["parameters"]}
    assert names == {"country", "admin1", "type", "actor", "status", "since", "until", "layer",
                     "limit"}  # fmt: skip


def test_vendor_files_come_from_the_lock_file() -> None:
    """Every package VENDOR.md lists is pinned at that version in package-lock.json."""
    import json

    root = Path(__file__).parents[2]
    lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
    wanted = json.loads((root / "package.json").read_text(encoding="utf-8"))["dependencies"]
    vendor_md = (root / "src/tocsin/web/static/VENDOR.md").read_text(encoding="utf-8")
    assert set(wanted) == {"leaflet", "leaflet.markercluster", "topojson-client", "world-atlas"}
    for name, version in wanted.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")
        assert f"| {version} |" in vendor_md and f"[{name}]" in vendor_md
