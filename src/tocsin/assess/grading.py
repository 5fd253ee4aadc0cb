"""Admiralty grades: a source's reliability (A–F) and a claim's credibility (1–6).

Both are plain functions over plain values; every grade carries its reasons in words,
one step per reason, so that a reader can check it. Wording follows the Admiralty
code (NATO, FM 2-22.3), see ``LETTER_WORDS`` and ``NUMBER_WORDS``.

Source reliability (:func:`grade_source`)
-----------------------------------------
1. The base letter comes from the outlet registry (``knowledge/outlets.toml`` or the
   user's file): ``base`` when given, else ``source.reliability``. An outlet the
   registry does not know is F, "no record of this source yet".
2. The track record adjusts it, one letter per finding:

   * at least ``MIN_FORECASTS`` resolved forecasts with a mean Brier score of at most
     ``GOOD_BRIER`` (better than always saying "roughly even chance", 0.25): up one;
     above ``BAD_BRIER``: down one;
   * at least ``MIN_CLAIMS`` claims: a share contradicted of ``HIGH_CONTRADICTED`` or
     more: down one; otherwise a share corroborated of ``HIGH_CORROBORATED`` or more
     with at most ``LOW_CONTRADICTED`` contradicted: up one.

   Under a minimum the finding is reported and not judged: the letter stays.
3. F means "cannot be judged", not "worse than E". An F source stays F until its
   record is large enough to judge (either minimum met); it then starts at
   ``JUDGED_START`` (D: not yet shown to be reliable) and the findings move it.
4. A letter is never above A, and a judged letter never below E.

Claim credibility (:func:`grade_claim`)
---------------------------------------
A claim's sources are the ``source_id`` of its statements; their letters come from
``source_letters`` (a source without a letter there counts as F). The best letter is
the best among them. Stances "affirms" and "forecasts" support the claim, "denies"
opposes it. Rules, first match wins:

* 6 cannot be judged: no statements; or one independent source graded F (or
  without a grade), with no corroboration.
* Contradicted (``claim.contradicted``): each side is weighed by its number of
  distinct sources (copies of another document do not count), then by its best letter.

  - 5 improbable: the opposing side weighs more (more or better sources);
  - 4 doubtful: the sides weigh the same, or the opposition cannot be located
    (incompatible forecasts without a denial);
  - 3 possibly true: the supporting side weighs more.
* 1 confirmed by other independent sources: ``independent`` ≥ 3; or 2 with the
  best source graded A–C.
* 2 probably true: ``independent`` = 2 with sources graded D–F only; or one source
  graded A or B.
* 3 possibly true: one source graded C.
* 4 doubtful: one source graded D or E.
* A single source whose statements are all anonymous (``ANONYMOUS_KINDS``) is one
  step less credible, never worse than 4: A/B 2 → 3, C 3 → 4, D/E stay 4.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from tocsin.models import Claim, Source, Statement

__all__ = [
    "ANONYMOUS_KINDS",
    "BAD_BRIER",
    "GOOD_BRIER",
    "HIGH_CONTRADICTED",
    "HIGH_CORROBORATED",
    "JUDGED_START",
    "LETTERS",
    "LETTER_WORDS",
    "LOW_CONTRADICTED",
    "MIN_CLAIMS",
    "MIN_FORECASTS",
    "NUMBER_WORDS",
    "ClaimGrade",
    "GradedClaim",
    "GradedSource",
    "Review",
    "SourceGrade",
    "TrackRecord",
    "admiralty",
    "grade_claim",
    "grade_source",
]

LETTERS = "ABCDEF"
LETTER_WORDS = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "cannot be judged",
}
NUMBER_WORDS = {
    1: "confirmed by other independent sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "cannot be judged",
}

MIN_FORECASTS = 5  # resolved forecasts needed before their Brier score counts
GOOD_BRIER = 0.20  # at most this: better calibrated than "roughly even chance" (0.25)
BAD_BRIER = 0.30  # above this: worse than always saying "roughly even chance"
MIN_CLAIMS = 5  # claims needed before their corroboration counts
HIGH_CONTRADICTED = 0.25  # this share of claims contradicted or more: down one letter
HIGH_CORROBORATED = 0.50  # this share corroborated or more ...
LOW_CONTRADICTED = 0.05  # ... with at most this share contradicted: up one letter
JUDGED_START = "D"  # where an F source starts once its record can be judged
CLAIMS_CEILING = (
    "B"  # corroborated claims raise a letter up to B; A needs the registry or forecasts
)
ANONYMOUS_KINDS = frozenset({"anonymous", "unnamed_sources", "unnamed_experts"})

_WORST_JUDGED = "E"
_SUPPORTS = frozenset({"affirms", "forecasts"})


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """What is known of a source's past: its resolved forecasts (count and mean Brier
    score, None when none resolved) and its claims, corroborated or contradicted since."""

    forecasts_resolved: int = 0
    brier: float | None = None
    claims_corroborated: int = 0
    claims_contradicted: int = 0
    claims_total: int = 0


@dataclass(frozen=True, slots=True)
class SourceGrade:
    """A source's reliability letter, A–F, with the reasons for it, in order."""

    letter: str
    reasons: tuple[str, ...]

    @property
    def words(self) -> str:
        return LETTER_WORDS[self.letter]


