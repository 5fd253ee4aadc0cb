"""Actors: the knowledge base (``knowledge/actors.toml``) and a matcher over plain text.

The knowledge is data: actors with their aliases, the countries that generic actors are
named after, and per-language lexicons of generic phrases ("des hommes armés non
identifiés", "soldiers"). A user's file in the same format adds to it.

Matching works on word tokens, not on characters: the text is cut into words (an
apostrophe after a French elided article splits it off, "l'armée" is "l" + "armée";
other apostrophes join, "Jama'at" is "jamaat"), each word is folded (case, accents,
ligatures), and a trie of alias token sequences is walked from each word. Hyphens and
spaces are both separators, so "al-Islam" and "al Islam" are the same words. The
longest alias wins; offsets always point into the original text.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tocsin.errors import ConfigError

KNOWLEDGE_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "actors.toml"

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
LANGS = frozenset({"fr", "en"})
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
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

    def name(self, lang: str = "en") -> str:
        return self.name_fr if lang == "fr" else self.name_en


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
        key = _fold(country.strip())
        for c in self.countries.values():
            names = (c.iso2, c.name_en, c.name_fr, *c.aliases)
            if any(_fold(n) == key for n in names):
                return c
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
        "parents", "succeeded", "associated", "aliases",
    }
)  # fmt: skip
_COUNTRY_KEYS = frozenset(
    {"name_en", "name_fr", "aliases", "period", "military", "police", "government"}
)
_GENERIC_KEYS = frozenset({"name", "acled", "inter", "role", "en", "fr"})
_LIST_KEYS = ("aliases", "parents", "succeeded", "associated", "countries")


def load_actors(extra: Path | str | None = None) -> ActorKnowledge:
    """The bundled actors, then the user's file (same format) added on top."""
    data = _read(KNOWLEDGE_FILE)
    sources = [KNOWLEDGE_FILE]
    if extra is not None:
        extra = Path(extra)
        _merge(data, _read(extra), extra)
        sources.append(extra)
    return _build(data, sources[-1])


def _read(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such actors file; check the path") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{path}: cannot read actors ({msg}); fix the TOML syntax") from exc
    unknown = set(data) - {"actor", "country", "generic"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown table(s) {', '.join(sorted(unknown))}; "
            "use [[actor]], [country.XX] or [generic.KIND]"
        )
    for key, kind in (("actor", list), ("country", dict), ("generic", dict)):
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
    for table in ("country", "generic"):
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
    generics = {k: _generic(k, raw, path) for k, raw in data.get("generic", {}).items()}
    return ActorKnowledge(actors=actors, countries=countries, generics=generics)


def _fail(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {problem}; see the format at the top of actors.toml")


def _str(raw: dict[str, Any], key: str, path: Path, where: str, *, required: bool = True) -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, where, f"'{key}' must be a non-empty string")
    return value.strip()


