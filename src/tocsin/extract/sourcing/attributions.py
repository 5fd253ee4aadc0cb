"""Attribution: who says so, for each sentence that makes a claim.

A sentence makes a claim unless it is a question (its last mark is "?"), has fewer
than four words, or is a short (< 8 words) exclamation or greeting ("Merci pour
l'article", "Vive le Mali !"). Each claim gets one :class:`Attribution`:

* a cue found by the lexicon (``knowledge/sourcing.toml``): "selon X" / "according to
  X" before, inside or after the claim; a verb of saying with its subject before it
  ("X a déclaré que ...", "officials said ...") or after it ("..., a déclaré X",
  '"...," said X'). The claim is the sentence minus the cue when the cue is at one
  end (after "que"/"that" when there is one), else the whole sentence;
* a pronoun speaker ("Il a ajouté", "he added", "a-t-il dit") is the speaker of the
  previous attributed sentence;
* a quotation spanning several sentences ("« A. B », a affirmé le ministre.") gives
  every sentence inside it the attribution found outside its quotation marks;
* no cue: the author's own voice (kind "author", no cue).

The source phrase decides the kind, in this order: an anonymity marker anywhere in
the sentence (anonymous); a named person (a PER entity; role from the words next to
it); a communiqué or statement (official_statement); unnamed experts; unnamed
sources; one unnamed source (anonymous); a role noun alone (person known by role);
an organisation (ORG entity or organisation noun); capitalised words as a last
resort. Cues inside quotation marks are the quoted speaker's words, not cues.

Languages: [fr] and [en] have their own cues; any other language uses all the cues
together, so that a French or English comment mislabelled by language detection
still has its sources; with no cue, its claims are the author's.

Every search is linear in the text: the lexicon patterns are tries, and source
phrases are read within a window of ``WINDOW`` characters of their cue.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from tocsin.extract.nlp import TextAnalysis
from tocsin.extract.sourcing.lexicon import (
    SourcingLexicon,
    load_sourcing_lexicon,
)
from tocsin.extract.sourcing.phrases import Reader, Source
from tocsin.models import ATTRIBUTION_KINDS, Attribution, Span
from tocsin.text.fold import fold_same

__all__ = ["KINDS", "SourcingLexicon", "extract_attributions", "load_sourcing_lexicon"]

KINDS = ATTRIBUTION_KINDS
MIN_WORDS = 4
SHORT = 8  # an exclamation or a greeting shorter than this is not a claim
MAX_CANDIDATES = 8  # cues tried per sentence
MAX_SOURCE_WORDS = 15
MAX_COMPLEMENTIZER_GAP = 8  # words between the verb and "que"/"that"

_OPENING = ("«", "“", ":")
_QUOTE_ENDS = frozenset('»"”')
_CLOSERS = frozenset(" \t\r\n\u00a0\u202f»\"”'’)]")


@dataclass(slots=True)
class _Found:
    claim: tuple[int, int]
    kind: str
    cue: tuple[int, int] | None = None
    source: str | None = None
    role: str | None = None


def extract_attributions(
    analysis: TextAnalysis,
    *,
    document_id: str = "",
    part: str = "body",
    lexicon: SourcingLexicon | None = None,
) -> list[Attribution]:
    """One attribution per sentence of ``analysis`` that makes a claim, in text order."""
    text = analysis.text
    if not text.strip():
        return []
    cues = (lexicon or load_sourcing_lexicon()).for_language(analysis.lang)
    reader = Reader(text, fold_same(text), cues, analysis.entities)
    n = len(text)
    sentences = _joined(
        text,
        sorted({(max(0, s), min(n, e)) for s, e in analysis.sentences if min(n, e) > max(0, s)})
        or [(0, n)],
    )
    found: list[_Found | None] = []
    last: _Found | None = None
    for start, end in sentences:
        item = _attribute(reader, start, end, last)
        if item is not None and item.kind != "author":
            last = item
        found.append(item)
    _spread_quotes(reader, sentences, found)
    out = []
    for item in found:
        if item is None:
            continue
        cue = Span(document_id, part, *item.cue) if item.cue else None
        claim = Span(document_id, part, *item.claim)
        out.append(Attribution(claim, item.kind, cue, item.source, item.role))
    return out


def _joined(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences with a split after an opening quotation mark or a colon undone:
    "Le ministre a déclaré : «" + "Nous vaincrons." is one sentence."""
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        if out and out[-1][1] <= start:
            tail = text[out[-1][0] : out[-1][1]].rstrip()
            if tail.endswith(_OPENING):
                out[-1] = (out[-1][0], end)
                continue
        out.append((start, end))
    return out