@dataclass(frozen=True, slots=True)
class ClaimGrade:
    """A claim's credibility number, 1–6, with the reasons for it, in order."""

    number: int
    reasons: tuple[str, ...]

    @property
    def words(self) -> str:
        return NUMBER_WORDS[self.number]


@dataclass(frozen=True, slots=True)
class GradedClaim:
    """A claim with its credibility grade."""

    claim: Claim
    grade: ClaimGrade


@dataclass(frozen=True, slots=True)
class GradedSource:
    """A source with its reliability grade, the record behind it, and how many of its
    documents were read."""

    source: Source
    grade: SourceGrade
    record: TrackRecord
    documents: int


@dataclass(frozen=True, slots=True)
class Review:
    """Graded claims and sources over a set of documents (``tocsin.app.review`` builds
    one over the whole store)."""

    claims: list[GradedClaim]
    sources: list[GradedSource]


def admiralty(letter: str, number: int) -> str:
    """The two grades written together: ``admiralty("B", 2) == "B2"``."""
    up = letter.strip().upper() if isinstance(letter, str) else ""
    if len(up) != 1 or up not in LETTERS:
        raise ValueError(f"reliability letter {letter!r} is not one of A–F")
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 6:
        raise ValueError(f"credibility number {number!r} is not one of 1–6")
    return f"{up}{number}"


# ------------------------------------------------------------------ sources


def grade_source(
    source: Source,
    *,
    base: str | None = None,
    base_reason: str | None = None,
    record: TrackRecord | None = None,
) -> SourceGrade:
    """The reliability of ``source``: its registry letter adjusted by its track record."""
    reasons: list[str] = []
    raw = base if base is not None else source.reliability
    why = base_reason if base_reason is not None else source.reliability_reason
    letter = _letter(raw)
    if letter is None:
        letter = "F"
        reasons.append(f"registry letter {raw!r} is not one of A–F: treated as F")
    note = f" — {why.strip()}" if isinstance(why, str) and why.strip() else ""
    reasons.append(f"registry: {LETTER_WORDS[letter]} ({letter}){note}")
    if record is None:
        reasons.append("no track record yet: the registry letter stands")
        return SourceGrade(letter, tuple(reasons))

    forecasts, brier = _count(record.forecasts_resolved), record.brier
    total = _count(record.claims_total)
    corroborated = min(_count(record.claims_corroborated), total)
    contradicted = min(_count(record.claims_contradicted), total)
    if brier is not None and not (isinstance(brier, (int, float)) and 0.0 <= brier <= 1.0):
        reasons.append(f"Brier score {brier!r} is not between 0 and 1: ignored")
        brier = None

    steps: list[tuple[int, str] | tuple[int, str, str]] = []
    judged_forecasts = forecasts >= MIN_FORECASTS and brier is not None
    if forecasts == 0:
        reasons.append("no resolved forecast: not judged")
    elif brier is None:
        reasons.append(f"{_n(forecasts, 'resolved forecast')} without a Brier score: not judged")
    elif forecasts < MIN_FORECASTS:
        reasons.append(
            f"{_n(forecasts, 'resolved forecast')}, Brier {brier:.2f}: "
            f"fewer than {MIN_FORECASTS}, not judged"
        )
    else:
        head = f"{_n(forecasts, 'resolved forecast')}, Brier {brier:.2f}"
        if brier <= GOOD_BRIER:
            steps.append((-1, f"{head}: {GOOD_BRIER:.2f} or better, up one letter"))
        elif brier > BAD_BRIER:
            steps.append((1, f"{head}: worse than {BAD_BRIER:.2f}, down one letter"))
        else:
            steps.append((0, f"{head}: between {GOOD_BRIER:.2f} and {BAD_BRIER:.2f}, no change"))

    judged_claims = total >= MIN_CLAIMS
    if not judged_claims:
        reasons.append(f"{_n(total, 'claim')} checked: fewer than {MIN_CLAIMS}, not judged")
    else:
        bad, good = contradicted / total, corroborated / total
        head = f"{contradicted} of {_n(total, 'claim')} contradicted, {corroborated} corroborated"
        if bad >= HIGH_CONTRADICTED:
            steps.append((1, f"{head}: {bad:.0%} contradicted, down one letter"))
        elif good >= HIGH_CORROBORATED and bad <= LOW_CONTRADICTED:
            steps.append((-1, f"{head}: {good:.0%} corroborated, up one letter", CLAIMS_CEILING))
        else:
            steps.append((0, f"{head}: no change"))

    if letter == "F":
        if not (judged_forecasts or judged_claims):
            reasons.append("too little record to judge: stays F")
            return SourceGrade("F", tuple(reasons))
        letter = JUDGED_START
        reasons.append(f"record large enough to judge: starts at {LETTER_WORDS[letter]} ({letter})")
    for step, reason, *ceiling in steps:
        moved = _move(letter, step)
        if ceiling and moved < ceiling[0]:
            moved = letter
            reason += f" (corroboration alone never makes {_move(letter, step)}: no change)"
        elif step and moved == letter:
            edge = "highest" if step < 0 else "lowest judged"
            reason += f" (already {letter}, the {edge} letter: no change)"
        reasons.append(reason)
        letter = moved
    reasons.append(f"grade: {LETTER_WORDS[letter]} ({letter})")
    return SourceGrade(letter, tuple(reasons))


