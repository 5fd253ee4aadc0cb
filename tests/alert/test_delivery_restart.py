"""Delivery killed mid-way and started again: every message arrives, none is lost, none
is marked sent without having arrived, and the only repeats are the messages that were
in flight when the process died — which the receivers drop by their stable id
(X-Tocsin-Delivery for webhooks, Message-ID for email), so that each receiver's
de-duplicated log holds every message exactly once (see tocsin.app.outbox).

`tocsin outbox deliver` runs in a real subprocess against a real SMTP server and a real
HTTP receiver on 127.0.0.1; one receiver holds its reply to one message (the message has
arrived, the sender waits for the answer) while the test SIGKILLs the sender.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.alert.test_outbox import T0, make_alert, make_rule
from tests.httpserver import LocalServer
from tests.smtpserver import SmtpServer, smtp_server
from tocsin.alert.messages import alert_messages
from tocsin.app.outbox import queue_messages
from tocsin.config import Settings
from tocsin.models import OutboxMessage
from tocsin.store import open_store

__all__ = ["smtp_server"]

N = 20  # messages, half email, half webhook
HOLD_AT = 4  # the receiver holds its reply to the 4th message of the held channel
SECRET = "restart-secret"
LEASE = "2"  # seconds: how soon the restarted process may take over the killed one's message


def _queue(db: Path, server: LocalServer) -> list[OutboxMessage]:
    store = open_store(str(db))
    messages: list[OutboxMessage] = []
    for i in range(N):
        channel = "email:ops@ngo.example" if i % 2 else "webhook:" + server.url("/hook")
        alert = make_alert(id=f"alert-{i:02d}", key=f"sites|bko-office|event|ev-{i:02d}")
        messages += alert_messages(alert, make_rule(channel), settings=Settings())
    assert queue_messages(store, messages, now=T0) == N
    store.close()
    return messages


def _deliver(db: Path, smtp: SmtpServer, *more: str) -> tuple[list[str], dict[str, str]]:
    """The `tocsin outbox deliver` command line and its environment (the autouse
    fixture's TOCSIN_EXTRACT=0 is in os.environ)."""
    env = {
        **os.environ,
        "TOCSIN_SMTP_HOST": smtp.host,
        "TOCSIN_SMTP_PORT": str(smtp.port),
        "TOCSIN_SMTP_TIMEOUT": "20",
        "TOCSIN_WEBHOOK_SECRET": SECRET,
        "TOCSIN_WEBHOOK_TIMEOUT": "20",
    }
    return [sys.executable, "-m", "tocsin", "--db", str(db), "outbox", "deliver", *more], env


def _arrivals(server: LocalServer, smtp: SmtpServer) -> list[str]:
    """Every message id the receivers got, repeats included, checking each on the way:
    webhook signatures, Message-ID matching the delivery id."""
    ids = []
    for headers, body in zip(server.requests["/hook"], server.bodies["/hook"], strict=True):
        stamp = headers["x-tocsin-timestamp"].encode()
        mac = hmac.new(SECRET.encode(), stamp + b"." + body, hashlib.sha256).hexdigest()
        assert headers["x-tocsin-signature"] == "sha256=" + mac
        ids.append(headers["x-tocsin-delivery"])
    for received in smtp.arrivals:
        delivery = str(received.message["X-Tocsin-Delivery"])
        assert received.message_id == f"<{delivery}@localhost>"
        ids.append(delivery)
    return ids


def _dedup(ids: list[str]) -> list[str]:
    """A receiver's log that drops an id it has seen before."""
    seen: set[str] = set()
    log = []
    for message_id in ids:
        if message_id not in seen:
            seen.add(message_id)
            log.append(message_id)
    return log


@pytest.mark.parametrize("where", ["webhook held", "email held", "anywhere"])
def test_killed_delivery_loses_nothing_and_repeats_only_what_was_in_flight(
    where: str, tmp_path: Path, local_server: LocalServer, smtp_server: SmtpServer
) -> None:
    db = tmp_path / "outbox.db"
    messages = _queue(db, local_server)
    release = threading.Event()
    if where == "webhook held":
        for _ in range(HOLD_AT - 1):
            local_server.route("/hook", status=200)
        local_server.route("/hook", status=200, hold=release)
        local_server.route("/hook", status=200)
    elif where == "email held":
        local_server.route("/hook", status=200)
        smtp_server.hold_at = {HOLD_AT}
    else:  # no hold: a slow receiver, and the kill lands wherever the sender is
        local_server.route("/hook", status=200, delay=0.03)

    command, env = _deliver(db, smtp_server, "--lease", LEASE)
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        if where == "webhook held":
            assert local_server.wait_hits("/hook", HOLD_AT, timeout=20)
        elif where == "email held":
            assert smtp_server.wait_for(HOLD_AT, arrivals=True, timeout=20)
        else:
            deadline = time.monotonic() + 20
            while (
                local_server.hits["/hook"] + len(smtp_server.arrivals) < 7
                and time.monotonic() < deadline
            ):
                time.sleep(0.005)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=10)
        release.set()
        smtp_server.release()
        _, stderr = first.communicate(timeout=10)
    assert first.returncode == -signal.SIGKILL, stderr.decode()

    store = open_store(str(db))
    after_kill = store.list_outbox()
    in_flight = {m.id for m in after_kill if m.status == "sending"}
    sent = {m.id for m in after_kill if m.status == "sent"}
    arrived = set(_arrivals(local_server, smtp_server))
    assert sent <= arrived  # nothing marked sent that did not arrive
    assert 0 < len(sent) < N  # killed mid-way
    assert len(in_flight) <= 1  # one message at a time
    if where != "anywhere":
        assert len(in_flight) == 1 and in_flight <= arrived  # the held one got there

    command, env = _deliver(
        db,
        smtp_server,
        "--loop",
        "--until-empty",
        "--interval",
        "0.2",
        "--max-seconds",
        "20",
        "--lease",
        LEASE,
    )
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=40)
    assert again.returncode == 0, again.stderr

    assert store.outbox_counts() == {"pending": 0, "sending": 0, "sent": N, "dead": 0}
    raw = _arrivals(local_server, smtp_server)
    everything = {m.id for m in messages}
    assert set(raw) == everything  # none lost
    repeats = Counter(raw) - Counter(set(raw))
    assert sum(repeats.values()) <= len(in_flight)  # only what was in flight at the kill
    assert set(repeats) <= in_flight
    if where != "anywhere":
        assert set(repeats) == in_flight  # the held message went twice, with the same id
    log = _dedup(raw)
    assert sorted(log) == sorted(everything) and len(log) == N  # each exactly once
    if "webhook" in where:  # a repeat is the very same signed document
        pairs = zip(local_server.requests["/hook"], local_server.bodies["/hook"], strict=True)
        bodies = [body for headers, body in pairs if headers["x-tocsin-delivery"] in in_flight]
        assert len(bodies) == 2 and bodies[0] == bodies[1]
    store.close()
