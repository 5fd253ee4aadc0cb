"""The weekly digest ("infolettre"): one email per subscriber, in the subscriber's
language, about the week ending ``week_end`` in the subscriber's areas.

It lists the new events (events dated in the week: counts by type, then the most severe
few with place, date, fatalities and status), the risk levels that changed (a level of a
period ending in the week that differs from the period before), the forecasts due in the
week or resolved in it (with the outcome), and the week's briefs (titles linking to
``base_url/briefs/<id>``). A week with none of these still sends a short "quiet week"
note: a subscriber who hears nothing cannot tell a calm week from a broken service.

The email is HTML (Jinja2 templates with autoescape, the stylesheet inlined into style
attributes by css_inline, a 600 px table layout, no script, no external image or font)
with a plain-text twin. Its footer and its ``List-Unsubscribe`` headers (one-click,
RFC 8058) carry ``base_url/unsubscribe?token=<token>``. :func:`render_digest` writes one
subscriber's digest from the week's material; :func:`digest_message` makes it an outbox
email (kind "digest") whose id is fixed by subscriber and week, so a second run in the
same week queues nothing. ``tocsin.app.digest`` reads the week from the store and queues
the emails; ``tocsin watch`` sends them on the ``digest_schedule`` (:func:`digest_due`).
Words, limits and weekday names are data: ``templates/digest.toml``; the sections are
drawn in ``content.py``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tocsin.alert.messages import email_body
from tocsin.config import Settings, read_toml
from tocsin.errors import ConfigError, InputError
from tocsin.geo.areas import resolve_area
from tocsin.models import OutboxMessage, Subscriber
from tocsin.report.digest.content import (
    TEMPLATES,
    Week,
    clean,
    digest_content,
    digest_data,
    period_words,
    plural,
)

LANGS: tuple[str, ...] = ("en", "fr")
_EMAIL = re.compile(r"[^@\s<>()\[\]\"',;:\\]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,63}")
_INLINER = css_inline.CSSInliner(
    load_remote_stylesheets=False, keep_style_tags=False, keep_link_tags=False
)


@dataclass(frozen=True, slots=True)
class Digest:
    """One subscriber's digest for the week ``week_start``-``week_end`` (both included).
    ``empty`` is true for a quiet week; the counts say what it lists; ``headers`` are
    the extra email headers (List-Unsubscribe); ``message_id`` its outbox id."""

    subscriber: Subscriber
    week_start: date
    week_end: date
    subject: str
    text: str
    html: str
    empty: bool
    events: int = 0
    risk_changes: int = 0
    forecasts: int = 0
    briefs: int = 0
    headers: tuple[tuple[str, str], ...] = ()
    message_id: str = ""


# ---------------------------------------------------------------- subscribers


def subscriber_id(email: str) -> str:
    """The stable id of an address (the same address is always the same subscriber)."""
    return hashlib.sha256(email.encode("utf-8")).hexdigest()[:16]


def make_subscriber(
    email: str, *, lang: str = "en", areas: Iterable[str] = (), name: str | None = None
) -> Subscriber:
    """A valid, active subscriber with a fresh unsubscribe token (``secrets``); areas
    are stored under their canonical names. ``InputError`` names the address, language
    or area that cannot be used."""
    address = email.strip().lower()
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        raise InputError(email, "not an email address", "write it as name@example.org")
    language = lang.strip().lower()
    if language not in LANGS:
        raise InputError(f"language {lang}", "no digest in that language", "use fr or en")
    names: list[str] = []
    for area in areas:
        canonical = resolve_area(area).name  # InputError naming the area when unknown
        if canonical not in names:
            names.append(canonical)
    return Subscriber(
        id=subscriber_id(address),
        email=address,
        lang=language,
        areas=tuple(names),
        name=clean(name, 200) or None,
        token=secrets.token_urlsafe(24),
    )


def read_subscribers(path: Path) -> tuple[list[Subscriber], list[str]]:
    """The ``[[subscriber]]`` entries of a TOML file (email, name, lang, areas), and one
    line for each entry that cannot be used (the others are kept)."""
    data = read_toml(path, missing="give the subscribers file's path", what="subscribers file")
    entries = data.get("subscriber")
    if not isinstance(entries, list) or not entries:
        raise InputError(str(path), "no [[subscriber]] entries", "add one per email address")
    found: list[Subscriber] = []
    problems: list[str] = []
    for number, entry in enumerate(entries, 1):
        where = f"{path}: subscriber {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("email"), str):
            problems.append(f"{where}: no email; give each [[subscriber]] an email")
            continue
        areas = entry.get("areas", [])
        areas = [areas] if isinstance(areas, str) else areas
        try:
            found.append(
                make_subscriber(
                    entry["email"],
                    lang=str(entry.get("lang", "en")),
                    areas=[str(a) for a in areas] if isinstance(areas, list) else [],
                    name=str(entry["name"]) if entry.get("name") else None,
                )
            )
        except InputError as exc:
            problems.append(f"{where}: {exc}")
    return found, problems


# ---------------------------------------------------------------- schedule


def parse_schedule(schedule: str) -> tuple[int, time]:
    """The (weekday, time) of a schedule such as "monday 07:00", "lundi 7:00" or "mon
    07:00 UTC" (Monday is 0; times are UTC); ``ConfigError`` when it cannot be read."""
    match = re.fullmatch(r"\s*([^\W\d_]+)\s+(\d{1,2}):(\d{2})(?:\s*utc)?\s*", schedule.lower())
    weekday = digest_data()["weekdays"].get(match[1]) if match else None
    if match is None or weekday is None or int(match[2]) > 23 or int(match[3]) > 59:
        raise ConfigError(
            f"digest_schedule {schedule!r}: not understood; write a weekday and a UTC time "
            "such as 'monday 07:00', or leave it empty to send no digest"
        )
    return int(weekday), time(int(match[2]), int(match[3]))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def digest_slot(schedule: str, *, now: datetime) -> datetime:
    """The latest scheduled time at or before ``now`` (UTC; a naive time is UTC)."""
    weekday, at = parse_schedule(schedule)
    current = _utc(now)
    day = current.date() - timedelta(days=(current.weekday() - weekday) % 7)
    slot = datetime.combine(day, at, tzinfo=UTC)
    return slot - timedelta(days=7) if slot > current else slot


