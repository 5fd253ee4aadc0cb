"""Risk levels: a 1-5 level per place (country, admin1, town) and per category, from
events and open forecasts, with its trend and the reasons behind it.

The method is in docs/RISK.md and its parameters in ``knowledge/risk.toml``. In short,
for a period ending on ``asof``:

- an event brings its *points* (severity points, raised by the death toll, times its
  credibility: status and the Admiralty letters of its reports) weighted by its *age*
  (half-life, within the window); an open forecast located at a place brings its
  probability times the forecast points;
- a country or a region sums what is inside it; a town sums what lies within its radius,
  weighted by distance (events known only by their region never count for a town);
- the score becomes a level through the scope's thresholds; the same computation for the
  period before (ending ``period_days`` earlier) gives the trend.

Every weight is non-negative and every step is monotone, so adding an event can only
raise a place's score and level. The work is one pass over the events, then one over
the event locations with a grid for the radius: O(events + locations x neighbours).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from heapq import nlargest

from tocsin.assess.risk.params import RiskParams, load_risk_params
from tocsin.assess.risk.weights import (
    LocatedForecast,
    distance_weight,
    event_categories,
    event_points,
    event_severity,
    event_summary,
    forecast_categories,
    forecast_open_on,
    forecast_summary,
    recency_weight,
)
from tocsin.geo.countries import country_name
from tocsin.geo.distance import haversine_km
from tocsin.models import RISK_CATEGORIES, Event, RiskContribution, RiskLevel

__all__ = [
    "LocatedForecast",
    "RiskChange",
    "RiskParams",
    "compute_risk",
    "event_categories",
    "event_severity",
    "load_risk_params",
    "point_risk",
    "point_risks",
]

_N = len(RISK_CATEGORIES)
_SCOPE_ORDER = {"country": 0, "admin1": 1, "town": 2, "point": 3}
_KM_PER_DEGREE = 111.0
Subject = Event | LocatedForecast
Item = tuple[float, str, Subject]  # weight in the period, ref id, the event or forecast


@dataclass(frozen=True, slots=True)
class RiskChange:
    """A level that differs from the last one stored for its place and category
    (``before`` is None when none was stored)."""

    level: RiskLevel
    before: int | None


@dataclass(slots=True)
class _Tally:
    """Sums per category for the period (``now``) and the one before, and the items of
    the period (for the explanations)."""

    now: list[float] = field(default_factory=lambda: [0.0] * _N)
    before: list[float] = field(default_factory=lambda: [0.0] * _N)
    items: list[list[Item]] = field(default_factory=lambda: [[] for _ in range(_N)])

    def add(
        self, cats: tuple[int, ...], now: float, before: float, ref: str, what: Subject
    ) -> None:
        for c in cats:
            self.now[c] += now
            self.before[c] += before
            if now > 0:
                self.items[c].append((now, ref, what))


@dataclass(slots=True)
class _Place:
    key: str
    scope: str
    name: str
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    tally: _Tally = field(default_factory=_Tally)
    # what names a location, whatever the input order: the first of (imprecise, id, ...)
    naming: tuple[bool, str, str, str | None, str | None, float | None, float | None] | None = None

    def named_by(
        self, precise: bool, ref: str, name: str | None, country: str | None,
        admin1: str | None, lat: float | None, lon: float | None,
    ) -> None:  # fmt: skip
        if not name:
            return
        candidate = (not precise, ref, name, country, admin1, lat, lon)
        if self.naming is None or candidate < self.naming:
            self.naming = candidate


@dataclass(slots=True)
class _Collected:
    areas: dict[str, _Place]  # countries and regions
    locations: dict[str, _Place]  # where events and forecasts are, as towns


def _collect(
    events: Iterable[Event],
    forecasts: Iterable[LocatedForecast],
    *,
    asof: date,
    period_days: int,
    params: RiskParams,
    areas: bool = True,
) -> _Collected:
    """One pass: each event's and forecast's weight now and before, added to its country,
    its region and its location."""
    window = max(period_days, params.window_days)
    before_end = asof - timedelta(days=period_days)
    found = _Collected({}, {})
    cats_of: dict[tuple[object, ...], tuple[int, ...]] = {}
    index = {c: i for i, c in enumerate(RISK_CATEGORIES)}
    for event in events:
        if event.event_date is None:
            continue
        age = (asof - event.event_date).days
        now = recency_weight(age, params, window_days=window)
        before = recency_weight(age - period_days, params, window_days=window)
        if now == 0.0 and before == 0.0:
            continue
        signature = (event.event_type, event.sub_event_type, event.tags, event.inter1, event.inter2)
        cats = cats_of.get(signature)
        if cats is None:
            cats = tuple(index[c] for c in event_categories(event, params))
            cats_of[signature] = cats
        if not cats:
            continue
        points = event_points(event, params)
        now, before = points * now, points * before
        if areas:
            _add_areas(found.areas, event.country, event.admin1, cats, now, before, event.id, event)
        if event.geo_precision == 3:
            continue  # a region's centroid is no place in a town
        place = _location(found.locations, event.geonameid, event.lat, event.lon)
        if place is None:
            continue
        place.named_by(
            event.geo_precision == 1, event.id, event.location, event.country, event.admin1,
            event.lat, event.lon,
        )  # fmt: skip
        near = params.near_weight if event.geo_precision == 2 else 1.0
        place.tally.add(cats, now * near, before * near, event.id, event)
    for located in forecasts:
        forecast = located.forecast
        cats = tuple(index[c] for c in forecast_categories(forecast, params))
        points = forecast.probability * params.forecast_points
        now = points if forecast_open_on(forecast, asof) else 0.0
        before = points if forecast_open_on(forecast, before_end) else 0.0
        if not cats or (now == 0.0 and before == 0.0):
            continue
        if areas:
            _add_areas(
                found.areas, located.country, located.admin1, cats, now, before, forecast.id,
                located,
            )  # fmt: skip
        place = _location(found.locations, located.geonameid, located.lat, located.lon)
        if place is not None:
            place.named_by(
                False, f"~{forecast.id}", located.place, located.country, located.admin1,
                located.lat, located.lon,
            )  # fmt: skip
            place.tally.add(cats, now, before, forecast.id, located)
    for place in found.locations.values():
        if place.naming is not None:
            _, _, place.name, place.country, place.admin1, lat, lon = place.naming
            if lat is not None and lon is not None:
                place.lat, place.lon = lat, lon
    return found


def _add_areas(
    areas: dict[str, _Place],
    country: str | None,
    admin1: str | None,
    cats: tuple[int, ...],
    now: float,
    before: float,
    ref: str,
    what: Subject,
) -> None:
    if not country:
        return
    key = f"country:{country}"
    place = areas.get(key)
    if place is None:
        place = areas[key] = _Place(key, "country", country_name(country), country=country)
    place.tally.add(cats, now, before, ref, what)
    if admin1:
        key = f"admin1:{country}:{admin1}"
        place = areas.get(key)
        if place is None:
            place = areas[key] = _Place(key, "admin1", admin1, country=country, admin1=admin1)
        place.tally.add(cats, now, before, ref, what)


def _location(
    locations: dict[str, _Place], geonameid: int | None, lat: float | None, lon: float | None
) -> _Place | None:
    if geonameid is not None:
        key = f"town:{geonameid}"
    elif lat is not None and lon is not None:
        key = f"town:{lat:.4f},{lon:.4f}"
    else:
        return None
    place = locations.get(key)
    if place is None:
        place = locations[key] = _Place(key, "town", "", geonameid=geonameid, lat=lat, lon=lon)
    elif place.lat is None and lat is not None and lon is not None:
        place.lat, place.lon = lat, lon
    return place


class _Grid:
    """Locations by grid cell (cells of about the radius), for the neighbours of a point."""

    def __init__(self, locations: Iterable[_Place], radius_km: float) -> None:
        self.radius_km = radius_km
        self.cell = radius_km / _KM_PER_DEGREE
        self.cells: dict[tuple[int, int], list[_Place]] = {}
        for place in locations:
            if place.lat is not None and place.lon is not None:
                self.cells.setdefault(self._cell(place.lat, place.lon), []).append(place)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.cell), math.floor(lon / self.cell)

    def near(self, lat: float, lon: float) -> list[tuple[float, _Place]]:
        """(km, place) for the locations within the radius of the point."""
        row, col = self._cell(lat, lon)
        cos = max(math.cos(math.radians(lat)), 1e-3)
        span = min(math.ceil(1.0 / cos), math.ceil(360.0 / self.cell))
        found = []
        for r in range(row - 1, row + 2):
            for c in range(col - span, col + span + 1):
                for place in self.cells.get((r, c), ()):
                    assert place.lat is not None and place.lon is not None
                    km = haversine_km(lat, lon, place.lat, place.lon)
                    if km <= self.radius_km:
                        found.append((km, place))
        return found


def _town_tally(
    place: _Place | None,
    lat: float | None,
    lon: float | None,
    grid: _Grid,
    params: RiskParams,
    top: dict[str, list[list[Item]]],
) -> _Tally:
    """The tally of a town (or a point): its own location and those within the radius,
    weighted by distance; items are the locations' top items, weighted too."""
    near = grid.near(lat, lon) if lat is not None and lon is not None else []
    if place is not None and all(other is not place for _, other in near):
        near.append((0.0, place))
    tally = _Tally()
    for km, other in near:
        weight = distance_weight(km, params)
        if weight <= 0.0:
            continue
        best = top.get(other.key)
        if best is None:
            best = top[other.key] = [
                nlargest(params.top, items, key=_rank) for items in other.tally.items
            ]
        for c in range(_N):
            tally.now[c] += weight * other.tally.now[c]
            tally.before[c] += weight * other.tally.before[c]
            if best[c]:
                tally.items[c].extend((weight * w, ref, what) for w, ref, what in best[c])
    return tally


