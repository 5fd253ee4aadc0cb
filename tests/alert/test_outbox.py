"""The outbox in the store and the delivery loop's bookkeeping: idempotent queueing,
exclusive claims with a lease (SQLite across processes' connections, and PostgreSQL),
back-off arithmetic, and the `tocsin outbox` commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.smtpserver import SmtpServer, smtp_server
from tocsin.alert.messages import alert_messages, message_id, parse_channel
from tocsin.alert.outbox import MAX_BACKOFF, DeliveryReport, backoff_delay, lease_for
from tocsin.app.outbox import deliver, queue_alerts, queue_messages
from tocsin.config import Settings
from tocsin.errors import InputError
from tocsin.models import Alert, AlertQuote, AlertRule, Asset, OutboxMessage
from tocsin.store import Store, open_store

__all__ = ["smtp_server"]

T0 = datetime(2025, 12, 8, 9, 0, tzinfo=UTC)


class Clock:
    """An injected clock: ``clock()`` is now; ``advance`` moves it."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def make_alert(**changes: object) -> Alert:
    alert = Alert(
        id="alert-kati-1",
        key="sites|bko-office|event|ev-kati",
        rule_id="sites",
        kind="event",
        subject_id="ev-kati",
        severity=4,
        title="Attack on a convoy near Kati",
        summary="Gunmen attacked a fuel convoy on the RN3 near Kati; 12 people were killed.",
        fingerprint="corroborated|3|12",
        version=1,
        asset_id="bko-office",
        category="conflict",
        distance_km=14.2,
        lat=12.744,
        lon=-8.072,
        quotes=(
            AlertQuote(
                document_id="doc-1",
                source="Studio Tamani",
                reliability="B",
                credibility=2,
                text="Des hommes armés ont attaqué un convoi de citernes près de Kati.",
                url="https://www.studiotamani.org/kati",
            ),
            AlertQuote(
                document_id="doc-2",
                source="Forum <b>reader</b>",
                reliability="F",
                text="On entend des tirs <script>alert(1)</script> depuis ce matin",
            ),
        ),
        created=T0,
        updated=T0,
    )
    return replace(alert, **changes)  # type: ignore[arg-type]


def make_rule(*channels: str, **changes: object) -> AlertRule:
    rule = AlertRule(
        id="sites",
        name="Sites & corridor",
        asset_id="bko-office",
        channels=channels or ("email:securite@ngo.example",),
        lang="en",
    )
    return replace(rule, **changes)  # type: ignore[arg-type]


OFFICE = Asset(
    id="bko-office",
    name="Bamako office (ACI 2000)",
    kind="site",
    geometry="point",
    coords=((12.6392, -8.0029),),
    radius_km=1.0,
)


def plain_messages(
    count: int, *, channel: str = "email", target: str = "a@ngo.example"
) -> list[OutboxMessage]:
    """``count`` email (or webhook) messages with ids m00, m01, ..."""
    body = json.dumps({"subject": "s", "text": "t", "html": "", "headers": {}})
    return [
        OutboxMessage(
            id=f"m{i:02d}", channel=channel, target=target, subject=f"message {i}", body=body
        )
        for i in range(count)
    ]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(str(tmp_path / "t.db"))


# ---------------------------------------------------------------- messages and queueing


def test_message_ids_are_stable_and_differ_per_version_channel_and_target() -> None:
    rule = make_rule(
        "email:a@ngo.example", "webhook:https://hooks.ngo.example/t", "email:a@ngo.example"
    )
    settings = Settings()
    first = alert_messages(make_alert(), rule, settings=settings, asset=OFFICE)
    again = alert_messages(make_alert(), rule, settings=settings, asset=OFFICE)
    update = alert_messages(make_alert(version=2), rule, settings=settings, asset=OFFICE)
    assert [m.id for m in first] == [m.id for m in again]
    assert [(m.channel, m.target) for m in first] == [
        ("email", "a@ngo.example"),
        ("webhook", "https://hooks.ngo.example/t"),
    ]
    assert first[0].id == message_id("alert-kati-1", 1, "email", "a@ngo.example")
    assert len({m.id for m in first + update}) == 4
    assert all(m.alert_id == "alert-kati-1" and m.kind == "alert" for m in first)
    payload = json.loads(first[1].body)
    assert payload["delivery"] == first[1].id
    assert payload["type"] == "alert.created"
    assert json.loads(update[1].body)["type"] == "alert.updated"
    assert payload["alert"]["quotes"][1]["text"] == (
        "On entend des tirs <script>alert(1)</script> depuis ce matin"
    )  # JSON carries the text as written; the receiver escapes it where it shows it
    assert payload["asset"] == {
        "id": "bko-office",
        "name": "Bamako office (ACI 2000)",
        "kind": "site",
        "tags": [],
    }


