"""Scoring Tocsin's annotations against the gold items of ``eval.corpus``.

Pure functions over plain values: matching predictions to gold items one to one, and
the figures (precision, recall, F1, distance shares, note geocoding, village
spellings, floors). Nothing here loads a model; ``eval/run.py`` runs the extractor,
prints the figures and checks the floors.

Conventions:

- A prediction matches a gold item when their spans overlap and their values agree
  (see the ``*_agrees`` functions); matching is greedy and one to one, the pairs with
  the largest overlap first.
- Precision, recall and F1 are 0.0 when their denominator is 0 (no predictions, or no
  gold items): an empty run never looks perfect.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from eval.corpus import (
    GoldActor,
    GoldAttribution,
    GoldError,
    GoldNote,
    GoldParagraph,
    GoldPlace,
    GoldTime,
)
from tocsin.geo.distance import haversine_km
from tocsin.models import ActorRef, Annotations, Attribution, PlaceRef, Span, TimeRef

KINDS = ("actors", "places", "times", "attributions")
NEAR_KM = 25.0
FAR_KM = 161.0  # 100 miles: "right region"

Spelling = Literal["same", "variant", "missing"]


# ---------------------------------------------------------------- matching


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters two spans share (0 when they only touch)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def distance_km(gold: GoldPlace | GoldNote, pred: PlaceRef) -> float | None:
    """Distance from a gold point to a predicted place; None when either lacks coordinates."""
    if gold.lat is None or gold.lon is None or pred.lat is None or pred.lon is None:
        return None
    return haversine_km(gold.lat, gold.lon, pred.lat, pred.lon)


def actor_agrees(gold: GoldActor, pred: ActorRef) -> bool:
    return gold.actor_id == pred.actor_id


def place_agrees(gold: GoldPlace, pred: PlaceRef) -> bool:
    """Both unresolved; or both resolved and: a country is the same country; a region is a
    region of the same country within 161 km of the gold point (when gold has one); any
    other place is within 25 km (or has the gold geonameid)."""
    if not gold.resolved or not pred.resolved:
        return gold.resolved == pred.resolved
    if gold.kind == "country":
        return pred.kind == "country" and _same_country(gold.country, pred.country)
    if gold.kind == "region":
        if pred.kind != "region" or not _same_country(gold.country, pred.country):
            return False
        if gold.lat is None or gold.lon is None:
            return True
        km = distance_km(gold, pred)
        return km is not None and km <= FAR_KM
    if gold.geonameid is not None and gold.geonameid == pred.geonameid:
        return True
    km = distance_km(gold, pred)
    if km is not None:
        return km <= NEAR_KM
    # gold without coordinates nor a matching id: kind and country must agree
    return gold.lat is None and gold.kind == pred.kind and _same_country(gold.country, pred.country)


def _same_country(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.upper() == b.upper()


def time_agrees(gold: GoldTime, pred: TimeRef) -> bool:
    return gold.value.strip() == pred.value.strip()


def attribution_agrees(gold: GoldAttribution, pred: Attribution) -> bool:
    return gold.kind == pred.kind


class _GoldItem(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class _PredItem(Protocol):
    @property
    def span(self) -> Span: ...


G = TypeVar("G", bound=_GoldItem)
P = TypeVar("P", bound=_PredItem)


def match_greedy(
    gold: Sequence[G], preds: Sequence[P], agrees: Callable[[G, P], bool]
) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs whose spans overlap and whose values
    agree; the pairs sharing the most characters are taken first, then text order."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(preds):
            shared = overlap((g.start, g.end), (p.span.start, p.span.end))
            if shared > 0 and agrees(g, p):
                pairs.append((-shared, i, j))
    return assign_greedy(pairs)


def assign_greedy(pairs: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold, prediction) pairs from candidates (-overlap, gold, prediction),
    the largest overlap first."""
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matched = []
    for _, i, j in sorted(pairs):
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            matched.append((i, j))
    return sorted(matched)


# ---------------------------------------------------------------- counts


@dataclass(slots=True)
class Counts:
    tp: int = 0
    n_gold: int = 0
    n_pred: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.n_gold += other.n_gold
        self.n_pred += other.n_pred

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class PlaceStats:
    """Gold resolved places with coordinates: how many have an overlapping prediction
    within 25 / 161 km; and on matched places, how often the precision code is right."""

    with_coords: int = 0
    within_near: int = 0
    within_far: int = 0
    precision_total: int = 0
    precision_right: int = 0

    def add(self, other: PlaceStats) -> None:
        self.with_coords += other.with_coords
        self.within_near += other.within_near
        self.within_far += other.within_far
        self.precision_total += other.precision_total
        self.precision_right += other.precision_right


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass(slots=True)
class ParagraphScore:
    counts: dict[str, Counts]
    places: PlaceStats
    misses: list[str] = field(default_factory=list)  # human-readable errors, for --verbose


