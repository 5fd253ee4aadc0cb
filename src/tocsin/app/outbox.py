"""The outbox over the store: alerts (and the digest) become messages in the database
(``queue_alerts``, ``queue_messages``), and ``deliver`` sends what is due, retrying with
back-off, across crashes and restarts. The rules (back-off, lease, what a failure
means) are the alert stage's, ``tocsin.alert.outbox``.

How a message goes out: ``claim_due`` marks it "sending" with a lease (a time after which
another process may take it over) in one transaction; the channel hands it to the SMTP or
HTTP server; ``mark_sent`` records it in a second transaction. A failure puts it back to
"pending" with a later ``next_attempt`` (``backoff_delay``: doubling from
``settings.outbox_backoff``, at most 6 hours, longer if the server asked with
Retry-After) or, after ``settings.outbox_max_attempts`` tries or at once for a permanent
refusal (SMTP 5xx for the recipient or the message, HTTP 4xx other than 408 and 429),
"dead" with the reason. A webhook message while no ``webhook_secret`` is set is not
claimed: it stays pending, its ``last_error`` says what to set.

What "exactly once" means here. Delivery is at least once, with a stable id per message:
the outbox id, sent as ``X-Tocsin-Delivery`` (webhooks) and in ``Message-ID`` (email).
Nothing is lost: a message leaves "pending"/"sending" only once a server accepted it
(``mark_sent``) or it is dead, and a process killed at any point leaves it "sending" with
a lease that runs out, after which the next ``deliver`` sends it again. Nothing is marked
sent that did not arrive: ``mark_sent`` runs only after the server's acceptance. The one
window for a repeat is a kill (or a lost database connection) after the server accepted
the message and before ``mark_sent`` committed: the same message, with the same id, is
sent again. At most the messages in flight at that instant repeat (one per delivering
process, since each sends one message at a time), and a receiver that drops ids it has
already seen sees every message exactly once. A lease that runs out while its process is
still sending (a server slower than ``lease_seconds``) is the other way to a repeat; the
default lease covers the channels' timeouts several times over.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from tocsin.alert.channels import Channels, DeliveryError
from tocsin.alert.messages import alert_messages
from tocsin.alert.outbox import DeliveryReport, after_failure, lease_for
from tocsin.config import Settings
from tocsin.models import Alert, AlertRule, Asset, OutboxMessage
from tocsin.store import Store

__all__ = ["deliver", "queue_alerts", "queue_messages"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def queue_messages(
    store: Store, messages: Sequence[OutboxMessage], *, now: datetime | None = None
) -> int:
    """Put messages in the outbox; an id already there is left alone (queueing twice
    queues once). Returns how many were new."""
    return store.enqueue_messages(messages, now=now)


def queue_alerts(
    store: Store, alerts: Sequence[Alert], *, settings: Settings, now: datetime
) -> int:
    """Queue the messages of each alert, per the channels of its rule (looked up in the
    store, with the alert's asset). An alert whose rule is gone is skipped. Returns how
    many messages were new."""
    rules: dict[str, AlertRule | None] = {}
    assets: dict[str, Asset | None] = {}
    messages: list[OutboxMessage] = []
    for alert in alerts:
        if alert.rule_id not in rules:
            rules[alert.rule_id] = store.get_rule(alert.rule_id)
        rule = rules[alert.rule_id]
        if rule is None or not rule.channels:
            continue
        asset = None
        if alert.asset_id is not None:
            if alert.asset_id not in assets:
                assets[alert.asset_id] = store.get_asset(alert.asset_id)
            asset = assets[alert.asset_id]
        found = alert_messages(alert, rule, settings=settings, asset=asset)
        messages.extend(replace(m, created=now) for m in found)
    return queue_messages(store, messages, now=now)


def deliver(
    store: Store,
    *,
    settings: Settings,
    now: Callable[[], datetime] = _utcnow,
    limit: int = 100,
    channels: Channels | None = None,
    lease_seconds: float | None = None,
) -> DeliveryReport:
    """Send the messages due now, one at a time, up to ``limit`` tries; see the module's
    docstring for the guarantees. ``now`` is the clock (tests inject one); ``channels``
    replaces the SMTP/HTTP senders; ``lease_seconds`` defaults to ``lease_for(settings)``."""
    lease = lease_for(settings) if lease_seconds is None else lease_seconds
    owned = channels is None
    senders = Channels(settings) if channels is None else channels
    sent = retried = dead = 0
    held_channels = [c for c in ("email", "webhook") if senders.ready(c)]
    held = 0
    for channel in held_channels:
        held += store.note_pending_error(channel=channel, error=senders.ready(channel) or "")
    usable = [c for c in ("email", "webhook") if c not in held_channels]
    try:
        while usable and sent + retried + dead < limit:
            claimed = store.claim_due(now=now(), limit=1, lease_seconds=lease, channels=usable)
            if not claimed:
                break
            message = claimed[0]
            try:
                senders.send(message, now=now())
            except DeliveryError as exc:
                at = now()
                error, next_attempt, is_dead = after_failure(
                    message, exc, settings=settings, now=at
                )
                store.mark_failed(message.id, error=error, next_attempt=next_attempt, dead=is_dead)
                dead += is_dead
                retried += not is_dead
            else:
                store.mark_sent(message.id, at=now())
                sent += 1
    finally:
        if owned:
            senders.close()
    return DeliveryReport(sent=sent, retried=retried, dead=dead, held=held)
