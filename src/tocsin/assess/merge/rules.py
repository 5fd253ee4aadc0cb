"""When two event reports are the same event: the merge parameters and the pair test.

The parameters are data (``knowledge/merge.toml``, each with the reason for its value);
:func:`load_merge_params` reads them with the actor relations of
``knowledge/actors.toml``. :func:`pair_score` says whether two reports may be one event
(None: they may not) and how well they agree. Two reports may be one event when:

- their event types are equal or a pair declared compatible ([types]: event types or
  sub-event types) — for an event, with at least one of its reports;
- they are in the same country (a report without a country merges inside its own
  document, or with a report that shares one of its actors: the same id or related
  named actors, generic ids naming their country, "civilians-mali");
- their dates are within the window of the coarser time precision, or, when either has
  no date, their publication dates are within ``undated_days`` (and the dated one's
  date is recent for the undated one); two reports of one document with different
  explicit dates never merge;
- two points (geo precision 1 or 2) are within the distance of the coarser precision;
  otherwise (a region, or no place) they are in the same admin1 when both name one;
- their actors agree side by side, or with the sides swapped: an unknown actor agrees
  with anything, a generic one with an actor of a compatible inter code, a named one
  with itself and the actors related to it (parents up the tree, succession,
  associates). When the types differ (a declared pair), one side may disagree
  provided the other is the same or a related actor (soldiers or drivers in one
  convoy);
- their fatalities are not far apart both in absolute and relative terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.geo.distance import haversine_km
from tocsin.knowledge.actors import ActorKnowledge, load_actors
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.models import EVENT_TYPES, SourcedReport
from tocsin.text.fold import fold

__all__ = [
    "Facts",
    "MergeParams",
    "facts_of",
    "load_merge_params",
    "orient",
    "pair_score",
    "types_agree",
]

UNKNOWN = 0.25  # agreement of an actor side or a place nobody names: neutral, low
GENERIC = 0.5  # a generic actor of a compatible inter code; a region shared
RELATED = 0.75  # named actors related in the actor knowledge
_RELATIONS = frozenset({"parents", "succeeded", "associated"})

Actor = tuple[str, int | None]  # actor id, inter code
Side = tuple[Actor, ...]  # the primary actor then its named associates


@dataclass(frozen=True, slots=True)
class MergeParams:
    """What ``knowledge/merge.toml`` says, with the actor relations it needs."""

    window_days: Mapping[int, int]
    undated_days: int
    undated_lookback_days: int
    km: Mapping[int, float]
    compatible_types: tuple[tuple[str, str], ...]  # event types or sub-event types
    generic_inters: Mapping[int, frozenset[int]]
    named: frozenset[str]  # ids of the named actors of the knowledge base
    inters: Mapping[str, int]  # their inter codes
    related: frozenset[tuple[str, str]]  # related pairs, smaller id first
    max_gap: int
    max_ratio: float
    weights: Mapping[str, float]  # time, place, actors, fatalities, sub_type
    corroborated: int
    confirmed: int
    confirm_kinds: frozenset[str]
    confirm_grades: frozenset[str]
    notes_max_chars: int
    bucket_days: int
    cell_degrees: float
    bucket_cap: int
    member_cap: int

    def window(self, precision: int) -> int:
        return self.window_days.get(precision, max(self.window_days.values()))


# ----------------------------------------------------------------------- loading


def load_merge_params(
    extra: Path | str | None = None, *, actors: ActorKnowledge | None = None
) -> MergeParams:
    """The bundled parameters, overridden key by key by the user's file (same format);
    ``actors``: the actor knowledge whose relations count (default: the bundled one)."""
    if extra is None and actors is None:
        return _bundled()
    data = load_knowledge("merge")
    if extra is not None:
        path = Path(extra)
        for table, values in read_toml(path, what="merge parameters file").items():
            if table not in data or not isinstance(values, dict):
                raise ConfigError(
                    f"{path}: [{table}] is not a table of knowledge/merge.toml; use its tables"
                )
            if unknown := set(values) - set(data[table]):
                raise ConfigError(
                    f"{path}: [{table}] has unknown key(s) {', '.join(sorted(unknown))}; "
                    "see knowledge/merge.toml"
                )
            data[table].update(values)
    else:
        path = knowledge_source("merge")
    return _build(data, actors or load_actors(), path)


@per_knowledge_dir
def _bundled() -> MergeParams:
    return _build(load_knowledge("merge"), load_actors(), knowledge_source("merge"))


def _build(data: dict[str, Any], actors: ActorKnowledge, path: Path) -> MergeParams:
    def get(table: str, key: str) -> Any:
        section = data.get(table)
        if not isinstance(section, dict) or key not in section:
            raise ConfigError(f"{path}: [{table}] {key} is missing; see knowledge/merge.toml")
        return section[key]

    def number(table: str, key: str, *, whole: bool = False) -> float:
        value = get(table, key)
        ok = isinstance(value, int) if whole else isinstance(value, int | float)
        if not ok or isinstance(value, bool) or value < 0:
            kind = "a whole number" if whole else "a number"
            raise ConfigError(f"{path}: [{table}] {key} must be {kind} >= 0")
        return float(value)

    def by_precision(table: str, key: str) -> dict[int, float]:
        raw = get(table, key)
        if not isinstance(raw, dict) or not raw:
            raise ConfigError(f"{path}: [{table}] {key} must be a table {{ 1 = ..., 2 = ... }}")
        out = {}
        for k, v in raw.items():
            if not str(k).isdigit() or not isinstance(v, int | float) or isinstance(v, bool):
                raise ConfigError(f"{path}: [{table}] {key}: {k} = {v!r} is not precision = number")
            out[int(k)] = float(v)
        return out

    def words(table: str, key: str) -> list[Any]:
        raw = get(table, key)
        if not isinstance(raw, list):
            raise ConfigError(f"{path}: [{table}] {key} must be a list")
        return raw

    known = set(EVENT_TYPES) | {sub for subs in EVENT_TYPES.values() for sub in subs}
    pairs: list[tuple[str, str]] = []
    for pair in words("types", "compatible"):
        if not isinstance(pair, list) or len(pair) != 2 or not set(map(str, pair)) <= known:
            raise ConfigError(
                f"{path}: [types] compatible: {pair!r} is not a pair of ACLED event types "
                "or sub-event types; see models.EVENT_TYPES"
            )
        pairs.append((str(pair[0]), str(pair[1])))
    inters: dict[int, frozenset[int]] = {}
    for k, v in get("actors", "generic_inters").items():
        if (
            not str(k).isdigit()
            or not isinstance(v, list)
            or not all(isinstance(i, int) for i in v)
        ):
            raise ConfigError(f"{path}: [actors] generic_inters: {k} = {v!r} is not code = [codes]")
        inters[int(k)] = frozenset(v)
    relations = set(words("actors", "relations"))
    if unknown := relations - _RELATIONS:
        raise ConfigError(
            f"{path}: [actors] relations: unknown {sorted(unknown)}; use {sorted(_RELATIONS)}"
        )
    weights = {
        key: number("score", key) for key in ("time", "place", "actors", "fatalities", "sub_type")
    }
    return MergeParams(
        window_days={k: int(v) for k, v in by_precision("time", "window_days").items()},
        undated_days=int(number("time", "undated_days", whole=True)),
        undated_lookback_days=int(number("time", "undated_lookback_days", whole=True)),
        km=by_precision("place", "km"),
        compatible_types=tuple(pairs),
        generic_inters=inters,
        named=frozenset(actors.actors),
        inters={a.id: a.inter for a in actors.actors.values()},
        related=_related(actors, relations),
        max_gap=int(number("fatalities", "max_gap", whole=True)),
        max_ratio=number("fatalities", "max_ratio"),
        weights=weights,
        corroborated=int(number("status", "corroborated", whole=True)),
        confirmed=int(number("status", "confirmed", whole=True)),
        confirm_kinds=frozenset(str(k) for k in words("status", "confirm_kinds")),
        confirm_grades=frozenset(str(g).upper() for g in words("status", "confirm_grades")),
        notes_max_chars=max(40, int(number("notes", "max_chars", whole=True))),
        bucket_days=max(1, int(number("index", "bucket_days", whole=True))),
        cell_degrees=max(0.05, number("index", "cell_degrees")),
        bucket_cap=max(1, int(number("index", "bucket_cap", whole=True))),
        member_cap=max(1, int(number("index", "member_cap", whole=True))),
    )


def _related(actors: ActorKnowledge, relations: set[str]) -> frozenset[tuple[str, str]]:
    """Pairs of named actors on one side: an actor and each of its ancestors, the actor
    it succeeded, its associates (each pair once, smaller id first)."""
    pairs: set[tuple[str, str]] = set()
    for actor in actors.actors.values():
        linked: set[str] = set()
        if "parents" in relations:
            todo = [p.id for p in actor.parents]
            while todo:
                parent = todo.pop()
                if parent in linked or parent == actor.id or parent not in actors.actors:
                    continue
                linked.add(parent)
                todo += [p.id for p in actors.actors[parent].parents]
        if "succeeded" in relations:
            linked |= {s.id for s in actor.succeeded}
        if "associated" in relations:
            linked |= set(actor.associated)
        pairs |= {(min(actor.id, other), max(actor.id, other)) for other in linked}
    return frozenset(pairs)


# ------------------------------------------------------------------------ facts


@dataclass(frozen=True, slots=True)
class Facts:
    """What the pair test reads of one report, computed once."""

    report: SourcedReport
    order: int  # position in processing order
    document: str
    event_type: str
    sub_event_type: str
    day: int | None  # ordinal of the event date
    precision: int  # time precision (1 when not given with a date)
    pub: int | None  # ordinal of the publication date (UTC)
    country: str | None
    admin1: str | None  # folded
    lat: float | None
    lon: float | None
    geo: int | None  # geo precision; 2 for coordinates without one; None: no place
    point: bool  # coordinates precise enough for a distance test
    side1: Side
    side2: Side
    fatalities: int | None


def facts_of(report: SourcedReport, order: int, params: MergeParams) -> Facts:
    r = report.report
    has_coords = r.lat is not None and r.lon is not None
    geo = r.geo_precision if r.geo_precision is not None else (2 if has_coords else None)
    if geo is None and (r.admin1 or r.location):
        geo = 3
    return Facts(
        report=report,
        order=order,
        document=report.document_id,
        event_type=r.event_type,
        sub_event_type=r.sub_event_type,
        day=r.event_date.toordinal() if r.event_date is not None else None,
        precision=_precision(r.time_precision, params),
        pub=_ordinal(report.published),
        country=r.country.upper() if r.country else None,
        admin1=fold(r.admin1.strip()) if r.admin1 and r.admin1.strip() else None,
        lat=r.lat,
        lon=r.lon,
        geo=geo,
        point=has_coords and geo is not None and geo in params.km,
        side1=_side(r.actor1, r.inter1, r.assoc_actor_1, params),
        side2=_side(r.actor2, r.inter2, r.assoc_actor_2, params),
        fatalities=r.fatalities,
    )


def _precision(precision: int | None, params: MergeParams) -> int:
    """The time precision (1 when not given; an unknown code counts as the coarsest)."""
    if precision is None:
        return 1
    return precision if precision in params.window_days else max(params.window_days)


def _ordinal(published: datetime | None) -> int | None:
    if published is None:
        return None
    if published.tzinfo is not None:
        published = published.astimezone(UTC)
    return published.date().toordinal()


def _side(
    actor: str | None, inter: int | None, assoc: tuple[str, ...], params: MergeParams
) -> Side:
    items: list[Actor] = []
    if actor:
        items.append((actor, inter if inter is not None else params.inters.get(actor)))
    items += [(a, params.inters[a]) for a in assoc if a in params.named and a != actor]
    return tuple(items)


# -------------------------------------------------------------------- the pair


def pair_score(a: Facts, b: Facts, params: MergeParams, *, any_type: bool = False) -> float | None:
    """How well two reports agree as one event (higher is better), None when they
    cannot be one event. ``any_type``: leave the types out of the test (an event checks
    them against any one of its reports: an attack on a convoy may be a clash for one
    outlet and property destruction for another, though those two never meet)."""
    other_type = a.event_type != b.event_type
    if other_type and not any_type and not types_agree(a, b, params):
        return None
    if a.country and b.country and a.country != b.country:
        return None
    same_doc = a.document == b.document
    time = _time(a, b, params, same_doc)
    if time is None:
        return None
    place = _place(a, b, params)
    if place is None:
        return None
    actors = _actors(a.side1, a.side2, b.side1, b.side2, params, other_type)
    if actors is None:
        return None
    if (a.country is None or b.country is None) and not same_doc and not _specific(a, b, params):
        return None  # no country: only with a shared actor to vouch for the place
    fatalities = _fatalities(a.fatalities, b.fatalities, params)
    if fatalities is None:
        return None
    w = params.weights
    score = (
        w["time"] * time
        + w["place"] * place
        + w["actors"] * actors[0]
        + w["fatalities"] * fatalities
    )
    if a.sub_event_type == b.sub_event_type:
        score += w["sub_type"]
    return score


def types_agree(a: Facts, b: Facts, params: MergeParams) -> bool:
    """Whether the types are equal or a declared pair covers the two (sub-)types."""
    if a.event_type == b.event_type:
        return True
    names_a = (a.event_type, a.sub_event_type)
    names_b = (b.event_type, b.sub_event_type)
    return any(
        (x in names_a and y in names_b) or (y in names_a and x in names_b)
        for x, y in params.compatible_types
    )


def _specific(a: Facts, b: Facts, params: MergeParams) -> bool:
    """Whether the two reports share an actor (the same id, or related named actors); a
    generic id names its country ("civilians-mali")."""
    return any(
        (score := _actor(x, y, params)) is not None and score >= RELATED
        for x in (*a.side1, *a.side2)
        for y in (*b.side1, *b.side2)
    )


def _time(a: Facts, b: Facts, params: MergeParams, same_doc: bool) -> float | None:
    if a.day is not None and b.day is not None:
        gap = abs(a.day - b.day)
        if same_doc and gap and a.precision == b.precision:
            return None  # one document, two explicit dates: two events
        window = max(params.window(a.precision), params.window(b.precision))
        return None if gap > window else 1.0 - gap / (window + 1)
    if a.pub is None or b.pub is None:
        return 0.5 if same_doc else None
    gap = abs(a.pub - b.pub)
    if gap > params.undated_days:
        return None
    for day, pub in ((a.day, b.pub), (b.day, a.pub)):
        if day is not None and not pub - params.undated_lookback_days <= day <= pub + 1:
            return None  # the dated report's event is not recent news for the undated one
    return 0.5 * (1.0 - gap / (params.undated_days + 1))  # publication dates: weaker evidence


def _place(a: Facts, b: Facts, params: MergeParams) -> float | None:
    if a.point and b.point:
        assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
        limit = params.km[max(a.geo or 1, b.geo or 1)]
        km = haversine_km(a.lat, a.lon, b.lat, b.lon)
        return None if km > limit else 1.0 - km / (limit + 1.0)
    if a.admin1 and b.admin1:
        return GENERIC if a.admin1 == b.admin1 else None
    return UNKNOWN


def _fatalities(x: int | None, y: int | None, params: MergeParams) -> float | None:
    if x is None or y is None:
        return 0.5
    low, high = min(x, y), max(x, y)
    if high - low > params.max_gap and high > params.max_ratio * max(low, 1):
        return None
    return 1.0 - (high - low) / max(high, 1)


def _actor(x: Actor, y: Actor, params: MergeParams) -> float | None:
    if x[0] == y[0]:
        return 1.0
    x_generic, y_generic = x[0] not in params.named, y[0] not in params.named
    if not x_generic and not y_generic:
        return RELATED if (min(x[0], y[0]), max(x[0], y[0])) in params.related else None
    if x[1] is None or y[1] is None:
        return GENERIC
    table = params.generic_inters
    if (x_generic and y[1] in table.get(x[1], frozenset({x[1]}))) or (
        y_generic and x[1] in table.get(y[1], frozenset({y[1]}))
    ):
        return GENERIC
    return None


def _sides(x: Side, y: Side, params: MergeParams) -> float | None:
    if not x or not y:
        return UNKNOWN
    scores = [s for a in x for b in y if (s := _actor(a, b, params)) is not None]
    return max(scores) if scores else None


def _pairing(s1: float | None, s2: float | None, lenient: bool) -> float | None:
    if s1 is not None and s2 is not None:
        return (s1 + s2) / 2
    if lenient:  # types differ: one side may differ when the other is the same actor
        known = s1 if s2 is None else s2
        if known is not None and known >= RELATED:
            return known / 2
    return None


def _actors(
    a1: Side, a2: Side, b1: Side, b2: Side, params: MergeParams, lenient: bool = False
) -> tuple[float, bool] | None:
    """Agreement of the actors and whether b's sides are swapped against a's."""
    direct = _pairing(_sides(a1, b1, params), _sides(a2, b2, params), lenient)
    swapped = _pairing(_sides(a1, b2, params), _sides(a2, b1, params), lenient)
    if swapped is not None and (direct is None or swapped > direct):
        return swapped, True
    return (direct, False) if direct is not None else None


def orient(ref1: Side, ref2: Side, side1: Side, side2: Side, params: MergeParams) -> bool:
    """Whether ``side1``/``side2`` are swapped against the reference sides."""
    found = _actors(ref1, ref2, side1, side2, params, lenient=True)
    return found is not None and found[1]
