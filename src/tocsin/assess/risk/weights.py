"""What one event or one forecast weighs in a risk level, before place and time.

Pure functions of an event (or a forecast) and the parameters of ``knowledge/risk.toml``:
its categories, its severity 1-5, its credibility, its points, and the one-line summary
that explains it. ``assess.risk`` adds age, distance and the sums per place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from tocsin.assess.risk.params import RiskParams
from tocsin.models import RISK_CATEGORIES, Event, Forecast, PlaceRef
from tocsin.text.fold import fold

__all__ = [
    "LocatedForecast",
    "distance_weight",
    "event_categories",
    "event_credibility",
    "event_points",
    "event_severity",
    "event_summary",
    "forecast_categories",
    "forecast_open_on",
    "forecast_summary",
    "locate_forecast",
    "recency_weight",
]

SUMMARY_CHARS = 160


@dataclass(frozen=True, slots=True)
class LocatedForecast:
    """A stored forecast with the place its sentence names. A town has its point (and
    geonameid); a region only ``country`` and ``admin1``; a country only ``country``."""

    forecast: Forecast
    place: str | None = None
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None


def locate_forecast(forecast: Forecast, places: list[PlaceRef]) -> LocatedForecast:
    """A forecast at the most precise place its sentence names: the first town, else the
    first region, else the first country (natural features and unresolved names are
    not places of risk); no place: a LocatedForecast without one."""
    towns = [p for p in places if p.kind == "town" and p.country]
    regions = [p for p in places if p.kind == "region" and p.country and p.admin1]
    countries = [p for p in places if p.kind == "country" and p.country]
    if towns:
        p = towns[0]
        return LocatedForecast(
            forecast, place=p.name, country=p.country, admin1=p.admin1,
            geonameid=p.geonameid, lat=p.lat, lon=p.lon,
        )  # fmt: skip
    if regions:
        p = regions[0]
        return LocatedForecast(forecast, place=p.name, country=p.country, admin1=p.admin1)
    if countries:
        p = countries[0]
        return LocatedForecast(forecast, place=p.name, country=p.country)
    return LocatedForecast(forecast)


def event_categories(event: Event, params: RiskParams) -> tuple[str, ...]:
    """The risk categories an event feeds, in RISK_CATEGORIES order: those of its type,
    its sub-type and its tags; a strategic development by the state is political."""
    found = set(params.type_categories.get(event.event_type, ()))
    found.update(params.sub_type_categories.get(event.sub_event_type, ()))
    for tag in event.tags:
        found.update(params.tag_categories.get(tag, ()))
    if event.event_type in params.government_types and (
        event.inter1 in params.government_inters or event.inter2 in params.government_inters
    ):
        found.update(params.government_categories)
    return tuple(c for c in RISK_CATEGORIES if c in found)


def event_severity(event: Event, params: RiskParams) -> int:
    """1-5: the sub-type's severity, raised by the event's tags and its death toll."""
    severity = params.sub_type_severity.get(event.sub_event_type, params.default_severity)
    for tag in event.tags:
        severity = max(severity, params.tag_severity.get(tag, 1))
    deaths = event.fatalities or 0
    for threshold, at_least in params.fatality_severity:
        if deaths >= threshold:
            severity = max(severity, at_least)
    return severity


def event_credibility(event: Event, params: RiskParams) -> float:
    """0-1: the status's factor times that of the best Admiralty letter of the reports
    (``no_reports`` for an event without any, e.g. imported)."""
    status = params.status_credibility.get(event.status, min(params.status_credibility.values()))
    if not event.reports:
        return status * params.no_reports_credibility
    table = params.reliability_credibility
    best = max(table.get(r.reliability.upper()[:1], table["F"]) for r in event.reports)
    return status * best


def event_points(event: Event, params: RiskParams) -> float:
    """Points of an event where it happened, the day it happened: severity points,
    raised by the death toll, times credibility."""
    deaths = max(event.fatalities or 0, 0)
    toll = 1.0 + params.fatalities_weight * math.log2(1 + deaths)
    return params.points[event_severity(event, params)] * toll * event_credibility(event, params)


def recency_weight(age_days: int, params: RiskParams, *, window_days: int) -> float:
    """0-1: half-life decay with age in days; 0 in the future or past the window."""
    if age_days < 0 or age_days >= window_days:
        return 0.0
    return float(0.5 ** (age_days / params.half_life_days))


def distance_weight(km: float, params: RiskParams) -> float:
    """0-1: full up to ``inner_km``, then linearly down to ``edge_weight`` at the
    radius; 0 beyond it."""
    if km <= params.inner_km:
        return 1.0
    if km > params.radius_km:
        return 0.0
    span = params.radius_km - params.inner_km
    return 1.0 - (1.0 - params.edge_weight) * (km - params.inner_km) / span


def forecast_categories(forecast: Forecast, params: RiskParams) -> tuple[str, ...]:
    """The categories whose words the forecast's proposition names (none: it counts
    nowhere)."""
    text = fold(forecast.proposition)
    return tuple(
        c for c in RISK_CATEGORIES if (p := params.forecast_words.get(c)) and p.search(text)
    )


def forecast_open_on(forecast: Forecast, day: date) -> bool:
    """Whether the forecast was open on ``day``: made by then (or of unknown date), its
    deadline not passed, not yet resolved (resolved later: it was open then)."""
    if forecast.made_on is not None and forecast.made_on > day:
        return False
    if forecast.deadline < day:
        return False
    if forecast.status == "open":
        return True
    return forecast.resolved_on is not None and forecast.resolved_on > day


def _line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def event_summary(event: Event) -> str:
    """One line: date, sub-type and tags, place, toll, actors, status."""
    when = event.event_date.isoformat() if event.event_date else "undated"
    where = event.location or event.admin1 or event.country or "unknown place"
    kind = event.sub_event_type or event.event_type
    if event.tags:
        kind += f" ({', '.join(event.tags)})"
    text = f"{when}: {kind} at {where}"
    if event.fatalities:
        text += f", {event.fatalities} killed"
    if event.actor1_name:
        text += f"; {event.actor1_name}"
        if event.actor2_name:
            text += f" vs {event.actor2_name}"
    return _line(f"{text} ({event.status})")


def forecast_summary(forecast: Forecast) -> str:
    """One line: likelihood, deadline, proposition."""
    chance = round(forecast.probability * 100)
    head = f"forecast, {forecast.label} ({chance}%) by {forecast.deadline.isoformat()}"
    return _line(f"{head}: {forecast.proposition}")
