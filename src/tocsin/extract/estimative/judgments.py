"""Estimative language: sentences that say how likely something is, as :class:`Judgment`.

``extract_judgments`` reads each sentence of a :class:`TextAnalysis` for the cues of
``knowledge/estimative.toml`` ("probablement", "peu probable", "would almost
certainly", "not expected to") and returns one judgment per judged clause.

Rules (all words are lexicon data; the rules are here):

- A clause is a sentence, or a part of it after ";" or a contrast (", mais", ", but").
  Several cues in one clause give one judgment: the cue with the narrowest band (the
  most informative; "pourrait probablement" is "probablement"), the first on a tie.
- Questions give none: a sentence whose cue is followed by "?" before any "." or "!",
  or that opens with an inversion ("Est-il probable que ...").
- Not estimative: a cue inside a ``not_cues`` phrase ("dès que possible", "as soon as
  possible", "le risque de famine", "could not be reached"); a ``names_when_capitalised``
  cue written Capitalised inside a sentence ("in May", "Mr Likely") or followed by a
  number ("may 5").
- Negation. A negator just before the cue ("n'est pas probable", "not expected to",
  "ne sont pas susceptibles de") negates the cue: a likely-side band is mirrored (1 -
  high, 1 - low: "not likely" is unlikely); an unlikely-side band (top at most .5) is a
  litotes: "il n'est pas improbable que" is read from the cue's top to .65 ("roughly
  even" to "likely", never "very likely"); ``[LANG.negated]`` bands override both
  ("pas impossible"). A negator just after the cue ("probablement pas", "likely not",
  "pourrait ne pas") negates the judged clause: the band is mirrored so that it stays
  the probability of the clause without its negation. Either sets ``negated``.
  Cues that carry their own negation ("unlikely", "il n'est pas exclu que") are not
  negated.
- Conditions: "si X, Y est probable" / "if X, Y is likely" (X up to the first comma),
  "Y is likely if X", and a causal verb next to the cue: "X entraînerait presque
  certainement Y", "X would almost certainly trigger Y" (X is the condition, Y the
  proposition). "même si" / "even if" is a concession, not a condition.
- Trends: "plus X, plus Y (probable)", "the longer X, the more likely Y": the condition
  is the driver clause, ``trend`` "rises" ("falls" with "moins"/"the less"); the band is
  the base word's ("more likely" -> "likely"), mirrored when it falls ("moins ...
  probable", "the less likely": unlikely), roughly even without a word.
- Proposition: the judged clause without the cue where the cue stands at an edge ("il
  est probable que | X", "X | est peu probable", "Probablement, | X"); where the cue is
  inside the clause ("les groupes armés maintiendront probablement leur pression"), the
  whole clause, since a span cannot have a hole.
- Holder: the attribution whose claim holds the cue (else the one that overlaps the
  sentence most): its kind and source; the author otherwise.
- Deadline: a horizon time in the clause (else the sentence): its end; else a date led by
  "d'ici"/"by"/"until" (its last day) or "avant"/"before" (the day before it), the latest.
- ``future``: a deadline, a future or conditional verb, a modal, "to"/"de" + verb after
  the cue, a condition or a trend, a predicate on a noun ("un retrait est peu
  probable"), a superlative ("the most likely outcome") or a "que"/"that" clause say
  future; past markers ("was", "a été", the imperfect) and a state now ("il est
  probable que les otages soient détenus à Kidal", "likely being held") say not.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from tocsin.extract.estimative.clause import (
    EDGE,
    Cue,
    Found,
    ends_with,
    judge_clause,
    skip,
    strip_tail,
    trim,
)
from tocsin.extract.estimative.lexicon import (
    Band,
    EstimativeLexicon,
    LanguageEstimative,
    load_estimative_lexicon,
)
from tocsin.extract.nlp import TextAnalysis
from tocsin.models import ICD_203, Attribution, Judgment, Span, TimeRef
from tocsin.text.fold import fold_same

_WORDS = re.compile(r"\s+([\w'-]+)")
__all__ = ["EstimativeLexicon", "extract_judgments", "icd_label", "load_estimative_lexicon"]

EVEN: Band = (0.45, 0.55)
MAX_SENTENCE = 5_000  # characters read per sentence: a longer one is read up to there


def icd_label(low: float, high: float) -> str:
    """The ICD 203 term of the band's midpoint."""
    mid = (low + high) / 2
    for label, _bottom, top in ICD_203[:-1]:
        if mid < top - 1e-9:
            return label
    return ICD_203[-1][0]


