"""The sourcing cue lexicon (``knowledge/sourcing.toml``): loader and compiled patterns.

Each language's phrases are folded (lower case, no accents, one apostrophe) and
compiled into one pattern per key, written as a trie so that matching costs the
length of the text times the length of the longest phrase, not the number of
phrases (:mod:`tocsin.text.phrases`). The patterns run on
:func:`tocsin.text.fold.fold_same` text, so a match in the folded text is a span of the
original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tocsin.knowledge.lexicon import (
    PerLanguage,
    PhraseLexiconLoader,
)
from tocsin.text.phrases import phrase_key, phrase_pattern

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


@dataclass(frozen=True, slots=True)
class LanguageCues:
    """One language's cues: the folded phrases per key and their compiled patterns."""

    phrases: dict[str, tuple[str, ...]]
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, raw: dict[str, tuple[str, ...]]) -> LanguageCues:
        phrases = {
            key: tuple(dict.fromkeys(phrase_key(p) for p in raw.get(key, ()))) for key in KEYS
        }
        auxiliaries = set(phrases["auxiliaries"])
        glued = phrases["inverted_auxiliaries"]
        verbs: list[str] = []
        for verb in phrases["reporting_verbs"]:
            verbs.append(verb)
            head, _, rest = verb.partition(" ")
            if rest and head in auxiliaries:
                verbs += [f"{aux} {rest}" for aux in (*phrases["auxiliaries"], *glued)]
        phrases["reporting_verbs"] = tuple(dict.fromkeys(verbs))
        patterns = {key: phrase_pattern(values) for key, values in phrases.items()}
        return cls(phrases, patterns)

    def pattern(self, key: str) -> re.Pattern[str]:
        return self.patterns[key]

    def has(self, key: str, phrase: str) -> bool:
        """Whether ``phrase`` (any case, any accents) is one of the ``key`` phrases."""
        return phrase_key(phrase) in self.phrases[key]


SourcingLexicon = PerLanguage[LanguageCues]


_LOADER = PhraseLexiconLoader(
    LanguageCues.build,
    knowledge="sourcing",
    what="sourcing lexicon",
    keys=KEYS,
    key_hint="see the keys at the top of knowledge/sourcing.toml",
    item="strings",
)


def load_sourcing_lexicon(extra: Path | str | None = None) -> SourcingLexicon:
    """The bundled cues, then the user's file (same format) added on top."""
    return _LOADER.load(extra)
