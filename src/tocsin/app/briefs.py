"""Analysts' briefs: what happened in an area over a period, what it means, what comes
next — every sentence with its sources.

:func:`build_brief` composes the store with the assessment stages, as ``event_update.py``
does: it gathers the area's events of the period and of the period before (for the
comparison), the judgments about the area's future (from the documents' annotations and
the located forecasts), the claims of the review that sources contradict, the risk levels
of the area and at each of the organisation's assets near it, and evidence for the
indicators to watch, into a :class:`~tocsin.report.brief.evidence.Material`; then
:func:`tocsin.report.brief.writer.write_brief` writes the sections from it.

Nothing reads the clock: the period ends on ``period_end`` and only documents published
by then count, so a brief for a past period reads the same whatever day it is written.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from tocsin.alert.assets import asset_centre, asset_distance_km
from tocsin.alert.places import in_region
from tocsin.app.review import cached_review
from tocsin.app.risk import located_forecasts
from tocsin.assess.risk.levels import (
    LocatedForecast,
    RiskParams,
    compute_risk,
    event_severity,
    load_risk_params,
    point_risk,
)
from tocsin.config import Settings
from tocsin.errors import InputError
from tocsin.geo.areas import Area
from tocsin.geo.distance import haversine_km
from tocsin.models import Asset, Brief, Event, EventFilter, RiskLevel
from tocsin.report.brief.evidence import (
    CredibilityIndex,
    DocInfo,
    Exposure,
    Material,
    best_reports,
    cite_report,
)
from tocsin.report.brief.gather import (
    Reading,
    claim_disagreements,
    claim_spans,
    danger_pattern,
    indications_of,
    outlooks_of,
    place_in,
    toll_disagreements,
)
from tocsin.report.brief.text import Phrases
from tocsin.report.brief.writer import write_brief
from tocsin.store import Store
from tocsin.text.fold import fold_same

__all__ = ["brief_id", "build_brief", "gather", "period_days"]

DOCUMENT_LIMIT = 5_000  # documents read for judgments and indicators, newest first
_PERIOD = re.compile(r"^\s*(\d{1,4})\s*([dwm]?)\s*$", re.IGNORECASE)
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30}


def period_days(value: str, *, where: str = "period") -> int:
    """Days in a period written "7d", "2w", "1m" (30 days) or "30"; ``InputError``
    naming ``where`` (the option or field) when it is none of these."""
    match = _PERIOD.match(value)
    days = int(match.group(1)) * _UNIT_DAYS[match.group(2).lower()] if match else 0
    if not 1 <= days <= 3660:
        raise InputError(
            f"{where} {value}",
            "not a period",
            "write a number of days (7d), weeks (2w) or months (1m)",
        )
    return days


def brief_id(area: Area, lang: str, period_start: date, period_end: date) -> str:
    """Stable: the same area, language and period always give the same id."""
    key = f"{area.key}|{area.name}|{lang}|{period_start}|{period_end}"
    return "b" + hashlib.sha256(key.encode()).hexdigest()[:16]


def build_brief(
    store: Store,
    *,
    area: Area,
    period_end: date,
    period_days: int = 7,
    lang: str = "en",
    settings: Settings | None = None,
    now: datetime | None = None,
) -> Brief:
    """The brief for ``area`` over the ``period_days`` days ending ``period_end``
    (inclusive), in ``lang`` ("en" or "fr"). ``now`` is recorded as its creation time;
    nothing else depends on it."""
    phrases = Phrases.load(lang)
    material = gather(
        store, area=area, period_end=period_end, period_days=period_days, phrases=phrases
    )
    brief = write_brief(material, phrases)
    return replace(brief, id=brief_id(area, lang, material.period_start, period_end), created=now)


# ----------------------------------------------------------------------- gathering


class Docs:
    """Documents read once from the store, as :class:`DocInfo` with the review's source
    letters."""

    def __init__(self, store: Store, letters: Mapping[str, str]) -> None:
        self.store = store
        self.letters = letters
        self.known: dict[str, DocInfo] = {}

    def need(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            if doc_id not in self.known and (doc := self.store.get_document(doc_id)):
                self.known[doc_id] = DocInfo.of(doc, letter=self.letters.get(doc.source.id))

    def add(self, info: DocInfo) -> None:
        self.known.setdefault(info.id, info)


def read_documents(store: Store, docs: Docs, *, since: date, cutoff: datetime) -> list[Reading]:
    """The extracted documents published from ``since`` to ``cutoff`` (copies left
    out), oldest first, each with its annotations; read into ``docs`` on the way."""
    readings = []
    for row in store.list_documents(limit=DOCUMENT_LIMIT):
        if row.published is None or row.published > cutoff or row.published.date() < since:
            continue
        if row.duplicate_of:
            continue  # a copy says what its original says
        ann = store.load_annotations(row.id)
        if ann is None:
            continue
        docs.need([row.id])
        if row.id in docs.known:
            readings.append(Reading(docs.known[row.id], ann))
    readings.sort(key=lambda r: (r.doc.published or date.min, r.doc.id))
    return readings


def gather(
    store: Store,
    *,
    area: Area,
    period_end: date,
    period_days: int,
    phrases: Phrases,
    params: RiskParams | None = None,
) -> Material:
    """Everything the brief says, read from the store as of ``period_end``."""
    days = max(1, period_days)
    start = period_end - timedelta(days=days - 1)
    before = start - timedelta(days=days)
    params = params or load_risk_params()
    cutoff = datetime.combine(period_end, time.max, tzinfo=UTC)
    found = cached_review(store)  # the web generates briefs often: one review per change
    letters = {g.source.id: g.grade.letter for g in found.sources}
    credibility = CredibilityIndex(claim_spans(found))
    docs = Docs(store, letters)

    window = _known_by(
        store.list_events(
            EventFilter(
                country=area.country if area.scope != "all" else None,
                since=before - timedelta(days=params.window_days),
                until=period_end,
            )
        ),
        cutoff,
    )
    mine = [e for e in window if e.event_date and e.event_date >= before and area.contains(e)]
    events = tuple(e for e in mine if e.event_date and e.event_date >= start)
    previous = tuple(e for e in mine if e.event_date and e.event_date < start)
    for event in mine:
        docs.need(r.document_id for r in event.reports)
    citations = {
        e.id: tuple(
            cite_report(r, docs.known, credibility, e.id) for r in best_reports(e, docs.known)
        )
        for e in mine
    }

    located = [
        lf
        for lf in located_forecasts(store, open_on=period_end)
        if lf.forecast.made_on is None or lf.forecast.made_on <= period_end
    ]
    settings = phrases.settings
    lookback = start - timedelta(days=int(settings.get("judgment_days", 90)))
    readings = read_documents(store, docs, since=lookback, cutoff=cutoff)
    outlooks = outlooks_of(
        readings,
        area,
        located,
        credibility,
        until=period_end,
        danger=danger_pattern(settings),
        dependent=tuple(fold_same(str(w)) for w in settings.get("dependent_openings", [])),
    )
    new = sum(1 for o in outlooks if o.made_on is not None and o.made_on >= start)
    mentions: Counter[str] = Counter()
    for reading in readings:
        about = any(place_in(area, p) for p in reading.focus)
        if about and reading.doc.published is not None and reading.doc.published >= before:
            mentions.update(a.actor_id for a in reading.ann.actors)

    risks: tuple[RiskLevel, ...] = ()
    if area.scope != "all":
        levels = compute_risk(
            window, asof=period_end, period_days=days, forecasts=located, params=params
        )
        risks = tuple(lv for lv in levels if lv.place_key == area.key)
    near_km = float(settings.get("near_km", 50.0))
    exposures = tuple(
        _exposure(
            asset,
            events,
            window,
            located,
            near_km=near_km,
            asof=period_end,
            days=days,
            params=params,
        )
        for asset in store.list_assets()
        if _asset_near_area(asset, area, mine, near_km)
    )
    disagreements = (
        *toll_disagreements(_newest_first(mine), docs.known, credibility),
        *claim_disagreements(found, readings, area, docs.known, credibility, start, cutoff),
    )
    indications = indications_of(
        settings.get("indicators", {}), mine, readings, area, citations, credibility
    )
    return Material(
        area_name=area.name,
        area_scope=area.scope,
        area_key=area.key,
        lang=phrases.lang,
        period_start=start,
        period_end=period_end,
        days=days,
        events=_newest_first(events),
        previous=_newest_first(previous),
        citations=citations,
        outlooks=tuple(outlooks),
        new_judgments=new,
        mentions=dict(mentions),
        risks=risks,
        exposures=exposures,
        near_km=near_km,
        disagreements=tuple(disagreements),
        indications=tuple(indications),
        docs=dict(docs.known),
        severity={e.id: event_severity(e, params) for e in mine},
    )


def _newest_first(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(sorted(events, key=lambda e: (e.event_date or date.min, e.id), reverse=True))


def _known_by(events: Iterable[Event], cutoff: datetime) -> list[Event]:
    """The events as known at ``cutoff``: reports published later are left out, and an
    event none of whose reports was out yet is dropped."""
    kept = []
    for event in events:
        reports = tuple(r for r in event.reports if r.published is None or r.published <= cutoff)
        if reports:
            kept.append(
                event if len(reports) == len(event.reports) else replace(event, reports=reports)
            )
    return kept


# ------------------------------------------------------------------------- assets


def _asset_near_area(asset: Asset, area: Area, events: Sequence[Event], near_km: float) -> bool:
    """Whether an asset concerns the area: in it (a town's radius, a country or region
    by the asset's places), or within ``near_km`` of one of the area's events."""
    if area.scope == "all":
        return True
    if area.scope == "town" and area.lat is not None and area.lon is not None:
        if asset_distance_km(asset, area.lat, area.lon) <= area.radius_km:
            return True
    elif area.country and in_region(
        asset, area.country, area.admin1 if area.scope == "admin1" else None
    ):
        return True
    return any(
        e.lat is not None
        and e.lon is not None
        and asset_distance_km(asset, e.lat, e.lon) <= near_km
        for e in events
    )


def _exposure(
    asset: Asset,
    events: Sequence[Event],
    window: Sequence[Event],
    located: Sequence[LocatedForecast],
    *,
    near_km: float,
    asof: date,
    days: int,
    params: RiskParams,
) -> Exposure:
    placed = [
        (asset_distance_km(asset, e.lat, e.lon), e)
        for e in events
        if e.lat is not None and e.lon is not None
    ]
    placed.sort(key=lambda pair: (pair[0], pair[1].id))
    nearest = placed[0] if placed else None
    lat, lon = _risk_point(asset, nearest[1] if nearest else None)
    levels = point_risk(
        lat,
        lon,
        window,
        asof=asof,
        period_days=days,
        forecasts=located,
        params=params,
        name=asset.name,
    )
    top = max(levels, key=lambda lv: (lv.level, lv.score), default=None)
    return Exposure(
        asset=asset,
        nearest=nearest[1] if nearest else None,
        distance_km=nearest[0] if nearest else None,
        near=tuple(e for km, e in placed if km <= near_km),
        risk=top,
    )


def _risk_point(asset: Asset, event: Event | None) -> tuple[float, float]:
    """Where to read an asset's risk: its centre, or for a route the vertex nearest to
    the period's nearest event (a route's centre may lie far from any danger)."""
    centre = asset_centre(asset)
    if asset.geometry != "line" or event is None or event.lat is None or event.lon is None:
        return centre
    lat0, lon0 = event.lat, event.lon
    return min((centre, *asset.coords), key=lambda p: haversine_km(p[0], p[1], lat0, lon0))
