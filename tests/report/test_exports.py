"""Exports: whole outputs for three hand-built events, streaming, and round trips."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tocsin.errors import ConfigError, InputError
from tocsin.ingest.acled_csv import read_acled_csv
from tocsin.models import Event, EventReport, Kind, SourcedReport, Span
from tocsin.report.exports import (
    EXPORT_FORMATS,
    event_from_plain,
    event_to_plain,
    write_events,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _report(
    doc: str, start: int, published: datetime | None, fatalities: int | None
) -> SourcedReport:
    span = Span(doc, "body", start, start + 40)
    return SourcedReport(
        id=f"{doc}:body:{start}",
        report=EventReport(
            span=span,
            trigger=span,
            trigger_text="",
            event_type="Violence against civilians",
            sub_event_type="Attack",
            fatalities=fatalities,
        ),
        source_id=doc.split("-")[0],
        kind=Kind.NEWS,
        reliability="C",
        published=published,
        quote=f"Quote from {doc}, with a comma.",
    )


ATTACK = Event(
    id="ev-kati-1",
    event_type="Violence against civilians",
    sub_event_type="Attack",
    event_date=date(2025, 9, 14),
    time_precision=1,
    actor1="jnim",
    actor1_name="JNIM: Group for Support of Islam and Muslims",
    inter1=2,
    actor2="civilians-mali",
    actor2_name="Civilians (Mali)",
    inter2=7,
    assoc_actor_1=("katiba-macina", "some-unknown-id"),
    location="Kati",
    geonameid=2455518,
    lat=12.74409,
    lon=-8.07204,
    country="ML",
    admin1="Koulikoro",
    admin2="Kati",
    geo_precision=2,
    fatalities=12,
    fatalities_low=10,
    fatalities_high=12,
    tags=("convoy", "supplies"),
    status="corroborated",
    independent=2,
    reports=(
        _report("sahelien-a1", 120, datetime(2025, 9, 15, 8, 30, tzinfo=UTC), 12),
        _report("rfi-b2", 40, datetime(2025, 9, 15, 10, 0), 10),
    ),
    notes='JNIM attacked fuel tankers near Kati; "12 drivers" killed.',
    source="Le Sahélien; RFI",
)
PROTEST = Event(
    id="ev-segou-2",
    event_type="Protests",
    sub_event_type="Peaceful protest",
    event_date=date(2025, 9, 18),
    time_precision=2,
    actor1="protesters-mali",
    actor1_name="Protesters (Mali)",
    inter1=6,
    location="Ségou",
    country="ML",
    admin1="Ségou",
    geo_precision=3,
    source="Studio Tamani",
)
UNDATED = Event(
    id="ev-3",
    event_type="Battles",
    sub_event_type="Armed clash",
    event_date=None,
    time_precision=None,
    actor1="wagner",
    inter1=2,
    actor2=None,
    actor2_name="Military Forces of Bolivia",
    inter2=1,
    country="BO",
    fatalities=0,
)
EVENTS = (ATTACK, PROTEST, UNDATED)


def _write(events: tuple[Event, ...], fmt: str) -> str:
    out = io.StringIO()
    assert write_events(iter(events), out, fmt=fmt) == len(events)
    return out.getvalue()


def test_acled_csv_whole_output() -> None:
    header = (
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
        "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
        "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
        "source,source_scale,notes,fatalities,tags,timestamp"
    )
    rows = [
        "ev-kati-1,2025-09-14,2025,1,Political violence,Violence against civilians,Attack,"
        "JNIM: Group for Support of Islam and Muslims,Katiba Macina; some-unknown-id,2,"
        "Civilians (Mali),,7,27,Civilian targeting,466,Western Africa,Mali,Koulikoro,Kati,,"
        'Kati,12.7441,-8.0720,2,Le Sahélien; RFI,,"JNIM attacked fuel tankers near Kati; '
        '""12 drivers"" killed.",12,convoy; supplies,1757930400',
        "ev-segou-2,2025-09-18,2025,2,Demonstrations,Protests,Peaceful protest,Protesters (Mali),"
        ",6,,,0,60,,466,Western Africa,Mali,Ségou,,,Ségou,,,3,Studio Tamani,,,0,,0",
        ",".join(
            [
                "ev-3,,,,Political violence,Battles,Armed clash,Wagner Group,,2",
                "Military Forces of Bolivia,,1,12,,68,,Bolivia,,,,,,,,,,,0,,0",
            ]
        ),
    ]
    assert _write(EVENTS, "acled-csv") == "\n".join([header, *rows]) + "\n"


def test_geojson_whole_output() -> None:
    text = _write(EVENTS, "geojson")
    assert "Ségou" in text  # not escaped
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    assert [f["geometry"] for f in data["features"]] == [
        {"type": "Point", "coordinates": [-8.07204, 12.74409]},
        None,
        None,
    ]
    assert [f["id"] for f in data["features"]] == ["ev-kati-1", "ev-segou-2", "ev-3"]
    assert data["features"][1]["properties"] == {
        "id": "ev-segou-2",
        "event_type": "Protests",
        "sub_event_type": "Peaceful protest",
        "disorder_type": "Demonstrations",
        "event_date": "2025-09-18",
        "time_precision": 2,
        "actor1": "protesters-mali",
        "actor1_name": "Protesters (Mali)",
        "inter1": 6,
        "actor2": None,
        "actor2_name": None,
        "inter2": None,
        "assoc_actor_1": [],
        "assoc_actor_2": [],
        "location": "Ségou",
        "geonameid": None,
        "lat": None,
        "lon": None,
        "country": "ML",
        "admin1": "Ségou",
        "admin2": None,
        "geo_precision": 3,
        "fatalities": None,
        "fatalities_low": None,
        "fatalities_high": None,
        "tags": [],
        "status": "reported",
        "independent": 1,
        "notes": "",
        "layer": "tocsin",
        "source": "Studio Tamani",
        "report_count": 0,
    }
    assert data["features"][0]["properties"]["report_count"] == 2
    assert "reports" not in data["features"][0]["properties"]


def test_empty_outputs() -> None:
    assert _write((), "jsonl") == ""
    assert json.loads(_write((), "geojson")) == {"type": "FeatureCollection", "features": []}
    assert _write((), "acled-csv").count("\n") == 1


def test_jsonl_has_every_field_and_the_reports() -> None:
    lines = _write(EVENTS, "jsonl").splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert first == event_to_plain(ATTACK)
    assert first["reports"] == [
        {
            "id": "sahelien-a1:body:120",
            "document_id": "sahelien-a1",
            "part": "body",
            "start": 120,
            "end": 160,
            "source_id": "sahelien",
            "kind": "news",
            "reliability": "C",
            "copy_of": None,
            "published": "2025-09-15T08:30:00+00:00",
            "quote": "Quote from sahelien-a1, with a comma.",
            "fatalities": 12,
        },
        {
            "id": "rfi-b2:body:40",
            "document_id": "rfi-b2",
            "part": "body",
            "start": 40,
            "end": 80,
            "source_id": "rfi",
            "kind": "news",
            "reliability": "C",
            "copy_of": None,
            "published": "2025-09-15T10:00:00",
            "quote": "Quote from rfi-b2, with a comma.",
            "fatalities": 10,
        },
    ]
    assert [k for k in first if k != "disorder_type"] == list(Event.__slots__)


def test_plain_round_trip() -> None:
    # The reports built above carry only what the plain form keeps: they come back equal.
    for event in EVENTS:
        assert event_from_plain(event_to_plain(event)) == event
    plain = json.loads(json.dumps(event_to_plain(ATTACK)))
    assert event_from_plain(plain) == ATTACK
    assert event_to_plain(event_from_plain(plain)) == plain


def test_plain_ignores_unknown_keys_and_names_bad_objects() -> None:
    plain = event_to_plain(PROTEST) | {"added_later": 1}
    assert event_from_plain(plain) == PROTEST
    with pytest.raises(InputError, match=r"^event 'ev-segou-2': cannot be read"):
        event_from_plain(plain | {"event_date": "18/09/2025"})
    with pytest.raises(InputError):
        event_from_plain({"id": "x"})


def test_non_finite_coordinates_make_no_geometry() -> None:
    odd = replace(PROTEST, lat=float("nan"), lon=1.0)
    data = json.loads(_write((odd,), "geojson"))
    assert data["features"][0]["geometry"] is None
    assert data["features"][0]["properties"]["lat"] is None
    assert ",,," in _write((odd,), "acled-csv").splitlines()[1]


def test_unknown_format() -> None:
    with pytest.raises(ConfigError, match="acled-csv, geojson, jsonl"):
        write_events([], io.StringIO(), fmt="xlsx")
    assert EXPORT_FORMATS == ("acled-csv", "geojson", "jsonl")


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_writes_as_it_goes(fmt: str) -> None:
    out = io.StringIO()

    def events() -> Iterator[Event]:
        yield ATTACK
        assert "ev-kati-1" in out.getvalue()  # written before the next event is asked for
        yield PROTEST

    assert write_events(events(), out, fmt=fmt) == 2


CODED = (
    "id", "event_type", "sub_event_type", "event_date", "time_precision", "actor1",
    "actor1_name", "inter1", "actor2", "actor2_name", "inter2", "assoc_actor_1",
    "assoc_actor_2", "location", "country", "admin1", "admin2", "geo_precision", "tags",
    "notes", "source",
)  # fmt: skip


def test_acled_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    dated = (ATTACK, PROTEST)
    with path.open("w", encoding="utf-8", newline="") as out:
        write_events(dated, out, fmt="acled-csv")
    back = read_acled_csv(path)
    assert back.problems == []
    for before, after in zip(dated, back.events, strict=True):
        assert {k: getattr(after, k) for k in CODED} == {k: getattr(before, k) for k in CODED}
        assert (after.lat, after.lon) == (
            None if before.lat is None else round(before.lat, 4),
            None if before.lon is None else round(before.lon, 4),
        )
        assert after.fatalities == (before.fatalities or 0)
        assert after.layer == "acled"


def test_acled_import_export_import_is_stable(tmp_path: Path) -> None:
    first = read_acled_csv(FIXTURES / "acled_sample.csv")
    path = tmp_path / "again.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_events(first.events, out, fmt="acled-csv")
    again = read_acled_csv(path)
    assert again.problems == []
    assert again.events == first.events
