"""Risk levels from events and forecasts: categories, severity, scores, levels, trends,
explanations, distance, forecasts, parameters, and the monotonicity property."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tocsin.assess.risk.levels import (
    LocatedForecast,
    compute_risk,
    event_categories,
    event_severity,
    load_risk_params,
    point_risk,
    point_risks,
)
from tocsin.assess.risk.weights import distance_weight, event_credibility, event_points
from tocsin.errors import ConfigError
from tocsin.geo.distance import haversine_km
from tocsin.models import (
    RISK_CATEGORIES,
    Event,
    EventReport,
    Forecast,
    RiskContribution,
    RiskLevel,
    SourcedReport,
    Span,
)

ASOF = date(2025, 12, 8)
PARAMS = load_risk_params()
KATI = (12.7446, -8.0726)  # 2455558
BAMAKO = (12.65, -8.0)  # 2460596, about 13 km from Kati
GAO = (16.2717, -0.0447)  # 2457163, about 1000 km away


def _sourced(letter: str) -> SourcedReport:
    span = Span("d1", "body", 0, 10)
    report = EventReport(
        span=span, trigger=span, trigger_text="x", event_type="Battles", sub_event_type="Attack"
    )
    return SourcedReport(id=f"d1:body:{letter}", report=report, source_id="s", reliability=letter)


def event(
    event_id: str = "e1",
    *,
    days_ago: int = 0,
    where: tuple[float, float] = KATI,
    geonameid: int | None = 2455558,
    **fields: object,
) -> Event:
    values: dict[str, object] = {
        "id": event_id,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "event_date": ASOF - timedelta(days=days_ago),
        "time_precision": 1,
        "location": "Kati",
        "geonameid": geonameid,
        "lat": where[0],
        "lon": where[1],
        "country": "ML",
        "admin1": "Koulikoro",
        "geo_precision": 1,
        "status": "confirmed",
        "reports": (_sourced("A"),),
    }
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def forecast(
    forecast_id: str = "f1",
    *,
    proposition: str = "les attaques contre les convois vont se multiplier",
    deadline: date = date(2026, 3, 1),
    **fields: object,
) -> Forecast:
    values: dict[str, object] = {
        "id": forecast_id,
        "document_id": "d9",
        "source_id": "s",
        "span": Span("d9", "body", 0, 40),
        "proposition": proposition,
        "holder_kind": "author",
        "holder": None,
        "label": "likely",
        "low": 0.55,
        "high": 0.80,
        "deadline": deadline,
        "made_on": date(2025, 12, 1),
    }
    values.update(fields)
    return Forecast(**values)  # type: ignore[arg-type]


def at_kati(f: Forecast) -> LocatedForecast:
    return LocatedForecast(
        f, place="Kati", country="ML", admin1="Koulikoro", geonameid=2455558,
        lat=KATI[0], lon=KATI[1],
    )  # fmt: skip


def by_key(levels: list[RiskLevel]) -> dict[tuple[str, str], RiskLevel]:
    return {(lv.place_key, lv.category): lv for lv in levels}


# ---------------------------------------------------------------- per event


@pytest.mark.parametrize(
    ("fields", "categories"),
    [
        ({}, ("conflict",)),
        ({"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"},
         ("conflict",)),
        ({"event_type": "Violence against civilians", "sub_event_type": "Attack"}, ("conflict",)),
        ({"event_type": "Violence against civilians",
          "sub_event_type": "Abduction/forced disappearance"}, ("conflict", "crime")),
        ({"event_type": "Protests", "sub_event_type": "Peaceful protest"}, ("unrest",)),
        ({"event_type": "Riots", "sub_event_type": "Mob violence"}, ("unrest",)),
        ({"event_type": "Strategic developments", "sub_event_type": "Other",
          "tags": ("blockade",)}, ("supply",)),
        ({"event_type": "Violence against civilians", "sub_event_type": "Attack",
          "tags": ("convoy", "supplies")}, ("conflict", "supply")),
        ({"event_type": "Strategic developments",
          "sub_event_type": "Looting/property destruction"}, ("crime", "supply")),
        ({"event_type": "Strategic developments", "sub_event_type": "Other",
          "tags": ("coup",)}, ("political",)),
        ({"event_type": "Strategic developments", "sub_event_type": "Arrests", "inter1": 1},
         ("political",)),
        ({"event_type": "Strategic developments", "sub_event_type": "Arrests", "inter1": 2}, ()),
        ({"event_type": "Strategic developments", "sub_event_type": "Agreement"}, ()),
    ],
)  # fmt: skip
def test_event_categories(fields: dict[str, object], categories: tuple[str, ...]) -> None:
    assert event_categories(event(**fields), PARAMS) == categories


@pytest.mark.parametrize(
    ("fields", "severity"),
    [
        ({}, 3),
        ({"event_type": "Protests", "sub_event_type": "Peaceful protest"}, 1),
        ({"event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb"}, 5),
        ({"event_type": "Protests", "sub_event_type": "Peaceful protest", "fatalities": 1}, 3),
        ({"fatalities": 9}, 3),
        ({"fatalities": 10}, 4),
        ({"fatalities": 50}, 5),
        ({"event_type": "Strategic developments", "sub_event_type": "Other",
          "tags": ("blockade",)}, 4),
        ({"event_type": "Strategic developments", "sub_event_type": "Other",
          "tags": ("coup",)}, 5),
        ({"sub_event_type": "Not an ACLED sub-type"}, 2),
    ],
)  # fmt: skip
def test_event_severity(fields: dict[str, object], severity: int) -> None:
    assert event_severity(event(**fields), PARAMS) == severity


def test_credibility_and_points() -> None:
    assert event_credibility(event(), PARAMS) == 1.0
    reported = event(status="reported", reports=(_sourced("F"), _sourced("C")))
    assert event_credibility(reported, PARAMS) == pytest.approx(0.6 * 0.75)
    assert event_credibility(event(reports=()), PARAMS) == 0.75
    assert event_points(event(), PARAMS) == 4.0
    # 7 killed: severity 3 (4 points) x (1 + 0.25 x log2(8)) = 4 x 1.75
    assert event_points(event(fatalities=7), PARAMS) == 7.0


def test_distance_weight() -> None:
    assert [distance_weight(km, PARAMS) for km in (0, 10, 30, 50, 50.1)] == [
        1.0, 1.0, 0.625, 0.25, 0.0,
    ]  # fmt: skip


# ---------------------------------------------------------------- levels


def test_empty_input() -> None:
    assert compute_risk([], asof=ASOF) == []
    assert compute_risk([event(days_ago=60)], asof=ASOF) == []  # out of both windows
    assert compute_risk([event(event_date=None)], asof=ASOF) == []
    assert compute_risk([event(days_ago=-1)], asof=ASOF) == []  # after asof


def test_one_event_gives_its_country_region_and_town() -> None:
    common = {
        "category": "conflict", "score": 4.0, "period_start": date(2025, 12, 2),
        "period_end": ASOF, "country": "ML", "trend": "new",
    }  # fmt: skip
    why = (
        RiskContribution(
            "event", "e1", 1.0, "2025-12-08: Armed clash at Kati; JNIM vs Military (confirmed)"
        ),
    )
    levels = compute_risk(
        [event(actor1_name="JNIM", actor2_name="Military")], asof=ASOF, period_days=7
    )
    assert levels == [
        RiskLevel("country:ML", "country", "Mali", level=2, contributions=why, **common),  # type: ignore[arg-type]
        RiskLevel(
            "admin1:ML:Koulikoro", "admin1", "Koulikoro", level=2, admin1="Koulikoro",
            contributions=why, **common,  # type: ignore[arg-type]
        ),
        RiskLevel(
            "town:2455558", "town", "Kati", level=3, admin1="Koulikoro", geonameid=2455558,
            lat=KATI[0], lon=KATI[1], contributions=why, **common,  # type: ignore[arg-type]
        ),
    ]  # fmt: skip


def test_levels_follow_the_thresholds_of_each_scope() -> None:
    # a suicide bombing killing 63: 16 points x 2.5 = 40, today, fully credible
    big = event(event_type="Explosions/Remote violence", sub_event_type="Suicide bomb",
                fatalities=63)  # fmt: skip
    levels = by_key(compute_risk([big], asof=ASOF))
    assert levels[("town:2455558", "conflict")].score == 40.0
    assert [levels[(k, "conflict")].level for k in
            ("town:2455558", "admin1:ML:Koulikoro", "country:ML")] == [5, 4, 3]  # fmt: skip


def test_recency_halves_each_half_life() -> None:
    levels = by_key(compute_risk([event(days_ago=7), event("e2", days_ago=14)], asof=ASOF))
    assert levels[("town:2455558", "conflict")].score == 3.0  # 4 x 0.5 + 4 x 0.25


def test_trend_new_up_down_steady() -> None:
    # previous period ends 2025-12-01; its window holds events up to then
    new = by_key(compute_risk([event()], asof=ASOF))[("town:2455558", "conflict")]
    assert (new.trend, new.previous_level, new.previous_score) == ("new", None, None)
    up = by_key(compute_risk([event(days_ago=8), event("big", fatalities=63)], asof=ASOF))
    assert [(lv.trend, lv.previous_level, lv.level) for lv in
            (up[("town:2455558", "conflict")], up[("country:ML", "conflict")])] == [
        ("up", 2, 5), ("up", 1, 3),
    ]  # fmt: skip
    down = by_key(compute_risk([event("big", days_ago=7, fatalities=63)], asof=ASOF))
    town = down[("town:2455558", "conflict")]
    assert (town.trend, town.previous_level, town.level, town.score) == ("down", 5, 4, 20.0)
    gone = by_key(compute_risk([event("old", days_ago=30)], asof=ASOF))
    town = gone[("town:2455558", "conflict")]
    assert (town.trend, town.level, town.score, town.contributions) == ("steady", 1, 0.0, ())
    gone_high = by_key(compute_risk([event("big", days_ago=29, fatalities=63)], asof=ASOF))
    assert gone_high[("town:2455558", "conflict")].trend == "down"
    steady = by_key(compute_risk([event(), event("e2", days_ago=7)], asof=ASOF))
    town = steady[("town:2455558", "conflict")]
    assert (town.trend, town.score, town.previous_score, town.level) == ("steady", 6.0, 4.0, 3)


def test_explanations_are_the_largest_contributions_first() -> None:
    events = [
        event("small", days_ago=14),
        event("large", fatalities=7),
        event("medium", days_ago=7),
        event("tiny", days_ago=21),
    ]
    town = by_key(compute_risk(events, asof=ASOF))[("town:2455558", "conflict")]
    # 7 + 2 + 1 + 0.5 = 10.5
    assert town.score == 10.5
    assert [(c.ref_id, c.weight) for c in town.contributions] == [
        ("large", 0.667), ("medium", 0.19), ("small", 0.095),
    ]  # fmt: skip
    assert town.contributions[0].summary == "2025-12-08: Armed clash at Kati, 7 killed (confirmed)"


def test_a_far_event_does_not_count_for_a_town_and_a_near_one_decays() -> None:
    far = event("far", where=GAO, geonameid=2457163, location="Gao", admin1="Gao")
    levels = by_key(compute_risk([event(), far], asof=ASOF))
    kati = levels[("town:2455558", "conflict")]
    assert [c.ref_id for c in kati.contributions] == ["e1"]
    assert kati.score == 4.0
    assert levels[("country:ML", "conflict")].score == 8.0  # the country sums both
    assert ("town:2460596", "conflict") not in levels  # nothing at Bamako: not a place
    # Bamako is about 13 km from Kati: an event at Kati counts 1 - 0.75 x (km - 10) / 40
    at_bamako = event("b", where=BAMAKO, geonameid=2460596, location="Bamako", admin1="Bamako")
    both = by_key(compute_risk([event(), at_bamako], asof=ASOF))
    km = haversine_km(*KATI, *BAMAKO)
    assert 13 < km < 14
    assert both[("town:2460596", "conflict")].score == round(4 + 4 * (1 - 0.75 * (km - 10) / 40), 3)


def test_events_known_by_their_region_only_count_for_regions() -> None:
    vague = event("v", geo_precision=3, geonameid=2454532, location="Koulikoro Region")
    levels = by_key(compute_risk([vague], asof=ASOF))
    assert sorted(levels) == [("admin1:ML:Koulikoro", "conflict"), ("country:ML", "conflict")]
    near = event("n", geo_precision=2)
    assert by_key(compute_risk([near], asof=ASOF))[("town:2455558", "conflict")].score == 3.2


def test_open_forecasts_located_at_a_place_contribute() -> None:
    located = at_kati(forecast())
    levels = by_key(compute_risk([event()], asof=ASOF, forecasts=[located]))
    town = levels[("town:2455558", "conflict")]
    # probability 0.675 x 6 points = 4.05
    assert town.score == 8.05
    assert [(c.kind, c.ref_id) for c in town.contributions] == [("forecast", "f1"), ("event", "e1")]
    assert town.contributions[0].summary == (
        "forecast, likely (68%) by 2026-03-01: les attaques contre les convois vont se multiplier"
    )
    supply = levels[("town:2455558", "supply")]  # "convois"
    assert (supply.score, supply.trend) == (4.05, "steady")  # open the week before too
    assert levels[("country:ML", "conflict")].score == 8.05
    closed = [
        at_kati(forecast("expired", deadline=date(2025, 12, 7))),
        at_kati(forecast("resolved", status="true", resolved_on=date(2025, 12, 5))),
        at_kati(forecast("later", made_on=date(2025, 12, 9))),
        at_kati(forecast("vague", proposition="la situation restera confuse")),
        LocatedForecast(forecast("nowhere")),
    ]
    closed_now = by_key(compute_risk([], asof=ASOF, forecasts=closed))
    assert {lv.score for lv in closed_now.values()} == {0.0}  # none is open now
    # the expired one and the one resolved on 12-05 were open when the period before ended
    town = closed_now[("town:2455558", "conflict")]
    assert (town.previous_score, town.previous_level, town.trend) == (8.1, 3, "down")
    region = LocatedForecast(forecast(), place="Koulikoro", country="ML", admin1="Koulikoro")
    assert sorted(by_key(compute_risk([], asof=ASOF, forecasts=[region]))) == [
        ("admin1:ML:Koulikoro", "conflict"), ("admin1:ML:Koulikoro", "supply"),
        ("country:ML", "conflict"), ("country:ML", "supply"),
    ]  # fmt: skip


def test_point_risk_gives_all_five_categories() -> None:
    levels = point_risk(*BAMAKO, [event()], asof=ASOF, name="Office")
    assert [(lv.place_key, lv.scope, lv.name, lv.category) for lv in levels] == [
        ("point:12.6500,-8.0000", "point", "Office", c) for c in RISK_CATEGORIES
    ]
    assert [lv.level for lv in levels] == [2, 1, 1, 1, 1]
    assert levels[0].contributions[0].ref_id == "e1"
    many = point_risks([BAMAKO, GAO], [event()], asof=ASOF)
    assert [lv.score for lv in many[1]] == [0.0] * 5
    assert many[0][0].score == levels[0].score


def test_same_input_in_any_order_gives_the_same_levels() -> None:
    events = [event(f"e{i}", days_ago=i, fatalities=i) for i in range(10)]
    events.append(event("x1", location="Kati (near)", geo_precision=2))
    events.append(event("x0", location="Kati town", lat=12.75, lon=-8.07))
    forward = compute_risk(events, asof=ASOF, forecasts=[at_kati(forecast())])
    assert forward == compute_risk(events[::-1], asof=ASOF, forecasts=[at_kati(forecast())])
    town = by_key(forward)[("town:2455558", "conflict")]
    assert (town.name, town.lat, town.lon) == ("Kati", KATI[0], KATI[1])  # named by e0


# ---------------------------------------------------------------- parameters


def test_a_user_file_overrides_parameters(tmp_path: Path) -> None:
    mine = tmp_path / "risk.toml"
    mine.write_text(
        "[window]\nhalf_life_days = 14.0\n[severity.sub_types]\n'Armed clash' = 4\n"
        "[levels]\ntown = [1.0, 2.0, 3.0, 4.0]\n",
        encoding="utf-8",
    )
    params = load_risk_params(mine)
    assert (params.half_life_days, params.window_days) == (14.0, 28)
    assert params.sub_type_severity["Armed clash"] == 4
    assert params.sub_type_severity["Attack"] == 3  # the rest stays
    assert params.thresholds["town"] == (1.0, 2.0, 3.0, 4.0)
    town = by_key(compute_risk([event()], asof=ASOF, params=params))[("town:2455558", "conflict")]
    assert (town.score, town.level) == (8.0, 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[window]\nhalf_lives = 3\n", "window.half_lives is not a setting of knowledge/risk.toml"),
        ("[levels]\ntown = [4.0, 1.0, 2.0, 3.0]\n", "levels.town must be four ascending scores"),
        ("[severity.sub_types]\nAmbush = 3\n", "'Ambush' is not an ACLED sub-event type"),
        ("[categories.tags]\ncoup = ['politics']\n", "categories.tags.coup must be a list of risk"),
        ("[forecast_words]\nconflict = ['(']\n", "forecast_words.conflict: missing )"),
        ("[credibility.status]\nreported = 2\n", "credibility.status.reported = 2 must be between"),
        ("[window\n", "cannot read the risk parameters file"),
    ],
)
def test_bad_parameters_are_one_line_errors_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_risk_params(mine)
    assert str(caught.value).startswith(f"{mine}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_user_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such risk parameters file"):
        load_risk_params(tmp_path / "none.toml")


# ---------------------------------------------------------------- the property

EVENT_KINDS = [
    ("Battles", "Armed clash", ()),
    ("Violence against civilians", "Abduction/forced disappearance", ()),
    ("Protests", "Peaceful protest", ()),
    ("Riots", "Violent demonstration", ()),
    ("Strategic developments", "Other", ("blockade",)),
    ("Strategic developments", "Other", ("coup",)),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", ("convoy",)),
]
PLACES = [
    (2455558, KATI, "Koulikoro"),
    (2460596, BAMAKO, "Bamako"),
    (2457163, GAO, "Gao"),
    (None, (12.9, -8.2), "Koulikoro"),
]


@st.composite
def random_event(draw: st.DrawFn, index: int = 0) -> Event:
    kind = draw(st.sampled_from(EVENT_KINDS))
    geonameid, point, admin1 = draw(st.sampled_from(PLACES))
    return event(
        f"r{draw(st.integers(0, 10**6))}",
        event_type=kind[0],
        sub_event_type=kind[1],
        tags=kind[2],
        days_ago=draw(st.integers(-3, 45)),
        where=point,
        geonameid=geonameid,
        admin1=admin1,
        geo_precision=draw(st.sampled_from([1, 2, 3])),
        fatalities=draw(st.one_of(st.none(), st.integers(0, 200))),
        status=draw(st.sampled_from(["reported", "corroborated", "confirmed"])),
        reports=tuple(_sourced(x) for x in draw(st.lists(st.sampled_from("ABCDEF"), max_size=3))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=st.lists(random_event(), max_size=25, unique_by=lambda e: e.id),
    target=st.sampled_from(PLACES[:3]),
    days_ago=st.integers(0, 6),
    offset_km=st.floats(0, 20),
    deaths=st.integers(1, 100),
    kind=st.sampled_from(EVENT_KINDS),
    forecasts=st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True),
)
def test_a_corroborated_lethal_event_near_a_place_never_lowers_its_level(
    events: list[Event],
    target: tuple[int, tuple[float, float], str],
    days_ago: int,
    offset_km: float,
    deaths: int,
    kind: tuple[str, str, tuple[str, ...]],
    forecasts: list[str],
) -> None:
    geonameid, (lat, lon), admin1 = target
    located = [at_kati(forecast(f)) for f in forecasts]
    before = by_key(compute_risk(events, asof=ASOF, forecasts=located))
    lethal = event(
        "added", event_type=kind[0], sub_event_type=kind[1], tags=kind[2], days_ago=days_ago,
        where=(lat + offset_km / 111.0, lon), geonameid=None, admin1=admin1, fatalities=deaths,
        status="corroborated", reports=(_sourced("C"), _sourced("B")),
    )  # fmt: skip
    after = by_key(compute_risk([*events, lethal], asof=ASOF, forecasts=located))
    for key, old in before.items():
        new = after[key]
        assert new.score >= old.score, key
        assert new.level >= old.level, key
    # the place itself, its region and its country: every category of the event rises
    for category in event_categories(lethal, PARAMS):
        for place in (f"town:{geonameid}", f"admin1:ML:{admin1}", "country:ML"):
            if (place, category) in before:
                assert after[(place, category)].score > before[(place, category)].score
            elif not place.startswith("town:"):  # a town is a place once an event is at it
                assert after[(place, category)].score > 0
