"""Sourcing quality: unnamed sources, the author's voice, opinion, loaded words, accusations."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tocsin.errors import ConfigError
from tocsin.extract.nlp import Models, TextAnalysis
from tocsin.extract.quality.scores import (
    SourcingQuality,
    assess_quality,
    excerpts,
    load_quality_lexicon,
)
from tocsin.extract.sourcing.attributions import extract_attributions
from tocsin.models import Annotations, Attribution, Span

WIRE_FR = (
    "Une attaque a visé mardi un convoi militaire près de Gao, a indiqué l'armée malienne "
    "dans un communiqué. Le bilan fait état de quatre soldats tués, selon le ministère de "
    "la Défense. Le gouverneur de la région a déclaré que la route nationale restait "
    "ouverte. Un responsable de la Minusma a confirmé que des renforts avaient été envoyés. "
    "Selon l'ONU, environ 2 000 personnes ont fui la zone depuis le début du mois. Un "
    "chef de village a parlé d'un « massacre », a rapporté l'agence."
)
PARTISAN_FR = (
    "La junte illégitime de Bamako cache la vérité aux Maliens. À notre avis, il est temps "
    "que ce régime fantoche rende des comptes. Selon une source sécuritaire qui a requis "
    "l'anonymat, les hordes de mercenaires sanguinaires ont commis un massacre à Moura. Des "
    "habitants affirment que l'armée est complice des tueries. C'est un scandale et une "
    "honte pour toute l'Afrique. Les collabos du régime sont responsables de l'agonie du "
    "peuple. Le pouvoir est derrière les attaques contre nos villages. De toute évidence, "
    "la catastrophe ne fait que commencer."
)
WIRE_EN = (
    "A roadside bomb struck an army convoy near Gao on Tuesday, the Malian army said in a "
    "statement. Four soldiers were killed, according to the defence ministry. The regional "
    "governor said the main road remained open. A UN spokesperson said reinforcements had "
    "been sent to the area. According to the UN, about 2,000 people have fled the area "
    "since the start of the month. Officials did not say who carried out the attack."
)
PARTISAN_EN = (
    "The illegitimate junta in Bamako is covering up the truth. In our view, it is time for "
    "this puppet regime to answer for its crimes. According to a security source who spoke "
    "on condition of anonymity, bloodthirsty mercenaries slaughtered villagers in Moura. "
    "Residents say the army is complicit in the killings. This is a scandal and a shame for "
    "all of Africa. Clearly, the regime is behind the attacks on our villages. Of course, "
    "the catastrophe has only begun."
)

_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def analysis(text: str, lang: str) -> TextAnalysis:
    """Sentences split at ". ", no entities: enough for the sourcing cues."""
    sentences = []
    for m in _SENTENCE.finditer(text):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        if start < m.end():
            sentences.append((start, m.end()))
    return TextAnalysis(text, lang, tuple(sentences), ())


def assess(text: str, lang: str | None) -> SourcingQuality:
    attributions = extract_attributions(analysis(text, lang or "xx"), document_id="d")
    ann = Annotations("d", "test", attributions=tuple(attributions))
    return assess_quality(text, ann, lang=lang)


@pytest.mark.parametrize(
    ("wire", "partisan", "lang"), [(WIRE_FR, PARTISAN_FR, "fr"), (WIRE_EN, PARTISAN_EN, "en")]
)
def test_partisan_scores_worse_on_every_axis(wire: str, partisan: str, lang: str) -> None:
    good, bad = assess(wire, lang), assess(partisan, lang)
    assert good.claims >= 5 and bad.claims >= 5
    assert bad.anonymous_share > good.anonymous_share
    assert bad.unattributed_share > good.unattributed_share
    assert len(bad.opinion) > len(good.opinion) == 0
    assert len(bad.loaded) > len(good.loaded) == 0
    assert len(bad.accusations) > len(good.accusations) == 0
    assert bad.score < good.score - 0.3
    assert good.score > 0.9
    assert "accusation" in bad.summary


def test_partisan_french_quotes() -> None:
    quality = assess(PARTISAN_FR, "fr")
    assert excerpts(PARTISAN_FR, quality.opinion) == [
        "À notre avis",
        "il est temps que",
        "scandale",
        "honte",
        "De toute évidence",
    ]
    loaded = excerpts(PARTISAN_FR, quality.loaded)
    assert {"junte illégitime", "régime fantoche", "hordes", "sanguinaires", "collabos"} <= set(
        loaded
    )
    assert excerpts(PARTISAN_FR, quality.accusations) == [
        "La junte illégitime de Bamako cache la vérité aux Maliens.",
        "Les collabos du régime sont responsables de l'agonie du peuple.",
        "Le pouvoir est derrière les attaques contre nos villages.",
    ]
    # sourced accusations (an anonymous source, residents) are not "without any source"
    accused = " ".join(excerpts(PARTISAN_FR, quality.accusations))
    assert "complice" not in accused and "commis" not in accused
    assert all(s.document_id == "d" and s.part == "body" for s in quality.accusations)


def test_partisan_english_quotes() -> None:
    quality = assess(PARTISAN_EN, "en")
    assert excerpts(PARTISAN_EN, quality.opinion) == [
        "In our view",
        "it is time for",
        "scandal",
        "shame",
        "Clearly",
        "Of course",
    ]
    assert "bloodthirsty" in excerpts(PARTISAN_EN, quality.loaded)
    accused = excerpts(PARTISAN_EN, quality.accusations)
    assert accused[0] == "The illegitimate junta in Bamako is covering up the truth."
    assert "Clearly, the regime is behind the attacks on our villages." in accused


def test_quoted_words_are_someone_elses() -> None:
    quality = assess(WIRE_FR, "fr")
    assert quality.loaded == ()  # « massacre » is the village chief's word
    text = 'L\'armée a commis un « massacre » à Moura. Il a dit: "a massacre". Nous accusons.'
    ann = Annotations("d", "t")
    found = assess_quality(text, ann, lang="fr")
    assert found.loaded == ()
    assert len(found.accusations) == 2  # no attribution at all: unsourced
    assert found.claims == 0 and found.score < 1.0


def test_ignore_phrases_and_questions() -> None:
    text = (
        "Nous avons reçu l'accusé de réception du ministère. "
        "Qui est derrière l'attaque de Moura ? "
        "Une catastrophe naturelle a frappé la région."
    )
    quality = assess_quality(text, Annotations("d", "t"), lang="fr")
    assert quality.accusations == () and quality.loaded == ()


def test_spans_point_into_the_part() -> None:
    comment = "À notre avis, ces hordes cachent la vérité et accusent les autres."
    att = Attribution(Span("d", "c1", 0, len(comment)), "author")
    other = Attribution(Span("d", "body", 0, 5), "anonymous")
    ann = Annotations("d", "t", attributions=(att, other))
    quality = assess_quality(comment, ann, lang="fr", part="c1")
    assert quality.claims == 1 and quality.anonymous_share == 0.0
    assert quality.unattributed_share == 1.0
    assert {s.part for s in (*quality.opinion, *quality.loaded, *quality.accusations)} == {"c1"}
    assert excerpts(comment, quality.accusations) == [comment]  # one per sentence


def test_unknown_language_uses_every_table() -> None:
    quality = assess_quality("Clearly, c'est un scandale.", Annotations("d", "t"), lang="de")
    assert excerpts("Clearly, c'est un scandale.", quality.opinion) == ["Clearly", "scandale"]
    assert assess_quality("Clearly.", Annotations("d", "t"), lang=None).opinion


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "🔥🔥🔥 massacre 🔥 " * 50,
        "«" * 5000,
        '"' * 5001 + "honte",
        "?!" * 10000,
        "accus" * 20000,
        "a" * 200_000,
        "\x00\ud800 scandale \u202e",
    ],
)
def test_hostile_text_never_raises(text: str) -> None:
    quality = assess_quality(text, Annotations("d", "t"), lang="fr")
    assert 0.0 <= quality.score <= 1.0
    assert isinstance(quality.summary, str)
    for span in (*quality.opinion, *quality.loaded, *quality.accusations):
        assert 0 <= span.start < span.end <= len(text)


def test_bad_attributions_are_ignored() -> None:
    text = "Il est temps que cela cesse."
    bad = (
        Attribution(Span("d", "body", 50, 90), "anonymous"),
        Attribution(Span("d", "body", 5, 2), "author"),
        Attribution(Span("d", "body", -3, 4), "author"),
    )
    quality = assess_quality(text, Annotations("d", "t", attributions=bad), lang="fr")
    assert quality.claims == 0
    assert len(quality.opinion) == 1


def test_one_megabyte_is_bounded() -> None:
    unit = PARTISAN_FR + " 🙂 « " + WIRE_FR + " "
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    started = time.perf_counter()
    quality = assess_quality(text, Annotations("d", "t"), lang="fr")
    elapsed = time.perf_counter() - started
    assert elapsed < 5.0, elapsed
    assert quality.loaded and quality.accusations
    print(f"\n1 MB assessed in {elapsed:.2f} s")


def test_user_lexicon_adds_phrases(tmp_path: Path) -> None:
    path = tmp_path / "quality.toml"
    path.write_text('[fr]\nloaded = ["sous-hommes", "fléau*"]\n', encoding="utf-8")
    lexicon = load_quality_lexicon(path)
    text = "Ces sous-hommes sont des fléaux, un scandale."
    quality = assess_quality(text, Annotations("d", "t"), lang="fr", lexicon=lexicon)
    assert excerpts(text, quality.loaded) == ["sous-hommes", "fléaux"]
    assert excerpts(text, quality.opinion) == ["scandale"]  # bundled phrases still there


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[fr\nloaded = 1", "cannot read the quality lexicon"),
        ('[french]\nloaded = ["x"]', "is not a language table"),
        ('fr = "x"', "is not a language table"),
        ('[fr]\nrude = ["x"]', "unknown key(s) rude"),
        ('[fr]\nloaded = "x"', "must be a list of non-empty phrases"),
        ('[fr]\nloaded = ["  "]', "must be a list of non-empty phrases"),
        ('[fr]\nloaded = ["*"]', "must be a list of non-empty phrases"),
        (b"\xff\xfe[fr]", "cannot read the quality lexicon"),
    ],
)
def test_lexicon_errors(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = tmp_path / "bad.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_quality_lexicon(path)
    assert message in str(err.value)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_missing_lexicon(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such quality lexicon"):
        load_quality_lexicon(tmp_path / "nope.toml")


def test_bundled_lexicon_is_cached() -> None:
    assert load_quality_lexicon() is load_quality_lexicon()
    fr = load_quality_lexicon().for_language("fr")
    assert fr.phrases["opinion"] and fr.phrases["loaded"] and fr.phrases["accusations"]


def test_with_real_models(models: Models) -> None:
    """The whole chain on real sentences and entities: partisan still worse."""
    scores = {}
    for name, text, lang in (("wire", WIRE_FR, "fr"), ("partisan", PARTISAN_FR, "fr")):
        found = extract_attributions(models.analyse(text, lang), document_id="d")
        ann = Annotations("d", "t", attributions=tuple(found))
        scores[name] = assess_quality(text, ann, lang=lang)
    assert scores["partisan"].score < scores["wire"].score
    assert len(scores["partisan"].accusations) >= 2 and not scores["wire"].accusations
