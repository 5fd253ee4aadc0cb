"""The groups a hateful comment aims at, from the words of ``knowledge/comment_targets.toml``.

:class:`TargetLexicon` maps folded words and phrases to categories (nationality,
ethnicity, religion, migrants, …); :meth:`TargetLexicon.find` gives the categories
named in a comment's tokens, in text order, each once. Matching is language-neutral:
the words of every language in the file are looked up together, since comment
threads mix languages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tocsin.comments.features import fold, tokens
from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir

__all__ = ["TargetLexicon", "load_targets"]

_LONGEST = 4  # words in the longest phrase looked up
_PLURALS = ("s", "x", "es")


@dataclass(slots=True)
class TargetLexicon:
    """Folded phrase (words joined by one space) -> categories."""

    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def add(self, phrase: str, category: str) -> None:
        key = " ".join(tokens(fold(phrase)))
        if not key:
            return
        known = self.phrases.get(key, ())
        if category not in known:
            self.phrases[key] = (*known, category)

    def categories(self) -> set[str]:
        return {c for cats in self.phrases.values() for c in cats}

    def find(self, words: Sequence[str]) -> tuple[str, ...]:
        """The categories named in ``words`` (folded tokens), in order, each once."""
        found: dict[str, None] = {}
        n = len(words)
        for start in range(n):
            for size in range(min(_LONGEST, n - start), 0, -1):
                phrase = " ".join(words[start : start + size])
                cats = self._lookup(phrase)
                if cats:
                    found.update(dict.fromkeys(cats))
                    break
        return tuple(found)

    def _lookup(self, phrase: str) -> tuple[str, ...]:
        cats = self.phrases.get(phrase)
        if cats:
            return cats
        for ending in _PLURALS:
            if phrase.endswith(ending) and (cats := self.phrases.get(phrase[: -len(ending)])):
                return cats
        return ()


def _read(path: Path, lexicon: TargetLexicon) -> None:
    _add(read_toml(path, what="comment target lexicon"), path, lexicon)


def _add(data: dict[str, Any], path: Path, lexicon: TargetLexicon) -> None:
    for lang, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{lang}] must be a table of category = [words]")
        for category, words in table.items():
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise ConfigError(f"{path}: [{lang}] {category} must be a list of words")
            for word in words:
                lexicon.add(word, str(category))


def load_targets(user_files: Iterable[str | Path] = ()) -> TargetLexicon:
    """The bundled lexicon, then the words of each user file (same format)."""
    if not user_files:
        return _bundled()
    lexicon = TargetLexicon(dict(_bundled().phrases))
    for path in user_files:
        _read(Path(path), lexicon)
    return lexicon


@per_knowledge_dir
def _bundled() -> TargetLexicon:
    lexicon = TargetLexicon()
    _add(load_knowledge("comment_targets"), knowledge_source("comment_targets"), lexicon)
    return lexicon
