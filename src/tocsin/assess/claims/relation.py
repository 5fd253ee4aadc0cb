"""Whether two statements assert the same proposition, its opposite, or something else.

Two statements are the **same** proposition when

1. the vectors of their *neutralised* texts (negation and denial cues taken out, see
   :mod:`tocsin.assess.claims.stance`) have a cosine of at least ``SAME`` (0.68), and
2. what they name agrees: when both name places, they share one; when both name
   actors, they share one; when both carry calendar dates, one date contains the
   other. When neither pair of annotations can be compared (texts without
   annotations), their proper names and numbers are compared instead: if each text
   names something the other does not (Gao against Mopti, JNIM against ISGS), they
   are different. The encoder alone cannot tell "l'armée a repris Kidal" from
   "l'armée a repris Tessalit" (cosine 0.85, above most translations).

They are **opposite** when they take contrary states of the same thing without any
negation ("les écoles ont rouvert" / "the schools remain closed": ``knowledge/
contrary.toml``), provided their cosine is at least ``CONTRARY_MIN`` and they share a
place, an actor or a name (or are the same proposition); or when they are the same
proposition and one affirms it while the other denies it (negation parity of the
text, or the statement's stance "denies"), or
when both forecast it with opposite polarities ("will withdraw" / "is unlikely to
withdraw"). A forecast and a report of the same proposition are the same claim, not a
contradiction: the report may resolve the forecast.

The threshold comes from sentence pairs written for the project (tests/assess):
translations and paraphrases fr/en score 0.72-0.90 (the lowest: "l'armée malienne a
repris le contrôle de Kidal" / "les forces armées maliennes ont reconquis Kidal", 0.72);
unrelated claims in the same domain 0.19-0.31; claims that share most words but not
the event ("des hommes armés ont attaqué un convoi près de Gao" / "... un marché
près de Mopti") 0.69, which is why names must agree as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from tocsin.assess.claims.contrary import contrary
from tocsin.assess.claims.stance import read_stance, tokens
from tocsin.assess.encoder import Encoder, Vectors, shared_encoder
from tocsin.extract.sourcing.lexicon import load_sourcing_lexicon
from tocsin.models import Statement
from tocsin.text.fold import fold_same

__all__ = ["SAME", "Reading", "compatible", "judge", "reading_of", "relation"]

SAME = 0.68
CONTRARY_MIN = 0.45  # contrary states count only between statements this close at least
MAX_NAMES = 12
MAX_REPORTED = 400  # a reporting verb further in is not an opening
NAME_RATIO = 0.75  # "Tchad"/"Chad", "Soudan"/"Sudan" name the same thing
_CAPITAL = re.compile(r"[^\W\d_][\w-]*|\d+")
_BREAK = frozenset('.!?:;«“"(')
_CALENDAR = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class Reading:
    """What the comparison needs from a statement's text."""

    neutral: str  # the text without its negation and denial cues
    negative: bool  # an odd number of negations
    names: frozenset[str]  # folded proper names and numbers
    words: frozenset[str]  # every folded word

    @property
    def empty(self) -> bool:
        return not self.words


@lru_cache(maxsize=65_536)
def reading_of(text: str, lang: str | None) -> Reading:
    """The reading of a text (cached: the same text is read once)."""
    stance = read_stance(text, lang)
    neutral = _unreported(stance.neutral, lang)
    words = frozenset(w for w, _, _ in tokens(neutral))
    return Reading(neutral, stance.negative, _names(text), words)


def _unreported(text: str, lang: str | None) -> str:
    """``text`` without an opening "X a déclaré que" / "X said that": the encoder then
    compares what is said, not who says it."""
    cues = load_sourcing_lexicon().for_language(lang)
    folded = fold_same(text[:MAX_REPORTED])
    verb = cues.pattern("reporting_verbs").search(folded)
    if verb is None or verb.start() > len(folded) // 2:
        return text
    that = cues.pattern("complementizers").match(folded, verb.end() + 1)
    if that is None:
        that = cues.pattern("complementizers").match(folded, verb.end())
    if that is None:
        return text
    rest = text[that.end() :].strip()
    return rest if len(rest.split()) >= 3 else text


