"""Killing the process mid-ingest leaves no partial document; a re-run completes the rest."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.app.test_pipeline import WP_COMMENTS
from tests.factories import article_html

COUNT = 200


def _counts(db: Path) -> tuple[int, int, int]:
    """(documents, comments, documents whose thread is incomplete)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        docs = conn.execute("select count(*) from documents").fetchone()[0]
        comments = conn.execute("select count(*) from comments").fetchone()[0]
        partial = conn.execute(
            "select count(*) from documents d where (select count(*) from comments c"
            " where c.document_id = d.id) != 2"
        ).fetchone()[0]
    return docs, comments, partial


@pytest.mark.timeout(180)
def test_sigkill_mid_ingest_then_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(COUNT):
        (folder / f"p{i:03d}.html").write_text(article_html(5000 + i, comments_html=WP_COMMENTS))
    db = tmp_path / "t.db"
    cmd = [sys.executable, "-m", "tocsin", "--db", str(db), "ingest", "--json", str(folder)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if db.exists():
                try:
                    if _counts(db)[0] >= 20:
                        break
                except sqlite3.OperationalError:
                    continue  # schema not created yet
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    docs, comments, partial = _counts(db)
    assert 20 <= docs < COUNT, "the kill must land mid-way"
    assert partial == 0 and comments == 2 * docs
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=150, check=False)
    assert rerun.returncode == 0, rerun.stderr
    statuses = [line.split('"status": "')[1].split('"')[0] for line in rerun.stdout.splitlines()]
    assert statuses.count("duplicate") == docs
    assert statuses.count("new") == COUNT - docs
    assert _counts(db) == (COUNT, 2 * COUNT, 0)
