"""Events: stored event reports with their provenance, the merged events of a layer
(replaced whole), and the filtered reads behind ``events list``, ``show`` and ``export``."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from tocsin.geo.countries import country_code  # a filter's country may be a name
from tocsin.models import (
    EVENT_TYPES,
    LAYER_TOCSIN,
    Event,
    EventFilter,
    EventReport,
    Kind,
    SourcedReport,
    annotation_from_plain,
)
from tocsin.store.columns import chunks, object_of, row_of, utc
from tocsin.store.tables import (
    annotation_rows,
    comments,
    data_versions,
    documents,
    event_reports,
    events,
    sources,
)

# ---------------------------------------------------------------- reports


def _report_ids(rows: Sequence[tuple[str, str, int, int]]) -> list[str]:
    """Stable ids "<document>:<part>:<start>" for (document, part, start, trigger start);
    reports sharing a clause add their trigger's start, then a counter."""
    bases = [f"{doc}:{part}:{start}" for doc, part, start, _ in rows]
    shared = Counter(bases)
    ids = [b if shared[b] == 1 else f"{b}:{row[3]}" for b, row in zip(bases, rows, strict=True)]
    seen: Counter[str] = Counter()
    unique = []
    for report_id in ids:
        seen[report_id] += 1
        unique.append(report_id if seen[report_id] == 1 else f"{report_id}#{seen[report_id]}")
    return unique


def _report_query(document_ids: Sequence[str] | None) -> Any:
    ann = annotation_rows
    length = ann.c.end - ann.c.start
    query = (
        select(
            ann.c.document_id,
            ann.c.part,
            ann.c.data,
            documents.c.source_id,
            documents.c.published,
            documents.c.duplicate_of,
            sources.c.kind,
            sources.c.reliability,
            comments.c.posted,
            func.substr(documents.c.text, ann.c.start + 1, length).label("body_quote"),
            func.substr(comments.c.text, ann.c.start + 1, length).label("comment_quote"),
        )
        .join(documents, documents.c.id == ann.c.document_id)
        .join(sources, sources.c.id == documents.c.source_id)
        .outerjoin(
            comments,
            and_(comments.c.id == ann.c.part, comments.c.document_id == ann.c.document_id),
        )
        .where(ann.c.kind == "event")
        .order_by(ann.c.document_id, ann.c.id)
    )
    if document_ids is not None:
        query = query.where(ann.c.document_id.in_(document_ids))
    return query


def sourced_reports(
    conn: Connection, *, document_ids: Iterable[str] | None = None
) -> list[SourcedReport]:
    """Every stored event report (or those of ``document_ids``) with its source, its
    reliability, the document it copies, its date and its quote. A report in a reader
    comment counts as the outlet's (it never corroborates the article on its own), of
    kind comment and reliability F; its date is the comment's when known."""
    if document_ids is None:
        rows = list(conn.execute(_report_query(None)))
    else:
        wanted = sorted(set(document_ids))
        rows = [r for chunk in chunks(wanted) for r in conn.execute(_report_query(chunk))]
    reports: list[EventReport] = []
    for r in rows:
        report = annotation_from_plain(r.document_id, json.loads(r.data))
        if not isinstance(report, EventReport):
            raise TypeError(f"{r.document_id}: an event annotation holds {type(report).__name__}")
        reports.append(report)
    keys = [
        (r.document_id, r.part, report.span.start, report.trigger.start)
        for r, report in zip(rows, reports, strict=True)
    ]
    found = []
    for report_id, r, report in zip(_report_ids(keys), rows, reports, strict=True):
        in_body = r.part == "body"
        found.append(
            SourcedReport(
                id=report_id,
                report=report,
                source_id=r.source_id,
                kind=Kind(r.kind) if in_body else Kind.COMMENT,
                reliability=r.reliability if in_body else "F",
                copy_of=r.duplicate_of,
                published=utc(r.published if in_body else (r.posted or r.published)),
                quote=(r.body_quote if in_body else r.comment_quote) or "",
            )
        )
    return found


# ---------------------------------------------------------------- events


def _event_row(event: Event, layer: str) -> dict[str, object]:
    return row_of(
        event,
        events,
        layer=layer,
        assoc_actor_1=json.dumps(list(event.assoc_actor_1), ensure_ascii=False),
        assoc_actor_2=json.dumps(list(event.assoc_actor_2), ensure_ascii=False),
        tags=json.dumps(list(event.tags), ensure_ascii=False),
    )


def _event(row: Any, reports: tuple[SourcedReport, ...]) -> Event:
    return object_of(
        Event,
        row,
        assoc_actor_1=tuple(json.loads(row.assoc_actor_1)),
        assoc_actor_2=tuple(json.loads(row.assoc_actor_2)),
        tags=tuple(json.loads(row.tags)),
        reports=reports,
    )


