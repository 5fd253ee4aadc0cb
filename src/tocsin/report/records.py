"""Central objects as plain, JSON-ready values: what the CLI prints with ``--json`` and
what the web API answers, written once so that both say the same thing.

Dates and times are ISO 8601 text, coordinates (lat, lon) pairs in degrees; nothing here
reads the store or the clock (``forecast_plain`` takes the day to judge "expired" by).
Where the CLI and the API say more or less of one object, one function writes both
forms, a keyword parameter choosing (``asset_plain(created=)``, ``document_plain(local=)``,
``risk_level_plain(event_url=)``, ``event_to_plain(report_count=)``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from tocsin.knowledge.names import RISK_LEVEL_NAMES
from tocsin.models import (
    Alert,
    AlertRule,
    AnnotationRef,
    Annotations,
    ApiToken,
    Asset,
    Brief,
    Comment,
    Document,
    Event,
    Forecast,
    Judgment,
    OutboxMessage,
    Precision,
    RiskLevel,
    SourcedReport,
    Subscriber,
    User,
    annotation_to_plain,
)

if TYPE_CHECKING:
    from tocsin.assess.grading import GradedClaim, GradedSource


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def asset_plain(asset: Asset, *, created: bool = True) -> dict[str, Any]:
    """An asset; ``created``: with the time it was added (the CLI's form; the API's
    list leaves it out)."""
    plain: dict[str, Any] = {
        "id": asset.id,
        "name": asset.name,
        "kind": asset.kind,
        "geometry": asset.geometry,
        "coords": [list(pair) for pair in asset.coords],
        "radius_km": asset.radius_km,
        "tags": list(asset.tags),
    }
    if created:
        plain["created"] = _iso(asset.created)
    return plain


def rule_plain(rule: AlertRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "asset_id": rule.asset_id,
        "area": rule.area,
        "kinds": list(rule.kinds),
        "categories": list(rule.categories),
        "min_severity": rule.min_severity,
        "min_level": rule.min_level,
        "min_probability": rule.min_probability,
        "distance_km": rule.distance_km,
        "channels": list(rule.channels),
        "lang": rule.lang,
        "created": rule.created.isoformat() if rule.created else None,
    }


def alert_plain(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "key": alert.key,
        "rule_id": alert.rule_id,
        "asset_id": alert.asset_id,
        "kind": alert.kind,
        "subject_id": alert.subject_id,
        "category": alert.category,
        "severity": alert.severity,
        "distance_km": alert.distance_km,
        "lat": alert.lat,
        "lon": alert.lon,
        "title": alert.title,
        "summary": alert.summary,
        "version": alert.version,
        "fingerprint": alert.fingerprint,
        "quotes": [
            {
                "document_id": q.document_id,
                "source": q.source,
                "reliability": q.reliability,
                "credibility": q.credibility,
                "url": q.url,
                "text": q.text,
            }
            for q in alert.quotes
        ],
        "created": alert.created.isoformat() if alert.created else None,
        "updated": alert.updated.isoformat() if alert.updated else None,
    }


def forecast_plain(forecast: Forecast, today: date) -> dict[str, Any]:
    """A forecast with its ``state`` as of ``today`` (open, true, false or expired)."""
    f = forecast
    return {
        "id": f.id,
        "document_id": f.document_id,
        "source_id": f.source_id,
        "proposition": f.proposition,
        "label": f.label,
        "probability": round(f.probability, 3),
        "low": f.low,
        "high": f.high,
        "holder_kind": f.holder_kind,
        "holder": f.holder,
        "deadline": f.deadline.isoformat(),
        "made_on": f.made_on.isoformat() if f.made_on else None,
        "state": f.state(today),
        "resolved_on": f.resolved_on.isoformat() if f.resolved_on else None,
        "evidence": f.evidence,
    }


def judgment_plain(judgment: Judgment, text: str) -> dict[str, Any]:
    """An estimative judgment; ``text`` is the part (body or comment) it was found in,
    which its proposition and condition are cut from."""
    j = judgment
    return {
        "document_id": j.span.document_id,
        "part": j.span.part,
        "cue": j.cue_text,
        "label": j.label,
        "low": j.low,
        "high": j.high,
        "negated": j.negated,
        "proposition": " ".join(text[j.proposition.start : j.proposition.end].split()),
        "holder_kind": j.holder_kind,
        "holder": j.holder,
        "condition": (
            " ".join(text[j.condition.start : j.condition.end].split()) if j.condition else None
        ),
        "trend": j.trend,
        "deadline": j.deadline.isoformat() if j.deadline else None,
        "future": j.future,
    }


def brief_summary_plain(brief: Brief) -> dict[str, Any]:
    """What lists of briefs show: no sections (the API adds the links to its forms)."""
    return {
        "id": brief.id,
        "area": brief.area,
        "lang": brief.lang,
        "title": brief.title,
        "period_start": brief.period_start.isoformat(),
        "period_end": brief.period_end.isoformat(),
        "empty": brief.empty,
        "created": _iso(brief.created),
    }


def graded_claim_plain(graded: GradedClaim) -> dict[str, Any]:
    claim = graded.claim
    return {
        "id": claim.id,
        "credibility": graded.grade.number,
        "credibility_words": graded.grade.words,
        "reasons": list(graded.grade.reasons),
        "independent": claim.independent,
        "contradicted": claim.contradicted,
        "statements": [
            {
                "document_id": s.document_id,
                "source_id": s.source_id,
                "stance": s.stance,
                "lang": s.lang,
                "attribution": s.attribution,
                "text": s.text,
                "published": s.published.isoformat() if s.published else None,
            }
            for s in claim.statements
        ],
    }


def graded_source_plain(graded: GradedSource) -> dict[str, Any]:
    source, record = graded.source, graded.record
    return {
        "source_id": source.id,
        "name": source.name,
        "kind": str(source.kind),
        "domain": source.domain,
        "reliability": graded.grade.letter,
        "reliability_words": graded.grade.words,
        "reasons": list(graded.grade.reasons),
        "documents": graded.documents,
        "forecasts_resolved": record.forecasts_resolved,
        "brier": record.brier,
        "claims": record.claims_total,
        "claims_corroborated": record.claims_corroborated,
        "claims_contradicted": record.claims_contradicted,
    }


# ---------------------------------------------------------------- risk


def risk_level_plain(
    level: RiskLevel, *, event_url: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """A risk level with its English word (``level_name``) and its contributions;
    ``event_url``: each contribution also gets a ``url``, the page of an event
    (``event_url(ref_id)``) or None for a forecast (the API's form)."""
    contributions = []
    for c in level.contributions:
        item: dict[str, Any] = {
            "kind": c.kind,
            "ref_id": c.ref_id,
            "weight": c.weight,
            "summary": c.summary,
        }
        if event_url is not None:
            item["url"] = event_url(c.ref_id) if c.kind == "event" else None
        contributions.append(item)
    return {
        "place_key": level.place_key,
        "scope": level.scope,
        "name": level.name,
        "country": level.country,
        "admin1": level.admin1,
        "geonameid": level.geonameid,
        "lat": level.lat,
        "lon": level.lon,
        "category": level.category,
        "level": level.level,
        "level_name": RISK_LEVEL_NAMES["en"][level.level],
        "score": level.score,
        "period_start": level.period_start.isoformat(),
        "period_end": level.period_end.isoformat(),
        "previous_level": level.previous_level,
        "previous_score": level.previous_score,
        "trend": level.trend,
        "contributions": contributions,
    }


# ---------------------------------------------------------------- events


def event_to_plain(event: Event, *, report_count: int | None = None) -> dict[str, Any]:
    """An event as JSON-ready values: every field in order, ``disorder_type`` after the
    sub-event type, dates as ISO text, and each report as {id, document_id, part, start,
    end, source_id, kind, reliability, copy_of, published, quote, fatalities}.
    ``report_count``: the reports left out and their number given instead (the form of
    lists and of GeoJSON properties)."""
    plain: dict[str, Any] = {}
    for name in Event.__slots__:
        value = getattr(event, name)
        if name == "reports":
            if report_count is not None:
                continue
            value = [report_to_plain(r) for r in value]
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, float) and not math.isfinite(value):
            value = None
        plain[name] = value
        if name == "sub_event_type":
            plain["disorder_type"] = event.disorder_type
    if report_count is not None:
        plain["report_count"] = report_count
    return plain


