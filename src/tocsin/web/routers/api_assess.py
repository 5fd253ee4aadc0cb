"""JSON API of the assessment: graded sources, graded claims, the forecasts register
(and recording a forecast's outcome). Sources and claims come from the cached review of
the whole store (``tocsin.app.review.cached_review``); the first call after a change to the
store computes it again (seconds on a large store)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from tocsin.app.review import cached_review
from tocsin.report.records import forecast_plain, graded_claim_plain, graded_source_plain
from tocsin.web.api import PageParams, page
from tocsin.web.deps import AnalystWrite, StoreDep, Viewer
from tocsin.web.routers.assess_pages import claims_in_view, today

router = APIRouter(prefix="/api/v1", tags=["assessment"])
Pages = Annotated[PageParams, Depends()]


@router.get("/sources", summary="Sources graded A-F with their reasons and track records")
def api_sources(request: Request, user: Viewer, store: StoreDep, pages: Pages) -> dict[str, Any]:
    """Every source of an extracted document: its Admiralty reliability letter (the
    registry's, adjusted by its resolved forecasts and its corroborated or contradicted
    claims), the reasons in order, and the record behind them. Best letter first."""
    graded = cached_review(store).sources
    shown = graded[pages.offset : pages.offset + pages.limit]
    items = [graded_source_plain(g) for g in shown]
    return page(request, items, params=pages, total=len(graded))


@router.get("/claims", summary="Claims graded 1-6 with their statements")
def api_claims(
    request: Request,
    user: Viewer,
    store: StoreDep,
    pages: Pages,
    view: Annotated[
        Literal["corroborated", "contradicted", "all"],
        Query(
            description="corroborated: claims made by more than one statement (default); "
            "contradicted: claims whose sources disagree; all: single statements too."
        ),
    ] = "corroborated",
) -> dict[str, Any]:
    """Statements grouped across documents and languages into claims, each with its
    Admiralty credibility (1 confirmed … 6 cannot be judged) and the reasons; the most
    corroborated first."""
    chosen = claims_in_view(cached_review(store), view)
    shown = chosen[pages.offset : pages.offset + pages.limit]
    return page(request, [graded_claim_plain(g) for g in shown], params=pages, total=len(chosen))


@router.get("/forecasts", summary="The forecasts register")
def api_forecasts(
    request: Request,
    user: Viewer,
    store: StoreDep,
    pages: Pages,
    status: Annotated[
        Literal["open", "due", "resolved"] | None,
        Query(
            description="open: deadline to come; due: deadline passed and not resolved "
            "(state expired); resolved: true or false. Default: all."
        ),
    ] = None,
    source: Annotated[str | None, Query(max_length=200, description="Source id.")] = None,
) -> dict[str, Any]:
    """Judgments about the future with a deadline. ``state`` is open, true, false or
    expired as of today (UTC); ``probability`` the middle of the ICD 203 band
    (``low``-``high``). Open and due forecasts come soonest deadline first, resolved
    ones most recently resolved first."""
    day = today()
    shown, total = store.page_forecasts(
        view=status, today=day, source=source, limit=pages.limit, offset=pages.offset
    )
    return page(request, [forecast_plain(f, day) for f in shown], params=pages, total=total)


class Resolution(BaseModel):
    """A forecast's outcome: did it come true, and what shows it."""

    outcome: bool = Field(description="true: it happened; false: it did not.")
    evidence: str = Field(
        min_length=1, max_length=2000, description="URL or document id that settles it."
    )


@router.post("/forecasts/{forecast_id}/resolve", summary="Record whether a forecast came true")
def api_resolve_forecast(
    forecast_id: str, body: Resolution, user: AnalystWrite, store: StoreDep
) -> dict[str, Any]:
    """Needs the analyst role. Answers the forecast as it now stands; resolving again
    replaces the outcome."""
    evidence = body.evidence.strip()
    if not evidence:
        raise HTTPException(422, "evidence is empty; give the URL or document id that settles it")
    day = today()
    if not store.resolve_forecast(forecast_id, outcome=body.outcome, evidence=evidence, on=day):
        raise HTTPException(404, f"{forecast_id}: no such forecast")
    resolved = store.get_forecast(forecast_id)
    assert resolved is not None  # just written
    return forecast_plain(resolved, day)
