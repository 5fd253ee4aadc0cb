"""The events API: ``/api/v1/events`` (the filtered, paginated list) and
``/api/v1/events/{id}`` (one event with its reports, their quotes and sources).

The filters are those of the event table (``/events``) and of ``tocsin events list``:
``country`` (ISO code or English/French name), ``admin1``, ``type`` (event type or
sub-type), ``actor`` (id or part of a name), ``since``/``until`` (YYYY-MM-DD, inclusive),
``status`` and ``layer`` (``tocsin``, or ``acled`` for an imported reference export).
:class:`EventFilterParams` reads them for both.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from tocsin.errors import InputError
from tocsin.models import Event, EventFilter
from tocsin.report.exports import event_to_plain
from tocsin.store import Store
from tocsin.store.event_queries import country_code
from tocsin.web.api import PageParams, page
from tocsin.web.deps import StoreDep, Viewer
from tocsin.web.event_cache import cached

router = APIRouter(prefix="/api/v1", tags=["events"])

STATUSES: tuple[str, ...] = ("reported", "corroborated", "confirmed")
LAYERS: tuple[str, ...] = ("tocsin", "acled")
FILTER_NAMES: tuple[str, ...] = ("country", "admin1", "type", "actor", "since", "until", "status")


class FilterError(ValueError):
    """A filter value that cannot be used; the message names it and says what to give."""


def _day(name: str, value: str | None) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FilterError(f"{name}: {value[:40]!r} is not a date; give YYYY-MM-DD") from None


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


class EventFilterParams:
    """The event filters of the query string (a FastAPI dependency). Dates are read
    here rather than by FastAPI so that an empty form field means "no bound"."""

    def __init__(
        self,
        country: Annotated[
            str | None,
            Query(max_length=100, description="ISO 3166-1 alpha-2 code or country name."),
        ] = None,
        admin1: Annotated[
            str | None, Query(max_length=200, description="First-level region (any case).")
        ] = None,
        type: Annotated[
            str | None, Query(max_length=100, description="ACLED event type or sub-type.")
        ] = None,
        actor: Annotated[
            str | None, Query(max_length=200, description="Actor id, or part of a name.")
        ] = None,
        since: Annotated[
            str | None, Query(max_length=20, description="Events on or after (YYYY-MM-DD).")
        ] = None,
        until: Annotated[
            str | None, Query(max_length=20, description="Events on or before (YYYY-MM-DD).")
        ] = None,
        status: Annotated[
            str | None,
            Query(max_length=20, description="reported, corroborated or confirmed."),
        ] = None,
        layer: Annotated[
            Literal["tocsin", "acled"],
            Query(description="tocsin (Tocsin's events) or acled (an imported export)."),
        ] = "tocsin",
    ) -> None:
        self.values = {
            "country": (country or "").strip(),
            "admin1": (admin1 or "").strip(),
            "type": (type or "").strip(),
            "actor": (actor or "").strip(),
            "since": (since or "").strip(),
            "until": (until or "").strip(),
            "status": (status or "").strip(),
        }
        self.layer = layer

    def event_filter(self) -> EventFilter:
        """The store's filter; raises :class:`FilterError` for a value it cannot use."""
        v = self.values
        status = _text(v["status"])
        if status is not None and status.lower() not in STATUSES:
            raise FilterError(f"status: {status[:40]!r} is not one of {', '.join(STATUSES)}")
        country = _text(v["country"])
        if country is not None:
            try:
                country = country_code(country)
            except InputError:
                raise FilterError(
                    f"country: {country[:40]!r} is not a country code or name known to "
                    "ISO 3166; give an ISO code (ML) or a name in English or French"
                ) from None
        since, until = _day("since", v["since"]), _day("until", v["until"])
        return EventFilter(
            country=country,
            admin1=_text(v["admin1"]),
            since=since,
            until=until,
            event_type=_text(v["type"]),
            actor=_text(v["actor"]),
            status=status.lower() if status else None,
            layer=self.layer,
        )

    def query(self) -> dict[str, str]:
        """The filters given, as query parameters (for links that keep them)."""
        found = {k: v for k, v in self.values.items() if v}
        if self.layer != "tocsin":
            found["layer"] = self.layer
        return found


Filters = Annotated[EventFilterParams, Depends()]


def bare_plain(event: Event, reports: int) -> dict[str, Any]:
    """An event of a list, as JSON: its fields without the reports, and their number."""
    plain = event_to_plain(event)
    del plain["reports"]
    plain["report_count"] = reports
    return plain


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
    try:
        flt = filters.event_filter()
    except FilterError as exc:
        raise HTTPException(400, str(exc)) from None
    found = store.list_bare_events(replace(flt, limit=params.limit, offset=params.offset))
    counts = store.report_counts([e.id for e in found], layer=flt.layer)
    items = [bare_plain(e, counts.get(e.id, 0)) for e in found]
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
