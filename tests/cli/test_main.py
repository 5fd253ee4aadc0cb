"""The command as a user runs it: a real process, its exit code, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import article_html
from tests.httpserver import LocalServer


def tocsin(*args: str, db: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tocsin", "--db", str(db), *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_ingest_list_show_as_json(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    page = tmp_path / "a.html"
    page.write_text(article_html(1, url="https://www.lesahellibre.example/a/1"))
    run = tocsin("ingest", "--json", str(page), db=db)
    assert run.returncode == 0, run.stderr
    [line] = [json.loads(x) for x in run.stdout.splitlines()]
    assert line["status"] == "new" and line["language"] == "fr"
    listed = tocsin("docs", "list", "--json", db=db)
    [row] = [json.loads(x) for x in listed.stdout.splitlines()]
    assert row["id"] == line["doc_id"] and row["source"] == "Le Sahel Libre"
    shown = json.loads(tocsin("docs", "show", "--json", line["doc_id"], db=db).stdout)
    assert shown["url"] == "https://www.lesahellibre.example/a/1"
    assert shown["published"] == "2025-11-04T09:00:00+00:00"
    text = tocsin("docs", "show", line["doc_id"], db=db)
    assert text.returncode == 0 and "Le Sahel Libre (news)" in text.stdout


def test_a_one_line_report_with_a_date_is_stored_by_ingest_json(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    note = tmp_path / "note.txt"
    note.write_text("On 3 December 2025, gunmen killed three herders near Boni.")
    run = tocsin("ingest", str(note), "--json", db=db)
    assert run.returncode == 0, run.stdout + run.stderr
    [line] = [json.loads(x) for x in run.stdout.splitlines()]
    assert line["status"] == "new" and line["error"] is None
    shown = json.loads(tocsin("docs", "show", "--json", line["doc_id"], db=db).stdout)
    assert shown["text"] == "On 3 December 2025, gunmen killed three herders near Boni."
    assert shown["form"] == "report"


def test_bad_inputs_one_line_each_no_traceback_nonzero_exit(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    good = tmp_path / "good.html"
    good.write_text(article_html(2))
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.5\n\x00\x00")
    empty = tmp_path / "empty.html"
    empty.write_text("")
    run = tocsin("ingest", str(binary), str(tmp_path / "nope.html"), str(empty), str(good), db=db)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 3
    assert any("scan.txt: this is a PDF file" in e for e in errors)
    assert any("nope.html: no such file" in e for e in errors)
    assert "1 new" in run.stderr and "3 failed" in run.stderr
    assert tocsin("docs", "list", "--json", db=db).stdout.count("\n") == 1


def test_unknown_document_and_bad_database(tmp_path: Path) -> None:
    run = tocsin("docs", "show", "d0000", db=tmp_path / "t.db")
    assert run.returncode == 2 and run.stderr.strip().startswith("error: d0000: no such document")
    bad = tocsin("docs", "list", db=tmp_path / "no" / "such" / "dir.db")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_stdin(tmp_path: Path) -> None:
    text = ("Note de situation\n\n" + "Les convois restent bloqués à Diboli. " * 20).encode()
    run = tocsin(
        "ingest", "--kind", "analysis", "--source", "ORS", "-", db=tmp_path / "t.db", stdin=text
    )
    assert run.returncode == 0, run.stderr
    assert "Note de situation" in run.stdout


@pytest.mark.timeout(60)
def test_url_that_times_out_and_html_as_feed(tmp_path: Path, local_server: LocalServer) -> None:
    local_server.route("/slow", body=b"<html></html>", delay=30)
    local_server.route(
        "/page", body=article_html(3).encode(), headers={"Content-Type": "text/html"}
    )
    watch = tmp_path / "watch.toml"
    watch.write_text(f'[[feed]]\nurl = "{local_server.url("/page")}"\ninterval = "15m"\n')
    env_db = tmp_path / "t.db"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tocsin",
            "--db",
            str(env_db),
            "ingest",
            "--allow-private",
            local_server.url("/slow"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**__import__("os").environ, "TOCSIN_READ_TIMEOUT": "1", "TOCSIN_RETRIES": "0"},
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "/slow" in run.stderr and "TOCSIN_READ_TIMEOUT" in run.stderr
    polled = subprocess.run(
        [sys.executable, "-m", "tocsin", "--db", str(env_db), "watch", "--once", str(watch)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**__import__("os").environ, "TOCSIN_ALLOW_PRIVATE": "1", "TOCSIN_MIN_INTERVAL": "0"},
    )
    assert polled.returncode == 0, polled.stderr
    assert "not an RSS or Atom feed (got HTML)" in polled.stderr
    assert "Traceback" not in polled.stderr


def test_help_and_usage_errors(tmp_path: Path) -> None:
    run = tocsin("--help", db=tmp_path / "t.db")
    assert run.returncode == 0 and "ingest" in run.stdout and "watch" in run.stdout
    bad = tocsin("ingest", "--kind", "gossip", "x", db=tmp_path / "t.db")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_short_report_on_stdin_extracted_alike_with_and_without_json(
    tmp_path: Path, index_path: Path
) -> None:
    """A one-line note is stored whole and extracted; `ingest --json` extracts exactly as
    `ingest` does (issue 16: --json used to skip extraction)."""
    env = {
        **__import__("os").environ,
        "TOCSIN_EXTRACT": "1",
        "TOCSIN_GAZETTEER_INDEX": str(index_path),
        "TOCSIN_GAZETTEER_WORLD": "0",
    }
    note = "Le JNIM a attaqué un convoi de camions-citernes près de Ségou."

    def run(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tocsin", "--db", str(db), *args],
            input=stdin, capture_output=True, text=True, timeout=180, env=env, check=False,
        )  # fmt: skip

    as_json, plain = tmp_path / "json.db", tmp_path / "plain.db"
    ingested = run(as_json, "ingest", "--json", "-", stdin=note + "\n")
    assert ingested.returncode == 0, ingested.stderr
    stored, extracted = [json.loads(x) for x in ingested.stdout.splitlines()]
    assert (stored["status"], extracted["status"]) == ("new", "extracted")
    assert extracted["doc_id"] == stored["doc_id"] and extracted["input"] == "stdin"
    assert {x["type"] for x in extracted["annotations"]} >= {"actor", "place", "event"}
    assert run(plain, "ingest", "-", stdin=note).returncode == 0
    doc_id = stored["doc_id"]
    shown = [
        json.loads(run(db, "docs", "show", "--json", "--annotations", doc_id).stdout)
        for db in (as_json, plain)
    ]
    assert shown[0]["annotations"] == shown[1]["annotations"]
    assert shown[0]["annotations"]["annotations"] == extracted["annotations"]
    assert shown[0]["text"] == note and shown[0]["form"] == "report"
    [row] = [json.loads(x) for x in run(plain, "docs", "list", "--json").stdout.splitlines()]
    assert row["form"] == "report" and row["kind"] == "news"
    assert "form       report" in run(plain, "docs", "show", doc_id).stdout
