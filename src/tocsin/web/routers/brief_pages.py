"""Briefs: ``/briefs`` lists those saved and, for an analyst, writes a new one (area,
period, last day, language) with ``tocsin.app.briefs.build_brief``, saves it and
shows it; ``/briefs/{id}`` reads one (every sentence with links to its notes, every note
with a link to the document it quotes); ``/briefs/{id}.pdf`` and ``.md`` download it.

The page lays the brief out with ``brief_render.lay_out``, the same numbered notes as
the PDF and the Markdown, in this app's own template (the stand-alone HTML of
``render_brief`` carries inline styles, which this app's CSP forbids).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from tocsin.app.briefs import build_brief, period_days
from tocsin.config import Settings
from tocsin.errors import InputError
from tocsin.geo.areas import Area, resolve_area
from tocsin.geo.gazetteer import Gazetteer
from tocsin.models import BRIEF_LANGUAGES, Brief, role_allows
from tocsin.report.brief.render import lay_out, render_brief, safe_url
from tocsin.store import Store
from tocsin.text.fold import slug
from tocsin.web.deps import AnalystWrite, SettingsDep, StoreDep, Viewer
from tocsin.web.templating import render

router = APIRouter()
PERIODS: tuple[str, ...] = ("7d", "30d")
PER_PAGE = 50
MEDIA_TYPES = {"md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}


@dataclass(frozen=True, slots=True)
class BriefRequest:
    """What a brief is asked for, as typed in the form or sent to the API."""

    area: str
    period: str = "7d"
    until: str | None = None
    lang: str = "en"


def _area(text: str) -> Area:
    """The area named, with a gazetteer opened and closed here (a long-running server
    must not keep one open per request)."""
    gazetteer = Gazetteer.load()
    try:
        return resolve_area(text, gazetteer=gazetteer)
    finally:
        gazetteer.close()


def generate_brief(
    store: Store, settings: Settings, asked: BriefRequest, *, now: datetime | None = None
) -> Brief:
    """Write and save the brief asked for; ``InputError`` (one line, naming the field)
    when the area, the period, the day or the language cannot be used."""
    days = period_days(asked.period, where="period")
    try:
        until = date.fromisoformat(asked.until.strip()) if asked.until else None
    except ValueError:
        raise InputError(f"until {asked.until}", "not a date", "write it as YYYY-MM-DD") from None
    if asked.lang not in BRIEF_LANGUAGES:
        raise InputError(
            f"lang {asked.lang}", "not a brief language", f"use {' or '.join(BRIEF_LANGUAGES)}"
        )
    area = _area(asked.area)
    moment = now or datetime.now(UTC)
    brief = build_brief(
        store,
        area=area,
        period_end=until or moment.date(),
        period_days=days,
        lang=asked.lang,
        settings=settings,
        now=moment,
    )
    store.save_brief(brief, render_brief(brief, "md").decode("utf-8"), now=moment)
    return brief


def _briefs_page(
    request: Request,
    store: Store,
    *,
    can_edit: bool,
    offset: int = 0,
    form: BriefRequest | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    found = store.list_briefs()
    asked = form or BriefRequest(
        area="", until=datetime.now(UTC).date().isoformat(), lang=request.state.lang
    )
    context = {
        "briefs": found[offset : offset + PER_PAGE],
        "can_edit": can_edit,
        "periods": PERIODS,
        "brief_languages": BRIEF_LANGUAGES,
        "form": asked,
        "error": error,
        "offset": offset,
        "limit": PER_PAGE,
        "total": len(found),
    }
    return render(request, "briefs.html.j2", context, status=status)


@router.get("/briefs", include_in_schema=False)
def briefs_page(
    request: Request, user: Viewer, store: StoreDep, offset: int = Query(0, ge=0)
) -> Response:
    return _briefs_page(request, store, can_edit=role_allows(user.role, "analyst"), offset=offset)


@router.post("/briefs", include_in_schema=False)
def write_brief_form(
    request: Request,
    user: AnalystWrite,
    store: StoreDep,
    settings: SettingsDep,
    area: str = Form("", max_length=200),
    period: str = Form("7d", max_length=10),
    until: str = Form("", max_length=20),
    lang: str = Form("en", max_length=5),
) -> Response:
    """Write a brief (a few seconds), save it, and show it."""
    asked = BriefRequest(area=area, period=period, until=until or None, lang=lang)
    if period not in PERIODS:
        error = f"period {period}: choose {' or '.join(PERIODS)}"
        return _briefs_page(request, store, can_edit=True, form=asked, error=error, status=400)
    try:
        brief = generate_brief(store, settings, asked)
    except InputError as exc:
        return _briefs_page(request, store, can_edit=True, form=asked, error=str(exc), status=400)
    return RedirectResponse(f"/briefs/{brief.id}", status_code=303)


def saved_brief(store: Store, brief_id: str) -> tuple[Brief, str]:
    found = store.get_brief(brief_id)
    if found is None:
        raise HTTPException(404, f"{brief_id}: no such brief")
    return found


def download_name(brief: Brief, fmt: str) -> str:
    """``brief-<area>-<last day>.<lang>.<fmt>``, as ``tocsin brief`` names its PDF."""
    return f"brief-{slug(brief.area) or 'area'}-{brief.period_end.isoformat()}.{brief.lang}.{fmt}"


def _download(brief: Brief, data: bytes, fmt: str) -> Response:
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{download_name(brief, fmt)}"'},
    )


# The downloads come before /briefs/{brief_id}, which would otherwise take "x.pdf" as an id.
@router.get("/briefs/{brief_id}.pdf", include_in_schema=False)
def brief_pdf(brief_id: str, user: Viewer, store: StoreDep) -> Response:
    brief, _markdown = saved_brief(store, brief_id)
    return _download(brief, render_brief(brief, "pdf"), "pdf")


@router.get("/briefs/{brief_id}.md", include_in_schema=False)
def brief_markdown(brief_id: str, user: Viewer, store: StoreDep) -> Response:
    brief, markdown = saved_brief(store, brief_id)
    return _download(brief, markdown.encode("utf-8"), "md")


@router.get("/briefs/{brief_id}", include_in_schema=False)
def brief_page(request: Request, brief_id: str, user: Viewer, store: StoreDep) -> Response:
    brief, _markdown = saved_brief(store, brief_id)
    layout = lay_out(brief)
    notes = [
        {
            "number": n.number,
            "text": n.text,
            "citation": n.citation,
            "url": safe_url(n.citation.url),
        }
        for n in layout.notes
    ]
    context = {
        "brief": brief,
        "layout": layout,
        "notes": notes,
        "notes_by_number": {n["number"]: n for n in notes},
    }
    return render(request, "brief.html.j2", context)
