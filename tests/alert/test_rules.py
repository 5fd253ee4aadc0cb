"""Matching events, risk changes and forecasts against rules and assets: new alerts,
updates when the subject changes, nothing when it does not; areas, categories,
severity, distance; quotes best graded first; titles in the rule's language."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from tocsin.alert.assets import asset_distance_km
from tocsin.alert.rules import (
    alert_id,
    alert_key,
    event_fingerprint,
    event_quotes,
    match_events,
    match_forecasts,
    match_risk,
)
from tocsin.assess.risk.levels import RiskChange
from tocsin.assess.risk.params import load_risk_params
from tocsin.assess.risk.weights import LocatedForecast
from tocsin.geo.areas import Area
from tocsin.models import (
    AlertQuote,
    AlertRule,
    Asset,
    Event,
    EventReport,
    Forecast,
    Kind,
    RiskContribution,
    RiskLevel,
    SourcedReport,
    Span,
)

NOW = datetime(2025, 11, 5, 8, 0, tzinfo=UTC)
LATER = datetime(2025, 11, 6, 9, 30, tzinfo=UTC)
PARAMS = load_risk_params()

OFFICE = Asset("office", "Bureau de Bamako", "site", "point", ((12.6392, -8.0029),), 1.0)
ROUTE = Asset(
    "road",
    "Corridor Dakar–Bamako",
    "route",
    "line",
    ((13.77, -13.67), (14.4469, -11.4453), (14.54, -9.1833), (13.8833, -8.0833), (12.74, -8.0667)),
    radius_km=10.0,
)
MINE = Asset("mine", "Mine de Kayes", "site", "point", ((13.9, -11.7),), 5.0)
ASSETS = (OFFICE, ROUTE, MINE)
NEAR = AlertRule(id="near", name="Sites", distance_km=40.0, min_severity=2, lang="fr")
MALI = Area(name="Mali", scope="country", country="ML")


def sourced(
    doc: str,
    source: str,
    quote: str,
    *,
    reliability: str = "C",
    kind: Kind = Kind.NEWS,
    copy_of: str | None = None,
    day: int = 4,
    part: str = "body",
) -> SourcedReport:
    report = EventReport(
        span=Span(doc, part, 0, len(quote)),
        trigger=Span(doc, part, 0, 4),
        trigger_text=quote[:4],
        event_type="Violence against civilians",
        sub_event_type="Attack",
    )
    return SourcedReport(
        id=f"{doc}:{part}:0",
        report=report,
        source_id=source,
        kind=kind,
        reliability=reliability,
        copy_of=copy_of,
        published=datetime(2025, 11, day, tzinfo=UTC),
        quote=quote,
    )


REPORT_A = sourced("dA", "sahel-libre", "des hommes armés ont attaqué un convoi près de Kati")


def event(event_id: str, lat: float | None, lon: float | None, **kw: object) -> Event:
    values: dict[str, object] = dict(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        event_date=date(2025, 11, 4),
        time_precision=1,
        actor1="jnim",
        actor1_name="JNIM",
        actor2="civilians-mali",
        actor2_name="Civilians (Mali)",
        location="Kati",
        country="ML",
        admin1="Koulikoro",
        geo_precision=1,
        fatalities=12,
        reports=(REPORT_A,),
    )
    values.update(kw)
    return Event(id=event_id, lat=lat, lon=lon, **values)  # type: ignore[arg-type]


# Kati: about 12 km north-west of the office's edge, on the route (within its buffer)
KATI = event("ev-kati", 12.744, -8.072)


# ---------------------------------------------------------------- events


def test_a_new_event_near_assets_gives_one_alert_per_asset() -> None:
    found = match_events([KATI], ASSETS, [NEAR], params=PARAMS, known={}, now=NOW)
    assert [(a.asset_id, a.severity, a.distance_km) for a in found] == [
        ("office", 4, 12.856),  # an attack with 10 or more killed: 4
        ("road", 5, 0.0),  # inside the route's buffer: one step more severe
    ]
    office = found[0]
    key = "near|office|event|ev-kati"
    assert office == replace(
        office,
        id=alert_id(key),
        key=key,
        rule_id="near",
        kind="event",
        subject_id="ev-kati",
        title="Attaque à Kati, 4 novembre 2025, à 13 km de Bureau de Bamako : 12 morts (signalé)",
        summary=(
            "4 novembre 2025, Kati, Koulikoro, ML : JNIM contre Civilians (Mali). "
            "Bilan : 12 morts. Statut : signalé (1 source indépendante). Règle « Sites »."
        ),
        fingerprint=event_fingerprint(KATI),
        version=1,
        category="conflict",
        lat=12.744,
        lon=-8.072,
        quotes=(
            AlertQuote(
                "dA", "sahel-libre", "C", "des hommes armés ont attaqué un convoi près de Kati"
            ),
        ),
        created=NOW,
        updated=NOW,
    )
    assert found[1].title == (
        "Attaque à Kati, 4 novembre 2025"
        ", dans le périmètre de Corridor Dakar–Bamako : 12 morts (signalé)"
    )


def test_corroboration_gives_the_next_version_and_nothing_else_does() -> None:
    first = match_events([KATI], [OFFICE], [NEAR], params=PARAMS, known={}, now=NOW)
    known = {a.key: a for a in first}
    assert match_events([KATI], [OFFICE], [NEAR], params=PARAMS, known=known, now=LATER) == []
    # a second outlet reports it: corroborated, two independent sources, a new figure
    report_b = sourced("dB", "radio-sahel", "l'attaque de Kati a fait 14 morts", day=5)
    corroborated = replace(
        KATI,
        status="corroborated",
        independent=2,
        fatalities=14,
        fatalities_low=12,
        fatalities_high=14,
        reports=(REPORT_A, report_b),
    )
    (update,) = match_events(
        [corroborated], [OFFICE], [NEAR], params=PARAMS, known=known, now=LATER
    )
    assert (update.id, update.key, update.version) == (first[0].id, first[0].key, 2)
    assert (update.created, update.updated) == (NOW, LATER)
    assert (
        update.title
        == "Attaque à Kati, 4 novembre 2025, à 13 km de Bureau de Bamako : 14 morts (corroboré)"
    )
    assert "Bilan : 12 à 14 morts. Statut : corroboré (2 sources indépendantes)." in (
        update.summary
    )
    assert len(update.quotes) == 2
    # a change that does not matter (a note, an actor's spelling) is not an update
    known = {update.key: update}
    renamed = replace(corroborated, notes="edited", actor1_name="JNIM (GSIM)")
    assert match_events([renamed], [OFFICE], [NEAR], params=PARAMS, known=known, now=LATER) == []


def test_distance_and_severity() -> None:
    # 30 km east of the office: farther than half the rule's distance, one step less
    east = event("ev-east", 12.6392, -7.72)
    (alert,) = match_events([east], [OFFICE], [NEAR], params=PARAMS, known={}, now=NOW)
    assert (alert.severity, round(alert.distance_km or 0)) == (3, 30)
    # 50 km away: beyond the rule's 40 km
    far = event("ev-far", 12.6392, -7.54)
    assert match_events([far], [OFFICE], [NEAR], params=PARAMS, known={}, now=NOW) == []
    # a peaceful protest (severity 1) under a rule asking for 2 or more
    protest = event(
        "ev-protest", 12.70, -8.0, event_type="Protests", sub_event_type="Peaceful protest",
        fatalities=None,
    )  # fmt: skip
    assert match_events([protest], [OFFICE], [NEAR], params=PARAMS, known={}, now=NOW) == []
    # ...but inside the office's radius it is raised to 2
    inside = replace(protest, id="ev-inside", lat=12.6392, lon=-8.0029)
    (alert,) = match_events([inside], [OFFICE], [NEAR], params=PARAMS, known={}, now=NOW)
    assert (alert.severity, alert.distance_km, alert.category) == (2, 0.0, "unrest")
    assert alert.title == (
        "Manifestation pacifique à Kati, 4 novembre 2025"
        ", dans le périmètre de Bureau de Bamako (signalé)"
    )
    # an event without coordinates never matches an asset
    assert match_events([event("ev-x", None, None)], ASSETS, [NEAR], params=PARAMS, known={},
                        now=NOW) == []  # fmt: skip


def test_an_asset_rule_sees_its_asset_only_and_categories_filter() -> None:
    mine_only = replace(NEAR, id="mine", asset_id="mine", distance_km=100.0, lang="en")
    kayes = event("ev-kayes", 14.45, -11.44, location="Kayes", admin1="Kayes", fatalities=0)
    found = match_events([KATI, kayes], ASSETS, [mine_only], params=PARAMS, known={}, now=NOW)
    assert [(a.asset_id, a.subject_id, a.title) for a in found] == [
        (
            "mine",
            "ev-kayes",
            "Attack in Kayes, 4 November 2025, 62 km from Mine de Kayes: no one killed (reported)",
        ),
    ]
    crime = replace(NEAR, id="crime", categories=("crime",))
    abduction = replace(
        KATI, id="ev-abduction", sub_event_type="Abduction/forced disappearance", fatalities=None
    )
    found = match_events([KATI, abduction], ASSETS, [crime], params=PARAMS, known={}, now=NOW)
    assert [(a.asset_id, a.subject_id, a.category) for a in found] == [
        ("office", "ev-abduction", "crime"),
        ("road", "ev-abduction", "crime"),
    ]
    assert (
        found[0].title
        == "Enlèvement à Kati, 4 novembre 2025, à 13 km de Bureau de Bamako (signalé)"
    )


def test_an_area_rule_matches_inside_the_area_without_an_asset() -> None:
    rule = AlertRule(id="mali", name="Mali", area="ML", kinds=("event",), lang="en")
    djibo = event("ev-djibo", 14.1, -1.63, country="BF", admin1="Sahel", location="Djibo")
    undated_place = event("ev-somewhere", None, None, location=None)
    found = match_events(
        [KATI, djibo, undated_place], ASSETS, [rule], params=PARAMS, known={}, now=NOW,
        areas={"ML": MALI},
    )  # fmt: skip
    assert [(a.key, a.asset_id, a.distance_km, a.title) for a in found] == [
        ("mali|*|event|ev-kati", None, None, "Attack in Kati: 12 killed (reported)"),
        ("mali|*|event|ev-somewhere", None, None, "Attack (ML): 12 killed (reported)"),
    ]
    assert found[0].summary == (
        "4 November 2025, Kati, Koulikoro, ML: JNIM against Civilians (Mali). "
        'Toll: 12 killed. Status: reported (1 independent source). Rule "Mali".'
    )
    # an area the caller could not resolve matches nothing
    assert match_events([KATI], ASSETS, [rule], params=PARAMS, known={}, now=NOW) == []


def test_the_grid_matches_what_measuring_every_pair_would() -> None:
    rng = random.Random(11)
    events = [
        event(f"ev-{i}", rng.uniform(11.5, 15.0), rng.uniform(-12.5, -7.0), fatalities=i % 5)
        for i in range(400)
    ]
    rule = replace(NEAR, min_severity=1)
    found = match_events(events, ASSETS, [rule], params=PARAMS, known={}, now=NOW)
    expected = sorted(
        alert_key("near", asset.id, "event", e.id)
        for e in events
        for asset in ASSETS
        if asset_distance_km(asset, e.lat or 0.0, e.lon or 0.0) <= 40.0
    )
    assert [a.key for a in found] == expected
    assert len(expected) > 40


def test_quotes_are_best_graded_first_one_per_document() -> None:
    reports = (
        sourced("d1", "blog", "un blog dit ceci", reliability="E"),
        sourced("d2", "wire", "une agence dit cela", reliability="B"),
        sourced("d3", "copy", "une agence dit cela", reliability="A", copy_of="d2"),
        sourced("d2", "wire", "et encore", reliability="B", part="c1", day=6),
        sourced("d4", "reader", "un lecteur", reliability="A", kind=Kind.COMMENT),
        sourced("d5", "ministry", "le ministère confirme", reliability="B", kind=Kind.OFFICIAL),
        sourced("d6", "silent", "   ", reliability="A"),
    )
    quotes = event_quotes(replace(KATI, reports=reports))
    assert [(q.document_id, q.source, q.reliability, q.text) for q in quotes] == [
        ("d5", "ministry", "B", "le ministère confirme"),
        ("d2", "wire", "B", "une agence dit cela"),
        ("d1", "blog", "E", "un blog dit ceci"),
    ]
    # more room: the reader's comment comes last; the copy of d2 and the blank never
    every = event_quotes(replace(KATI, reports=reports), limit=5)
    assert [q.document_id for q in every] == ["d5", "d2", "d1", "d4"]
    long = sourced("d7", "x", "mot " * 200)
    (quote,) = event_quotes(replace(KATI, reports=(long,)), chars=20)
    assert quote.text == "mot mot mot mot mot…"


# ---------------------------------------------------------------- risk changes


def level(place_key: str, scope: str, name: str, value: int, **kw: object) -> RiskLevel:
    return RiskLevel(
        place_key=place_key,
        scope=scope,
        name=name,
        category=str(kw.pop("category", "conflict")),
        level=value,
        score=float(value * 10),
        period_start=date(2025, 11, 29),
        period_end=date(2025, 12, 5),
        **kw,  # type: ignore[arg-type]
    )


KATI_TOWN = level(
    "town:2455558", "town", "Kati", 5, country="ML", admin1="Koulikoro", lat=12.744, lon=-8.072,
    contributions=(RiskContribution("event", "ev-kati", 0.6, "2025-11-04: Attack at Kati"),),
)  # fmt: skip
RISK = replace(NEAR, id="risk", kinds=("risk",), min_level=4, lang="en")


def test_a_risk_change_near_or_around_an_asset() -> None:
    changes = [
        RiskChange(KATI_TOWN, 4),  # Kati: within 50 km of the office and on the route
        RiskChange(level("admin1:ML:Kayes", "admin1", "Kayes", 4, country="ML", admin1="Kayes"), 3),
        RiskChange(level("country:SN", "country", "Senegal", 4, country="SN"), None),
        RiskChange(level("country:NE", "country", "Niger", 5, country="NE"), 2),
        RiskChange(level("town:1", "town", "Gao", 5, lat=16.27, lon=-0.04), 3),
        RiskChange(level("admin1:ML:Kayes", "admin1", "Kayes", 3, country="ML", admin1="Kayes",
                         category="crime"), 1),  # below min_level, rising: nothing
    ]  # fmt: skip
    found = match_risk(changes, ASSETS, [RISK], known={}, now=NOW)
    assert [(a.asset_id, a.subject_id, a.severity, a.title) for a in found] == [
        ("mine", "admin1:ML:Kayes/conflict", 4,
         "Risk of armed conflict and terrorism in Kayes: moderate → high"),
        ("office", "town:2455558/conflict", 5,
         "Risk of armed conflict and terrorism in Kati: high → extreme"),
        ("road", "admin1:ML:Kayes/conflict", 4,
         "Risk of armed conflict and terrorism in Kayes: moderate → high"),
        ("road", "country:SN/conflict", 4, "Risk of armed conflict and terrorism in Senegal: high"),
        ("road", "town:2455558/conflict", 5,
         "Risk of armed conflict and terrorism in Kati: high → extreme"),
    ]  # fmt: skip
    office = found[1]
    assert office.summary == (
        "Level extreme from 29 November 2025 to 5 December 2025 (was high). "
        "Concerns Bureau de Bamako. Main factors: 2025-11-04: Attack at Kati. "
        'Rule "Sites".'
    )
    assert (office.kind, office.category, office.lat, office.distance_km) == (
        "risk", "conflict", 12.744, 12.856,
    )  # fmt: skip
    # the same level again: nothing; it falls back below the threshold: an update
    known = {a.key: a for a in found}
    assert match_risk([RiskChange(KATI_TOWN, 5)], ASSETS, [RISK], known=known, now=LATER) == []
    fell = match_risk(
        [RiskChange(replace(KATI_TOWN, level=3), 5)], [OFFICE], [RISK], known=known, now=LATER
    )
    assert [(a.id, a.version, a.severity, a.title) for a in fell] == [
        (office.id, 2, 3, "Risk of armed conflict and terrorism in Kati: extreme → moderate")
    ]


def test_risk_area_rules_and_categories() -> None:
    rule = AlertRule(
        id="mali", name="Mali", area="ML", kinds=("risk",), categories=("supply",), min_level=4
    )
    supply = replace(KATI_TOWN, category="supply")
    changes = [RiskChange(KATI_TOWN, 3), RiskChange(supply, 3)]
    found = match_risk(changes, ASSETS, [rule], known={}, now=NOW, areas={"ML": MALI})
    assert [(a.key, a.title) for a in found] == [
        (
            "mali|*|risk|town:2455558/supply",
            "Risk of infrastructure and supply disruption in Kati: moderate → extreme",
        )
    ]
    french = replace(rule, lang="fr")
    (alert,) = match_risk(changes, ASSETS, [french], known={}, now=NOW, areas={"ML": MALI})
    assert alert.title == (
        "Risque « perturbation des infrastructures et des approvisionnements » à Kati : "
        "modéré → extrême"
    )


# ---------------------------------------------------------------- forecasts


def forecast(forecast_id: str, low: float, high: float, **kw: object) -> Forecast:
    values: dict[str, object] = dict(
        document_id="dF",
        source_id="analyst",
        span=Span("dF", "body", 0, 10),
        proposition="de nouvelles attaques contre les convois de carburant",
        holder_kind="author",
        holder=None,
        label="very likely",
        deadline=date(2026, 1, 31),
        made_on=date(2025, 11, 1),
    )
    values.update(kw)
    return Forecast(id=forecast_id, low=low, high=high, **values)  # type: ignore[arg-type]


def test_forecasts_open_likely_and_near() -> None:
    rule = replace(NEAR, id="fc", kinds=("forecast",), min_probability=0.7, lang="fr")
    likely = LocatedForecast(
        forecast("f1", 0.8, 0.95), place="Kati", country="ML", admin1="Koulikoro",
        lat=12.744, lon=-8.072,
    )  # fmt: skip
    region = LocatedForecast(
        forecast("f2", 0.95, 0.99, label="almost certain"), place="Kayes", country="ML",
        admin1="Kayes",
    )  # fmt: skip
    weak = replace(likely, forecast=forecast("f3", 0.55, 0.8, label="likely"))
    closed = replace(likely, forecast=forecast("f4", 0.8, 0.95, status="true"))
    due = replace(likely, forecast=forecast("f5", 0.8, 0.95, deadline=date(2025, 11, 1)))
    country = LocatedForecast(forecast("f6", 0.8, 0.95), place="Mali", country="ML")
    found = match_forecasts(
        [likely, region, weak, closed, due, country], ASSETS, [rule], known={}, now=NOW
    )
    assert [(a.asset_id, a.subject_id, a.severity, a.distance_km) for a in found] == [
        ("mine", "f2", 4, None),
        ("office", "f1", 3, 12.856),
        ("road", "f1", 3, 0.0),
        ("road", "f2", 4, None),
    ]
    office = found[1]
    assert office.title == (
        "Prévision à 13 km de Bureau de Bamako : très probable (88 %) d'ici le 31 janvier 2026"
    )
    assert office.summary == (
        "« de nouvelles attaques contre les convois de carburant » — l'auteur, jugé très "
        "probable (88 %), échéance le 31 janvier 2026. Règle « Sites »."
    )
    assert office.quotes == (
        AlertQuote("dF", "analyst", "", "de nouvelles attaques contre les convois de carburant"),
    )
    assert office.category == "conflict"
    # unchanged: nothing; the probability changes: an update
    known = {a.key: a for a in found}
    assert match_forecasts([likely], ASSETS, [rule], known=known, now=LATER) == []
    firmer = replace(likely, forecast=forecast("f1", 0.95, 0.99, label="almost certain"))
    updated = match_forecasts([firmer], [OFFICE], [rule], known=known, now=LATER)
    assert [(a.id, a.version, a.severity) for a in updated] == [(office.id, 2, 4)]


def test_forecast_area_rules_and_categories() -> None:
    rule = AlertRule(
        id="mali", name="Mali", area="ML", kinds=("forecast",), categories=("political",)
    )
    attacks = LocatedForecast(forecast("f1", 0.8, 0.95), place="Mali", country="ML")
    coup = LocatedForecast(
        forecast("f2", 0.8, 0.95, proposition="un nouveau coup d'État à Bamako"),
        place="Mali",
        country="ML",
    )
    found = match_forecasts([attacks, coup], ASSETS, [rule], known={}, now=NOW,
                            areas={"ML": MALI})  # fmt: skip
    assert [(a.key, a.title) for a in found] == [
        ("mali|*|forecast|f2", "Forecast for Mali: very likely (88%) by 31 January 2026")
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_nothing_to_match_is_nothing(lang: str) -> None:
    rule = replace(NEAR, lang=lang)
    assert match_events([], ASSETS, [rule], params=PARAMS, known={}, now=NOW) == []
    assert match_risk([], ASSETS, [rule], known={}, now=NOW) == []
    assert match_forecasts([], ASSETS, [rule], known={}, now=NOW) == []
    assert match_events([KATI], [], [rule], params=PARAMS, known={}, now=NOW) == []
