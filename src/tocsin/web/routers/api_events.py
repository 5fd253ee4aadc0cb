"""The events API: ``/api/v1/events`` (the filtered, paginated list) and
``/api/v1/events/{id}`` (one event with its reports, their quotes and sources).

The filters are those of the event table (``/events``), of the map and of ``tocsin
events list``: :class:`tocsin.web.filters.EventFilterParams` reads them for every page
and call; a value it cannot use is a 400 with its one-line ``{"error": ...}``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request

from tocsin.models import Event
from tocsin.report.records import event_to_plain
from tocsin.store import Store
from tocsin.web.api import PageParams, page
from tocsin.web.deps import StoreDep, Viewer
from tocsin.web.event_cache import cached
from tocsin.web.filters import Filters

router = APIRouter(prefix="/api/v1", tags=["events"])


def event_detail(store: Store, event: Event) -> dict[str, Any]:
    """One event as JSON with its reports, each with its source's and document's names."""
    plain = event_to_plain(event)
    docs = store.document_labels([r.document_id for r in event.reports])
    known = store.sources_by_id([r.source_id for r in event.reports])
    for item in plain["reports"]:
        label = docs.get(item["document_id"])
        source = known.get(item["source_id"])
        item["document_title"] = label.title if label else None
        item["source_name"] = source.name if source else None
    return plain


@router.get("/events", summary="Events matching the filters, newest first")
def list_events(
    request: Request,
    user: Viewer,
    store: StoreDep,
    filters: Filters,
    params: Annotated[PageParams, Depends()],
) -> dict[str, Any]:
    """Events of a layer matching every filter given (newest first, undated last), one
    page at a time. Each item has the event's fields (ACLED-coded) and ``report_count``;
    ``/api/v1/events/{id}`` gives the reports. ``total`` counts every match."""
    flt = filters.event_filter()
    found = store.list_bare_events(replace(flt, limit=params.limit, offset=params.offset))
    counts = store.report_counts([e.id for e in found], layer=flt.layer)
    items = [event_to_plain(e, report_count=counts.get(e.id, 0)) for e in found]
    total = cached(store, ("count", flt), lambda: store.count_matching_events(flt), layer=flt.layer)
    return page(request, items, params=params, total=total)


@router.get("/events/{event_id}", summary="One event with its reports")
def get_event(event_id: str, user: Viewer, store: StoreDep) -> dict[str, Any]:
    """The event (Tocsin's layer first, else a reference layer) with each report: the
    document and part it comes from, offsets, quote, source, kind, the source's
    reliability letter (A–F), publication date and reported fatalities."""
    event = store.get_event(event_id)
    if event is None:
        raise HTTPException(404, "no such event")
    return event_detail(store, event)
