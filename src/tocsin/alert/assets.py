"""An organisation's assets: validation, distances, and import from CSV and GeoJSON.

``make_asset`` checks one asset (the CLI's ``assets add`` and both importers use it);
``read_assets`` reads a file and keeps every good row, with one line for each bad one
("FILE:LINE: what is wrong; what to do"). Distances are in ``alert/geometry.py``.

CSV: a header row, then one asset per row. Columns (any order, case ignored): ``name``
(required), ``id``, ``kind`` (site, staff, route), ``lat`` and ``lon`` (a point), or
``wkt`` (a POINT, LINESTRING or POLYGON in lon-lat order, as WKT writes it),
``radius_km``, ``tags`` (separated by ``;`` or ``|``). GeoJSON: a FeatureCollection of
Point, LineString and Polygon features with properties ``id``, ``name``, ``kind``,
``radius_km`` and ``tags`` (a list, or text as in the CSV); a polygon's holes are
ignored (its outer ring is the footprint).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tocsin.alert.geometry import asset_shape, shape_problem
from tocsin.alert.rule_files import make_rule, read_rules
from tocsin.errors import InputError
from tocsin.models import ASSET_KINDS, GEOMETRIES, Asset
from tocsin.text.fold import slug

__all__ = [
    "AssetImport",
    "asset_centre",
    "asset_distance_km",
    "make_asset",
    "make_rule",
    "read_assets",
    "read_rules",
]

MAX_FILE_BYTES = 50_000_000
MAX_VERTICES = 20_000
MAX_RADIUS_KM = 500.0
MAX_PROBLEMS = 1000  # problem lines kept; the rest are counted in one last line
MAX_NAME = 200
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_WKT = re.compile(r"^\s*(POINT|LINESTRING|POLYGON)\b", re.IGNORECASE)
_KIND_OF = {"point": "site", "polygon": "site", "line": "route"}


def asset_distance_km(asset: Asset, lat: float, lon: float) -> float:
    """Km from the asset's edge to (lat, lon): a point's distance less its radius, 0
    inside a polygon, a line's distance to its nearest segment less its buffer; never
    below 0."""
    return asset_shape(asset).distance_km(lat, lon)


def asset_centre(asset: Asset) -> tuple[float, float]:
    """(lat, lon) of the asset's centre: the point, a polygon's centroid, the middle of
    a line along its length."""
    return asset_shape(asset).centre()


# ---------------------------------------------------------------- one asset


def make_asset(
    name: str,
    *,
    coords: Sequence[tuple[float, float]],
    geometry: str = "point",
    kind: str | None = None,
    radius_km: float = 0.0,
    tags: Iterable[str] = (),
    asset_id: str | None = None,
    created: datetime | None = None,
    where: str | None = None,
) -> Asset:
    """A checked asset. ``coords`` are (lat, lon); a polygon's ring may repeat its first
    point at the end. ``kind`` defaults to site (route for a line); the id to a slug of
    the name. A problem raises ``InputError`` naming ``where`` (default: the asset)."""
    label = name.strip()
    source = where or (f"asset {label!r}" if label else "asset")

    def fail(problem: str, advice: str) -> InputError:
        return InputError(source, problem, advice)

    if not label:
        raise fail("no name", "give the asset a name")
    if len(label) > MAX_NAME:
        raise fail(f"the name is longer than {MAX_NAME} characters", "shorten it")
    if geometry not in GEOMETRIES:
        raise fail(f"geometry {geometry!r} is not known", f"use {', '.join(GEOMETRIES)}")
    kind = (kind or _KIND_OF[geometry]).strip().lower()
    if kind not in ASSET_KINDS:
        raise fail(f"kind {kind!r} is not known", f"use one of {', '.join(ASSET_KINDS)}")
    if kind == "route" and geometry != "line":
        raise fail("a route must be a line", "import it as a LineString (GeoJSON) or wkt (CSV)")
    if kind != "route" and geometry == "line":
        raise fail(f"a {kind} cannot be a line", "make it kind route, or give a point or polygon")
    points = _coords(coords, geometry, fail)
    radius = _radius(radius_km, fail)
    identifier = (asset_id or "").strip() or slug(label)[:100]
    if not _ID.match(identifier):
        raise fail(
            f"id {identifier!r} is not usable",
            "use up to 100 letters, digits, dots, dashes or underscores",
        )
    return Asset(
        id=identifier,
        name=label,
        kind=kind,
        geometry=geometry,
        coords=points,
        radius_km=radius,
        tags=_tags(tags),
        created=created,
    )


def _coords(
    coords: Sequence[tuple[float, float]], geometry: str, fail: Any
) -> tuple[tuple[float, float], ...]:
    points: list[tuple[float, float]] = []
    for pair in coords:
        try:
            lat, lon = float(pair[0]), float(pair[1])
        except (TypeError, ValueError, IndexError):
            raise fail(f"coordinate {pair!r} is not a pair of numbers", "give lat, lon") from None
        if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
            raise fail(f"latitude {pair[0]} is out of range", "give -90 to 90 (lat before lon)")
        if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
            raise fail(f"longitude {pair[1]} is out of range", "give -180 to 180")
        if not points or points[-1] != (lat, lon):
            points.append((lat, lon))
    if len(points) > MAX_VERTICES:
        raise fail(f"more than {MAX_VERTICES:,} vertices", "simplify the geometry")
    if geometry == "polygon" and len(points) > 1 and points[0] == points[-1]:
        points.pop()  # the ring's closing point
    least = {"point": 1, "line": 2, "polygon": 3}[geometry]
    if len(points) < least or (geometry == "point" and len(points) != 1):
        wanted = "one point" if geometry == "point" else f"at least {least} distinct points"
        raise fail(f"a {geometry} needs {wanted} (got {len(points)})", "check the coordinates")
    if problem := shape_problem(geometry, points):
        raise fail(problem, "check the order of the coordinates (lat, lon)")
    return tuple(points)


def _radius(value: float | str, fail: Any) -> float:
    try:
        radius = float(value)
    except (TypeError, ValueError):
        raise fail(f"radius_km {value!r} is not a number", "give kilometres (2.5)") from None
    if not (math.isfinite(radius) and 0.0 <= radius <= MAX_RADIUS_KM):
        raise fail(f"radius_km {value} is out of range", f"give 0 to {MAX_RADIUS_KM:g} km")
    return radius


def _tags(tags: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(tags, str):
        tags = re.split(r"[;|,]", tags)
    kept: list[str] = []
    for tag in tags:
        text = " ".join(str(tag).split())
        if text and text not in kept:
            kept.append(text)
    return tuple(kept)


# ---------------------------------------------------------------- files


@dataclass(frozen=True, slots=True)
class AssetImport:
    """The assets read from a file and one line for each row left out."""

    assets: tuple[Asset, ...]
    problems: tuple[str, ...]


def read_assets(path: Path) -> AssetImport:
    """Assets from a .csv, .geojson or .json file. A file that cannot be read at all
    raises ``InputError``; a bad row or feature is one line in ``problems``."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".geojson", ".json"):
        raise InputError(str(path), "not a .csv, .geojson or .json file", "rename or convert it")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(str(path), "larger than 50 MB", "split it into smaller files")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), "no such file", "check the path") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text", "save it as UTF-8") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})", "check the path") from None
    rows = _csv_rows(path, text) if suffix == ".csv" else _geojson_rows(path, text)
    assets: list[Asset] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    dropped = 0
    for where, made in rows:
        if isinstance(made, InputError):
            message = str(made)
        elif made.id in seen:
            message = (
                f"{where}: id {made.id!r} is already used by {seen[made.id]}; "
                "give each asset its own id"
            )
        else:
            seen[made.id] = where
            assets.append(made)
            continue
        if len(problems) < MAX_PROBLEMS:
            problems.append(message)
        else:
            dropped += 1
    if dropped:
        problems.append(f"{path}: {dropped} more rows with problems are not listed")
    return AssetImport(tuple(assets), tuple(problems))