def _body(items: Iterable[P]) -> list[P]:
    return [x for x in items if x.span.part == "body"]


def score_paragraph(gold: GoldParagraph, ann: Annotations) -> ParagraphScore:
    """Counts per kind, place distance shares and the misses for one paragraph."""
    counts: dict[str, Counts] = {}
    misses: list[str] = []

    pred_places = _body(ann.places)
    matched_places = _tally(gold, "places", gold.places, pred_places, place_agrees, counts, misses)
    _tally(gold, "actors", gold.actors, _body(ann.actors), actor_agrees, counts, misses)
    _tally(gold, "times", gold.times, _body(ann.times), time_agrees, counts, misses)
    attributions = _body(ann.attributions)
    _tally(
        gold, "attributions", gold.attributions, attributions, attribution_agrees, counts, misses
    )

    stats = PlaceStats()
    for g in gold.places:
        if not g.resolved or g.lat is None or g.lon is None:
            continue
        stats.with_coords += 1
        distances = [
            km
            for p in pred_places
            if overlap((g.start, g.end), (p.span.start, p.span.end)) > 0
            and p.resolved
            and (km := distance_km(g, p)) is not None
        ]
        best = min(distances, default=math.inf)
        stats.within_near += best <= NEAR_KM
        stats.within_far += best <= FAR_KM
    for i, j in matched_places:
        g, p = gold.places[i], pred_places[j]
        if g.resolved and g.precision is not None:
            stats.precision_total += 1
            stats.precision_right += p.precision == g.precision
    return ParagraphScore(counts, stats, misses)


def _tally(
    paragraph: GoldParagraph,
    kind: str,
    golds: Sequence[G],
    preds: Sequence[P],
    agrees: Callable[[G, P], bool],
    counts: dict[str, Counts],
    misses: list[str],
) -> list[tuple[int, int]]:
    matched = match_greedy(golds, preds, agrees)
    counts[kind] = Counts(len(matched), len(golds), len(preds))
    hit_gold = {i for i, _ in matched}
    hit_pred = {j for _, j in matched}
    text = paragraph.text
    for i, g in enumerate(golds):
        if i not in hit_gold:
            surface = text[g.start : g.end]
            misses.append(f"{paragraph.id} {kind}: missed {surface!r} (gold {_describe(g)})")
    for j, p in enumerate(preds):
        if j not in hit_pred:
            surface = text[p.span.start : p.span.end]
            misses.append(f"{paragraph.id} {kind}: wrong {surface!r} -> {_describe(p)}")
    return matched


def _describe(pred: object) -> str:
    if isinstance(pred, ActorRef):
        return pred.actor_id
    if isinstance(pred, PlaceRef):
        if not pred.resolved:
            return "unresolved"
        return f"{pred.name} ({pred.kind}, {pred.country}, {pred.lat}, {pred.lon})"
    if isinstance(pred, TimeRef):
        return pred.value
    if isinstance(pred, Attribution | GoldAttribution):
        return pred.kind
    if isinstance(pred, GoldActor):
        return pred.actor_id
    if isinstance(pred, GoldPlace):
        if not pred.resolved:
            return "unresolved"
        return f"{pred.kind}, {pred.country}, {pred.lat}, {pred.lon}"
    if isinstance(pred, GoldTime):
        return pred.value
    return repr(pred)


# ---------------------------------------------------------------- notes and spellings


@dataclass(frozen=True, slots=True)
class NoteResult:
    id: str
    location: str
    village: bool
    geo_precision: int
    predicted: str | None
    distance_km: float | None

    @property
    def near(self) -> bool:
        return self.distance_km is not None and self.distance_km <= NEAR_KM

    @property
    def far(self) -> bool:
        return self.distance_km is not None and self.distance_km <= FAR_KM


def pick_event_place(places: Sequence[PlaceRef]) -> PlaceRef | None:
    """The event's location: the first resolved town or natural feature in text order,
    else the first resolved place of any kind."""
    resolved = sorted(
        (p for p in places if p.resolved and p.span.part == "body"), key=lambda p: p.span.start
    )
    for place in resolved:
        if place.kind in ("town", "natural"):
            return place
    return resolved[0] if resolved else None


def score_note(note: GoldNote, ann: Annotations) -> NoteResult:
    place = pick_event_place(ann.places)
    if place is None:
        return NoteResult(note.id, note.location, note.village, note.geo_precision, None, None)
    km = None
    if place.lat is not None and place.lon is not None:
        km = haversine_km(note.lat, note.lon, place.lat, place.lon)
    name = place.name or place.surface
    return NoteResult(note.id, note.location, note.village, note.geo_precision, name, km)


class _Candidate(Protocol):
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...
    @property
    def matched_by(self) -> str: ...


class GazetteerLike(Protocol):
    def lookup(
        self, name: str, *, country: str | None = None, limit: int = 20
    ) -> Sequence[_Candidate]: ...