def digest_week_end(schedule: str, *, now: datetime) -> date:
    """The last day of the week a scheduled digest covers: the day before its slot."""
    return digest_slot(schedule, now=now).date() - timedelta(days=1)


def digest_due(schedule: str, *, last_sent: datetime | None, now: datetime) -> bool:
    """Whether a scheduled time has come since the digest was last queued, or it never
    was (a digest missed while Tocsin was stopped goes out when it starts again)."""
    slot = digest_slot(schedule, now=now)  # a bad schedule fails here, sent or not
    return last_sent is None or _utc(last_sent) < slot


# ---------------------------------------------------------------- building


@cache
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def unsubscribe_url(subscriber: Subscriber, *, settings: Settings) -> str:
    token = quote(subscriber.token, safe="")
    return f"{settings.base_url.rstrip('/')}/unsubscribe?token={token}"


def digest_message_id(subscriber: Subscriber, week_end: date) -> str:
    """The outbox id of a subscriber's digest for a week: the same on every run."""
    raw = f"digest\x1f{subscriber.id}\x1f{week_end.isoformat()}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def render_digest(week: Week, subscriber: Subscriber, settings: Settings) -> Digest:
    """``subscriber``'s digest of ``week``: subject, plain text and inlined HTML, in the
    subscriber's language; ``InputError`` for a language or an area it cannot use."""
    lang = subscriber.lang
    if lang not in LANGS:
        raise InputError(
            subscriber.email,
            f"no digest in language {lang!r}",
            f"set fr or en with `tocsin subscribers add {subscriber.email} --lang en`",
        )
    w: dict[str, Any] = digest_data()[lang]
    content = digest_content(week, subscriber, w, base_url=settings.base_url.rstrip("/"))
    counts = {
        "event": content["event_count"],
        "risk_change": content["risk_count"],
        "forecast": content["forecast_count"],
        "brief": content["brief_count"],
    }
    summary = ", ".join(plural(n, w[forms], lang) for forms, n in counts.items() if n)
    period = period_words(week.start, week.end, w)
    org = clean(settings.organisation, 120)
    subject = clean(
        w["subject"].format(
            org=f"{org} — " if org else "", period=period, summary=summary or w["subject_quiet"]
        ),
        300,
    )
    unsubscribe = unsubscribe_url(subscriber, settings=settings)
    name = clean(subscriber.name, 200)
    values = {
        **content,
        "w": w,
        "lang": lang,
        "subject": subject,
        "period": period,
        "empty": not summary,
        "greeting": w["greeting"].format(name=name) if name else w["greeting_anonymous"],
        "email": subscriber.email,
        "organisation": org,
        "unsubscribe": unsubscribe,
    }
    return Digest(
        subscriber=subscriber,
        week_start=week.start,
        week_end=week.end,
        subject=subject,
        text=_env().get_template("digest.txt").render(values).strip() + "\n",
        html=_INLINER.inline(_env().get_template("digest.html").render(values)),
        empty=not summary,
        events=counts["event"],
        risk_changes=counts["risk_change"],
        forecasts=counts["forecast"],
        briefs=counts["brief"],
        headers=(
            ("List-Unsubscribe", f"<{unsubscribe}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ),
        message_id=digest_message_id(subscriber, week.end),
    )


# ---------------------------------------------------------------- the outbox email


def digest_message(digest: Digest, *, now: datetime) -> OutboxMessage:
    """The outbox email of a digest (kind "digest"), due at ``now``."""
    return OutboxMessage(
        id=digest.message_id,
        channel="email",
        target=digest.subscriber.email,
        subject=digest.subject,
        body=email_body(digest.subject, digest.text, digest.html, headers=dict(digest.headers)),
        kind="digest",
        next_attempt=_utc(now),
        created=_utc(now),
    )
