"""Alerts over the whole store: the recent events, the risk changes and the open
forecasts matched against every rule, the alerts saved and their messages queued in the
outbox. Composes ``alert.rules`` and the outbox (``app/outbox.py``) with the store; the
risk levels are brought up to date first by ``app/assessment.py`` (``assess_batch`` after
an extraction batch, ``update_alerts`` for ``tocsin alerts run``), which hands their
changes here.

Order matters for "nothing lost": messages are queued before the alerts are saved. A
run killed in between saved no alert, so the next run finds the same alerts again and
queues the same messages (their ids are deterministic: the outbox keeps one of each).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from tocsin.alert.rules import match_events, match_forecasts, match_risk
from tocsin.alert.wording import load_alert_words
from tocsin.app.outbox import queue_alerts
from tocsin.app.risk import located_forecasts
from tocsin.assess.risk.levels import RiskChange
from tocsin.assess.risk.params import load_risk_params
from tocsin.config import Settings
from tocsin.errors import InputError, TocsinError
from tocsin.geo.areas import Area, resolve_area
from tocsin.geo.gazetteer import Gazetteer
from tocsin.models import Alert, AlertQuote, AlertRule, Document, EventFilter
from tocsin.store import Store

__all__ = ["AlertRun", "check_rules", "match_alerts", "rule_areas"]


@dataclass(frozen=True, slots=True)
class AlertRun:
    """What a run said: ``new`` alerts, ``updated`` ones (a next version), the outbox
    messages ``queued``, the alerts themselves; ``risk_changes`` counts the risk levels
    that moved, ``problems`` the rules that could not be used (one line each)."""

    new: int
    updated: int
    queued: int
    alerts: tuple[Alert, ...]
    events: int = 0
    risk_changes: int = 0
    problems: tuple[str, ...] = ()


def _is_code(text: str) -> bool:
    """An ISO2 code, "all" or a place key: resolved without the gazetteer."""
    bare = text.strip()
    return (
        (len(bare) == 2 and bare.isalpha() and bare.isupper())
        or bare.casefold()
        in (
            "all",
            "everywhere",
        )
        or bare.startswith(("country:", "admin1:"))
    )


def rule_areas(
    rules: Sequence[AlertRule], *, gazetteer: Gazetteer | None = None
) -> tuple[dict[str, Area], list[str]]:
    """The area of each rule that names one, resolved once per text; a rule whose area
    is unknown gives a problem line (and matches nothing)."""
    areas: dict[str, Area] = {}
    problems: list[str] = []
    opened: Gazetteer | None = None  # opened here, so closed here (watch runs this often)
    try:
        for text in sorted({r.area for r in rules if r.area}):
            if gazetteer is None and not _is_code(text):
                gazetteer = opened = Gazetteer.load()
            try:
                areas[text] = resolve_area(text, gazetteer=gazetteer)
            except InputError as exc:
                users = ", ".join(r.id for r in rules if r.area == text)
                problems.append(f"rule {users}: {exc}")
    finally:
        if opened is not None:
            opened.close()
    return areas, problems


def check_rules(
    store: Store, rules: Sequence[AlertRule], *, require_assets: bool = False
) -> list[str]:
    """Check rules before saving them: a rule whose area cannot be resolved raises
    ``TocsinError`` (the first problem); so does one whose asset is not stored, with
    ``require_assets``, else that is a warning. Returns the warning lines."""
    _areas, problems = rule_areas(rules)
    if problems:
        raise TocsinError(problems[0])
    known = {a.id for a in store.list_assets()}
    warnings = []
    for rule in rules:
        if not rule.asset_id or rule.asset_id in known:
            continue
        if require_assets:
            raise InputError(f"rule {rule.id}", f"no asset {rule.asset_id!r}", "add it first")
        warnings.append(
            f"rule {rule.id}: asset {rule.asset_id!r} is not in the store yet; "
            "the rule matches nothing until it is (`tocsin assets add` or `import`)"
        )
    return warnings


def _sourced(alerts: list[Alert], store: Store) -> list[Alert]:
    """Quotes with their source's name and the document's URL (and, for a forecast's
    quote, the source's Admiralty letter)."""
    documents: dict[str, Document | None] = {}

    def named(quote: AlertQuote) -> AlertQuote:
        if quote.document_id not in documents:
            documents[quote.document_id] = store.get_document(quote.document_id)
        doc = documents[quote.document_id]
        if doc is None:
            return replace(quote, reliability=quote.reliability or "F")
        return replace(
            quote,
            source=doc.source.name or quote.source,
            url=doc.url,
            reliability=quote.reliability or doc.source.reliability or "F",
        )

    return [replace(a, quotes=tuple(named(q) for q in a.quotes)) for a in alerts]


def match_alerts(
    store: Store,
    risk_changes: Sequence[RiskChange],
    *,
    settings: Settings,
    now: datetime,
    day: date,
) -> AlertRun:
    """Match the events dated in the window before ``day`` (knowledge/alerts.toml), the
    ``risk_changes`` of the levels just updated for ``day`` and the forecasts open that
    day against every rule, queue the alerts' messages, then save the alerts. Running
    it again without news gives nothing new."""
    rules = store.list_rules()
    if not rules:
        return AlertRun(0, 0, 0, (), risk_changes=len(risk_changes))
    assets = store.list_assets()
    params = load_risk_params()
    words = load_alert_words()
    areas, problems = rule_areas(rules)
    missing = sorted({r.asset_id for r in rules if r.asset_id} - {a.id for a in assets})
    for asset_id in missing:
        users = ", ".join(r.id for r in rules if r.asset_id == asset_id)
        problems.append(
            f"rule {users}: asset {asset_id!r} is not in the store; "
            "add it with `tocsin assets add` or remove the rule"
        )
    known = store.known_alerts()
    since = day - timedelta(days=words.match.window_days)
    events = store.list_events(EventFilter(since=since, until=day))
    found = match_events(
        events, assets, rules, params=params, known=known, now=now, areas=areas, words=words
    )
    found += match_risk(
        risk_changes, assets, rules, known=known, now=now, areas=areas, params=params, words=words
    )
    found += match_forecasts(
        located_forecasts(store, open_on=day), assets, rules,
        known=known, now=now, areas=areas, asof=day, params=params, words=words,
    )  # fmt: skip
    found = _sourced(found, store)
    queued = queue_alerts(store, found, settings=settings, now=now) if found else 0
    store.save_alerts(found, now=now)
    return AlertRun(
        new=sum(a.version == 1 for a in found),
        updated=sum(a.version > 1 for a in found),
        queued=queued,
        alerts=tuple(found),
        events=len(events),
        risk_changes=len(risk_changes),
        problems=tuple(problems),
    )
