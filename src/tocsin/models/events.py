"""Events merged from event reports (ACLED-coded), the reports they come from, and what
an event list selects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tocsin.models.annotations import EventReport, disorder_type
from tocsin.models.documents import Kind

LAYER_TOCSIN = "tocsin"  # Tocsin's own events, merged from its reports
LAYER_ACLED = "acled"  # events imported from an ACLED export: the reference layer
LAYERS: tuple[str, ...] = (LAYER_TOCSIN, LAYER_ACLED)
# How well an event is sourced, weakest first (see ``Event``).
EVENT_STATUSES: tuple[str, ...] = ("reported", "corroborated", "confirmed")


@dataclass(frozen=True, slots=True)
class SourcedReport:
    """An event report with what merging needs to know about where it comes from.

    ``id`` is stable: the document, the part and the clause's start. ``copy_of`` is the
    document this one copies; ``reliability`` the source's Admiralty letter; ``quote``
    the clause's text.
    """

    id: str
    report: EventReport
    source_id: str
    kind: Kind = Kind.NEWS
    reliability: str = "F"
    copy_of: str | None = None
    published: datetime | None = None
    quote: str = ""

    @property
    def document_id(self) -> str:
        return self.report.span.document_id


@dataclass(frozen=True, slots=True)
class Event:
    """Reports of one event merged across documents, coded the ACLED way.

    The coded fields are those of the best report (see ``assess/merge.py``);
    ``fatalities`` is the best figure over the reports, ``fatalities_low`` and
    ``fatalities_high`` the lowest and highest reported. ``status``: "reported" (one
    independent source), "corroborated" (two), "confirmed" (an official or highly graded
    source, or three). ``id`` stays the same when reports join or the event is
    re-merged. ``layer`` is "tocsin" for Tocsin's own events and "acled" for events
    imported from an ACLED export, kept apart as a reference layer.
    """

    id: str
    event_type: str
    sub_event_type: str
    event_date: date | None
    time_precision: int | None
    actor1: str | None = None
    actor1_name: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    actor2_name: str | None = None
    inter2: int | None = None
    assoc_actor_1: tuple[str, ...] = ()
    assoc_actor_2: tuple[str, ...] = ()
    location: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    tags: tuple[str, ...] = ()
    status: str = "reported"
    independent: int = 1
    reports: tuple[SourcedReport, ...] = ()
    notes: str = ""
    layer: str = LAYER_TOCSIN
    source: str = ""  # the sources, as ACLED's "source" column ("Le Sahélien; RFI")

    @property
    def disorder_type(self) -> str:
        return disorder_type(self.event_type, self.sub_event_type)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What ``events list``, ``export`` and the event table select. Empty fields select
    everything.

    ``country`` is an ISO 3166-1 alpha-2 code or a country name; ``event_type`` matches
    an event type or a sub-event type; ``actor`` an actor id or a part of an actor's
    name (actor1, actor2 or associated); dates bound ``event_date`` (inclusive).
    ``limit`` and ``offset`` page through the matches in their order (newest first).
    """

    country: str | None = None
    admin1: str | None = None
    since: date | None = None
    until: date | None = None
    event_type: str | None = None
    actor: str | None = None
    status: str | None = None
    layer: str = LAYER_TOCSIN
    limit: int | None = None
    offset: int = 0