def _is_claim(r: Reader, s: int, e: int) -> bool:
    end = e
    while end > s and r.text[end - 1] in _CLOSERS:
        end -= 1
    if end == s or r.text[end - 1] in "?？؟":
        return False
    words = r.words(s, e, SHORT)
    if words < MIN_WORDS:
        return False
    exclaims = r.text[end - 1] == "!" or r.starts_with("non_claim_starts", s, e)
    return words >= SHORT or not exclaims


def _attribute(r: Reader, s: int, e: int, last: _Found | None) -> _Found | None:
    s, e = r.strip(s, e, spaces_only=True)
    if s >= e or not _is_claim(r, s, e):
        return None
    candidates = sorted(
        [(m, "according") for m in r.matches("according", s, e)]
        + [(m, "verb") for m in r.matches("reporting_verbs", s, e)]
    )
    tried = 0
    for (ms, me), how in candidates:
        if r.in_quote(ms) or r.starts_with("not_cues", ms, e):
            continue
        tried += 1
        if tried > MAX_CANDIDATES:
            break
        if how == "according":
            item = _read_according(r, s, e, ms, me, last)
        else:
            item = _read_verb(r, s, e, ms, me, last)
        if item is not None:
            return item
    marks = r.matches("anonymity", s, e)
    if marks:
        return _Found((s, e), "anonymous", marks[0])
    return _Found((s, e), "author")


def _read_according(
    r: Reader, s: int, e: int, ms: int, me: int, last: _Found | None
) -> _Found | None:
    ss = r.skip_spaces(me, e)
    se = r.phrase_end(ss, e)
    if r.words(ss, se, MAX_SOURCE_WORDS + 1) > MAX_SOURCE_WORDS:
        se = r.after_words(ss, se, 3)
    se = r.appositions_right(ss, se, e, tail=r.words(s, ms, 1) > 0)
    ss, se = r.strip(ss, se)
    if ss >= se or not r.words(ss, se, 1):
        return None
    if r.is_phrase("self", ss, se):
        return _Found((s, e), "author")
    claim = _claim_around(r, s, e, ms, se)
    return _classified(r, s, e, claim, (ms, se), r.source(ss, se), last)


def _read_verb(r: Reader, s: int, e: int, vs: int, ve: int, last: _Found | None) -> _Found | None:
    if r.previous_word_is("passive", s, vs):
        return None
    lb = r.left_boundary(s, vs)
    ls = r.skip_spaces(lb, vs)
    if r.is_inverted_pronoun(vs, ve):  # "..., a-t-il déclaré."
        claim = r.strip(s, lb)
        if claim[0] >= claim[1]:
            return None
        if r.words(ve, e, 2) >= 2:  # "Les jihadistes, a-t-il dit, contrôlent la ville."
            claim = (s, e)
        return _classified(r, s, e, claim, (vs, ve), r.source(vs, vs, pronoun=True), last)
    comp = r.first("complementizers", ve, min(e, ve + 400))
    if comp is not None and r.words(ve, comp[0], MAX_COMPLEMENTIZER_GAP + 1) > (
        MAX_COMPLEMENTIZER_GAP
    ):
        comp = None
    subject_end = r.before_clitics(ls, vs)
    if not r.words(ls, subject_end, 1):
        if lb <= s:
            return None
        if comp is None or r.text[lb - 1] != ",":  # "..., a déclaré le ministre."
            return _read_inverted(r, s, e, lb, vs, ve, last)
        # "Un responsable, sous couvert d'anonymat, a affirmé que ..."
        subject_end = lb - 1
        lb = r.left_boundary(s, subject_end)
        ls = r.skip_spaces(lb, subject_end)
    if not 0 < r.words(ls, subject_end, MAX_SOURCE_WORDS + 1) <= MAX_SOURCE_WORDS:
        return None
    ss, lb = r.appositions_left(s, ls, lb, subject_end)
    ss, se = r.strip(ss, subject_end)
    if r.only_determiners(ss, se) or not r.source_like(ss, se):
        return None
    if comp is not None:
        claim = r.strip(comp[1], e)
        cue = (ss, r.strip(ss, comp[0])[1])
    else:
        after = r.words(ve, e, 4)
        before = r.words(s, lb, 2)
        head = r.strip(s, lb)
        quoted = head[1] > head[0] and r.text[head[1] - 1] in _QUOTE_ENDS
        if before and after and r.text[r.skip_spaces(ve, e) : ve + 1].startswith(","):
            claim, cue = (s, e), (ss, ve)  # "The attack, a source said, left five dead."
        elif before >= 2 and (after <= 1 or (quoted and after <= 3)):
            claim, cue = r.strip(s, lb), (ss, r.strip(ss, e, dots=True)[1])
        elif after >= 2:
            claim, cue = r.strip(ve, e), (ss, ve)
        else:
            claim, cue = (s, e), (ss, ve)
    if claim[0] >= claim[1]:
        claim = (s, e)
    return _classified(r, s, e, claim, cue, r.source(ss, se), last)