@pytest.mark.parametrize(
    ("channel", "problem"),
    [
        (
            "sms:+22370000000",
            "rule sites: channel 'sms:+22370000000': not a channel; "
            "write email:ADDRESS or webhook:URL",
        ),
        (
            "email:nobody",
            "rule sites: channel 'email:nobody': not an email address; "
            "write email:name@example.org",
        ),
        (
            "webhook:ftp://x",
            "rule sites: channel 'webhook:ftp://x': not an http(s) URL; write webhook:https://host/path",
        ),
    ],
)
def test_a_bad_channel_names_the_rule(channel: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        alert_messages(make_alert(), make_rule(channel), settings=Settings())
    assert str(caught.value) == problem
    assert parse_channel(" Email: a@b.example ") == ("email", "a@b.example")


def test_queueing_twice_queues_once(store: Store) -> None:
    messages = plain_messages(3)
    assert queue_messages(store, messages, now=T0) == 3
    assert queue_messages(store, [*messages, *plain_messages(4)], now=T0) == 1
    listed = store.list_outbox()
    assert sorted(m.id for m in listed) == ["m00", "m01", "m02", "m03"]
    assert {(m.status, m.attempts, m.created) for m in listed} == {("pending", 0, T0)}
    assert store.outbox_counts() == {"pending": 4, "sending": 0, "sent": 0, "dead": 0}


def test_queue_alerts_looks_up_rules_and_assets(store: Store) -> None:
    store.save_assets([OFFICE])
    store.save_rules(
        [
            make_rule("email:a@ngo.example", "webhook:https://hooks.ngo.example/t", lang="fr"),
            make_rule(id="quiet", channels=()),
        ]
    )
    alerts = [
        make_alert(),
        make_alert(id="alert-2", key="quiet|x", rule_id="quiet"),  # no channels: feed only
        make_alert(id="alert-3", key="gone|x", rule_id="removed-rule"),  # rule gone: skipped
    ]
    assert queue_alerts(store, alerts, settings=Settings(), now=T0) == 2
    assert queue_alerts(store, alerts, settings=Settings(), now=T0) == 0
    email = store.list_outbox(channel="email")[0]
    assert email.subject == "[Tocsin] Élevé : Attack on a convoy near Kati"
    assert "Site : Bamako office (ACI 2000)" in json.loads(email.body)["text"]
    assert email.created == T0


# ---------------------------------------------------------------- claims and leases


def test_claim_leases_and_a_dead_process_lease_runs_out(store: Store) -> None:
    queue_messages(store, plain_messages(2), now=T0)
    first = store.claim_due(now=T0, limit=1, lease_seconds=60)
    assert [(m.id, m.status, m.attempts, m.lease_until) for m in first] == [
        ("m00", "sending", 1, T0 + timedelta(seconds=60))
    ]
    # The lease holds: another claim gets the other message, then nothing.
    assert [m.id for m in store.claim_due(now=T0, limit=5, lease_seconds=60)] == ["m01"]
    assert store.claim_due(now=T0 + timedelta(seconds=59), limit=5, lease_seconds=60) == []
    # The process died: once its lease has run out the message is claimable again.
    again = store.claim_due(now=T0 + timedelta(seconds=60), limit=1, lease_seconds=60)
    assert [(m.id, m.attempts) for m in again] == [("m00", 2)]
    assert store.mark_sent("m00", at=T0) is True
    assert store.mark_sent("m00", at=T0) is False  # already sent: nothing changes
    assert store.mark_failed("m00", error="late", next_attempt=None, dead=True) is False
    assert store.get_message("m00") == replace(
        again[0], status="sent", sent_at=T0, lease_until=None, created=T0
    )


def test_a_message_waits_for_its_next_attempt(store: Store) -> None:
    later = T0 + timedelta(minutes=5)
    queue_messages(store, [replace(plain_messages(1)[0], next_attempt=later)], now=T0)
    assert store.claim_due(now=T0, limit=5, lease_seconds=60) == []
    assert [m.id for m in store.claim_due(now=later, limit=5, lease_seconds=60)] == ["m00"]


def _race(stores: list[Store], *, now: datetime) -> list[list[str]]:
    """Each store claims one message at a time in its own thread until none is left."""
    claimed: list[list[str]] = [[] for _ in stores]
    start = threading.Barrier(len(stores))

    def work(index: int) -> None:
        start.wait(timeout=10)
        while batch := stores[index].claim_due(now=now, limit=3, lease_seconds=600):
            claimed[index].extend(m.id for m in batch)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return claimed


def test_two_processes_never_claim_the_same_message_sqlite(tmp_path: Path) -> None:
    path = str(tmp_path / "race.db")
    stores = [open_store(path) for _ in range(4)]  # four engines: four "processes"
    queue_messages(stores[0], plain_messages(60), now=T0)
    claimed = _race(stores, now=T0)
    everything = [i for ids in claimed for i in ids]
    assert sorted(everything) == [f"m{i:02d}" for i in range(60)]  # each exactly once
    assert stores[0].outbox_counts()["sending"] == 60


def test_two_processes_never_claim_the_same_message_postgres(postgres_url: str) -> None:
    stores = [open_store(postgres_url) for _ in range(4)]
    with stores[0].transaction() as conn:
        conn.execute(text("delete from outbox"))
    queue_messages(stores[0], plain_messages(60), now=T0)
    assert queue_messages(stores[1], plain_messages(60), now=T0) == 0
    claimed = _race(stores, now=T0)
    everything = [i for ids in claimed for i in ids]
    assert sorted(everything) == [f"m{i:02d}" for i in range(60)]
    assert stores[0].outbox_counts() == {"pending": 0, "sending": 60, "sent": 0, "dead": 0}
    assert stores[0].mark_failed(
        "m00", error="x", next_attempt=T0 + timedelta(seconds=30), dead=False
    )
    message = stores[1].get_message("m00")
    assert message is not None
    assert (message.status, message.next_attempt, message.attempts) == (
        "pending",
        T0 + timedelta(seconds=30),
        1,
    )
    for store in stores:
        store.close()


# ---------------------------------------------------------------- back-off


def test_back_off_doubles_from_the_setting_and_stops_at_six_hours() -> None:
    delays = [backoff_delay(n, base=30.0) for n in range(1, 13)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600]
    assert backoff_delay(500, base=30.0) == MAX_BACKOFF == 6 * 3600
    assert backoff_delay(0, base=30.0) == 0.0
    assert lease_for(Settings(smtp_timeout=10.0, webhook_timeout=5.0)) == 150.0


def test_delivery_report_reads_as_a_sentence() -> None:
    assert str(DeliveryReport(sent=3, retried=1, dead=0)) == "3 sent, 1 to retry, 0 dead"
    assert str(DeliveryReport(sent=0, retried=0, dead=0, held=2)) == (
        "0 sent, 0 to retry, 0 dead, 2 waiting for a setting"
    )


def test_deliver_respects_its_limit(store: Store, smtp_server: SmtpServer) -> None:
    settings = Settings(smtp_host=smtp_server.host, smtp_port=smtp_server.port)
    queue_messages(store, plain_messages(5), now=T0)
    assert deliver(store, settings=settings, now=Clock(), limit=2) == DeliveryReport(2, 0, 0)
    assert deliver(store, settings=settings, now=Clock(), limit=10) == DeliveryReport(3, 0, 0)
    assert deliver(store, settings=settings, now=Clock()) == DeliveryReport(0, 0, 0)
    assert sorted(r.message["X-Tocsin-Delivery"] for r in smtp_server.messages) == [
        f"m{i:02d}" for i in range(5)
    ]


# ---------------------------------------------------------------- the commands


def tocsin(
    *args: str, db: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tocsin", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "250", **(env or {})},
    )


def test_outbox_commands(tmp_path: Path, smtp_server: SmtpServer) -> None:
    db = tmp_path / "cli.db"
    store = open_store(str(db))
    queue_messages(store, plain_messages(2), now=T0)
    hook = plain_messages(1, channel="webhook", target="http://127.0.0.1:9/x")[0]
    queue_messages(store, [replace(hook, id="w00")])
    smtp_server.refuse["gone@ngo.example"] = "550 5.1.1 <gone@ngo.example>: no such user"
    gone = replace(plain_messages(1, target="gone@ngo.example")[0], id="m99", subject="[x] <b>")
    queue_messages(store, [gone], now=T0 - timedelta(days=1))
    store.close()
    env = {"TOCSIN_SMTP_HOST": smtp_server.host, "TOCSIN_SMTP_PORT": str(smtp_server.port)}

    run = tocsin("outbox", "deliver", db=db, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        "2 sent, 0 to retry, 1 dead, 1 waiting for a setting; "
        "outbox: 1 pending, 0 sending, 2 sent, 1 dead\n"
    )
    dead = open_store(str(db)).get_message("m99")
    assert dead is not None and (dead.status, dead.attempts, dead.last_error) == (
        "dead",
        1,
        "refused, not retried: SMTP 550 5.1.1 <gone@ngo.example>: no such user (recipient refused)",
    )
    run = tocsin("outbox", "list", db=db)
    assert run.returncode == 0, run.stderr
    table = [row.rstrip() for row in run.stdout.splitlines()]
    assert table[0].split() == ["id", "status", "tries", "when", "to", "subject", "/", "error"]
    assert any(row.startswith("m99") and "[x] <b>" in row for row in table)  # no markup eaten
    assert "webhook not sent: no signing key; set webhook_secret" in run.stdout
    assert table[-1] == "1 pending, 0 sending, 2 sent, 1 dead"

    smtp_server.refuse.clear()
    run = tocsin("outbox", "retry", "m9", db=db)
    assert (run.returncode, run.stdout) == (0, "m99 queued again\n"), run.stderr
    run = tocsin("outbox", "deliver", "--json", db=db, env=env)
    assert json.loads(run.stdout) == {
        "sent": 1,
        "retried": 0,
        "dead": 0,
        "held": 1,
        "outbox": {"pending": 1, "sending": 0, "sent": 3, "dead": 0},
    }
    assert open_store(str(db)).outbox_counts() == {"pending": 1, "sending": 0, "sent": 3, "dead": 0}


def test_outbox_list_as_json_and_errors_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    store = open_store(str(db))
    queue_messages(store, plain_messages(1), now=T0)
    store.claim_due(now=T0, limit=1, lease_seconds=60)
    store.mark_sent("m00", at=T0)
    run = tocsin("outbox", "list", "--status", "sent", "--json", db=db)
    assert run.returncode == 0, run.stderr
    assert [json.loads(line) for line in run.stdout.splitlines()] == [
        {
            "id": "m00",
            "kind": "alert",
            "alert_id": None,
            "channel": "email",
            "target": "a@ngo.example",
            "subject": "message 0",
            "status": "sent",
            "attempts": 1,
            "next_attempt": None,
            "lease_until": None,
            "sent_at": "2025-12-08T09:00:00Z",
            "last_error": None,
            "created": "2025-12-08T09:00:00Z",
        }
    ]
    run = tocsin("outbox", "retry", "m00", db=db)
    assert (run.returncode, run.stderr) == (2, "error: m00: is sent; nothing to retry\n")
    run = tocsin("outbox", "list", "--status", "lost", db=db)
    assert (run.returncode, run.stderr) == (
        2,
        "error: --status lost: not a state; use pending, sending, sent, dead\n",
    )
