"""Reading comment sections: each comment (and the article body above it) classified,
placed in narratives, with its stance towards the actors it names.

:func:`parts_of` turns a stored document and its annotations into :class:`Part` objects;
:func:`read_parts` reads many parts at once. Identical texts are read once (the same
comment posted 500 times costs one classification, one encoding and one stance
reading), the classifier and the encoder get their texts in batches, and every text is
read up to a bound (``sentences.MAX_CHARS``), so that time and memory grow with the
number of *different* comments, never with their length.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tocsin.assess.encoder import Encoder
from tocsin.comments.narrative_knowledge import NarrativeKnowledge, load_narratives
from tocsin.comments.narratives import (
    Group,
    Match,
    NarrativeMatcher,
    Quote,
    Said,
    Sentence,
    affirmed,
    blamed_by,
    group_recurring,
)
from tocsin.comments.resolve import Resolver
from tocsin.comments.sentences import MAX_BODY_CHARS, MAX_CHARS, Phrases, iso_week, sentences
from tocsin.comments.stance import ActorStance, StanceLexicon, stances_of
from tocsin.extract.places.resolve import document_focus
from tocsin.models import ActorRef, Annotations, CommentScores, Document

Classify = Callable[[Sequence[str]], list[CommentScores]]
CLASSIFY_BATCH = 4_096
DETECT_LANGUAGES = ("fr", "en", "ar")
BODY_SENTENCES = 80
ENCODE_BUDGET = 8_000  # sentences encoded besides those that may say a named narrative


@dataclass(frozen=True, slots=True)
class Part:
    """One comment, or one article body (``part`` "body"), to read, with what it needs
    from its document: the outlet, the document's country (ISO2, or None when unknown)
    and the stored actor annotations of this part (None: never extracted)."""

    document_id: str
    part: str
    text: str
    language: str | None
    posted: datetime | None
    outlet: str
    country: str | None = None
    actors: tuple[ActorRef, ...] | None = None
    parent: str | None = None  # the comment this one replies to

    @property
    def comment(self) -> bool:
        return self.part != "body"

    @property
    def week(self) -> str | None:
        return iso_week(self.posted)


@dataclass(frozen=True, slots=True)
class Reading:
    """What one part says: its scores (None for an article body, or when the classifier
    gave nothing), the narratives it says or rebuts, its stances, and how many times
    the same text was posted in the parts read together (``copies``)."""

    part: Part
    scores: CommentScores | None
    said: tuple[Said, ...]
    stances: tuple[ActorStance, ...]
    copies: int = 1


@dataclass(frozen=True, slots=True)
class Thread:
    """Readings of many parts, and the unnamed narratives found among them."""

    readings: tuple[Reading, ...]
    groups: dict[str, Group]
    sentences: int = 0  # different sentences read
    encoded: int = 0  # of which the encoder placed (see ``read_parts``'s budget)


def parts_of(doc: Document, ann: Annotations | None, *, body: bool = True) -> list[Part]:
    """The comments of ``doc`` (and its body first, with ``body``) as parts. A comment
    without a language gets the extraction's, else the detector's, else the document's."""
    country = document_focus(ann.places) if ann is not None else None
    by_part: dict[str, list[ActorRef]] = {}
    if ann is not None:
        for ref in ann.actors:
            by_part.setdefault(ref.span.part, []).append(ref)
    outlet = doc.source.name

    def stored(part: str) -> tuple[ActorRef, ...] | None:
        """The part's stored actors; None when the extraction did not read the part (a
        comment added since, or no extraction): the resolver matches them then."""
        if ann is None or part not in ann.languages:
            return None
        return tuple(by_part.get(part, ()))

    out: list[Part] = []
    if body and doc.text.strip():
        out.append(
            Part(
                doc.id, "body", doc.text, doc.language, doc.published, outlet, country,
                stored("body"),
            )
        )  # fmt: skip
    for c in doc.comments:
        lang = c.language or (ann.languages.get(c.id) if ann is not None else None)
        if lang is None:
            lang = _detect(c.text, doc.language)
        posted = c.posted or doc.published
        out.append(
            Part(
                doc.id, c.id, c.text, lang, posted, outlet, country, stored(c.id), c.parent_id,
            )
        )  # fmt: skip
    return out


