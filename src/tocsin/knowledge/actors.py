"""The actor knowledge base (``knowledge/actors.toml``) and its loader.

Actors with their aliases, the countries that generic actors are named after, and
per-language lexicons of generic phrases ("des hommes armés non identifiés", "soldiers").
A user's file in the same format adds to it; a broken file is a one-line ``ConfigError``.
The ACLED naming of actors (dated names, parent-group coding, community tables) is read
by :mod:`tocsin.knowledge.actor_names`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.actor_names import (
    ID,
    LANGS,
    Community,
    DatedName,
    fail,
    read_community,
    read_dated_names,
    read_parent_rule,
    read_string,
)
from tocsin.knowledge.files import (
    knowledge_path,
    knowledge_source,
    load_knowledge,
    per_knowledge_dir,
)
from tocsin.text.fold import fold

KNOWLEDGE_FILE = knowledge_path("actors.toml")  # the bundled file

TYPES = frozenset(
    {
        "state force",
        "rebel group",
        "political militia",
        "identity militia",
        "rioters",
        "protesters",
        "civilians",
        "external force",
        "government",
        "international organisation",
    }
)
_ISO2 = re.compile(r"^[A-Z]{2}$")

# ---------------------------------------------------------------------------
# Knowledge


@dataclass(frozen=True, slots=True)
class Alias:
    text: str
    lang: str | None = None
    descriptive: bool = False
    cased: bool = False  # match only with the alias's exact case (accents still ignored)


@dataclass(frozen=True, slots=True)
class Relation:
    """A link to another actor: a parent, or the actor this one succeeded."""

    id: str
    since: int | None = None
    until: int | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name_en: str
    name_fr: str
    acled: str
    type: str
    inter: int
    countries: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None
    parents: tuple[Relation, ...] = ()
    succeeded: tuple[Relation, ...] = ()
    associated: tuple[str, ...] = ()
    aliases: tuple[Alias, ...] = ()
    names: tuple[DatedName, ...] = ()  # ACLED's names by period; ``acled`` is today's
    # how ACLED codes a sub-group's events: "actor" (the parent as actor, the sub-group
    # as its associate), "associate" (the sub-group as actor, the parent as associate)
    acled_parent: str | None = None

    def name(self, lang: str = "en") -> str:
        return self.name_fr if lang == "fr" else self.name_en

    def acled_on(self, when: date | None) -> str:
        """The ACLED name as of ``when`` (None: today's): the dated name that holds
        then, else ``acled``."""
        if when is not None:
            for dated in self.names:
                if dated.holds(when):
                    return dated.acled
        return self.acled

    def parent_on(self, when: date | None) -> str | None:
        """The id of the parent this actor belonged to in ``when``'s year (None: today),
        or None."""
        year = when.year if when is not None else None
        for rel in self.parents:
            if year is None and rel.until is None:
                return rel.id
            if year is not None and (rel.since or 0) <= year <= (rel.until or 9999):
                return rel.id
        return None


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    name_en: str
    name_fr: str
    aliases: tuple[str, ...] = ()
    period: str | None = None  # ACLED regime period, "2021-"
    roles: tuple[tuple[str, str], ...] = ()  # ("military", "fama"), ...

    def role(self, role: str) -> str | None:
        return dict(self.roles).get(role)


@dataclass(frozen=True, slots=True)
class GenericKind:
    """A kind of generic actor ("armed-group", "civilians") and its phrases."""

    kind: str
    name: str  # without a country: "Unidentified Armed Group"
    acled: str  # template: "{country}" and "{period}" (" (2021-)" or "")
    inter: int
    role: str | None = None  # resolve to the country's named actor for this role
    phrases: tuple[Alias, ...] = ()


@dataclass(frozen=True, slots=True)
class ActorKnowledge:
    actors: dict[str, Actor]
    countries: dict[str, Country]
    generics: dict[str, GenericKind]

    def country(self, country: str) -> Country:
        """A country by ISO2 code or by English or French name (any case, any accents)."""
        key = fold(country.strip())
        for c in self.countries.values():
            names = (c.iso2, c.name_en, c.name_fr, *c.aliases)
            if any(fold(n) == key for n in names):
                return c
        if len(key) == 2 and (other := _iso_country(key)) is not None:
            return other
        known = ", ".join(sorted(self.countries))
        raise ValueError(
            f"country {country!r}: not known; use an ISO2 code ({known}) "
            "or add a [country.XX] table to your actors file"
        )

    def children(self, actor_id: str) -> list[Actor]:
        return [a for a in self.actors.values() if any(p.id == actor_id for p in a.parents)]


_ACTOR_KEYS = frozenset(
    {
        "id", "name_en", "name_fr", "acled", "type", "inter", "countries", "since", "until",
        "parents", "succeeded", "associated", "aliases", "names", "acled_parent",
    }
)  # fmt: skip
_COUNTRY_KEYS = frozenset(
    {"name_en", "name_fr", "aliases", "period", "military", "police", "gendarmerie", "government"}
)
_GENERIC_KEYS = frozenset({"name", "acled", "inter", "role", "en", "fr"})
_LIST_KEYS = ("aliases", "parents", "succeeded", "associated", "countries")


def _iso_country(code: str) -> Country | None:
    """A country the actors file does not describe, named from ISO 3166 (generic actors
    are then "Civilians (Bolivia)", with no regime period and no named forces)."""
    import pycountry

    found = pycountry.countries.get(alpha_2=code.upper())
    if found is None:
        return None
    name = str(getattr(found, "common_name", None) or found.name)
    return Country(iso2=found.alpha_2, name_en=name, name_fr=name)


def load_actors(extra: Path | str | None = None) -> ActorKnowledge:
    """The bundled actors (with the knowledge folder's), then the user's file at
    ``extra`` (same format) added on top."""
    source = knowledge_source("actors")
    data = _check(load_knowledge("actors"), source)
    sources = [source]
    if extra is not None:
        extra = Path(extra)
        _merge(data, _read(extra), extra)
        sources.append(extra)
    return _build(data, sources[-1])


def apostrophe_words() -> tuple[frozenset[str], frozenset[str]]:
    """The folded words that an apostrophe never joins to the next (elided: "l'armée")
    and those after one that stand alone (possessive: "Mali's"): ``[words.LANG]``."""
    return _apostrophe_words()


@per_knowledge_dir
def _apostrophe_words() -> tuple[frozenset[str], frozenset[str]]:
    source = knowledge_source("actors")
    words = _check(load_knowledge("actors"), source).get("words", {})
    found: dict[str, set[str]] = {"elided": set(), "possessive": set()}
    for lang, table in words.items():
        if not isinstance(table, dict) or set(table) - set(found):
            raise ConfigError(f"{source}: [words.{lang}] takes elided and possessive lists")
        for key, values in table.items():
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ConfigError(f"{source}: [words.{lang}] {key} must be a list of words")
            found[key] |= {fold(v) for v in values}
    return frozenset(found["elided"]), frozenset(found["possessive"])


def _read(path: Path) -> dict[str, Any]:
    return _check(read_toml(path, what="actors file"), path)


def _check(data: dict[str, Any], path: Path) -> dict[str, Any]:
    unknown = set(data) - {"actor", "country", "generic", "community", "words"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown table(s) {', '.join(sorted(unknown))}; "
            "use [[actor]], [country.XX], [generic.KIND], [community.ID] or [words.LANG]"
        )
    shapes = (
        ("actor", list), ("country", dict), ("generic", dict), ("community", dict),
        ("words", dict),
    )  # fmt: skip
    for key, kind in shapes:
        if key in data and not isinstance(data[key], kind):
            raise ConfigError(f"{path}: '{key}' has the wrong shape; see knowledge/actors.toml")
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any], path: Path) -> None:
    by_id = {a.get("id"): a for a in base.get("actor", [])}
    for entry in extra.get("actor", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ConfigError(f"{path}: an [[actor]] has no id; give each actor an id")
        if (old := by_id.get(entry["id"])) is None:
            base.setdefault("actor", []).append(entry)
            by_id[entry["id"]] = entry
            continue
        for key, value in entry.items():
            if key in _LIST_KEYS and isinstance(value, list):
                # the user's aliases come first: they win over ours on a tie
                old[key] = value + [v for v in old.get(key, []) if v not in value]
            else:
                old[key] = value
    for table in ("country", "generic", "community"):
        for key, value in extra.get(table, {}).items():
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: [{table}.{key}] must be a table")
            old = base.setdefault(table, {}).setdefault(key, {})
            for k, v in value.items():
                if k in ("en", "fr", "aliases") and isinstance(v, list):
                    old[k] = v + old.get(k, [])
                else:
                    old[k] = v


def _build(data: dict[str, Any], path: Path) -> ActorKnowledge:
    countries = {
        iso: _country(iso, raw, path) for iso, raw in sorted(data.get("country", {}).items())
    }
    actors: dict[str, Actor] = {}
    for raw in data.get("actor", []):
        actor = _actor(raw, path)
        if actor.id in actors:
            raise ConfigError(f"{path}: actor {actor.id!r} is defined twice; keep one")
        actors[actor.id] = actor
    for actor in actors.values():
        refs = [r.id for r in (*actor.parents, *actor.succeeded)] + list(actor.associated)
        for ref in refs:
            if ref not in actors:
                raise ConfigError(
                    f"{path}: actor {actor.id!r} refers to unknown actor {ref!r}; "
                    "define it or fix the id"
                )
        for iso in actor.countries:
            if iso not in countries:
                raise ConfigError(
                    f"{path}: actor {actor.id!r}: unknown country {iso!r}; add [country.{iso}]"
                )
    for c in countries.values():
        for role, ref in c.roles:
            if ref not in actors:
                raise ConfigError(
                    f"{path}: [country.{c.iso2}] {role} = {ref!r} is not a known actor"
                )
    generics: dict[str, GenericKind] = {}
    communities = data.get("community", {})
    for key, raw in data.get("generic", {}).items():
        generic = _generic(key, raw, path)
        if "{community}" not in generic.acled:
            generics[key] = generic
            continue
        for community, forms in sorted(communities.items()):
            found = _community_kind(generic, read_community(community, forms, path))
            generics[found.kind] = found
    return ActorKnowledge(actors=actors, countries=countries, generics=generics)


def _year(raw: dict[str, Any], key: str, path: Path, where: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2100:
        raise fail(path, where, f"'{key}' must be a year")
    return value


def _inter(raw: dict[str, Any], path: Path, where: str) -> int:
    value = raw.get("inter")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 8:
        raise fail(path, where, "'inter' must be an ACLED inter code from 1 to 8")
    return value


def _aliases(values: Any, path: Path, where: str) -> tuple[Alias, ...]:
    if not isinstance(values, list):
        raise fail(path, where, "aliases must be a list")
    out = []
    for v in values:
        if isinstance(v, str):
            out.append(Alias(v))
            continue
        if not isinstance(v, dict) or not isinstance(v.get("text"), str):
            raise fail(path, where, f"alias {v!r} must be a string or a table with 'text'")
        if set(v) - {"text", "lang", "descriptive", "cased"}:
            raise fail(path, where, f"alias {v['text']!r} has unknown keys")
        lang = v.get("lang")
        if lang is not None and lang not in LANGS:
            raise fail(path, where, f"alias {v['text']!r}: lang must be one of {sorted(LANGS)}")
        out.append(Alias(v["text"], lang, bool(v.get("descriptive")), bool(v.get("cased"))))
    return tuple(out)


def _relations(values: Any, path: Path, where: str, key: str) -> tuple[Relation, ...]:
    if not isinstance(values, list):
        raise fail(path, where, f"'{key}' must be a list")
    out = []
    for v in values:
        if isinstance(v, str):
            out.append(Relation(v))
        elif isinstance(v, dict) and isinstance(v.get("id"), str):
            rel = f"{where} {key} {v['id']}"
            out.append(
                Relation(v["id"], _year(v, "since", path, rel), _year(v, "until", path, rel))
            )
        else:
            raise fail(path, where, f"'{key}' entries must be ids or {{ id = ... }} tables")
    return tuple(out)


def _actor(raw: Any, path: Path) -> Actor:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [[actor]] entries must be tables")
    where = f"actor {raw.get('id', '?')!r}"
    actor_id = read_string(raw, "id", path, where)
    if not ID.match(actor_id):
        raise fail(path, where, "'id' must be lower case letters, digits and '-'")
    if unknown := set(raw) - _ACTOR_KEYS:
        raise fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    kind = read_string(raw, "type", path, where)
    if kind not in TYPES:
        raise fail(path, where, f"type {kind!r} is not one of {', '.join(sorted(TYPES))}")
    countries = raw.get("countries", [])
    if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
        raise fail(path, where, "'countries' must be a list of ISO2 codes")
    associated = raw.get("associated", [])
    if not isinstance(associated, list) or not all(isinstance(c, str) for c in associated):
        raise fail(path, where, "'associated' must be a list of actor ids")
    name_en = read_string(raw, "name_en", path, where)
    return Actor(
        id=actor_id,
        name_en=name_en,
        name_fr=read_string(raw, "name_fr", path, where, required=False) or name_en,
        acled=read_string(raw, "acled", path, where, required=False) or name_en,
        type=kind,
        inter=_inter(raw, path, where),
        countries=tuple(countries),
        since=_year(raw, "since", path, where),
        until=_year(raw, "until", path, where),
        parents=_relations(raw.get("parents", []), path, where, "parents"),
        succeeded=_relations(raw.get("succeeded", []), path, where, "succeeded"),
        associated=tuple(associated),
        aliases=_aliases(raw.get("aliases", []), path, where),
        names=read_dated_names(raw.get("names", []), path, where),
        acled_parent=read_parent_rule(raw, path, where),
    )


def _country(iso: str, raw: Any, path: Path) -> Country:
    where = f"[country.{iso}]"
    if not _ISO2.match(iso) or not isinstance(raw, dict):
        raise fail(path, where, "countries are tables named by ISO2 code, [country.ML]")
    if unknown := set(raw) - _COUNTRY_KEYS:
        raise fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise fail(path, where, "'aliases' must be a list of names")
    name_en = read_string(raw, "name_en", path, where)
    roles = tuple(
        (role, read_string(raw, role, path, where))
        for role in ("military", "police", "gendarmerie", "government")
        if role in raw
    )
    return Country(
        iso2=iso,
        name_en=name_en,
        name_fr=read_string(raw, "name_fr", path, where, required=False) or name_en,
        aliases=tuple(aliases),
        period=read_string(raw, "period", path, where, required=False) or None,
        roles=roles,
    )


def _community_kind(generic: GenericKind, community: Community) -> GenericKind:
    """A community's militia from a generic with "{community}": "Fulani militiamen",
    "miliciens peuls" -> "Fulani Ethnic Militia (Mali)"."""
    phrases: list[Alias] = []
    for lang, forms in community.forms:
        for phrase in generic.phrases:
            if phrase.lang != lang:
                continue
            for form in forms:
                text = phrase.text.replace("{community}", form)
                phrases.append(Alias(text, lang, phrase.descriptive, phrase.cased))
    return GenericKind(
        kind=f"{generic.kind}-{community.id}",
        name=generic.name.replace("{community}", community.acled),
        acled=generic.acled.replace("{community}", community.acled),
        inter=generic.inter,
        role=generic.role,
        phrases=tuple(phrases),
    )


def _generic(kind: str, raw: Any, path: Path) -> GenericKind:
    where = f"[generic.{kind}]"
    if not isinstance(raw, dict):
        raise fail(path, where, "must be a table")
    if unknown := set(raw) - _GENERIC_KEYS:
        raise fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    phrases: list[Alias] = []
    for lang in sorted(LANGS):
        for alias in _aliases(raw.get(lang, []), path, where):
            phrases.append(Alias(alias.text, lang, alias.descriptive, alias.cased))
    return GenericKind(
        kind=kind,
        name=read_string(raw, "name", path, where),
        acled=read_string(raw, "acled", path, where),
        inter=_inter(raw, path, where),
        role=read_string(raw, "role", path, where, required=False) or None,
        phrases=tuple(phrases),
    )
