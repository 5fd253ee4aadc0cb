"""The outbox's rules, as pure functions: how long to wait before the next try
(``backoff_delay``), how long a claimed message is ours (``lease_for``), what a failed
try leaves (``after_failure``: retried later, or dead with the reason), and what one
delivery run did (``DeliveryReport``). ``tocsin.app.outbox`` queues messages and
delivers them with the store; its docstring says what "exactly once" means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tocsin.alert.channels import DeliveryError
from tocsin.config import Settings
from tocsin.models import OutboxMessage

__all__ = [
    "MAX_BACKOFF",
    "DeliveryReport",
    "after_failure",
    "backoff_delay",
    "lease_for",
]

MAX_BACKOFF = 6 * 3600.0  # seconds: the longest wait between two tries


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one ``deliver`` run did: messages sent, put back for a later try, given up;
    ``held`` counts messages waiting for a setting (a webhook without a signing key)."""

    sent: int
    retried: int
    dead: int
    held: int = 0

    def __str__(self) -> str:
        text = f"{self.sent} sent, {self.retried} to retry, {self.dead} dead"
        return text + (f", {self.held} waiting for a setting" if self.held else "")


def backoff_delay(attempts: int, *, base: float, cap: float = MAX_BACKOFF) -> float:
    """Seconds to wait after the ``attempts``-th failed try: base, 2 base, 4 base, ...,
    at most ``cap``."""
    if attempts < 1 or base <= 0:
        return 0.0
    exponent = min(attempts - 1, 64)  # 2**64 * base is past any cap
    return min(base * 2.0**exponent, cap)


def lease_for(settings: Settings) -> float:
    """How long a claimed message is ours: enough for the slowest channel to connect,
    write and read, three times over, and a minute more."""
    slowest = max(settings.smtp_timeout, settings.webhook_timeout)
    return 3 * 3 * slowest + 60.0


def after_failure(
    message: OutboxMessage, error: DeliveryError, *, settings: Settings, now: datetime
) -> tuple[str, datetime | None, bool]:
    """(recorded error, next attempt, dead) after a failed try of ``message`` at ``now``:
    dead at once for a permanent refusal or after ``settings.outbox_max_attempts``
    tries, else retried after ``backoff_delay`` (longer if the server asked)."""
    tries = f"try {message.attempts} of {settings.outbox_max_attempts}"
    if error.permanent:
        return f"refused, not retried: {error.reason}", None, True
    if message.attempts >= settings.outbox_max_attempts:
        return f"gave up after {message.attempts} tries: {error.reason}", None, True
    wait = backoff_delay(message.attempts, base=settings.outbox_backoff)
    if error.retry_after is not None:
        wait = min(max(wait, error.retry_after), MAX_BACKOFF)
    return f"{error.reason} ({tries})", now + timedelta(seconds=wait), False
