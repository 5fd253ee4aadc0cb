"""Matching: which events, risk changes and forecasts concern which rules and assets.

Pure functions of central objects. Each returns only what should be said: a new alert,
or an alert whose subject changed in a way that matters (its ``fingerprint``: an
event's status, independent sources, figures, date and place; a risk level; a
forecast's status and probability), as the next ``version`` of the known alert with
the same key. An unchanged subject gives nothing. One alert per (rule, asset, subject);
with an area rule the asset is None.

A rule with an ``area`` matches what lies in that area (``areas`` maps the rule's area
text to the resolved ``Area``; an area missing from it matches nothing). A rule with an
``asset_id`` matches within ``distance_km`` of that asset; a rule with neither, within
``distance_km`` of every asset. Events are found near assets through a grid
(``alert/geometry.py``), never by measuring every pair.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np

from tocsin.alert.geometry import PointGrid, asset_shape
from tocsin.alert.places import in_region
from tocsin.alert.wording import (
    AlertWords,
    MatchParams,
    clean,
    event_summary,
    event_title,
    forecast_text,
    load_alert_words,
    risk_text,
)
from tocsin.assess.risk.params import RiskParams, load_risk_params
from tocsin.assess.risk.weights import (
    LocatedForecast,
    event_categories,
    event_severity,
    forecast_categories,
    forecast_open_on,
)
from tocsin.geo.areas import Area
from tocsin.models import Alert, AlertQuote, AlertRule, Asset, Event, Kind, SourcedReport

if TYPE_CHECKING:
    from tocsin.assess.risk.levels import RiskChange

__all__ = [
    "alert_id",
    "alert_key",
    "alert_severity",
    "event_fingerprint",
    "event_quotes",
    "match_events",
    "match_forecasts",
    "match_risk",
]

_GRADES = "ABCDEF"
_NO_AREAS: Mapping[str, Area] = {}


def alert_key(rule_id: str, asset_id: str | None, kind: str, subject_id: str) -> str:
    """ "rule|asset|kind|subject" ("*" for an area rule's missing asset)."""
    return f"{rule_id}|{asset_id or '*'}|{kind}|{subject_id}"


def alert_id(key: str) -> str:
    """The alert's stable id, from its key."""
    return "al" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _digest(*parts: object) -> str:
    text = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def event_fingerprint(event: Event) -> str:
    """What makes an event alert worth sending again when it changes: status,
    independent sources, figures, date and place."""
    lat = None if event.lat is None else round(event.lat, 3)
    lon = None if event.lon is None else round(event.lon, 3)
    return _digest(
        "event", event.status, event.independent, event.fatalities, event.fatalities_low,
        event.fatalities_high, event.event_date, event.time_precision, event.location,
        event.geonameid, lat, lon,
    )  # fmt: skip


def alert_severity(base: int, distance_km: float | None, rule: AlertRule, m: MatchParams) -> int:
    """1-5: the event's severity, raised inside the asset's footprint, lowered beyond
    ``far_fraction`` of the rule's distance; an area rule's is the event's."""
    if distance_km is None:
        return base
    if distance_km <= 0:
        return min(5, base + m.inside_raise)
    if distance_km > m.far_fraction * rule.distance_km:
        return max(1, base - m.far_drop)
    return base


def _quote_rank(report: SourcedReport) -> tuple[bool, bool, int, bool, str, str]:
    grade = _GRADES.find(report.reliability.upper()[:1])
    published = report.published.isoformat() if report.published else "9999"
    return (
        report.kind == Kind.COMMENT,
        report.copy_of is not None,
        grade if grade >= 0 else len(_GRADES),
        report.kind != Kind.OFFICIAL,
        published,
        report.id,
    )


def event_quotes(event: Event, *, limit: int = 3, chars: int = 300) -> tuple[AlertQuote, ...]:
    """Up to ``limit`` quotes from the event's reports, one per document, best graded
    first (originals before copies, reader comments last); a copy of a document already
    quoted, or the same words again, adds nothing."""
    quotes: list[AlertQuote] = []
    documents: set[str] = set()
    texts: set[str] = set()
    for report in sorted(event.reports, key=_quote_rank):
        text = clean(report.quote, chars)
        copied = report.copy_of is not None and report.copy_of in documents
        if not text or report.document_id in documents or copied or text in texts:
            continue
        documents.add(report.document_id)
        texts.add(text)
        quotes.append(
            AlertQuote(
                document_id=report.document_id,
                source=report.source_id,
                reliability=report.reliability.upper()[:1] or "F",
                text=text,
            )
        )
        if len(quotes) == limit:
            break
    return tuple(quotes)


def _unchanged(key: str, fingerprint: str, known: Mapping[str, Alert]) -> bool:
    old = known.get(key)
    return old is not None and old.fingerprint == fingerprint


def _versioned(alert: Alert, known: Mapping[str, Alert]) -> Alert:
    """A new alert as built, or the next version of the known one with its key."""
    old = known.get(alert.key)
    if old is None:
        return alert
    return replace(alert, id=old.id, version=old.version + 1, created=old.created or alert.created)


def _targets(rule: AlertRule, assets: Sequence[Asset]) -> list[Asset]:
    if rule.area:
        return []
    if rule.asset_id:
        return [a for a in assets if a.id == rule.asset_id]
    return list(assets)


def _category(found: Sequence[str], rule: AlertRule) -> str | None:
    if rule.categories:
        return next((c for c in found if c in rule.categories), None)
    return found[0] if found else None


# ---------------------------------------------------------------- events


def match_events(
    events: Sequence[Event],
    assets: Sequence[Asset],
    rules: Sequence[AlertRule],
    *,
    params: RiskParams,
    known: Mapping[str, Alert],
    now: datetime,
    areas: Mapping[str, Area] = _NO_AREAS,
    words: AlertWords | None = None,
) -> list[Alert]:
    """Event alerts, new or updated, sorted by key. An event matches a rule when its
    categories meet the rule's (if any), its alert severity reaches ``min_severity``,
    and it lies in the rule's area or within ``distance_km`` of an asset."""
    rules = [r for r in rules if "event" in r.kinds]
    if not rules or not events:
        return []
    words = words or load_alert_words()
    m = words.match
    severity = np.array([event_severity(e, params) for e in events], dtype=np.int64)
    categories = [event_categories(e, params) for e in events]
    prints: dict[int, str] = {}  # per event: computed once, whatever the rules and assets
    quotes: dict[int, tuple[AlertQuote, ...]] = {}
    summaries: dict[tuple[str, int], str] = {}
    located = np.array(
        [i for i, e in enumerate(events) if e.lat is not None and e.lon is not None],
        dtype=np.intp,
    )
    grid: PointGrid | None = None
    found: list[Alert] = []

    def emit(rule: AlertRule, index: int, asset: Asset | None, distance: float | None) -> None:
        event = events[index]
        level = alert_severity(int(severity[index]), distance, rule, m)
        if level < rule.min_severity:
            return
        key = alert_key(rule.id, asset.id if asset else None, "event", event.id)
        if index not in prints:
            prints[index] = event_fingerprint(event)
        if _unchanged(key, prints[index], known):
            return
        title = event_title(event, rule=rule, words=words, asset=asset, distance_km=distance)
        if (rule.id, index) not in summaries:
            summaries[(rule.id, index)] = event_summary(event, rule=rule, words=words)
        if index not in quotes:
            quotes[index] = event_quotes(event, limit=m.quotes, chars=m.quote_chars)
        alert = Alert(
            id=alert_id(key), key=key, rule_id=rule.id, kind="event", subject_id=event.id,
            severity=level, title=title, summary=summaries[(rule.id, index)],
            fingerprint=prints[index],
            asset_id=asset.id if asset else None, category=_category(categories[index], rule),
            distance_km=None if distance is None else round(distance, 3),
            lat=event.lat, lon=event.lon,
            quotes=quotes[index], created=now, updated=now,
        )  # fmt: skip
        found.append(_versioned(alert, known))

    for rule in rules:
        eligible = severity + m.inside_raise >= rule.min_severity
        if rule.categories:
            wanted = set(rule.categories)
            eligible &= np.array([bool(wanted.intersection(c)) for c in categories], dtype=bool)
        if rule.area:
            area = areas.get(rule.area)
            if area is None:
                continue
            for index in np.flatnonzero(eligible).tolist():
                if area.contains(events[index]):
                    emit(rule, index, None, None)
            continue
        targets = _targets(rule, assets)
        if not targets or not len(located):
            continue
        if grid is None:
            lats = np.array([events[i].lat for i in located], dtype=np.float64)
            lons = np.array([events[i].lon for i in located], dtype=np.float64)
            grid = PointGrid(lats, lons)
        near_ok = eligible[located]
        for asset in targets:
            picked, distances = grid.near(asset_shape(asset), rule.distance_km)
            for point, distance in zip(picked.tolist(), distances.tolist(), strict=True):
                if near_ok[point]:
                    emit(rule, int(located[point]), asset, distance)
    return sorted(found, key=lambda a: a.key)


# ---------------------------------------------------------------- risk changes


def _touches(asset: Asset, change: RiskChange, params: RiskParams) -> tuple[bool, float | None]:
    """Whether a level's place touches the asset, and the km from the asset to a town."""
    level = change.level
    if level.scope in ("town", "point"):
        if level.lat is None or level.lon is None:
            return False, None
        distance = asset_shape(asset).distance_km(level.lat, level.lon)
        return distance <= params.radius_km, distance
    if level.scope == "admin1":
        return in_region(asset, level.country, level.admin1 or "?"), None
    if level.scope == "country":
        return in_region(asset, level.country), None
    return False, None


def match_risk(
    changes: Sequence[RiskChange],
    assets: Sequence[Asset],
    rules: Sequence[AlertRule],
    *,
    known: Mapping[str, Alert],
    now: datetime,
    areas: Mapping[str, Area] = _NO_AREAS,
    params: RiskParams | None = None,
    words: AlertWords | None = None,
) -> list[Alert]:
    """Risk-change alerts, new or updated, sorted by key. A change matches when its
    category meets the rule's, its level reaches ``min_level`` (or it falls from there
    below it), and its place is in the rule's area or touches an asset: a town within
    its catchment (``radius_km`` of knowledge/risk.toml) of the asset, a region or a
    country the asset lies in. The alert's severity is the level."""
    rules = [r for r in rules if "risk" in r.kinds]
    if not rules or not changes:
        return []
    params = params or load_risk_params()
    words = words or load_alert_words()
    found: list[Alert] = []
    for rule in rules:
        for change in changes:
            level, before = change.level, change.before
            if rule.categories and level.category not in rule.categories:
                continue
            falls = before is not None and before >= rule.min_level > level.level
            if level.level < rule.min_level and not falls:
                continue
            subject = f"{level.place_key}/{level.category}"
            fingerprint = _digest("risk", level.level)
            places: list[tuple[Asset | None, float | None]] = []
            if rule.area:
                area = areas.get(rule.area)
                if area is not None and area.contains_level(level):
                    places.append((None, None))
            else:
                for target in _targets(rule, assets):
                    touches, distance = _touches(target, change, params)
                    if touches:
                        places.append((target, distance))
            for asset, distance in places:
                key = alert_key(rule.id, asset.id if asset else None, "risk", subject)
                if _unchanged(key, fingerprint, known):
                    continue
                title, summary = risk_text(level, before, rule=rule, words=words, asset=asset)
                alert = Alert(
                    id=alert_id(key), key=key, rule_id=rule.id, kind="risk", subject_id=subject,
                    severity=level.level, title=title, summary=summary, fingerprint=fingerprint,
                    asset_id=asset.id if asset else None, category=level.category,
                    distance_km=None if distance is None else round(distance, 3),
                    lat=level.lat, lon=level.lon, created=now, updated=now,
                )  # fmt: skip
                found.append(_versioned(alert, known))
    return sorted(found, key=lambda a: a.key)


# ---------------------------------------------------------------- forecasts


def _forecast_severity(probability: float, m: MatchParams) -> int:
    for at_least, severity in m.forecast_severity:
        if probability >= at_least:
            return severity
    return 1


def _forecast_touches(
    asset: Asset, located: LocatedForecast, rule: AlertRule
) -> tuple[bool, float | None]:
    """A forecast about a town within the rule's distance of the asset, or about a
    region the asset lies in (one about a whole country is for area rules)."""
    if located.lat is not None and located.lon is not None:
        distance = asset_shape(asset).distance_km(located.lat, located.lon)
        return distance <= rule.distance_km, distance
    if located.admin1:
        return in_region(asset, located.country, located.admin1), None
    return False, None


def match_forecasts(
    forecasts: Sequence[LocatedForecast],
    assets: Sequence[Asset],
    rules: Sequence[AlertRule],
    *,
    known: Mapping[str, Alert],
    now: datetime,
    areas: Mapping[str, Area] = _NO_AREAS,
    asof: date | None = None,
    params: RiskParams | None = None,
    words: AlertWords | None = None,
) -> list[Alert]:
    """Forecast alerts, new or updated, sorted by key: forecasts open on ``asof``
    (default: the day of ``now``) whose probability reaches ``min_probability``, whose
    proposition names one of the rule's categories (if any), about a place in the
    rule's area or near an asset."""
    rules = [r for r in rules if "forecast" in r.kinds]
    if not rules or not forecasts:
        return []
    params = params or load_risk_params()
    words = words or load_alert_words()
    m = words.match
    day = asof or now.date()
    found: list[Alert] = []
    for rule in rules:
        for located in forecasts:
            forecast = located.forecast
            if not forecast_open_on(forecast, day) or forecast.status != "open":
                continue
            if forecast.probability < rule.min_probability:
                continue
            categories = forecast_categories(forecast, params)
            if rule.categories and not set(categories) & set(rule.categories):
                continue
            places: list[tuple[Asset | None, float | None]] = []
            if rule.area:
                area = areas.get(rule.area)
                inside = area is not None and area.contains_point(
                    located.lat, located.lon, country=located.country, admin1=located.admin1
                )
                if inside:
                    places.append((None, None))
            else:
                for target in _targets(rule, assets):
                    touches, distance = _forecast_touches(target, located, rule)
                    if touches:
                        places.append((target, distance))
            fingerprint = _digest("forecast", forecast.status, round(forecast.probability, 3))
            for asset, distance in places:
                key = alert_key(rule.id, asset.id if asset else None, "forecast", forecast.id)
                if _unchanged(key, fingerprint, known):
                    continue
                title, summary = forecast_text(
                    forecast.proposition, label=forecast.label, probability=forecast.probability,
                    deadline=forecast.deadline, holder=forecast.holder, place=located.place,
                    rule=rule, words=words, asset=asset, distance_km=distance,
                )  # fmt: skip
                quote = AlertQuote(
                    document_id=forecast.document_id,
                    source=forecast.source_id,
                    reliability="",
                    text=clean(forecast.proposition, m.quote_chars),
                )
                alert = Alert(
                    id=alert_id(key), key=key, rule_id=rule.id, kind="forecast",
                    subject_id=forecast.id, severity=_forecast_severity(forecast.probability, m),
                    title=title, summary=summary, fingerprint=fingerprint,
                    asset_id=asset.id if asset else None, category=_category(categories, rule),
                    distance_km=None if distance is None else round(distance, 3),
                    lat=located.lat, lon=located.lon, quotes=(quote,), created=now, updated=now,
                )  # fmt: skip
                found.append(_versioned(alert, known))
    return sorted(found, key=lambda a: a.key)
