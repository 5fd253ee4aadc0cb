"""What an alert says: the outbox messages of an alert, one per channel of its rule.

An email message's body is JSON ``{"subject", "text", "html", "headers"}``: a plain-text
part and an HTML part rendered from the Jinja2 templates beside this module (autoescaped:
titles, summaries and quotes are written by strangers), in the rule's language. A webhook
message's body is the JSON payload itself, sent as is and signed by the channel.

Message ids are deterministic (alert id, version, channel, target), so queueing the same
alert version twice queues it once, and a receiver can drop a repeat by its id. The wording
lives in ``templates/messages.toml``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tocsin.config import Settings, read_toml
from tocsin.errors import InputError
from tocsin.knowledge.names import RISK_CATEGORY_NAMES, RISK_LEVEL_NAMES
from tocsin.models import CHANNELS, Alert, AlertRule, Asset, OutboxMessage
from tocsin.text.plain import one_line

__all__ = [
    "CONTROL",
    "alert_facts",
    "alert_link",
    "alert_messages",
    "alert_payload",
    "email_body",
    "message_id",
    "parse_channel",
    "read_email_body",
    "source_grade",
]

_TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("en", "fr")
_COLOURS = {1: "#6b7280", 2: "#2563eb", 3: "#b45309", 4: "#b91c1c", 5: "#7f1d1d"}
# Characters that have no place in a message: C0/C1 controls (newlines and tabs are
# folded to spaces in one-line fields), lone surrogates, non-characters.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )


@cache
def labels(lang: str) -> dict[str, str]:
    """The wording of messages in ``lang`` (English when the language has none)."""
    data = read_toml(_TEMPLATES / "messages.toml", what="alert message wording")
    table = data.get(lang) or data["en"]
    return {key: str(value) for key, value in table.items()}


def clean_line(text: str) -> str:
    """One line of stranger text (``tocsin.text.plain.one_line``)."""
    return one_line(text)


def parse_channel(channel: str, *, rule_id: str = "") -> tuple[str, str]:
    """("email", address) or ("webhook", URL) from "email:ADDRESS" / "webhook:URL";
    ``InputError`` naming the rule otherwise."""
    kind, _, target = channel.partition(":")
    kind, target = kind.strip().lower(), target.strip()
    where = f"rule {rule_id}: channel {channel!r}" if rule_id else f"channel {channel!r}"
    if kind not in CHANNELS or not target:
        raise InputError(where, "not a channel", "write email:ADDRESS or webhook:URL")
    if kind == "email" and ("@" not in target or any(c.isspace() or c in '<>,;"' for c in target)):
        raise InputError(where, "not an email address", "write email:name@example.org")
    if kind == "webhook" and (
        not re.match(r"^https?://[^\s/]+", target, re.IGNORECASE)
        or any(c.isspace() for c in target)
    ):
        raise InputError(where, "not an http(s) URL", "write webhook:https://host/path")
    return kind, target


def message_id(alert_id: str, version: int, channel: str, target: str) -> str:
    """The outbox id of one alert version on one channel: stable across runs."""
    raw = f"{alert_id}\x1f{version}\x1f{channel}\x1f{target}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def email_body(
    subject: str, text: str, html: str, *, headers: Mapping[str, str] | None = None
) -> str:
    """The JSON body of an email message in the outbox (alerts and the digest alike).
    ``headers`` are extra header fields (List-Unsubscribe, say)."""
    extra = {str(k): clean_line(str(v)) for k, v in (headers or {}).items()}
    return json.dumps(
        {"subject": clean_line(subject), "text": text, "html": html, "headers": extra},
        ensure_ascii=False,
        sort_keys=True,
    )


def read_email_body(body: str) -> tuple[str, str, str, dict[str, str]]:
    """(subject, text, html, headers) from an email message's JSON body."""
    data = json.loads(body)
    headers = data.get("headers") or {}
    return (
        str(data["subject"]),
        str(data["text"]),
        str(data.get("html") or ""),
        {str(k): str(v) for k, v in headers.items()},
    )


def alert_link(alert: Alert, *, settings: Settings) -> str:
    """Where the alert is shown in Tocsin's web pages."""
    return f"{settings.base_url.rstrip('/')}/alerts/{alert.id}"


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat().replace("+00:00", "Z")


def _number(value: float, lang: str) -> str:
    return f"{value:.1f}".replace(".", labels(lang)["decimal"])


def _web_url(url: str | None) -> str | None:
    """A quote's address if it is a web page (never a ``javascript:`` or file link)."""
    url = clean_line(url or "")
    return url if re.match(r"^https?://", url, re.IGNORECASE) else None


def source_grade(reliability: str, credibility: int | None) -> str:
    return f"{clean_line(reliability) or 'F'}{credibility if credibility is not None else ''}"