def report_to_plain(report: SourcedReport) -> dict[str, Any]:
    """One report of an event: where it is (document, part, offsets), its source and
    grade, publication, quote and reported fatalities."""
    span = report.report.span
    return {
        "id": report.id,
        "document_id": span.document_id,
        "part": span.part,
        "start": span.start,
        "end": span.end,
        "source_id": report.source_id,
        "kind": str(report.kind),
        "reliability": report.reliability,
        "copy_of": report.copy_of,
        "published": report.published.isoformat() if report.published else None,
        "quote": report.quote,
        "fatalities": report.report.fatalities,
    }


# ---------------------------------------------------------------- documents


class DocumentLine(Protocol):
    """A line of a document list, as the store gives it (``docs list``'s rows carry the
    ``origin``, the API's the ``source_id``)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def source(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def form(self) -> str: ...
    @property
    def language(self) -> str | None: ...
    @property
    def published(self) -> datetime | None: ...
    @property
    def published_precision(self) -> Precision | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def comments(self) -> int: ...
    @property
    def duplicate_of(self) -> str | None: ...


def document_row_plain(row: DocumentLine) -> dict[str, Any]:
    """A document of a list (metadata, no text); ``source`` is the source's name, and
    ``source_id`` or ``origin`` come when the row has them."""
    plain: dict[str, Any] = {"id": row.id, "title": row.title}
    source_id = getattr(row, "source_id", None)
    if source_id is not None:
        plain["source_id"] = source_id
    plain.update(
        source=row.source,
        kind=row.kind,
        form=row.form,
        language=row.language,
        published=_iso(row.published),
        published_precision=str(row.published_precision) if row.published_precision else None,
        url=row.url,
    )
    origin = getattr(row, "origin", None)
    if origin is not None:
        plain["origin"] = origin
    plain.update(comments=row.comments, duplicate_of=row.duplicate_of)
    return plain


def annotations_plain(ann: Annotations) -> dict[str, Any]:
    """What extraction found in a document: its version, the languages, and every
    annotation (actors, places, times, attributions, judgments, events, in that order)."""
    refs: list[AnnotationRef] = [
        *ann.actors,
        *ann.places,
        *ann.times,
        *ann.attributions,
        *ann.judgments,
        *ann.events,
    ]
    return {
        "document_id": ann.document_id,
        "extractor_version": ann.extractor_version,
        "languages": ann.languages,
        "annotations": [annotation_to_plain(r) for r in refs],
    }


def comment_plain(comment: Comment) -> dict[str, Any]:
    """A reader comment; ``parent_id`` builds the reply tree."""
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": comment.author,
        "posted": _iso(comment.posted),
        "language": comment.language,
        "text": comment.text,
    }


def document_plain(doc: Document, *, local: bool = False) -> dict[str, Any]:
    """A document: metadata, source with its grade, text and comments. ``local``: also
    where it was read from (``origin``: a URL or a path on this machine) and its
    ``content_hash``, which the CLI shows and the API keeps to itself."""
    src = doc.source
    plain: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "source": {
            "id": src.id,
            "name": src.name,
            "domain": src.domain,
            "kind": str(src.kind),
            "reliability": src.reliability,
            "reliability_reason": src.reliability_reason,
        },
        "kind": str(doc.kind),
        "form": str(doc.form),  # "article" or "report"
        "author": doc.author,
        "published": _iso(doc.published),
        "published_precision": str(doc.published_precision) if doc.published_precision else None,
        "language": doc.language,
        "url": doc.url,
    }
    if local:
        plain["origin"] = doc.origin
    plain["duplicate_of"] = doc.duplicate_of
    if local:
        plain["content_hash"] = doc.content_hash
    plain.update(
        fetched_at=_iso(doc.fetched_at),
        text=doc.text,
        comments=[comment_plain(c) for c in doc.comments],
    )
    return plain


# ---------------------------------------------------------------- delivery and users


def _utc(value: datetime | None) -> str | None:
    """A time in UTC with a Z ("2025-10-05T08:00:00Z")."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def message_plain(message: OutboxMessage) -> dict[str, Any]:
    """A message of the outbox, its body left out (lists list, they do not dump)."""
    return {
        "id": message.id,
        "kind": message.kind,
        "alert_id": message.alert_id,
        "channel": message.channel,
        "target": message.target,
        "subject": message.subject,
        "status": message.status,
        "attempts": message.attempts,
        "next_attempt": _utc(message.next_attempt),
        "lease_until": _utc(message.lease_until),
        "sent_at": _utc(message.sent_at),
        "last_error": message.last_error,
        "created": _utc(message.created),
    }


def subscriber_plain(subscriber: Subscriber) -> dict[str, Any]:
    """A subscriber of the digest, with the token of their unsubscribe link."""
    return {
        "id": subscriber.id,
        "email": subscriber.email,
        "name": subscriber.name,
        "lang": subscriber.lang,
        "areas": list(subscriber.areas),
        "active": subscriber.active,
        "token": subscriber.token,
        "created": _iso(subscriber.created),
    }


def user_plain(user: User, *, tokens: int) -> dict[str, Any]:
    """A user of the dashboard and the API, with how many live API tokens they have."""
    return {
        "username": user.username,
        "role": user.role,
        "active": user.active,
        "created": _iso(user.created),
        "last_login": _iso(user.last_login),
        "tokens": tokens,
    }


def token_plain(token: ApiToken, *, username: str) -> dict[str, Any]:
    """An API token's record (never its value: only its hash is kept)."""
    return {
        "id": token.id,
        "username": username,
        "name": token.name,
        "created": _iso(token.created),
        "last_used": _iso(token.last_used),
        "revoked": token.revoked,
    }
