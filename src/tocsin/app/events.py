"""Events over the whole store: every stored event report merged again (event ids kept
from the last merge) and saved as Tocsin's layer; an ACLED export saved as the reference
layer. Composes ``assess.merge`` and ``ingest.acled_csv`` with the store, as
``pipeline.py`` does for ingestion and extraction; the CLI and ``assessment.py`` (after
each extraction batch) call it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tocsin.assess.merge.reports import MergeParams, merge_reports
from tocsin.ingest.acled_csv import AcledImport, read_acled_csv
from tocsin.models import LAYER_ACLED, LAYER_TOCSIN, EventFilter
from tocsin.store import Store


@dataclass(frozen=True, slots=True)
class EventUpdate:
    """What a merge changed. ``status_changes`` holds (event id, old status, new status)
    for events that were there before; ``statuses`` counts the events by status."""

    reports: int
    before: int
    after: int
    new: int
    gone: int
    status_changes: tuple[tuple[str, str, str], ...] = ()
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def changed_status(self) -> int:
        return len(self.status_changes)


def update_events(store: Store, *, params: MergeParams | None = None) -> EventUpdate:
    """Merge every stored event report into events, keeping the ids of the last merge,
    and replace Tocsin's event layer with them (one transaction)."""
    reports = store.event_reports()
    before = store.event_statuses(layer=LAYER_TOCSIN)
    merged = merge_reports(
        reports, previous=store.event_assignments(layer=LAYER_TOCSIN), params=params
    )
    store.save_events(merged, layer=LAYER_TOCSIN)
    after = {event.id: event.status for event in merged}
    changes = tuple(
        (event_id, before[event_id], status)
        for event_id, status in sorted(after.items())
        if event_id in before and before[event_id] != status
    )
    return EventUpdate(
        reports=len(reports),
        before=len(before),
        after=len(after),
        new=sum(event_id not in before for event_id in after),
        gone=sum(event_id not in after for event_id in before),
        status_changes=changes,
        statuses=dict(Counter(after.values())),
    )


def import_reference(store: Store, path: Path) -> AcledImport:
    """Read an ACLED export and save its events in the reference layer ("acled"). Events
    already there from another export are kept; one with the same id is replaced.
    Nothing is saved when no row could be read."""
    found = read_acled_csv(path)
    if found.events:
        fresh = {event.id for event in found.events}
        kept = [
            event
            for event in store.list_events(EventFilter(layer=LAYER_ACLED))
            if event.id not in fresh
        ]
        store.save_events([*kept, *found.events], layer=LAYER_ACLED)
    return found
