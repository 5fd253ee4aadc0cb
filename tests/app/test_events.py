"""Merging the stored reports into Tocsin's event layer, and importing a reference layer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from tests.store.test_events_store import FASO, fill
from tocsin.app.events import EventUpdate, import_reference, update_events
from tocsin.models import Annotations, Document, EventFilter, Source, Span
from tocsin.store import Store, open_store

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
)
MALI_ROWS = (
    "MLI9001,2025-09-14,2025,1,Political violence,Violence against civilians,Attack,"
    "JNIM: Group for Support of Islam and Muslims,,Rebel group,Civilians (Mali),,Civilians,27,"
    "Civilian targeting,466,Western Africa,Mali,Koulikoro,Kati,Kati,Kati,12.7440,-8.0720,2,"
    'Le Sahel Libre,National,"On 14 September 2025, JNIM militants attacked a fuel convoy '
    'near Kati (Kati, Koulikoro). 10 drivers were killed.",10,,1758000000',
    "MLI9002,2025-09-20,2025,1,Political violence,Battles,Armed clash,"
    "Military Forces of Mali (2021-),Africa Corps,State forces,"
    "JNIM: Group for Support of Islam and Muslims,,Rebel group,12,,466,Western Africa,Mali,"
    "Mopti,Douentza,Boni,Boni,15.0500,-1.5833,1,Local media,Subnational,"
    '"On 20 September 2025, FAMa and Africa Corps clashed with JNIM near Boni (Douentza, '
    'Mopti). Fatalities unknown.",0,,1758500000',
    "MLI9003,not a date,2025,1,Political violence,Battles,Armed clash,,,,,,,,,466,"
    "Western Africa,Mali,Mopti,,,Sevare,14.5,-4.1,1,,,,0,,1758500000",
)
BURKINA_ROW = (
    "BFO7001,2025-10-02,2025,1,Political violence,Violence against civilians,"
    "Abduction/forced disappearance,Unidentified Armed Group (Burkina Faso),,Political militia,"
    "Civilians (Burkina Faso),,Civilians,37,Civilian targeting,854,Western Africa,"
    "Burkina Faso,Sahel,Soum,Djibo,Djibo,14.1000,-1.6300,1,Faso Matin,National,"
    '"On 2 October 2025, unidentified gunmen abducted three traders in Djibo (Soum, Sahel).",'
    "0,,1759500000"
)


def write_acled(path: Path, *rows: str) -> Path:
    path.write_text("\n".join((ACLED_HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def _store(tmp_path: Path) -> Store:
    store = open_store(str(tmp_path / "t.db"))
    fill(store)
    return store


def test_first_merge_saves_the_events_of_every_report(tmp_path: Path) -> None:
    store = _store(tmp_path)
    update = update_events(store)
    assert update == EventUpdate(
        reports=5,
        before=0,
        after=2,
        new=2,
        gone=0,
        status_changes=(),
        statuses={"confirmed": 1, "reported": 1},
    )
    djibo, kati = store.list_events(EventFilter())
    assert [r.id for r in kati.reports] == [
        "dA:body:17",
        "dA:dA-c1:27",
        "dB:body:34",
        "dC:body:17",
    ]
    assert (kati.sub_event_type, kati.status, kati.independent) == ("Attack", "confirmed", 2)
    assert (kati.fatalities_low, kati.fatalities_high) == (10, 15)
    assert [r.id for r in djibo.reports] == ["dD:body:0"]
    assert (djibo.sub_event_type, djibo.status) == ("Abduction/forced disappearance", "reported")
    assert store.event_assignments() == {
        "dA:body:17": kati.id,
        "dA:dA-c1:27": kati.id,
        "dB:body:34": kati.id,
        "dC:body:17": kati.id,
        "dD:body:0": djibo.id,
    }


def test_ids_stay_and_a_new_source_moves_the_status(tmp_path: Path) -> None:
    store = _store(tmp_path)
    update_events(store)
    before = store.list_events(EventFilter())
    again = update_events(store)
    assert (again.before, again.after, again.new, again.gone, again.status_changes) == (
        2,
        2,
        0,
        0,
        (),
    )
    assert store.list_events(EventFilter()) == before
    # an independent outlet reports the Djibo abduction too
    radio = Source(id="radio-example", name="Radio Sahel", reliability="C")
    body = "À Djibo, des hommes armés ont enlevé trois commerçants jeudi 2 octobre."
    store.save_document(
        Document(
            id="dE",
            source=radio,
            text=body,
            content_hash="h-dE",
            fetched_at=datetime(2025, 10, 20, tzinfo=UTC),
            published=datetime(2025, 10, 3, 7, tzinfo=UTC),
            origin="test",
        ),
        minhash=None,
    )
    djibo_report = store.event_reports(document_ids=["dD"])[0].report
    clause = body.index("des hommes")
    store.save_annotations(
        Annotations(
            "dE",
            "v1",
            events=(
                replace(
                    djibo_report,
                    span=Span("dE", "body", clause, len(body) - 1),
                    trigger=Span("dE", "body", body.index("ont enlevé"), body.index(" trois")),
                ),
            ),
        )
    )
    djibo_id = before[0].id
    moved = update_events(store)
    assert moved == EventUpdate(
        reports=6,
        before=2,
        after=2,
        new=0,
        gone=0,
        status_changes=((djibo_id, "reported", "corroborated"),),
        statuses={"confirmed": 1, "corroborated": 1},
    )
    djibo = store.get_event(djibo_id)
    assert djibo is not None and [r.id for r in djibo.reports] == ["dD:body:0", "dE:body:9"]
    assert djibo.source == f"{FASO.id}; {radio.id}"


def test_import_reference_adds_a_layer_beside_tocsins(tmp_path: Path) -> None:
    store = _store(tmp_path)
    update_events(store)
    mali = import_reference(store, write_acled(tmp_path / "mali.csv", *MALI_ROWS))
    assert [e.id for e in mali.events] == ["MLI9001", "MLI9002"]
    assert mali.problems == [
        f"{tmp_path / 'mali.csv'}:4: event_date 'not a date' is not a date; write it as YYYY-MM-DD"
    ]
    burkina = import_reference(store, write_acled(tmp_path / "bf.csv", BURKINA_ROW))
    assert burkina.problems == []
    reference = store.list_events(EventFilter(layer="acled"))
    assert [(e.id, e.event_date) for e in reference] == [
        ("BFO7001", date(2025, 10, 2)),
        ("MLI9002", date(2025, 9, 20)),
        ("MLI9001", date(2025, 9, 14)),
    ]
    assert reference[1] == mali.events[1]
    assert store.count_events("tocsin") == 2  # Tocsin's own layer is untouched
    # importing an export again replaces its events, it does not add copies
    import_reference(store, write_acled(tmp_path / "mali.csv", *MALI_ROWS))
    assert store.count_events("acled") == 3
    nothing = import_reference(store, write_acled(tmp_path / "empty.csv"))
    assert (nothing.events, store.count_events("acled")) == ([], 3)
