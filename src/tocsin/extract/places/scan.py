"""Where place names may be: NER locations, and capitalised words the gazetteer knows.

The NER models miss many Sahelian villages (the English small model tags "Markoye" as a
person), so capitalised word n-grams (1 to 4 words, hyphenated names and inner
connectors such as "Boucle du Mouhoun" or "Côte d'Ivoire" included) are looked up too,
longest first. This module only finds spans and says how much to trust them (sentence
start, shouting, acronym, the NER label over them); the resolver judges them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tocsin.extract.nlp import TextAnalysis
from tocsin.extract.places.context import LanguageCues, PlaceLexicon
from tocsin.geo.gazetteer import name_key
from tocsin.text.fold import fold

MAX_WORDS = 4  # capitalised words in one name
MAX_NAME_CHARS = 80
PLACE_LABELS = frozenset({"LOC", "GPE", "FAC"})

_WORD = re.compile(r"[^\W\d_]\w*(?:[-‐‑][^\W_]\w*)*")
_GAP = re.compile(r"[ \u00a0]{1,2}|['’] ?")


@dataclass(frozen=True, slots=True)
class Mention:
    """A span that may name a place. ``label`` is the NER label over it (None if none);
    ``ner`` is True when the span is a NER location itself, not a scanned n-gram."""

    start: int
    end: int
    label: str | None = None
    ner: bool = False
    sentence_start: bool = False
    shouty: bool = False  # in an all-capitals or title-case sentence
    acronym: bool = False  # an all-capitals word in ordinary text ("FAMa" is not one)
    whole: bool = False  # the span is the whole entity of ``label``
    known: bool = True  # the gazetteer has the name (False: found by a cue, "village de Xyz")


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str
    capital: bool
    sentence: int
    first: bool  # the first word of its sentence


class _Sentences:
    """Sentence index and "shouting" of each sentence, computed once per sentence."""

    def __init__(self, analysis: TextAnalysis) -> None:
        self.text = analysis.text
        self.spans = list(analysis.sentences) or [(0, len(analysis.text))]
        self.starts = [s for s, _ in self.spans]
        self._shouty: dict[int, bool] = {}

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def shouty(self, i: int) -> bool:
        if i not in self._shouty:
            start, end = self.spans[i]
            self._shouty[i] = is_shouty(self.text[start:end])
        return self._shouty[i]


def is_shouty(sentence: str) -> bool:
    """All capitals ("ATTAQUE A GAO") or title case ("Attack On Army Post Near Djibo")."""
    letters = upper = 0
    for ch in sentence:
        if ch.isalpha():
            letters += 1
            upper += ch.isupper()
    if letters >= 8 and upper > 0.6 * letters:
        return True
    words = _WORD.findall(sentence)
    capital = sum(w[0].isupper() for w in words)
    return len(words) >= 5 and capital >= 0.7 * len(words)


def _tokens(analysis: TextAnalysis, sentences: _Sentences) -> list[_Token]:
    tokens = []
    last = -1
    for match in _WORD.finditer(analysis.text):
        word = match.group()
        sentence = sentences.index(match.start())
        tokens.append(
            _Token(match.start(), match.end(), word, word[0].isupper(), sentence, sentence != last)
        )
        last = sentence
    return tokens


def _union(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges merged into sorted, disjoint ones."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _overlaps(ranges: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) meets one of ``ranges`` (disjoint, sorted; ``starts`` theirs)."""
    i = bisect.bisect_right(starts, end - 1) - 1  # the last range starting before ``end``
    return i >= 0 and ranges[i][1] > start


