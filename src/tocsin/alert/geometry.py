"""Distances between assets and points, with shapely in a local projection.

Each asset is projected once, equirectangular around the middle of its bounding box
(x = km east, y = km north). Shapely finds the nearest point of the shape there; the
distance is then the great circle from the point to that nearest point, so a long route
is measured correctly along all its segments, not only near its middle. A point asset
needs no projection: the great circle to its centre, less its radius.

Matching many points against many assets goes through :class:`PointGrid`: points are
bucketed in cells of a fixed size in degrees; an asset only looks at the cells its
reach covers, so the work grows with the pairs that are close, not with their product.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from tocsin.geo.distance import EARTH_RADIUS_KM
from tocsin.models import Asset

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180.0
CELL_DEGREES = 0.5  # the grid's cell: about 55 km, near the usual alert distance

Floats = npt.NDArray[np.float64]
Indices = npt.NDArray[np.intp]


def haversine_np(lat1: Floats | float, lon1: Floats | float, lat2: Floats, lon2: Floats) -> Floats:
    """Great-circle distances in km, element by element (numpy)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))))


def _wrap(delta: Floats) -> Floats:
    """Longitude differences folded into [-180, 180)."""
    return np.asarray((delta + 180.0) % 360.0 - 180.0)


@dataclass(frozen=True, slots=True)
class AssetShape:
    """An asset ready for distance queries: its projection (origin ``lat0``/``lon0``,
    ``kx`` km per degree of longitude there), its shape in km (None for a point) and its
    bounding box in degrees (without the radius)."""

    asset: Asset
    lat0: float
    lon0: float
    kx: float
    shape: Any
    south: float
    west: float
    north: float
    east: float

    def project(self, lats: Floats, lons: Floats) -> tuple[Floats, Floats]:
        return _wrap(lons - self.lon0) * self.kx, (lats - self.lat0) * KM_PER_DEGREE

    def unproject(self, xs: Floats, ys: Floats) -> tuple[Floats, Floats]:
        return ys / KM_PER_DEGREE + self.lat0, xs / self.kx + self.lon0

    def distances_km(self, lats: Floats, lons: Floats) -> Floats:
        """Km from the asset's edge to each point: 0 inside it (or its radius)."""
        lats = np.asarray(lats, dtype=np.float64)
        lons = np.asarray(lons, dtype=np.float64)
        if self.shape is None:
            far = haversine_np(self.lat0, self.lon0, lats, lons)
        else:
            xs, ys = self.project(lats, lons)
            points = shapely.points(xs, ys)
            lines = shapely.shortest_line(self.shape, points)
            nearest = shapely.get_coordinates(shapely.get_point(lines, 0))
            nlats, nlons = self.unproject(nearest[:, 0], nearest[:, 1])
            touching = shapely.intersects(self.shape, points)  # inside, or on the line
            far = np.where(touching, 0.0, haversine_np(lats, lons, nlats, nlons))
        return np.asarray(np.maximum(0.0, far - self.asset.radius_km))

    def distance_km(self, lat: float, lon: float) -> float:
        return float(self.distances_km(np.array([lat]), np.array([lon]))[0])

    def reach(self, km: float) -> tuple[float, float, float, float]:
        """The bounding box (south, west, north, east, degrees) of every point within
        ``km`` of the asset's edge."""
        margin = km + self.asset.radius_km
        dlat = margin / KM_PER_DEGREE
        south, north = max(-90.0, self.south - dlat), min(90.0, self.north + dlat)
        widest = max(abs(south), abs(north))
        if widest >= 89.0:
            return south, -180.0, north, 180.0
        dlon = margin / (KM_PER_DEGREE * math.cos(math.radians(widest)))
        return south, self.west - dlon, north, self.east + dlon

    def centre(self) -> tuple[float, float]:
        """The centre (lat, lon): the point itself, a polygon's centroid, the point
        halfway along a line."""
        if self.shape is None:
            return self.lat0, self.lon0
        if self.asset.geometry == "line":
            middle = self.shape.interpolate(0.5, normalized=True)
        else:
            middle = self.shape.centroid
        lat, lon = self.unproject(np.array([middle.x]), np.array([middle.y]))
        return float(lat[0]), float(lon[0])

    def samples(self, step_km: float) -> list[tuple[float, float]]:
        """Points (lat, lon) along a line every ``step_km`` (ends included), or the
        centre of a point or a polygon."""
        if self.asset.geometry != "line" or self.shape is None:
            return [self.centre()]
        count = max(1, math.ceil(self.shape.length / step_km))
        at = shapely.line_interpolate_point(
            self.shape, np.linspace(0.0, 1.0, count + 1), normalized=True
        )
        xy = shapely.get_coordinates(at)
        lats, lons = self.unproject(xy[:, 0], xy[:, 1])
        return [(float(a), float(b)) for a, b in zip(lats, lons, strict=True)]