def _letter(raw: object) -> str | None:
    if not isinstance(raw, str):
        return None
    up = raw.strip().upper()
    return up if len(up) == 1 and up in LETTERS else None


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0
    if isinstance(value, float) and not math.isfinite(value):
        return 0
    return max(0, int(value))


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _move(letter: str, step: int) -> str:
    """``letter`` moved by ``step`` (negative: better), kept within A..E."""
    index = LETTERS.index(letter) + step
    return LETTERS[max(0, min(index, LETTERS.index(_WORST_JUDGED)))]


# ------------------------------------------------------------------- claims


def grade_claim(claim: Claim, *, source_letters: Mapping[str, str] | None = None) -> ClaimGrade:
    """The credibility of ``claim`` from its independent corroboration and contradiction."""
    letters = source_letters or {}
    statements = claim.statements
    if not statements:
        return _claim(6, ["no statement makes this claim"])

    def letter_of(source_id: str) -> str:
        return _letter(letters.get(source_id)) or "F"

    sources = tuple(dict.fromkeys(s.source_id for s in statements))
    best = _best(letter_of(s) for s in sources)
    graded = ", ".join(f"{s} {letter_of(s)}" for s in sources[:6])
    more = f" and {len(sources) - 6} more" if len(sources) > 6 else ""
    reasons = [f"sources: {graded}{more}"]
    independent = max(1, _count(claim.independent))

    if claim.contradicted:
        return _contradicted(statements, letter_of, reasons)

    if independent >= 2:
        reasons.append(f"{independent} independent sources agree, none contradicts")
        if independent >= 3 or best in "ABC":
            if independent == 2:
                reasons.append(f"the best of them is {LETTER_WORDS[best]} ({best})")
            return _claim(1, reasons)
        reasons.append(f"the best of them is only {LETTER_WORDS[best]} ({best})")
        return _claim(2, reasons)

    reasons.append(f"one independent source, {LETTER_WORDS[best]} ({best}), no corroboration")
    if best == "F":
        return _claim(6, reasons)
    number = {"A": 2, "B": 2, "C": 3, "D": 4, "E": 4}[best]
    kinds = {s.attribution for s in statements}
    if kinds <= ANONYMOUS_KINDS:
        lowered = min(number + 1, 4)
        if lowered != number:
            reasons.append(f"it rests only on anonymous sources: {number} lowered to {lowered}")
        else:
            reasons.append("it rests only on anonymous sources")
        number = lowered
    return _claim(number, reasons)


def _contradicted(
    statements: tuple[Statement, ...],
    letter_of: Callable[[str], str],
    reasons: list[str],
) -> ClaimGrade:
    pro = {s.source_id for s in statements if s.stance in _SUPPORTS and not s.copy_of}
    con = {s.source_id for s in statements if s.stance == "denies" and not s.copy_of}
    pro = pro or {s.source_id for s in statements if s.stance in _SUPPORTS}
    con = con or {s.source_id for s in statements if s.stance == "denies"}
    if not con or not pro:
        reasons.append("contradicted, but the opposing side cannot be located")
        return _claim(4, reasons)
    pro_best = _best(letter_of(s) for s in pro)
    con_best = _best(letter_of(s) for s in con)
    reasons.append(
        f"contradicted: {_n(len(pro), 'source')} for (best {pro_best}), "
        f"{_n(len(con), 'source')} against (best {con_best})"
    )
    pro_weight = (len(pro), -LETTERS.index(pro_best))
    con_weight = (len(con), -LETTERS.index(con_best))
    if con_weight > pro_weight:
        reasons.append("contradicted by more or better sources")
        return _claim(5, reasons)
    if con_weight == pro_weight:
        reasons.append("the two sides weigh the same")
        return _claim(4, reasons)
    reasons.append("more or better sources support it than contradict it")
    return _claim(3, reasons)


def _best(letters: Iterable[str]) -> str:
    return min(letters, key=LETTERS.index, default="F")


def _claim(number: int, reasons: list[str]) -> ClaimGrade:
    reasons.append(f"grade: {NUMBER_WORDS[number]} ({number})")
    return ClaimGrade(number, tuple(reasons))
