"""eval/comments.py: the comment figures with hand-made predictions (no model), the gold
file's shape, and the training corpus readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval.comments import (
    GOLD_FILE,
    KEY_FUNCTIONALITIES,
    GoldComment,
    HeldoutItem,
    format_comments,
    gold_figures,
    hatecheck_figures,
    heldout_figures,
    label_figures,
    load_gold,
    measure_comments,
    skip_unmeasured,
)
from eval.validate_gold import check_comments_file

from tocsin.comments.corpus import own_comments, split_of
from tocsin.models import CommentScores


def scores(*labels: str, targets: tuple[str, ...] = ()) -> CommentScores:
    on = set(labels)
    return CommentScores(
        float("toxic" in on), float("hateful" in on), float("incitement" in on),
        tuple(labels) or ("none",), targets, "fr",
    )  # fmt: skip


def test_label_figures_count_each_label_and_none() -> None:
    golds = [(1, 1, 0), (1, 0, 0), (0, 0, 0), (0, 0, 0), (1, 1, 1)]
    preds = [("toxic", "hateful"), ("none",), ("toxic",), ("none",), ("toxic", "hateful")]
    figs = label_figures(golds, preds)
    assert figs["toxic.precision"] == pytest.approx(2 / 3)
    assert figs["toxic.recall"] == pytest.approx(2 / 3)
    assert figs["hateful.f1"] == 1.0
    assert figs["incitement.f1"] == 0.0 and figs["incitement.n_gold"] == 1
    assert figs["none.precision"] == pytest.approx(1 / 2) and figs["none.recall"] == 0.5
    assert figs["macro_f1"] == pytest.approx((2 / 3 + 1.0 + 0.0 + 0.5) / 4)
    assert figs["hate_binary_macro_f1"] == 1.0


def test_unknown_labels_are_left_out_of_their_label_and_the_macro() -> None:
    golds: list[tuple[int | None, int | None, int | None]] = [(1, 0, None), (0, 0, None)]
    figs = label_figures(golds, [("toxic",), ("none",)])
    assert figs["incitement.n_gold"] == 0
    assert figs["macro_f1"] == 1.0  # toxic and none; hateful has no positive, incitement unknown


def test_every_figure_is_there_on_empty_input() -> None:
    figs = gold_figures([], []) | heldout_figures([], []) | hatecheck_figures([], [])
    assert figs["comments.gold.macro_f1"] == 0.0
    assert figs["comments.heldout.own.macro_f1"] == 0.0
    for kind in KEY_FUNCTIONALITIES:
        assert figs[f"comments.hatecheck.{kind}.accuracy"] == 0.0
    assert format_comments({}) == []


def test_gold_figures_score_targets_on_hateful_comments_found_hateful() -> None:
    items = [
        GoldComment("a", "fr", "x", ("toxic", "hateful"), ("ethnicity",), ()),
        GoldComment("b", "fr", "y", ("toxic", "hateful"), ("migrants", "nationality"), ()),
        GoldComment("c", "fr", "z", (), (), ("government_failure",)),
    ]
    predicted = [
        scores("toxic", "hateful", targets=("ethnicity",)),
        scores("toxic", "hateful", targets=("migrants",)),
        scores(),
    ]
    figs = gold_figures(items, predicted)
    assert figs["comments.gold.targets.exact"] == 0.5
    assert figs["comments.gold.targets.any"] == 1.0
    assert figs["comments.gold.macro_f1"] == 1.0


def test_hatecheck_accuracy_per_functionality() -> None:
    items = [
        HeldoutItem("Je ne déteste pas les femmes.", (0, 0, 0), "hatecheck", "negate_neg_nh"),
        HeldoutItem("Je déteste les femmes.", (1, 1, 0), "hatecheck", "derog_neg_emote_h"),
        HeldoutItem("tweet", (1, 0, None), "mlma", "other"),
    ]
    figs = hatecheck_figures(items, [scores("toxic", "hateful"), scores("toxic", "hateful"), None])
    assert figs["comments.hatecheck.accuracy"] == 0.5
    assert figs["comments.hatecheck.negate_neg_nh.accuracy"] == 0.0
    assert figs["comments.hatecheck.derog_neg_emote_h.accuracy"] == 1.0
    assert figs["comments.hatecheck.n"] == 2
    lines = format_comments(figs)
    assert lines[0].startswith("HateCheck French") and "* negate_neg_nh" in lines[1]


def test_floors_of_shared_data_figures_are_skipped_when_not_measured() -> None:
    floors = {"comments.gold.macro_f1": 0.5, "comments.heldout.macro_f1": 0.5,
              "comments.hatecheck.accuracy": 0.5, "actors.f1": 0.9}  # fmt: skip
    assert skip_unmeasured(floors, {}) == {"comments.gold.macro_f1": 0.5, "actors.f1": 0.9}
    assert skip_unmeasured(floors, {"comments.heldout.n": 10.0}) == floors


def test_a_raising_classifier_is_reported_not_raised(tmp_path: Path) -> None:
    gold = tmp_path / "comments.jsonl"
    gold.write_text(
        json.dumps({"id": "a", "lang": "fr", "text": "x", "labels": [], "targets": [],
                    "narratives": []}) + "\n",
        encoding="utf-8",
    )  # fmt: skip

    def boom(texts: object) -> list[object]:
        raise RuntimeError("boom")

    errors: list[str] = []
    figures, _lines, _misses = measure_comments(boom, gold_path=gold, errors=errors)
    assert errors and "boom" in errors[0]
    assert figures["comments.gold.none.f1"] == 0.0


def test_the_gold_comments_are_valid_and_varied() -> None:
    assert check_comments_file(GOLD_FILE) == []
    items = load_gold()
    assert len(items) >= 100
    assert {i.lang for i in items} == {"fr", "en"}
    hateful = [i for i in items if "hateful" in i.labels]
    assert len(hateful) >= 15 and len({t for i in hateful for t in i.targets}) >= 5
    assert sum(1 for i in items if not i.labels) >= len(items) // 2  # mostly not hateful
    assert {k for i in items for k in i.narratives} >= {"foreign_hand", "close_borders"}


def test_gold_comments_are_not_in_the_training_comments() -> None:
    trained = {" ".join(e.text.lower().split()) for e in own_comments()}
    assert not [i.id for i in load_gold() if " ".join(i.text.lower().split()) in trained]


def test_the_split_is_fixed_and_about_one_fifth_held_out() -> None:
    assert split_of("own:own-fr-0001") == split_of("own:own-fr-0001")
    parts = [split_of(f"key-{i}") for i in range(5000)]
    assert 0.17 < parts.count("heldout") / 5000 < 0.23
    assert 0.08 < parts.count("dev") / 5000 < 0.12
