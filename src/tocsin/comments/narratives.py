"""Narratives: recurring claims of comment sections and the articles under them.

Each sentence (of a comment or an article body) is compared with the seed sentences of
the named narratives of ``knowledge/narratives.toml`` by the multilingual sentence
encoder of the claims machinery (:mod:`tocsin.assess.encoder`; seeds of every language
count, the encoder reads French and English alike). The sentence is compared without
its negation cues (``reading_of(...).neutral``, :mod:`tocsin.assess.claims.relation`),
so that "la France n'arme pas les terroristes" is about the same thing as "la France
arme les terroristes". It says a narrative when its cosine with one of the narrative's
seeds reaches ``SIMILAR`` and it names someone the narrative blames (France, for "a
foreign power is behind the armed groups"), or ``CUE_SIMILAR`` when it holds one of the
narrative's cue phrases, or ``STRONG`` without either (the encoder alone finds "c'est la
division qui arrange les terroristes" close to "c'est la France qui arme les
terroristes": 0.72). A sentence can say two narratives when both are within ``SECOND``
of its best one ("il faut expulser ces étrangers qui achètent notre carburant": close
the borders, and blame for the shortage).

A negated sentence whose negated clause is the one that says the narrative is a
*rebuttal* ("la France n'arme pas les terroristes, arrêtez avec ces histoires"), and so
is a comment with a counter-speech phrase of the narratives file ("aucune preuve",
"conspiracy theories") that says the narrative, or that replies to a comment that says
it: rebuttals are counted apart, counter-speech is not volume. Who a sentence blames is
who it names outside a negated clause ("pas par « les étrangers »" blames no one).

Sentences that say no named narrative are grouped by :class:`~tocsin.assess.claims.register.
ClaimIndex` (the same proposition, paraphrases and translations included, linear in the
number of sentences); a group said in at least ``RECURRING`` comments with at least two
different wordings is an unnamed narrative, labelled by its most central sentence.

Thresholds come from comments written for the project (tests/comments/
test_narratives.py): sentences that say a narrative score 0.29-0.88 against its seeds
(the low ones hold a cue phrase: "article alarmiste sans aucune source", 0.29), those
that say none 0.12-0.72 (the high ones name no one the narrative blames and hold none of
its cues: "c'est justement la division qui arrange les terroristes", 0.72).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

import numpy as np

from tocsin.assess.claims.index import ClaimIndex
from tocsin.assess.claims.relation import reading_of
from tocsin.assess.claims.stance import load_stance_lexicon, tokens
from tocsin.assess.encoder import DIM, Encoder, Vectors, shared_encoder
from tocsin.comments.narrative_knowledge import Narrative, NarrativeKnowledge, load_narratives
from tocsin.comments.sentences import MAX_BODY_CHARS, Phrases, word_count
from tocsin.knowledge.files import per_knowledge_dir
from tocsin.models import Span, Statement

SIMILAR = 0.50  # with someone the narrative blames named in the sentence
CUE_SIMILAR = 0.28  # with one of the narrative's cue phrases
STRONG = 0.78  # with neither
SECOND = 0.08
CLUSTER_SAME = 0.66  # the claims' SAME, a little lower for the loose wording of comments
CLUSTER_MIN_WORDS = 5
RECURRING = 3
BATCH = 2_048  # sentences encoded at a time


@dataclass(frozen=True, slots=True)
class Quote:
    """A sentence that says a narrative, with its provenance: the document, the part
    ("body" or a comment id) and the character offsets into that part's text."""

    document_id: str
    part: str
    start: int
    end: int
    text: str
    language: str | None = None
    week: str | None = None

    @property
    def span(self) -> Span:
        return Span(self.document_id, self.part, self.start, self.end)