def extract_judgments(
    analysis: TextAnalysis,
    *,
    attributions: Sequence[Attribution] = (),
    times: Sequence[TimeRef] = (),
    document_id: str = "",
    part: str = "body",
    lexicon: EstimativeLexicon | None = None,
) -> list[Judgment]:
    """One judgment per judged clause of ``analysis``, in text order."""
    lex = (lexicon or load_estimative_lexicon()).for_language(analysis.lang)
    text = analysis.text
    sentences = sorted(
        (max(0, s), min(len(text), e, max(0, s) + MAX_SENTENCE))
        for s, e in analysis.sentences
        if isinstance(s, int) and isinstance(e, int) and e > s
    )
    attrs = _Buckets(sentences, [a for a in attributions if a.span.part == part])
    tref = _Buckets(sentences, [t for t in times if t.span.part == part])
    out: list[Judgment] = []
    for index, (start, end) in enumerate(sentences):
        sentence = text[start:end]
        folded = fold_same(sentence)
        if len(folded) != len(sentence):  # cannot happen with fold_same(); stay safe
            continue
        for found in _judge_sentence(sentence, folded, lex):
            out.append(
                _finish(
                    found,
                    text,
                    start,
                    folded,
                    lex,
                    attrs.get(index),
                    tref.get(index),
                    document_id,
                    part,
                )
            )
    return out


class _Buckets:
    """Annotations (anything with a ``span``) grouped by the sentences they overlap."""

    def __init__(self, sentences: list[tuple[int, int]], items: Sequence[Attribution | TimeRef]):
        self._by: dict[int, list[Attribution | TimeRef]] = {}
        starts = [s for s, _ in sentences]
        for item in items:
            first = max(0, bisect.bisect_right(starts, item.span.start) - 1)
            for i in range(first, min(len(sentences), first + 50)):
                s, e = sentences[i]
                if s >= item.span.end:
                    break
                if item.span.start < e and s < item.span.end:
                    self._by.setdefault(i, []).append(item)

    def get(self, index: int) -> list[Attribution | TimeRef]:
        return self._by.get(index, [])


# --- one sentence -----------------------------------------------------------------


def _judge_sentence(sentence: str, folded: str, lex: LanguageEstimative) -> list[Found]:
    lead = skip(folded, 0)
    if lex.pattern("question_starts").match(folded, lead):
        return []
    cues = [c for c in _cues(sentence, folded, lex) if not _asked(folded, c.end)]
    trend = _trend(folded, lead, cues, lex)
    if trend is not None:
        return [trend]
    found: list[Found] = []
    for cs, ce in _clauses(folded, lex):
        inside = [c for c in cues if cs <= c.start and c.end <= ce]
        if not inside:
            continue
        main, condition = (cs, ce), None
        for key in ("concessions", "condition_markers"):
            opening = lex.pattern(key).match(folded, skip(folded, cs))
            comma = folded.find(",", opening.end(), ce) if opening is not None else -1
            if opening is not None and comma != -1 and any(c.start > comma for c in inside):
                if key == "condition_markers":
                    condition = trim(folded, opening.end(), comma)
                main = (comma + 1, ce)
                inside = [c for c in inside if c.start > comma]
                break
        best = min(inside, key=lambda c: (round(c.band[1] - c.band[0], 6), c.start))
        found.append(judge_clause(folded, (cs, ce), main, best, condition, lex))
    return found


def _cues(sentence: str, folded: str, lex: LanguageEstimative) -> list[Cue]:
    blocked = [(m.start(), m.end()) for m in lex.pattern("not_cues").finditer(folded)]
    cues: list[Cue] = []
    for m in lex.cue_pattern.finditer(folded):
        phrase = " ".join(m.group().split())
        band = lex.cues.get(phrase)
        if band is None or any(s < m.end() and m.start() < e for s, e in blocked):
            continue
        if _quoted(folded, m.start(), m.end()):
            continue  # « probable »: the word mentioned, not used
        if lex.has("names_when_capitalised", phrase) and _name(sentence, folded, m, lex):
            continue
        cues.append(Cue(m.start(), m.end(), phrase, band))
    return cues


def _quoted(folded: str, start: int, end: int) -> bool:
    before = folded[max(0, start - 2) : start].strip()
    after = folded[end : end + 2].strip()
    return before[-1:] in ("«", '"', "“") and after[:1] in ("»", '"', "”")


def _name(sentence: str, folded: str, m: re.Match[str], lex: LanguageEstimative) -> bool:
    """ "May" the month, "Mr Likely", "Likely Stories": a Capitalised cue that is a name."""
    if re.match(r"\s+\d", folded[m.end() : m.end() + 4]):
        return True  # "May 5"
    if not sentence[m.start()].isupper():
        return False
    if folded[: m.start()].strip(EDGE):
        return True  # Capitalised inside the sentence
    following = _WORDS.match(sentence, m.end())
    return following is not None and (
        following.group(1)[:1].isupper() or lex.has("copulas", following.group(1).lower())
    )  # "Likely Stories", "May is the hottest month"


def _asked(folded: str, at: int) -> bool:
    """Whether the first end of sentence after ``at`` is a question mark."""
    for ch in folded[at:]:
        if ch in ".!":
            return False
        if ch == "?":
            return True
    return False


def _clauses(folded: str, lex: LanguageEstimative) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in lex.pattern("clause_breaks").finditer(folded):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(folded)))
    return out


