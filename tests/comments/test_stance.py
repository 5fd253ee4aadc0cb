"""Stance of comments towards the actors they name: support, hostility, or nothing;
negation; aggregation per actor and week; the lexicon file."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tocsin.comments.resolve import Resolver
from tocsin.comments.sentences import sentences
from tocsin.comments.stance import (
    ActorStance,
    StanceCount,
    aggregate_stances,
    load_actor_stance_lexicon,
    stances_of,
)
from tocsin.errors import ConfigError

CASES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("fr", "Bravo à nos FAMa qui escortent les convois malgré tout.", [("fama", "support")]),
    ("fr", "Cette junte d'incapables nous mène droit dans le mur.", [("government-ml", "hostile")]),
    ("fr", "À bas la junte et ses valets !", [("government-ml", "hostile")]),
    ("fr", "Je ne soutiens pas la junte.", [("government-ml", "hostile")]),
    ("fr", "Nos soldats ne sont pas des lâches, ils meurent pour nous.", [("fama", "support")]),
    ("fr", "Les autorités ne font rien pour les chauffeurs.", [("government-ml", "hostile")]),
    (
        "fr",
        "Merci à l'armée, mais le gouvernement nous ment depuis des mois.",
        [("fama", "support"), ("government-ml", "hostile")],
    ),
    ("fr", "Nos dirigeants nous mentent depuis le début.", [("government-ml", "hostile")]),
    ("fr", "Vive la transition, vive l'AES !", [("aes", "support")]),
    (
        "fr",
        "Les terroristes du JNIM ont massacré des civils à Diallassagou.",
        [("jnim", "hostile")],
    ),
    ("fr", "Honte à la France et à ses valets.", [("france", "hostile")]),
    ("en", "Shame on the junta, they abandoned the truckers.", [("government-ml", "hostile")]),
    ("en", "God bless our soldiers escorting the convoys.", [("fama", "support")]),
    # no stance: no cue, no actor, civilians, cues of both kinds for one actor
    ("fr", "L'armée a annoncé un nouveau convoi pour jeudi.", []),
    ("fr", "Triste.", []),
    ("fr", "Courage à vous et à vos collègues, vous êtes les vrais héros.", []),
    ("en", "These drivers keep the country running and nobody protects them.", []),
    ("fr", "Merci la junte, bande d'incapables.", []),
    ("fr", "", []),
    ("ar", "اللهم احفظ مالي", []),
]


def test_stances_of_written_comments() -> None:
    resolver = Resolver()
    got = []
    for lang, text, _ in CASES:
        named = resolver.resolve(text, lang=lang, country="ML")
        got.append((text, [(s.actor_id, s.stance) for s in stances_of(text, named, lang=lang)]))
    assert got == [(text, expected) for _, text, expected in CASES]


def test_the_stance_carries_the_clause_that_says_it() -> None:
    text = "Merci à l'armée, mais le gouvernement nous ment depuis des mois."
    named = Resolver().resolve(text, lang="fr", country="ML")
    army, government = stances_of(text, named, lang="fr")
    assert text[army.start : army.end] == "Merci à l'armée, "
    assert (
        text[government.start : government.end] == "mais le gouvernement nous ment depuis des mois."
    )
    assert army.name == "Malian Armed Forces (FAMa)"


def test_aggregate_per_actor_and_week() -> None:
    fama = ActorStance("fama", "FAMa", "support", 0, 5)
    junta = ActorStance("government-ml", "Government of Mali", "hostile", 0, 5)
    counts = aggregate_stances(
        [
            ("2025-W45", [fama, junta], 1),
            ("2025-W45", [junta], 1),
            ("2025-W46", [junta], 3),
            (None, [fama], 1),
        ]
    )
    assert counts == [
        StanceCount("government-ml", "Government of Mali", 0, 5,
                    (("2025-W45", 0, 2), ("2025-W46", 0, 3))),
        StanceCount("fama", "FAMa", 2, 0, (("2025-W45", 1, 0),)),
    ]  # fmt: skip
    assert (counts[0].net, counts[1].net) == (-1.0, 1.0)


def test_a_users_lexicon_adds_cues(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[fr]\nhostility = ["rigolos"]\n', encoding="utf-8")
    text = "Le gouvernement, ces rigolos."
    named = Resolver().resolve(text, lang="fr", country="ML")
    assert stances_of(text, named, lang="fr") == ()
    lexicon = load_actor_stance_lexicon(extra)
    (found,) = stances_of(text, named, lang="fr", lexicon=lexicon)
    assert (found.actor_id, found.stance) == ("government-ml", "hostile")


def test_a_broken_lexicon_is_one_line(tmp_path: Path) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text('[fr]\npraise = ["bravo"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key"):
        load_actor_stance_lexicon(extra)


PIECES = [
    "la junte", "nos FAMa", "la France", "les Peuls", "bravo", "honte à", "ne", "pas", "mais",
    "traîtres", "!", ".", "?", "\n", " ", "🙏", "اللهم", "é", "’", "\u202e", "\x00", "n'", "JNIM",
]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40))
def test_hostile_text_never_breaks_sentences_names_or_stance(pieces: list[str]) -> None:
    text = " ".join(pieces)
    spans = sentences(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))
    named = RESOLVER.resolve(text, lang="fr", country="ML")
    assert all(text[n.start : n.end].strip() for n in named)
    for found in stances_of(text, named, lang="fr"):
        assert found.stance in ("support", "hostile")
        assert 0 <= found.start < found.end <= len(text)


RESOLVER = Resolver()
