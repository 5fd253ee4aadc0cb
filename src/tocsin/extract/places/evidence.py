"""The evidence a place decision weighs, and the steps that narrow the candidates.

Each step takes the remaining candidates and returns the ones it prefers with a reason
("admin context Koulikoro", "country focus ML", "nearest to other places (12 km)"), or
nothing when it cannot tell them apart; ``PlaceResolver`` runs them in order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tocsin.extract.places.context import Context
from tocsin.extract.places.scan import Mention
from tocsin.geo.distance import haversine_km
from tocsin.geo.gazetteer import Place, name_key

NEAR_KM = 150.0  # "nearest to other places" counts within this distance
CLOSE_KM = 60.0  # ... and beats a major namesake within this one
SAME_KM = 25.0  # candidates this close are one place entered twice
MAJOR_POPULATION = 20_000
STRONG_POPULATION = 10_000
FEW = 10  # namesakes: a name with more (Orange, Garden City) pairs up by chance
BIG_POPULATION = 100_000  # a city abroad this big needs no evidence (see ``is_landmark``)
_WATER = frozenset({"STM", "STMI", "STMS", "LK", "LKS", "LKI", "RSV", "DLTA", "SBKH", "STMD"})
_SEATS = frozenset({"PPLC", "PPLA", "PPLA2"})


def tier(place: Place) -> int:
    """Importance, lower first (as the gazetteer ranks): country 0, ADM1, capitals and
    areas across countries (continents, oceans, "Middle East") 1, towns with people or
    admin seats 2, ADM2 3, other towns 4, other areas 5, rivers and lakes 6, other
    features 7."""
    code = place.feature_code
    if place.kind == "country":
        return 0
    if code in ("ADM1", "PPLC") or not place.country:
        return 1
    if code.startswith("PPL"):
        return 2 if place.population > 0 or code in _SEATS else 4
    if code == "ADM2":
        return 3
    if place.kind == "region":
        return 5
    return 6 if code in _WATER else 7


def is_strong(place: Place) -> bool:
    return tier(place) <= 1 or place.feature_code in _SEATS or place.population >= STRONG_POPULATION


def is_major(place: Place) -> bool:
    return tier(place) <= 1 or (tier(place) == 2 and place.population >= MAJOR_POPULATION)


def distance_km(a: Place, b: Place) -> float | None:
    """Great-circle distance, None when either place has no coordinates."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


@dataclass(slots=True)
class Item:
    """One mention with everything the decision needs."""

    part: str
    mention: Mention
    surface: str
    key: str
    context: Context
    candidates: list[Place]
    admin: tuple[str, ...] = ()  # names in a parenthesis right after: "Kati (Koulikoro)"
    in_admin: bool = False  # a name inside such a parenthesis
    weak: bool = False  # gazetteer-only, no cue, only small candidates
    bare: bool = False  # no cue before or after the name

    @property
    def signature(self) -> tuple[object, ...]:
        """Mentions with the same signature get the same decision."""
        return (self.key, self.context, self.admin, self.in_admin, len(self.candidates))


@dataclass(slots=True)
class Evidence:
    """What the whole document says, for the second pass."""

    focus: str | None = None
    area: frozenset[str] = frozenset()  # the area of interest's countries (ISO2)
    anchors: list[tuple[str, Place]] = field(default_factory=list)  # (key, town)
    regions: list[tuple[str, str, Place]] = field(default_factory=list)  # (key, text, region)
    # names the first pass left open, with their candidates: "between Mamba and Toye"
    # settles both when one Mamba and one Toye lie close together
    pending: list[tuple[str, list[Place]]] = field(default_factory=list)


