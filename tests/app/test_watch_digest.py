"""`tocsin watch` queues the weekly digest when its schedule comes round, once, and
delivers the outbox every round (an injected wall clock, a real SMTP server)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.report.test_digest import SETTINGS, fill
from tests.smtpserver import SmtpServer
from tocsin.app.pipeline import Pipeline
from tocsin.app.watch import run_watch
from tocsin.errors import ConfigError
from tocsin.store import Store, open_store


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "w.db"))
    fill(opened)
    yield opened
    opened.close()


def _pipeline(store: Store, smtp: SmtpServer, schedule: str = "monday 07:00") -> Pipeline:
    settings = replace(
        SETTINGS, extract=False, digest_schedule=schedule, smtp_host=smtp.host,
        smtp_port=smtp.port,
    )  # fmt: skip
    return Pipeline(store, settings)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 12, day, hour, minute, tzinfo=UTC)


def _subjects(smtp: SmtpServer) -> list[str]:
    return sorted(" ".join(str(r.message["Subject"]).split()) for r in smtp.messages)


@pytest.mark.timeout(60)
def test_the_digest_goes_once_per_scheduled_time(store: Store, smtp: SmtpServer) -> None:
    pipeline = _pipeline(store, smtp)
    notes: list[str] = []
    errors: list[str] = []

    def round_at(moment: datetime) -> None:
        """One round of a watch (a fresh process each time: nothing kept in memory)."""
        run_watch(
            pipeline, [], once=True, now=lambda: moment, on_note=notes.append,
            on_error=errors.append,
        )  # fmt: skip

    round_at(_at(1, 7, 0))  # never sent: the week ending 30 November goes now
    assert smtp.wait_for(3)
    assert len(store.list_outbox(kind="digest")) == 3
    round_at(_at(1, 7, 5))
    round_at(_at(7, 23, 59))  # Sunday night: not yet
    assert len(store.list_outbox(kind="digest")) == 3
    round_at(_at(8, 7, 0))  # Monday 07:00: the week ending 7 December
    assert smtp.wait_for(6)
    round_at(_at(8, 7, 1))
    round_at(_at(8, 9, 30))
    time.sleep(0.2)
    assert len(smtp.messages) == 6 and errors == []
    assert store.outbox_counts()["sent"] == 6
    assert notes == [
        "digest for the week ending 2025-11-30 queued for 3 subscriber(s)",
        "outbox: 3 sent, 0 to retry, 0 dead",
        "digest for the week ending 2025-12-07 queued for 3 subscriber(s)",
        "outbox: 3 sent, 0 to retry, 0 dead",
    ]
    subjects = _subjects(smtp)
    assert [s.split(" — ", 1)[1].split(":")[0] for s in subjects if "Weekly" in s] == [
        "Weekly digest, 1–7 December 2025",
        "Weekly digest, 1–7 December 2025",
        "Weekly digest, 24–30 November 2025",
        "Weekly digest, 24–30 November 2025",
    ]


@pytest.mark.timeout(60)
def test_a_running_watch_sends_the_digest_when_its_time_comes(
    store: Store, smtp: SmtpServer
) -> None:
    """The loop itself, with a wall clock that moves ten minutes at each reading from
    Monday 06:30: the digest goes at 07:00, and not again in the hours after."""
    pipeline = _pipeline(store, smtp)
    run_watch(pipeline, [], once=True, now=lambda: _at(1, 7, 0))  # last week's, sent
    start = _at(8, 6, 30)
    reads: list[datetime] = []

    def wall_clock() -> datetime:  # ten minutes later at each reading
        reads.append(start + timedelta(minutes=10) * len(reads))
        return reads[-1]

    assert smtp.wait_for(3)
    stop = threading.Event()
    worker = threading.Thread(
        target=run_watch,
        args=(pipeline, []),
        kwargs={"stop": stop, "now": wall_clock, "tick": 0.05},
    )
    worker.start()
    try:
        assert smtp.wait_for(6, timeout=30)
        deadline = time.monotonic() + 30
        while len(reads) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive()
    assert len(reads) >= 40 and len(smtp.messages) == 6
    queued = sorted({m.created for m in store.list_outbox(kind="digest")})
    assert queued[0] == _at(1, 7, 0) and _at(8, 7) <= queued[1] <= _at(8, 7, 10)


def test_a_bad_schedule_stops_watch_before_it_starts(store: Store, smtp: SmtpServer) -> None:
    pipeline = _pipeline(store, smtp, schedule="every monday")
    with pytest.raises(ConfigError, match="digest_schedule 'every monday': not understood"):
        run_watch(pipeline, [], once=True)
    assert store.list_outbox() == []
