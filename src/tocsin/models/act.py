"""Central objects of the "act" stage: risk levels, an organisation's assets, alert
rules, alerts, outbox messages, digest subscribers and briefs.

Frozen dataclasses, plain values, no I/O; import them from here. Coordinates
are (lat, lon) in decimal degrees (WGS 84), distances in kilometres, datetimes in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Risk categories, in the order reports show them. The mapping from event types, tags
# and forecasts to categories is data (knowledge/risk.toml).
RISK_CATEGORIES: tuple[str, ...] = ("conflict", "unrest", "crime", "supply", "political")
# Their names per language, and those of the 1-5 scale: knowledge/risk_names.toml.
ASSET_KINDS: tuple[str, ...] = ("site", "staff", "route")
GEOMETRIES: tuple[str, ...] = ("point", "polygon", "line")
ALERT_KINDS: tuple[str, ...] = ("event", "risk", "forecast")
CHANNELS: tuple[str, ...] = ("email", "webhook")
OUTBOX_STATES: tuple[str, ...] = ("pending", "sending", "sent", "dead")
BRIEF_LANGUAGES: tuple[str, ...] = ("en", "fr")


@dataclass(frozen=True, slots=True)
class RiskContribution:
    """One reason a level is what it is: an event or a forecast (``kind``), its id, the
    share of the score it brings (``weight``) and a one-line ``summary`` of it."""

    kind: str
    ref_id: str
    weight: float
    summary: str


@dataclass(frozen=True, slots=True)
class RiskLevel:
    """The risk of one ``category`` in one place over the period ending ``period_end``.

    ``place_key`` is "country:ML", "admin1:ML:Koulikoro" or "town:2460596" (geonameid);
    ``scope`` is "country", "admin1" or "town". ``level`` is 1-5 (names in tocsin.knowledge.names),
    ``score`` the number it comes from; ``previous_level``/``previous_score`` are those
    of the period before (same length), ``trend`` "up", "down", "steady" or "new".
    ``contributions`` are the top events and forecasts, largest first.
    """

    place_key: str
    scope: str
    name: str
    category: str
    level: int
    score: float
    period_start: date
    period_end: date
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    previous_level: int | None = None
    previous_score: float | None = None
    trend: str = "new"
    contributions: tuple[RiskContribution, ...] = ()


@dataclass(frozen=True, slots=True)
class Asset:
    """Something of an organisation's to protect: a ``site`` (a point with ``radius_km``,
    or a polygon), a ``staff`` location (a point) or a ``route`` (a line, ``radius_km``
    is the buffer on each side). ``coords`` are (lat, lon) pairs: one for a point, the
    ring for a polygon (first point not repeated), the vertices for a line."""

    id: str
    name: str
    kind: str
    geometry: str
    coords: tuple[tuple[float, float], ...]
    radius_km: float = 0.0
    tags: tuple[str, ...] = ()
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class AlertRule:
    """What an organisation wants to hear about.

    Scope: an ``asset_id`` (events within ``distance_km`` of that asset's geometry), or
    ``area`` (a country ISO2 code, a country name, an admin1 name or a place name; events
    inside it), or neither (every asset, each within ``distance_km``). ``kinds`` are of
    ALERT_KINDS; ``categories`` of RISK_CATEGORIES (empty: all). ``min_severity`` (1-5)
    filters event alerts, ``min_level`` (1-5) risk-change alerts, ``min_probability``
    forecast alerts. ``channels`` are "email:ADDRESS" or "webhook:URL" (the Atom feed
    carries every alert). ``lang`` is the language of the messages.
    """

    id: str
    name: str
    asset_id: str | None = None
    area: str | None = None
    kinds: tuple[str, ...] = ALERT_KINDS
    categories: tuple[str, ...] = ()
    min_severity: int = 1
    min_level: int = 3
    min_probability: float = 0.7
    distance_km: float = 50.0
    channels: tuple[str, ...] = ()
    lang: str = "en"
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class AlertQuote:
    """A quote behind an alert: the document, its source with the source's Admiralty
    letter, the claim's 1-6 credibility where known, the quoted text."""

    document_id: str
    source: str
    reliability: str
    text: str
    credibility: int | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert: a rule matched an event, a risk change or a forecast (``kind`` and
    ``subject_id``) for an asset (or the rule's area when ``asset_id`` is None).

    ``key`` ("rule|asset|kind|subject") makes it unique: the same event for the same
    asset and rule is one alert. ``version`` grows by one each time the subject changes
    in a way that matters (``fingerprint``: status, figures, level); each version is sent
    once. ``severity`` is 1-5; ``distance_km`` from the asset (0 inside it).
    """

    id: str
    key: str
    rule_id: str
    kind: str
    subject_id: str
    severity: int
    title: str
    summary: str
    fingerprint: str
    version: int = 1
    asset_id: str | None = None
    category: str | None = None
    distance_km: float | None = None
    lat: float | None = None
    lon: float | None = None
    quotes: tuple[AlertQuote, ...] = ()
    created: datetime | None = None
    updated: datetime | None = None


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A message waiting to go, or gone: ``channel`` "email" or "webhook", ``target`` the
    address or URL. ``id`` is deterministic (alert id + version + channel + target, or the
    digest's subscriber and week), so queueing twice queues once. ``body`` holds what the
    channel sends, as JSON text (email: subject, text, html; webhook: the JSON payload).
    ``status`` is of OUTBOX_STATES; ``attempts`` counts tries; ``next_attempt`` is when a
    pending message may be tried again (back-off)."""

    id: str
    channel: str
    target: str
    subject: str
    body: str
    status: str = "pending"
    alert_id: str | None = None
    kind: str = "alert"  # "alert" or "digest"
    attempts: int = 0
    next_attempt: datetime | None = None
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class Subscriber:
    """A digest subscriber: ``areas`` as for AlertRule.area (empty: everything), the
    digest's language, and the ``token`` of the unsubscribe link."""

    id: str
    email: str
    lang: str = "en"
    areas: tuple[str, ...] = ()
    name: str | None = None
    token: str = ""
    active: bool = True
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """The evidence of one sentence of a brief: a document, the quoted words, the source
    and its Admiralty letter, the event or forecast it comes from (if any)."""

    document_id: str
    quote: str
    source: str
    reliability: str = "F"
    credibility: int | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    ref_id: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a brief with the citations that support it (never none, except
    for the one-line "nothing new" brief and headings)."""

    text: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class BriefSection:
    """A titled section of a brief: ``key`` is one of key_points, bottom_line,
    situation, actors, scenarios, indicators, implications, contradictions, sources."""

    key: str
    title: str
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True, slots=True)
class Brief:
    """An analyst's brief for an area and a period, in one language. ``empty`` is true
    when nothing new happened (one line says so)."""

    id: str
    area: str
    lang: str
    title: str
    period_start: date
    period_end: date
    sections: tuple[BriefSection, ...] = ()
    empty: bool = False
    created: datetime | None = None
