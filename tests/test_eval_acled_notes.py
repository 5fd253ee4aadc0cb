"""eval/acled_notes.py: joining the monadic and dyadic ACLED files, picking and scoring
event reports, with hand-made rows (no real ACLED data) and hand-made predictions."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from eval.acled_notes import (
    DYADIC_FILE,
    MONADIC_FILE,
    PREFIX,
    AcledEvent,
    acled_figures,
    load_acled_events,
    measure_acled,
    miss_line,
    normalise_actor,
    order_sides,
    pick_report,
    score_note,
    skip_unmeasured,
    strip_period,
)

from tocsin.models import Annotations, EventReport, Span

MONADIC = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1"]
MONADIC += ["assoc_actor_1", "inter1", "location", "latitude", "longitude", "geo_precision"]
MONADIC += ["notes", "fatalities"]
DYADIC = ["event_id_cnty", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2"]
DYADIC += ["inter2"]


def _row(actor: str, inter: str, assoc: str = "") -> dict[str, str]:
    return {"actor1": actor, "inter1": inter, "assoc_actor_1": assoc}


def test_names_fold_case_and_space_but_keep_suffixes() -> None:
    assert normalise_actor("  Civilians  (Mali) ") == "civilians (mali)"
    assert normalise_actor("Civilians (Mali)") != normalise_actor("Civilians")
    assert normalise_actor("Military Forces of Mali (2013-2020)") != normalise_actor(
        "Military Forces of Mali (2021-)"
    )
    assert strip_period("Military Forces of Mali (2013-2020)") == strip_period(
        "Military Forces of Mali (2021-)"
    )
    assert strip_period("Civilians (Mali)") == "civilians (mali)"


def test_sides_follow_the_dyadic_order_by_name_and_inter_code() -> None:
    army = _row("Military Forces of Mali (2013-2020)", "1")
    jnim = _row("JNIM: Group for Support of Islam and Muslims", "2", "Katiba Macina")
    dyadic = {
        "actor1": "JNIM: Group for Support of Islam and Muslims",
        "inter1": "2",
        "assoc_actor_1": "Katiba Macina",
        "actor2": "Military Forces of Mali (2013-)",
        "inter2": "1",
    }
    a1, a2, assoc1, assoc2, ordered = order_sides([army, jnim], dyadic)
    assert (a1, a2, assoc1, assoc2, ordered) == (
        jnim["actor1"], army["actor1"], ("Katiba Macina",), (), True,
    )  # fmt: skip
    # renamed between taxonomies: the inter codes still decide
    dyadic_old = dict(dyadic, actor1="Dozo Militia", inter1="4", actor2="Civilians (Mali)")
    dozo, civ = _row("Dozo Communal Militia (Mali)", "4"), _row("Civilians (Mali)", "7")
    dyadic_old["inter2"] = "7"
    assert order_sides([civ, dozo], dyadic_old)[:2] == (dozo["actor1"], civ["actor1"])


def test_sides_without_dyadic_row_or_with_a_tie_are_not_ordered() -> None:
    a, b = _row("Idourfane Ethnic Militia (Mali)", "4"), _row("Other Ethnic Militia (Mali)", "4")
    assert order_sides([a, b], None)[4] is False
    tie = {"actor1": "X", "inter1": "4", "actor2": "Y", "inter2": "4"}
    assert order_sides([a, b], tie)[4] is False
    assert order_sides([a], {"actor1": "X", "actor2": ""}) == (a["actor1"], None, (), (), True)


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_load_groups_monadic_rows_and_counts_the_join(tmp_path: Path) -> None:
    base = {
        "event_date": "30 December 2018", "event_type": "Battles",
        "sub_event_type": "Armed clash", "location": "Town", "latitude": "14.0",
        "longitude": "-7.0", "geo_precision": "1", "notes": "A made-up note.",
        "fatalities": "2", "assoc_actor_1": "",
    }  # fmt: skip
    _write(
        tmp_path / MONADIC_FILE,
        MONADIC,
        [
            base | {"event_id_cnty": "X1", "actor1": "B", "inter1": "1"},
            base | {"event_id_cnty": "X1", "actor1": "A", "inter1": "2"},
            base | {"event_id_cnty": "X2", "actor1": "C", "inter1": "5"},
        ],
    )
    dy = {"event_id_cnty": "X1", "actor1": "A", "inter1": "2", "actor2": "B", "inter2": "1"}
    _write(tmp_path / DYADIC_FILE, DYADIC, [dy | {"assoc_actor_1": "", "assoc_actor_2": ""}])
    events, counts = load_acled_events(tmp_path)
    assert [(e.id, e.actor1, e.actor2, e.ordered) for e in events] == [
        ("X1", "A", "B", True), ("X2", "C", None, False),
    ]  # fmt: skip
    assert events[0].when == date(2018, 12, 30) and events[0].fatalities == 2
    assert (counts.events, counts.joined, counts.ordered, counts.one_side) == (2, 1, 1, 1)


def _event(**kw: object) -> AcledEvent:
    values: dict[str, object] = {
        "id": "E1", "when": date(2018, 1, 2), "notes": "n", "event_type": "Battles",
        "sub_event_type": "Armed clash", "actor1": "JNIM", "actor2": "Civilians (Mali)",
        "assoc1": (), "assoc2": (), "location": "Town", "lat": 14.0, "lon": -7.0,
        "geo_precision": 1, "fatalities": 2, "ordered": True,
    }  # fmt: skip
    return AcledEvent(**(values | kw))  # type: ignore[arg-type]


def _report(start: int, etype: str, sub: str, **kw: object) -> EventReport:
    span = Span("E1", "body", start, start + 5)
    return EventReport(span, span, "t", etype, sub, **kw)  # type: ignore[arg-type]


def test_pick_prefers_type_then_text_order() -> None:
    event = _event()
    wrong = _report(0, "Violence against civilians", "Attack")
    clash = _report(10, "Battles", "Armed clash")
    other = _report(5, "Battles", "Government regains territory")
    assert pick_report(event, [clash, wrong, other]) is clash
    assert pick_report(event, [wrong]) is wrong
    assert pick_report(event, []) is None


def test_scores_and_figures() -> None:
    event = _event()
    good = _report(
        0, "Battles", "Armed clash", actor1_name="jnim ", actor2_name="Civilians (Mali)",
        lat=14.1, lon=-7.0, fatalities=2,
    )  # fmt: skip
    result = score_note(event, Annotations("E1", "v", events=(good,)))
    assert result.type_ok and result.actor1_ok and result.actor2_ok and result.near
    assert result.fatalities_ok and miss_line(result) is None
    bad = _report(0, "Battles", "Armed clash", actor1_name="JNIM", actor2_name="Civilians")
    unknown = score_note(_event(id="E2", fatalities=0), Annotations("E2", "v", events=(bad,)))
    assert not unknown.actor2_ok and not unknown.near and unknown.fatalities_ok  # None -> 0
    empty = score_note(_event(id="E3"), Annotations("E3", "v"))
    figures = acled_figures([result, unknown, empty])
    assert figures[PREFIX + "yield"] == 2 / 3
    assert figures[PREFIX + "sides_accuracy"] == 0.5
    assert figures[PREFIX + "within_25km"] == 0.5
    assert "no event report" in str(miss_line(empty))


def test_absent_data_is_skipped_with_a_line(tmp_path: Path) -> None:
    figures, lines, results = measure_acled(None, folder=tmp_path / "acled_dev")  # type: ignore[arg-type]
    assert figures == {} and results == [] and "not measured" in lines[0]
    floors = {"acled_dev.events.yield": 0.8, "events.f1": 0.9}
    assert skip_unmeasured(floors, figures) == {"events.f1": 0.9}
    assert skip_unmeasured(floors, {PREFIX + "n": 3.0}) == floors
