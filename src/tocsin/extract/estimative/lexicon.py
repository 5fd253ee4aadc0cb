"""The estimative-language lexicon (``knowledge/estimative.toml``): loader and patterns.

Phrases are folded like the sourcing cues (:func:`tocsin.text.phrases.phrase_key`,
which keeps offsets) and compiled into one trie-shaped pattern per key
(:func:`tocsin.text.phrases.phrase_pattern`), so matching costs the length of the text,
not the number of phrases. ``[s]`` in a phrase marks an optional part.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.knowledge.lexicon import PerLanguage
from tocsin.text.phrases import phrase_key, phrase_pattern

Band = tuple[float, float]

LIST_KEYS = (
    "negators_before",
    "negators_after",
    "negator_suffixes",
    "copulas",
    "frames",
    "complementizers",
    "infinitives",
    "concessions",
    "condition_markers",
    "causal_verbs",
    "causal_auxiliaries",
    "trend_first",
    "trend_up",
    "trend_down",
    "trend_not",
    "comparatives",
    "not_cues",
    "names_when_capitalised",
    "question_starts",
    "clause_breaks",
    "future_words",
    "future_suffixes",
    "future_exceptions",
    "past_markers",
    "past_suffixes",
    "present_states",
    "deadline_before",
    "deadline_by",
)
BAND_KEYS = ("cues", "negated")
_LANG = re.compile(r"^[a-z]{2,3}$")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_NEVER = re.compile(r"(?!)")


def expand(phrase: str) -> tuple[str, ...]:
    """Every spelling of ``phrase``: ``"probable[s]"`` is ``probable`` and ``probables``."""
    found = _OPTIONAL.search(phrase)
    if found is None:
        return (phrase,)
    head, tail = phrase[: found.start()], phrase[found.end() :]
    out: list[str] = []
    for middle in ("", found.group(1)):
        out += expand(head + middle + tail)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class LanguageEstimative:
    """One language's estimative words: bands per cue, word lists, compiled patterns."""

    cues: dict[str, Band]
    negated: dict[str, Band]
    words: dict[str, frozenset[str]]
    patterns: dict[str, re.Pattern[str]]
    cue_pattern: re.Pattern[str]

    @classmethod
    def build(cls, raw: dict[str, Any]) -> LanguageEstimative:
        cues = {
            phrase_key(form): band
            for phrase, band in raw.get("cues", {}).items()
            for form in expand(phrase)
        }
        negated = {
            phrase_key(form): band
            for phrase, band in raw.get("negated", {}).items()
            for form in expand(phrase)
        }
        words: dict[str, frozenset[str]] = {}
        patterns: dict[str, re.Pattern[str]] = {}
        for key in LIST_KEYS:
            values = tuple(
                dict.fromkeys(
                    phrase_key(f) for p in raw.get(key, ()) for f in expand(p) if p.strip()
                )
            )
            words[key] = frozenset(values)
            patterns[key] = phrase_pattern(values)
        return cls(cues, negated, words, patterns, phrase_pattern(tuple(cues)))

    def has(self, key: str, word: str) -> bool:
        """Whether ``word`` (folded) is one of the ``key`` phrases."""
        return word in self.words[key]

    def pattern(self, key: str) -> re.Pattern[str]:
        return self.patterns[key]

    def band(self, phrase: str) -> Band | None:
        """The band of a cue phrase (any case, accents or spacing)."""
        return self.cues.get(phrase_key(phrase))


EstimativeLexicon = PerLanguage[LanguageEstimative]


def load_estimative_lexicon(extra: Path | str | None = None) -> EstimativeLexicon:
    """The bundled estimative words, then the user's file (same format) on top."""
    if extra is None:
        return _bundled()
    data = _read(None)
    for lang, table in _read(Path(extra)).items():
        base = data.setdefault(lang, {})
        for key, values in table.items():
            if key in BAND_KEYS:
                base[key] = {**base.get(key, {}), **values}
            else:
                old = base.get(key, ())
                base[key] = tuple(values) + tuple(v for v in old if v not in values)
    return _build(data)


@per_knowledge_dir
def _bundled() -> EstimativeLexicon:
    return _build(_read(None))


def _build(data: dict[str, dict[str, Any]]) -> EstimativeLexicon:
    languages = {lang: LanguageEstimative.build(table) for lang, table in data.items()}
    union: dict[str, Any] = {}
    for table in data.values():
        for key, values in table.items():
            if key in BAND_KEYS:
                union[key] = {**union.get(key, {}), **values}
            else:
                union[key] = tuple(union.get(key, ())) + tuple(values)
    return EstimativeLexicon(languages, LanguageEstimative.build(union))


def _read(path: Path | None) -> dict[str, dict[str, Any]]:
    """The user's file at ``path``; None: the bundled file with the knowledge folder's."""
    if path is None:
        raw, path = load_knowledge("estimative"), knowledge_source("estimative")
    else:
        raw = read_toml(path, what="estimative lexicon")
    data: dict[str, dict[str, Any]] = {}
    for lang, table in raw.items():
        if not _LANG.match(lang) or not isinstance(table, dict):
            raise ConfigError(
                f"{path}: [{lang}] is not a language table; "
                "use one table per language code, [fr] or [en]"
            )
        if unknown := set(table) - set(LIST_KEYS) - set(BAND_KEYS):
            raise ConfigError(
                f"{path}: [{lang}] unknown key(s) {', '.join(sorted(unknown))}; "
                "see the keys at the top of knowledge/estimative.toml"
            )
        data[lang] = {}
        for key, values in table.items():
            if key in BAND_KEYS:
                data[lang][key] = _bands(path, lang, key, values)
            elif isinstance(values, list) and all(isinstance(v, str) for v in values):
                data[lang][key] = tuple(values)
            else:
                raise ConfigError(
                    f"{path}: [{lang}] {key} must be a list of strings; "
                    'write it as key = ["phrase", ...]'
                )
    return data


def _bands(path: Path, lang: str, key: str, values: object) -> dict[str, Band]:
    if not isinstance(values, dict):
        raise ConfigError(
            f"{path}: [{lang}.{key}] must be a table; write it as "
            f'[{lang}.{key}] then "phrase" = [low, high]'
        )
    bands: dict[str, Band] = {}
    for phrase, band in values.items():
        if (
            not phrase.strip()
            or not isinstance(band, list)
            or len(band) != 2
            or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in band)
            or not all(math.isfinite(float(x)) for x in band)
            or not 0.0 <= float(band[0]) <= float(band[1]) <= 1.0
        ):
            raise ConfigError(
                f"{path}: [{lang}.{key}] {phrase!r} must be [low, high] with "
                '0 <= low <= high <= 1; write it as "phrase" = [0.55, 0.80]'
            )
        bands[phrase] = (float(band[0]), float(band[1]))
    return bands
