"""The event filters of the query string: one set for every page and API call that
selects events (the event table, its downloads and ``/api/v1/events``; the map, the
timeline and their JSON).

``country`` (ISO code or English/French name), ``admin1``, ``type`` (event type or
sub-type), ``actor`` (id or part of a name), ``since``/``until`` (YYYY-MM-DD, inclusive;
an empty form field is no bound), ``status`` and ``layer`` (``tocsin``, or ``acled`` for
an imported reference export). :class:`EventFilterParams` reads them (a FastAPI
dependency); a value that cannot be used is a :class:`FilterError`: 400 with its one-line
message (the API answers ``{"error": message}``, a page shows it). A value longer than
its query parameter allows is refused by FastAPI before (422), like every parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query

from tocsin.errors import InputError
from tocsin.geo.countries import country_code
from tocsin.models import EVENT_STATUSES, LAYER_TOCSIN, LAYERS, EventFilter

DEFAULT_WINDOW_DAYS = 365  # the map and the timeline without dates: the year to the newest


class FilterError(HTTPException):
    """A filter value that cannot be used: 400, the message names it and says what to
    give (``detail``)."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


def parse_date(name: str, value: str | None) -> date | None:
    """A date from a form field: empty is None, anything else must be YYYY-MM-DD."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(f"{name} {text[:40]!r}: not a date; write YYYY-MM-DD") from None


def parse_country(value: str | None) -> str | None:
    """An ISO alpha-2 code from a code or an English or French name."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return country_code(text)
    except InputError:
        raise FilterError(
            f"country {text[:60]!r}: not a country code or name known to ISO 3166; "
            "give a code (ML) or a name in English or French (Mali, Tchad)"
        ) from None


def _text(value: str | None, limit: int = 200) -> str | None:
    text = " ".join((value or "").split())[:limit]
    return text or None


@dataclass(frozen=True, slots=True)
class EventQuery:
    """The event filters of a page or an API call, as given (dates parsed, country as
    an ISO code), and the window actually applied: without dates, the
    DEFAULT_WINDOW_DAYS up to the newest event (``defaulted``)."""

    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    actor: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    defaulted: bool = False

    def event_filter(self, *, layer: str = LAYER_TOCSIN) -> EventFilter:
        """The store's filter for these values, in ``layer``."""
        return EventFilter(
            layer=layer,
            country=self.country,
            admin1=self.admin1,
            since=self.since,
            until=self.until,
            event_type=self.event_type,
            actor=self.actor,
            status=self.status,
        )

    def params(self) -> dict[str, str]:
        """The query string that asks for the same events (the window included only
        when it was chosen, so that the API applies the same default)."""
        values: dict[str, Any] = {
            "country": self.country,
            "admin1": self.admin1,
            "type": self.event_type,
            "actor": self.actor,
            "status": self.status,
        }
        if not self.defaulted:
            values["since"] = self.since
            values["until"] = self.until
        return {k: str(v) for k, v in values.items() if v}


def event_query(
    *,
    country: str | None = None,
    admin1: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    status: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> EventQuery:
    """Filters from the query string (empty fields are absent); a :class:`FilterError`
    (400) for a value that cannot be used."""
    start, end = parse_date("since", since), parse_date("until", until)
    if start and end and start > end:
        raise FilterError(f"since {start} is after until {end}; swap them")
    state = _text(status, 20)
    state = state.lower() if state else None
    if state is not None and state not in EVENT_STATUSES:
        raise FilterError(f"status {state!r}: not one of {', '.join(EVENT_STATUSES)}")
    return EventQuery(
        country=parse_country(country),
        admin1=_text(admin1),
        event_type=_text(event_type, 100),
        actor=_text(actor),
        status=state,
        since=start,
        until=end,
    )


def with_default_window(query: EventQuery, latest: date | None) -> EventQuery:
    """``query`` with the default window when it names no dates: the DEFAULT_WINDOW_DAYS
    that end on the newest event (``latest``); unchanged when there are no events."""
    if query.since or query.until or latest is None:
        return query
    start = latest - timedelta(days=DEFAULT_WINDOW_DAYS - 1)
    return replace(query, since=start, until=latest, defaulted=True)


class EventFilterParams:
    """The event filters of the query string (a FastAPI dependency). Values are kept as
    given (``values``, to fill a form again) and read on demand: :meth:`query` and
    :meth:`event_filter` raise :class:`FilterError` for a value they cannot use."""

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
            str,
            Query(
                max_length=20, description="tocsin (Tocsin's events) or acled (an imported export)."
            ),
        ] = LAYER_TOCSIN,
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
        self.layer = layer.strip().lower() or LAYER_TOCSIN

    def query(self) -> EventQuery:
        """The filters, parsed (see :func:`event_query`); ``layer`` must be one of
        ``tocsin.models.LAYERS``."""
        if self.layer not in LAYERS:
            raise FilterError(f"layer {self.layer[:20]!r}: not one of {', '.join(LAYERS)}")
        v = self.values
        return event_query(
            country=v["country"],
            admin1=v["admin1"],
            event_type=v["type"],
            actor=v["actor"],
            status=v["status"],
            since=v["since"],
            until=v["until"],
        )

    def event_filter(self) -> EventFilter:
        """The store's filter, in the chosen layer."""
        return self.query().event_filter(layer=self.layer)

    def given(self) -> dict[str, str]:
        """The filters given, as query parameters (for links that keep them)."""
        found = {k: v for k, v in self.values.items() if v}
        if self.layer != LAYER_TOCSIN:
            found["layer"] = self.layer
        return found


Filters = Annotated[EventFilterParams, Depends()]
