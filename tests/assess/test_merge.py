"""Merging event reports into events: compatibility, figures, status, stable ids."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.assess.merge.reports import derived_id, load_merge_params, merge_reports
from tocsin.errors import ConfigError, InputError
from tocsin.models import Event, EventReport, Kind, SourcedReport, Span

KATI = (12.7441, -8.0726)  # GeoNames 2455558, Koulikoro
SEGOU = (13.4403, -6.2595)  # GeoNames 2451478, about 210 km east of Kati
DAY = date(2025, 10, 13)
PUBLISHED = datetime(2025, 10, 14, 9, 0, tzinfo=UTC)

CIVILIANS = ("civilians-mali", "Civilians (Mali)", 7)
GUNMEN = ("unidentified-armed-group-mali", "Unidentified Armed Group (Mali)", 3)
JNIM = ("jnim", "JNIM: Group for Support of Islam and Muslims", 2)


def report(
    doc: str,
    source: str,
    *,
    quote: str = "",
    start: int = 0,
    killed: int | None = None,
    low: int | None = None,
    high: int | None = None,
    day: date | None = DAY,
    precision: int | None = 1,
    where: tuple[float, float] | None = KATI,
    location: str | None = "Kati",
    geo: int | None = 1,
    admin1: str | None = "Koulikoro",
    actor1: tuple[str, str, int] | None = JNIM,
    actor2: tuple[str, str, int] | None = CIVILIANS,
    event_type: str = "Violence against civilians",
    sub_event_type: str = "Attack",
    tags: tuple[str, ...] = (),
    published: datetime | None = PUBLISHED,
    reliability: str = "C",
    kind: Kind = Kind.NEWS,
    copy_of: str | None = None,
) -> SourcedReport:
    span = Span(doc, "body", start, start + max(len(quote), 1))
    coded = EventReport(
        span=span,
        trigger=Span(doc, "body", start, start + 1),
        trigger_text="attacked",
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=actor1[0] if actor1 else None,
        actor1_name=actor1[1] if actor1 else None,
        inter1=actor1[2] if actor1 else None,
        actor2=actor2[0] if actor2 else None,
        actor2_name=actor2[1] if actor2 else None,
        inter2=actor2[2] if actor2 else None,
        location=location,
        lat=where[0] if where else None,
        lon=where[1] if where else None,
        country="ML",
        admin1=admin1,
        geo_precision=geo,
        event_date=day,
        time_precision=precision if day else None,
        fatalities=killed,
        fatalities_low=low if low is not None else killed,
        fatalities_high=high if high is not None else killed,
        tags=tags,
    )
    return SourcedReport(
        id=f"{doc}:body:{start}",
        report=coded,
        source_id=source,
        kind=kind,
        reliability=reliability,
        copy_of=copy_of,
        published=published,
        quote=quote,
    )


def groups(events: list[Event]) -> list[list[str]]:
    return [[r.id for r in e.reports] for e in events]


def three_outlets() -> list[SourcedReport]:
    return [
        report(
            "rfi",
            "rfi.fr",
            quote="Douze civils ont été tués lundi près de Kati par des hommes armés.",
            killed=12,
            actor1=GUNMEN,
            tags=("convoy",),
        ),
        report(
            "aj",
            "aljazeera.com",
            quote="Fifteen drivers were killed on Monday when JNIM ambushed a convoy at Kati.",
            killed=15,
            published=PUBLISHED + timedelta(hours=5),
            tags=("convoy", "supplies"),
        ),
        report(
            "ls",
            "lesahelien.com",
            quote="Le JNIM a revendiqué l'attaque de Kati qui a fait 12 morts.",
            killed=12,
            published=PUBLISHED + timedelta(days=1),
        ),
    ]


# ------------------------------------------------------------------ same event


def test_three_outlets_in_two_languages_make_one_confirmed_event() -> None:
    [event] = merge_reports(three_outlets())
    assert groups([event]) == [["rfi:body:0", "aj:body:0", "ls:body:0"]]
    assert (event.id, event.status, event.independent) == (derived_id("rfi:body:0"), "confirmed", 3)
    assert (event.fatalities, event.fatalities_low, event.fatalities_high) == (12, 12, 15)
    assert (event.actor1, event.actor1_name, event.inter1) == JNIM  # named beats generic
    assert (event.actor2, event.inter2) == ("civilians-mali", 7)
    assert (event.event_type, event.sub_event_type) == ("Violence against civilians", "Attack")
    assert (event.event_date, event.time_precision) == (DAY, 1)
    assert (event.location, event.lat, event.lon, event.geo_precision) == ("Kati", *KATI, 1)
    assert (event.country, event.admin1) == ("ML", "Koulikoro")
    assert event.tags == ("convoy", "supplies")
    assert event.source == "rfi.fr; aljazeera.com; lesahelien.com"
    assert event.notes == (
        "On 13 October 2025, in Kati (Koulikoro): Douze civils ont été tués lundi près de "
        "Kati par des hommes armés. [fatalities reported: 12-15]"
    )


def test_a_copy_and_the_same_outlet_do_not_corroborate() -> None:
    original = report("a", "rfi.fr", killed=4)
    copy = report(
        "b", "mali-web.org", killed=4, copy_of="a", published=PUBLISHED + timedelta(hours=2)
    )
    again = report("c", "rfi.fr", killed=4, published=PUBLISHED + timedelta(hours=6))
    [event] = merge_reports([original, copy, again])
    assert (len(event.reports), event.independent, event.status) == (3, 1, "reported")
    other = report("d", "studio-tamani.org", killed=4, published=PUBLISHED + timedelta(hours=8))
    [event] = merge_reports([original, copy, again, other])
    assert (event.independent, event.status) == (2, "corroborated")


def test_an_official_or_highly_graded_source_confirms_alone() -> None:
    official = report("gov", "primature.gov.ml", kind=Kind.OFFICIAL)
    graded = report("b", "reliable.example", reliability="B")
    assert [e.status for e in merge_reports([official])] == ["confirmed"]
    assert [e.status for e in merge_reports([graded])] == ["confirmed"]


def test_the_most_reliable_source_decides_the_figure() -> None:
    low_grade = report("a", "blog.example", killed=5, reliability="E")
    high_grade = report(
        "b", "wire.example", killed=8, reliability="B", published=PUBLISHED + timedelta(hours=1)
    )
    same_grade = report(
        "c", "daily.example", killed=9, reliability="B", published=PUBLISHED + timedelta(hours=2)
    )
    [event] = merge_reports([low_grade, high_grade, same_grade])
    assert (event.fatalities, event.fatalities_low, event.fatalities_high) == (8, 5, 9)


def test_a_katiba_and_its_group_and_swapped_sides_are_one_event() -> None:
    macina = report("a", "one.example", actor1=("katiba-macina", "Katiba Macina", 2))
    swapped = report(
        "b", "two.example", actor1=CIVILIANS, actor2=JNIM, published=PUBLISHED + timedelta(hours=1)
    )
    [event] = merge_reports([macina, swapped])
    assert (event.actor1, event.actor2, event.independent) == ("katiba-macina", "civilians-mali", 2)


def test_a_clash_and_an_attack_on_one_convoy_are_one_event() -> None:
    clash = report(
        "a", "one.example", event_type="Battles", sub_event_type="Armed clash",
        actor2=("fama", "Military Forces of Mali (2021-)", 1), killed=7,
    )  # fmt: skip
    attack = report("b", "two.example", killed=9, published=PUBLISHED + timedelta(hours=3))
    [event] = merge_reports([clash, attack])
    assert (event.event_type, event.fatalities, event.fatalities_high) == ("Battles", 7, 9)


def test_a_clash_an_attack_and_burnt_trucks_are_one_convoy_ambush() -> None:
    attack = report("a", "one.example", killed=9)
    burnt = report(
        "b", "two.example", event_type="Strategic developments",
        sub_event_type="Looting/property destruction", published=PUBLISHED + timedelta(hours=1),
    )  # fmt: skip
    clash = report(
        "c", "three.example", event_type="Battles", sub_event_type="Armed clash",
        actor2=("fama", "FAMa", 1), published=PUBLISHED + timedelta(hours=2),
    )  # fmt: skip
    assert groups(merge_reports([attack, burnt, clash])) == [["a:body:0", "b:body:0", "c:body:0"]]
    # a clash and burnt trucks alone are no declared pair
    assert len(merge_reports([burnt, clash])) == 2


def test_a_report_without_a_country_needs_a_shared_actor() -> None:
    placed = report("a", "one.example", actor1=("fama", "FAMa", 1), actor2=GUNMEN)
    nowhere = report(
        "b", "two.example", actor1=("fama", "FAMa", 1), actor2=None, where=None, location=None,
        geo=None, admin1=None, published=PUBLISHED + timedelta(hours=3),
    )  # fmt: skip
    nowhere = replace(nowhere, report=replace(nowhere.report, country=None))
    assert len(merge_reports([placed, nowhere])) == 1
    anonymous = replace(nowhere, report=replace(nowhere.report, actor1=None, inter1=None))
    assert len(merge_reports([placed, anonymous])) == 2


def test_reports_without_a_date_or_a_place_merge_by_publication_and_country() -> None:
    dated = report("a", "one.example", killed=6)
    undated = report(
        "b", "two.example", killed=6, day=None, where=None, location=None, geo=None,
        admin1=None, published=PUBLISHED + timedelta(days=2),
    )  # fmt: skip
    late = replace(
        undated, id="c:body:0", source_id="three.example", published=PUBLISHED + timedelta(days=5)
    )
    late = replace(late, report=replace(late.report, span=Span("c", "body", 0, 1)))
    assert groups(merge_reports([dated, undated, late])) == [["a:body:0", "b:body:0"], ["c:body:0"]]


def test_a_month_date_meets_a_day_in_that_month() -> None:
    day = report("a", "one.example")
    month = report(
        "b",
        "two.example",
        day=date(2025, 10, 1),
        precision=3,
        published=PUBLISHED + timedelta(days=20),
    )
    assert len(merge_reports([day, month])) == 1


# -------------------------------------------------------------- different events


def test_same_town_another_day_is_another_event() -> None:
    monday = report("a", "one.example")
    wednesday = report(
        "b", "two.example", day=DAY + timedelta(days=2), published=PUBLISHED + timedelta(days=2)
    )
    assert groups(merge_reports([monday, wednesday])) == [["a:body:0"], ["b:body:0"]]


def test_same_day_200_km_apart_is_another_event() -> None:
    kati = report("a", "one.example")
    segou = report("b", "two.example", where=SEGOU, location="Ségou", admin1="Ségou")
    assert groups(merge_reports([kati, segou])) == [["a:body:0"], ["b:body:0"]]
    near = report("c", "three.example", where=(12.80, -8.00), location="Kati (near)", geo=2)
    assert groups(merge_reports([kati, near])) == [["a:body:0", "c:body:0"]]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"killed": 80}, "3 against 80 killed"),
        ({"actor1": ("issp", "Islamic State Sahel", 2)}, "JNIM and ISSP are not one side"),
        ({"event_type": "Protests", "sub_event_type": "Peaceful protest"}, "types"),
        ({"admin1": "Kayes", "where": None, "geo": 3, "location": None}, "another region"),
    ],
)
def test_incompatible_reports_stay_apart(change: dict[str, object], why: str) -> None:
    first = report("a", "one.example", killed=3)
    second = report("b", "two.example", **change)  # type: ignore[arg-type]
    assert len(merge_reports([first, second])) == 2, why


def test_one_document_with_two_explicit_dates_holds_two_events() -> None:
    lead = report("a", "one.example", start=0, quote="Twelve were killed on Monday and Tuesday.")
    detail = report("a", "one.example", start=50, day=DAY + timedelta(days=1))
    undated = report("a", "one.example", start=90, day=None, where=None, location=None, geo=None)
    assert groups(merge_reports([lead, detail, undated])) == [
        ["a:body:0", "a:body:90"],
        ["a:body:50"],
    ]


# -------------------------------------------------------------------- stability


def test_input_order_does_not_change_the_result() -> None:
    reports = [
        *three_outlets(),
        report("x", "x.example", where=SEGOU, location="Ségou", admin1="Ségou"),
    ]
    expected = merge_reports(reports)
    for permutation in itertools.permutations(reports):
        assert merge_reports(list(permutation)) == expected


def test_previous_ids_are_kept_when_a_report_joins() -> None:
    first, second, third = three_outlets()
    previous = {"rfi:body:0": "ev-old", "aj:body:0": "ev-old"}
    [event] = merge_reports([third, first, second], previous=previous)
    assert (event.id, event.status) == ("ev-old", "confirmed")


def test_re_merging_gives_the_same_ids() -> None:
    reports = [
        *three_outlets(),
        report("x", "x.example", where=SEGOU, location="Ségou", admin1="Ségou"),
    ]
    events = merge_reports(reports)
    assert [e.id for e in events] == [derived_id("rfi:body:0"), derived_id("x:body:0")]
    previous = {r.id: e.id for e in events for r in e.reports}
    assert merge_reports(reports, previous=previous) == events
    assert merge_reports(list(reversed(reports))) == events


def test_two_events_claiming_one_previous_id() -> None:
    kati = report("a", "one.example")
    segou = report("b", "two.example", where=SEGOU, location="Ségou", admin1="Ségou")
    segou2 = report("c", "three.example", where=SEGOU, location="Ségou", admin1="Ségou")
    previous = {"a:body:0": "ev-1", "b:body:0": "ev-1", "c:body:0": "ev-1"}
    events = merge_reports([kati, segou, segou2], previous=previous)
    assert [e.id for e in events] == [derived_id("a:body:0"), "ev-1"]


def test_a_report_id_given_twice_with_other_contents_is_an_error() -> None:
    one = report("a", "one.example")
    assert len(merge_reports([one, one])) == 1
    with pytest.raises(InputError, match="report a:body:0: given twice"):
        merge_reports([one, replace(one, source_id="other.example")])


@st.composite
def report_sets(draw: st.DrawFn) -> list[SourcedReport]:
    count = draw(st.integers(min_value=1, max_value=25))
    out = []
    for i in range(count):
        doc = f"d{draw(st.integers(0, 8))}"
        out.append(
            report(
                doc,
                f"s{draw(st.integers(0, 4))}",
                start=i * 10,
                killed=draw(st.one_of(st.none(), st.integers(0, 100))),
                day=draw(
                    st.one_of(st.none(), st.integers(0, 6).map(lambda d: DAY + timedelta(days=d)))
                ),
                precision=draw(st.sampled_from([1, 2, 3])),
                where=draw(st.one_of(st.none(), st.sampled_from([KATI, SEGOU, (12.9, -8.1)]))),
                actor1=draw(st.sampled_from([None, JNIM, GUNMEN, ("issp", "ISSP", 2)])),
                event_type=draw(st.sampled_from(["Violence against civilians", "Battles"])),
                published=PUBLISHED + timedelta(hours=draw(st.integers(0, 120))),
            )
        )
    return out


@settings(max_examples=60, deadline=None)
@given(report_sets(), st.randoms(use_true_random=False))
def test_every_report_lands_in_exactly_one_event(
    reports: list[SourcedReport], rng: random.Random
) -> None:
    events = merge_reports(reports)
    assert 1 <= len(events) <= len(reports)
    placed = sorted(r.id for e in events for r in e.reports)
    assert placed == sorted(r.id for r in reports)
    assert len({e.id for e in events}) == len(events)
    shuffled = list(reports)
    rng.shuffle(shuffled)
    assert merge_reports(shuffled) == events


# ---------------------------------------------------------------- parameters


def test_a_user_file_overrides_parameters(tmp_path: Path) -> None:
    path = tmp_path / "merge.toml"
    path.write_text("[time]\nwindow_days = { 1 = 3, 2 = 7, 3 = 31 }\n", encoding="utf-8")
    params = load_merge_params(path)
    monday = report("a", "one.example")
    wednesday = report("b", "two.example", day=DAY + timedelta(days=2))
    assert len(merge_reports([monday, wednesday], params=params)) == 1
    path.write_text("[fatalities]\nmax_gap = 'ten'\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"merge.toml: \[fatalities\] max_gap must be a whole number"
    ):
        load_merge_params(path)
    path.write_text("[time]\nwindow = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[time\] has unknown key\(s\) window"):
        load_merge_params(path)


# ---------------------------------------------------- eval/events_merge.py scoring
# (they belong in tests/test_eval_events_merge.py; kept here, the file this work owns)


def test_pairwise_scores() -> None:
    from eval.events_merge import pairwise_scores

    gold = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"}
    assert pairwise_scores(predicted, gold) == {
        "precision": 0.5,
        "recall": 0.25,
        "f1": pytest.approx(1 / 3),
        "pairs_predicted": 2.0,
        "pairs_gold": 4.0,
        "pairs_correct": 1.0,
    }
    assert pairwise_scores({}, gold)["recall"] == 0.0
    assert pairwise_scores({"a": "x"}, {"a": "1"}) == {
        "precision": 0.0, "recall": 0.0, "f1": 0.0,
        "pairs_predicted": 0.0, "pairs_gold": 0.0, "pairs_correct": 0.0,
    }  # fmt: skip
    assert pairwise_scores(gold, gold)["f1"] == 1.0


def test_load_merge_gold(tmp_path: Path) -> None:
    from eval.corpus import GoldError
    from eval.events_merge import MergeItem, load_merge_gold

    path = tmp_path / "event_merge.jsonl"
    rows = [
        '{"id": "m1", "group": "g1", "source_id": "rfi.fr", "kind": "news", "reliability": "b",'
        ' "published": "2025-10-14", "lang": "fr", "country": "ml", "text": "Douze morts.",'
        ' "copy_of": null}',
        '{"id": "m2", "group": "g1", "source_id": "mali-web.org", "published":'
        ' "2025-10-14T18:30:00+00:00", "lang": "fr", "country": "ML", "text": "Douze morts.",'
        ' "copy_of": "m1"}',
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert load_merge_gold(path) == [
        MergeItem("m1", "g1", "rfi.fr", "news", "B", datetime(2025, 10, 14, 12, tzinfo=UTC),
                  "fr", "ML", "Douze morts.", None),
        MergeItem("m2", "g1", "mali-web.org", "news", "F",
                  datetime(2025, 10, 14, 18, 30, tzinfo=UTC), "fr", "ML", "Douze morts.", "m1"),
    ]  # fmt: skip
    path.write_text(rows[1] + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="copy_of 'm1' is not an item id"):
        load_merge_gold(path)
    path.write_text('{"id": "m3", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(GoldError, match="item m3: 'group' is missing"):
        load_merge_gold(path)
