"""`tocsin comments` as a user runs it: a real process, its exit code, stdout and stderr.
The store is the one of tests/comments/test_summary.py; the classifier is the shipped
one, so only what does not depend on its scores is compared line by line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.comments.test_summary import SPAM
from tests.comments.test_summary import store as _store  # noqa: F401  (the fixture)
from tocsin.store import Store


def tocsin(
    *args: str, db: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    where = ["--db", str(db)] if db else []
    return subprocess.run(
        [sys.executable, "-m", "tocsin", *where, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "COLUMNS": "300"},
    )


def test_classify_one_line_out_per_line_in(tmp_path: Path) -> None:
    lines = [
        "Il faut expulser tous ces étrangers !",
        "",
        "🙏",
        "اللهم احفظ مالي",
        "Bravo aux FAMa.",
    ]
    run = tocsin("comments", "classify", "-", "--json", stdin="\n".join(lines) + "\n")
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(rows) == len(lines)
    assert all(
        set(r) == {"labels", "toxic", "hateful", "incitement", "targets", "language"} for r in rows
    )
    assert rows[1]["labels"] == rows[2]["labels"] == ["none"]
    path = tmp_path / "comments.txt"
    path.write_text("Triste.\r\nNos dirigeants nous mentent.\n" + "x" * 300_000, encoding="utf-8")
    run = tocsin("comments", "classify", str(path))
    assert run.returncode == 0, run.stderr
    out = run.stdout.splitlines()
    assert len(out) == 3 and out[0].endswith("  Triste.") and out[2].endswith("x…")
    missing = tocsin("comments", "classify", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2
    assert missing.stderr.strip().endswith(
        "nope.txt: no such file; give a text file with one comment per line, or - for stdin"
    )


def test_summary_of_a_document_and_of_an_outlet(_store: Store) -> None:  # noqa: F811
    db = Path(str(_store.engine.url.database))
    _store.close()
    run = tocsin("comments", "summary", "--doc", "d-blockade", db=db)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:2] == [
        "document d-blockade: Blocus du carburant : Bamako à l'agonie",
        "12 comments (10 different texts); languages: fr 11, en 1 (mixed)",
    ]
    assert lines[2].startswith("toxic ")
    at = lines.index("narratives:")
    assert lines[at + 1 : at + 4] == [
        "  close_borders: Close the borders, expel the foreigners — 3 comments",
        "    blames: Foreigners 3",
        f"    « {SPAM} » (d-blockade-c4 0-{len(SPAM)})",
    ]
    assert lines[-6:] == [
        "stance:",
        "  Malian Armed Forces (FAMa): 1 support, 0 hostile",
        "  France: 0 support, 1 hostile",
        "  Transitional Government of Mali: 0 support, 1 hostile",
        "posted again and again:",
        f"  3× « {SPAM} »",
    ]
    run = tocsin("comments", "summary", "--outlet", "The West Africa Ledger", "--json", db=db)
    assert run.returncode == 0, run.stderr
    (plain,) = [json.loads(line) for line in run.stdout.splitlines()]
    assert (plain["scope"], plain["key"], plain["comments"]) == (
        "outlet",
        "The West Africa Ledger",
        2,
    )
    assert [(n["id"], n["comments"], n["rebuttals"]) for n in plain["narratives"]] == [
        ("foreign_hand", 1, 1)
    ]
    both = tocsin("comments", "summary", "--doc", "d-blockade", "--outlet", "x", db=db)
    assert (both.returncode, both.stdout) == (2, "")
    assert both.stderr.strip() == "error: --doc and --outlet: give one of them, not both"
