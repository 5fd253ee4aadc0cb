"""Real email to an SMTP server and real webhooks to an HTTP receiver on 127.0.0.1:
both parts and the headers of an alert email, signed webhooks, receivers that fail
then recover (back-off times checked on an injected clock), permanent refusals, a
webhook without a signing key."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.alert.test_outbox import OFFICE, T0, Clock, make_alert, make_rule
from tests.httpserver import LocalServer
from tests.smtpserver import SmtpServer, smtp_server
from tocsin.alert.channels import sign, verify_signature
from tocsin.alert.messages import alert_messages, render_email
from tocsin.alert.outbox import DeliveryReport
from tocsin.app.outbox import deliver, queue_messages
from tocsin.config import Settings
from tocsin.store import Store, open_store

__all__ = ["smtp_server"]

SECRET = "s3cret-for-tests"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(str(tmp_path / "t.db"))


def smtp_settings(server: SmtpServer, **more: object) -> Settings:
    return Settings(
        smtp_host=server.host,
        smtp_port=server.port,
        smtp_from="Tocsin <alerts@ngo.example>",
        smtp_timeout=5.0,
        organisation="ONG Sahel Solidarité",
        **more,  # type: ignore[arg-type]
    )


def parts(message: EmailMessage) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content().replace("\r\n", "\n")  # type: ignore[attr-defined]
        for part in message.iter_parts()
    }


# ---------------------------------------------------------------- email

TEXT_FR = """\
Alerte Tocsin pour ONG Sahel Solidarité

Nouvel événement : Attack on a convoy near Kati

Gravité : élevé (4/5)
Catégorie : conflit armé et terrorisme
Site : Bamako office (ACI 2000)
Distance : à 14,2 km du site
Coordonnées : 12.7440, -8.0720
Règle : Sites & corridor
Mis à jour : 2025-12-08 09:00 UTC

Gunmen attacked a fuel convoy on the RN3 near Kati; 12 people were killed.

Ce que disent les sources :
- « Des hommes armés ont attaqué un convoi de citernes près de Kati. » (Studio Tamani, cote B2)
  https://www.studiotamani.org/kati
- « On entend des tirs <script>alert(1)</script> depuis ce matin » (Forum <b>reader</b>, cote F)

Détails : http://127.0.0.1:8000/alerts/alert-kati-1

--\x20
Vous recevez ce message au titre de la règle d’alerte « Sites & corridor ».
"""

TEXT_EN_UPDATE = """\
Tocsin alert for ONG Sahel Solidarité

New event: Attack on a convoy near Kati
Update 2: the situation has changed since the last message.

Severity: high (4/5)
Category: armed conflict and terrorism
Asset: Bamako office (ACI 2000)
Distance: 14.2 km from the asset
Coordinates: 12.7440, -8.0720
Rule: Sites & corridor
Updated: 2025-12-08 09:00 UTC

Gunmen attacked a fuel convoy on the RN3 near Kati; 12 people were killed.

What the sources say:
- “Des hommes armés ont attaqué un convoi de citernes près de Kati.” (Studio Tamani, grade B2)
  https://www.studiotamani.org/kati
- “On entend des tirs <script>alert(1)</script> depuis ce matin” (Forum <b>reader</b>, grade F)

Details: http://127.0.0.1:8000/alerts/alert-kati-1

