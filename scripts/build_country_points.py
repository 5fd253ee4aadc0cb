"""Build the table of country points shipped in the package.

Reads world-atlas' ``countries-50m.json`` (Natural Earth 1:50m admin-0 countries as
TopoJSON, vendored by ``make install`` under ``src/tocsin/web/static/vendor/world-atlas/``)
and writes ``src/tocsin/knowledge/gazetteer/country_points.tsv``: one row per ISO 3166
country, its point the centre of mass of its largest polygon in an equal-area
(cylindrical) projection, moved to the polygon's pole of inaccessibility when that
centre falls outside the polygon. Outlying islands and overseas parts do not pull the
point (France's is in France, the United States' in Kansas). A re-run gives the same file.

Why this point: measured on GeoWebNews dev (issue 16), whose gold uses GeoNames' country
points (roughly the middle of the country), 81% of country mentions fall within 161 km
of it, against 74% for the plain centroid of the largest polygon, 55% for the centroid
of all parts and 31-35% for the (population-weighted) middle of cities500's towns.

    .venv/bin/python scripts/build_country_points.py [TOPOJSON] [OUTPUT]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy
import pycountry
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (
    ROOT / "src" / "tocsin" / "web" / "static" / "vendor" / "world-atlas" / "countries-50m.json"
)
OUTPUT = ROOT / "src" / "tocsin" / "knowledge" / "gazetteer" / "country_points.tsv"
HEADER = """\
# Country points: one representative point per ISO 3166-1 country (alpha-2, lat, lon).
# Derived from Natural Earth (https://www.naturalearthdata.com/, public domain) 1:50m
# admin-0 countries, as packaged by world-atlas 2.0.2 (https://github.com/topojson/world-atlas,
# ISC licence), by scripts/build_country_points.py: the centre of mass of the country's
# largest polygon in an equal-area projection (its pole of inaccessibility when that
# centre lies outside the polygon), rounded to 0.01 degree.
"""


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # quantized, delta-encoded
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(path: Path) -> dict[str, list[Polygon]]:
    """The polygons of each country (ISO alpha-2), from a world-atlas TopoJSON file.
    Features without an ISO numeric id (Kosovo, Somaliland, N. Cyprus) are left out."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    by_numeric = {int(c.numeric): c.alpha_2 for c in pycountry.countries}
    out: dict[str, list[Polygon]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        kind = geometry.get("type")
        if code is None or kind not in ("Polygon", "MultiPolygon"):
            continue
        alpha2 = by_numeric.get(int(code))
        if alpha2 is None:
            continue
        parts = [geometry["arcs"]] if kind == "Polygon" else geometry["arcs"]
        for part in parts:
            rings = [_ring(arcs, r) for r in part]
            if len(rings[0]) >= 4:
                # several features may share an id (Australia and Ashmore and Cartier)
                out.setdefault(alpha2, []).append(Polygon(rings[0], rings[1:]).buffer(0))
    return out


def _equal_area(xy: numpy.ndarray) -> numpy.ndarray:
    """Lambert's cylindrical equal-area projection (x: longitude, y: sine of latitude)."""
    return numpy.column_stack([xy[:, 0], numpy.sin(numpy.radians(xy[:, 1]))])


def point_of(parts: list[Polygon]) -> tuple[float, float]:
    """(lat, lon) of a country given its polygons."""
    largest: BaseGeometry = max(parts, key=lambda p: p.area)
    centre = shapely.transform(largest, _equal_area).centroid
    lat, lon = math.degrees(math.asin(max(-1.0, min(1.0, centre.y)))), centre.x
    if not largest.contains(Point(lon, lat)):
        inside = polylabel(largest, 0.01)
        lat, lon = inside.y, inside.x
    return lat, lon


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    output = Path(argv[2]) if len(argv) > 2 else OUTPUT
    if not source.is_file():
        print(f"{source}: not found; run `make install` (it vendors world-atlas)", file=sys.stderr)
        return 1
    rows = []
    for alpha2, parts in sorted(polygons(source).items()):
        lat, lon = point_of(parts)
        rows.append(f"{alpha2}\t{lat:.2f}\t{lon:.2f}\n")
    output.write_text(HEADER + "country\tlat\tlon\n" + "".join(rows), encoding="utf-8")
    print(f"{output}: {len(rows)} countries")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
