"""JSON API of the organisation's side: alerts, alert rules (listed, added, removed) and
briefs (listed, read, written). Assets are served by ``api_map``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tocsin.errors import TocsinError
from tocsin.models import ALERT_KINDS, Brief
from tocsin.report.records import alert_plain, brief_summary_plain, rule_plain
from tocsin.store import Store
from tocsin.store.brief_queries import brief_to_plain
from tocsin.web.api import PageParams, page
from tocsin.web.deps import AnalystWrite, SettingsDep, StoreDep, Viewer
from tocsin.web.routers.act_pages import add_rule
from tocsin.web.routers.brief_pages import BriefRequest, generate_brief, saved_brief

router = APIRouter(prefix="/api/v1")
Pages = Annotated[PageParams, Depends()]


# ------------------------------------------------------------------------- alerts


@router.get("/alerts", summary="Alerts, the most recently updated first", tags=["alerts"])
def api_alerts(
    request: Request,
    user: Viewer,
    store: StoreDep,
    pages: Pages,
    kind: Annotated[
        Literal["event", "risk", "forecast"] | None, Query(description="Alert kind.")
    ] = None,
    min_severity: Annotated[
        int | None, Query(ge=1, le=5, description="Severity at least this (1-5).")
    ] = None,
    asset: Annotated[str | None, Query(max_length=100, description="Asset id.")] = None,
    rule: Annotated[str | None, Query(max_length=100, description="Rule id.")] = None,
) -> dict[str, Any]:
    """What the rules matched: events near an asset or in an area, risk levels that rose,
    forecasts likely enough; each with its quotes and their sources' grades."""
    shown = store.list_alerts(
        kind=kind, min_severity=min_severity, asset_id=asset, rule_id=rule,
        limit=pages.limit, offset=pages.offset,
    )  # fmt: skip
    total = store.count_alerts(kind=kind, min_severity=min_severity, asset_id=asset, rule_id=rule)
    return page(request, [alert_plain(a) for a in shown], params=pages, total=total)


@router.get("/alerts/{alert_id}", summary="One alert", tags=["alerts"])
def api_alert(alert_id: str, user: Viewer, store: StoreDep) -> dict[str, Any]:
    alert = store.get_alert(alert_id)
    if alert is None:
        raise HTTPException(404, f"{alert_id}: no such alert")
    return alert_plain(alert)


# -------------------------------------------------------------------------- rules


@router.get("/rules", summary="Alert rules", tags=["alerts"])
def api_rules(request: Request, user: Viewer, store: StoreDep, pages: Pages) -> dict[str, Any]:
    """Every rule, by id: scope (an asset, an area or every asset), kinds, categories,
    thresholds, channels and language."""
    rules = store.list_rules()
    shown = rules[pages.offset : pages.offset + pages.limit]
    return page(request, [rule_plain(r) for r in shown], params=pages, total=len(rules))


class RuleIn(BaseModel):
    """An alert rule, as ``tocsin rules add`` takes it."""

    name: str = Field(min_length=1, max_length=200)
    id: str | None = Field(None, max_length=100, description="Default: from the name.")
    asset_id: str | None = Field(None, max_length=100, description="Only this asset.")
    area: str | None = Field(
        None, max_length=200, description="An area instead: ML, Mali, Kayes, Bamako."
    )
    kinds: list[str] = Field(default_factory=lambda: list(ALERT_KINDS), max_length=10)
    categories: list[str] = Field(default_factory=list, max_length=10)
    min_severity: int = 1
    min_level: int = 3
    min_probability: float = 0.7
    distance_km: float = 50.0
    channels: list[str] = Field(
        default_factory=list, max_length=50, description="email:ADDRESS or webhook:URL."
    )
    lang: str = "en"