--\x20
You receive this message because of the alert rule “Sites & corridor”.
"""


def test_alert_email_arrives_with_both_parts_and_stable_headers(
    store: Store, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(smtp_server)
    french = make_rule("email:securite@ngo.example", lang="fr")
    english = make_rule("email:ops@ngo.example", lang="en")
    queued = [
        *alert_messages(make_alert(), french, settings=settings, asset=OFFICE),
        *alert_messages(make_alert(version=2), english, settings=settings, asset=OFFICE),
    ]
    assert queue_messages(store, queued, now=T0) == 2
    clock = Clock(T0 + timedelta(minutes=1))
    assert deliver(store, settings=settings, now=clock) == DeliveryReport(2, 0, 0)
    assert smtp_server.wait_for(2)
    by_to = {r.rcpt_tos: r for r in smtp_server.messages}
    fr, en = by_to[("securite@ngo.example",)], by_to[("ops@ngo.example",)]
    assert fr.mail_from == "alerts@ngo.example"
    mail = fr.message
    assert {name: str(mail[name]) for name in mail if name not in ("Content-Type",)} == {
        "From": "Tocsin <alerts@ngo.example>",
        "To": "securite@ngo.example",
        "Subject": "[Tocsin] Élevé : Attack on a convoy near Kati",
        "Date": "Mon, 08 Dec 2025 09:01:00 +0000",
        "Message-ID": f"<{queued[0].id}@ngo.example>",
        "X-Tocsin-Delivery": queued[0].id,
        "Auto-Submitted": "auto-generated",
        "MIME-Version": "1.0",
    }
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]
    assert parts(mail)["text/plain"] == TEXT_FR
    _, _, html = render_email(make_alert(), french, settings=settings, asset=OFFICE)
    assert parts(mail)["text/html"] == html  # the HTML part arrives as rendered
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Forum &lt;b&gt;reader&lt;/b&gt;, cote F" in html
    assert '<a href="http://127.0.0.1:8000/alerts/alert-kati-1"' in html
    assert '<a href="https://www.studiotamani.org/kati"' in html
    assert "http://" not in html.replace('href="http://127.0.0.1:8000/alerts/alert-kati-1"', "")

    assert str(en.message["Subject"]) == "[Tocsin] Update, High: Attack on a convoy near Kati"
    assert parts(en.message)["text/plain"] == TEXT_EN_UPDATE
    assert str(en.message["Message-ID"]) == f"<{queued[1].id}@ngo.example>"
    sent = {m.id: m for m in store.list_outbox()}
    assert {(m.status, m.attempts, m.sent_at) for m in sent.values()} == {("sent", 1, clock.now)}


def test_refused_recipient_is_dead_at_once(store: Store, smtp_server: SmtpServer) -> None:
    smtp_server.refuse["gone@ngo.example"] = "550 5.1.1 <gone@ngo.example>: unknown user"
    settings = smtp_settings(smtp_server)
    [message] = alert_messages(make_alert(), make_rule("email:gone@ngo.example"), settings=settings)
    queue_messages(store, [message], now=T0)
    assert deliver(store, settings=settings, now=Clock()) == DeliveryReport(0, 0, 1)
    dead = store.get_message(message.id)
    assert dead is not None
    assert (dead.status, dead.attempts, dead.next_attempt, dead.last_error) == (
        "dead",
        1,
        None,
        "refused, not retried: SMTP 550 5.1.1 <gone@ngo.example>: unknown user (recipient refused)",
    )
    assert smtp_server.arrivals == []


def test_temporary_smtp_failures_are_retried(store: Store, smtp_server: SmtpServer) -> None:
    smtp_server.data_replies.append("451 4.3.0 Mail server temporarily rejected message")
    settings = smtp_settings(smtp_server, outbox_backoff=60.0)
    [message] = alert_messages(make_alert(), make_rule(), settings=settings)
    queue_messages(store, [message], now=T0)
    clock = Clock()
    assert deliver(store, settings=settings, now=clock) == DeliveryReport(0, 1, 0)
    waiting = store.get_message(message.id)
    assert waiting is not None
    assert (waiting.status, waiting.next_attempt, waiting.last_error) == (
        "pending",
        T0 + timedelta(seconds=60),
        "SMTP 451 4.3.0 Mail server temporarily rejected message (message refused) (try 1 of 8)",
    )
    clock.advance(60)
    assert deliver(store, settings=settings, now=clock) == DeliveryReport(1, 0, 0)
    assert [r.message_id for r in smtp_server.arrivals] == [f"<{message.id}@ngo.example>"] * 2
    assert len(smtp_server.messages) == 1


def test_unreachable_smtp_server_is_retried(store: Store, smtp_server: SmtpServer) -> None:
    settings = smtp_settings(smtp_server)
    smtp_server.stop()
    [message] = alert_messages(make_alert(), make_rule(), settings=settings)
    queue_messages(store, [message], now=T0)
    assert deliver(store, settings=settings, now=Clock()) == DeliveryReport(0, 1, 0)
    waiting = store.get_message(message.id)
    assert waiting is not None and waiting.last_error is not None
    assert waiting.last_error.startswith(
        f"SMTP server 127.0.0.1:{smtp_server.port} unreachable or gone ("
    )
    assert waiting.last_error.endswith(") (try 1 of 8)")


# ---------------------------------------------------------------- webhooks


def check_signed(headers: dict[str, str], body: bytes) -> None:
    """What a receiver does, written out independently of tocsin.alert.channels."""
    stamp = headers["x-tocsin-timestamp"]
    expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    assert headers["x-tocsin-signature"] == "sha256=" + expected.hexdigest()
    assert headers["content-type"] == "application/json; charset=utf-8"


def webhook_message(server: LocalServer, settings: Settings, path: str = "/hook") -> str:
    rule = make_rule("webhook:" + server.url(path))
    [message] = alert_messages(make_alert(), rule, settings=settings, asset=OFFICE)
    return message.id


def test_webhook_fails_then_recovers_after_back_off(
    store: Store, local_server: LocalServer
) -> None:
    local_server.route("/hook", status=503, body=b"down for maintenance")
    local_server.route("/hook", delay=1.5)  # then hangs past the timeout
    local_server.route("/hook", status=204)  # then recovers
    settings = Settings(webhook_secret=SECRET, webhook_timeout=0.4, outbox_backoff=30.0)
    rule = make_rule("webhook:" + local_server.url("/hook"))
    [message] = alert_messages(make_alert(), rule, settings=settings, asset=OFFICE)
    queue_messages(store, [message], now=T0)
    clock = Clock()
    url = local_server.url("/hook")

    def state() -> tuple[str, int, object, object]:
        found = store.get_message(message.id)
        assert found is not None
        return found.status, found.attempts, found.next_attempt, found.last_error

    assert deliver(store, settings=settings, now=clock) == DeliveryReport(0, 1, 0)
    assert state() == (
        "pending",
        1,
        T0 + timedelta(seconds=30),
        f"HTTP 503 from {url}: down for maintenance (try 1 of 8)",
    )
    clock.advance(29)
    assert deliver(store, settings=settings, now=clock) == DeliveryReport(0, 0, 0)
    assert local_server.hits["/hook"] == 1  # not before its time
    clock.advance(1)
    assert deliver(store, settings=settings, now=clock) == DeliveryReport(0, 1, 0)
    assert state() == (
        "pending",
        2,
        T0 + timedelta(seconds=30 + 60),
        f"no answer from {url} within 0.4 s (webhook_timeout) (try 2 of 8)",
    )
    clock.advance(59)
    assert deliver(store, settings=settings, now=clock) == DeliveryReport(0, 0, 0)
    clock.advance(1)
    assert deliver(store, settings=settings, now=clock) == DeliveryReport(1, 0, 0)
    assert state() == ("sent", 3, T0 + timedelta(seconds=90), None)

    assert local_server.hits["/hook"] == 3
    bodies = local_server.bodies["/hook"]
    assert bodies == [message.body.encode()] * 3  # the same document each time
    stamps = []
    for headers, body in zip(local_server.requests["/hook"], bodies, strict=True):
        check_signed(headers, body)
        assert headers["x-tocsin-delivery"] == message.id
        stamps.append(int(headers["x-tocsin-timestamp"]))
    start = int(T0.timestamp())
    assert stamps == [start, start + 30, start + 90]  # signed when sent, on the clock
    payload = json.loads(bodies[0])
    assert payload["delivery"] == message.id
    assert payload["alert"]["id"] == "alert-kati-1"
    assert verify_signature(
        SECRET,
        timestamp=str(stamps[0]),
        body=bodies[0],
        signature=local_server.requests["/hook"][0]["x-tocsin-signature"],
        now=start + 10,
    )
    assert not verify_signature(
        SECRET,
        timestamp=str(stamps[0]),
        body=bodies[0] + b" ",
        signature=sign(SECRET, stamps[0], bodies[0]),
        now=start,
    )
    assert not verify_signature(  # a replay an hour later
        SECRET,
        timestamp=str(stamps[0]),
        body=bodies[0],
        signature=sign(SECRET, stamps[0], bodies[0]),
        now=start + 3600,
    )


def test_client_errors_are_dead_at_once_but_429_waits(
    store: Store, local_server: LocalServer
) -> None:
    local_server.route("/gone", status=410, body=b"<html>gone</html>")
    local_server.route("/busy", status=429, headers={"Retry-After": "120"})
    local_server.route("/busy", status=200)
    settings = Settings(webhook_secret=SECRET, outbox_backoff=30.0)
    messages = [
        *alert_messages(
            make_alert(), make_rule("webhook:" + local_server.url("/gone")), settings=settings
        ),
        *alert_messages(
            make_alert(), make_rule("webhook:" + local_server.url("/busy")), settings=settings
        ),
    ]
    queue_messages(store, messages, now=T0)
    clock = Clock()
    assert deliver(store, settings=settings, now=clock) == DeliveryReport(0, 1, 1)
    gone, busy = (store.get_message(m.id) for m in messages)
    assert gone is not None and busy is not None
    assert (gone.status, gone.last_error) == (
        "dead",
        f"refused, not retried: HTTP 410 from {local_server.url('/gone')}: <html>gone</html>",
    )
    assert (busy.status, busy.next_attempt) == ("pending", T0 + timedelta(seconds=120))
    clock.advance(120)
    assert deliver(store, settings=settings, now=clock) == DeliveryReport(1, 0, 0)


def test_out_of_tries_is_dead(store: Store, local_server: LocalServer) -> None:
    local_server.route("/hook", status=500)
    settings = Settings(webhook_secret=SECRET, outbox_backoff=10.0, outbox_max_attempts=3)
    [message] = alert_messages(
        make_alert(), make_rule("webhook:" + local_server.url("/hook")), settings=settings
    )
    queue_messages(store, [message], now=T0)
    clock = Clock()
    reports = []
    for wait in (0, 10, 20):
        clock.advance(wait)
        reports.append(deliver(store, settings=settings, now=clock))
    assert reports == [DeliveryReport(0, 1, 0), DeliveryReport(0, 1, 0), DeliveryReport(0, 0, 1)]
    dead = store.get_message(message.id)
    assert dead is not None
    assert (dead.status, dead.attempts, dead.last_error) == (
        "dead",
        3,
        f"gave up after 3 tries: HTTP 500 from {local_server.url('/hook')}",
    )
    clock.advance(3600)
    assert deliver(store, settings=settings, now=clock) == DeliveryReport(0, 0, 0)
    assert local_server.hits["/hook"] == 3


def test_webhook_without_a_secret_waits_with_a_clear_error(
    store: Store, local_server: LocalServer, smtp_server: SmtpServer
) -> None:
    local_server.route("/hook", status=200)
    rule = make_rule("email:ops@ngo.example", "webhook:" + local_server.url("/hook"))
    unsigned = smtp_settings(smtp_server)
    email, hook = alert_messages(make_alert(), rule, settings=unsigned)
    queue_messages(store, [email, hook], now=T0)
    assert deliver(store, settings=unsigned, now=Clock()) == DeliveryReport(1, 0, 0, held=1)
    waiting = store.get_message(hook.id)
    assert waiting is not None
    assert (waiting.status, waiting.attempts, waiting.last_error) == (
        "pending",
        0,
        "webhook not sent: no signing key; set webhook_secret in tocsin.toml or "
        "TOCSIN_WEBHOOK_SECRET (the message waits until then)",
    )
    assert local_server.hits["/hook"] == 0
    signed = smtp_settings(smtp_server, webhook_secret=SECRET)
    assert deliver(store, settings=signed, now=Clock()) == DeliveryReport(1, 0, 0)
    check_signed(local_server.requests["/hook"][0], local_server.bodies["/hook"][0])
    assert len(smtp_server.messages) == 1
