"""The organisation's pages: ``/assets`` (sites, staff and routes), ``/rules`` (alert
rules; an analyst adds and removes them), ``/alerts`` and ``/alerts/{id}`` (what the
rules matched, with the quotes behind each alert), and ``/unsubscribe`` (the digest's
unsubscribe link, for people without an account).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from tocsin.alert.assets import asset_centre
from tocsin.alert.rule_files import make_rule
from tocsin.app.alerts import check_rules
from tocsin.errors import TocsinError
from tocsin.models import (
    ALERT_KINDS,
    RISK_CATEGORIES,
    Alert,
    AlertRule,
    Subscriber,
    User,
    role_allows,
)
from tocsin.report.brief.render import safe_url
from tocsin.store import Store
from tocsin.web.deps import LANG_COOKIE, AnalystWrite, StoreDep, Viewer
from tocsin.web.i18n import LANGUAGES
from tocsin.web.templating import render

router = APIRouter()
PER_PAGE = 50
RULE_DEFAULTS: dict[str, Any] = {
    "name": "",
    "rule_id": "",
    "asset": "",
    "area": "",
    "kinds": list(ALERT_KINDS),
    "categories": [],
    "min_severity": "1",
    "min_level": "3",
    "min_probability": "0.7",
    "distance_km": "50",
    "channels": "",
    "lang": "en",
}


# ------------------------------------------------------------------------- assets


@router.get("/assets", include_in_schema=False)
def assets_page(request: Request, user: Viewer, store: StoreDep) -> Response:
    rows = []
    for asset in store.list_assets():
        lat, lon = asset_centre(asset)
        rows.append({"asset": asset, "lat": lat, "lon": lon})
    return render(request, "assets.html.j2", {"assets": rows})


# -------------------------------------------------------------------------- rules


def add_rule(store: Store, values: Mapping[str, Any]) -> AlertRule:
    """Check and save (or replace) a rule from ``make_rule``'s arguments; a bad rule, an
    area that cannot be resolved or an asset that is not stored raise ``TocsinError``."""
    rule = make_rule(**values)
    check_rules(store, [rule], require_assets=True)
    store.save_rules([rule])
    return rule


def _rules_page(
    request: Request,
    store: Store,
    user: User,
    *,
    form: Mapping[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    assets = store.list_assets()
    context = {
        "rules": store.list_rules(),
        "assets": assets,
        "asset_names": {a.id: a.name for a in assets},
        "alert_kinds": ALERT_KINDS,
        "categories": RISK_CATEGORIES,
        "can_edit": role_allows(user.role, "analyst"),
        "form": {**RULE_DEFAULTS, "lang": request.state.lang, **(form or {})},
        "error": error,
        "saved": request.query_params.get("saved", ""),
        "removed": request.query_params.get("removed", ""),
    }
    return render(request, "rules.html.j2", context, status=status)


@router.get("/rules", include_in_schema=False)
def rules_page(request: Request, user: Viewer, store: StoreDep) -> Response:
    return _rules_page(request, store, user)


@router.post("/rules", include_in_schema=False)
def add_rule_form(
    request: Request,
    user: AnalystWrite,
    store: StoreDep,
    name: str = Form("", max_length=200),
    rule_id: str = Form("", max_length=100),
    asset: str = Form("", max_length=100),
    area: str = Form("", max_length=200),
    kinds: Annotated[list[str] | None, Form()] = None,
    categories: Annotated[list[str] | None, Form()] = None,
    min_severity: str = Form("1", max_length=20),
    min_level: str = Form("3", max_length=20),
    min_probability: str = Form("0.7", max_length=20),
    distance_km: str = Form("50", max_length=20),
    channels: str = Form("", max_length=5000),
    lang: str = Form("en", max_length=10),
) -> Response:
    """Add (or replace) an alert rule: the options of ``tocsin rules add``."""
    form = {
        "name": name, "rule_id": rule_id, "asset": asset, "area": area,
        "kinds": kinds or [], "categories": categories or [], "min_severity": min_severity,
        "min_level": min_level, "min_probability": min_probability, "distance_km": distance_km,
        "channels": channels, "lang": lang,
    }  # fmt: skip
    values: dict[str, Any] = {
        "name": name,
        "rule_id": rule_id.strip() or None,
        "asset_id": asset.strip() or None,
        "area": area.strip() or None,
        "kinds": kinds or [],
        "categories": categories or [],
        "min_severity": min_severity.strip(),
        "min_level": min_level.strip(),
        "min_probability": min_probability.strip(),
        "distance_km": distance_km.strip(),
        "channels": [line.strip() for line in channels.splitlines() if line.strip()],
        "lang": lang,
    }
    try:
        rule = add_rule(store, values)
    except TocsinError as exc:
        return _rules_page(request, store, user, form=form, error=str(exc), status=400)
    return RedirectResponse(f"/rules?saved={rule.id}#rule-{rule.id}", status_code=303)


@router.post("/rules/{rule_id}/delete", include_in_schema=False)
def remove_rule_form(rule_id: str, user: AnalystWrite, store: StoreDep) -> Response:
    """Remove a rule (its past alerts stay)."""
    if not store.remove_rule(rule_id):
        raise HTTPException(404, f"{rule_id}: no such rule")
    return RedirectResponse(f"/rules?removed={rule_id}", status_code=303)


# ------------------------------------------------------------------------- alerts


@router.get("/alerts", include_in_schema=False)
def alerts_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    kind: str = Query("", max_length=20),
    min_severity: str = Query("", max_length=2),
    offset: int = Query(0, ge=0),
) -> Response:
    chosen_kind = kind if kind in ALERT_KINDS else None
    severity = int(min_severity) if min_severity in ("1", "2", "3", "4", "5") else None
    shown = store.list_alerts(
        kind=chosen_kind, min_severity=severity, limit=PER_PAGE, offset=offset
    )
    total = store.count_alerts(kind=chosen_kind, min_severity=severity)
    context = {
        "alerts": shown,
        "alert_kinds": ALERT_KINDS,
        "kind_filter": chosen_kind or "",
        "min_severity": severity,
        "asset_names": {a.id: a.name for a in store.list_assets()},
        "offset": offset,
        "limit": PER_PAGE,
        "total": total,
    }
    return render(request, "alerts.html.j2", context)


def subject_link(alert: Alert) -> str | None:
    """Where the alert's subject is shown: the event, the forecast, the risk levels."""
    if alert.kind == "event":
        return f"/events/{alert.subject_id}"
    if alert.kind == "forecast":
        return f"/forecasts#forecast-{alert.subject_id}"
    if alert.kind == "risk":
        return "/risk"
    return None