def _detect(text: str, hint: str | None) -> str | None:
    from tocsin.ingest.language import detect_language

    return detect_language(text[:MAX_CHARS], languages=DETECT_LANGUAGES, hint=hint)


def default_classify() -> Classify:
    """The shipped classifier (``tocsin.comments.classify.classify_texts``)."""
    from tocsin.comments.classify import classify_texts

    return classify_texts


def read_parts(
    parts: Sequence[Part],
    *,
    classify: Classify | None = None,
    encoder: Encoder | None = None,
    knowledge: NarrativeKnowledge | None = None,
    resolver: Resolver | None = None,
    stance_lexicon: StanceLexicon | None = None,
    groups: bool = True,
    lang: str = "en",
    budget: int = ENCODE_BUDGET,
) -> Thread:
    """Read ``parts`` together (see the module's text). ``classify`` defaults to the
    shipped classifier; ``groups=False`` skips the unnamed narratives.

    The encoder is the costly step (about 1,500 sentences a second on one idle core),
    so it reads every sentence that may say a named narrative (one with a cue phrase,
    or naming someone a narrative blames), then the most repeated of the others until
    ``budget`` sentences are read in all: the unnamed narratives of a thread of 20,000
    different comments are found among its most repeated sentences, and the counts of
    the named ones stay whole. ``Thread.encoded`` says how many sentences the encoder
    read of ``Thread.sentences``."""
    knowledge = knowledge or load_narratives()
    resolver = resolver or Resolver(knowledge, lang=lang)
    matcher = NarrativeMatcher(knowledge, encoder=encoder)
    counter: Phrases[str] = Phrases((phrase, code) for code, phrase in knowledge.counter)
    # 1. one reading per different text (same language and country)
    keys: dict[tuple[str, str | None, str | None, bool], int] = {}
    first: list[int] = []
    index: list[int] = []
    for i, part in enumerate(parts):
        key = (part.text, part.language, part.country, part.comment)
        k = keys.setdefault(key, len(keys))
        if k == len(first):
            first.append(i)
        index.append(k)
    copies = [0] * len(first)
    for k in index:
        copies[k] += 1
    # 2. names, sentences, stances
    stances: list[tuple[ActorStance, ...]] = []
    sentence_ids: dict[tuple[str, str | None, str | None], int] = {}
    sentence_list: list[Sentence] = []
    said_in: list[list[tuple[int, int, int]]] = []  # per text: (sentence, start, end)
    for i in first:
        part = parts[i]
        limit = MAX_CHARS if part.comment else MAX_BODY_CHARS
        text = part.text[:limit]
        found = resolver.resolve(text, lang=part.language, country=part.country, stored=part.actors)
        stances.append(
            stances_of(text, found, lang=part.language, lexicon=stance_lexicon)
            if part.comment
            else ()
        )
        cut = sentences(text, limit=limit, most=12 if part.comment else BODY_SENTENCES)
        mine = []
        for s, e in cut:
            inside = [
                (n.start - s, n.end - s, n.id, n.name) for n in found if n.start >= s and n.end <= e
            ]
            names = affirmed(text[s:e], part.language, inside)
            skey = (text[s:e], part.language, part.country)
            j = sentence_ids.get(skey)
            if j is None:
                j = sentence_ids[skey] = len(sentence_list)
                sentence_list.append(Sentence(text[s:e], part.language, names))
            mine.append((j, s, e))
        said_in.append(mine)
    # 3. scores of the different comment texts, in batches
    scores = _classify([parts[i] for i in first], classify)
    # 4. narratives of the different sentences: those that may say a named narrative
    # (a cue phrase, someone a narrative blames) first, then the most repeated others,
    # up to the budget
    occurrences = [0] * len(sentence_list)
    for k, mine in enumerate(said_in):
        for j in dict.fromkeys(j for j, _, _ in mine):
            occurrences[j] += copies[k] if parts[first[k]].comment else 1
    likely = [j for j, sentence in enumerate(sentence_list) if matcher.may_match(sentence)]
    chosen = set(likely)
    others = sorted(
        (j for j in range(len(sentence_list)) if j not in chosen),
        key=lambda j: (-occurrences[j], j),
    )
    picked = sorted([*likely, *others[: max(0, budget - len(likely))]])
    vectors = matcher.vectors([sentence_list[j] for j in picked])
    placed = matcher.match([sentence_list[j] for j in picked], vectors)
    matches: list[tuple[Match, ...]] = [()] * len(sentence_list)
    for j, m in zip(picked, placed, strict=True):
        matches[j] = m
    assigned: dict[int, str] = {}
    found_groups: dict[str, Group] = {}
    if groups:
        loose = [i for i, j in enumerate(picked) if not matches[j]]
        local, found_groups = group_recurring(
            [sentence_list[picked[i]] for i in loose], vectors[loose],
            [occurrences[picked[i]] for i in loose], encoder=encoder,
        )  # fmt: skip
        assigned = {picked[loose[i]]: gid for i, gid in local.items()}
    del vectors
    # 5. every part gets the reading of its text
    said: list[tuple[Said, ...]] = []
    countering: list[tuple[int, int] | None] = []  # the sentence with a counter-speech cue
    for k, i in enumerate(first):
        part = parts[i]
        out: list[Said] = []
        cue = next(counter.find(part.text[:MAX_CHARS]), None) if part.comment else None
        countered = cue is not None
        countering.append(next(((s, e) for _, s, e in said_in[k] if cue and s <= cue[0] < e), None))
        for j, s, e in said_in[k]:
            hits = list(matches[j])
            if j in assigned:
                hits.append(Match(assigned[j], 1.0))
            for hit in hits:
                if countered and not hit.rebuttal:
                    hit = Match(hit.narrative_id, hit.similarity, True)
                narrative = knowledge.narrative(hit.narrative_id)
                blamed = () if hit.rebuttal else tuple(blamed_by(narrative, sentence_list[j].names))
                quote = Quote(
                    part.document_id, part.part, s, e, part.text[s:e], part.language, part.week
                )
                out.append(
                    Said(
                        hit.narrative_id, quote, part.comment, hit.similarity, hit.rebuttal, blamed
                    )
                )
        said.append(tuple(out))
    readings = []
    for i, part in enumerate(parts):
        k = index[i]
        own = said[k] if i == first[k] else tuple(_moved(s, part) for s in said[k])
        readings.append(Reading(part, scores[k], own, stances[k], copies[k]))
    _answer_replies(readings, [countering[k] for k in index])
    return Thread(tuple(readings), found_groups, len(sentence_list), len(picked))