@router.post("/rules", summary="Add or replace an alert rule", status_code=201, tags=["alerts"])
def api_add_rule(body: RuleIn, user: AnalystWrite, store: StoreDep) -> dict[str, Any]:
    """Needs the analyst role. A rule with the same id is replaced."""
    values = body.model_dump()
    values["rule_id"] = values.pop("id")
    try:
        rule = add_rule(store, values)
    except TocsinError as exc:
        raise HTTPException(422, str(exc)) from exc
    saved = store.get_rule(rule.id)
    return rule_plain(saved or rule)


def _remove_rule(rule_id: str, store: Store) -> Response:
    if not store.remove_rule(rule_id):
        raise HTTPException(404, f"{rule_id}: no such rule")
    return Response(status_code=204)


@router.delete("/rules/{rule_id}", summary="Remove an alert rule", status_code=204, tags=["alerts"])
def api_remove_rule(rule_id: str, user: AnalystWrite, store: StoreDep) -> Response:
    """Needs the analyst role. The rule's past alerts stay."""
    return _remove_rule(rule_id, store)


@router.post(
    "/rules/{rule_id}/delete",
    summary="Remove an alert rule (for clients without DELETE)",
    status_code=204,
    tags=["alerts"],
)
def api_remove_rule_post(rule_id: str, user: AnalystWrite, store: StoreDep) -> Response:
    """Same as ``DELETE /api/v1/rules/{rule_id}``."""
    return _remove_rule(rule_id, store)


# ------------------------------------------------------------------------- briefs


@router.get("/briefs", summary="Briefs written so far, newest period first", tags=["briefs"])
def api_briefs(
    request: Request,
    user: Viewer,
    store: StoreDep,
    pages: Pages,
    area: Annotated[
        str | None, Query(max_length=200, description="The area as the brief names it.")
    ] = None,
    lang: Annotated[Literal["en", "fr"] | None, Query(description="en or fr.")] = None,
) -> dict[str, Any]:
    found = store.list_briefs(area=area, lang=lang)
    shown = found[pages.offset : pages.offset + pages.limit]
    return page(request, [_summary(b) for b in shown], params=pages, total=len(found))


def _summary(brief: Brief) -> dict[str, Any]:
    return {
        **brief_summary_plain(brief),
        "links": {
            "html": f"/briefs/{brief.id}",
            "pdf": f"/briefs/{brief.id}.pdf",
            "md": f"/briefs/{brief.id}.md",
        },
    }


@router.get(
    "/briefs/{brief_id}", summary="One brief: sections, sentences, citations", tags=["briefs"]
)
def api_brief(brief_id: str, user: Viewer, store: StoreDep) -> dict[str, Any]:
    """The brief's sections, each sentence with the citations that support it (document,
    quote, source and its grade), and the Markdown it was rendered to."""
    brief, markdown = saved_brief(store, brief_id)
    return {**_summary(brief), "sections": brief_to_plain(brief), "markdown": markdown}


class BriefIn(BaseModel):
    """What brief to write."""

    area: str = Field(
        min_length=1, max_length=200, description="A country (ML, Mali), region or town."
    )
    period: str = Field("7d", max_length=10, description="Length: 7d, 2w, 30d, 1m.")
    until: str | None = Field(
        None, max_length=20, description="The period's last day, YYYY-MM-DD (default: today)."
    )
    lang: Literal["en", "fr"] = "en"


@router.post("/briefs", summary="Write and save a brief", status_code=201, tags=["briefs"])
def api_write_brief(
    body: BriefIn, user: AnalystWrite, store: StoreDep, settings: SettingsDep
) -> dict[str, Any]:
    """Needs the analyst role. Takes a few seconds. The same area, period and language
    replace the brief written before (same id)."""
    asked = BriefRequest(area=body.area, period=body.period, until=body.until, lang=body.lang)
    try:
        brief = generate_brief(store, settings, asked)
    except TocsinError as exc:
        raise HTTPException(422, str(exc)) from exc
    return api_brief(brief.id, user, store)