Row = tuple[str, Asset | InputError]


def _attempt(where: str, build: Any) -> Row:
    try:
        return where, build()
    except InputError as exc:
        if exc.source == where:
            return where, exc
        return where, InputError(where, str(exc))


def _csv_rows(path: Path, text: str) -> Iterator[Row]:
    head = text[:4096]
    delimiter = ";" if head.count(";") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower().replace(" ", "_") for cell in row]
            if "name" not in header:
                raise InputError(
                    f"{path}:{line}",
                    "no name column in the header",
                    "start the file with a header such as name,kind,lat,lon,radius_km,tags",
                )
            continue
        where = f"{path}:{line}"
        if len(row) != len(header):
            yield (
                where,
                InputError(
                    where,
                    f"has {len(row)} cells where the header has {len(header)}",
                    "check the quoting of this row",
                ),
            )
            continue
        cells = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        yield _attempt(where, lambda cells=cells, where=where: _csv_asset(cells, where))
    if header is None:
        raise InputError(str(path), "empty", "give a header row and one asset per row")


def _cell(cells: dict[str, str], *names: str) -> str:
    for name in names:
        if cells.get(name):
            return cells[name]
    return ""


def _csv_asset(cells: dict[str, str], where: str) -> Asset:
    shape = _cell(cells, "wkt", "geometry")
    lat, lon = _cell(cells, "lat", "latitude"), _cell(cells, "lon", "lng", "longitude")
    if shape:
        geometry, coords = _from_wkt(shape, where)
    elif lat and lon:
        geometry, coords = "point", [(_number(lat, "lat", where), _number(lon, "lon", where))]
    else:
        raise InputError(where, "no lat and lon (nor wkt)", "give the coordinates of the asset")
    return make_asset(
        cells.get("name", ""),
        coords=coords,
        geometry=geometry,
        kind=cells.get("kind") or None,
        radius_km=_number(_cell(cells, "radius_km", "radius") or "0", "radius_km", where),
        tags=_tags(cells.get("tags", "")),
        asset_id=cells.get("id") or None,
        where=where,
    )


