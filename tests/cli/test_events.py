"""The event commands as a user runs them: a real process, its exit code, stdout, stderr."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.test_events import BURKINA_ROW, MALI_ROWS, write_acled
from tests.store.test_events_store import events_of, fill
from tocsin.ingest.acled_csv import ACLED_COLUMNS
from tocsin.report.exports import event_to_plain
from tocsin.store import open_store


def tocsin(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tocsin", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "300"},  # rich tables: one line per row
    )


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store with the four documents of the store tests and three hand-merged events."""
    path = tmp_path / "t.db"
    store = open_store(str(path))
    fill(store)
    store.save_events(events_of(store))
    store.close()
    return path


def test_list_as_a_table_and_as_json(db: Path) -> None:
    run = tocsin("events", "list", db=db)
    assert run.returncode == 0, run.stderr
    assert lines(run.stdout) == [
        "id        date        type / sub-type                                              "
        "actors                                                              "
        "location             fatalities  status        reports",
        "ev-djibo  2025-10-02  Violence against civilians / Abduction/forced disappearance  "
        "Unidentified Armed Group (Burkina Faso) → Civilians (Burkina Faso)  "
        "Djibo, Sahel, BF     —           reported            1",
        "ev-kati   2025-09-14  Violence against civilians / Attack                          "
        "JNIM → Civilians (Mali)                                             "
        "Kati, Koulikoro, ML  10–15       confirmed           4",
        "ev-clash  no date     Battles / Armed clash                                        "
        "Military Forces of Niger → Islamic State Sahel Province             "
        "NE                   —           corroborated        0",
        "3 events",
    ]
    limited = tocsin("events", "list", "--actor", "civilians", "--limit", "1", db=db)
    assert lines(limited.stdout)[-1] == "1 event; --limit shows more"
    as_json = tocsin("events", "list", "--country", "Mali", "--json", db=db)
    [kati] = [json.loads(line) for line in as_json.stdout.splitlines()]
    store = open_store(str(db))
    expected = store.get_event("ev-kati")
    assert expected is not None and kati == event_to_plain(expected)
    assert [(r["id"], r["source_id"], r["quote"]) for r in kati["reports"]] == [
        (
            "dA:body:17",
            "lesahellibre-example",
            "des combattants du JNIM ont attaqué un convoi de camions-citernes près de Kati",
        ),
        (
            "dB:body:34",
            "ministry-example",
            "une attaque terroriste contre un convoi près de Kati a fait dix morts",
        ),
        (
            "dC:body:17",
            "echo-example",
            "des combattants du JNIM ont attaqué un convoi de camions-citernes près de Kati",
        ),
        ("dA:dA-c1:27", "lesahellibre-example", "il y a eu quinze morts"),
    ]
    none = tocsin("events", "list", "--country", "Tchad", db=db)
    assert (none.returncode, none.stdout) == (0, "no events match\n")
    empty = tocsin("events", "list", "--layer", "acled", db=db)
    assert empty.stdout == "no reference events yet: run `tocsin import acled-csv FILE`\n"


def test_show_the_event_then_each_report(db: Path) -> None:
    run = tocsin("events", "show", "ev-kati", db=db)
    assert run.returncode == 0, run.stderr
    figures = "     its figures: Violence against civilians / Attack · 2025-09-14 · Kati · "
    assert lines(run.stdout) == [
        "ev-kati  Violence against civilians / Attack (Political violence)",
        "  date       2025-09-14",
        "  actor1     JNIM [jnim], inter 2",
        "  actor2     Civilians (Mali) [civilians-mali], inter 7",
        "  location   Kati, Koulikoro, ML (12.7440, -8.0720), geo precision 2",
        "  fatalities 12 (reports say 10–15)",
        "  tags       convoy, supplies",
        "  status     confirmed (2 independent sources)",
        "  layer      tocsin",
        "  source     Le Sahel Libre; Ministère",
        "4 reports",
        "  1. lesahellibre-example (C) · news · published 2025-09-15 · dA:body:17",
        "     «des combattants du JNIM ont attaqué un convoi de camions-citernes près de Kati»",
        figures + "JNIM → Civilians (Mali) · fatalities 12",
        "  2. ministry-example (B) · official · published 2025-09-16 · dB:body:34",
        "     «une attaque terroriste contre un convoi près de Kati a fait dix morts»",
        figures + "JNIM → Civilians (Mali) · fatalities 10",
        "  3. echo-example (D) · news · published 2025-09-17 · copy of dA · dC:body:17",
        "     «des combattants du JNIM ont attaqué un convoi de camions-citernes près de Kati»",
        figures + "JNIM → Civilians (Mali) · fatalities 12",
        "  4. lesahellibre-example (F) · comment · published 2025-09-15 · dA:dA-c1:27",
        "     «il y a eu quinze morts»",
        figures + "? → Civilians (Mali) · fatalities 15",
    ]
    shown = json.loads(tocsin("events", "show", "ev-clash", "--json", db=db).stdout)
    assert (shown["id"], shown["assoc_actor_1"], shown["reports"]) == (
        "ev-clash",
        ["africa-corps"],
        [],
    )
    missing = tocsin("events", "show", "ev-none", db=db)
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == "error: ev-none: no such event; list them with `tocsin events list`\n"