def classify_spelling(
    gazetteer: GazetteerLike, name: str, *, country: str | None, lat: float, lon: float
) -> Spelling:
    """ "same": a strict (name or alternate) candidate lies within 25 km of the gold point;
    "variant": only a variant-spelling candidate does; "missing": nothing within 25 km.

    The gazetteer tries variants only when the strict key finds nothing, so a village
    shadowed by a distant namesake of the same spelling counts as missing: the geocoder
    cannot reach it either."""
    found: Spelling = "missing"
    for place in gazetteer.lookup(name, country=country, limit=100):
        if place.lat is None or place.lon is None:
            continue
        if haversine_km(lat, lon, place.lat, place.lon) <= NEAR_KM:
            if place.matched_by != "variant":
                return "same"
            found = "variant"
    return found


def spelling_counts(
    gazetteer: GazetteerLike, notes: Sequence[GoldNote]
) -> dict[str, dict[str, int]]:
    """Counts of same / variant / missing spellings, for the villages and for all notes;
    a location shared by several notes counts once."""
    counts: dict[str, dict[str, int]] = {
        "villages": {"same": 0, "variant": 0, "missing": 0},
        "all": {"same": 0, "variant": 0, "missing": 0},
    }
    seen: set[tuple[str, str]] = set()
    for note in notes:
        key = (note.location, note.country)
        if key in seen:
            continue
        seen.add(key)
        kind = classify_spelling(
            gazetteer, note.location, country=note.country, lat=note.lat, lon=note.lon
        )
        counts["all"][kind] += 1
        if note.village:
            counts["villages"][kind] += 1
    return counts


# ---------------------------------------------------------------- figures and floors


def paragraph_figures(
    gold: Sequence[GoldParagraph], scores: Sequence[ParagraphScore]
) -> dict[str, float]:
    """Flat figures: "actors.f1", "actors.fr.recall", "places.within_25km", ..."""
    figures: dict[str, float] = {}
    langs = sorted({g.lang for g in gold} | {"fr", "en"})
    for scope in ("", *langs):
        chosen = [s for g, s in zip(gold, scores, strict=True) if not scope or g.lang == scope]
        prefix = f".{scope}" if scope else ""
        for kind in KINDS:
            total = Counts()
            for score in chosen:
                total.add(score.counts.get(kind, Counts()))
            figures[f"{kind}{prefix}.precision"] = total.precision
            figures[f"{kind}{prefix}.recall"] = total.recall
            figures[f"{kind}{prefix}.f1"] = total.f1
            figures[f"{kind}{prefix}.n_gold"] = total.n_gold
            figures[f"{kind}{prefix}.n_pred"] = total.n_pred
        stats = PlaceStats()
        for score in chosen:
            stats.add(score.places)
        figures[f"places{prefix}.within_25km"] = _share(stats.within_near, stats.with_coords)
        figures[f"places{prefix}.within_161km"] = _share(stats.within_far, stats.with_coords)
        figures[f"places{prefix}.n_with_coords"] = stats.with_coords
        figures[f"places{prefix}.precision_code_accuracy"] = _share(
            stats.precision_right, stats.precision_total
        )
    return figures


def note_figures(
    results: Sequence[NoteResult], spelling: Mapping[str, Mapping[str, int]] | None = None
) -> dict[str, float]:
    figures: dict[str, float] = {}
    groups = {
        "notes": list(results),
        "notes.villages": [r for r in results if r.village],
        "notes.precision1": [r for r in results if r.geo_precision == 1],
    }
    for name, group in groups.items():
        figures[f"{name}.n"] = len(group)
        figures[f"{name}.within_25km"] = _share(sum(r.near for r in group), len(group))
        figures[f"{name}.within_161km"] = _share(sum(r.far for r in group), len(group))
    for scope, counts in (spelling or {}).items():
        for kind, n in counts.items():
            figures[f"spelling.{scope}.{kind}"] = n
    return figures


def load_floors(path: Path) -> dict[str, float]:
    """The ``[floors]`` table of a TOML file: metric name -> lowest accepted value."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    floors = data.get("floors", {})
    if not isinstance(floors, dict):
        raise GoldError(f"{path}: [floors] is not a table")
    out = {}
    for name, value in floors.items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise GoldError(f"{path}: floor {name!r} is not a number")
        out[str(name)] = float(value)
    return out


def check_floors(figures: Mapping[str, float], floors: Mapping[str, float]) -> list[str]:
    """One line per metric below its floor (or not measured at all); empty when all pass."""
    failures = []
    for name, floor in sorted(floors.items()):
        value = figures.get(name)
        if value is None:
            failures.append(f"{name}: not measured (floor {floor:.3f})")
        elif value < floor - 1e-9:
            failures.append(f"{name} = {value:.3f} < floor {floor:.3f}")
    return failures
