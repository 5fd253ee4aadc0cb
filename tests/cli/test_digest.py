"""The subscriber and digest commands as a user runs them: a real process, its exit code,
stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.report.test_digest import SETTINGS, WEEK_END, fill
from tocsin.app.digest import build_digest
from tocsin.store import open_store

DEMO = (
    Path(__file__).parents[2]
    / "src"
    / "tocsin"
    / "app"
    / "demo"
    / "organisation"
    / "subscribers.toml"
)
CONFIG = '[tocsin]\nbase_url = "https://tocsin.example.org/"\norganisation = "Sahel Solidarité"\n'


def tocsin(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    config = db.parent / "tocsin.toml"
    if not config.exists():
        config.write_text(CONFIG, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "tocsin", "--db", str(db), "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "300"},  # rich tables: one line per row
    )


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_subscribers_add_import_list_unsubscribe_remove(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    run = tocsin("subscribers", "list", db=db)
    assert (run.returncode, run.stdout) == (
        0,
        "no subscribers yet: add one with `tocsin subscribers add EMAIL`\n",
    )
    run = tocsin(
        "subscribers", "add", "Ops@Example.org", "--lang", "fr", "--area", "Mali",
        "--area", "Kayes", "--name", "Ops [desk]", db=db,
    )  # fmt: skip
    assert (run.returncode, run.stdout) == (
        0,
        "added Ops [desk] <ops@example.org> (fr; Mali, Kayes Region)\n",
    )
    run = tocsin("subscribers", "add", "nope", db=db)
    assert (run.returncode, run.stderr) == (
        2,
        "error: nope: not an email address; write it as name@example.org\n",
    )
    run = tocsin("subscribers", "add", "a@example.org", "--area", "Xyzzyville", db=db)
    assert run.returncode == 2
    assert run.stderr == (
        "error: area Xyzzyville: not a country, region or town known to the gazetteer; "
        "check the spelling with `tocsin gazetteer lookup Xyzzyville`\n"
    )
    run = tocsin("subscribers", "import", str(DEMO), db=db)
    assert (run.returncode, run.stdout) == (
        0,
        f"{DEMO}: 2 added, 0 updated, 0 left unsubscribed, 0 with problems\n",
    )
    run = tocsin("subscribers", "list", "--json", db=db)
    found = {s["email"]: s for s in map(json.loads, run.stdout.splitlines())}
    assert sorted(found) == [
        "direction@sahel-solidarite.example",
        "donor-liaison@sahel-solidarite.example",
        "ops@example.org",
    ]
    assert found["donor-liaison@sahel-solidarite.example"]["areas"] == ["Bamako", "Kayes Region"]
    token = found["donor-liaison@sahel-solidarite.example"]["token"]
    run = tocsin("subscribers", "unsubscribe", token, db=db)
    assert (run.returncode, run.stdout) == (
        0,
        "unsubscribed donor-liaison@sahel-solidarite.example\n",
    )
    run = tocsin("subscribers", "unsubscribe", "not-a-token-at-all", db=db)
    assert (run.returncode, run.stderr) == (
        2,
        "error: token not-a-token-…: no such subscriber; list them with "
        "`tocsin subscribers list` (the token is in --json)\n",
    )
    # Importing again updates, and leaves the unsubscribed address unsubscribed.
    run = tocsin("subscribers", "import", str(DEMO), db=db)
    assert run.stdout == f"{DEMO}: 0 added, 1 updated, 1 left unsubscribed, 0 with problems\n"
    run = tocsin("subscribers", "remove", "OPS@example.org", db=db)
    assert (run.returncode, run.stdout) == (0, "removed ops@example.org\n")
    run = tocsin("subscribers", "remove", "ops@example.org", db=db)
    assert (run.returncode, run.stderr) == (
        2,
        "error: ops@example.org: no such subscriber; list them with `tocsin subscribers list`\n",
    )
    run = tocsin("subscribers", "list", db=db)
    assert lines(run.stdout) == [
        "email                                   name       lang  areas                 status",
        "direction@sahel-solidarite.example      Direction  fr    Mali                  active",
        "donor-liaison@sahel-solidarite.example  —          en    Bamako, Kayes Region  "
        "unsubscribed",
        "2 subscriber(s), 1 active",
    ]


def test_import_reports_bad_entries_and_keeps_the_others(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    path = tmp_path / "subs.toml"
    path.write_text(
        '[[subscriber]]\nemail = "a@example.org"\n[[subscriber]]\nemail = "b@"\n',
        encoding="utf-8",
    )
    run = tocsin("subscribers", "import", str(path), db=db)
    assert (run.returncode, run.stdout, run.stderr) == (
        1,
        f"{path}: 1 added, 0 updated, 0 left unsubscribed, 1 with problems\n",
        f"{path}: subscriber 2: b@: not an email address; write it as name@example.org\n",
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    store = open_store(str(path))
    fill(store)
    store.close()
    return path


SENT = [
    "desk@sahel-solidarite.example  [en]  4 events, 4 risk changes, 2 forecasts, 2 briefs",
    "direction@sahel-solidarite.example  [fr]  3 events, 3 risk changes, 2 forecasts, 1 brief",
    "donors@sahel-solidarite.example  [en]  2 events, 2 risk changes, 1 forecast, 1 brief",
]


def test_digest_send_dry_run_then_for_real_then_again(db: Path) -> None:
    run = tocsin("digest", "send", "--dry-run", "--week-end", "2025-12-07", db=db)
    assert run.returncode == 0, run.stderr
    assert lines(run.stdout) == [
        *SENT,
        "dry run: 3 digest(s) for the week 2025-12-01 to 2025-12-07; nothing written",
    ]
    assert open_store(str(db)).list_outbox() == []
    run = tocsin("digest", "send", "--week-end", "2025-12-07", db=db)
    assert lines(run.stdout) == [
        *SENT,
        "3 digest(s) queued for the week 2025-12-01 to 2025-12-07, 0 already queued; "
        "`tocsin outbox deliver` sends them",
    ]
    run = tocsin("digest", "send", "--week-end", "2025-12-07", db=db)
    assert lines(run.stdout) == [
        *(f"{line} (already queued)" for line in SENT),
        "0 digest(s) queued for the week 2025-12-01 to 2025-12-07, 3 already queued; "
        "`tocsin outbox deliver` sends them",
    ]
    store = open_store(str(db))
    assert [(m.kind, m.status) for m in store.list_outbox()] == [("digest", "pending")] * 3
    run = tocsin("digest", "send", "--week-end", "7 Dec", db=db)
    assert (run.returncode, run.stderr) == (
        2,
        "error: --week-end 7 Dec: not a date; write it as YYYY-MM-DD (2025-12-07)\n",
    )


def test_digest_preview_as_text_and_to_an_html_file(db: Path, tmp_path: Path) -> None:
    store = open_store(str(db))
    subscriber = store.get_subscriber("direction@sahel-solidarite.example")
    assert subscriber is not None
    expected = build_digest(store, subscriber, week_end=WEEK_END, settings=SETTINGS)
    run = tocsin(
        "digest", "preview", "Direction@Sahel-Solidarite.example", "--week-end", "2025-12-07",
        db=db,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        f"Subject: {expected.subject}\n"
        f"List-Unsubscribe: <https://tocsin.example.org/unsubscribe?token={subscriber.token}>\n"
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n\n" + expected.text
    )
    page = tmp_path / "digest.html"
    run = tocsin(
        "digest", "preview", subscriber.email, "--week-end", "2025-12-07", "-o", str(page), db=db
    )
    assert run.stdout == f"{page}: digest for {subscriber.email} written\n"
    assert page.read_text(encoding="utf-8") == expected.html
    run = tocsin("digest", "preview", "nobody@example.org", db=db)
    assert (run.returncode, run.stderr) == (
        2,
        "error: nobody@example.org: no such subscriber; list them with `tocsin subscribers list`\n",
    )
    assert store.list_outbox() == []