def alert_facts(
    alert: Alert, *, lang: str, asset: Asset | None = None, rule_name: str | None = None
) -> list[tuple[str, str]]:
    """(label, value) lines of an alert in ``lang``: severity, category, asset, distance,
    coordinates, rule, last update (those known)."""
    words = labels(lang)
    level = RISK_LEVEL_NAMES.get(lang, RISK_LEVEL_NAMES["en"]).get(alert.severity, "?")
    rows = [
        (
            words["severity"],
            words["severity_value"].format(name=level, severity=alert.severity),
        )
    ]
    if alert.category:
        names = RISK_CATEGORY_NAMES.get(lang, RISK_CATEGORY_NAMES["en"])
        rows.append((words["category"], names.get(alert.category, alert.category)))
    if asset is not None:
        rows.append((words["asset"], clean_line(asset.name)))
    if alert.distance_km is not None:
        km = alert.distance_km
        where = words["distance_inside"] if km <= 0 else words["distance_value"]
        rows.append((words["distance"], where.format(km=_number(km, lang))))
    if alert.lat is not None and alert.lon is not None:
        rows.append((words["location"], f"{alert.lat:.4f}, {alert.lon:.4f}"))
    if rule_name:
        rows.append((words["rule"], clean_line(rule_name)))
    stamp = alert.updated or alert.created
    if stamp is not None:
        rows.append((words["date"], stamp.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")))
    return rows


def _context(
    alert: Alert, rule: AlertRule, *, settings: Settings, asset: Asset | None
) -> dict[str, Any]:
    lang = rule.lang if rule.lang in LANGUAGES else "en"
    words = labels(lang)
    level = RISK_LEVEL_NAMES.get(lang, RISK_LEVEL_NAMES["en"]).get(alert.severity, "?")
    title = clean_line(alert.title)
    template = words["subject_update"] if alert.version > 1 else words["subject"]
    org = clean_line(settings.organisation)
    quotes = [
        {
            "text": words["quote"].format(text=clean_line(quote.text)),
            "source": clean_line(quote.source),
            "grade": words["grade"].format(
                grade=source_grade(quote.reliability, quote.credibility)
            ),
            "url": _web_url(quote.url),
        }
        for quote in alert.quotes
    ]
    return {
        "lang": lang,
        "labels": words,
        "colon": words["colon"],
        "subject": template.format(severity=level.capitalize(), title=title),
        "heading": words["heading_org"].format(organisation=org) if org else words["heading"],
        "kind": words.get(f"kind_{alert.kind}", alert.kind),
        "title": title,
        "update": words["update"].format(version=alert.version) if alert.version > 1 else "",
        "rows": alert_facts(alert, lang=lang, asset=asset, rule_name=rule.name),
        "summary": CONTROL.sub("", alert.summary).strip(),
        "quotes": quotes,
        "link": alert_link(alert, settings=settings),
        "footer": words["footer"].format(rule=clean_line(rule.name)),
        "colour": _COLOURS.get(alert.severity, _COLOURS[3]),
    }


def render_email(
    alert: Alert, rule: AlertRule, *, settings: Settings, asset: Asset | None = None
) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of an alert's email in the rule's language."""
    context = _context(alert, rule, settings=settings, asset=asset)
    env = _environment()
    text = env.get_template("alert.txt").render(context)
    html = env.get_template("alert.html").render(context)
    return context["subject"], text, html


def alert_payload(
    alert: Alert,
    rule: AlertRule,
    *,
    settings: Settings,
    asset: Asset | None = None,
    delivery: str | None = None,
) -> dict[str, Any]:
    """The JSON document a webhook receives for one alert version."""
    return {
        "type": "alert.updated" if alert.version > 1 else "alert.created",
        "delivery": delivery,
        "alert": {
            "id": alert.id,
            "key": alert.key,
            "version": alert.version,
            "kind": alert.kind,
            "subject_id": alert.subject_id,
            "category": alert.category,
            "severity": alert.severity,
            "title": alert.title,
            "summary": alert.summary,
            "distance_km": alert.distance_km,
            "lat": alert.lat,
            "lon": alert.lon,
            "created": _iso(alert.created),
            "updated": _iso(alert.updated),
            "url": alert_link(alert, settings=settings),
            "quotes": [
                {
                    "document_id": quote.document_id,
                    "source": quote.source,
                    "reliability": quote.reliability,
                    "credibility": quote.credibility,
                    "text": quote.text,
                    "url": quote.url,
                }
                for quote in alert.quotes
            ],
        },
        "rule": {"id": rule.id, "name": rule.name},
        "asset": (
            None
            if asset is None
            else {"id": asset.id, "name": asset.name, "kind": asset.kind, "tags": list(asset.tags)}
        ),
        "organisation": settings.organisation or None,
    }


def alert_messages(
    alert: Alert, rule: AlertRule, *, settings: Settings, asset: Asset | None = None
) -> list[OutboxMessage]:
    """One outbox message per channel of ``rule`` for this version of ``alert``, in the
    order of the rule's channels (a channel listed twice gives one message)."""
    messages: dict[str, OutboxMessage] = {}
    rendered: tuple[str, str, str] | None = None
    for channel in rule.channels:
        kind, target = parse_channel(channel, rule_id=rule.id)
        mid = message_id(alert.id, alert.version, kind, target)
        if mid in messages:
            continue
        if kind == "email":
            rendered = rendered or render_email(alert, rule, settings=settings, asset=asset)
            subject, text, html = rendered
            body = email_body(subject, text, html)
        else:
            subject = clean_line(alert.title)
            payload = alert_payload(alert, rule, settings=settings, asset=asset, delivery=mid)
            body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        messages[mid] = OutboxMessage(
            id=mid,
            channel=kind,
            target=target,
            subject=subject,
            body=body,
            alert_id=alert.id,
            kind="alert",
        )
    return list(messages.values())
