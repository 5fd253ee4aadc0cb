"""Reading the per-language phrase lexicons (sourcing, stance, quality): one table per
language code, each key a list of phrases; a user's file in the same format adds its
phrases in front of ours. Errors are one line naming the file and what to fix.

:class:`PhraseLexiconLoader` is the one way such a lexicon is loaded: the bundled file
(built once per knowledge folder), or the bundled file with a user's file on top."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, NotRequired, TypedDict, TypeVar, Unpack

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir

PhraseTables = dict[str, dict[str, tuple[str, ...]]]
Cues = TypeVar("Cues")


@dataclass(frozen=True)  # no slots: a slotted generic dataclass breaks PerLanguage[X](...)
class PerLanguage(Generic[Cues]):
    """A lexicon's compiled cues per language; a language without its own table uses
    every language's cues together (``fallback``)."""

    languages: dict[str, Cues]
    fallback: Cues

    def for_language(self, lang: str | None) -> Cues:
        if lang and (cues := self.languages.get(lang)) is not None:
            return cues
        return self.fallback


LANG = re.compile(r"^[a-z]{2,3}$")


def read_phrase_tables(
    path: Path | None,
    *,
    knowledge: str,
    what: str,
    keys: Iterable[str],
    key_hint: str,
    item: str = "strings",
    valid: Callable[[str], bool] = lambda _phrase: True,
) -> PhraseTables:
    """``path`` as {language: {key: phrases}}; ``path`` None: the knowledge file named
    ``knowledge`` ("sourcing": bundled, then the user's knowledge folder). ``what`` names
    the lexicon in messages ("sourcing lexicon"); ``key_hint`` says where the keys are
    described."""
    if path is None:
        raw, path = load_knowledge(knowledge), knowledge_source(knowledge)
    else:
        raw = read_toml(path, what=what)
    known = set(keys)
    data: PhraseTables = {}
    for lang, table in raw.items():
        if not LANG.match(lang) or not isinstance(table, dict):
            raise ConfigError(
                f"{path}: [{lang}] is not a language table; "
                "use one table per language code, [fr] or [en]"
            )
        if unknown := set(table) - known:
            raise ConfigError(
                f"{path}: [{lang}] unknown key(s) {', '.join(sorted(unknown))}; {key_hint}"
            )
        data[lang] = {}
        for key, values in table.items():
            if not isinstance(values, list) or not all(
                isinstance(v, str) and v.strip() and valid(v) for v in values
            ):
                raise ConfigError(
                    f"{path}: [{lang}] {key} must be a list of non-empty {item}; "
                    'write it as key = ["phrase", ...]'
                )
            data[lang][key] = tuple(values)
    return data


def add_user_tables(base: PhraseTables, extra: PhraseTables) -> PhraseTables:
    """``base`` with the user's phrases in front of ours, per language and key."""
    for lang, table in extra.items():
        into = base.setdefault(lang, {})
        for key, values in table.items():
            into[key] = values + tuple(v for v in into.get(key, ()) if v not in values)
    return base


def union_of(data: PhraseTables) -> dict[str, tuple[str, ...]]:
    """Every language's phrases together, per key: the cues for other languages."""
    union: dict[str, tuple[str, ...]] = {}
    for table in data.values():
        for key, values in table.items():
            union[key] = union.get(key, ()) + values
    return union


class PhraseFile(TypedDict):
    """Which knowledge file a lexicon is and how to check it: the keyword arguments of
    :func:`read_phrase_tables`."""

    knowledge: str
    what: str
    keys: tuple[str, ...]
    key_hint: str
    item: NotRequired[str]
    valid: NotRequired[Callable[[str], bool]]


class PhraseLexiconLoader(Generic[Cues]):
    """How one phrase lexicon is read and built: ``build`` turns one language's table
    (or every language's, together) into its cues; ``file`` says which knowledge file it
    is read from and how it is checked (see :func:`read_phrase_tables`)."""

    def __init__(
        self,
        build: Callable[[dict[str, tuple[str, ...]]], Cues],
        **file: Unpack[PhraseFile],
    ) -> None:
        self._build_cues = build
        self._file = file
        self._bundled = per_knowledge_dir(lambda: self._build(self._read(None)))

    def load(self, extra: Path | str | None = None) -> PerLanguage[Cues]:
        """The bundled lexicon (the same object while the knowledge folder is the same),
        then the user's file ``extra`` (same format) added on top."""
        if extra is None:
            return self._bundled()
        return self._build(add_user_tables(self._read(None), self._read(Path(extra))))

    def _build(self, data: PhraseTables) -> PerLanguage[Cues]:
        languages = {lang: self._build_cues(table) for lang, table in data.items()}
        return PerLanguage(languages, self._build_cues(union_of(data)))

    def _read(self, path: Path | None) -> PhraseTables:
        """The user's file at ``path``; None: the bundled file with the knowledge folder's."""
        return read_phrase_tables(path, **self._file)