def by_kind(item: Item) -> tuple[list[Place], list[str]]:
    """The candidates of the kind the context asks for, and why."""
    places, context = item.candidates, item.context
    towns = [p for p in places if p.feature_code.startswith("PPL")]
    regions = [p for p in places if p.kind == "region"]
    if context.cue == "river":
        rivers = [p for p in places if p.feature_code in _WATER] or [
            p for p in places if p.kind == "natural"
        ]
        return (rivers, ["river cue"]) if rivers else (places, [])
    countries = [p for p in places if p.kind == "country"]
    if item.in_admin and countries and context.cue != "region":  # "Fafa (Mali)": the country
        return countries, ["admin name"]
    if context.cue == "region" or (item.in_admin and regions):
        level = context.level if context.level in ("ADM1", "ADM2") else None
        chosen = [p for p in regions if p.feature_code == level] or regions
        why = "region cue" if context.cue == "region" else "admin name"
        return (chosen, [why]) if chosen else (places, [])
    if countries and context.cue != "town":  # "dans le nord du Mali": in it, not near it
        return countries, ["country name"] if len(places) > len(countries) else []
    if context.cue == "town" or context.relative or item.admin:
        chosen = towns or [p for p in places if p.kind == "town"]
        why = "town cue" if context.cue == "town" else "town before its admin context"
        why = "relative location" if context.relative else why
        return (chosen, [why]) if chosen else (places, [])
    areas = [p for p in places if (p.feature_code == "ADM1" or not p.country) and p.lat is not None]
    if towns and areas and not any(_holds_own(t, areas) for t in towns):
        return areas, ["area over town namesakes"]
    if towns and (any(tier(p) <= 2 for p in towns) or not any(tier(p) <= 3 for p in regions)):
        return towns, []
    if regions:
        return regions, []
    return places, []


