"""The named narratives and the parties they blame (``knowledge/narratives.toml``), and
a user's file in the same format added on top. A broken file is a one-line
``ConfigError`` naming the file and what to fix."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.knowledge.lexicon import LANG

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PATTERN = re.compile(r"^[a-z0-9*][a-z0-9_*-]*$")
_NARRATIVE_KEYS = frozenset({"id", "name_en", "name_fr", "blames", "seeds", "cues"})
_PARTY_KEYS = frozenset(
    {"id", "name_en", "name_fr", "kind", "actors", "role", "aliases", "country"}
)
_ISO2 = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class Narrative:
    """A recurring claim with a name, the sentences and cues that say it, and who it
    blames (party or actor ids, ``*`` wildcards allowed)."""

    id: str
    name_en: str
    name_fr: str
    blames: tuple[str, ...] = ()
    seeds: tuple[tuple[str, str], ...] = ()  # (language, sentence)
    cues: tuple[tuple[str, str], ...] = ()  # (language, phrase)

    def name(self, lang: str = "en") -> str:
        return self.name_fr if lang == "fr" else self.name_en


@dataclass(frozen=True, slots=True)
class Party:
    """Someone a narrative blames that the actor knowledge base does not hold (a country,
    a community, the press), or a name for one of its actors ("nos dirigeants")."""

    id: str
    name_en: str
    name_fr: str
    kind: str = ""
    actors: tuple[str, ...] = ()
    role: str | None = None
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO2: the nationals of this country

    def name(self, lang: str = "en") -> str:
        return self.name_fr if lang == "fr" else self.name_en


@dataclass(frozen=True, slots=True)
class NarrativeKnowledge:
    narratives: tuple[Narrative, ...]
    parties: tuple[Party, ...]
    counter: tuple[tuple[str, str], ...] = ()  # (language, phrase) of counter-speech
    clauses: tuple[tuple[str, str], ...] = ()  # (language, word) that opens a new clause

    def narrative(self, narrative_id: str) -> Narrative | None:
        return next((n for n in self.narratives if n.id == narrative_id), None)

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)


def load_narratives(extra: Path | str | None = None) -> NarrativeKnowledge:
    """The bundled narratives and parties, then the user's file (same format) on top."""
    if extra is None:
        return _bundled()
    base = _bundled()
    path = Path(extra)
    return _merge(base, _read(path))


@per_knowledge_dir
def _bundled() -> NarrativeKnowledge:
    return _knowledge(load_knowledge("narratives"), knowledge_source("narratives"))


def _merge(base: NarrativeKnowledge, extra: NarrativeKnowledge) -> NarrativeKnowledge:
    narratives = {n.id: n for n in base.narratives}
    for n in extra.narratives:
        old = narratives.get(n.id)
        if old is not None:
            n = Narrative(
                n.id, n.name_en, n.name_fr, _union(old.blames, n.blames),
                _union(n.seeds, old.seeds), _union(n.cues, old.cues),
            )  # fmt: skip
        narratives[n.id] = n
    parties = {p.id: p for p in base.parties}
    for p in extra.parties:
        old_party = parties.get(p.id)
        if old_party is not None:
            p = Party(
                p.id, p.name_en, p.name_fr, p.kind or old_party.kind,
                _union(old_party.actors, p.actors), p.role or old_party.role,
                _union(p.aliases, old_party.aliases), p.country or old_party.country,
            )  # fmt: skip
        parties[p.id] = p
    counter = _union(extra.counter, base.counter)
    clauses = _union(extra.clauses, base.clauses)
    return NarrativeKnowledge(tuple(narratives.values()), tuple(parties.values()), counter, clauses)


def _union(first: tuple[Any, ...], then: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys((*first, *then)))


def _read(path: Path) -> NarrativeKnowledge:
    data = read_toml(path, what="narratives file", missing="check the narratives file path")
    return _knowledge(data, path)