def _year(raw: dict[str, Any], key: str, path: Path, where: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2100:
        raise _fail(path, where, f"'{key}' must be a year")
    return value


def _inter(raw: dict[str, Any], path: Path, where: str) -> int:
    value = raw.get("inter")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 8:
        raise _fail(path, where, "'inter' must be an ACLED inter code from 1 to 8")
    return value


def _aliases(values: Any, path: Path, where: str) -> tuple[Alias, ...]:
    if not isinstance(values, list):
        raise _fail(path, where, "aliases must be a list")
    out = []
    for v in values:
        if isinstance(v, str):
            out.append(Alias(v))
            continue
        if not isinstance(v, dict) or not isinstance(v.get("text"), str):
            raise _fail(path, where, f"alias {v!r} must be a string or a table with 'text'")
        if set(v) - {"text", "lang", "descriptive", "cased"}:
            raise _fail(path, where, f"alias {v['text']!r} has unknown keys")
        lang = v.get("lang")
        if lang is not None and lang not in LANGS:
            raise _fail(path, where, f"alias {v['text']!r}: lang must be one of {sorted(LANGS)}")
        out.append(Alias(v["text"], lang, bool(v.get("descriptive")), bool(v.get("cased"))))
    return tuple(out)


def _relations(values: Any, path: Path, where: str, key: str) -> tuple[Relation, ...]:
    if not isinstance(values, list):
        raise _fail(path, where, f"'{key}' must be a list")
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
            raise _fail(path, where, f"'{key}' entries must be ids or {{ id = ... }} tables")
    return tuple(out)


def _actor(raw: Any, path: Path) -> Actor:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [[actor]] entries must be tables")
    where = f"actor {raw.get('id', '?')!r}"
    actor_id = _str(raw, "id", path, where)
    if not _ID.match(actor_id):
        raise _fail(path, where, "'id' must be lower case letters, digits and '-'")
    if unknown := set(raw) - _ACTOR_KEYS:
        raise _fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    kind = _str(raw, "type", path, where)
    if kind not in TYPES:
        raise _fail(path, where, f"type {kind!r} is not one of {', '.join(sorted(TYPES))}")
    countries = raw.get("countries", [])
    if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
        raise _fail(path, where, "'countries' must be a list of ISO2 codes")
    associated = raw.get("associated", [])
    if not isinstance(associated, list) or not all(isinstance(c, str) for c in associated):
        raise _fail(path, where, "'associated' must be a list of actor ids")
    name_en = _str(raw, "name_en", path, where)
    return Actor(
        id=actor_id,
        name_en=name_en,
        name_fr=_str(raw, "name_fr", path, where, required=False) or name_en,
        acled=_str(raw, "acled", path, where, required=False) or name_en,
        type=kind,
        inter=_inter(raw, path, where),
        countries=tuple(countries),
        since=_year(raw, "since", path, where),
        until=_year(raw, "until", path, where),
        parents=_relations(raw.get("parents", []), path, where, "parents"),
        succeeded=_relations(raw.get("succeeded", []), path, where, "succeeded"),
        associated=tuple(associated),
        aliases=_aliases(raw.get("aliases", []), path, where),
    )


def _country(iso: str, raw: Any, path: Path) -> Country:
    where = f"[country.{iso}]"
    if not _ISO2.match(iso) or not isinstance(raw, dict):
        raise _fail(path, where, "countries are tables named by ISO2 code, [country.ML]")
    if unknown := set(raw) - _COUNTRY_KEYS:
        raise _fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise _fail(path, where, "'aliases' must be a list of names")
    name_en = _str(raw, "name_en", path, where)
    roles = tuple(
        (role, _str(raw, role, path, where))
        for role in ("military", "police", "government")
        if role in raw
    )
    return Country(
        iso2=iso,
        name_en=name_en,
        name_fr=_str(raw, "name_fr", path, where, required=False) or name_en,
        aliases=tuple(aliases),
        period=_str(raw, "period", path, where, required=False) or None,
        roles=roles,
    )


def _generic(kind: str, raw: Any, path: Path) -> GenericKind:
    where = f"[generic.{kind}]"
    if not isinstance(raw, dict):
        raise _fail(path, where, "must be a table")
    if unknown := set(raw) - _GENERIC_KEYS:
        raise _fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    phrases: list[Alias] = []
    for lang in sorted(LANGS):
        for alias in _aliases(raw.get(lang, []), path, where):
            phrases.append(Alias(alias.text, lang, alias.descriptive, alias.cased))
    return GenericKind(
        kind=kind,
        name=_str(raw, "name", path, where),
        acled=_str(raw, "acled", path, where),
        inter=_inter(raw, path, where),
        role=_str(raw, "role", path, where, required=False) or None,
        phrases=tuple(phrases),
    )


# ---------------------------------------------------------------------------
# Words

_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_APOSTROPHES = frozenset("'’ʼ‘`´′")
_ELISION = frozenset(
    {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
)
_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})


def _fold(word: str) -> str:
    """Lower case without accents: "Qaïda" -> "qaida", "Œuvre" -> "oeuvre"."""
    if word.isascii():
        return word.lower()
    word = unicodedata.normalize("NFKD", word.casefold()).translate(_FOLD)
    return "".join(ch for ch in word if not unicodedata.combining(ch))


def _deaccent(word: str) -> str:
    """Accents and apostrophes off, case kept: for case-sensitive comparisons."""
    word = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in word if not unicodedata.combining(ch) and ch not in _APOSTROPHES)


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    key: str  # folded form


def _tokens(text: str, cache: dict[str, str] | None = None) -> list[_Token]:
    """Words with offsets; "l'armée" -> l, armée; "Jama'at" -> jamaat; "Mali's" -> mali, s."""
    fold = _fold if cache is None else (lambda w: cache.get(w) or cache.setdefault(w, _fold(w)))
    out: list[_Token] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        key = fold(m.group())
        if out and start - out[-1].end == 1 and text[start - 1] in _APOSTROPHES:
            prev = out[-1]
            if prev.key not in _ELISION and key != "s" and prev.start < start - 1:
                out[-1] = _Token(prev.start, end, prev.key + key)  # Jama'at, Qa'ida
                continue
        out.append(_Token(start, end, key))
    return out


# ---------------------------------------------------------------------------
# Matching


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    surface: str
    actor_id: str
    name: str
    inter: int
    generic: bool
    descriptive: bool
    acled: str = ""


