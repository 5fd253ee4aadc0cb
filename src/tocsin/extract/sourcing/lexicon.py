"""The sourcing cue lexicon (``knowledge/sourcing.toml``): loader and compiled patterns.

Each language's phrases are folded (lower case, no accents, one apostrophe) and
compiled into one pattern per key, written as a trie so that matching costs the
length of the text times the length of the longest phrase, not the number of
phrases. :func:`fold` keeps the length of the text, so a match in the folded text
is a span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tocsin.knowledge import KNOWLEDGE_DIR
from tocsin.knowledge.lexicon import (
    PerLanguage,
    PhraseTables,
    add_user_tables,
    read_phrase_tables,
    union_of,
)

LEXICON_FILE = KNOWLEDGE_DIR / "sourcing.toml"

KEYS = (
    "according",
    "reporting_verbs",
    "auxiliaries",
    "inverted_auxiliaries",
    "passive",
    "clitics",
    "complementizers",
    "pronouns",
    "self",
    "anonymity",
    "anonymous_sources",
    "unnamed_sources",
    "unnamed_experts",
    "statements",
    "state_bodies",
    "spokespeople",
    "organisations",
    "roles",
    "relatives",
    "source_stops",
    "determiners",
    "singular_indefinite",
    "plural_indefinite",
    "non_claim_starts",
    "not_cues",
)
_APOSTROPHES = frozenset("’‘ʼ`´′")
_NEVER = re.compile(r"(?!)")


def _fold_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return "'"
    low = ch.lower()
    if len(low) != 1:
        return ch
    if low.isascii():
        return low
    decomposed = unicodedata.normalize("NFKD", low)
    base = decomposed[0] if decomposed else low
    return low if unicodedata.combining(base) else base


def fold(text: str) -> str:
    """``text`` in lower case without accents, every apostrophe straight, and of the
    same length, so that offsets into the result are offsets into ``text``."""
    if text.isascii():
        return text.lower()
    table = {ord(ch): _fold_char(ch) for ch in set(text)}
    return text.translate(table)


def _norm(phrase: str) -> str:
    return " ".join(fold(phrase).split())


def _trie_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching any of ``phrases`` as whole words, longest first."""
    trie: dict[str, Any] = {}
    for phrase in phrases:
        if not phrase:
            continue
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = phrase.endswith("'")  # glued: no word boundary after an apostrophe
    if not trie:
        return _NEVER

    def build(node: dict[str, Any]) -> str:
        alternatives = []
        for ch in sorted(k for k in node if k):
            step = r"\s+" if ch == " " else re.escape(ch)
            alternatives.append(step + build(node[ch]))
        if "" in node:
            alternatives.append("" if node[""] else r"(?!\w)")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return re.compile(r"(?<![\w-])" + build(trie))


@dataclass(frozen=True, slots=True)
class LanguageCues:
    """One language's cues: the folded phrases per key and their compiled patterns."""

    phrases: dict[str, tuple[str, ...]]
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, raw: dict[str, tuple[str, ...]]) -> LanguageCues:
        phrases = {key: tuple(dict.fromkeys(_norm(p) for p in raw.get(key, ()))) for key in KEYS}
        auxiliaries = set(phrases["auxiliaries"])
        glued = phrases["inverted_auxiliaries"]
        verbs: list[str] = []
        for verb in phrases["reporting_verbs"]:
            verbs.append(verb)
            head, _, rest = verb.partition(" ")
            if rest and head in auxiliaries:
                verbs += [f"{aux} {rest}" for aux in (*phrases["auxiliaries"], *glued)]
        phrases["reporting_verbs"] = tuple(dict.fromkeys(verbs))
        patterns = {key: _trie_pattern(values) for key, values in phrases.items()}
        return cls(phrases, patterns)

    def pattern(self, key: str) -> re.Pattern[str]:
        return self.patterns[key]

    def has(self, key: str, phrase: str) -> bool:
        """Whether ``phrase`` (any case, any accents) is one of the ``key`` phrases."""
        return _norm(phrase) in self.phrases[key]


SourcingLexicon = PerLanguage[LanguageCues]


def load_sourcing_lexicon(extra: Path | str | None = None) -> SourcingLexicon:
    """The bundled cues, then the user's file (same format) added on top."""
    if extra is None:
        return _bundled()
    return _build(add_user_tables(_read(LEXICON_FILE), _read(Path(extra))))


@lru_cache(maxsize=1)
def _bundled() -> SourcingLexicon:
    return _build(_read(LEXICON_FILE))


def _build(data: dict[str, dict[str, tuple[str, ...]]]) -> SourcingLexicon:
    languages = {lang: LanguageCues.build(table) for lang, table in data.items()}
    union = union_of(data)
    return SourcingLexicon(languages, LanguageCues.build(union))


def _read(path: Path) -> PhraseTables:
    return read_phrase_tables(
        path,
        what="sourcing lexicon",
        keys=KEYS,
        key_hint="see the keys at the top of knowledge/sourcing.toml",
        item="strings",
    )
