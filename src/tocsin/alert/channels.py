"""The ways a message leaves: email over SMTP and webhooks over HTTP.

``Channels.send(message, now=...)`` returns when the receiving server has accepted the
message (SMTP: 250 after DATA; HTTP: a 2xx answer) and raises ``DeliveryError`` otherwise,
saying whether trying again later may help (``permanent`` false) or not: an SMTP 5xx
refusal of the recipient or the message, an HTTP 4xx other than 408 and 429.
``NotConfigured`` means a setting is missing; the message waits for it.

Email: multipart/alternative (text/plain, text/html), ``Message-ID: <OUTBOX-ID@domain>``
and ``X-Tocsin-Delivery: OUTBOX-ID``, so that a repeat after a crash carries the same id.
Webhooks: a JSON POST with ``X-Tocsin-Delivery`` (the outbox id), ``X-Tocsin-Timestamp``
(Unix seconds) and ``X-Tocsin-Signature: sha256=<hex>``, the HMAC-SHA256 of
``"<timestamp>.<body>"`` under ``webhook_secret``; receivers check it with
``verify_signature`` (or the same three lines in their language) and drop ids seen before.
"""

from __future__ import annotations

import email.policy
import hashlib
import hmac
import smtplib
import ssl
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr, parsedate_to_datetime
from types import TracebackType

import httpx

from tocsin.alert.messages import clean_line, read_email_body
from tocsin.config import Settings
from tocsin.models import OutboxMessage

__all__ = [
    "Channels",
    "DeliveryError",
    "NotConfigured",
    "sign",
    "verify_signature",
]

USER_AGENT = "Tocsin-Webhook/0.1"
_MAX_ANSWER = 2048  # bytes of a refusal's body kept for the error message