@dataclass(frozen=True, slots=True)
class _Entry:
    target: str  # an actor id, or a generic kind
    generic: bool
    descriptive: bool
    # per alias word: None (any case), "acronym" (capitals required) or the exact form
    case: tuple[str | None, ...]


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)


def _case_rules(alias: Alias) -> tuple[str | None, ...]:
    rules: list[str | None] = []
    for tok in _tokens(alias.text):
        surface = _deaccent(alias.text[tok.start : tok.end])
        letters = [ch for ch in surface if ch.isalpha()]
        if alias.cased:
            rules.append(surface)
        elif len(letters) <= 4 and sum(ch.isupper() for ch in letters) >= 2:
            rules.append("acronym:" + surface)
        else:
            rules.append(None)
    return tuple(rules)


def _case_ok(rule: str | None, word: str) -> bool:
    if rule is None:
        return True
    word = _deaccent(word)
    if rule.startswith("acronym:"):
        letters = [ch for ch in word if ch.isalpha()]
        return all(ch.isupper() for ch in letters) or word == rule[8:]
    return word == rule


class ActorMatcher:
    """Finds actor mentions in plain text with a trie of folded alias words."""

    def __init__(self, knowledge: ActorKnowledge) -> None:
        self.knowledge = knowledge
        self._root = _Node()
        for actor in knowledge.actors.values():
            for alias in actor.aliases:
                self._add(alias, actor.id, generic=False)
        for kind in knowledge.generics.values():
            for alias in kind.phrases:
                self._add(alias, kind.kind, generic=True)

    @classmethod
    def from_knowledge(cls, extra: Path | str | None = None) -> ActorMatcher:
        return cls(load_actors(extra))

    def _add(self, alias: Alias, target: str, *, generic: bool) -> None:
        words = [t.key for t in _tokens(alias.text)]
        if not words:
            return
        node = self._root
        for word in words:
            node = node.children.setdefault(word, _Node())
        entry = _Entry(target, generic, alias.descriptive, _case_rules(alias))
        if entry not in node.entries:
            node.entries.append(entry)

    def find(
        self, text: str, *, country: str | None = None, lang: str = "en"
    ) -> list[ActorMention]:
        """Actor mentions in ``text``, left to right, the longest alias winning.

        ``country`` (ISO2 or name) resolves generic phrases to that country's generic
        actors; without it they come back unresolved ("Civilians").
        """
        where = self.knowledge.country(country) if country else None
        return list(self._mentions(text, where, lang))

    def _mentions(self, text: str, where: Country | None, lang: str) -> Iterator[ActorMention]:
        tokens = _tokens(text, {})
        i, n = 0, len(tokens)
        named_end = -1  # end of the previous mention when it named an actor
        while i < n:
            best: tuple[int, _Entry] | None = None
            node = self._root
            j = i
            while j < n and (child := node.children.get(tokens[j].key)) is not None:
                node = child
                j += 1
                for entry in node.entries:
                    words = tokens[i:j]
                    if all(
                        _case_ok(rule, text[t.start : t.end])
                        for rule, t in zip(entry.case, words, strict=True)
                    ):
                        best = (j, entry)
                        break
            if best is None:
                named_end = -1
                i += 1
                continue
            j, entry = best
            start, end = tokens[i].start, tokens[j - 1].end
            # "IS Sahel militants", "JNIM fighters": the generic noun is the named actor's
            if not (entry.generic and named_end >= 0 and not text[named_end:start].strip(" -")):
                yield self._mention(text, start, end, entry, where, lang)
            named_end = -1 if entry.generic else end
            i = j

    def _mention(
        self, text: str, start: int, end: int, entry: _Entry, where: Country | None, lang: str
    ) -> ActorMention:
        surface = text[start:end]
        if not entry.generic:
            actor = self.knowledge.actors[entry.target]
            return ActorMention(
                start, end, surface, actor.id, actor.name(lang), actor.inter, False,
                entry.descriptive, actor.acled,
            )  # fmt: skip
        kind = self.knowledge.generics[entry.target]
        if where is None:
            return ActorMention(
                start, end, surface, kind.kind, kind.name, kind.inter, True, entry.descriptive,
                kind.name,
            )  # fmt: skip
        if kind.role and (ref := where.role(kind.role)):
            actor = self.knowledge.actors[ref]
            return ActorMention(
                start, end, surface, actor.id, actor.acled, actor.inter, True, entry.descriptive,
                actor.acled,
            )  # fmt: skip
        period = f" ({where.period})" if where.period else ""
        acled = kind.acled.format(country=where.name_en, period=period)
        actor_id = _slug(acled)
        return ActorMention(
            start, end, surface, actor_id, acled, kind.inter, True, entry.descriptive, acled
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")
