"""`tocsin risk` as a user runs it: a real process, its exit code, stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.test_risk import event, fill
from tocsin.store import open_store

KATI_REASON = "2025-12-08: Attack (convoy) at Kati, 12 killed; JNIM vs Civilians (Mali) (confirmed)"


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
    """A lethal attack on a convoy at Kati today, a protest at Gao nine days ago, and the
    forecasts of tests/app/test_risk.py (one at Kati, one about Mali)."""
    path = tmp_path / "t.db"
    store = open_store(str(path))
    fill(store)
    attack = event(
        "e1", actor1_name="JNIM", actor2_name="Civilians (Mali)", fatalities=12, tags=("convoy",),
        event_type="Violence against civilians", sub_event_type="Attack",
    )  # fmt: skip
    protest = event(
        "e2", days_ago=9, location="Gao", geonameid=2457163, lat=16.2717, lon=-0.0447,
        admin1="Gao", event_type="Protests", sub_event_type="Peaceful protest",
    )  # fmt: skip
    store.save_events([attack, protest])
    store.close()
    return path


HEADER = "place      scope    category   level     trend  score  top reason"


def test_levels_as_a_table_computed_when_none_is_saved(db: Path) -> None:
    run = tocsin("risk", "--asof", "2025-12-08", db=db)
    assert run.returncode == 0, run.stderr
    reason = f"{KATI_REASON} [74%]"
    assert lines(run.stdout) == [
        HEADER,
        f"Kati       town     conflict   high      new    15.60  {reason}",
        f"Kati       town     supply     high      new    15.60  {reason}",
        f"Koulikoro  admin1   conflict   moderate  new    15.60  {reason}",
        f"Koulikoro  admin1   supply     moderate  new    15.60  {reason}",
        f"Mali       country  conflict   moderate  new    15.60  {reason}",
        f"Mali       country  supply     moderate  new    15.60  {reason}",
        "Mali       country  political  minimal   new     1.95  forecast, unlikely (32%) by "
        "2026-03-01: Une crise politique au Mali est peu probable. [100%]",
        "7 levels for 2025-12-02 – 2025-12-08, computed now, not saved (`tocsin risk update` "
        "saves them); 3 minimal and unchanged not shown (--all shows them)",
    ]
    assert run.stderr == ""


def test_update_saves_then_the_table_reads_them(db: Path) -> None:
    run = tocsin("risk", "update", "--asof", "2025-12-08", db=db)
    assert run.returncode == 0, run.stderr
    assert lines(run.stdout) == [
        "10 risk levels saved for the 7 days ending 2025-12-08; 6 changed",
        "  Mali (country) · conflict: none → moderate",
        "  Mali (country) · supply: none → moderate",
        "  Koulikoro (admin1) · conflict: none → moderate",
        "  Koulikoro (admin1) · supply: none → moderate",
        "  Kati (town) · conflict: none → high",
        "  Kati (town) · supply: none → high",
    ]
    again = tocsin("risk", "update", "--asof", "2025-12-08", "--json", db=db)
    assert json.loads(again.stdout) == {
        "asof": "2025-12-08", "period_days": 7, "levels": 10, "changes": [],
    }  # fmt: skip
    run = tocsin("risk", "--asof", "2025-12-08", "--area", "Kati", "--category", "conflict", db=db)
    assert run.returncode == 0, run.stderr
    assert lines(run.stdout) == [
        "place  scope  category  level  trend  score  top reason",
        f"Kati   town   conflict  high   new    15.60  {KATI_REASON} [74%]",
        "1 level for 2025-12-02 – 2025-12-08, as saved",
    ]
    history = tocsin("risk", "history", "Kati", db=db)
    assert lines(history.stdout) == ["2025-12-08  high      new     15.60"]


def test_json_lines_for_scripts(db: Path) -> None:
    run = tocsin("risk", "--asof", "2025-12-08", "--area", "Gao", "--json", db=db)
    assert run.returncode == 0, run.stderr
    found = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(x["place_key"], x["category"], x["level_name"], x["trend"]) for x in found] == [
        ("admin1:ML:Gao", "unrest", "minimal", "steady"),
        ("town:2457163", "unrest", "minimal", "steady"),
    ]
    assert found[1] == {
        "place_key": "town:2457163", "scope": "town", "name": "Gao", "country": "ML",
        "admin1": "Gao", "geonameid": 2457163, "lat": 16.2717, "lon": -0.0447,
        "category": "unrest", "level": 1, "level_name": "minimal", "score": 0.308,
        "period_start": "2025-12-02", "period_end": "2025-12-08", "previous_level": 1,
        "previous_score": 0.615, "trend": "steady",
        "contributions": [{"kind": "event", "ref_id": "e2", "weight": 1.0,
                           "summary": "2025-11-29: Peaceful protest at Gao (confirmed)"}],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--area", "Xyzzyville"),
            "error: area Xyzzyville: not a country, region or town known to the gazetteer; "
            "check the spelling with `tocsin gazetteer lookup Xyzzyville`",
        ),
        (
            ("--category", "weather"),
            "error: --category weather: not known; "
            "use one of conflict, unrest, crime, supply, political",
        ),
        (("--asof", "2025-13-01"), "error: --asof 2025-13-01: not a date; write it as YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_line(db: Path, args: tuple[str, ...], message: str) -> None:
    run = tocsin("risk", *args, db=db)
    assert run.returncode == 2
    assert lines(run.stderr) == [message]
    assert run.stdout == ""


def test_nothing_to_show(tmp_path: Path) -> None:
    run = tocsin("risk", "--asof", "2025-12-08", db=tmp_path / "empty.db")
    assert (run.returncode, lines(run.stdout)) == (0, ["no risk levels as of 2025-12-08"])
    history = tocsin("risk", "history", "Mali", "--category", "unrest", db=tmp_path / "empty.db")
    assert lines(history.stdout) == [
        "no stored unrest levels for Mali (country:ML); run `tocsin risk update --asof DATE`"
    ]