def _answer_replies(readings: list[Reading], countering: list[tuple[int, int] | None]) -> None:
    """A reply with a counter-speech cue ("zero evidence", "aucune preuve") rebuts the
    narratives its parent says, even when it does not repeat them."""
    at = {(r.part.document_id, r.part.part): i for i, r in enumerate(readings)}
    for i, r in enumerate(readings):
        span = countering[i]
        j = at.get((r.part.document_id, r.part.parent or ""))
        if span is None or j is None:
            continue
        own = {s.narrative_id for s in r.said}
        answered = dict.fromkeys(
            s.narrative_id for s in readings[j].said if not s.rebuttal and s.narrative_id not in own
        )
        if not answered:
            continue
        p, (start, end) = r.part, span
        quote = Quote(p.document_id, p.part, start, end, p.text[start:end], p.language, p.week)
        more = tuple(Said(n, quote, True, 0.0, True, ()) for n in answered)
        readings[i] = Reading(p, r.scores, r.said + more, r.stances, r.copies)


def _moved(said: Said, part: Part) -> Said:
    """The same sentence in another copy of the text: this copy's provenance."""
    q = said.quote
    quote = Quote(part.document_id, part.part, q.start, q.end, q.text, part.language, part.week)
    return Said(said.narrative_id, quote, part.comment, said.similarity, said.rebuttal, said.blamed)


def _classify(parts: Sequence[Part], classify: Classify | None) -> list[CommentScores | None]:
    comments = [i for i, p in enumerate(parts) if p.comment]
    out: list[CommentScores | None] = [None] * len(parts)
    if not comments:
        return out
    run = classify or default_classify()
    for lo in range(0, len(comments), CLASSIFY_BATCH):
        chunk = comments[lo : lo + CLASSIFY_BATCH]
        found = run([parts[i].text[:MAX_CHARS] for i in chunk])
        for i, scores in zip(chunk, found, strict=False):
            out[i] = scores
    return out