def test_export_each_format_with_filters(db: Path, tmp_path: Path) -> None:
    run = tocsin("export", "--format", "acled-csv", db=db)
    assert run.returncode == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0] == list(ACLED_COLUMNS)
    assert [row[0] for row in rows[1:]] == ["ev-djibo", "ev-kati", "ev-clash"]
    target = tmp_path / "mali.csv"
    to_file = tocsin("export", "--country", "ML", "--output", str(target), db=db)
    assert (to_file.returncode, to_file.stdout) == (0, "")
    assert to_file.stderr == f"1 event written to {target} (acled-csv)\n"
    written = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert written == [rows[0], rows[2]]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mali")] == []
    geo = json.loads(tocsin("export", "--format", "geojson", "--type", "attack", db=db).stdout)
    assert geo["type"] == "FeatureCollection"
    assert [(f["id"], f["geometry"]) for f in geo["features"]] == [
        ("ev-kati", {"type": "Point", "coordinates": [-8.072, 12.744]})
    ]
    jsonl = tocsin("export", "--format", "jsonl", "--since", "2025-10", db=db)
    assert [json.loads(line)["id"] for line in jsonl.stdout.splitlines()] == ["ev-djibo"]
    until = tocsin("export", "--format", "jsonl", "--until", "2025-09", db=db)
    assert [json.loads(line)["id"] for line in until.stdout.splitlines()] == ["ev-kati"]


def test_import_then_compare(db: Path, tmp_path: Path) -> None:
    no_layer = tocsin("events", "compare", db=db)
    assert no_layer.returncode == 2
    assert no_layer.stderr == (
        "error: no reference events to compare with; run `tocsin import acled-csv FILE`\n"
    )
    mali = write_acled(tmp_path / "mali.csv", *MALI_ROWS)
    run = tocsin("import", "acled-csv", str(mali), db=db)
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        f"{mali}: 2 events imported, 1 problem; 2 events in the reference layer (acled)\n"
    )
    assert (
        run.stderr == f"{mali}:4: event_date 'not a date' is not a date; write it as YYYY-MM-DD\n"
    )
    burkina = tocsin(
        "import", "acled-csv", str(write_acled(tmp_path / "bf.csv", BURKINA_ROW)), db=db
    )
    assert burkina.stdout.endswith(
        "1 event imported, 0 problems; 3 events in the reference layer (acled)\n"
    )
    bad_only = write_acled(tmp_path / "bad.csv", MALI_ROWS[2])
    nothing = tocsin("import", "acled-csv", str(bad_only), db=db)
    assert nothing.returncode == 1
    assert nothing.stdout == (
        f"{bad_only}: 0 events imported, 1 problem; 3 events in the reference layer (acled)\n"
    )
    compared = tocsin("events", "compare", db=db)
    assert compared.returncode == 0, compared.stderr
    assert lines(compared.stdout) == [
        "events (tocsin, acled)  3, 3",
        "matched                 2",
        "only in tocsin          1",
        "only in acled           1",
        "recall                  66.7% of ACLED's events are in Tocsin's",
        "precision               66.7% of Tocsin's events are in ACLED's",
        "same type               100.0%",
        "same sub-type           100.0%",
        "same fatalities         50.0%",
        "median distance         0.0 km",
    ]
    in_mali = json.loads(tocsin("events", "compare", "--country", "ML", "--json", db=db).stdout)
    assert (in_mali["tocsin"], in_mali["acled"], in_mali["matched"]) == (1, 2, 1)


def test_merge_prints_what_changed(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    fill(open_store(str(path)))
    run = tocsin("events", "merge", db=path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        "5 reports → 2 events (before: 0); 2 new, 0 merged away or gone, 0 changed status\n"
        "1 reported, 0 corroborated, 1 confirmed\n"
    )
    again = json.loads(tocsin("events", "merge", "--json", db=path).stdout)
    assert again == {
        "reports": 5,
        "events_before": 2,
        "events": 2,
        "new": 0,
        "gone": 0,
        "statuses": {"confirmed": 1, "reported": 1},
        "status_changes": [],
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("events", "list", "--since", "2025-13-01"),
            "--since 2025-13-01: not a date; write it as YYYY-MM-DD (2025-09-14), YYYY-MM or YYYY",
        ),
        (
            ("export", "--until", "14/09/2025"),
            "--until 14/09/2025: not a date; write it as YYYY-MM-DD (2025-09-14), YYYY-MM or YYYY",
        ),
        (
            ("events", "list", "--country", "Atlantide"),
            "--country Atlantide: not a country code or name known to ISO 3166; give an ISO "
            "code (ML) or a name in English or French (Mali, Tchad)",
        ),
        (
            ("events", "list", "--status", "rumoured"),
            "--status rumoured: not known; use one of reported, corroborated, confirmed",
        ),
        (
            ("export", "--format", "pdf"),
            "--format pdf: not known; use one of acled-csv, geojson, jsonl",
        ),
        (
            ("export", "--output", "/nonexistent/folder/x.csv"),
            "/nonexistent/folder/x.csv: cannot be written (No such file or directory); check "
            "that the folder exists",
        ),
        (
            ("import", "acled-csv", "/nonexistent/acled.csv"),
            "/nonexistent/acled.csv: no such file; give the path of an ACLED CSV export",
        ),
        (
            ("events", "compare", "--km", "0"),
            "--km 0: must be more than 0; give a distance in km (25)",
        ),
    ],
)
def test_bad_input_is_one_line_naming_it(db: Path, args: tuple[str, ...], message: str) -> None:
    run = tocsin(*args, db=db)
    assert (run.returncode, run.stdout, run.stderr) == (2, "", f"error: {message}\n")
