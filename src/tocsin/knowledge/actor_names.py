"""The ACLED naming of actors in the actors file, read and checked: an actor's dated names,
the coding of a sub-group under its parent and the community tables.

``names = [{ acled, since, until }]`` gives the ACLED names an actor bore by period (a
regime period, "Military Forces of Mali (2013-2020)", or a group's former name);
``acled_parent`` says how ACLED codes a sub-group's events ("actor" or "associate");
``[community.ID]`` names a community ("Fulani", "peuls") for the generic actors whose ACLED
name has "{community}". :mod:`tocsin.knowledge.actors` builds its knowledge base with these
readers and shares what they need: the file's languages (:data:`LANGS`), its id pattern
(:data:`ID`), its error (:func:`fail`) and its string reader (:func:`read_string`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tocsin.errors import ConfigError

LANGS = frozenset({"fr", "en"})  # the languages of aliases, phrases and community names
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # actor and community ids
PARENT_RULES = ("actor", "associate")  # the values of ``acled_parent``


@dataclass(frozen=True, slots=True)
class DatedName:
    """The ACLED name an actor bore from ``since`` (inclusive) to ``until`` (exclusive):
    a regime period ("Military Forces of Mali (2013-2020)") or a group's former name."""

    acled: str
    since: date | None = None
    until: date | None = None

    def holds(self, when: date) -> bool:
        return (self.since is None or self.since <= when) and (
            self.until is None or when < self.until
        )


@dataclass(frozen=True, slots=True)
class Community:
    """A ``[community.ID]`` table: the community's ACLED name ("Fulani") and its names
    per language ("Fulani", "Peul"; "peuls"), put in place of "{community}"."""

    id: str
    acled: str
    forms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (lang, names), languages sorted


def fail(path: Path, where: str, problem: str) -> ConfigError:
    """The error for a bad entry of the actors file at ``path``."""
    return ConfigError(f"{path}: {where}: {problem}; see the format at the top of actors.toml")


def read_string(
    raw: dict[str, Any], key: str, path: Path, where: str, *, required: bool = True
) -> str:
    """``raw[key]`` stripped, a non-empty string ("" when absent and not ``required``)."""
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise fail(path, where, f"'{key}' must be a non-empty string")
    return value.strip()


def read_dated_names(values: Any, path: Path, where: str) -> tuple[DatedName, ...]:
    """An actor's ``names``: a list of ``{ acled, since, until }`` tables, each bound a
    date or a year."""
    if not isinstance(values, list):
        raise fail(path, where, "'names' must be a list of { acled, since, until } tables")
    out = []
    for v in values:
        if not isinstance(v, dict) or set(v) - {"acled", "since", "until"}:
            raise fail(path, where, "'names' entries are { acled, since, until } tables")
        name = read_string(v, "acled", path, where)
        since = _day(v.get("since"), path, f"{where} name {name!r}", end=False)
        until = _day(v.get("until"), path, f"{where} name {name!r}", end=True)
        if since is not None and until is not None and until <= since:
            raise fail(path, where, f"name {name!r} ends before it starts")
        out.append(DatedName(name, since, until))
    return tuple(out)


def _day(value: Any, path: Path, where: str, *, end: bool) -> date | None:
    """A date, or a year (its first day; for an ``until``, the next year's first day)."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        return date(value + 1, 1, 1) if end else date(value, 1, 1)
    raise fail(path, where, f"{value!r} must be a date (2020-08-18) or a year")


def read_parent_rule(raw: dict[str, Any], path: Path, where: str) -> str | None:
    """An actor's ``acled_parent`` ("actor", "associate" or None), which needs parents."""
    value = raw.get("acled_parent")
    if value is not None and value not in PARENT_RULES:
        raise fail(path, where, '\'acled_parent\' must be "actor" or "associate"')
    if value is not None and not raw.get("parents"):
        raise fail(path, where, "'acled_parent' needs 'parents'")
    return value


def read_community(community: str, raw: Any, path: Path) -> Community:
    """The ``[community.ID]`` table ``raw``: an ``acled`` name and a list of names per
    language."""
    where = f"[community.{community}]"
    if not ID.match(community) or not isinstance(raw, dict):
        raise fail(path, where, "communities are tables named by an id, [community.fulani]")
    if unknown := set(raw) - {"acled", *LANGS}:
        raise fail(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    acled = read_string(raw, "acled", path, where)
    forms: list[tuple[str, tuple[str, ...]]] = []
    for lang in sorted(LANGS):
        names = raw.get(lang, [])
        if not isinstance(names, list) or not all(isinstance(f, str) for f in names):
            raise fail(path, where, f"'{lang}' must be a list of the community's names")
        forms.append((lang, tuple(names)))
    return Community(id=community, acled=acled, forms=tuple(forms))
