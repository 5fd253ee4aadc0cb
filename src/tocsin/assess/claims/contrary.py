"""Contrary states: two statements about the same thing that say opposite things
without a negation ("les écoles ont rouvert" / "the schools remain closed").

The concepts are data (``knowledge/contrary.toml``): two lists of words per state, any
language. Statements are contrary for a concept when one has a word of one side and
none of the other, and the second statement the reverse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.text.fold import fold_same


@dataclass(frozen=True, slots=True)
class _Side:
    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[str, ...]  # several words: matched on the folded text

    def found(self, words: frozenset[str], text: str) -> bool:
        if not self.words.isdisjoint(words):
            return True
        if any(w.startswith(self.prefixes) for w in words):
            return True
        return any(f" {p} " in text for p in self.phrases)


@dataclass(frozen=True, slots=True)
class Concept:
    name: str
    a: _Side
    b: _Side

    def side(self, words: frozenset[str], text: str) -> str | None:
        in_a, in_b = self.a.found(words, text), self.b.found(words, text)
        if in_a == in_b:
            return None
        return "a" if in_a else "b"


def _side(values: Iterable[object], path: Path, name: str) -> _Side:
    words, prefixes, phrases = set(), [], []
    for raw in values:
        if not isinstance(raw, str) or not raw.strip():
            raise ConfigError(f"{path}: concept {name!r}: every word must be a non-empty string")
        word = fold_same(raw.strip())
        if " " in word:
            phrases.append(word)
        elif word.endswith("*"):
            prefixes.append(word[:-1])
        else:
            words.add(word)
    return _Side(frozenset(words), tuple(prefixes), tuple(phrases))


def load_contrary(extra: Path | str | None = None) -> tuple[Concept, ...]:
    """The bundled concepts, then the user's (same format)."""
    concepts = _bundled()
    if extra is None:
        return concepts
    return concepts + _read(Path(extra))


@per_knowledge_dir
def _bundled() -> tuple[Concept, ...]:
    return _concepts(load_knowledge("contrary"), knowledge_source("contrary"))


def _read(path: Path) -> tuple[Concept, ...]:
    return _concepts(read_toml(path, what="contrary-states file"), path)


def _concepts(data: dict[str, Any], path: Path) -> tuple[Concept, ...]:
    found = []
    for i, raw in enumerate(data.get("concept", [])):
        if not isinstance(raw, dict) or not isinstance(raw.get("a"), list):
            raise ConfigError(f"{path}: [[concept]] #{i + 1} needs lists `a` and `b`")
        name = str(raw.get("name") or f"concept {i + 1}")
        if not isinstance(raw.get("b"), list):
            raise ConfigError(f"{path}: concept {name!r} needs a list `b`")
        found.append(Concept(name, _side(raw["a"], path, name), _side(raw["b"], path, name)))
    return tuple(found)


def contrary(
    words_a: frozenset[str],
    text_a: str,
    words_b: frozenset[str],
    text_b: str,
    *,
    concepts: tuple[Concept, ...] | None = None,
) -> str | None:
    """The concept on which the two statements take opposite sides, or None. ``words``
    are the folded words of each text; ``text`` its folded text."""
    padded_a, padded_b = f" {text_a} ", f" {text_b} "
    for concept in concepts if concepts is not None else _bundled():
        side_a = concept.side(words_a, padded_a)
        side_b = concept.side(words_b, padded_b)
        if side_a and side_b and side_a != side_b:
            return concept.name
    return None