@dataclass(frozen=True, slots=True)
class NarrativeCount:
    """One narrative over many comments and articles.

    ``comments``: the comments that say it (a comment posted 500 times counts 500;
    ``distinct``: how many different sentences say it); ``articles``: the article
    bodies that say it; ``rebuttals``: the comments that deny it (or answer a comment
    that says it with counter-speech); ``weeks``: (ISO week, comments) oldest first;
    ``blamed``: (actor or party id, name, comments) most blamed first; ``named`` is
    False for a group of recurring claims that the narratives file does not name (its
    name is its most central sentence)."""

    id: str
    name: str
    named: bool
    comments: int
    distinct: int
    articles: int
    rebuttals: int
    weeks: tuple[tuple[str, int], ...]
    blamed: tuple[tuple[str, str, int], ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A distinct sentence to place: its text, language and the names in it."""

    text: str
    lang: str | None
    names: tuple[tuple[str, str], ...] = ()  # (id, name): actors and parties it names,
    # outside a negated clause (see :func:`affirmed`)


@dataclass(frozen=True, slots=True)
class Match:
    """A narrative said by a sentence: its id, the cosine, and whether it rebuts it."""

    narrative_id: str
    similarity: float
    rebuttal: bool = False


class NarrativeMatcher:
    """Places sentences in the named narratives (see the module's text)."""

    def __init__(
        self,
        knowledge: NarrativeKnowledge | None = None,
        *,
        encoder: Encoder | None = None,
        similar: float = SIMILAR,
        cue_similar: float = CUE_SIMILAR,
    ) -> None:
        self.knowledge = knowledge or load_narratives()
        self._encoder = encoder
        self.similar = similar
        self.cue_similar = cue_similar
        self._ids = [n.id for n in self.knowledge.narratives]
        self._seed_owner: list[int] = []
        self._seed_vectors: Vectors | None = None
        stance = load_stance_lexicon().fallback.phrases  # the claims' negation cues
        self._negators = frozenset(stance["negators"]) | frozenset(stance["particles"])
        self._cues: Phrases[int] = Phrases(
            (phrase, i) for i, n in enumerate(self.knowledge.narratives) for _, phrase in n.cues
        )

    @property
    def encoder(self) -> Encoder:
        return self._encoder or shared_encoder()

    def narrative(self, narrative_id: str) -> Narrative | None:
        return self.knowledge.narrative(narrative_id)

    def _seeds(self) -> tuple[Vectors, list[int]]:
        if self._seed_vectors is None:
            texts: list[str] = []
            for i, narrative in enumerate(self.knowledge.narratives):
                for lang, seed in narrative.seeds:
                    texts.append(reading_of(seed, lang).neutral)
                    self._seed_owner.append(i)
            self._seed_vectors = self.encoder.encode(texts)
        return self._seed_vectors, self._seed_owner

    def vectors(self, sentences: Sequence[Sentence]) -> Vectors:
        """The encoder's vectors of the sentences without their negation cues, encoded
        ``BATCH`` at a time."""
        out = np.zeros((len(sentences), DIM), dtype=np.float32)
        for lo in range(0, len(sentences), BATCH):
            chunk = sentences[lo : lo + BATCH]
            out[lo : lo + len(chunk)] = self.encoder.encode(
                [reading_of(s.text, s.lang).neutral for s in chunk]
            )
        return out

    def match(self, sentences: Sequence[Sentence], vectors: Vectors) -> list[tuple[Match, ...]]:
        """The named narratives each sentence says (none: an empty tuple)."""
        if not self._ids or not len(sentences):
            return [() for _ in sentences]
        seeds, owner = self._seeds()
        columns = np.asarray(owner)
        out: list[tuple[Match, ...]] = []
        for lo in range(0, len(sentences), BATCH):
            sims = vectors[lo : lo + BATCH] @ seeds.T
            best = np.full((len(sims), len(self._ids)), -1.0, dtype=np.float32)
            for k in range(len(self._ids)):
                best[:, k] = sims[:, columns == k].max(axis=1)
            for row, sentence in zip(best, sentences[lo : lo + BATCH], strict=False):
                out.append(self._decide(sentence, row))
        return out

    def _cued(self, text: str, lang: str | None) -> set[int]:
        """The narratives whose cue phrases ``text`` holds, read without its negation
        cues ("n'arme pas les terroristes" holds "arme les terroristes")."""
        if not self._cues:
            return set()
        return {i for _, _, i in self._cues.find(reading_of(text, lang).neutral)}

    def _decide(self, sentence: Sentence, row: np.ndarray) -> tuple[Match, ...]:
        top = float(row.max())
        if top < self.cue_similar:
            return ()
        cued = self._cued(sentence.text, sentence.lang)
        found = []
        for k, value in enumerate(row.tolist()):
            if k in cued:
                floor = self.cue_similar
            elif self._anchored(sentence, k):
                floor = self.similar
            else:
                floor = STRONG
            if value >= floor and value >= top - SECOND:
                found.append((value, k))
        found.sort(reverse=True)
        matches = []
        for value, k in found:
            rebuttal = self._rebuts(sentence, k)
            matches.append(Match(self._ids[k], round(value, 4), rebuttal))
        return tuple(matches)

    def may_match(self, sentence: Sentence) -> bool:
        """Whether the sentence could say a named narrative below ``STRONG``: it holds a
        cue phrase or names someone a narrative blames."""
        if any(self._anchored(sentence, k) for k in range(len(self._ids))):
            return True
        toks = tokens(sentence.text, limit=MAX_BODY_CHARS)
        if next(self._cues.find(sentence.text, toks=toks), None) is not None:
            return True
        if not self._negators.intersection(w for w, _, _ in toks):
            return False  # no negation that could split a cue ("n'arme pas les ...")
        return bool(self._cued(sentence.text, sentence.lang))

    def _anchored(self, sentence: Sentence, k: int) -> bool:
        """Whether the sentence names someone narrative ``k`` blames."""
        patterns = self.knowledge.narratives[k].blames
        return any(fnmatchcase(i, p) for i, _ in sentence.names for p in patterns)

    def _rebuts(self, sentence: Sentence, k: int) -> bool:
        """Whether a negated sentence denies narrative ``k`` rather than saying it: the
        clause that says it best (by its cue phrases, else by the encoder) is negated.
        "La France n'arme pas les terroristes, arrêtez avec ces histoires" rebuts; "ce
        n'est pas la France, c'est l'Algérie qui arme les jihadistes" does not."""
        lang = sentence.lang
        if not reading_of(sentence.text, lang).negative:
            return False
        clauses = [
            (text, reading_of(text, lang).negative)
            for s, e in clause_spans(sentence.text)
            if word_count(text := sentence.text[s:e].strip()) >= 2
        ]
        if len({negative for _, negative in clauses}) < 2:
            return True  # every clause negated (a sentence's negation is in one of them)
        cued = [negative for text, negative in clauses if k in self._cued(text, lang)]
        if cued:
            return all(cued)
        seeds, owner = self._seeds()
        mine = seeds[np.asarray(owner) == k]
        neutral = [reading_of(text, lang).neutral for text, _ in clauses]
        best = (self.encoder.encode(neutral) @ mine.T).max(axis=1)
        return clauses[int(np.argmax(best))][1]


@per_knowledge_dir
def _clause_cut() -> re.Pattern[str]:
    """Commas, colons, dashes and the [clauses] words of ``knowledge/narratives.toml``."""
    words = "|".join(re.escape(word) for _, word in load_narratives().clauses) or "(?!)"
    return re.compile(rf"[,;:()]|\s[-–—]\s|\b(?:{words})\b", re.IGNORECASE)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the clauses of a sentence: cut at commas, colons, dashes and a
    few words that open a new claim ("mais", "c'est", "but")."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _clause_cut().finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.start() if m.group()[0].isalpha() else m.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if word_count(text[s:e]) >= 1]


def affirmed(
    text: str, lang: str | None, names: Sequence[tuple[int, int, str, str]]
) -> tuple[tuple[str, str], ...]:
    """(id, name) of the ``names`` ((start, end, id, name) in ``text``) that no negated
    clause holds: "pas par « les étrangers »" blames no foreigner."""
    if not names:
        return ()
    if not reading_of(text, lang).negative:
        return tuple(dict.fromkeys((i, n) for _, _, i, n in names))
    negated = [(s, e) for s, e in clause_spans(text) if reading_of(text[s:e], lang).negative]
    return tuple(
        dict.fromkeys(
            (i, n) for s, e, i, n in names if not any(a <= s and e <= b for a, b in negated)
        )
    )


def blamed_by(
    narrative: Narrative | None, names: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The names of a sentence that its narrative blames (its ``blames`` patterns; an
    unnamed narrative: every actor it names)."""
    if narrative is None:
        return list(dict.fromkeys(names))
    return list(
        dict.fromkeys(
            (i, n) for i, n in names if any(fnmatchcase(i, pattern) for pattern in narrative.blames)
        )
    )


# ------------------------------------------------------------------ unnamed groups


@dataclass(frozen=True, slots=True)
class Group:
    """Recurring sentences that no named narrative covers: an id, the label (the most
    central sentence) and its language."""

    id: str
    label: str
    lang: str | None


def group_recurring(
    sentences: Sequence[Sentence],
    vectors: Vectors,
    occurrences: Sequence[int],
    *,
    encoder: Encoder | None = None,
    threshold: float = CLUSTER_SAME,
    recurring: int = RECURRING,
) -> tuple[dict[int, str], dict[str, Group]]:
    """Groups of the same claim among ``sentences`` (indices into it -> group id) and
    the groups, for those said at least ``recurring`` times (``occurrences``: how many
    comments or articles say each sentence) in at least two wordings."""
    index = ClaimIndex(encoder=encoder, threshold=threshold)
    keep = [i for i, s in enumerate(sentences) if word_count(s.text) >= CLUSTER_MIN_WORDS]
    by_id: dict[str, int] = {}
    statements = []
    for i in keep:
        s = sentences[i]
        sid = "st-" + _digest(f"{s.lang}:{s.text}")
        by_id[sid] = i
        statements.append(
            Statement(
                id=sid, document_id=sid, source_id=sid, span=Span(sid, "body", 0, len(s.text)),
                text=s.text, lang=s.lang, stance="affirms",
                actors=frozenset(ident for ident, _ in s.names),
            )
        )  # fmt: skip
    if not statements:
        return {}, {}
    index.add(statements, vectors=vectors[keep] if keep else None)
    assigned: dict[int, str] = {}
    groups: dict[str, Group] = {}
    for claim in index.claims():
        members = [by_id[s.id] for s in claim.statements]
        if len(members) < 2 or sum(occurrences[m] for m in members) < recurring:
            continue
        centre = vectors[members].mean(axis=0)
        label = sentences[members[int(np.argmax(vectors[members] @ centre))]]
        gid = "unnamed-" + _digest(label.text)[:10]
        groups[gid] = Group(gid, label.text, label.lang)
        for m in members:
            assigned[m] = gid
    return assigned, groups


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]


# -------------------------------------------------------------------- aggregation


@dataclass(frozen=True, slots=True)
class Said:
    """One comment or article that says (or rebuts) a narrative in one sentence."""

    narrative_id: str
    quote: Quote
    comment: bool
    similarity: float
    rebuttal: bool
    blamed: tuple[tuple[str, str], ...]


def aggregate_narratives(
    said: Sequence[Said],
    name_of: Callable[[str], tuple[str, bool]],
    *,
    quotes: int = 3,
) -> list[NarrativeCount]:
    """One count per narrative, the most said first. ``name_of`` gives a narrative id's
    name and whether it is named. A comment that says one narrative in two sentences
    counts once (blaming whom either names); one that says it and rebuts it says it."""
    by_narrative: dict[str, list[Said]] = {}
    for s in said:
        by_narrative.setdefault(s.narrative_id, []).append(s)
    out = []
    for narrative_id, items in by_narrative.items():
        by_part: dict[tuple[str, str], list[Said]] = {}
        for s in items:
            by_part.setdefault((s.quote.document_id, s.quote.part), []).append(s)
        comments = articles = rebuttals = 0
        weeks: Counter[str] = Counter()
        blamed: Counter[tuple[str, str]] = Counter()
        texts: set[str] = set()
        for group in by_part.values():
            says = [s for s in group if not s.rebuttal]
            first = group[0]
            if not says:
                rebuttals += 1 if first.comment else 0
            elif not first.comment:
                articles += 1
            else:
                comments += 1
                texts.update(s.quote.text for s in says)
                if first.quote.week:
                    weeks[first.quote.week] += 1
                blamed.update(dict.fromkeys((w for s in says for w in s.blamed), 1))
        if not comments and not articles:
            continue
        name, named = name_of(narrative_id)
        out.append(
            NarrativeCount(
                id=narrative_id,
                name=name,
                named=named,
                comments=comments,
                distinct=len(texts),
                articles=articles,
                rebuttals=rebuttals,
                weeks=tuple(sorted(weeks.items())),
                blamed=tuple(
                    (i, n, c)
                    for (i, n), c in sorted(blamed.items(), key=lambda kv: (-kv[1], kv[0]))
                ),
                quotes=_quotes(items, quotes),
            )
        )
    out.sort(key=lambda c: (-c.comments, -c.articles, not c.named, c.id))
    return out


def _quotes(items: Sequence[Said], most: int) -> tuple[Quote, ...]:
    """The best-matching sentences, comments first, one per wording."""
    ranked = sorted(
        (s for s in items if not s.rebuttal),
        key=lambda s: (not s.comment, -s.similarity),  # stable: the first posted first
    )
    out: list[Quote] = []
    texts: set[str] = set()
    for s in ranked:
        if s.quote.text not in texts:
            texts.add(s.quote.text)
            out.append(s.quote)
            if len(out) >= most:
                break
    return tuple(out)
