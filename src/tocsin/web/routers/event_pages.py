"""The event table (``/events``: filters, pages, CSV and GeoJSON downloads of the
filtered set) and the event page (``/events/{id}``: what was coded, and every report
with its quote, document, source and the source's reliability letter).

Downloads hold at most :data:`DOWNLOAD_CAP` events (the newest) and say so in the
``X-Tocsin-Truncated`` header; they are written to a spooled temporary file as the
events are read, a batch at a time, and streamed from there.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response, StreamingResponse

from tocsin.assess.grading import LETTER_WORDS
from tocsin.models import (
    ATTRIBUTION_KINDS,
    EVENT_STATUSES,
    EVENT_TYPES,
    Event,
    EventFilter,
    SourcedReport,
)
from tocsin.report.exports import write_events
from tocsin.store import Store
from tocsin.store.search_queries import DocumentLabel
from tocsin.web.deps import StoreDep, Viewer
from tocsin.web.event_cache import cached
from tocsin.web.filters import FilterError, Filters
from tocsin.web.templating import render

router = APIRouter()

PAGE_SIZE = 50
# Attribution kinds with words of their own in i18n/events.toml (the author's voice has none)
HOLDER_KINDS = tuple(kind for kind in ATTRIBUTION_KINDS if kind != "author")
DOWNLOAD_CAP = 50_000
_BATCH = 2_000
_TYPE_CHOICES: tuple[str, ...] = tuple(
    dict.fromkeys([*EVENT_TYPES, *(s for subs in EVENT_TYPES.values() for s in subs)])
)


def _offset(request: Request) -> int:
    raw = request.query_params.get("offset", "0")
    return max(0, min(int(raw), 10_000_000)) if raw.isdigit() else 0


@router.get("/events", include_in_schema=False)
def events_page(request: Request, user: Viewer, store: StoreDep, filters: Filters) -> Response:
    offset = _offset(request)
    error = ""
    found: list[Event] = []
    counts: dict[str, int] = {}
    total = 0
    try:
        flt = filters.event_filter()
    except FilterError as exc:
        error = str(exc.detail)
    else:
        found = store.list_bare_events(replace(flt, limit=PAGE_SIZE, offset=offset))
        counts = store.report_counts([e.id for e in found], layer=flt.layer)
        total = cached(
            store, ("count", flt), lambda: store.count_matching_events(flt), layer=flt.layer
        )
    query = urlencode(filters.given())
    return render(
        request,
        "events.html.j2",
        {
            "events": found,
            "report_counts": counts,
            "total": total,
            "offset": offset,
            "page_size": PAGE_SIZE,
            "values": filters.values,
            "error": error,
            "type_choices": _TYPE_CHOICES,
            "statuses": EVENT_STATUSES,
            "download_query": f"?{query}" if query else "",
            "cap": DOWNLOAD_CAP,
        },
        status=400 if error else 200,
    )


def _batches(store: Store, flt: EventFilter, cap: int) -> Iterator[Event]:
    done = 0
    while done < cap:
        batch = store.list_events(replace(flt, limit=min(_BATCH, cap - done), offset=done))
        yield from batch
        done += len(batch)
        if len(batch) < _BATCH:
            return


def _download(
    store: Store, filters: Filters, *, fmt: str, media_type: str, filename: str
) -> Response:
    try:
        flt = filters.event_filter()
    except FilterError as exc:
        return Response(f"{exc.detail}\n", status_code=400, media_type="text/plain")
    total = store.count_matching_events(flt)
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - closed below
    out = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    try:
        write_events(_batches(store, flt, DOWNLOAD_CAP), out, fmt=fmt)
        out.flush()
        out.detach()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise

    def chunks() -> Iterator[bytes]:
        try:
            while block := spool.read(1 << 16):
                yield block
        finally:
            spool.close()

    return StreamingResponse(
        chunks(),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Tocsin-Total": str(total),
            "X-Tocsin-Truncated": "true" if total > DOWNLOAD_CAP else "false",
        },
    )


@router.get("/events.csv", include_in_schema=False)
def events_csv(user: Viewer, store: StoreDep, filters: Filters) -> Response:
    """The filtered events as an ACLED-style CSV (at most DOWNLOAD_CAP, newest first)."""
    return _download(
        store,
        filters,
        fmt="acled-csv",
        media_type="text/csv; charset=utf-8",
        filename="tocsin-events.csv",
    )


@router.get("/events.geojson", include_in_schema=False)
def events_geojson(user: Viewer, store: StoreDep, filters: Filters) -> Response:
    """The filtered events as a GeoJSON FeatureCollection (at most DOWNLOAD_CAP)."""
    return _download(
        store,
        filters,
        fmt="geojson",
        media_type="application/geo+json",
        filename="tocsin-events.geojson",
    )


# ---------------------------------------------------------------- one event


@dataclass(frozen=True, slots=True)
class ReportView:
    """A report as the event page shows it: the quote cut around its trigger."""

    report: SourcedReport
    before: str
    trigger: str
    after: str
    document: DocumentLabel | None
    source_name: str
    letter: str
    letter_words: str


def _quote_parts(sourced: SourcedReport) -> tuple[str, str, str]:
    """The quote as (before, trigger, after) when the trigger lies inside the clause."""
    quote = sourced.quote
    span, trigger = sourced.report.span, sourced.report.trigger
    start, end = trigger.start - span.start, trigger.end - span.start
    if trigger.part != span.part or not 0 <= start < end <= len(quote):
        return quote, "", ""
    return quote[:start], quote[start:end], quote[end:]


def report_views(store: Store, event: Event) -> list[ReportView]:
    docs = store.document_labels([r.document_id for r in event.reports])
    known = store.sources_by_id([r.source_id for r in event.reports])
    views = []
    for sourced in event.reports:
        before, trigger, after = _quote_parts(sourced)
        source = known.get(sourced.source_id)
        letter = sourced.reliability if sourced.reliability in LETTER_WORDS else "F"
        views.append(
            ReportView(
                report=sourced,
                before=before,
                trigger=trigger,
                after=after,
                document=docs.get(sourced.document_id),
                source_name=source.name if source else sourced.source_id,
                letter=letter,
                letter_words=LETTER_WORDS[letter],
            )
        )
    return views


@router.get("/events/{event_id}", include_in_schema=False)
def event_page(request: Request, event_id: str, user: Viewer, store: StoreDep) -> Response:
    event = store.get_event(event_id)
    if event is None:
        raise HTTPException(404, "no such event")
    named = [part.strip() for part in event.source.split(";") if part.strip()]
    known = store.sources_by_id(named)
    context: dict[str, Any] = {
        "event": event,
        "reports": report_views(store, event),
        "source_names": [known[n].name if n in known else n for n in named],
        "holders": HOLDER_KINDS,
    }
    return render(request, "event.html.j2", context)