def _levels(
    place: _Place,
    tally: _Tally,
    *,
    asof: date,
    period_days: int,
    params: RiskParams,
    everything: bool = False,
) -> list[RiskLevel]:
    """The RiskLevels of one place: the categories with a score now or before (all five
    when ``everything``)."""
    threshold_scope = "town" if place.scope == "point" else place.scope
    start = asof - timedelta(days=period_days - 1)
    found = []
    for c, category in enumerate(RISK_CATEGORIES):
        raw, raw_before = tally.now[c], tally.before[c]
        if not everything and raw <= 0.0 and raw_before <= 0.0:
            continue
        score, previous = round(raw, 3), round(raw_before, 3)
        level = params.level(score, threshold_scope)
        previous_level = params.level(previous, threshold_scope) if raw_before > 0 else None
        if previous_level is None:
            trend = "new" if raw > 0 else "steady"
        else:
            trend = (
                "up" if level > previous_level else "down" if level < previous_level else "steady"
            )
        contributions = tuple(
            RiskContribution(
                kind="event" if isinstance(what, Event) else "forecast",
                ref_id=ref,
                weight=round(weight / raw, 3),
                summary=event_summary(what)
                if isinstance(what, Event)
                else forecast_summary(what.forecast),
            )
            for weight, ref, what in nlargest(params.top, tally.items[c], key=_rank)
        )
        found.append(
            RiskLevel(
                place_key=place.key, scope=place.scope, name=place.name or place.key,
                category=category, level=level, score=score, period_start=start,
                period_end=asof, country=place.country, admin1=place.admin1,
                geonameid=place.geonameid, lat=place.lat, lon=place.lon,
                previous_level=previous_level,
                previous_score=previous if raw_before > 0 else None, trend=trend,
                contributions=contributions,
            )
        )  # fmt: skip
    return found


