"""Merging event reports into events.

:func:`merge_reports` takes the event reports of many documents and returns the events
they report, each linking its reports. Reports are processed in a fixed order
(publication time, document, report id), whatever the order given. Each report is
compared only with the events filed near it (see :class:`EventIndex`) and joins the
compatible event with the highest agreement score (see
:mod:`tocsin.assess.merge.rules`), or founds a new event. It joins only an event each
of whose first ``member_cap`` reports it is compatible with in time, place, actors and
figures (no chains of reports that are each close to the next and far from the first),
and whose type agrees with at least one of them.

Blocking keeps merging linear: an event is filed under its founding report's country,
its date bucket (per time precision), its publication-date bucket, and a spatial key
(a grid cell for a point, the admin1 for a region, the country for no place), and
under each of its documents; reports without a country look at every country's
events of their dates. A report looks only in the buckets that can hold a
compatible event, each bucket keeping its latest ``bucket_cap`` events, so the cost per
report is bounded by the density of events in space and time, not by their number.

The coded fields, figures, status and notes of an event are built by
:func:`tocsin.assess.merge.events.build_event`; ids stay stable through
:func:`tocsin.assess.merge.ids.assign_ids`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from datetime import UTC

from tocsin.assess.merge.events import build_event
from tocsin.assess.merge.ids import assign_ids, derived_id
from tocsin.assess.merge.rules import (
    Facts,
    MergeParams,
    facts_of,
    load_merge_params,
    pair_score,
    types_agree,
)
from tocsin.errors import InputError
from tocsin.models import Event, SourcedReport

__all__ = ["EventIndex", "MergeParams", "derived_id", "load_merge_params", "merge_reports"]

KM_PER_DEGREE = 111.19
Key = tuple[str | int, ...]


def merge_reports(
    reports: Sequence[SourcedReport],
    *,
    previous: Mapping[str, str] | None = None,
    params: MergeParams | None = None,
) -> list[Event]:
    """The events that ``reports`` report, in the order of their founding reports.

    ``previous`` maps report ids to the event ids of an earlier merge: an event keeps
    the id most of its reports had. ``params``: the merge parameters (default:
    ``knowledge/merge.toml``).
    """
    params = params or load_merge_params()
    facts = [facts_of(r, i, params) for i, r in enumerate(_unique(reports))]
    groups = group_reports(facts, params)
    ids = assign_ids([[f.report.id for f in group] for group in groups], previous)
    return [
        build_event(group, event_id, params) for group, event_id in zip(groups, ids, strict=True)
    ]


def _unique(reports: Sequence[SourcedReport]) -> list[SourcedReport]:
    """The reports in processing order, each id once (an id given twice with different
    contents is an error: report ids are stable keys)."""
    seen: dict[str, SourcedReport] = {}
    for report in reports:
        if (old := seen.get(report.id)) is None:
            seen[report.id] = report
        elif old != report:
            raise InputError(
                f"report {report.id}",
                "given twice with different contents",
                "report ids must be unique (document, part, clause start)",
            )
    return sorted(seen.values(), key=published_key)


def published_key(report: SourcedReport) -> tuple[float, str, str]:
    """Processing order: publication time (unknown last), document, report id."""
    published = report.published
    stamp = float("inf")
    if published is not None:
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        try:
            stamp = published.timestamp()
        except (OverflowError, OSError, ValueError):
            stamp = float("inf")
    return (stamp, report.document_id, report.id)


def group_reports(facts: Sequence[Facts], params: MergeParams) -> list[list[Facts]]:
    """Reports (in processing order) grouped into events, each group in order."""
    index = EventIndex(params)
    groups: list[list[Facts]] = []
    for f in facts:
        best: tuple[float, int] | None = None
        for candidate in sorted(index.candidates(f)):
            score = _join_score(f, groups[candidate], params)
            if score is not None and (best is None or score > best[0]):
                best = (score, candidate)
        if best is None:
            index.file(len(groups), f)
            groups.append([f])
        else:
            groups[best[1]].append(f)
            index.file_document(best[1], f.document)
    return groups


def _join_score(f: Facts, group: list[Facts], params: MergeParams) -> float | None:
    """Mean agreement with the group's first reports; None if any is incompatible, or if
    none has a type compatible with the report's."""
    members = group[: params.member_cap]
    if not any(types_agree(member, f, params) for member in members):
        return None
    total = 0.0
    for member in members:
        score = pair_score(member, f, params, any_type=True)
        if score is None:
            return None
        total += score
    return total / len(members)


