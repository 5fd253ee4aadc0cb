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

from tocsin.knowledge.lexicon import (
    PerLanguage,
    PhraseLexiconLoader,
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


_LOADER = PhraseLexiconLoader(
    QualityCues.build,
    knowledge="quality",
    what="quality lexicon",
    keys=CATEGORIES,
    key_hint=f"use {', '.join(CATEGORIES)}",
    item="phrases",
    valid=lambda v: v.strip() != "*",
)


def load_quality_lexicon(extra: Path | str | None = None) -> QualityLexicon:
    """The bundled lexicon, then the user's file (same format) added on top."""
    return _LOADER.load(extra)
