"""Stance of a statement: does it affirm, deny or forecast what it names?

The cues are data (``knowledge/stance.toml``): negators ("jamais", "not"), the two
halves of the French split negation ("ne ... pas"), denials ("dément", "denied"),
estimative words below even chances ("peu probable", "unlikely") and future markers
("devrait", "will"). :func:`read_stance` counts the negations of a text (their parity
is its polarity) and gives the text with those cues taken out, which is what the
sentence encoder compares: "l'armée n'a pas repris Kidal" and "l'armée a repris Kidal"
then read as the same proposition with opposite polarities.

Everything is linear in the text: one tokenisation, then a dictionary lookup of the
phrases that start at each token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tocsin.knowledge.lexicon import (
    PerLanguage,
    PhraseLexiconLoader,
)
from tocsin.text.fold import fold_same

KEYS = (
    "negators",
    "particles",
    "completions",
    "denials",
    "unlikely",
    "neutral",
    "complementizers",
    "future",
)
STANCES = ("affirms", "denies", "forecasts")
WINDOW = 6  # words between "ne" and its "pas"
MAX_CHARS = 5_000  # longer texts are read up to here
_TOKEN = re.compile(r"\w*qu'|n't\b|[^\W\d_]'|\w+?(?=n't\b)|\w+")
_GLUED = {"wo": "will", "ca": "can", "sha": "shall"}  # "won't", "can't", "shan't"

Phrase = tuple[str, ...]


def tokens(text: str, *, limit: int = MAX_CHARS) -> list[tuple[str, int, int]]:
    """Folded words of ``text`` (up to ``limit`` characters) with their offsets ("n'",
    "qu'" and "n't" are words, "l'armée" is "l'" + "armee"). The comments' phrase lookup
    reads the same words."""
    folded = fold_same(text[:limit])
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(folded):
        word = m.group()
        if word == "n't" and out and out[-1][0] in _GLUED:
            last = out[-1]
            out[-1] = (_GLUED[last[0]], last[1], last[2])
        out.append((word, m.start(), m.end()))
    return out


@dataclass(frozen=True, slots=True)
class StanceCues:
    """One language's cues: per key, the phrases (tuples of folded words) by first word."""

    phrases: dict[str, dict[str, tuple[Phrase, ...]]]

    @classmethod
    def build(cls, raw: dict[str, tuple[str, ...]]) -> StanceCues:
        phrases: dict[str, dict[str, tuple[Phrase, ...]]] = {}
        for key in KEYS:
            by_first: dict[str, list[Phrase]] = {}
            for phrase in raw.get(key, ()):
                words = tuple(w for w, _, _ in tokens(phrase))
                if words and words not in by_first.get(words[0], []):
                    by_first.setdefault(words[0], []).append(words)
            phrases[key] = {
                first: tuple(sorted(found, key=len, reverse=True))
                for first, found in by_first.items()
            }
        return cls(phrases)

    def matches(self, key: str, words: list[str], skip: set[int]) -> Iterator[tuple[int, int]]:
        """(first, end) word indices of the ``key`` phrases in ``words``, longest first at
        each position, never overlapping one another nor a word in ``skip``."""
        table = self.phrases[key]
        i, n = 0, len(words)
        while i < n:
            for phrase in table.get(words[i], ()):
                end = i + len(phrase)
                if tuple(words[i:end]) == phrase and not skip.intersection(range(i, end)):
                    yield i, end
                    i = end - 1
                    break
            i += 1


StanceLexicon = PerLanguage[StanceCues]


@dataclass(frozen=True, slots=True)
class StanceReading:
    """What the cues say about one text.

    ``negations`` counts negations, denials and "unlikely" words (an odd count denies);
    ``denial`` is whether a denial word is among them; ``future`` whether a future
    marker is present; ``estimative`` whether an "unlikely" word is (a judgment of
    likelihood: the statement forecasts); ``neutral`` is the text without its negation
    and denial cues (and without the words that open a denial: "X dément que").
    """

    negations: int
    denial: bool
    future: bool
    neutral: str
    estimative: bool = False

    @property
    def negative(self) -> bool:
        return self.negations % 2 == 1

    @property
    def stance(self) -> str:
        if self.negative and self.denial:
            return "denies"
        if self.future or self.estimative:
            return "forecasts"
        return "denies" if self.negative else "affirms"


def read_stance(
    text: str, lang: str | None, *, lexicon: StanceLexicon | None = None
) -> StanceReading:
    """Negations, denial, future marker and the neutralised text of ``text``."""
    cues = (lexicon or load_stance_lexicon()).for_language(lang)
    toks = tokens(text)
    words = [w for w, _, _ in toks]
    skip: set[int] = set()
    for s, e in cues.matches("neutral", words, set()):
        skip.update(range(s, e))
    removed: set[int] = set()
    negations = 0

    def take(key: str) -> list[tuple[int, int]]:
        found = list(cues.matches(key, words, skip))
        for s, e in found:
            removed.update(range(s, e))
        return found

    standalone = take("negators")
    negations += len(standalone)
    denials = take("denials")
    negations += len(denials)
    unlikely = take("unlikely")
    negations += len(unlikely)
    completions = list(cues.matches("completions", words, skip))
    used: set[int] = set()
    for ps, pe in cues.matches("particles", words, skip):
        removed.update(range(ps, pe))
        near = [c for c in completions if ps - WINDOW <= c[0] < pe + WINDOW and c[0] != ps]
        if not near or any(ps - WINDOW <= s < pe + WINDOW for s, _ in standalone):
            continue  # an expletive "ne", or a negator already counted
        first = min(near, key=lambda c: abs(c[0] - ps))
        if first[0] not in used:
            used.add(first[0])
            negations += 1
            removed.update(range(*first))
    future = any(True for _ in cues.matches("future", words, skip))
    start = 0
    opening = [d for d in denials if d[0] <= len(words) // 2]
    if opening:
        start = opening[0][1]
        lead = next(cues.matches("complementizers", words[start:], set()), None)
        if lead is not None and lead[0] == 0:
            start += lead[1]
    neutral = _cut(text, toks, start, removed)
    return StanceReading(negations, bool(denials), future, neutral, bool(unlikely))


def _cut(text: str, toks: list[tuple[str, int, int]], start: int, removed: set[int]) -> str:
    """``text`` from its ``start``-th word on, without the ``removed`` words."""
    if start >= len(toks):
        return ""
    pieces: list[str] = []
    at = toks[start][1]
    for i in sorted(r for r in removed if r >= start):
        pieces.append(text[at : toks[i][1]])
        at = toks[i][2]
    pieces.append(text[at:MAX_CHARS])
    return " ".join("".join(pieces).split())


def stance_of(text: str, lang: str | None) -> str:
    """ "affirms", "denies" or "forecasts": a denial word with an odd number of negations
    denies; otherwise a future marker or an "unlikely" word forecasts ("will not
    withdraw", "is unlikely to withdraw"); otherwise an odd number of negations denies;
    anything else affirms."""
    return read_stance(text, lang).stance


# ------------------------------------------------------------------------ loading


_LOADER = PhraseLexiconLoader(
    StanceCues.build,
    knowledge="stance",
    what="stance lexicon",
    keys=KEYS,
    key_hint="see the keys at the top of knowledge/stance.toml",
    item="strings",
)


def load_stance_lexicon(extra: Path | str | None = None) -> StanceLexicon:
    """The bundled cues, then the user's file (same format) added on top."""
    return _LOADER.load(extra)