def _rank(item: Item) -> tuple[float, str]:
    return item[0], item[1]


def compute_risk(
    events: Sequence[Event],
    *,
    asof: date,
    period_days: int = 7,
    forecasts: Sequence[LocatedForecast] = (),
    params: RiskParams | None = None,
) -> list[RiskLevel]:
    """Risk levels of every country, region and town with something in the period
    ending ``asof`` or the one before (same length), for the categories concerned;
    ordered countries, regions, towns, then by place key and category."""
    if period_days < 1:
        raise ValueError("period_days must be at least 1")
    params = params or load_risk_params()
    found = _collect(events, forecasts, asof=asof, period_days=period_days, params=params)
    levels: list[RiskLevel] = []
    for key in sorted(found.areas, key=lambda k: (_SCOPE_ORDER[found.areas[k].scope], k)):
        place = found.areas[key]
        levels.extend(
            _levels(place, place.tally, asof=asof, period_days=period_days, params=params)
        )
    grid = _Grid(found.locations.values(), params.radius_km)
    top: dict[str, list[list[Item]]] = {}
    for key in sorted(found.locations):
        place = found.locations[key]
        tally = _town_tally(place, place.lat, place.lon, grid, params, top)
        levels.extend(_levels(place, tally, asof=asof, period_days=period_days, params=params))
    return levels


def point_risks(
    points: Sequence[tuple[float, float]],
    events: Sequence[Event],
    *,
    asof: date,
    period_days: int = 7,
    forecasts: Sequence[LocatedForecast] = (),
    params: RiskParams | None = None,
    names: Sequence[str] = (),
) -> list[list[RiskLevel]]:
    """:func:`point_risk` for many points (assets) over one pass of the events."""
    params = params or load_risk_params()
    found = _collect(
        events, forecasts, asof=asof, period_days=period_days, params=params, areas=False
    )
    grid = _Grid(found.locations.values(), params.radius_km)
    top: dict[str, list[list[Item]]] = {}
    result = []
    for i, (lat, lon) in enumerate(points):
        name = names[i] if i < len(names) and names[i] else f"{lat:.4f}, {lon:.4f}"
        place = _Place(f"point:{lat:.4f},{lon:.4f}", "point", name, lat=lat, lon=lon)
        tally = _town_tally(None, lat, lon, grid, params, top)
        levels = _levels(
            place, tally, asof=asof, period_days=period_days, params=params, everything=True
        )
        result.append(levels)
    return result


def point_risk(
    lat: float,
    lon: float,
    events: Sequence[Event],
    *,
    asof: date,
    period_days: int = 7,
    forecasts: Sequence[LocatedForecast] = (),
    params: RiskParams | None = None,
    name: str = "",
) -> list[RiskLevel]:
    """The five categories at a point (an asset), as for a town there: scope "point",
    place_key "point:lat,lon"; a category with nothing near is minimal."""
    return point_risks(
        [(lat, lon)], events, asof=asof, period_days=period_days, forecasts=forecasts,
        params=params, names=[name],
    )[0]  # fmt: skip
