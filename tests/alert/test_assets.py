"""Assets: distances from their edges (points with a radius, polygons, routes with a
buffer), validation, and import from CSV and GeoJSON with one line per bad row; the
rules file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tocsin.alert.assets import (
    asset_centre,
    asset_distance_km,
    make_asset,
    make_rule,
    read_assets,
    read_rules,
)
from tocsin.alert.geometry import PointGrid, asset_shape
from tocsin.errors import ConfigError, InputError
from tocsin.geo.distance import haversine_km
from tocsin.models import AlertRule, Asset

OFFICE = Asset("office", "Office", "site", "point", ((12.6392, -8.0029),), radius_km=1.0)
# a square about 1.1 km a side in Bamako (lat, lon)
WAREHOUSE = Asset(
    "warehouse",
    "Warehouse",
    "site",
    "polygon",
    ((12.662, -7.948), (12.662, -7.938), (12.652, -7.938), (12.652, -7.948)),
)
# an L-shaped route: east along 14°N from -17° to -12°, then south along -12° to 10°N
ROUTE = Asset(
    "road",
    "Road",
    "route",
    "line",
    ((14.0, -17.0), (14.0, -12.0), (10.0, -12.0)),
    radius_km=10.0,
)


def _org_file(name: str) -> Path:
    return (
        Path(__file__).resolve().parents[2]
        / "src"
        / "tocsin"
        / "app"
        / "demo"
        / "organisation"
        / name
    )


# ---------------------------------------------------------------- geometry


def test_a_point_is_measured_from_its_radius() -> None:
    far = haversine_km(12.6392, -8.0029, 12.75, -8.0029)
    assert asset_distance_km(OFFICE, 12.75, -8.0029) == pytest.approx(far - 1.0, abs=1e-6)
    assert asset_distance_km(OFFICE, 12.6395, -8.0029) == 0.0  # inside the radius
    assert asset_distance_km(OFFICE, 12.6392, -8.0029) == 0.0
    assert asset_centre(OFFICE) == (12.6392, -8.0029)


def test_a_polygon_is_zero_inside_and_measured_to_its_edge_outside() -> None:
    assert asset_distance_km(WAREHOUSE, 12.657, -7.943) == 0.0  # the middle
    assert asset_distance_km(WAREHOUSE, 12.6619, -7.9479) == 0.0  # a corner, inside
    east = asset_distance_km(WAREHOUSE, 12.657, -7.900)  # east of the east edge
    assert east == pytest.approx(haversine_km(12.657, -7.938, 12.657, -7.900), rel=1e-3)
    north = asset_distance_km(WAREHOUSE, 12.700, -7.943)
    assert north == pytest.approx(haversine_km(12.662, -7.943, 12.700, -7.943), rel=1e-3)
    corner = asset_distance_km(WAREHOUSE, 12.700, -7.900)  # nearest: the north-east corner
    assert corner == pytest.approx(haversine_km(12.662, -7.938, 12.700, -7.900), rel=1e-3)
    lat, lon = asset_centre(WAREHOUSE)
    assert (round(lat, 4), round(lon, 4)) == (12.657, -7.943)


def test_a_route_is_measured_to_its_nearest_segment_less_its_buffer() -> None:
    # north of the first segment (along 14°N): the distance is the latitude difference
    north = asset_distance_km(ROUTE, 14.5, -15.0)
    assert north == pytest.approx(haversine_km(14.0, -15.0, 14.5, -15.0) - 10.0, rel=1e-3)
    # east of the second segment (along -12°), far from the projection's origin
    east = asset_distance_km(ROUTE, 10.5, -11.0)
    assert east == pytest.approx(haversine_km(10.5, -12.0, 10.5, -11.0) - 10.0, rel=2e-3)
    # inside the buffer of either segment, and at a vertex
    assert asset_distance_km(ROUTE, 14.05, -16.0) == 0.0
    assert asset_distance_km(ROUTE, 11.0, -12.05) == 0.0
    assert asset_distance_km(ROUTE, 14.0, -12.0) == 0.0
    # beyond the far end: the distance to the end vertex
    beyond = asset_distance_km(ROUTE, 9.0, -12.0)
    assert beyond == pytest.approx(haversine_km(10.0, -12.0, 9.0, -12.0) - 10.0, rel=1e-3)
    # the middle along the length (5° east, about 540 km, then 4° south, about 445 km):
    # on the first segment
    lat, lon = asset_centre(ROUTE)
    assert lat == pytest.approx(14.0, abs=1e-6) and -12.5 < lon < -12.4


def test_a_long_north_south_route_is_measured_correctly_at_both_ends() -> None:
    road = Asset("long", "Long", "route", "line", ((0.0, 10.0), (40.0, 10.0)), radius_km=0.0)
    for lat in (1.0, 20.0, 39.0):
        expected = haversine_km(lat, 10.0, lat, 10.5)
        assert asset_distance_km(road, lat, 10.5) == pytest.approx(expected, rel=1e-3)


def test_the_grid_finds_exactly_the_points_a_full_scan_finds() -> None:
    import random

    rng = random.Random(7)
    lats = [rng.uniform(9.0, 16.0) for _ in range(3000)]
    lons = [rng.uniform(-18.0, -6.0) for _ in range(3000)]
    import numpy as np

    grid = PointGrid(np.array(lats), np.array(lons))
    for asset in (OFFICE, WAREHOUSE, ROUTE):
        picked, distances = grid.near(asset_shape(asset), 40.0)
        scan = sorted(
            (asset_distance_km(asset, la, lo), i)
            for i, (la, lo) in enumerate(zip(lats, lons, strict=True))
            if asset_distance_km(asset, la, lo) <= 40.0
        )
        assert list(picked) == [i for _, i in scan]
        assert list(distances) == pytest.approx([d for d, _ in scan])
    assert len(grid.near(asset_shape(ROUTE), 40.0)[0]) > 50  # a long route finds many


# ---------------------------------------------------------------- one asset


def test_make_asset_checks_and_defaults() -> None:
    asset = make_asset(
        " Bureau de Bamako ", coords=[(12.6, -8.0)], radius_km=2, tags=["office", " hq ", "office"]
    )
    assert asset == Asset(
        "bureau-de-bamako", "Bureau de Bamako", "site", "point", ((12.6, -8.0),), 2.0,
        ("office", "hq"),
    )  # fmt: skip
    ring = [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (0.0, 0.0)]
    assert make_asset("Field", coords=ring, geometry="polygon").coords == tuple(ring[:3])
    route = make_asset("Road", coords=[(0, 0), (0, 0), (1, 1)], geometry="line")
    assert (route.kind, route.coords) == ("route", ((0.0, 0.0), (1.0, 1.0)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"coords": [(95.0, 1.0)]},
            "asset 'X': latitude 95.0 is out of range; give -90 to 90 (lat before lon)",
        ),
        (
            {"coords": [(1.0, 200.0)]},
            "asset 'X': longitude 200.0 is out of range; give -180 to 180",
        ),
        (
            {"coords": [(1.0, 1.0)], "kind": "depot"},
            "asset 'X': kind 'depot' is not known; use one of site, staff, route",
        ),
        (
            {"coords": [(1.0, 1.0)], "kind": "route"},
            "asset 'X': a route must be a line; import it as a LineString (GeoJSON) or wkt (CSV)",
        ),
        (
            {"coords": [(1.0, 1.0)], "radius_km": -2},
            "asset 'X': radius_km -2 is out of range; give 0 to 500 km",
        ),
        (
            {"coords": [(0, 0), (1, 1), (0, 1), (1, 0)], "geometry": "polygon"},
            "asset 'X': the polygon's ring crosses itself; "
            "check the order of the coordinates (lat, lon)",
        ),
        (
            {"coords": [(0, 0), (1, 1)], "geometry": "polygon"},
            "asset 'X': a polygon needs at least 3 distinct points (got 2); check the coordinates",
        ),
        (
            {"coords": [(1.0, 1.0)], "asset_id": "a b"},
            "asset 'X': id 'a b' is not usable; "
            "use up to 100 letters, digits, dots, dashes or underscores",
        ),
    ],
)
def test_make_asset_says_what_is_wrong(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as caught:
        make_asset("X", **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == message


# ---------------------------------------------------------------- files


def test_the_demo_geojson_reads_whole() -> None:
    found = read_assets(_org_file("assets.geojson"))
    assert found.problems == ()
    assert [(a.id, a.kind, a.geometry, len(a.coords), a.radius_km) for a in found.assets] == [
        ("bko-office", "site", "point", 1, 1.0),
        ("bko-warehouse", "site", "polygon", 4, 0.0),
        ("kayes-mine", "site", "point", 1, 5.0),
        ("segou-team", "staff", "point", 1, 0.0),
        ("dakar-bamako", "route", "line", 9, 10.0),
    ]
    assert found.assets[0].coords == ((12.6392, -8.0029),)  # GeoJSON is lon, lat
    assert found.assets[0].tags == ("office", "hq")


def test_csv_keeps_good_rows_and_names_each_bad_one(tmp_path: Path) -> None:
    path = tmp_path / "assets.csv"
    path.write_text(
        "id,name,kind,lat,lon,radius_km,tags,wkt\n"
        "kati,Kati depot,site,12.744,-8.072,2,depot;fuel,\n"
        ',Convoy road,,,,5,route,"LINESTRING (-8.07 12.74, -8.0 12.65)"\n'
        "bad-lat,Somewhere,site,120,-8.0,,,\n"
        "no-name,,site,12.0,-8.0,,,\n"
        "kati,Kati again,site,12.7,-8.0,,,\n"
        "few,Too few cells\n"
        'wkt,Broken,site,,,,,"POLYGON ((1 1, 2 2"\n'
        "nan,Not a number,site,abc,-8.0,,,\n"
        "\n"
        'yard,Yard,site,,,,,"POLYGON ((-8 12, -7.99 12, -7.99 12.01, -8 12))"\n',
        encoding="utf-8",
    )
    found = read_assets(path)
    assert [(a.id, a.kind, a.geometry, a.coords, a.radius_km, a.tags) for a in found.assets] == [
        ("kati", "site", "point", ((12.744, -8.072),), 2.0, ("depot", "fuel")),
        ("convoy-road", "route", "line", ((12.74, -8.07), (12.65, -8.0)), 5.0, ("route",)),
        ("yard", "site", "polygon", ((12.0, -8.0), (12.0, -7.99), (12.01, -7.99)), 0.0, ()),
    ]
    assert found.problems == (
        f"{path}:4: latitude 120.0 is out of range; give -90 to 90 (lat before lon)",
        f"{path}:5: no name; give the asset a name",
        f"{path}:6: id 'kati' is already used by {path}:2; give each asset its own id",
        f"{path}:7: has 2 cells where the header has 8; check the quoting of this row",
        f"{path}:8: the wkt cannot be read; check its brackets and commas",
        f"{path}:9: lat 'abc' is not a number; give a decimal",
    )


def test_csv_with_semicolons_and_no_name_column(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("name;lat;lon\nBase;12,5;-8,25\n", encoding="utf-8")
    assert read_assets(path).assets[0].coords == ((12.5, -8.25),)
    path.write_text("label,lat,lon\nBase,12.5,-8.2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_assets(path)
    assert str(caught.value) == (
        f"{path}:1: no name column in the header; "
        "start the file with a header such as name,kind,lat,lon,radius_km,tags"
    )


def test_geojson_keeps_good_features_and_names_each_bad_one(tmp_path: Path) -> None:
    point = {"type": "Point", "coordinates": [-8.0, 12.6]}
    features = [
        {"type": "Feature", "properties": {"id": "ok", "name": "Fine"}, "geometry": point},
        {
            "type": "Feature",
            "properties": {"id": "multi", "name": "Two parts"},
            "geometry": {"type": "MultiPoint", "coordinates": [[-8.0, 12.6], [-8.1, 12.7]]},
        },
        {"type": "Feature", "properties": {"name": "No shape"}, "geometry": None},
        {
            "type": "Feature",
            "properties": {"name": "Flipped", "kind": "staff"},
            "geometry": {"type": "Point", "coordinates": [12.6, -98.0]},
        },
        {"type": "Feature", "properties": {"id": "ok", "name": "Again"}, "geometry": point},
        {
            "type": "Feature",
            "properties": {"name": "Tagged", "tags": "a|b", "radius_km": "3"},
            "geometry": point,
        },
    ]
    path = tmp_path / "assets.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    found = read_assets(path)
    assert [(a.id, a.tags, a.radius_km) for a in found.assets] == [
        ("ok", (), 0.0),
        ("tagged", ("a", "b"), 3.0),
    ]
    assert found.problems == (
        f"{path}: feature 2 (multi): geometry 'MultiPoint' is not supported; "
        "use Point, LineString or Polygon (one feature per part of a Multi* shape)",
        f"{path}: feature 3 (No shape): no geometry or properties; give both",
        f"{path}: feature 4 (Flipped): latitude -98.0 is out of range; "
        "give -90 to 90 (lat before lon)",
        f"{path}: feature 5 (ok): id 'ok' is already used by {path}: feature 1 (ok); "
        "give each asset its own id",
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.geojson", "{not json", "not JSON (Expecting property name enclosed in double quotes "
         "at line 1); check it is GeoJSON"),
        ("a.json", '{"type": "Point"}', "not a GeoJSON Feature or FeatureCollection; export it so"),
        ("a.csv", "\n\n", "empty; give a header row and one asset per row"),
        ("a.kml", "<kml/>", "not a .csv, .geojson or .json file; rename or convert it"),
    ],
)  # fmt: skip
def test_unreadable_files_are_one_error(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_assets(path)
    assert str(caught.value) == f"{path}: {message}"
    with pytest.raises(InputError) as missing:
        read_assets(tmp_path / "none.csv")
    assert str(missing.value) == f"{tmp_path / 'none.csv'}: no such file; check the path"


# ---------------------------------------------------------------- rules


def test_the_demo_rules_read_whole() -> None:
    first, second = read_rules(_org_file("rules.toml"))
    assert first == AlertRule(
        id="sites-and-road",
        name="Sites, équipe et corridor Dakar–Bamako",
        kinds=("event", "risk", "forecast"),
        min_severity=2,
        min_level=3,
        min_probability=0.6,
        distance_km=40.0,
        channels=("email:securite@sahel-solidarite.example",),
        lang="fr",
    )
    assert (second.id, second.area, second.kinds, second.lang) == (
        "mali-watch",
        "ML",
        ("risk",),
        "en",
    )
    assert second.channels == (
        "email:ops@sahel-solidarite.example",
        "webhook:http://127.0.0.1:8765/tocsin",
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('colour = "red"', "unknown key 'colour'; use area, asset, asset_id, categories, "
         "channels, distance_km, id, kinds, lang, min_level, min_probability, min_severity, name"),
        ('channels = ["sms:+22300000"]', "channel 'sms:+22300000': not a channel; "
         "write email:ADDRESS or webhook:URL"),
        ('channels = ["email:nobody"]', "channel 'email:nobody': not an email address; "
         "write email:name@example.org"),
        ('channels = ["webhook:ftp://x"]', "channel 'webhook:ftp://x': not an http(s) URL; "
         "write webhook:https://host/path"),
        ('asset_id = "a"\narea = "ML"', "has both an asset and an area; "
         "give one of them (or neither: every asset)"),
        ('categories = ["weather"]', "category 'weather' is not known; "
         "use conflict, unrest, crime, supply, political"),
        ("min_severity = 7", "min_severity 7 is out of range; give a whole number from 1 to 5"),
        ("min_probability = 1.5", "min_probability 1.5 is out of range; give 0 to 1"),
        ('lang = "de"', "lang 'de' is not supported; use fr or en"),
    ],
)  # fmt: skip
def test_a_bad_rule_is_named_with_its_file(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(f'[[rule]]\nid = "r1"\nname = "R"\n{body}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_rules(path)
    assert str(caught.value) == f"{path}: rule 1 (r1): {message}"


def test_rules_file_shape_errors(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[rule]\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        read_rules(path)
    path.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_rules(path)
    assert str(caught.value) == f"{path}: no [[rule]] tables; add at least one rule"
    path.write_text('[[rule]]\nname = "A"\n[[rule]]\nname = "A"\n', encoding="utf-8")
    with pytest.raises(InputError) as twice:
        read_rules(path)
    assert str(twice.value) == f"{path}: rule 2: id 'a' is given twice; give each rule its own id"


def test_make_rule_keeps_canonical_order() -> None:
    rule = make_rule(
        "Road", kinds="risk,event", categories=["supply", "conflict"], distance_km=20,
        channels=[" email:a@b.org ", "email:a@b.org"],
    )  # fmt: skip
    assert (rule.id, rule.kinds, rule.categories, rule.channels) == (
        "road",
        ("event", "risk"),
        ("conflict", "supply"),
        ("email:a@b.org",),
    )
    assert math.isclose(rule.distance_km, 20.0)
