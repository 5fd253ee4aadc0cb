"""Tocsin's events against a reference layer (an imported ACLED export): which events
both have, which only one has, and how well the coding of the shared ones agrees.

Matching is one-to-one and greedy: candidate pairs are events of the same country
within ``days`` of each other and within ``km`` (or, when either lacks coordinates, in
the same admin1 on the same day); the best pairs are taken first: the closest in
time, then in space, then those that agree on the event type and sub-type. Reference
events are bucketed by (country, date) and sorted by latitude within a bucket, so the
work grows with the number of events times the few that are within reach. Countries
are compared as written (ISO2 for both layers); dates as days, whatever their
time precision.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tocsin.geo.distance import EARTH_RADIUS_KM, haversine_km
from tocsin.models import Event
from tocsin.text.fold import fold

_KM_PER_DEGREE_LAT = EARTH_RADIUS_KM * math.pi / 180 * 0.999  # a hair under, to be safe
# days apart, matched without coordinates, km, types differ, sub-types differ, own, reference
_Rank = tuple[int, bool, float, bool, bool, int, int]


@dataclass(frozen=True, slots=True)
class MatchedPair:
    """An own event and the reference event it was matched with; ``km`` is None when
    they were matched by admin1 for lack of coordinates."""

    own: Event
    reference: Event
    days: int
    km: float | None


@dataclass(frozen=True, slots=True)
class LayerComparison:
    """The matched pairs, the events only one layer has, and agreement figures (None
    where there is nothing to measure)."""

    pairs: tuple[MatchedPair, ...]
    own_only: tuple[Event, ...]
    reference_only: tuple[Event, ...]

    @property
    def recall(self) -> float | None:
        """Share of the reference events that Tocsin has."""
        return _share(len(self.pairs), len(self.pairs) + len(self.reference_only))

    @property
    def precision(self) -> float | None:
        """Share of Tocsin's events that the reference has."""
        return _share(len(self.pairs), len(self.pairs) + len(self.own_only))

    @property
    def event_type_agreement(self) -> float | None:
        same = sum(p.own.event_type == p.reference.event_type for p in self.pairs)
        return _share(same, len(self.pairs))

    @property
    def sub_event_type_agreement(self) -> float | None:
        same = sum(p.own.sub_event_type == p.reference.sub_event_type for p in self.pairs)
        return _share(same, len(self.pairs))

    @property
    def fatalities_agreement(self) -> float | None:
        """Share of pairs with the same fatalities (not reported counts as 0, as in ACLED)."""
        same = sum((p.own.fatalities or 0) == (p.reference.fatalities or 0) for p in self.pairs)
        return _share(same, len(self.pairs))

    @property
    def median_km(self) -> float | None:
        """Median distance of the pairs matched by coordinates."""
        distances = [p.km for p in self.pairs if p.km is not None]
        return statistics.median(distances) if distances else None

    def figures(self) -> dict[str, float | int | None]:
        """Counts and figures, for printing."""
        return {
            "matched": len(self.pairs),
            "own_only": len(self.own_only),
            "reference_only": len(self.reference_only),
            "recall": self.recall,
            "precision": self.precision,
            "event_type_agreement": self.event_type_agreement,
            "sub_event_type_agreement": self.sub_event_type_agreement,
            "fatalities_agreement": self.fatalities_agreement,
            "median_km": self.median_km,
        }


def compare_layers(
    own: Sequence[Event], reference: Sequence[Event], *, km: float = 25.0, days: int = 1
) -> LayerComparison:
    """Match ``own`` events one-to-one with ``reference`` events (see the module)."""
    located: dict[tuple[str, date], list[tuple[float, int]]] = defaultdict(list)
    by_admin1: dict[tuple[str, date, str], list[int]] = defaultdict(list)
    unlocated: dict[tuple[str, date, str], list[int]] = defaultdict(list)  # no coordinates
    for j, ref in enumerate(reference):
        if (key := _key(ref)) is None:
            continue
        if (point := _point(ref)) is not None:
            located[key].append((point[0], j))
        if (area := _admin1(ref)) is not None:
            by_admin1[(*key, area)].append(j)
            if point is None:
                unlocated[(*key, area)].append(j)
    for entries in located.values():
        entries.sort()
    candidates: list[tuple[_Rank, float | None]] = []
    for i, event in enumerate(own):
        if (key := _key(event)) is None:
            continue
        country, day = key
        point, area = _point(event), _admin1(event)
        found: list[tuple[int, int, float | None]] = []  # days apart, reference, km
        if point is not None:
            found.extend(_near(event, point[0], country, day, located, reference, km, days))
        if area is not None:  # without coordinates on either side: same admin1, same day
            same_area = by_admin1 if point is None else unlocated
            found.extend((0, j, None) for j in same_area.get((country, day, area), ()))
        for apart, j, distance in found:
            ref = reference[j]
            rank: _Rank = (
                apart,
                distance is None,
                round(distance or 0.0, 6),
                event.event_type != ref.event_type,
                event.sub_event_type != ref.sub_event_type,
                i,
                j,
            )
            candidates.append((rank, distance))
    candidates.sort(key=lambda c: c[0])
    used_own: set[int] = set()
    used_ref: set[int] = set()
    pairs: list[MatchedPair] = []
    for rank, distance in candidates:
        i, j = rank[5], rank[6]
        if i in used_own or j in used_ref:
            continue
        used_own.add(i)
        used_ref.add(j)
        pairs.append(MatchedPair(own[i], reference[j], rank[0], distance))
    return LayerComparison(
        pairs=tuple(pairs),
        own_only=tuple(e for i, e in enumerate(own) if i not in used_own),
        reference_only=tuple(e for j, e in enumerate(reference) if j not in used_ref),
    )


def _near(
    event: Event,
    lat: float,
    country: str,
    day: date,
    located: dict[tuple[str, date], list[tuple[float, int]]],
    reference: Sequence[Event],
    km: float,
    days: int,
) -> Iterator[tuple[int, int, float | None]]:
    """(days apart, reference index, km) of the located reference events within reach."""
    span = km / _KM_PER_DEGREE_LAT  # no pair further apart in latitude is within km
    for offset in range(-days, days + 1):
        try:
            entries = located.get((country, day + timedelta(days=offset)), [])
        except OverflowError:
            continue
        for k in range(bisect.bisect_left(entries, (lat - span, -1)), len(entries)):
            ref_lat, j = entries[k]
            if ref_lat > lat + span:
                break
            distance = _distance(event, reference[j])
            if distance is not None and distance <= km:
                yield abs(offset), j, distance


def _key(event: Event) -> tuple[str, date] | None:
    if not event.country or event.event_date is None:
        return None
    return event.country.upper(), event.event_date


def _distance(a: Event, b: Event) -> float | None:
    pa, pb = _point(a), _point(b)
    if pa is None or pb is None:
        return None
    return haversine_km(*pa, *pb)


def _point(event: Event) -> tuple[float, float] | None:
    if event.lat is None or event.lon is None:
        return None
    if not (math.isfinite(event.lat) and math.isfinite(event.lon)):
        return None
    return event.lat, event.lon


def _admin1(event: Event) -> str | None:
    return fold(event.admin1.strip()) if event.admin1 and event.admin1.strip() else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
