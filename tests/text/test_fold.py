"""The one fold and the one phrase compiler every stage matches with."""

from __future__ import annotations

import pytest

from tocsin.text.fold import fold, fold_same, strip_marks
from tocsin.text.phrases import phrase_key, phrase_pattern


def test_fold_is_a_key() -> None:
    assert fold("Côte d’Ivoire") == fold("COTE D'IVOIRE") == "cote d'ivoire"
    assert fold("ŒUVRE") == "oeuvre" and fold("Qaïda") == "qaida"
    assert fold("  Ségou \n région ") == "segou region"


@pytest.mark.parametrize("text", ["L’armée attaquée à Ségou ; Œuvre", "İstanbul ß ﬁ …", "x`y"])
def test_fold_same_keeps_offsets(text: str) -> None:
    folded = fold_same(text)
    assert len(folded) == len(text)
    assert fold_same("L’Armée à Ségou") == "l'armee a segou"
    assert fold_same("L’Armée à Ségou", keep="à") == "l'armee à segou"
    assert fold_same("vingt‑trois", dashes=True) == "vingt-trois"


def test_strip_marks_keeps_case() -> None:
    assert strip_marks("Ségou ÉTAT") == "Segou ETAT"


def test_phrase_pattern_longest_whole_words() -> None:
    pattern = phrase_pattern([phrase_key(p) for p in ("selon", "selon des sources", "l'")])
    text = fold_same("Selon  des sources, l’armée ; resélon")
    assert [m.group() for m in pattern.finditer(text)] == ["selon  des sources", "l'"]
    assert phrase_pattern([]).search("anything") is None
    assert phrase_pattern(["accus*"], wildcard=True).search("ils accusent").group() == "accusent"
    assert phrase_pattern(["attaqu"], stems=True).search("attaques").group() == "attaqu"