class DeliveryError(Exception):
    """A message did not go: ``permanent`` when trying again cannot help; ``retry_after``
    in seconds when the server said how long to wait."""

    def __init__(
        self, reason: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class NotConfigured(DeliveryError):
    """A setting the channel needs is missing; nothing was sent."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: "sha256=" + HMAC-SHA256 of "<timestamp>.<body>"."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str,
    *,
    timestamp: str,
    body: bytes,
    signature: str,
    now: float | None = None,
    tolerance: float = 300.0,
) -> bool:
    """What a receiver checks: the signature matches and the timestamp is within
    ``tolerance`` seconds of ``now`` (a replayed old request fails)."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - stamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature)


def _domain(address: str) -> str:
    _, addr = parseaddr(address)
    domain = addr.rpartition("@")[2].strip().lower()
    return domain or "tocsin.localhost"


# Headers are not folded below the RFC 5322 limit: Python 3.11's folding of long
# non-ASCII headers into several encoded words drops the space between some of them
# ("7 décembre" arrived as "7décembre" in about one long French subject in ten).
_MAIL_POLICY = email.policy.SMTP.clone(max_line_length=998)


def email_message(message: OutboxMessage, *, settings: Settings, now: datetime) -> EmailMessage:
    """The MIME message of an outbox email: both parts, stable Message-ID."""
    subject, text, html, headers = read_email_body(message.body)
    mail = EmailMessage(policy=_MAIL_POLICY)
    mail["From"] = settings.smtp_from
    mail["To"] = clean_line(message.target)
    mail["Subject"] = clean_line(subject)
    mail["Date"] = format_datetime(now.astimezone(UTC))
    mail["Message-ID"] = f"<{message.id}@{_domain(settings.smtp_from)}>"
    mail["X-Tocsin-Delivery"] = message.id
    mail["Auto-Submitted"] = "auto-generated"
    for name, value in headers.items():
        if name.lower() not in {"from", "to", "subject", "date", "message-id"}:
            mail[clean_line(name)] = clean_line(value)
    mail.set_content(text, subtype="plain", cte="quoted-printable")
    if html:
        mail.add_alternative(html, subtype="html", cte="quoted-printable")
    return mail


def _smtp_code_error(what: str, code: int, reply: bytes | str) -> DeliveryError:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    reason = f"SMTP {code} {clean_line(text)[:200]} ({what})"
    return DeliveryError(reason, permanent=500 <= code < 600)


class Channels:
    """Sends outbox messages; one HTTP client kept for the run. Use as a context manager
    (or call ``close``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._http: httpx.Client | None = None

    def __enter__(self) -> Channels:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def ready(self, channel: str) -> str | None:
        """Why ``channel`` cannot send now (a missing setting), or None."""
        if channel == "email" and not self.settings.smtp_host:
            return "email not sent: no SMTP server; set smtp_host (TOCSIN_SMTP_HOST)"
        if channel == "webhook" and not self.settings.webhook_secret:
            return (
                "webhook not sent: no signing key; set webhook_secret in tocsin.toml or "
                "TOCSIN_WEBHOOK_SECRET (the message waits until then)"
            )
        return None

    def send(self, message: OutboxMessage, *, now: datetime) -> None:
        """Hand ``message`` to its server; ``DeliveryError`` if it was not accepted."""
        problem = self.ready(message.channel)
        if problem:
            raise NotConfigured(problem)
        if message.channel == "email":
            self._send_email(message, now=now)
        elif message.channel == "webhook":
            self._send_webhook(message, now=now)
        else:
            raise DeliveryError(f"unknown channel {message.channel!r}", permanent=True)

    # ------------------------------------------------------------ email

    def _send_email(self, message: OutboxMessage, *, now: datetime) -> None:
        settings = self.settings
        try:
            mail = email_message(message, settings=settings, now=now)
        except (ValueError, KeyError, TypeError) as exc:  # not what messages.py writes
            raise DeliveryError(
                f"the stored email is malformed ({clean_line(str(exc))}); it cannot be sent",
                permanent=True,
            ) from None
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        smtp: smtplib.SMTP | None = None
        try:
            smtp = smtplib.SMTP(
                settings.smtp_host,
                settings.smtp_port,
                local_hostname=_domain(settings.smtp_from),  # never a slow getfqdn()
                timeout=settings.smtp_timeout,
            )
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(mail, from_addr=settings.smtp_from, to_addrs=[message.target])
            # Accepted: whatever happens while saying goodbye does not undo that.
            _quit(smtp)
            smtp = None
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (550, b"refused"))
            raise _smtp_code_error("recipient refused", code, reply) from None
        except smtplib.SMTPDataError as exc:
            raise _smtp_code_error("message refused", exc.smtp_code, exc.smtp_error) from None
        except smtplib.SMTPSenderRefused as exc:
            error = _smtp_code_error(
                "sender refused; check smtp_from", exc.smtp_code, exc.smtp_error
            )
            raise DeliveryError(error.reason) from None  # a setting: retry once fixed
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"SMTP {exc.smtp_code} login refused by {where}; check smtp_user and smtp_password"
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError(
                f"{where} does not offer STARTTLS or login; check smtp_starttls/smtp_user"
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                _smtp_code_error("server error", exc.smtp_code, exc.smtp_error).reason
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            detail = clean_line(str(exc)) or type(exc).__name__
            raise DeliveryError(f"SMTP server {where} unreachable or gone ({detail})") from None
        finally:
            if smtp is not None:
                smtp.close()

    # ------------------------------------------------------------ webhooks

    def _client(self) -> httpx.Client:
        if self._http is None:
            timeout = self.settings.webhook_timeout
            self._http = httpx.Client(
                timeout=httpx.Timeout(timeout, pool=timeout),
                follow_redirects=False,
                headers={"User-Agent": USER_AGENT},
            )
        return self._http

    def _send_webhook(self, message: OutboxMessage, *, now: datetime) -> None:
        body = message.body.encode("utf-8")
        stamp = int(now.timestamp())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Tocsin-Delivery": message.id,
            "X-Tocsin-Timestamp": str(stamp),
            "X-Tocsin-Signature": sign(self.settings.webhook_secret, stamp, body),
        }
        deadline = time.monotonic() + 3 * self.settings.webhook_timeout
        try:
            with self._client().stream(
                "POST", message.target, content=body, headers=headers
            ) as answer:
                status = answer.status_code
                if 200 <= status < 300:
                    return
                excerpt = _excerpt(answer, deadline)
                retry_after = _retry_after(answer.headers.get("retry-after"), now)
        except httpx.InvalidURL as exc:
            raise DeliveryError(
                f"{message.target}: not a usable URL ({exc}); fix the rule's channel",
                permanent=True,
            ) from None
        except httpx.TimeoutException:
            raise DeliveryError(
                f"no answer from {message.target} within {self.settings.webhook_timeout:g} s "
                "(webhook_timeout)"
            ) from None
        except httpx.HTTPError as exc:
            detail = clean_line(str(exc)) or type(exc).__name__
            raise DeliveryError(f"cannot reach {message.target} ({detail})") from None
        text = clean_line(excerpt.decode("utf-8", "replace"))[:200]
        reason = f"HTTP {status} from {message.target}" + (f": {text}" if text else "")
        permanent = 400 <= status < 500 and status not in (408, 429)
        raise DeliveryError(reason, permanent=permanent, retry_after=retry_after)


def _excerpt(answer: httpx.Response, deadline: float) -> bytes:
    """The start of a refusal's body, for the error message (bounded in size and time)."""
    excerpt = b""
    try:
        for chunk in answer.iter_bytes():
            excerpt += chunk
            if len(excerpt) >= _MAX_ANSWER or time.monotonic() > deadline:
                break
    except httpx.HTTPError:
        pass
    return excerpt[:_MAX_ANSWER]


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
