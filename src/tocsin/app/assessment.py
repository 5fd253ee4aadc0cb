"""What Tocsin makes of extracted documents, composed with the store in one place and in
one order: forecasts registered, events merged, risk levels updated, alerts matched.

The forecasts a document makes are registered with its annotations, one transaction per
document (:func:`store_extraction`): a document whose annotations are stored counts as
extracted and is not extracted again, so its forecasts must never go missing in between.
The rest runs over the whole store once per extraction batch (:func:`assess_batch`): the
events merged again (``app/events.py``), the risk levels of today recomputed
(``app/risk.py``), then events, risk changes and open forecasts matched against the alert
rules (``app/alerts.py``). ``tocsin alerts run`` runs the last two (:func:`update_alerts`).

Claims are the one assessment made on read instead: ``app/review.py`` grades claims and
sources from what is stored each time they are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tocsin.app.alerts import AlertRun, match_alerts
from tocsin.app.events import EventUpdate, update_events
from tocsin.app.risk import update_risk
from tocsin.assess.forecasts import forecasts_from
from tocsin.config import Settings
from tocsin.models import Annotations, Document
from tocsin.store import Store

__all__ = ["Assessment", "assess_batch", "store_extraction", "update_alerts"]


@dataclass(frozen=True, slots=True)
class Assessment:
    """What one :func:`assess_batch` changed: the events merged, the alerts matched."""

    events: EventUpdate
    alerts: AlertRun


def store_extraction(store: Store, doc: Document, ann: Annotations) -> None:
    """Store a document's annotations and register the forecasts they make (its future
    judgments with a deadline), in one transaction."""
    store.save_extraction(ann, forecasts_from(doc, ann))


def assess_batch(store: Store, *, settings: Settings, now: datetime) -> Assessment:
    """After an extraction batch: merge every stored event report into events again (ids
    kept), recompute the risk levels as of ``now``, match events, risk changes and
    forecasts against the alert rules and queue the new alerts in the outbox."""
    events = update_events(store)
    return Assessment(events=events, alerts=update_alerts(store, settings=settings, now=now))


def update_alerts(
    store: Store, *, settings: Settings, now: datetime, asof: date | None = None
) -> AlertRun:
    """Recompute risk levels for ``asof`` (default: the day of ``now``), then match the
    events dated in the window before it, the risk changes and the forecasts open that
    day against every rule, queue the alerts' messages and save the alerts. Running it
    again without news gives nothing new."""
    day = asof or now.date()
    risk = update_risk(store, asof=day, settings=settings)
    return match_alerts(store, risk.changes, settings=settings, now=now, day=day)
