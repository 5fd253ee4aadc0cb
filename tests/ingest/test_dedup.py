from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.factories import article_text
from tocsin.ingest.dedup import NearDuplicateIndex, content_hash, normalise


def test_hash_ignores_case_spacing_and_punctuation() -> None:
    a = "Les FAMa ont repris Kidal.  Selon l'armée,\n\nle bilan est lourd !"
    b = "les fama ont repris kidal selon l armée le bilan est lourd"
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(a + " Mise à jour.")


def test_light_edit_is_a_near_copy_and_different_text_is_not() -> None:
    index = NearDuplicateIndex(threshold=0.7)
    original = article_text(1)
    index.add("orig", index.signature(original))
    paras = original.split("\n\n")
    edited = "\n\n".join([*paras[:-1], paras[-1] + " Le ministère n'a pas commenté."])
    assert index.find_original(index.signature(edited)) == "orig"
    assert index.find_original(index.signature(article_text(2))) is None


def test_copy_of_a_copy_points_at_the_original() -> None:
    index = NearDuplicateIndex(threshold=0.7)
    text = article_text(3)
    index.add("orig", index.signature(text))
    index.add("copy1", index.signature(text + " Fin."), duplicate_of="orig")
    assert index.find_original(index.signature(text + " Fin. Encore.")) == "orig"


def test_threshold_is_respected() -> None:
    text = article_text(4)
    half = " ".join(text.split()[: len(text.split()) // 2]) + " " + article_text(5)
    strict = NearDuplicateIndex(threshold=0.95)
    strict.add("a", strict.signature(text))
    assert strict.find_original(strict.signature(half)) is None


def test_signature_bytes_round_trip() -> None:
    index = NearDuplicateIndex(threshold=0.7)
    sig = index.signature(article_text(6))
    again = index.from_bytes(index.to_bytes(sig))
    assert sig.jaccard(again) == 1.0


@given(st.text(max_size=500))
def test_any_text_hashes_and_signs(text: str) -> None:
    index = NearDuplicateIndex(threshold=0.7)
    assert len(content_hash(text)) == 64
    assert isinstance(normalise(text), str)
    index.find_original(index.signature(text))