def _names(text: str) -> frozenset[str]:
    """Capitalised words that do not open a sentence, and numbers, folded."""
    names: list[str] = []
    text = text[:2_000]
    for m in _CAPITAL.finditer(text):
        word = m.group()
        j = m.start() - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        opens = j < 0 or text[j] in _BREAK
        acronym = len(word) > 1 and word.isupper()
        if word[0].isdigit() or acronym or (word[0].isupper() and not opens and len(word) > 1):
            names.append(fold_same(word))
            if len(names) >= MAX_NAMES:
                break
    return frozenset(names)


def negative(statement: Statement, reading: Reading) -> bool:
    """Whether the statement says its proposition is not so."""
    return statement.stance == "denies" or reading.negative


def _named_in(name: str, words: frozenset[str]) -> bool:
    if name in words:
        return True
    if name.isdigit() or len(name) < 4:
        return False
    for word in words:
        k = min(len(name), len(word), 5)
        if k >= 4 and name[:k] == word[:k]:
            return True
        if (
            abs(len(word) - len(name)) <= 3
            and SequenceMatcher(None, name, word).ratio() >= NAME_RATIO
        ):
            return True
    return False


def _dates_agree(a: frozenset[str], b: frozenset[str]) -> bool | None:
    da = [t for t in a if _CALENDAR.match(t)]
    db = [t for t in b if _CALENDAR.match(t)]
    if not da or not db:
        return None
    return any(x.startswith(y) or y.startswith(x) for x in da for y in db)


def compatible(a: Statement, b: Statement, ra: Reading, rb: Reading) -> bool:
    """Whether what the two statements name can be the same: places, actors, dates, or
    (when no annotation can be compared) proper names and numbers."""
    checked = False
    if a.places and b.places:
        if a.places.isdisjoint(b.places):
            return False
        checked = True
    if a.actors and b.actors:
        if a.actors.isdisjoint(b.actors):
            return False
        checked = True
    dates = _dates_agree(a.times, b.times)
    if dates is False:
        return False
    if checked or not ra.names or not rb.names:
        return True
    words_a = ra.words | ra.names
    words_b = rb.words | rb.names
    a_only = any(not _named_in(n, words_b) for n in ra.names)
    b_only = any(not _named_in(n, words_a) for n in rb.names)
    return not (a_only and b_only)


def judge(
    a: Statement, b: Statement, ra: Reading, rb: Reading, cosine: float, *, threshold: float
) -> str:
    """The relation of two compatible statements whose neutral texts have ``cosine``."""
    if cosine < threshold:
        return "different"
    forecast_a, forecast_b = a.stance == "forecasts", b.stance == "forecasts"
    if forecast_a == forecast_b and negative(a, ra) != negative(b, rb):
        return "opposite"
    return "same"


def relation(
    a: Statement, b: Statement, *, encoder: Encoder | None = None, threshold: float = SAME
) -> str:
    """ "same", "opposite" or "different" (see the module's documentation)."""
    ra, rb = reading_of(a.text, a.lang), reading_of(b.text, b.lang)
    if ra.empty or rb.empty or not compatible(a, b, ra, rb):
        return "different"
    va: Vectors
    vb: Vectors
    va, vb = (encoder or shared_encoder()).encode([ra.neutral, rb.neutral])
    cosine = float(np.clip(va @ vb, -1.0, 1.0))
    verdict = judge(a, b, ra, rb, cosine, threshold=threshold)
    if (
        cosine >= CONTRARY_MIN
        and negative(a, ra) == negative(b, rb)
        and (cosine >= threshold or _anchored(a, b, ra, rb))
        and contrary(ra.words, fold_same(ra.neutral), rb.words, fold_same(rb.neutral)) is not None
    ):
        return "opposite"  # "les écoles ont rouvert" / "the schools remain closed"
    return verdict


def _anchored(a: Statement, b: Statement, ra: Reading, rb: Reading) -> bool:
    """Whether two statements share what they are about: a place, an actor or a name."""
    if not a.places.isdisjoint(b.places) or not a.actors.isdisjoint(b.actors):
        return True
    return any(_named_in(n, rb.words | rb.names) for n in ra.names)