def _knowledge(data: dict[str, Any], path: Path) -> NarrativeKnowledge:
    if unknown := set(data) - {"narrative", "party", "counter", "clauses"}:
        raise ConfigError(
            f"{path}: unknown table(s) {', '.join(sorted(unknown))}; use [[narrative]], "
            "[[party]], [counter] and [clauses] (see knowledge/narratives.toml)"
        )
    counter = _per_language(f"{path}: [counter]", "counter", data.get("counter"))
    clauses = _per_language(f"{path}: [clauses]", "clauses", data.get("clauses"))
    narratives = [
        _narrative(path, i, item) for i, item in enumerate(_items(path, data, "narrative"), 1)
    ]
    parties = [_party(path, i, item) for i, item in enumerate(_items(path, data, "party"), 1)]
    for kind, ids in (
        ("narrative", [n.id for n in narratives]),
        ("party", [p.id for p in parties]),
    ):
        if len(set(ids)) != len(ids):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            raise ConfigError(f"{path}: {kind} id(s) {', '.join(twice)} given twice; keep one")
    return NarrativeKnowledge(tuple(narratives), tuple(parties), counter, clauses)


def _items(path: Path, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ConfigError(f"{path}: {key} must be an array of tables; write [[{key}]]")
    return items


def _where(path: Path, kind: str, i: int, item: dict[str, Any]) -> str:
    return f"{path}: {kind} {item.get('id', i)!r}"


def _identity(path: Path, kind: str, i: int, item: dict[str, Any], keys: frozenset[str]) -> str:
    where = _where(path, kind, i, item)
    if unknown := set(item) - keys:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    ident = item.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise ConfigError(f"{where}: id must be lower case letters, digits, '_' or '-'")
    for key in ("name_en", "name_fr"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ConfigError(f"{where}: {key} is missing; give its name in English and French")
    return ident


def _strings(
    where: str, key: str, value: Any, *, pattern: re.Pattern[str] | None = None
) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f'{where}: {key} must be a list of non-empty strings, ["..."]')
    if pattern is not None and (bad := [v for v in value if not pattern.match(v)]):
        raise ConfigError(f"{where}: {key} {bad[0]!r} is not an id (lower case, '-', '*')")
    return tuple(v.strip() for v in value)


def _per_language(where: str, key: str, value: Any) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a table of languages: fr = [...], en = [...]")
    out: list[tuple[str, str]] = []
    for lang, phrases in value.items():
        if not LANG.match(lang):
            raise ConfigError(f"{where}: {key}.{lang} is not a language code; use fr, en, ...")
        out += [(lang, p) for p in _strings(where, f"{key}.{lang}", phrases)]
    return tuple(out)


def _narrative(path: Path, i: int, item: dict[str, Any]) -> Narrative:
    ident = _identity(path, "narrative", i, item, _NARRATIVE_KEYS)
    where = _where(path, "narrative", i, item)
    seeds = _per_language(where, "seeds", item.get("seeds"))
    if not seeds:
        raise ConfigError(
            f"{where}: no seeds; give sentences that say it, [narrative.seeds] fr = [...]"
        )
    return Narrative(
        id=ident,
        name_en=item["name_en"].strip(),
        name_fr=item["name_fr"].strip(),
        blames=_strings(where, "blames", item.get("blames"), pattern=_PATTERN),
        seeds=seeds,
        cues=_per_language(where, "cues", item.get("cues")),
    )


def _party(path: Path, i: int, item: dict[str, Any]) -> Party:
    ident = _identity(path, "party", i, item, _PARTY_KEYS)
    where = _where(path, "party", i, item)
    role = item.get("role")
    if role is not None and (not isinstance(role, str) or not role.strip()):
        raise ConfigError(f'{where}: role must be a role name, e.g. "government"')
    kind = item.get("kind", "")
    if not isinstance(kind, str):
        raise ConfigError(f"{where}: kind must be text")
    country = item.get("country")
    if country is not None and (not isinstance(country, str) or not _ISO2.match(country)):
        raise ConfigError(f'{where}: country must be an ISO2 code in capitals, e.g. "ML"')
    return Party(
        id=ident,
        name_en=item["name_en"].strip(),
        name_fr=item["name_fr"].strip(),
        kind=kind.strip(),
        actors=_strings(where, "actors", item.get("actors"), pattern=_ID),
        role=role.strip() if isinstance(role, str) else None,
        aliases=_strings(where, "aliases", item.get("aliases")),
        country=country,
    )
