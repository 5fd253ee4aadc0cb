"""The ACLED CSV import: a sample export, bad rows, layouts ACLED files come in, files that
are not ACLED exports, and hostile cells."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tocsin.errors import InputError
from tocsin.ingest import acled_csv
from tocsin.ingest.acled_csv import ACLED_COLUMNS, read_acled_csv
from tocsin.ingest.acled_names import AcledActors, load_countries
from tocsin.models import Event

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "acled_sample.csv"
BAD = FIXTURES / "acled_bad.csv"


def test_sample_export() -> None:
    result = read_acled_csv(SAMPLE)
    assert result.problems == []
    summary = [
        (e.id, e.country, e.event_type[:10], e.actor1, e.actor2, e.fatalities, e.independent)
        for e in result.events
    ]
    assert summary == [
        ("MLI90001", "ML", "Violence a", "jnim", "civilians-mali", 12, 2),
        ("MLI90002", "ML", "Battles", "fama", "jnim", 5, 1),
        ("MLI90003", "ML", "Explosions", "unidentified-armed-group-mali", "fama", 0, 1),
        ("MLI90004", "ML", "Protests", "protesters-mali", None, 0, 1),
        ("MLI90005", "ML", "Riots", "rioters-mali", None, 0, 1),
        ("MLI90006", "ML", "Strategic ", "jnim", "civilians-mali", 0, 1),
        ("MLI90007", "ML", "Explosions", "fama", "civilians-mali", 7, 2),
        ("MLI90008", "ML", "Violence a", "issp", "civilians-mali", 0, 1),
        ("BFO90001", "BF", "Battles", "military-bf", "jnim", 20, 1),
        ("BFO90002", "BF", "Violence a", "unidentified-armed-group-burkina-faso",
         "civilians-burkina-faso", 4, 1),
        ("BFO90003", "BF", "Protests", "protesters-burkina-faso", "police-bf", 0, 1),
        ("BFO90004", "BF", "Strategic ", "police-bf", "civilians-burkina-faso", 0, 1),
        ("NIG90001", "NE", "Battles", "fan", "issp", 9, 1),
        ("NIG90002", "NE", "Explosions", "issp", "fan", 3, 1),
        ("NIG90003", "NE", "Protests", "protesters-niger", None, 0, 1),
    ]  # fmt: skip
    assert result.events[3] == Event(
        id="MLI90004",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        event_date=date(2025, 9, 18),
        time_precision=1,
        actor1="protesters-mali",
        actor1_name="Protesters (Mali)",
        inter1=6,
        assoc_actor_1=("Labour Group (Mali)",),  # no id: the name is kept
        location="Bamako",
        lat=12.65,
        lon=-8.0,
        country="ML",
        admin1="Bamako",
        admin2="Bamako",
        geo_precision=1,
        fatalities=0,
        fatalities_low=0,
        fatalities_high=0,
        tags=("crowd size=no report",),
        status="confirmed",
        notes="On 18 September 2025, transport workers demonstrated in Bamako (Bamako) over "
        "fuel shortages. [size=no report]",
        layer="acled",
        source="Radio Kayira",
    )


def test_bad_rows_are_named_and_the_others_go_on() -> None:
    result = read_acled_csv(BAD)
    assert [e.id for e in result.events] == ["MLI91001", "MLI91011"]
    where = str(BAD)
    assert result.problems == [
        f"{where}:3: no event_date; give the date of the event as YYYY-MM-DD",
        f"{where}:4: event_date '2025-13-01' is not a date; write it as YYYY-MM-DD",
        f"{where}:5: no event_type; give one of the six ACLED event types",
        f"{where}:6: event_type 'Massacre' is not an ACLED event type; use one of Battles, "
        "Explosions/Remote violence, Violence against civilians, Protests, Riots, "
        "Strategic developments",
        f"{where}:7: latitude '116.2700' is out of range; give -90 to 90",
        f"{where}:8: sub_event_type 'Peaceful protest' is not a sub-type of Riots; use "
        "Violent demonstration, Mob violence",
        f"{where}:9: fatalities 'a dozen' is not a whole number from 0 to 1000000",
        f"{where}:10: country 'Atlantis' is not a known country; use ACLED's country name or "
        "fill the iso column",
        f"{where}:11: event_id_cnty 'MLI91001' appears again (first on line 2); keep one row "
        "per event",
        f"{where}:12: has 11 cells where the header has 16; check the quoting of this row",
        f"{where}:15: inter1 '9' is not an ACLED actor category; write 1 to 8 or its label",
    ]
    long_date = result.events[1]
    assert long_date.event_date == date(2025, 10, 5)
    assert long_date.inter1 == 6  # "Protesters"
    assert (long_date.lat, long_date.lon) == (16.27, -0.04)  # decimal commas
    assert long_date.notes.endswith("inter code\nand a note on two lines.")


def _rewrite(path: Path, *, delimiter: str, encoding: str, order: list[str]) -> None:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=order, delimiter=delimiter, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8-sig"), ("\t", "utf-8"), ("|", "latin-1")]
)
def test_layouts(tmp_path: Path, delimiter: str, encoding: str) -> None:
    path = tmp_path / "export.csv"
    order = [*reversed(ACLED_COLUMNS), "iso3", "population_best"]
    _rewrite(path, delimiter=delimiter, encoding=encoding, order=order)
    assert read_acled_csv(path) == read_acled_csv(SAMPLE)


def test_only_the_required_columns(tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    path.write_text("\n\nEvent_ID_Cnty,EVENT_DATE,event_type\nX1,2024-02-29,Riots\n")
    result = read_acled_csv(path)
    assert result.problems == []
    assert result.events == [
        Event(
            id="X1",
            event_type="Riots",
            sub_event_type="",
            event_date=date(2024, 2, 29),
            time_precision=None,
            status="confirmed",
            layer="acled",
        )
    ]


def test_recent_exports_with_text_inter_codes(tmp_path: Path) -> None:
    path = tmp_path / "recent.csv"
    path.write_text(
        "event_id_cnty,event_date,event_type,sub_event_type,actor1,inter1,actor2,inter2,"
        "interaction,iso,country\n"
        "BFO1,2024-05-01,Battles,Armed clash,Military Forces of Burkina Faso (2022-),"
        "State forces,Unidentified Armed Group (Burkina Faso),Political militia,"
        "State forces-Political militia,854,Burkina Faso\n"
    )
    (event,) = read_acled_csv(path).events
    assert (event.inter1, event.inter2, event.country) == (1, 3, "BF")
    assert (event.actor1, event.actor2) == ("military-bf", "unidentified-armed-group-burkina-faso")


def test_problems_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(acled_csv, "MAX_PROBLEMS", 2)
    path = tmp_path / "bad.csv"
    path.write_text("event_id_cnty,event_date,event_type\n" + "X,,Riots\n" * 5)
    problems = read_acled_csv(path).problems
    assert problems == [
        f"{path}:2: no event_date; give the date of the event as YYYY-MM-DD",
        f"{path}:3: no event_date; give the date of the event as YYYY-MM-DD",
        f"{path}: 3 more rows with problems are not listed; fix the rows above and import again",
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"\n \n", "is empty"),
        (b"PK\x03\x04\x00\x00binary", "is a binary file, not a CSV"),
        (b"id,date,type\n1,2024-01-01,Riots\n", "is not an ACLED export"),
        (b"\xff\xfe\xfd\xfc", "is not an ACLED export"),
    ],
)
def test_not_an_acled_export(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "input.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_acled_csv(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {problem}")
    assert "; " in message and "\n" not in message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    for path in (tmp_path / "nowhere.csv", tmp_path):
        with pytest.raises(InputError, match=rf"^{path}: cannot be read"):
            read_acled_csv(path)


def test_countries_and_actor_names() -> None:
    countries = load_countries()
    assert countries.find("Côte d'Ivoire") == countries.get("CI")
    ivory_coast = countries.get("CI")
    assert ivory_coast is not None and ivory_coast.name == "Ivory Coast"
    assert countries.by_numeric(466) == countries.get("ML")
    bolivia = countries.find("Bolivia")
    assert bolivia is not None and (bolivia.iso2, bolivia.region) == ("BO", "")
    african = {c.iso2 for c in countries if c.region.endswith("Africa")}
    assert len(african) == 58
    actors = AcledActors.default()
    assert actors.actor_id("Police Forces of Mali (2021-)") == "police-ml"  # the role wins
    assert actors.actor_id("Military Forces of Niger (2023-)") == "fan"
    assert actors.actor_id("Civilians (Ivory Coast)") == "civilians-ivory-coast"
    assert actors.actor_id("Some Local Militia") is None
    assert actors.name("unidentified-armed-group-niger") == "Unidentified Armed Group (Niger)"
    assert actors.name("not-an-actor") == "not-an-actor"


# ------------------------------------------------------------------ hostile input

CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["", "2024-01-01", "Battles", "Armed clash", "91", "-200", "1e9", "NaN"]
)
COLUMNS = [
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "latitude",
    "longitude",
    "inter1",
    "fatalities",
    "iso",
    "country",
    "time_precision",
    "notes",
]
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(path: Path, rows: int | None = None) -> None:
    try:
        result = read_acled_csv(path)
    except InputError as exc:
        assert len(str(exc).splitlines()) == 1
        return
    for problem in result.problems:
        assert len(problem.splitlines()) == 1 and problem.startswith(f"{path}:")
    if rows is not None:
        assert len(result.events) + len(result.problems) <= rows


@FUZZ
@given(st.lists(st.lists(CELL, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=8))
def test_hostile_cells(rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        _check(path, len(rows))


@FUZZ
@given(st.binary(max_size=2000))
def test_hostile_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.csv"
        path.write_bytes(b"event_id_cnty,event_date,event_type\n" + data)
        _check(path)
        path.write_bytes(data)
        _check(path)