def _number(text: str, column: str, where: str) -> float:
    try:
        return float(text.replace(",", ".") if text.count(",") == 1 else text)
    except ValueError:
        raise InputError(where, f"{column} {text!r} is not a number", "give a decimal") from None


def _from_wkt(text: str, where: str) -> tuple[str, list[tuple[float, float]]]:
    if not _WKT.match(text):
        raise InputError(where, "wkt is not a POINT, LINESTRING or POLYGON", "give one of those")
    import shapely.wkt
    from shapely.errors import ShapelyError

    try:
        shape = shapely.wkt.loads(text)
    except (ShapelyError, ValueError):
        raise InputError(where, "the wkt cannot be read", "check its brackets and commas") from None
    if shape.geom_type == "Polygon":
        ring = list(shape.exterior.coords)
        return "polygon", [(float(y), float(x)) for x, y, *_ in ring]
    geometry = "point" if shape.geom_type == "Point" else "line"
    return geometry, [(float(y), float(x)) for x, y, *_ in shape.coords]


def _geojson_rows(path: Path, text: str) -> Iterator[Row]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            str(path), f"not JSON ({exc.msg} at line {exc.lineno})", "check it is GeoJSON"
        ) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        features: Any = [data]
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
    else:
        raise InputError(str(path), "not a GeoJSON Feature or FeatureCollection", "export it so")
    if not isinstance(features, list):
        raise InputError(str(path), "features is not a list", "check the GeoJSON")
    for number, feature in enumerate(features, start=1):
        where = f"{path}: feature {number}"
        if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
            named = feature["properties"].get("id") or feature["properties"].get("name")
            if isinstance(named, str) and named.strip():
                where += f" ({named.strip()[:60]})"
        yield _attempt(where, lambda feature=feature, where=where: _feature(feature, where))


def _feature(feature: Any, where: str) -> Asset:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise InputError(where, "not a Feature", "give each asset as a GeoJSON Feature")
    props = feature.get("properties") or {}
    geom = feature.get("geometry")
    if not isinstance(props, dict) or not isinstance(geom, dict):
        raise InputError(where, "no geometry or properties", "give both")
    kind_of = {"Point": "point", "LineString": "line", "Polygon": "polygon"}
    geometry = kind_of.get(str(geom.get("type")))
    if geometry is None:
        raise InputError(
            where,
            f"geometry {geom.get('type')!r} is not supported",
            "use Point, LineString or Polygon (one feature per part of a Multi* shape)",
        )
    raw = geom.get("coordinates")
    if geometry == "point":
        raw = [raw]
    elif geometry == "polygon":
        raw = raw[0] if isinstance(raw, list) and raw else raw
    if not isinstance(raw, list) or not all(isinstance(p, list) and len(p) >= 2 for p in raw):
        raise InputError(where, "coordinates are not [lon, lat] pairs", "check the GeoJSON")
    coords = [(p[1], p[0]) for p in raw]
    tags = props.get("tags") or []
    if not isinstance(tags, (list, str)):
        raise InputError(where, "tags is neither a list nor text", "give a list of words")
    radius = props.get("radius_km", props.get("radius", 0.0))
    return make_asset(
        str(props.get("name") or ""),
        coords=coords,
        geometry=geometry,
        kind=str(props["kind"]) if props.get("kind") else None,
        radius_km=0.0 if radius is None else radius,
        tags=_tags(tags if isinstance(tags, str) else [str(t) for t in tags]),
        asset_id=str(props["id"]) if props.get("id") is not None else None,
        where=where,
    )