class _Labels:
    """The NER label over a span (entities sorted, not overlapping)."""

    def __init__(self, analysis: TextAnalysis) -> None:
        self.text = analysis.text
        self.entities = sorted(analysis.entities, key=lambda e: (e.start, e.end))
        self.starts = [e.start for e in self.entities]

    def over(self, start: int, end: int) -> tuple[str | None, bool]:
        """The label over the span, and whether the span is the whole entity."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.entities[i].end >= end:
            entity = self.entities[i]
            rest = self.text[end : entity.end]  # "Burkina Faso's" is the whole entity
            return entity.label, entity.start == start and rest in ("", "'s", "’s", "'", "’")
        return None, False


def find_mentions(
    analysis: TextAnalysis,
    lexicon: PlaceLexicon,
    *,
    exclude: Sequence[tuple[int, int]] = (),
    known: Callable[[str], bool],
    cued: Callable[[int], bool],
) -> list[Mention]:
    """Candidate place spans in one text, in text order, not overlapping. ``known`` says
    whether the gazetteer has a name (the resolver caches it and bounds its cost);
    ``cued`` whether the words before an offset introduce a place ("le village de"): such
    a capitalised word is a mention even when the gazetteer does not know it."""
    text = analysis.text
    if not text.strip():
        return []
    cues = lexicon.cues(analysis.lang)
    ranges = _union(exclude)
    starts = [s for s, _ in ranges]
    sentences = _Sentences(analysis)
    labels = _Labels(analysis)
    tokens = _tokens(analysis, sentences)
    found: list[Mention] = []
    run: list[_Token] = []
    for token in [*tokens, None]:
        if token is not None and run and _joins(text, run[-1], token, lexicon):
            run.append(token)
            continue
        if run:
            found.extend(_scan_run(text, run, cues, sentences, labels, known, cued))
        run = [token] if token is not None and token.capital else []
    found = [m for m in found if not _overlaps(ranges, starts, m.start, m.end)]
    taken = _union([(m.start, m.end) for m in found])
    taken_starts = [s for s, _ in taken]
    for entity in analysis.entities:
        if entity.label not in PLACE_LABELS:
            continue
        span = _trim(text, entity.start, entity.end, cues)
        if span is None or _overlaps(ranges, starts, *span):
            continue
        if _overlaps(taken, taken_starts, *span):
            continue
        sentence = sentences.index(span[0])
        found.append(
            Mention(span[0], span[1], entity.label, ner=True, shouty=sentences.shouty(sentence))
        )
    return sorted(found, key=lambda m: m.start)


def _joins(text: str, previous: _Token, token: _Token, lexicon: PlaceLexicon) -> bool:
    if token.sentence != previous.sentence or not _GAP.fullmatch(text[previous.end : token.start]):
        return False
    return token.capital or fold(token.text) in lexicon.connectors


def _scan_run(
    text: str,
    run: list[_Token],
    cues: LanguageCues,
    sentences: _Sentences,
    labels: _Labels,
    known: Callable[[str], bool],
    cued: Callable[[int], bool],
) -> list[Mention]:
    while run and not run[-1].capital:
        run.pop()
    shouty = bool(run) and sentences.shouty(run[0].sentence)
    width = 2 if shouty else MAX_WORDS
    out = []
    i = 0
    while i < len(run):
        first = run[i]
        elided = i + 1 < len(run) and text[first.end : run[i + 1].start] in ("'", "’")
        short = len(first.text) < 2 and not elided  # "N'Djamena" starts with one letter
        if not first.capital or short:
            i += 1
            continue
        stopped = fold(first.text) in cues.stop
        ends: list[int] = []
        for j in range(i, min(len(run), i + 3 * width)):  # "Boucle de la X": connectors
            if run[j].capital:
                ends.append(j)
                if len(ends) == width:
                    break
        for j in reversed(ends):
            last = run[j]
            if last.end - first.start > MAX_NAME_CHARS:
                continue
            name = text[first.start : last.end]
            edge = stopped or fold(last.text) in cues.stop
            if edge and (j == i or not _stop_inside(text, run[i : j + 1], cues)):
                continue  # "United" alone, or "Le Mali": the stop word is not part of it
            if len(fold(name)) < 3 or not known(name):
                continue
            acronym = not shouty and j == i and _acronym(first.text)
            label, whole = labels.over(first.start, last.end)
            out.append(
                Mention(
                    first.start,
                    last.end,
                    label,
                    sentence_start=first.first,
                    shouty=shouty,
                    acronym=acronym,
                    whole=whole,
                )
            )
            i = j
            break
        else:
            if not shouty and not stopped and cued(first.start):
                label, whole = labels.over(first.start, first.end)
                out.append(Mention(first.start, first.end, label, whole=whole, known=False))
        i += 1
    return out


def _stop_inside(text: str, words: list[_Token], cues: LanguageCues) -> bool:
    """Whether a name of several words that starts or ends with a stop word is a name of
    its own ("United States", "South Africa", "Central African Republic"), not a stop word
    before a name ("Le Mali" is "Mali"): its key is not the key of what is left without
    the stop words at its edges."""
    core = list(words)
    while core and (not core[0].capital or fold(core[0].text) in cues.stop):
        core.pop(0)
    while core and (not core[-1].capital or fold(core[-1].text) in cues.stop):
        core.pop()
    whole = name_key(text[words[0].start : words[-1].end])
    return not core or whole != name_key(text[core[0].start : core[-1].end])


def _acronym(word: str) -> bool:
    """ "JNIM", "FAMa", "MINUSMA": capitals after the first letter of a word part."""
    return any(any(c.isupper() for c in part[1:]) for part in re.split(r"[-‐‑]", word))


def _trim(text: str, start: int, end: int, cues: LanguageCues) -> tuple[int, int] | None:
    """A NER entity cut to its name: from the first capitalised word that is not a stop
    word to the last capitalised word ("la région de Mopti" -> "Mopti")."""
    words = [m for m in _WORD.finditer(text, start, end)]
    names = [m for m in words if m.group()[0].isupper() and fold(m.group()) not in cues.stop]
    if not names or names[-1].end() - names[0].start() > MAX_NAME_CHARS:
        return None
    inner = [m for m in words if names[0].start() <= m.start() < names[-1].end()]
    if len(inner) > 2 * MAX_WORDS:
        return None
    return names[0].start(), names[-1].end()