def _holds_own(town: Place, areas: list[Place]) -> bool:
    """Whether a town namesake beats the areas of its name without a town cue: it lies in
    one of them ("Ségou" in the Ségou region), or holds a tenth of the people of the
    largest (and at least ``MAJOR_POPULATION``): "Washington" DC against the state, but not
    a village "Us" against the United States or "Florida" (Colombia) against the state."""
    own = town.matched_by == "name" or town.feature_code in _SEATS  # not "Montana City"
    inside = own and any(
        a.country == town.country and a.admin1 is not None and a.admin1 == town.admin1
        for a in areas
    )
    people = max(a.population for a in areas)
    return inside or town.population >= max(MAJOR_POPULATION, people // 10)


def within_admin(place: Place, name: str, context: list[Place], *, loose: bool = False) -> bool:
    """Whether ``place`` lies in the admin area ``name`` (whose candidates are ``context``):
    the same admin1, or within 100 km of a smaller area's point (25 km of a town's).
    ``loose``: a smaller area's admin1 is enough (for a second try)."""
    key = name_key(name)
    if place.admin1 and name_key(place.admin1) == key:
        return True
    for area in context:
        if area.country != place.country:
            continue
        same_admin1 = bool(area.admin1) and area.admin1 == place.admin1
        if area.feature_code == "ADM1" or (loose and area.kind == "region"):
            if same_admin1:
                return True
        else:
            gap = distance_km(area, place)
            radius = 100.0 if area.kind == "region" else SAME_KM
            if gap is not None and gap <= radius:
                return True
    return False


def doc_regions(item: Item, pool: list[Place], evidence: Evidence) -> tuple[list[Place], str]:
    for loose in (False, True):
        for key, surface, region in evidence.regions:
            if key == item.key:
                continue
            matched = [p for p in pool if within_admin(p, surface, [region], loose=loose)]
            if matched and len(matched) < len(pool):
                return matched, f"admin context {surface}"
    return [], ""


def nearest(
    item: Item, pool: list[Place], evidence: Evidence, limit: float
) -> tuple[list[Place], str]:
    anchors = [a for k, a in evidence.anchors if k != item.key]
    return _clearly_closest(pool[:20], anchors, limit, "nearest to other places")


def mutual_nearest(
    item: Item, pool: list[Place], evidence: Evidence, limit: float
) -> tuple[list[Place], str]:
    """The one candidate that lies close to a candidate of another open name (within
    ``limit``, clearly closer than the other candidates)."""
    others = [ps for key, ps in evidence.pending if key != item.key and len(ps) <= FEW]
    if not others or len(item.candidates) > FEW or any(p.kind != "town" for p in pool):
        return [], ""  # towns only: a region's or a country's point says little
    towns = [q for places in others for q in places if q.kind == "town"]
    return _clearly_closest(pool, towns, limit, "near another place named")


def _clearly_closest(
    pool: list[Place], anchors: list[Place], limit: float, reason: str
) -> tuple[list[Place], str]:
    """The candidate of ``pool`` closest to any of ``anchors``, when it lies within
    ``limit`` km and the next candidate is clearly farther (1.5 times, and 30 km more)."""
    gaps: list[tuple[float, int]] = []
    for i, place in enumerate(pool):
        known = [d for a in anchors if (d := distance_km(place, a)) is not None]
        if known:
            gaps.append((min(known), i))
    if not gaps:
        return [], ""
    gaps.sort()
    best, i = gaps[0]
    runner = gaps[1][0] if len(gaps) > 1 else math.inf
    if best <= limit and runner >= max(1.5 * best, best + 30.0):
        return [pool[i]], f"{reason} ({best:.0f} km)"
    return [], ""


def over_namesakes(pool: list[Place], *, landmarks: bool = False) -> tuple[list[Place], str]:
    """The one major town (with ``landmarks``: the one landmark) among small namesakes."""
    major = [p for p in pool if (is_landmark(p) if landmarks else is_major(p))]
    if len(major) == 1 and all(tier(p) >= 3 for p in pool if p is not major[0]):
        return major, importance_reason(major[0])
    return [], ""


def is_landmark(place: Place) -> bool:
    """A capital, a first-level region or a city of BIG_POPULATION: a namesake in the
    document's country or area of interest does not displace it."""
    return tier(place) <= 1 or place.population >= BIG_POPULATION


def _prefer(pool: list[Place], countries: frozenset[str], why: str) -> tuple[list[Place], str]:
    """The candidates in ``countries``, with the landmarks abroad still in the running."""
    inside = [p for p in pool if p.country in countries]
    if not inside:
        return [], ""
    kept = [p for p in pool if p.country in countries or is_landmark(p)]
    if len(kept) < len(pool):
        return kept, why
    return [], ""


def narrow_to_focus(pool: list[Place], focus: str | None) -> tuple[list[Place], str]:
    if not focus:
        return [], ""
    return _prefer(pool, frozenset({focus}), f"country focus {focus}")


def narrow_to_area(pool: list[Place], evidence: Evidence) -> tuple[list[Place], str]:
    """Candidates in the area of interest before namesakes abroad."""
    if not evidence.area:
        return [], ""
    return _prefer(pool, evidence.area, f"area of interest {','.join(sorted(evidence.area))}")


def by_name(pool: list[Place], evidence: Evidence) -> tuple[list[Place], str]:
    """Places whose own name is the one written before places abroad that merely list it
    among their alternate names ("Boni" is a Malian village, not Bonn's Latin name)."""
    named = [p for p in pool if p.matched_by == "name"]
    if not named:
        return [], ""
    home = evidence.area | {evidence.focus or ""}
    kept = [p for p in pool if p.matched_by == "name" or p.country in home or tier(p) <= 1]
    if len(kept) < len(pool):
        return kept, "own name before alternate names abroad"
    return [], ""


def by_importance(pool: list[Place]) -> tuple[list[Place], str]:
    ranked = sorted(pool, key=lambda p: (tier(p), -p.population))
    best, runner = ranked[0], ranked[1]
    if tier(best) < tier(runner) or best.population > max(2 * runner.population, 0):
        return [best], importance_reason(best)
    return [], ""


def importance_reason(place: Place) -> str:
    if place.population > 0 and place.kind != "country":
        return f"population ({place.population})"
    return f"importance ({place.feature_code})"


def same_place(pool: list[Place]) -> tuple[list[Place], str]:
    first = pool[0]
    gaps = [distance_km(first, p) for p in pool[1:]]
    if all(g is not None and g <= SAME_KM for g in gaps):
        return [first], f"same place ({len(pool)} entries within {SAME_KM:.0f} km)"
    return [], ""
