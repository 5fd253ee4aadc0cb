"""ACLED's names, mapped to Tocsin's: ACLED's country names and regions to ISO codes,
ACLED's actor names to Tocsin actor ids, for reading and writing ACLED exports.

A country is found by ISO2 code, numeric ISO code or name (ACLED's, an alias from
``knowledge/regions.toml``, or ISO 3166's). An actor's id is the Tocsin actor with exactly
that ACLED name (the country's military, police or government first when several share
it), else the generic id Tocsin's extraction gives that name ("Civilians (Mali)" ->
"civilians-mali"), else None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.geo.countries import IsoCountry, find_country, iso_country
from tocsin.knowledge.actors import ActorKnowledge, load_actors
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.text.fold import fold, slug

__all__ = ["AcledActors", "AcledCountries", "AcledCountry", "load_countries"]

# ---------------------------------------------------------------- countries


@dataclass(frozen=True, slots=True)
class AcledCountry:
    """A country as ACLED writes it: ISO codes, ACLED's name and region."""

    iso2: str
    name: str
    region: str
    numeric: int | None
    aliases: tuple[str, ...] = ()


class AcledCountries:
    """Countries by ISO2 code, numeric ISO code or name; ISO 3166 (pycountry) fills the
    countries the table lacks, with an empty region."""

    def __init__(self, countries: Iterable[AcledCountry]) -> None:
        self._by_iso2: dict[str, AcledCountry] = {}
        self._by_numeric: dict[int, AcledCountry] = {}
        self._by_name: dict[str, AcledCountry] = {}
        for c in countries:
            self._by_iso2[c.iso2] = c
            if c.numeric is not None:
                self._by_numeric[c.numeric] = c
            for name in (c.name, *c.aliases):
                self._by_name.setdefault(fold(name), c)

    def __iter__(self) -> Iterator[AcledCountry]:
        return iter(self._by_iso2.values())

    def get(self, iso2: str | None) -> AcledCountry | None:
        """The country with this ISO2 code (or, failing that, this name)."""
        if not iso2:
            return None
        code = iso2.strip().upper()
        if len(code) != 2:
            return self.find(iso2)
        return self._by_iso2.get(code) or _iso_country(iso_country(code))

    def by_numeric(self, numeric: int) -> AcledCountry | None:
        return self._by_numeric.get(numeric) or _iso_country(iso_country(numeric))

    def find(self, name: str) -> AcledCountry | None:
        """The country with this name (ACLED's, an alias, or ISO 3166's), or ISO2 code."""
        key = fold(name.strip())
        if not key:
            return None
        if (hit := self._by_name.get(key)) is not None:
            return hit
        if len(key) == 2 and key.isalpha():
            return self.get(key)
        return _iso_country(find_country(name))


def _iso_country(found: IsoCountry | None) -> AcledCountry | None:
    """A country from ISO 3166 (:mod:`tocsin.geo.countries`), with an empty region."""
    if found is None:
        return None
    return AcledCountry(found.alpha2, found.name, "", found.numeric)


def load_countries(path: Path | None = None) -> AcledCountries:
    """ACLED's country names and regions (``knowledge/regions.toml`` unless ``path``)."""
    if path is None:
        return _bundled_countries()
    return _countries(read_toml(path, what="country table"), path)


@per_knowledge_dir
def _bundled_countries() -> AcledCountries:
    return _countries(load_knowledge("regions"), knowledge_source("regions"))


def _countries(data: dict[str, Any], path: Path) -> AcledCountries:
    table = data.get("country", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [country] must be a table; see knowledge/regions.toml")
    countries = []
    for code, raw in table.items():
        iso = iso_country(code) if re.fullmatch(r"[A-Z]{2}", code) else None
        if iso is None:
            raise ConfigError(f"{path}: {code!r} is not an ISO 3166 alpha-2 code; fix the key")
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("name"), str)
            or not isinstance(raw.get("region"), str)
            or not all(isinstance(a, str) for a in raw.get("aliases", []))
        ):
            raise ConfigError(
                f"{path}: {code}: give {{ name = ..., region = ..., aliases = [...] }} as text"
            )
        countries.append(
            AcledCountry(
                code, raw["name"], raw["region"], iso.numeric, tuple(raw.get("aliases", []))
            )
        )
    return AcledCountries(countries)


# ---------------------------------------------------------------- actors


class AcledActors:
    """Tocsin actor ids <-> ACLED actor names."""

    def __init__(self, knowledge: ActorKnowledge, countries: AcledCountries) -> None:
        self._id_by_name: dict[str, str] = {}
        self._name_by_id: dict[str, str] = {}
        self._named: list[tuple[re.Pattern[str], str]] = []  # "Dozo Communal Militia (…)"
        for actor in knowledge.actors.values():
            acled = actor.acled
            if "{country}" in acled:  # named for the event's country: the first by default
                self._named.append((_template(acled), actor.id))
                home = knowledge.countries.get(actor.countries[0]) if actor.countries else None
                acled = acled.replace("{country}", home.name_en if home else "")
                acled = acled.replace(" ()", "")
            self._id_by_name.setdefault(acled, actor.id)
            self._name_by_id[actor.id] = acled
            for dated in actor.names:  # its names in earlier periods
                self._id_by_name.setdefault(dated.acled, actor.id)
        for country in knowledge.countries.values():
            for _role, ref in country.roles:  # the country's own forces win a shared name
                self._id_by_name[knowledge.actors[ref].acled] = ref
        names = {c.iso2: (c.name_en, c.period) for c in knowledge.countries.values()}
        for c in countries:
            names.setdefault(c.iso2, (c.name, None))
        self._templates: list[re.Pattern[str]] = []
        for kind in knowledge.generics.values():
            self._templates.append(_template(kind.acled))
            for iso2, (country_name, period) in names.items():
                known = knowledge.countries.get(iso2)
                if kind.role and known is not None and known.role(kind.role):
                    continue  # the named actor stands for it
                suffix = f" ({period})" if period else ""
                name = kind.acled.format(country=country_name, period=suffix)
                self._name_by_id.setdefault(slug(name), name)

    @classmethod
    def default(cls) -> AcledActors:
        """From the bundled actors and country table."""
        return _bundled_actors()

    def name(self, actor_id: str) -> str:
        """The ACLED name of an actor id; the id itself when it is not known."""
        return self._name_by_id.get(actor_id, actor_id)

    def actor_id(self, name: str) -> str | None:
        """The actor id of an ACLED name, or None."""
        if (found := self._id_by_name.get(name)) is not None:
            return found
        if (named := next((i for t, i in self._named if t.fullmatch(name)), None)) is not None:
            return named
        if any(t.fullmatch(name) for t in self._templates):
            return slug(name)
        return None


@per_knowledge_dir
def _bundled_actors() -> AcledActors:
    return AcledActors(load_actors(), load_countries())


def _template(acled: str) -> re.Pattern[str]:
    """A regular expression for a generic actor name template: "Civilians ({country})"."""
    parts = re.split(r"(\{country\}|\{period\})", acled)
    pattern = "".join(
        r".+?" if p == "{country}" else r"(?: \(\d{4}-(?:\d{4})?\))?" if p == "{period}" else
        re.escape(p)
        for p in parts
    )  # fmt: skip
    return re.compile(pattern)
