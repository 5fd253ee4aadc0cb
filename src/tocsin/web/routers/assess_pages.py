"""The assessment pages: ``/sources`` (Admiralty letters with their reasons and track
records), ``/claims`` (claims graded 1-6 with their statements; contradicted claims side
by side), ``/forecasts`` (open, due and resolved forecasts, the Brier score per source; an
analyst records an outcome).

Sources and claims come from the review of the whole store (``tocsin.app.review``), which is
expensive: it is read through ``cached_review``, computed again only after the store
changed. The forecasts register is paged in SQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from tocsin.app.review import GradedClaim, Review, cached_review
from tocsin.assess.forecasts import scorecards
from tocsin.models import User, role_allows
from tocsin.report.brief.render import safe_url
from tocsin.store import Store
from tocsin.store.forecast_queries import FORECAST_VIEWS
from tocsin.web.deps import AnalystWrite, StoreDep, Viewer
from tocsin.web.templating import render

router = APIRouter()
PER_PAGE = 50
CLAIM_VIEWS: tuple[str, ...] = ("corroborated", "contradicted", "all")


def today() -> date:
    """The day forecasts are judged by (UTC)."""
    return datetime.now(UTC).date()


def claims_in_view(found: Review, view: str) -> list[GradedClaim]:
    """The claims a view shows: "corroborated" (made by more than one statement),
    "contradicted" (sources disagree) or "all" (single statements too)."""
    if view == "contradicted":
        return [g for g in found.claims if g.claim.contradicted]
    if view == "all":
        return list(found.claims)
    return [g for g in found.claims if len(g.claim.statements) > 1]


@router.get("/sources", include_in_schema=False)
def sources_page(
    request: Request, user: Viewer, store: StoreDep, offset: int = Query(0, ge=0)
) -> Response:
    graded = cached_review(store).sources
    shown = graded[offset : offset + PER_PAGE]
    context = {"sources": shown, "offset": offset, "limit": PER_PAGE, "total": len(graded)}
    return render(request, "sources.html.j2", context)


@router.get("/claims", include_in_schema=False)
def claims_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    view: Literal["corroborated", "contradicted", "all"] = "corroborated",
    offset: int = Query(0, ge=0),
) -> Response:
    found = cached_review(store)
    chosen = claims_in_view(found, view)
    context = {
        "claims": chosen[offset : offset + PER_PAGE],
        "sources": {g.source.id: g for g in found.sources},
        "view": view,
        "views": CLAIM_VIEWS,
        "counts": {key: len(claims_in_view(found, key)) for key in CLAIM_VIEWS},
        "offset": offset,
        "limit": PER_PAGE,
        "total": len(chosen),
    }
    return render(request, "claims.html.j2", context)


def _forecasts_page(
    request: Request,
    store: Store,
    user: User,
    *,
    view: str,
    offset: int,
    error: str = "",
    status: int = 200,
) -> Response:
    day = today()
    shown, total = store.page_forecasts(
        view=None if view == "all" else view, today=day, limit=PER_PAGE, offset=offset
    )
    counts = store.forecast_view_counts(today=day)
    everything = store.list_forecasts()
    counts["all"] = len(everything)
    cards = scorecards(everything, by=lambda f: f.source_id)
    names = store.source_names({f.source_id for f in everything})
    context = {
        "forecasts": shown,
        "today": day,
        "view": view,
        "views": ("all", *FORECAST_VIEWS),
        "counts": counts,
        "cards": cards,
        "names": names,
        "links": {f.id: safe_url(f.evidence) for f in shown},
        "can_edit": role_allows(user.role, "analyst"),
        "offset": offset,
        "limit": PER_PAGE,
        "total": total,
        "error": error,
    }
    return render(request, "forecasts.html.j2", context, status=status)


@router.get("/forecasts", include_in_schema=False)
def forecasts_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    view: Literal["all", "open", "due", "resolved"] = "all",
    offset: int = Query(0, ge=0),
) -> Response:
    return _forecasts_page(request, store, user, view=view, offset=offset)


@router.post("/forecasts/{forecast_id}/resolve", include_in_schema=False)
def resolve_forecast_form(
    request: Request,
    forecast_id: str,
    user: AnalystWrite,
    store: StoreDep,
    outcome: str = Form(""),
    evidence: str = Form("", max_length=2000),
    view: str = Form("all"),
) -> Response:
    """Record whether a forecast came true, with the evidence (a URL or a document id)."""
    back = view if view in ("all", *FORECAST_VIEWS) else "all"
    if store.get_forecast(forecast_id) is None:
        raise HTTPException(404, f"{forecast_id}: no such forecast")
    if outcome not in ("true", "false") or not evidence.strip():
        return _forecasts_page(
            request, store, user, view=back, offset=0, error="forecasts.resolve.missing", status=400
        )
    store.resolve_forecast(
        forecast_id, outcome=outcome == "true", evidence=evidence.strip(), on=today()
    )
    return RedirectResponse(f"/forecasts?view={back}#forecast-{forecast_id}", status_code=303)
