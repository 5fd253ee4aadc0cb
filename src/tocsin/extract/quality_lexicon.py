"""The sourcing-quality lexicon (``knowledge/quality.toml``): loader and compiled patterns.

Phrases are folded like the sourcing cues (lower case, no accents, one apostrophe,
see :func:`tocsin.extract.sourcing_lexicon.fold`) and compiled per category into one
pattern written as a trie, so that matching is linear in the text. A ``*`` at the end
of a word lets the word go on ("accus*": accuse, accusent, accusation).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tocsin.errors import ConfigError
from tocsin.extract.sourcing_lexicon import fold

LEXICON_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "quality.toml"
CATEGORIES = ("opinion", "loaded", "accusations", "ignore")
_LANG = re.compile(r"^[a-z]{2,3}$")
_NEVER = re.compile(r"(?!)")


def _norm(phrase: str) -> str:
    return " ".join(fold(phrase).split())


def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching any of ``phrases`` (already folded) as whole words."""
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = True
    if not trie:
        return _NEVER

    def build(node: dict[str, Any]) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            if ch == " ":
                step = r"\s+"
            elif ch == "*":
                step = r"\w*"
            else:
                step = re.escape(ch)
            branches.append(step + build(node[ch]))
        if "" in node:
            branches.append(r"(?!\w)")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile(r"(?<![\w-])" + build(trie))


@dataclass(frozen=True, slots=True)
class QualityCues:
    """One language's phrases per category and their compiled patterns."""

    phrases: dict[str, tuple[str, ...]]
    patterns: dict[str, re.Pattern[str]]

    @classmethod
    def build(cls, raw: dict[str, tuple[str, ...]]) -> QualityCues:
        phrases = {
            key: tuple(dict.fromkeys(p for p in (_norm(v) for v in raw.get(key, ())) if p))
            for key in CATEGORIES
        }
        return cls(phrases, {key: phrase_pattern(values) for key, values in phrases.items()})


@dataclass(frozen=True, slots=True)
class QualityLexicon:
    """Cues per language; a language without its own table uses all of them together."""

    languages: dict[str, QualityCues]
    fallback: QualityCues

    def for_language(self, lang: str | None) -> QualityCues:
        if lang and (cues := self.languages.get(lang)) is not None:
            return cues
        return self.fallback


def load_quality_lexicon(extra: Path | str | None = None) -> QualityLexicon:
    """The bundled lexicon, then the user's file (same format) added on top."""
    if extra is None:
        return _bundled()
    data = _read(LEXICON_FILE)
    for lang, table in _read(Path(extra)).items():
        base = data.setdefault(lang, {})
        for key, values in table.items():
            base[key] = values + tuple(v for v in base.get(key, ()) if v not in values)
    return _build(data)


@lru_cache(maxsize=1)
def _bundled() -> QualityLexicon:
    return _build(_read(LEXICON_FILE))


def _build(data: dict[str, dict[str, tuple[str, ...]]]) -> QualityLexicon:
    union: dict[str, tuple[str, ...]] = {}
    for table in data.values():
        for key, values in table.items():
            union[key] = union.get(key, ()) + values
    languages = {lang: QualityCues.build(table) for lang, table in data.items()}
    return QualityLexicon(languages, QualityCues.build(union))


def _read(path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such quality lexicon; check the path") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{path}: cannot read the quality lexicon ({msg}); fix the TOML") from exc
    data: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang, table in raw.items():
        if not _LANG.match(lang) or not isinstance(table, dict):
            raise ConfigError(
                f"{path}: [{lang}] is not a language table; "
                "use one table per language code, [fr] or [en]"
            )
        if unknown := set(table) - set(CATEGORIES):
            raise ConfigError(
                f"{path}: [{lang}] unknown key(s) {', '.join(sorted(unknown))}; "
                f"use {', '.join(CATEGORIES)}"
            )
        data[lang] = {}
        for key, values in table.items():
            if not isinstance(values, list) or not all(
                isinstance(v, str) and v.strip() and v.strip() != "*" for v in values
            ):
                raise ConfigError(
                    f"{path}: [{lang}] {key} must be a list of non-empty phrases; "
                    'write it as key = ["phrase", ...]'
                )
            data[lang][key] = tuple(values)
    return data
