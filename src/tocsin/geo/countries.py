"""Countries by ISO 3166 code or name: the one reader of pycountry's country table.

A country is found by its alpha-2 ("ML"), alpha-3 ("MLI") or numeric ("466") code, or
by its English or French name, common or official ("Mali", "Tchad", "Côte d'Ivoire",
"cote d’ivoire": case, accents and apostrophes do not matter). Names shown to people
are the common ones ("Bolivia", not "Bolivia, Plurinational State of").
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from typing import Any

from tocsin.errors import InputError
from tocsin.text.fold import fold

__all__ = [
    "IsoCountry",
    "all_countries",
    "country_code",
    "country_name",
    "find_country",
    "french_translation",
    "iso_country",
    "iso_numeric",
    "names_of",
]


_NAMES = ("name", "common_name", "official_name")


@dataclass(frozen=True, slots=True)
class IsoCountry:
    """One country of ISO 3166-1: its codes and its common English name."""

    alpha2: str
    alpha3: str
    numeric: int
    name: str


@cache
def french_translation(domain: str = "iso3166-1") -> gettext.NullTranslations:
    """pycountry's French names: ``iso3166-1`` for countries, ``iso3166-2`` for their
    subdivisions (``.gettext(english_name)``)."""
    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["fr"], fallback=True)


def _iso(record: Any) -> IsoCountry:
    name = str(getattr(record, "common_name", None) or record.name)
    return IsoCountry(str(record.alpha_2), str(record.alpha_3), int(record.numeric), name)


@cache
def _table() -> tuple[tuple[IsoCountry, frozenset[str]], ...]:
    """Every country of ISO 3166-1, in pycountry's order, with its English and French
    names (its name, common and official names and their French translations)."""
    import pycountry

    french = french_translation()
    rows = []
    for record in pycountry.countries:
        english = [str(n) for a in _NAMES if (n := getattr(record, a, None))]
        rows.append((_iso(record), frozenset(english + [french.gettext(n) for n in english])))
    return tuple(rows)


def all_countries() -> tuple[IsoCountry, ...]:
    """Every country of ISO 3166-1."""
    return tuple(country for country, _ in _table())


def names_of(alpha2: str) -> frozenset[str]:
    """The English and French names of a country (name, common and official names), none
    for a code that is not one."""
    return _names().get(alpha2.strip().upper(), frozenset())


@cache
def _names() -> dict[str, frozenset[str]]:
    return {country.alpha2: names for country, names in _table()}


@cache
def _by_code() -> dict[str, IsoCountry]:
    """Alpha-2, alpha-3 and numeric codes (as written, "466") -> country."""
    found: dict[str, IsoCountry] = {}
    for country, _ in _table():
        for code in (country.alpha2, country.alpha3, f"{country.numeric:03d}"):
            found.setdefault(code, country)
    return found


@cache
def _by_name() -> dict[str, IsoCountry]:
    """Folded English and French names and alpha-3 codes -> country."""
    found: dict[str, IsoCountry] = {}
    for country, names in _table():
        for name in sorted(names):
            found.setdefault(fold(name), country)
        found.setdefault(fold(country.alpha3), country)
    return found


def iso_country(code: str | int | None) -> IsoCountry | None:
    """The country of an ISO code: alpha-2 ("ML", any case), alpha-3 or numeric (466 or
    "466"); None when there is none."""
    if code is None:
        return None
    if isinstance(code, int):
        return _by_code().get(f"{code:03d}")
    return _by_code().get(code.strip().upper())


def find_country(text: str) -> IsoCountry | None:
    """The country of an ISO code or of an English or French name; None when none."""
    value = text.strip()
    if not value:
        return None
    return iso_country(value) or _by_name().get(fold(value))


def country_code(text: str) -> str:
    """ISO 3166-1 alpha-2 code of a code or an English or French country name. Two
    letters are taken as a code as they are ("ml" -> "ML"). Raises ``InputError``."""
    value = text.strip()
    if len(value) == 2 and value.isalpha():
        return value.upper()
    found = find_country(value)
    if found is None:
        raise InputError(
            f"country {text}",
            "not a country code or name known to ISO 3166",
            "give an ISO code (ML) or a name in English or French (Mali, Tchad)",
        )
    return found.alpha2


def country_name(alpha2: str | None, lang: str = "en") -> str:
    """The country's common name in ``lang`` ("Mali", "Sénégal" in French), or the code
    itself when it is none."""
    found = iso_country(alpha2) if alpha2 and len(alpha2.strip()) == 2 else None
    if found is None:
        return alpha2 or ""
    return french_translation().gettext(found.name) if lang == "fr" else found.name


def iso_numeric(alpha2: str | None) -> str | None:
    """ISO 3166-1 numeric code ("466") of an alpha-2 code ("ML"): world-atlas's ids."""
    found = iso_country(alpha2) if alpha2 and len(alpha2.strip()) == 2 else None
    return f"{found.numeric:03d}" if found is not None else None
