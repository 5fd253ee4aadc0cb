"""The sourcing-quality lexicon (``knowledge/quality.toml``): loader and compiled patterns.

Phrases are folded like the sourcing cues (:func:`tocsin.text.phrases.phrase_key`) and
compiled per category into one pattern written as a trie
(:func:`tocsin.text.phrases.phrase_pattern`), so that matching is linear in the text.
A ``*`` at the end of a word lets the word go on ("accus*": accuse, accusent, accusation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tocsin.knowledge.files import per_knowledge_dir
from tocsin.knowledge.lexicon import (
    PerLanguage,
    PhraseTables,
    add_user_tables,
    read_phrase_tables,
    union_of,
)
from tocsin.text.phrases import phrase_key, phrase_pattern

CATEGORIES = ("opinion", "loaded", "accusations", "ignore")


@dataclass(frozen=True, slots=True)
class QualityCues:
    """One language's phrases per category and their compiled patterns."""

    phrases: dict[str, tuple[str, ...]]
    patterns: dict[str, re.Pattern[str]]

    @classmethod
    def build(cls, raw: dict[str, tuple[str, ...]]) -> QualityCues:
        phrases = {
            key: tuple(dict.fromkeys(p for p in (phrase_key(v) for v in raw.get(key, ())) if p))
            for key in CATEGORIES
        }
        return cls(
            phrases, {key: phrase_pattern(values, wildcard=True) for key, values in phrases.items()}
        )


QualityLexicon = PerLanguage[QualityCues]


def load_quality_lexicon(extra: Path | str | None = None) -> QualityLexicon:
    """The bundled lexicon, then the user's file (same format) added on top."""
    if extra is None:
        return _bundled()
    return _build(add_user_tables(_read(None), _read(Path(extra))))


@per_knowledge_dir
def _bundled() -> QualityLexicon:
    return _build(_read(None))


def _build(data: dict[str, dict[str, tuple[str, ...]]]) -> QualityLexicon:
    union = union_of(data)
    languages = {lang: QualityCues.build(table) for lang, table in data.items()}
    return QualityLexicon(languages, QualityCues.build(union))


def _read(path: Path | None) -> PhraseTables:
    """The user's file at ``path``; None: the bundled file with the knowledge folder's."""
    return read_phrase_tables(
        path,
        knowledge="quality",
        what="quality lexicon",
        keys=CATEGORIES,
        key_hint=f"use {', '.join(CATEGORIES)}",
        item="phrases",
        valid=lambda v: v.strip() != "*",
    )
