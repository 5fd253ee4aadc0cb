"""tocsin.comments.classify: labels, scores and targets per comment, and hostile input.

The comments below were written for these tests (none is in the training data or the
gold set)."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.comments import classify as classify_module
from tocsin.comments.classify import classify_texts, model_version
from tocsin.comments.features import DIM, MAX_CHARS, fold, hash_rows, marked, tokens
from tocsin.comments.targets import load_targets
from tocsin.errors import ConfigError
from tocsin.models import COMMENT_LABELS, CommentScores

NONE = ("none",)


def check_scores(result: CommentScores) -> None:
    """Scores in [0, 1], labels consistent with them, targets only with hate."""
    for name in COMMENT_LABELS:
        value = getattr(result, name)
        assert 0.0 <= value <= 1.0 and np.isfinite(value)
    on = {name for name in COMMENT_LABELS if getattr(result, name) >= 0.5}
    assert set(result.labels) == (on or {"none"})
    assert result.labels == NONE or set(result.labels) <= set(COMMENT_LABELS)
    if {"hateful", "incitement"} & on:
        assert "toxic" in on
    if not {"hateful", "incitement"} & on:
        assert result.targets == ()


# ---------------------------------------------------------------- labels


@pytest.mark.parametrize("fast", [False, True])
def test_clear_cases_get_their_labels(fast: bool) -> None:
    texts = [
        "Les files d'attente devant les stations de Hamdallaye font encore un kilomètre ce matin.",
        "Les Peuls sont une race de traîtres et de voleurs, tous sans exception.",
        "Chassez tous les étrangers de nos quartiers, brûlez leurs boutiques !",
        "You are a pathetic idiot, nobody cares about your garbage opinions.",
        "Thanks for the update, we hope the road to Kayes reopens soon.",
    ]
    got = classify_texts(texts, fast=fast)
    assert got[0].labels == NONE
    assert {"toxic", "hateful"} <= set(got[1].labels) and got[1].targets == ("ethnicity",)
    assert "incitement" in got[2].labels and "migrants" in got[2].targets
    assert got[3].labels == ("toxic",) and got[3].targets == ()
    assert got[4].labels == NONE
    assert [g.language for g in got] == ["fr", "fr", "fr", "en", "en"]
    for result in got:
        check_scores(result)


def test_same_order_same_length_and_empty_batch() -> None:
    texts = [
        "Merci pour l'article.",
        "Les Touaregs sont tous des serpents.",
        "Merci pour l'article.",
    ]
    got = classify_texts(texts)
    assert len(got) == 3 and got[0] == got[2]
    assert got[1] == classify_texts([texts[1]])[0]
    assert classify_texts([]) == []
    assert model_version().startswith("comments-")
    assert model_version(fast=True) == model_version() + "-fast"


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("", None),
        ("   \n\t ", None),
        ("😡", None),
        ("🔥🔥🔥🤬", None),
        ("!!!???", None),
        ("مرحبا، متى يعود الوقود إلى باماكو؟", "ar"),
        ("\u200f\u202e\u0000", None),
    ],
)
def test_input_without_latin_words_is_not_read(text: str, language: str | None) -> None:
    (result,) = classify_texts([text])
    assert result == CommentScores(0.0, 0.0, 0.0, NONE, (), language)


def test_mixed_scripts_are_read_on_their_latin_words() -> None:
    texts = [
        "الله أكبر Les Peuls sont tous des terroristes, une race maudite",
        "Merci 🙏 وفقكم الله, la route de Ségou est rouverte",
        "Привет Bamako 你好 ok",
    ]
    got = classify_texts(texts)
    assert "hateful" in got[0].labels
    assert got[1].labels == NONE
    for result in got:
        check_scores(result)


def test_twenty_thousand_comments_and_five_hundred_identical() -> None:
    # 20,000 comments in ten chunks; the full model sees 1,000 distinct texts (the
    # encoder is the slow part), the fast one 20,000
    texts = [f"Commentaire {i % 1000} sur la pénurie de carburant à Bamako" for i in range(20_000)]
    texts += ["Dehors les étrangers, tous !"] * 500
    got = classify_texts(texts)
    assert len(got) == 20_500
    assert got[:1000] == got[1000:2000] == got[19_000:20_000]
    assert len(set(got[-500:])) == 1 and "incitement" in got[-1].labels
    assert got[0].labels == NONE
    distinct = [f"Commentaire numéro {i} sur la pénurie à Bamako" for i in range(20_000)]
    fast = classify_texts(distinct, fast=True)
    assert len(fast) == 20_000 and all(r.labels == NONE for r in fast)


def test_very_long_comment_is_read_from_its_beginning() -> None:
    long_text = "Le carburant manque partout. " * 100_000
    (result,) = classify_texts([long_text])
    assert result == classify_texts([long_text[:MAX_CHARS]])[0]
    check_scores(result)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=300), max_size=8))
def test_any_text_gives_bounded_consistent_scores(texts: list[str]) -> None:
    for fast in (False, True):
        got = classify_texts(texts, fast=fast)
        assert len(got) == len(texts)
        for result in got:
            check_scores(result)


def test_a_broken_model_file_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "comments.npz"
    bad.write_bytes(b"not a model")
    monkeypatch.setattr(classify_module, "MODEL_FILE", bad)
    monkeypatch.setattr(classify_module, "_loaded", [])
    with pytest.raises(ConfigError, match="retrain"):
        classify_texts(["x"])


# ---------------------------------------------------------------- features and targets


def test_fold_reads_accents_leet_repeats_handles_and_addresses() -> None:
    assert fold("Je D3TESTE les Étrangers!!! NUUUUL") == "je deteste les etrangers!!! nuul"
    assert fold("@moussa voir https://x.example/a?b=1 en 2025") == " xuser  voir  xurl  en 0"
    assert len(fold("a" * 10 * MAX_CHARS)) <= MAX_CHARS


def test_negation_and_quotation_marks() -> None:
    text = fold("Je ne déteste pas les Peuls. Il a écrit « dehors les étrangers ».")
    extra = marked(text, tokens(text))
    assert extra[:3] == ["n:deteste", "n:les", "n:peuls"]
    assert "q!" in extra and "q:dehors" in extra and "q:etrangers" in extra


def test_hashing_is_stable_and_rows_are_unit_length() -> None:
    rows = hash_rows(["les peuls", "", "😀"])
    assert list(rows.indptr[1:] - rows.indptr[:-1])[1:] == [0, 0]
    first = rows.values[rows.indptr[0] : rows.indptr[1]]
    assert abs(float(first @ first) - 1.0) < 1e-5
    assert zlib.crc32(b"w peuls") & (DIM - 1) in set(rows.indices.tolist())


def test_targets_match_words_plurals_and_phrases(tmp_path: Path) -> None:
    lexicon = load_targets()
    find = lambda text: lexicon.find(tokens(fold(text)))  # noqa: E731
    assert find("les Peuls et les Touaregs") == ("ethnicity",)
    assert find("Nigériens, réfugiés et musulmans") == ("nationality", "migrants", "religion")
    assert find("les demandeurs d'asile") == ("migrants",)
    assert find("the illegals and the Fulani") == ("migrants", "ethnicity")
    assert find("la route de Kayes") == ()
    user = tmp_path / "targets.toml"
    user.write_text('[fr]\nethnicity = ["Kurumba"]\n', encoding="utf-8")
    assert load_targets([user]).find(["kurumbas"]) == ("ethnicity",)
    assert find("kurumbas") == ()  # the bundled lexicon is unchanged
    user.write_text('[fr]\nethnicity = "Kurumba"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="list of words"):
        load_targets([user])
