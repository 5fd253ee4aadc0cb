"""The sourcing-quality lexicon (``knowledge/quality.toml``): loader and compiled patterns.

Phrases are folded like the sourcing cues (lower case, no accents, one apostrophe,
see :func:`tocsin.extract.sourcing.lexicon.fold`) and compiled per category into one
pattern written as a trie, so that matching is linear in the text. A ``*`` at the end
of a word lets the word go on ("accus*": accuse, accusent, accusation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tocsin.extract.sourcing.lexicon import fold
from tocsin.knowledge import KNOWLEDGE_DIR
from tocsin.knowledge.lexicon import (
    PerLanguage,
    PhraseTables,
    add_user_tables,
    read_phrase_tables,
    union_of,
)

LEXICON_FILE = KNOWLEDGE_DIR / "quality.toml"
CATEGORIES = ("opinion", "loaded", "accusations", "ignore")
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


QualityLexicon = PerLanguage[QualityCues]


def load_quality_lexicon(extra: Path | str | None = None) -> QualityLexicon:
    """The bundled lexicon, then the user's file (same format) added on top."""
    if extra is None:
        return _bundled()
    return _build(add_user_tables(_read(LEXICON_FILE), _read(Path(extra))))


@lru_cache(maxsize=1)
def _bundled() -> QualityLexicon:
    return _build(_read(LEXICON_FILE))


def _build(data: dict[str, dict[str, tuple[str, ...]]]) -> QualityLexicon:
    union = union_of(data)
    languages = {lang: QualityCues.build(table) for lang, table in data.items()}
    return QualityLexicon(languages, QualityCues.build(union))


def _read(path: Path) -> PhraseTables:
    return read_phrase_tables(
        path,
        what="quality lexicon",
        keys=CATEGORIES,
        key_hint=f"use {', '.join(CATEGORIES)}",
        item="phrases",
        valid=lambda v: v.strip() != "*",
    )