@lru_cache(maxsize=4096)
def asset_shape(asset: Asset) -> AssetShape:
    """The asset, projected (cached: assets are frozen values)."""
    lats = [lat for lat, _ in asset.coords]
    lons = [lon for _, lon in asset.coords]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    lat0, lon0 = (south + north) / 2, (west + east) / 2
    kx = KM_PER_DEGREE * max(0.01, math.cos(math.radians(lat0)))
    if asset.geometry == "point":
        return AssetShape(asset, asset.coords[0][0], asset.coords[0][1], kx, None, *_box(asset))
    xs = [(lon - lon0) * kx for lon in lons]
    ys = [(lat - lat0) * KM_PER_DEGREE for lat in lats]
    if asset.geometry == "polygon":
        shape = shapely.Polygon(list(zip(xs, ys, strict=True)))
    else:
        shape = shapely.LineString(list(zip(xs, ys, strict=True)))
    shapely.prepare(shape)
    return AssetShape(asset, lat0, lon0, kx, shape, south, west, north, east)


def _box(asset: Asset) -> tuple[float, float, float, float]:
    lat, lon = asset.coords[0]
    return lat, lon, lat, lon


def shape_problem(geometry: str, coords: Sequence[tuple[float, float]]) -> str | None:
    """What is wrong with a polygon or a line, or None (a point needs nothing)."""
    if geometry == "point":
        return None
    lat0 = sum(lat for lat, _ in coords) / len(coords)
    kx = KM_PER_DEGREE * max(0.01, math.cos(math.radians(lat0)))
    points = [(lon * kx, lat * KM_PER_DEGREE) for lat, lon in coords]
    if geometry == "polygon":
        polygon = shapely.Polygon(points)
        if polygon.convex_hull.area <= 0:
            return "the polygon has no area"
        if not polygon.is_valid:
            return "the polygon's ring crosses itself"
        return None
    if shapely.LineString(points).length <= 0:
        return "the line has no length"
    return None


# ---------------------------------------------------------------- many points


class PointGrid:
    """Points (lat, lon) bucketed by cells of ``cell`` degrees, for asset queries."""

    def __init__(self, lats: Floats, lons: Floats, *, cell: float = CELL_DEGREES) -> None:
        self.lats = np.asarray(lats, dtype=np.float64)
        self.lons = np.asarray(lons, dtype=np.float64)
        self.cell = cell
        rows = np.floor(self.lats / cell).astype(np.int64)
        cols = np.floor(self.lons / cell).astype(np.int64)
        buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index, key in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
            buckets[key].append(index)
        self._cells = {key: np.array(found, dtype=np.intp) for key, found in buckets.items()}

    def __len__(self) -> int:
        return len(self.lats)

    def within_box(self, south: float, west: float, north: float, east: float) -> Indices:
        """Indices of the points inside the box (degrees), in no set order."""
        found = [
            cell
            for row in range(math.floor(south / self.cell), math.floor(north / self.cell) + 1)
            for col in range(math.floor(west / self.cell), math.floor(east / self.cell) + 1)
            if (cell := self._cells.get((row, col))) is not None
        ]
        if not found:
            return np.empty(0, dtype=np.intp)
        picked = np.concatenate(found)
        lats, lons = self.lats[picked], self.lons[picked]
        inside = (lats >= south) & (lats <= north) & (lons >= west) & (lons <= east)
        return np.asarray(picked[inside])

    def near(self, shape: AssetShape, km: float) -> tuple[Indices, Floats]:
        """The points within ``km`` of the asset's edge and their distances, nearest first."""
        picked = self.within_box(*shape.reach(km))
        if not len(picked):
            return picked, np.empty(0, dtype=np.float64)
        distances = shape.distances_km(self.lats[picked], self.lons[picked])
        close = distances <= km
        picked, distances = picked[close], distances[close]
        order = np.lexsort((picked, distances))
        return np.asarray(picked[order]), np.asarray(distances[order])


def pairs_near(
    shapes: Sequence[AssetShape], grid: PointGrid, km: float
) -> Iterator[tuple[int, int, float]]:
    """(shape index, point index, km) for every point within ``km`` of each shape."""
    for number, shape in enumerate(shapes):
        picked, distances = grid.near(shape, km)
        for index, distance in zip(picked.tolist(), distances.tolist(), strict=True):
            yield number, index, distance
