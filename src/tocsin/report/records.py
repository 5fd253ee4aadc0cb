"""Central objects as plain, JSON-ready values: what the CLI prints with ``--json`` and
what the web API answers, written once so that both say the same thing.

Dates and times are ISO 8601 text, coordinates (lat, lon) pairs in degrees; nothing here
reads the store or the clock (``forecast_plain`` takes the day to judge "expired" by).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from tocsin.models import Alert, AlertRule, Asset, Brief, Forecast

if TYPE_CHECKING:
    from tocsin.app.review import GradedClaim, GradedSource


def asset_plain(asset: Asset) -> dict[str, Any]:
    return {
        "id": asset.id,
        "name": asset.name,
        "kind": asset.kind,
        "geometry": asset.geometry,
        "coords": [list(pair) for pair in asset.coords],
        "radius_km": asset.radius_km,
        "tags": list(asset.tags),
        "created": asset.created.isoformat() if asset.created else None,
    }


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


def brief_summary_plain(brief: Brief) -> dict[str, Any]:
    """What lists of briefs show: no sections."""
    return {
        "id": brief.id,
        "area": brief.area,
        "lang": brief.lang,
        "title": brief.title,
        "period_start": brief.period_start.isoformat(),
        "period_end": brief.period_end.isoformat(),
        "empty": brief.empty,
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
