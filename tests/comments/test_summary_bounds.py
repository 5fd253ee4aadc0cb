"""Bounded and correct on hostile volume: 20,000 comments under one article and the same
comment posted 500 times. Identical texts are classified and encoded once, the encoder
gets batches, and sentences beyond the encoder's budget are left out of the unnamed
groups, never out of the counts. (Speed is measured in bench/comment_summary.py, not
asserted here: 20,000 comments that are all different take seconds there.)"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np

from tests.comments.test_summary import keyword_classify
from tocsin.assess.encoder import DIM, Encoder, Vectors, shared_encoder
from tocsin.comments.narratives import BATCH
from tocsin.comments.reading import CLASSIFY_BATCH, Part, read_parts
from tocsin.comments.summary import summarise
from tocsin.models import CommentScores

START = datetime(2025, 11, 3, 6, 0, tzinfo=UTC)
SPAM = "Il faut expulser tous ces étrangers qui achètent notre carburant, dehors !"
OPENINGS = [
    "Franchement,",
    "Moi je dis que",
    "Écoutez,",
    "Depuis des semaines",
    "Ici à Sikasso,",
    "",
]
CLAIMS_FR = [
    "la file d'attente à la station fait encore deux cents mètres ce matin",
    "c'est la France qui arme ces terroristes depuis le début",
    "nos dirigeants nous mentent sur les réserves de carburant",
    "il faut négocier avec les groupes armés avant qu'il soit trop tard",
    "bravo aux FAMa qui escortent les convois",
    "les chauffeurs risquent leur vie pour quelques billets",
    "le courant est coupé douze heures par jour chez nous",
    "ce journal affole les gens pour faire des clics",
    "les écoles du quartier sont fermées depuis deux semaines",
]
CLAIMS_EN = [
    "the queue at our station is two hundred metres long again",
    "France has been arming these terrorists all along",
    "stay safe everyone, the roads near Kayes are terrible",
]
TAILS = ["", " Triste.", " Wallahi c'est dur.", " 🙏", " Courage à tous."]


def generated_thread(n: int, *, numbered: bool = False, seed: int = 8) -> list[Part]:
    """``n`` comments made of two sentences each from a pool of a few dozen, in French
    (four in five) and English; ``numbered`` makes every sentence different."""
    rng = random.Random(seed)
    parts = []
    for i in range(n):
        if rng.random() < 0.8:
            lang = "fr"
            first = f"{rng.choice(OPENINGS)} {rng.choice(CLAIMS_FR)}".strip()
            second = rng.choice(CLAIMS_FR).capitalize()
        else:
            lang, first, second = "en", rng.choice(CLAIMS_EN), rng.choice(CLAIMS_EN).capitalize()
        if numbered:
            first += f", {i} fois"
        text = f"{first[0].upper()}{first[1:]}. {second} !{rng.choice(TAILS)}"
        when = START + timedelta(seconds=30 * i)
        parts.append(Part("d1", f"c{i}", text, lang, when, "Le Sahel Libre", "ML"))
    return parts


class Counting:
    """Wraps a classify function or an encoder and records what it was given."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.batches: list[int] = []

    def classify(self, texts: Sequence[str]) -> list[CommentScores]:
        self.texts += texts
        self.batches.append(len(texts))
        return keyword_classify(texts)


class CountingEncoder(Encoder):
    def __init__(self, inner: Encoder | None = None) -> None:
        super().__init__()
        self.inner = inner
        self.texts: list[str] = []
        self.batches: list[int] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.texts += texts
        self.batches.append(len(texts))
        if self.inner is not None:
            return self.inner.encode(texts)
        return _hashed(texts)


def _hashed(texts: Sequence[str]) -> Vectors:
    """A stand-in for the encoder: a pseudo-random unit vector per text."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for i, text in enumerate(texts):
        seed = int.from_bytes(hashlib.sha1(text.encode("utf-8", "replace")).digest()[:8], "big")
        vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
        out[i] = vector / np.linalg.norm(vector)
    return out


def test_twenty_thousand_comments_and_one_posted_500_times() -> None:
    parts = generated_thread(20_000)
    spam = [
        Part("d1", f"s{i}", SPAM, "fr", START + timedelta(minutes=i), "Le Sahel Libre", "ML")
        for i in range(500)
    ]
    mixed = [p for pair in zip(parts[:500], spam, strict=True) for p in pair] + parts[500:]
    classifier = Counting()
    encoder = CountingEncoder(shared_encoder())
    thread = read_parts(mixed, classify=classifier.classify, encoder=encoder)
    distinct = {p.text for p in mixed}
    # each different text classified once, in batches
    assert sorted(classifier.texts) == sorted(distinct)
    assert max(classifier.batches) <= CLASSIFY_BATCH
    # each different sentence encoded once (the seeds of the narratives besides)
    seeds = sum(len(n.seeds) for n in thread_knowledge())
    assert len(encoder.texts) - seeds == thread.sentences == thread.encoded < 100
    summary = summarise(thread, scope="document", key="d1", top=20)
    assert (summary.comments, summary.distinct) == (20_500, len(distinct))
    assert summary.repeated[0] == (SPAM, 500)
    # counts are over every copy; the copies read alike
    spam_said = {
        tuple(s.narrative_id for s in r.said) for r in thread.readings if r.part.text == SPAM
    }
    assert spam_said == {("close_borders",)}
    for found in summary.narratives:
        saying = sum(
            any(s.narrative_id == found.id and not s.rebuttal for s in r.said)
            for r in thread.readings
        )
        assert found.comments == saying
    assert {n.id for n in summary.narratives} >= {"close_borders", "foreign_hand", "peace_talks"}
    borders = next(n for n in summary.narratives if n.id == "close_borders")
    assert borders.comments >= 500 and sum(c for _, c in borders.weeks) == borders.comments
    assert summary.incitement == round(500 / 20_500, 4)  # the keyword fake: "expulser"


def thread_knowledge():  # type: ignore[no-untyped-def]
    from tocsin.comments.narrative_knowledge import load_narratives

    return load_narratives().narratives


def test_different_sentences_beyond_the_budget_are_not_encoded() -> None:
    parts = generated_thread(4_000, numbered=True)  # every sentence different
    encoder = CountingEncoder()
    thread = read_parts(parts, classify=keyword_classify, encoder=encoder, budget=500)
    assert len(thread.readings) == 4_000
    assert thread.sentences > 4_000
    likely = thread.encoded - 500  # those that may say a named narrative are all encoded
    assert 0 < likely < thread.sentences - 500
    assert len(encoder.texts) - sum(len(n.seeds) for n in thread_knowledge()) == thread.encoded
    assert max(encoder.batches) <= BATCH
    summary = summarise(thread, scope="document", key="d1")
    assert summary.comments == summary.distinct == 4_000