def save_events(conn: Connection, items: Iterable[Event], *, layer: str) -> int:
    """Replace the events of ``layer`` and their report links; the caller's transaction
    makes it all or nothing. Returns how many events were written."""
    rows: list[dict[str, object]] = []
    links: list[dict[str, object]] = []
    ids: set[str] = set()
    for event in items:
        if event.layer != layer:
            raise ValueError(f"event {event.id} is in layer {event.layer!r}, not {layer!r}")
        if event.id in ids:
            raise ValueError(f"event {event.id} given twice")
        ids.add(event.id)
        rows.append(_event_row(event, layer))
        for position, sourced in enumerate(event.reports):
            span = sourced.report.span
            links.append(
                {
                    "report_id": sourced.id,
                    "layer": layer,
                    "event_id": event.id,
                    "position": position,
                    "document_id": span.document_id,
                    "part": span.part,
                    "start": span.start,
                    "end": span.end,
                }
            )
    twice = [k for k, n in Counter(str(link["report_id"]) for link in links).items() if n > 1]
    if twice:
        raise ValueError(f"report {twice[0]} belongs to more than one event")
    conn.execute(delete(event_reports).where(event_reports.c.layer == layer))
    conn.execute(delete(events).where(events.c.layer == layer))
    if rows:
        conn.execute(insert(events), rows)
    if links:
        conn.execute(insert(event_reports), links)
    bump_version(conn, f"events:{layer}")
    return len(rows)


def bump_version(conn: Connection, name: str) -> None:
    """Count one more rewrite of ``name`` (in the caller's transaction)."""
    done = conn.execute(
        update(data_versions)
        .where(data_versions.c.name == name)
        .values(version=data_versions.c.version + 1)
    )
    if not done.rowcount:
        conn.execute(insert(data_versions).values(name=name, version=1))


def data_version(conn: Connection, name: str) -> int:
    """How many times ``name`` was rewritten (0: never)."""
    found = conn.execute(
        select(data_versions.c.version).where(data_versions.c.name == name)
    ).scalar()
    return int(found or 0)


def event_assignments(conn: Connection, *, layer: str) -> dict[str, str]:
    """Report id -> event id, for the reports linked to events of ``layer``."""
    query = select(event_reports.c.report_id, event_reports.c.event_id).where(
        event_reports.c.layer == layer
    )
    return {report_id: event_id for report_id, event_id in conn.execute(query)}


def event_statuses(conn: Connection, *, layer: str) -> dict[str, str]:
    """Event id -> status, for every event of ``layer``."""
    query = select(events.c.id, events.c.status).where(events.c.layer == layer)
    return {event_id: status for event_id, status in conn.execute(query)}


def count_events(conn: Connection, *, layer: str) -> int:
    query = select(func.count()).select_from(events).where(events.c.layer == layer)
    return int(conn.execute(query).scalar_one())


def _links(conn: Connection, layer: str, event_ids: Sequence[str]) -> list[Any]:
    """The report links of these events: event id, position, report id, document id."""
    found: list[Any] = []
    for chunk in chunks(event_ids):
        query = select(
            event_reports.c.event_id,
            event_reports.c.position,
            event_reports.c.report_id,
            event_reports.c.document_id,
        ).where(event_reports.c.layer == layer, event_reports.c.event_id.in_(chunk))
        found.extend(conn.execute(query))
    return found


def _with_reports(conn: Connection, rows: Sequence[Any]) -> list[Event]:
    """Events of ``rows`` with their reports, read for these events only. A link whose
    report is gone (re-extracted since the last merge) is left out until the next merge."""
    by_layer: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_layer[row.layer].append(row.id)
    linked: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    documents_needed: set[str] = set()
    for layer, ids in by_layer.items():
        for link in _links(conn, layer, ids):
            linked[(layer, link.event_id)].append((link.position, link.report_id))
            documents_needed.add(link.document_id)
    found = {s.id: s for s in sourced_reports(conn, document_ids=documents_needed)}
    result = []
    for row in rows:
        ordered = sorted(linked.get((row.layer, row.id), []))
        result.append(_event(row, tuple(found[rid] for _, rid in ordered if rid in found)))
    return result


_TYPE_NAMES = frozenset(t.lower() for t in EVENT_TYPES)
_SUB_TYPE_NAMES = frozenset(s.lower() for subs in EVENT_TYPES.values() for s in subs) - _TYPE_NAMES


