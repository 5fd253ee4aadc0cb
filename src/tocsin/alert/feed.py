"""The Atom feed (RFC 4287) of alerts: every alert whatever its rule's channels.

Built with ``xml.etree.ElementTree`` (text written by strangers is escaped by the
serialiser, and characters XML cannot carry are dropped first). Each version of an alert
is one entry whose id never changes: ``urn:uuid:`` + a UUID 5 of the alert id and
version, so a feed reader shows an update as a new entry and never shows one twice.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from tocsin.alert.messages import (
    CONTROL,
    alert_facts,
    alert_link,
    clean_line,
    labels,
    source_grade,
)
from tocsin.config import Settings
from tocsin.models import Alert, Asset

__all__ = ["ATOM", "atom_feed", "entry_id"]

ATOM = "http://www.w3.org/2005/Atom"
_XML = "http://www.w3.org/XML/1998/namespace"
# The namespace of Tocsin's feed and entry UUIDs (a UUID 5 of the project's address).
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/tocsin-project/tocsin/atom")


def entry_id(alert: Alert) -> str:
    """The Atom id of one version of an alert: the same in every feed, forever."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'alert/{alert.id}/{alert.version}')}"


def _stamp(value: datetime) -> str:
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = CONTROL.sub("", text)
    return element


def _content(alert: Alert, *, lang: str, asset: Asset | None) -> str:
    words = labels(lang)
    lines = [
        f"{label}{words['colon']}{value}"
        for label, value in alert_facts(alert, lang=lang, asset=asset)
    ]
    lines += ["", CONTROL.sub("", alert.summary).strip()]
    if alert.quotes:
        lines += ["", words["quotes"] + words["colon"].rstrip()]
        for quote in alert.quotes:
            grade = source_grade(quote.reliability, quote.credibility)
            text = words["quote"].format(text=clean_line(quote.text))
            source = clean_line(quote.source)
            lines.append(f"- {text} ({source}, {words['grade'].format(grade=grade)})")
    return "\n".join(lines)


def atom_feed(
    alerts: Sequence[Alert],
    *,
    settings: Settings,
    now: datetime,
    assets: Mapping[str, Asset] | None = None,
    lang: str = "en",
) -> bytes:
    """The Atom document of ``alerts`` (newest update first), UTF-8 with its XML
    declaration. ``assets`` names the alerts' assets; ``lang`` is the labels' language.
    The feed's ``updated`` is its newest entry's, or ``now`` when it has none."""
    base = settings.base_url.rstrip("/")
    org = clean_line(settings.organisation)
    ordered = sorted(
        alerts, key=lambda a: (a.updated or a.created or now, a.id, a.version), reverse=True
    )
    words = labels(lang)
    feed = ET.Element("feed", {"xmlns": ATOM, f"{{{_XML}}}lang": lang})
    _text(feed, "id", f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed/' + base)}")
    _text(feed, "title", words["feed_org"].format(organisation=org) if org else words["feed"])
    newest = max((a.updated or a.created or now for a in ordered), default=now)
    _text(feed, "updated", _stamp(newest))
    author = ET.SubElement(feed, "author")
    _text(author, "name", org or "Tocsin")
    ET.SubElement(feed, "link", {"rel": "self", "href": f"{base}/alerts.atom"})
    ET.SubElement(feed, "link", {"rel": "alternate", "href": f"{base}/alerts"})
    _text(feed, "generator", "Tocsin")
    for alert in ordered:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", entry_id(alert))
        title = clean_line(alert.title)
        if alert.version > 1:
            title = words["feed_update"].format(title=title, version=alert.version)
        _text(entry, "title", title)
        _text(entry, "updated", _stamp(alert.updated or alert.created or now))
        if alert.created is not None:
            _text(entry, "published", _stamp(alert.created))
        ET.SubElement(
            entry,
            "link",
            {"rel": "alternate", "type": "text/html", "href": alert_link(alert, settings=settings)},
        )
        ET.SubElement(entry, "category", {"term": alert.kind})
        if alert.category:
            ET.SubElement(entry, "category", {"term": alert.category})
        ET.SubElement(entry, "category", {"term": f"severity-{alert.severity}"})
        _text(entry, "summary", CONTROL.sub("", alert.summary).strip(), type="text")
        asset = (assets or {}).get(alert.asset_id) if alert.asset_id else None
        _text(entry, "content", _content(alert, lang=lang, asset=asset), type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