def _trend(folded: str, lead: int, cues: list[Cue], lex: LanguageEstimative) -> Found | None:
    """``plus X, plus Y probable`` / ``the longer X, the more likely Y``."""
    if lex.pattern("trend_not").match(folded, lead):
        return None
    first = lex.pattern("trend_first").match(folded, lead)
    if first is None:
        return None
    comma = folded.find(",", first.end())
    if comma == -1:
        return None
    second = skip(folded, comma + 1)
    up = lex.pattern("trend_up").match(folded, second)
    down = lex.pattern("trend_down").match(folded, second)
    marker = up if up is not None and (down is None or up.end() >= down.end()) else down
    if marker is None or lex.pattern("trend_not").match(folded, second):
        return None
    later = [c for c in cues if c.start >= second]
    end = len(folded)
    if later:
        cue = later[0]
        band = _base_band(cue.phrase, lex) or cue.band
        if marker is down and band[0] >= 0.5:  # "moins ... probable": less and less likely
            band = (round(1 - band[1], 2), round(1 - band[0], 2))
        if cue.start > marker.end():
            prop = strip_tail(folded, marker.end(), cue.start, "copulas", lex)
        else:
            prop = strip_tail(folded, max(cue.end, marker.end()), end, "copulas", lex)
    else:
        cue = Cue(marker.start(), marker.end(), " ".join(marker.group().split()), EVEN)
        band, prop = EVEN, trim(folded, marker.end(), end)
    return Found(
        clause=trim(folded, 0, end),
        proposition=prop,
        cue=cue,
        band=band,
        condition=trim(folded, lead, comma),
        trend="rises" if marker is up else "falls",
        future=True,
    )


def _base_band(phrase: str, lex: LanguageEstimative) -> Band | None:
    """The band of the word a comparative is built on ("more likely" -> "likely")."""
    words = phrase.split()
    for cut in range(1, len(words)):
        if lex.has("comparatives", " ".join(words[:cut])):
            base = lex.cues.get(" ".join(words[cut:]))
            if base is not None:
                return base
    return None


# --- finishing ----------------------------------------------------------------------


def _finish(
    found: Found,
    text: str,
    offset: int,
    folded: str,
    lex: LanguageEstimative,
    attributions: list[Attribution | TimeRef],
    times: list[Attribution | TimeRef],
    document_id: str,
    part: str,
) -> Judgment:
    def span(local: tuple[int, int]) -> Span:
        return Span(document_id, part, offset + local[0], offset + local[1])

    cue = found.cue
    low, high = found.band
    judgment = Judgment(
        span=span(found.clause),
        proposition=span(found.proposition),
        cue=span((cue.start, cue.end)),
        cue_text=text[offset + cue.start : offset + cue.end],
        low=low,
        high=high,
        label=icd_label(low, high),
        negated=found.negated,
        condition=span(found.condition) if found.condition is not None else None,
        trend=found.trend,
        future=found.future,
    )
    holder = _holder(offset + cue.start, offset + cue.end, found, offset, attributions)
    if holder is not None:
        judgment = replace(judgment, holder_kind=holder.kind, holder=holder.source)
    deadline = _deadline(found, offset, folded, lex, times)
    if deadline is not None:
        judgment = replace(judgment, deadline=deadline[0], timeframe=deadline[1], future=True)
    return judgment


def _holder(
    cs: int, ce: int, found: Found, offset: int, items: list[Attribution | TimeRef]
) -> Attribution | None:
    attributions = [a for a in items if isinstance(a, Attribution)]
    for a in attributions:
        if a.span.start <= cs and ce <= a.span.end:
            return a
    lo, hi = offset + found.clause[0], offset + found.clause[1]
    best = max(
        attributions, key=lambda a: min(hi, a.span.end) - max(lo, a.span.start), default=None
    )
    if best is None or min(hi, best.span.end) <= max(lo, best.span.start):
        return None
    return best


def _deadline(
    found: Found,
    offset: int,
    folded: str,
    lex: LanguageEstimative,
    items: list[Attribution | TimeRef],
) -> tuple[date, str] | None:
    times = [t for t in items if isinstance(t, TimeRef)]
    lo, hi = offset + found.clause[0], offset + found.clause[1]
    inside = [t for t in times if lo <= t.span.start and t.span.end <= hi] or times
    for t in inside:
        if t.kind == "horizon" and t.end is not None:
            return t.end, t.value
    best: tuple[date, str] | None = None
    if not found.future:  # "likely retook the town in June 2024": a date, no deadline
        return None
    for t in inside:
        if t.kind != "date":
            continue
        local = t.span.start - offset
        window = folded[max(0, local - 30) : max(0, local)].rstrip()
        deadline: date | None = None
        if t.end is not None and ends_with(window, "deadline_by", lex):
            deadline = t.end
        elif t.start is not None and ends_with(window, "deadline_before", lex):
            deadline = t.start - timedelta(days=1)
        if deadline is not None and (best is None or deadline > best[0]):
            best = (deadline, t.value)
    return best