def _read_inverted(
    r: Reader, s: int, e: int, lb: int, vs: int, ve: int, last: _Found | None
) -> _Found | None:
    """A source after its verb: '..., a déclaré le ministre.', '"...," said X.'."""
    ss = r.skip_spaces(ve, e)
    se, raw = r.inverted_end(ss, e)
    claim = r.strip(s, lb)
    if not r.words(ss, se, 1) or claim[0] >= claim[1] or not r.source_like(ss, se):
        return None
    quoted = r.text[claim[1] - 1] in _QUOTE_ENDS
    if r.words(raw, e, 2) and r.text[raw] != ",":
        return None  # more than a source follows the verb: not an inversion
    if raw < e and r.text[raw] == "," and r.words(raw, e, 2) >= 2 and not quoted:
        claim = (s, e)  # "Les jihadistes, a indiqué le ministre, contrôlent la ville."
    return _classified(r, s, e, claim, (vs, se), r.source(ss, se), last)


def _claim_around(r: Reader, s: int, e: int, cs: int, ce: int) -> tuple[int, int]:
    """The sentence minus the cue when the cue is at one end, else the whole sentence."""
    if not r.words(s, cs, 1):
        claim = r.strip(ce, e)
    elif not r.words(ce, e, 1):
        claim = r.strip(s, cs)
    else:
        claim = (s, e)
    return claim if claim[0] < claim[1] else (s, e)


def _classified(
    r: Reader,
    s: int,
    e: int,
    claim: tuple[int, int],
    cue: tuple[int, int],
    source: Source,
    last: _Found | None,
) -> _Found:
    if source.kind == "pronoun":
        if last is not None:
            return _Found(claim, last.kind, cue, last.source, last.role)
        return _Found(claim, "person", cue, source.text or None, None)
    if source.kind == "self":
        return _Found(claim, "author")
    if r.matches("anonymity", s, e):
        return _Found(claim, "anonymous", cue, source.label, None)
    if source.kind == "person" and source.named:
        return _Found(claim, "person", cue, source.text, source.role)
    statements = r.matches("statements", s, e)
    if any(source.start <= a < source.end for a, _ in statements) or (
        source.kind != "organisation" and any(not claim[0] <= a < claim[1] for a, _ in statements)
    ):  # "selon un communiqué de l'armée", "the junta said in a statement"
        return _Found(claim, "official_statement", cue, source.label, None)
    if source.kind == "official_statement":
        return _Found(claim, source.kind, cue, source.label, None)
    return _Found(claim, source.kind, cue, source.text, source.role)


def _spread_quotes(r: Reader, sentences: list[tuple[int, int]], found: list[_Found | None]) -> None:
    """Sentences inside a quotation get the attribution whose cue is outside it."""
    starts = [s for s, _ in sentences]
    for qs, qe in r.quotes:
        i = max(0, bisect_right(starts, qs) - 1)
        j = bisect_left(starts, qe)
        group = [k for k in range(i, j) if found[k] is not None and sentences[k][1] > qs]
        donor = None
        for k in group:
            item = found[k]
            if (
                item is not None
                and item.cue is not None
                and item.kind != "author"
                and (item.cue[1] <= qs + 1 or item.cue[0] >= qe - 1)
            ):
                donor = item
                break
        if donor is None:
            continue
        for k in group:
            item = found[k]
            if item is not None and item.kind == "author" and qs <= item.claim[0] < qe:
                found[k] = replace(
                    item, kind=donor.kind, cue=donor.cue, source=donor.source, role=donor.role
                )
