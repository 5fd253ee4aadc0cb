"""Areas: what a user means by "Mali", "Koulikoro" or "Bamako", and what lies inside.

An :class:`Area` is a country (ISO2), a first-level region (admin1, within its country),
a town (a point with a catchment radius) or everywhere. :func:`resolve_area` turns a
name or a code into one, from the offline gazetteer; ``Area.contains`` says whether an
event is inside it, ``contains_point`` whether a place is, ``contains_level`` whether
a stored risk level is.

Matching is by attributes, not geometry: an event is in a country or a region when its
coded country (and region) say so; in a town when it is coded at that town or lies within
the town's radius (events known only by their region's centroid never count for a town).

The words a user may write for "everywhere" and for "the town" ("Kayes (ville)") are
``knowledge/areas.toml``'s, every language's together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tocsin.errors import ConfigError, InputError
from tocsin.geo.countries import country_name, iso_country
from tocsin.geo.distance import haversine_km
from tocsin.geo.gazetteer import Gazetteer, Place, admin_display, name_key
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.models import Event, RiskLevel

__all__ = ["AREA_SCOPES", "EVERYWHERE", "Area", "resolve_area", "town_radius_km"]

AREA_SCOPES: tuple[str, ...] = ("all", "country", "admin1", "town")
_EVERYWHERE_KEYS = frozenset({"all", "*"})  # in any language; the words: knowledge/areas.toml
_KEY = re.compile(r"^(country|admin1):([A-Za-z]{2})(?::(.+))?$")


@dataclass(frozen=True, slots=True)
class Area:
    """A place to watch. ``scope`` is one of AREA_SCOPES; a town has its point and
    ``radius_km``, its catchment (``knowledge/risk.toml`` [area] radius_km)."""

    name: str  # canonical name ("Bamako", "Mali", "Kayes Region")
    scope: str  # "all" | "country" | "admin1" | "town"
    country: str | None = None  # ISO2
    admin1: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    radius_km: float = 0.0

    @property
    def key(self) -> str:
        """The place key of its risk levels: "all", "country:ML", "admin1:ML:Koulikoro",
        "town:2460596" (or "town:12.6500,-8.0000" for a town without a geonameid)."""
        if self.scope == "country":
            return f"country:{self.country}"
        if self.scope == "admin1":
            return f"admin1:{self.country}:{self.admin1}"
        if self.scope == "town":
            if self.geonameid is not None:
                return f"town:{self.geonameid}"
            return f"town:{self.lat:.4f},{self.lon:.4f}"
        return "all"

    def contains(self, event: Event) -> bool:
        """Whether the event is in the area (see the module's docstring)."""
        if self.scope == "town":
            if self.geonameid is not None and event.geonameid == self.geonameid:
                return True
            if event.geo_precision == 3:
                return False
        return self.contains_point(event.lat, event.lon, country=event.country, admin1=event.admin1)

    def contains_point(
        self,
        lat: float | None,
        lon: float | None,
        *,
        country: str | None = None,
        admin1: str | None = None,
    ) -> bool:
        """Whether a place is in the area: by ``country`` (and ``admin1``) for a country
        or a region, by distance for a town; what is not known is not inside."""
        if self.scope == "all":
            return True
        if self.scope == "town":
            if lat is None or lon is None or self.lat is None or self.lon is None:
                return False
            return haversine_km(self.lat, self.lon, lat, lon) <= self.radius_km
        if country is None or country.upper() != self.country:
            return False
        if self.scope == "admin1":
            return admin1 is not None and name_key(admin1) == name_key(self.admin1 or "")
        return True

    def contains_level(self, level: RiskLevel) -> bool:
        """Whether a risk level's place is in the area: itself, a region or town of a
        country, a town of a region, a town or point within a town's radius."""
        if level.place_key == self.key or self.scope == "all":
            return True
        if self.scope == "town":
            return level.scope in ("town", "point") and self.contains_point(level.lat, level.lon)
        if level.scope == "country":
            return False
        return self.contains_point(level.lat, level.lon, country=level.country, admin1=level.admin1)


EVERYWHERE = Area(name="everywhere", scope="all")


@dataclass(frozen=True, slots=True)
class _AreaWords:
    """The words of ``knowledge/areas.toml``, every language's together."""

    everywhere: frozenset[str]  # casefolded whole names
    town_hint: re.Pattern[str]  # "(town)", "ville" at the end of a name


@per_knowledge_dir
def _area_words() -> _AreaWords:
    data, source = load_knowledge("areas"), knowledge_source("areas")
    words: dict[str, list[str]] = {"everywhere": [], "town": []}
    for lang, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(
                f"{source}: {lang} is not a table; write [{lang}] with everywhere and town lists"
            )
        for key, into in words.items():
            values = table.get(key, [])
            if not isinstance(values, list) or not all(
                isinstance(v, str) and v.strip() for v in values
            ):
                raise ConfigError(
                    f'{source}: [{lang}] {key} must be a list of words; write {key} = ["..."]'
                )
            into += [" ".join(v.split()) for v in values]
    town = "|".join(re.escape(w) for w in dict.fromkeys(words["town"])) or "(?!)"
    return _AreaWords(
        everywhere=_EVERYWHERE_KEYS | {w.casefold() for w in words["everywhere"]},
        town_hint=re.compile(rf"\s*(?:\((?:{town})\)|\b(?:{town}))\s*$", re.I),
    )


@per_knowledge_dir
def town_radius_km() -> float:
    """A town's catchment in km: ``[area] radius_km`` of the risk knowledge file
    (``knowledge/risk.toml``, or the user's over it), the radius the risk levels use."""
    area = load_knowledge("risk").get("area")
    value = area.get("radius_km") if isinstance(area, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0.1:
        raise ConfigError(
            f"{knowledge_source('risk')}: area.radius_km = {value!r} must be a number >= 0.1"
        )
    return float(value)


def resolve_area(
    name: str, *, gazetteer: Gazetteer | None = None, radius_km: float | None = None
) -> Area:
    """The area a user names: "all", an ISO2 code ("ML"), a country ("Mali", "Tchad"), a
    region ("Koulikoro", "Kayes region"), a town ("Bamako", "Kayes (town)"), or a place
    key ("country:ML", "admin1:ML:Koulikoro"). Among places of one name, the gazetteer's
    ranking decides (a country, then a region, then the largest town); add "(town)" to
    mean the town. ``radius_km`` is a town's catchment (default: knowledge/risk.toml).
    Raises ``InputError`` naming the input when nothing matches."""
    text = " ".join(name.split())
    if not text:
        raise InputError("area ''", "no area given", "name a country, a region or a town")
    words = _area_words()
    if text.casefold() in words.everywhere:
        return EVERYWHERE
    if radius_km is None:
        radius_km = town_radius_km()
    if match := _KEY.match(text):
        code = _country(match.group(2), name)
        if match.group(1) == "country" and not match.group(3):
            return Area(name=country_name(code), scope="country", country=code)
        if match.group(1) == "admin1" and match.group(3):
            admin1 = match.group(3).strip()
            return Area(name=admin1, scope="admin1", country=code, admin1=admin1)
        raise InputError(
            f"area {name}", "not a place key", "write country:ML or admin1:ML:Koulikoro"
        )
    if len(text) == 2 and text.isalpha() and text.isupper():
        code = _country(text, name)
        return Area(name=country_name(code), scope="country", country=code)
    want_town = bool(words.town_hint.search(text))
    query = words.town_hint.sub("", text).strip() if want_town else text
    places = (gazetteer or Gazetteer.load()).lookup(query, limit=20) if query else []
    if want_town:
        places = [p for p in places if p.kind == "town"]
    place = _choose(places)
    if place is None:
        raise InputError(
            f"area {name}",
            "not a country, region or town known to the gazetteer",
            f"check the spelling with `tocsin gazetteer lookup {query or text}`",
        )
    return _area(place, radius_km)


def _choose(places: list[Place]) -> Place | None:
    """The first country, first-level region or town; else the first place with a point."""
    for place in places:
        if place.kind in ("country", "town") or place.feature_code == "ADM1":
            return place
    for place in places:
        if place.lat is not None and place.lon is not None:
            return place
    return None


def _area(place: Place, radius_km: float) -> Area:
    if place.kind == "country":
        return Area(name=country_name(place.country), scope="country", country=place.country)
    if place.feature_code == "ADM1":
        admin1 = place.admin1 or admin_display(place.name)
        return Area(
            name=place.name, scope="admin1", country=place.country, admin1=admin1,
            geonameid=place.geonameid, lat=place.lat, lon=place.lon,
        )  # fmt: skip
    return Area(
        name=place.name, scope="town", country=place.country, admin1=place.admin1,
        geonameid=place.geonameid, lat=place.lat, lon=place.lon, radius_km=radius_km,
    )  # fmt: skip


def _country(code: str, name: str) -> str:
    found = iso_country(code) if len(code) == 2 else None
    if found is None:
        raise InputError(
            f"area {name}", "not an ISO 3166 country code", "give a code such as ML or a name"
        )
    return found.alpha2