class EventIndex:
    """Events filed by country, date bucket and place; see the module docstring."""

    def __init__(self, params: MergeParams) -> None:
        self.params = params
        self._buckets: dict[Key, deque[int]] = {}
        self._documents: dict[str, list[int]] = {}
        km = max(params.km.values(), default=0.0)
        self._rows = max(1, math.ceil(km / (KM_PER_DEGREE * params.cell_degrees)))
        self._columns = round(360 / params.cell_degrees)
        self._km = km
        # a date bucket per time precision spans at least that precision's window
        self._span = {p: max(params.bucket_days, w) for p, w in params.window_days.items()}

    def file(self, event: int, founder: Facts) -> None:
        """File a new event under its founding report's keys."""
        self.file_document(event, founder.document)
        for key in self._keys(founder, query=False):
            if (bucket := self._buckets.get(key)) is None:
                bucket = self._buckets[key] = deque(maxlen=self.params.bucket_cap)
            bucket.append(event)

    def file_document(self, event: int, document: str) -> None:
        events = self._documents.setdefault(document, [])
        if event not in events:
            events.append(event)

    def candidates(self, f: Facts) -> set[int]:
        """The events that may be compatible with ``f``."""
        found = set(self._documents.get(f.document, ()))
        for key in self._keys(f, query=True):
            if (bucket := self._buckets.get(key)) is not None:
                found.update(bucket)
        return found

    def _keys(self, f: Facts, *, query: bool) -> list[Key]:
        # "*": every event with a country, by time only (for reports without one);
        # "?": the events without a country
        if f.country is None:
            tags = ["*", "?"] if query else ["?"]
            return [(*t, "all") for tag in tags for t in self._times(f, tag, query=query)]
        places = self._places(f, query=query)
        keys = [(*t, *p) for t in self._times(f, f.country, query=query) for p in places]
        other = "?" if query else "*"
        return keys + [(*t, "all") for t in self._times(f, other, query=query)]

    def _times(self, f: Facts, country: str, *, query: bool) -> list[Key]:
        keys: list[Key] = []
        if f.day is not None:
            if not query:
                keys.append(("d", country, f.precision, f.day // self._span[f.precision]))
            else:
                for p, span in self._span.items():
                    w = max(self.params.window(f.precision), self.params.window(p))
                    low, high = (f.day - w) // span, (f.day + w) // span
                    keys += [("d", country, p, b) for b in range(low, high + 1)]
        if f.pub is not None:
            span, w = self.params.bucket_days, self.params.undated_days
            if not query:
                keys.append(("p", country, f.pub // span))
            else:
                low, high = (f.pub - w) // span, (f.pub + w) // span
                keys += [("p", country, b) for b in range(low, high + 1)]
        return keys

    def _places(self, f: Facts, *, query: bool) -> list[Key]:
        if f.point:
            assert f.lat is not None and f.lon is not None
            if not query:
                row, column = self._cell(f.lat, f.lon)
                return [("pt", row, column), ("pa", f.admin1) if f.admin1 else ("pu",), ("all",)]
            keys: list[Key] = self._neighbours(f.lat, f.lon)
            return keys + ([("ar", f.admin1), ("ar", "")] if f.admin1 else [("ar*",)])
        if not query:
            return [("ar", f.admin1 or ""), ("ar*",), ("all",)]
        if f.admin1:
            return [("pa", f.admin1), ("pu",), ("ar", f.admin1), ("ar", "")]
        return [("all",)]

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        size = self.params.cell_degrees
        return math.floor(lat / size), math.floor(lon / size) % self._columns

    def _neighbours(self, lat: float, lon: float) -> list[Key]:
        row, column = self._cell(lat, lon)
        size = self.params.cell_degrees
        edge = min(89.0, abs(lat) + (self._rows + 1) * size)  # the most poleward row searched
        width = KM_PER_DEGREE * size * max(math.cos(math.radians(edge)), 0.01)
        across = max(1, math.ceil(self._km / width))
        return [
            ("pt", row + dr, (column + dc) % self._columns)
            for dr in range(-self._rows, self._rows + 1)
            for dc in range(-across, across + 1)
        ]