@router.get("/alerts/{alert_id}", include_in_schema=False)
def alert_page(request: Request, alert_id: str, user: Viewer, store: StoreDep) -> Response:
    alert = store.get_alert(alert_id)
    if alert is None:
        raise HTTPException(404, f"{alert_id}: no such alert")
    context = {
        "alert": alert,
        "rule": store.get_rule(alert.rule_id),
        "asset": store.get_asset(alert.asset_id) if alert.asset_id else None,
        "subject_link": subject_link(alert),
        "quotes": [{"quote": q, "url": safe_url(q.url)} for q in alert.quotes],
    }
    return render(request, "alert.html.j2", context)


# -------------------------------------------------------------------- unsubscribe
#
# No sign-in and no CSRF token on purpose. The digest's footer link and its
# List-Unsubscribe header carry ``base_url/unsubscribe?token=...``
# (``tocsin.report.digest.messages.unsubscribe_url``); a mail client's one-click unsubscribe
# (RFC 8058, header List-Unsubscribe-Post) POSTs "List-Unsubscribe=One-Click" to that very
# URL with no cookie and no form token. The token (random, from ``secrets``, one per
# subscriber) in the URL is the authority: whoever holds the link may stop the mail sent
# to that one address, and nothing else. A forged POST could only unsubscribe the owner
# of a token the forger already has. GET changes nothing (mail scanners and link previews
# fetch links): it shows the address and a button that POSTs.


def _speak_as(request: Request, subscriber: Subscriber) -> None:
    """The page in the digest's language, unless the person chose one here."""
    chosen = "lang" in request.query_params or LANG_COOKIE in request.cookies
    if not chosen and subscriber.lang in LANGUAGES:
        request.state.lang = subscriber.lang


def _unsubscribe_page(
    request: Request, *, state: str, token: str = "", email: str = "", active: bool = True
) -> Response:
    context = {"state": state, "token": token, "email": email, "active": active}
    return render(
        request, "unsubscribe.html.j2", context, status=404 if state == "unknown" else 200
    )


@router.get("/unsubscribe", include_in_schema=False)
def unsubscribe_page(
    request: Request, store: StoreDep, token: str = Query("", max_length=200)
) -> Response:
    subscriber = store.get_subscriber_by_token(token) if token else None
    if subscriber is None:
        return _unsubscribe_page(request, state="unknown")
    _speak_as(request, subscriber)
    return _unsubscribe_page(
        request, state="confirm", token=token, email=subscriber.email, active=subscriber.active
    )


@router.post("/unsubscribe", include_in_schema=False)
def unsubscribe(
    request: Request, store: StoreDep, token: str = Query("", max_length=200)
) -> Response:
    subscriber = store.get_subscriber_by_token(token) if token else None
    if subscriber is None or not store.unsubscribe(token):
        return _unsubscribe_page(request, state="unknown")
    _speak_as(request, subscriber)
    return _unsubscribe_page(request, state="done", email=subscriber.email)
