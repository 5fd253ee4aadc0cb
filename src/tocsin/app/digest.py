"""The weekly digest over the store: the week's material read once (:func:`load_week`),
one subscriber's digest (:func:`build_digest`), and every active subscriber's digest
queued in the outbox (:func:`send_digests`). Composes ``tocsin.report.digest`` (what a
digest says and how it looks) with the store and ``tocsin.app.outbox``; the CLI, the
demo and ``watch`` call it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from tocsin.app.outbox import queue_messages
from tocsin.app.risk import located_forecasts
from tocsin.config import Settings
from tocsin.errors import InputError
from tocsin.models import EventFilter, Subscriber
from tocsin.report.digest.content import Week, week_of, week_start
from tocsin.report.digest.messages import Digest, digest_message, render_digest
from tocsin.store import Store

__all__ = ["build_digest", "load_week", "send_digests"]


def load_week(store: Store, week_end: date) -> Week:
    """The material of the seven days ending ``week_end`` (both ends included): events
    dated in the week, the latest risk levels, the located forecasts and the briefs of
    periods in the week, read once and chosen by ``week_of``."""
    start = week_start(week_end)
    return week_of(
        week_end,
        events=store.list_events(EventFilter(since=start, until=week_end)),
        levels=store.latest_risk_levels(asof=week_end),
        forecasts=located_forecasts(store),
        briefs=store.list_briefs(since=start, until=week_end),
    )


def build_digest(
    store: Store, subscriber: Subscriber, *, week_end: date, settings: Settings
) -> Digest:
    """``subscriber``'s digest for the seven days ending ``week_end`` (included)."""
    return render_digest(load_week(store, week_end), subscriber, settings)


def send_digests(
    store: Store,
    *,
    settings: Settings,
    week_end: date,
    dry_run: bool = False,
    now: datetime,
    on_problem: Callable[[str], None] | None = None,
) -> list[Digest]:
    """Build every active subscriber's digest for the week ending ``week_end`` and queue
    it in the outbox (one email each; delivery is the outbox's job). ``dry_run`` builds
    them and writes nothing. A subscriber's digest for a week is queued once however
    often this runs (the outbox ignores ids it holds). A subscriber whose digest cannot
    be built (an area the gazetteer no longer knows) raises ``InputError``, or, with
    ``on_problem``, is reported there and skipped while the others go."""
    subscribers = store.list_subscribers(active=True)
    if not subscribers:
        return []
    week = load_week(store, week_end)
    digests = []
    for subscriber in subscribers:
        try:
            digests.append(render_digest(week, subscriber, settings))
        except InputError as exc:
            if on_problem is None:
                raise
            on_problem(str(exc))
    if not dry_run:
        queue_messages(store, [digest_message(digest, now=now) for digest in digests], now=now)
    return digests
