"""The JSON behind the map, the timeline and the risk page: events as GeoJSON points,
the latest risk levels (a paginated list, per country for the choropleth, and the
regions and towns as GeoJSON points), the organisation's assets (a list and GeoJSON,
routes with their buffer) and weekly event counts per type.

GeoJSON answers put coordinates in GeoJSON's order (lon, lat); the plain lists say
``lat`` and ``lon``. Every answer needs a viewer.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote

import numpy as np
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from tocsin.alert.geometry import asset_shape
from tocsin.geo.countries import iso_numeric
from tocsin.models import RISK_CATEGORIES, Asset, RiskLevel
from tocsin.report.records import asset_plain, risk_level_plain
from tocsin.web.api import PageParams, page
from tocsin.web.deps import StoreDep, Viewer
from tocsin.web.event_cache import cached
from tocsin.web.filters import EventQuery, Filters, with_default_window
from tocsin.web.map_view import (
    MAP_LIMIT,
    MAP_MAX_LIMIT,
    admin1_centres,
    area_matcher,
    weeks_of,
)

router = APIRouter(prefix="/api/v1", tags=["map"])

Category = Literal["conflict", "unrest", "crime", "supply", "political"]
Scope = Literal["country", "admin1", "town"]
BUFFER_SEGMENTS = 8  # per quarter circle of a route's buffer


def _event_url(event_id: str) -> str:
    return "/events/" + quote(event_id, safe="")


def _window(store: StoreDep, params: Filters) -> EventQuery:
    """The filters, with the default window when they name no dates (a FilterError, 400,
    for a value that cannot be used)."""
    query, layer = params.query(), params.layer
    newest = cached(store, "newest", lambda: store.latest_event_date(layer=layer), layer=layer)
    return with_default_window(query, newest)


@router.get("/map/events", summary="Events to draw on the map (GeoJSON)")
def map_events(
    _user: Viewer,
    store: StoreDep,
    params: Filters,
    limit: Annotated[
        int, Query(ge=1, le=MAP_MAX_LIMIT, description=f"At most this many (1-{MAP_MAX_LIMIT}).")
    ] = MAP_LIMIT,
) -> Response:
    """Events with coordinates matching the filters, newest first, as a GeoJSON
    FeatureCollection of points (each feature's `id` is the event's: its page is
    `/events/{id}`, its JSON `/api/v1/events/{id}`). Without `since` or `until`, the 365
    days ending on the newest event (`since`/`until` in the answer say which window
    applied). The newest `limit` matching events are read; those with coordinates are
    the features (`count`). `total` is how many events match the filters, with
    coordinates or without; `truncated` says whether the limit left some out (narrow the
    filters or raise `limit` to see them)."""
    window = _window(store, params)
    layer = params.layer
    flt = window.event_filter(layer=layer)

    def collection() -> bytes:
        found = store.map_points(flt, limit=limit)
        features = [
            {
                "type": "Feature",
                "id": p.id,
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "event_type": p.event_type,
                    "sub_event_type": p.sub_event_type,
                    "event_date": p.event_date.isoformat() if p.event_date else None,
                    "location": p.location,
                    "country": p.country,
                    "admin1": p.admin1,
                    "fatalities": p.fatalities,
                    "status": p.status,
                },
            }
            for p in found.points
        ]
        answer = {
            "type": "FeatureCollection",
            "features": features,
            "count": len(features),
            "total": found.total,
            "truncated": found.truncated,
            "limit": limit,
            "since": window.since.isoformat() if window.since else None,
            "until": window.until.isoformat() if window.until else None,
            "default_window": window.defaulted,
        }
        return json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    # The same answer for everyone until the next merge: built once, sent as bytes.
    body = cached(store, ("points", flt, limit, window.defaulted), collection, layer=layer)
    return Response(body, media_type="application/json")


@router.get("/timeline", summary="Events per ISO week and event type")
def timeline(
    request: Request,
    _user: Viewer,
    store: StoreDep,
    params: Filters,
    paging: Annotated[PageParams, Depends()],
) -> dict[str, Any]:
    """Weekly counts of the events matching the filters, oldest week first, every week
    from the first to the last with an event (empty ones included; at most 520). Without
    `since` or `until`, the 365 days ending on the newest event. Each item: `week` (ISO,
    "2025-W37"), `start` (its Monday), `total` and `counts` per event type; `types` lists
    the types present."""
    window = _window(store, params)
    flt = window.event_filter(layer=params.layer)
    weeks, types, cut = weeks_of(
        cached(store, ("weeks", flt), lambda: store.week_counts(flt), layer=flt.layer)
    )
    items = [
        {
            "week": w.name,
            "start": w.start.isoformat(),
            "total": w.total,
            "counts": dict(w.counts),
        }
        for w in weeks[paging.offset : paging.offset + paging.limit]
    ]
    answer = page(request, items, params=paging, total=len(weeks))
    answer.update(
        types=types,
        since=window.since.isoformat() if window.since else None,
        until=window.until.isoformat() if window.until else None,
        default_window=window.defaulted,
        cut=cut,
    )
    return answer


# ---------------------------------------------------------------- risk


def select_levels(
    store: StoreDep,
    *,
    area: str | None = None,
    category: str | None = None,
    scope: str | None = None,
    min_level: int | None = None,
    asof: date | None = None,
) -> list[RiskLevel]:
    """The latest levels (as of ``asof``) in ``area`` (see ``area_matcher``), countries
    first, then regions and towns, by place and category."""
    matches = area_matcher(area)
    return [
        level
        for level in store.latest_risk_levels(asof=asof, scope=scope, category=category)
        if matches(level) and (min_level is None or level.level >= min_level)
    ]


@router.get("/risk", summary="Latest risk levels per place and category")
def risk(
    request: Request,
    _user: Viewer,
    store: StoreDep,
    paging: Annotated[PageParams, Depends()],
    area: Annotated[
        str | None,
        Query(max_length=200, description="A country (code or name) or part of a place name."),
    ] = None,
    category: Annotated[Category | None, Query(description="A risk category.")] = None,
    scope: Annotated[Scope | None, Query(description="country, admin1 or town.")] = None,
    min_level: Annotated[
        int | None, Query(ge=1, le=5, description="Levels at least this (1-5).")
    ] = None,
    asof: Annotated[date | None, Query(description="Latest on or before this date.")] = None,
) -> dict[str, Any]:
    """The latest level of each place and category: countries, then regions, then towns.
    Each item has the level (1-5), its score, the previous period's level, the `trend`
    (up, down, steady, new) and the `contributions` (events and forecasts) behind it."""
    levels = select_levels(
        store, area=area, category=category, scope=scope, min_level=min_level, asof=asof
    )
    shown = levels[paging.offset : paging.offset + paging.limit]
    items = [risk_level_plain(x, event_url=_event_url) for x in shown]
    return page(request, items, params=paging, total=len(levels))


def _strongest(levels: list[RiskLevel]) -> RiskLevel:
    return max(levels, key=lambda x: (x.level, x.score, -RISK_CATEGORIES.index(x.category)))


def _by_place(levels: list[RiskLevel]) -> dict[str, list[RiskLevel]]:
    places: dict[str, list[RiskLevel]] = defaultdict(list)
    for level in levels:
        places[level.place_key].append(level)
    return places


def _place_summary(levels: list[RiskLevel]) -> dict[str, Any]:
    top = _strongest(levels)
    return {
        "place_key": top.place_key,
        "scope": top.scope,
        "name": top.name,
        "country": top.country,
        "admin1": top.admin1,
        "level": top.level,
        "category": top.category,
        "trend": top.trend,
        "period_end": top.period_end.isoformat(),
        "categories": {x.category: x.level for x in levels},
    }


@router.get("/risk/countries", summary="Latest risk level per country (choropleth)")
def risk_countries(
    request: Request,
    _user: Viewer,
    store: StoreDep,
    paging: Annotated[PageParams, Depends()],
    category: Annotated[
        Category | None, Query(description="One category (default: the highest).")
    ] = None,
    asof: Annotated[date | None, Query(description="Latest on or before this date.")] = None,
) -> dict[str, Any]:
    """One item per country with a level: the highest latest level over the categories
    (or of `category`), the category it comes from, every category's level, and
    `numeric`, the ISO 3166-1 numeric code (the ids of world-atlas's country shapes)."""
    levels = store.latest_risk_levels(asof=asof, scope="country", category=category)
    items = []
    for key, place in sorted(_by_place(levels).items()):
        item = _place_summary(place)
        item["numeric"] = iso_numeric(item["country"])
        item["url"] = "/risk?" + f"area={quote(item['country'] or key, safe='')}"
        items.append(item)
    shown = items[paging.offset : paging.offset + paging.limit]
    return page(request, shown, params=paging, total=len(items))


@router.get("/risk/places", summary="Latest risk levels of regions and towns (GeoJSON)")
def risk_places(
    _user: Viewer,
    store: StoreDep,
    category: Annotated[
        Category | None, Query(description="One category (default: the highest).")
    ] = None,
    scope: Annotated[Literal["admin1", "town"] | None, Query(description="admin1 or town.")] = None,
    asof: Annotated[date | None, Query(description="Latest on or before this date.")] = None,
) -> JSONResponse:
    """Regions and towns with a latest level, as GeoJSON points: a town at its
    coordinates, a region at the gazetteer's point for it (regions it does not know are
    left out). Properties as in `/api/v1/risk/countries`."""
    levels = [
        x
        for x in store.latest_risk_levels(asof=asof, scope=scope, category=category)
        if x.scope in ("admin1", "town")
    ]
    places = _by_place(levels)
    centres = admin1_centres(
        (x.country, x.admin1) for x in levels if x.scope == "admin1" and x.country and x.admin1
    )
    features = []
    for key, place in sorted(places.items()):
        top = place[0]
        if top.scope == "admin1":
            point = centres.get((top.country or "", top.admin1 or ""))
        else:
            point = (top.lat, top.lon) if top.lat is not None and top.lon is not None else None
        if point is None:
            continue
        properties = _place_summary(place)
        properties["url"] = "/risk?" + f"area={quote(top.name, safe='')}"
        features.append(
            {
                "type": "Feature",
                "id": key,
                "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
                "properties": properties,
            }
        )
    return JSONResponse({"type": "FeatureCollection", "features": features})


# ---------------------------------------------------------------- assets


def _lonlat(coords: Any) -> list[list[float]]:
    return [[round(float(lon), 6), round(float(lat), 6)] for lat, lon in coords]


def _geometry(asset: Asset) -> dict[str, Any]:
    if asset.geometry == "point":
        lat, lon = asset.coords[0]
        return {"type": "Point", "coordinates": [lon, lat]}
    if asset.geometry == "polygon":
        ring = [*asset.coords, asset.coords[0]]
        return {"type": "Polygon", "coordinates": [_lonlat(ring)]}
    return {"type": "LineString", "coordinates": _lonlat(asset.coords)}


def buffer_geometry(asset: Asset) -> dict[str, Any] | None:
    """The area within ``radius_km`` of a route or a polygon, as a GeoJSON Polygon (the
    buffer the alert rules measure against, computed in the same local projection);
    None for a point (a circle the map draws itself) or a zero radius."""
    if asset.geometry == "point" or asset.radius_km <= 0:
        return None
    shape = asset_shape(asset)
    area = shape.shape.buffer(asset.radius_km, quad_segs=BUFFER_SEGMENTS)
    xs, ys = (np.asarray(v, dtype=np.float64) for v in area.exterior.xy)
    lats, lons = shape.unproject(xs, ys)
    ring = list(zip(lats.tolist(), lons.tolist(), strict=True))
    if not ring or any(math.isnan(v) for pair in ring for v in pair):
        return None
    return {"type": "Polygon", "coordinates": [_lonlat(ring)]}


@router.get("/assets", summary="The organisation's assets")
def assets(
    request: Request, _user: Viewer, store: StoreDep, paging: Annotated[PageParams, Depends()]
) -> dict[str, Any]:
    """Sites, staff locations and routes, by id: `coords` are [lat, lon] pairs (one for
    a point, the ring of a polygon, the vertices of a route); `radius_km` is a point's
    radius or a route's buffer on each side."""
    found = store.list_assets()
    shown = found[paging.offset : paging.offset + paging.limit]
    items = [asset_plain(a, created=False) for a in shown]
    return page(request, items, params=paging, total=len(found))


@router.get("/assets.geojson", summary="The organisation's assets (GeoJSON)")
def assets_geojson(_user: Viewer, store: StoreDep) -> JSONResponse:
    """Every asset as a GeoJSON feature (`role` "asset"), and for each route or polygon
    with a radius, its buffer as a Polygon feature (`role` "buffer", same `id`)."""
    features: list[dict[str, Any]] = []
    for asset in store.list_assets():
        plain = asset_plain(asset, created=False)
        properties = {k: v for k, v in plain.items() if k != "coords"}
        buffer = buffer_geometry(asset)
        if buffer is not None:
            features.append(
                {
                    "type": "Feature",
                    "id": f"{asset.id}#buffer",
                    "geometry": buffer,
                    "properties": {**properties, "role": "buffer"},
                }
            )
        features.append(
            {
                "type": "Feature",
                "id": asset.id,
                "geometry": _geometry(asset),
                "properties": {**properties, "role": "asset"},
            }
        )
    return JSONResponse({"type": "FeatureCollection", "features": features})
