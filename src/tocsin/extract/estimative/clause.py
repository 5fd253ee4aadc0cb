"""One judged clause: its proposition, condition, negation and tense.

The rules are told in :mod:`tocsin.extract.estimative.judgments`; offsets here are local to the
sentence, in its folded text (same length as the original).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tocsin.extract.estimative.lexicon import Band, LanguageEstimative

LITOTES_TOP = 0.65  # "pas improbable": at most "likely"
_WORD = re.compile(r"[\w'-]+")
EDGE = " \t\r\n,;:.!?\"'«»“”‘’()[]—–-…"


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    phrase: str
    band: Band


@dataclass(frozen=True, slots=True)
class Found:
    """A judgment inside one sentence, offsets local to the sentence."""

    clause: tuple[int, int]
    proposition: tuple[int, int]
    cue: Cue
    band: Band
    negated: bool = False
    condition: tuple[int, int] | None = None
    trend: str | None = None
    future: bool = False


# --- one clause ---------------------------------------------------------------------


def judge_clause(
    folded: str,
    clause: tuple[int, int],
    main: tuple[int, int],
    cue: Cue,
    condition: tuple[int, int] | None,
    lex: LanguageEstimative,
) -> Found:
    ms, me = main
    trailing = _trailing_condition(folded, cue.end, me, lex)
    if trailing is not None and condition is None:
        marker_start, marker_end = trailing
        condition = trim(folded, marker_end, me)
        me = marker_start
    causal = _causal(folded, ms, me, cue, lex)
    predicate = False
    if causal is not None and condition is None:
        condition, proposition = causal
    else:
        proposition, predicate = _proposition(folded, ms, me, cue, lex)
    band, negated = _negation(folded, ms, me, cue, lex)
    future = _future(folded, ms, me, cue, lex, predicate or condition is not None)
    return Found(
        clause=trim(folded, *clause),
        proposition=proposition,
        cue=cue,
        band=band,
        negated=negated,
        condition=condition,
        future=future,
    )


def _trailing_condition(
    folded: str, after: int, end: int, lex: LanguageEstimative
) -> tuple[int, int] | None:
    for m in lex.pattern("condition_markers").finditer(folded, after, end):
        if lex.cues.get(" ".join(m.group().split())) is not None:
            continue  # "should" is a cue before it is a condition
        concession = lex.pattern("concessions")
        if any(c.end() == m.end() for c in concession.finditer(folded, max(0, m.start() - 12))):
            continue  # "même si", "even if": a concession
        return m.start(), m.end()
    return None


def _causal(
    folded: str, ms: int, me: int, cue: Cue, lex: LanguageEstimative
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """``X entraînerait presque certainement Y`` / ``X would almost certainly trigger Y``."""
    verbs = lex.pattern("causal_verbs")
    cond_end = prop_start = -1
    for m in verbs.finditer(folded, ms, cue.start):
        if not folded[m.end() : cue.start].strip():
            cond_end, prop_start = m.start(), cue.end
    after = verbs.match(folded, skip(folded, cue.end, spaces_only=True), me)
    if cond_end == -1 and after is not None:
        for aux in lex.pattern("causal_auxiliaries").finditer(folded, ms, cue.start):
            if not folded[aux.end() : cue.start].strip():
                cond_end, prop_start = aux.start(), after.end()
    if cond_end == -1:
        return None
    condition = trim(folded, ms, cond_end)
    proposition = trim(folded, prop_start, me)
    if not words(folded, *condition) or not words(folded, *proposition):
        return None
    return condition, proposition


def _proposition(
    folded: str, ms: int, me: int, cue: Cue, lex: LanguageEstimative
) -> tuple[tuple[int, int], bool]:
    """The judged clause without its cue, and whether the cue is a predicate on a noun."""
    before = words(folded, ms, cue.start)
    after = skip(folded, cue.end, spaces_only=True)
    last = cue.phrase.split()[-1]
    governs_verb = lex.has("infinitives", last) or cue.phrase.endswith("d'")
    infinitive = governs_verb or any(
        m.start() == after for m in lex.pattern("infinitives").finditer(folded, after, me)
    )
    edge_words = ("frames", "copulas", "negators_before")
    if all(any(is_word(lex, k, w) for k in edge_words) for w in before):
        if lex.has("complementizers", last) or cue.phrase.endswith("qu'"):
            return trim(folded, cue.end, me), False
        comp = lex.pattern("complementizers").match(folded, after, me)
        if comp is not None:
            return trim(folded, comp.end(), me), False
        if folded[after : after + 1] == "," or (not before and not infinitive):
            return trim(
                folded, after + 1 if folded[after : after + 1] == "," else cue.end, me
            ), False
    following = words(folded, cue.end, me)[:1]
    verb_next = bool(following) and following[0].endswith(("ing", "ed"))
    if before and not infinitive and not verb_next:
        tail = strip_tail(folded, ms, cue.start, "negators_before", lex)
        subject = strip_tail(folded, tail[0], tail[1], "copulas", lex)
        rest = words(folded, *subject)
        if subject != tail and rest and not all(is_word(lex, "frames", w) for w in rest):
            return subject, True
        if not folded[cue.end : me].strip(EDGE) and folded[ms : cue.start].rstrip().endswith(","):
            return trim(folded, ms, cue.start), False
    return trim(folded, ms, me), False


def _negation(
    folded: str, ms: int, me: int, cue: Cue, lex: LanguageEstimative
) -> tuple[Band, bool]:
    low, high = cue.band
    comma = folded.rfind(",", ms, cue.start)
    window = " ".join(words(folded, max(ms, comma + 1), cue.start)[-3:])
    before = bool(lex.pattern("negators_before").search(window)) or any(
        w.endswith(s) for w in window.split() for s in lex.words["negator_suffixes"]
    )
    if not before and " plus" in f" {window}" and re.search(r"(?:^|\s)(?:ne|n')", window):
        before = True  # "n'est plus probable"
    following = " ".join(words(folded, cue.end, me)[:2])
    after = lex.pattern("negators_after").search(following) is not None
    if before:
        override = lex.negated.get(cue.phrase)
        if override is not None:
            return override, True
        if high <= 0.5:
            return (high, max(high, LITOTES_TOP)), True
        return (round(1 - high, 2), round(1 - low, 2)), True
    if after:
        return (round(1 - high, 2), round(1 - low, 2)), True
    return (low, high), False


def _future(
    folded: str, ms: int, me: int, cue: Cue, lex: LanguageEstimative, forward: bool
) -> bool:
    clause = folded[ms:me]
    if lex.pattern("past_markers").search(clause):
        return False
    if lex.pattern("future_words").search(clause):
        return True
    future = past = False
    for word in words(folded, ms, me):
        if lex.has("future_exceptions", word) or len(word) < 6:
            continue
        if any(word.endswith(s) for s in lex.words["future_suffixes"]):
            future = True
        elif any(word.endswith(s) for s in lex.words["past_suffixes"]):
            past = True  # "appartenait": the imperfect
    if future or past:
        return future
    after = skip(folded, cue.end, spaces_only=True)
    last = cue.phrase.split()[-1]
    if lex.has("infinitives", last) or lex.pattern("infinitives").match(folded, after, me):
        return True
    if lex.pattern("present_states").search(clause):
        return False  # "que les otages soient détenus à Kidal": a state now
    parts = cue.phrase.split()
    if any(lex.has("comparatives", " ".join(parts[:k])) for k in range(1, len(parts))):
        return True  # "the most likely outcome": a scenario
    if lex.has("complementizers", last) or lex.pattern("complementizers").search(
        folded, cue.end, me
    ):
        return True  # "il est possible que le scrutin soit reporté": mostly what will be
    return forward


# --- text helpers -------------------------------------------------------------------


def ends_with(window: str, key: str, lex: LanguageEstimative) -> bool:
    return any(m.end() == len(window) for m in lex.pattern(key).finditer(window))


def is_word(lex: LanguageEstimative, key: str, word: str) -> bool:
    """Whether ``word`` is in list ``key``, also elided or negated ("n'est", "isn't")."""
    if lex.has(key, word):
        return True
    if "'" in word.strip("'"):
        bare = word[:-3] if word.endswith("n't") else word.rsplit("'", 1)[-1]
        return bare != word and lex.has(key, bare)
    return False


def words(folded: str, start: int, end: int) -> list[str]:
    return _WORD.findall(folded, max(0, start), max(0, end))


def skip(folded: str, at: int, *, spaces_only: bool = False) -> int:
    chars = " \t\r\n" if spaces_only else " \t\r\n\"'«»“”‘’(—–-"
    while at < len(folded) and folded[at] in chars:
        at += 1
    return at


def trim(folded: str, start: int, end: int) -> tuple[int, int]:
    start, end = max(0, start), min(len(folded), end)
    while start < end and folded[start] in EDGE:
        start += 1
    while end > start and folded[end - 1] in EDGE:
        end -= 1
    return start, end


def strip_tail(
    folded: str, start: int, end: int, key: str, lex: LanguageEstimative
) -> tuple[int, int]:
    """``start..end`` trimmed, without the trailing words of ``lex`` list ``key``."""
    start, end = trim(folded, start, end)
    while end > start:
        words = list(_WORD.finditer(folded, start, end))
        if not words or not is_word(lex, key, words[-1].group()):
            break
        start, end = trim(folded, start, words[-1].start())
    return start, end
