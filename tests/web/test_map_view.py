"""The pieces of web/map_view.py and web/filters.py on their own: filters, the default
window, weeks and the timeline chart's geometry, areas, country codes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi import HTTPException

from tocsin.geo.countries import country_name, iso_numeric
from tocsin.models import RiskLevel
from tocsin.store.map_queries import WeekCount
from tocsin.web.filters import event_query, with_default_window
from tocsin.web.map_view import (
    MAX_WEEKS,
    _nice_step,
    area_matcher,
    timeline_chart,
    type_slug,
    weeks_of,
)

MONDAY = date(2025, 9, 1)


def test_event_query_reads_form_fields() -> None:
    query = event_query(country="Mali", since="2025-09-01", until="", status="", admin1="  ")
    assert query.country == "ML" and query.since == MONDAY
    assert query.until is None and query.status is None and query.admin1 is None
    assert query.params() == {"country": "ML", "since": "2025-09-01"}
    for bad in ({"since": "1/9/2025"}, {"status": "rumour"}, {"country": "Oz land"}):
        with pytest.raises(HTTPException) as caught:
            event_query(**bad)
        assert caught.value.status_code == 400


def test_default_window_is_the_year_up_to_the_newest_event() -> None:
    newest = date(2026, 6, 1)
    query = with_default_window(event_query(event_type="Battles"), newest)
    assert (query.since, query.until, query.defaulted) == (date(2025, 6, 2), newest, True)
    assert query.params() == {"type": "Battles"}  # the API applies the same default
    chosen = event_query(since="2025-01-01")
    assert with_default_window(chosen, newest) == chosen
    assert with_default_window(event_query(), None) == event_query()


def test_weeks_include_the_empty_ones_between() -> None:
    counts = [
        WeekCount(MONDAY, "Riots", 2),
        WeekCount(MONDAY, "Battles", 1),
        WeekCount(MONDAY + timedelta(weeks=2), "Cyber attack", 4),
    ]
    weeks, types, cut = weeks_of(counts)
    assert types == ["Battles", "Riots", "Cyber attack"]  # ACLED's order, then others
    assert [(w.name, w.start, w.counts, w.total) for w in weeks] == [
        ("2025-W36", MONDAY, (("Battles", 1), ("Riots", 2)), 3),
        ("2025-W37", MONDAY + timedelta(weeks=1), (), 0),
        ("2025-W38", MONDAY + timedelta(weeks=2), (("Cyber attack", 4),), 4),
    ]
    assert not cut and weeks[0].end == date(2025, 9, 7)
    assert weeks_of([]) == ([], [], False)


def test_weeks_keep_the_latest_ones_when_there_are_too_many() -> None:
    last = MONDAY + timedelta(weeks=MAX_WEEKS + 10)
    weeks, _, cut = weeks_of([WeekCount(MONDAY, "Riots", 1), WeekCount(last, "Riots", 1)])
    assert cut and len(weeks) == MAX_WEEKS
    assert weeks[-1].start == last and weeks[0].start == last - timedelta(weeks=MAX_WEEKS - 1)


@pytest.mark.parametrize(
    ("peak", "step"), [(0, 1), (3, 1), (7, 2), (10, 2), (23, 5), (130, 50), (999, 200)]
)
def test_grid_steps_are_round(peak: int, step: int) -> None:
    assert _nice_step(peak) == step


def test_chart_stacks_the_types_of_a_week() -> None:
    weeks, _, _ = weeks_of(
        [
            WeekCount(MONDAY, "Battles", 3),
            WeekCount(MONDAY, "Protests", 1),
            WeekCount(MONDAY + timedelta(weeks=1), "Protests", 2),
        ]
    )
    chart = timeline_chart(weeks, {"Battles": "Combats", "Protests": "Manifestations"})
    base = chart.top + chart.plot_height
    battles, protests, second = chart.bars
    assert [b.slug for b in chart.bars] == ["battles", "protests", "protests"]
    assert battles.y + battles.height == pytest.approx(base)
    assert protests.y + protests.height == pytest.approx(battles.y)
    assert battles.height == pytest.approx(3 * protests.height)
    assert battles.height + protests.height == pytest.approx(chart.plot_height)  # peak 4
    assert second.x > battles.x and second.height == pytest.approx(2 * protests.height)
    assert battles.title == "2025-W36 (2025-09-01): Combats 3"
    assert [t.label for t in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert [t.label for t in chart.x_ticks] == ["2025-09-01", "2025-09-08"]


def _level(**fields: object) -> RiskLevel:
    values: dict[str, object] = {
        "place_key": "town:1",
        "scope": "town",
        "name": "Ségou",
        "category": "conflict",
        "level": 2,
        "score": 1.0,
        "period_start": MONDAY,
        "period_end": MONDAY,
        "country": "ML",
        "admin1": "Ségou",
    }
    values.update(fields)
    return RiskLevel(**values)  # type: ignore[arg-type]


def test_area_matches_a_country_or_part_of_a_name() -> None:
    segou = _level()
    dakar = _level(place_key="admin1:SN:Dakar", scope="admin1", name="Dakar", country="SN",
                   admin1="Dakar")  # fmt: skip
    assert area_matcher(None)(segou) and area_matcher("")(dakar)
    assert area_matcher("Mali")(segou) and not area_matcher("Mali")(dakar)
    assert area_matcher("segou")(segou) and area_matcher("SÉG")(segou)
    assert area_matcher("sn")(dakar) and area_matcher("admin1:SN:Dakar")(dakar)
    assert not area_matcher("Kayes")(segou)


def test_country_codes_and_names() -> None:
    assert iso_numeric("ml") == "466" and iso_numeric("SN") == "686"
    assert iso_numeric("XX") is None and iso_numeric(None) is None
    assert country_name("SN", "fr") == "Sénégal" and country_name("SN", "en") == "Senegal"
    assert type_slug("Explosions/Remote violence") == "explosions-remote-violence"