def event_conditions(flt: EventFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of ``flt`` (its limit and offset aside), shared by every event
    query (lists, counts, the map, the timeline). An unknown country raises
    ``InputError``."""
    where: list[ColumnElement[bool]] = [events.c.layer == flt.layer]
    if flt.country:
        where.append(events.c.country == country_code(flt.country))
    if flt.admin1:
        where.append(func.lower(events.c.admin1) == flt.admin1.strip().lower())
    if flt.since:
        where.append(events.c.event_date >= flt.since)
    if flt.until:
        where.append(events.c.event_date <= flt.until)
    if flt.event_type:
        kind = flt.event_type.strip().lower()
        by_type = func.lower(events.c.event_type) == kind
        by_sub_type = func.lower(events.c.sub_event_type) == kind
        # One side when the taxonomy says which (each has an index; an OR of the two
        # may be planned as a scan of the whole layer), both for a name it lacks.
        if kind in _TYPE_NAMES:
            where.append(by_type)
        elif kind in _SUB_TYPE_NAMES:
            where.append(by_sub_type)
        else:
            where.append(or_(by_type, by_sub_type))
    if flt.actor:
        actor = flt.actor.strip()
        needle = actor.lower()
        where.append(
            or_(
                events.c.actor1 == actor,
                events.c.actor2 == actor,
                func.lower(events.c.actor1_name).contains(needle, autoescape=True),
                func.lower(events.c.actor2_name).contains(needle, autoescape=True),
                func.lower(events.c.assoc_actor_1).contains(needle, autoescape=True),
                func.lower(events.c.assoc_actor_2).contains(needle, autoescape=True),
            )
        )
    if flt.status:
        where.append(events.c.status == flt.status)
    return where


def _matching(flt: EventFilter) -> Any:
    """The rows of ``flt``, newest first (undated last), paged by its limit and offset."""
    query = (
        select(events)
        .where(*event_conditions(flt))
        .order_by(events.c.event_date.desc().nulls_last(), events.c.id)
    )
    if flt.limit is not None:
        query = query.limit(flt.limit)
    if flt.offset:
        query = query.offset(flt.offset)
    return query


def list_events(conn: Connection, flt: EventFilter) -> list[Event]:
    """Events of ``flt.layer`` that match every field of ``flt``, newest first (undated
    last), with their reports."""
    return _with_reports(conn, list(conn.execute(_matching(flt))))


def list_bare_events(conn: Connection, flt: EventFilter) -> list[Event]:
    """As :func:`list_events`, without reading the reports (``reports`` is empty): one
    query, for tables and pages of the API."""
    return [_event(row, ()) for row in conn.execute(_matching(flt))]


def count_matching(conn: Connection, flt: EventFilter) -> int:
    """How many events match ``flt`` (its limit and offset aside)."""
    query = select(func.count()).select_from(events).where(*event_conditions(flt))
    return int(conn.execute(query).scalar_one())


def report_counts(conn: Connection, event_ids: Sequence[str], *, layer: str) -> dict[str, int]:
    """Event id -> how many reports are linked to it (events without any are left out)."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(set(event_ids))):
        query = (
            select(event_reports.c.event_id, func.count())
            .where(event_reports.c.layer == layer, event_reports.c.event_id.in_(chunk))
            .group_by(event_reports.c.event_id)
        )
        found.update({event_id: int(n) for event_id, n in conn.execute(query)})
    return found


def get_event(conn: Connection, event_id: str) -> Event | None:
    """The event with this id in any layer (Tocsin's own first)."""
    rows = list(conn.execute(select(events).where(events.c.id == event_id)))
    rows.sort(key=lambda row: (row.layer != LAYER_TOCSIN, row.layer))
    return _with_reports(conn, rows[:1])[0] if rows else None


class EventListQueries:
    """``Store`` methods behind the event table and the events API: a page of events
    without their reports, how many events match a filter, and how many reports each
    event has. (``Store.list_events`` reads the reports too.)"""

    engine: Engine

    def events_version(self, *, layer: str = LAYER_TOCSIN) -> int:
        """A number that changes whenever the events of ``layer`` are rewritten: what
        the dashboard keys its cached maps and timelines on."""
        with self.engine.connect() as conn:
            return data_version(conn, f"events:{layer}")

    def list_bare_events(self, flt: EventFilter) -> list[Event]:
        """Events matching ``flt`` (paged by its limit and offset), newest first, with
        ``reports`` left empty. An unknown country raises ``InputError``."""
        with self.engine.connect() as conn:
            return list_bare_events(conn, flt)

    def count_matching_events(self, flt: EventFilter) -> int:
        """How many events match ``flt``, whatever its limit and offset."""
        with self.engine.connect() as conn:
            return count_matching(conn, flt)

    def report_counts(
        self, event_ids: Sequence[str], *, layer: str = LAYER_TOCSIN
    ) -> dict[str, int]:
        """Event id -> number of linked reports, for these events of ``layer``."""
        with self.engine.connect() as conn:
            return report_counts(conn, event_ids, layer=layer)
