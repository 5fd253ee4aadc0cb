"""Stable event ids across merges.

An event takes the id that most of its reports had in the previous merge (ties: the
smallest id). When two events claim one previous id, the one holding more of the
reports that had it keeps it (ties: the event founded first) and the other tries its
next claim. An event with no claim left gets an id derived from its founding report:
"ev" and the first 16 hex digits of the report id's SHA-1, so that merging the same
reports again, from scratch, gives the same ids.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence

__all__ = ["assign_ids", "derived_id"]


def derived_id(report_id: str) -> str:
    """The id of an event founded by ``report_id``."""
    return "ev" + hashlib.sha1(report_id.encode("utf-8", "replace")).hexdigest()[:16]


def assign_ids(groups: Sequence[Sequence[str]], previous: Mapping[str, str] | None) -> list[str]:
    """One id per group of report ids (each group's founding report first)."""
    claims: list[tuple[int, str, int]] = []
    for index, report_ids in enumerate(groups):
        counts = Counter(previous[r] for r in report_ids if previous and r in previous)
        claims += [(-count, event_id, index) for event_id, count in counts.items()]
    claims.sort()
    ids: list[str | None] = [None] * len(groups)
    taken: set[str] = set()
    for _count, event_id, index in claims:
        if ids[index] is None and event_id not in taken:
            ids[index] = event_id
            taken.add(event_id)
    out = []
    for index, found in enumerate(ids):
        if found is None:
            founder = groups[index][0]
            found, attempt = derived_id(founder), 0
            while found in taken:  # an old id derived from this report is held elsewhere
                attempt += 1
                found = derived_id(f"{founder}#{attempt}")
            taken.add(found)
        out.append(found)
    return out
