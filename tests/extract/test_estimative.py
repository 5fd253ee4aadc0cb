"""Estimative language: cues, bands, negation, conditions, trends, holders, deadlines."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from eval import wep_calibration

from tocsin.errors import ConfigError
from tocsin.extract.estimative.judgments import (
    extract_judgments,
    icd_label,
    load_estimative_lexicon,
)
from tocsin.extract.nlp import TextAnalysis
from tocsin.models import Attribution, Judgment, Span, TimeRef

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[«\"“A-ZÀ-Ý])")


def analysis(text: str, lang: str = "fr") -> TextAnalysis:
    """A hand-built analysis: sentences split at ". X"."""
    sentences: list[tuple[int, int]] = []
    start = 0
    for m in _SPLIT.finditer(text):
        sentences.append((start, m.start()))
        start = m.end()
    sentences.append((start, len(text)))
    return TextAnalysis(text, lang, tuple(sentences), ())


def cut(text: str, span: Span | None) -> str | None:
    return None if span is None else text[span.start : span.end]


def judge(text: str, lang: str = "fr", **kwargs: Any) -> list[Judgment]:
    return extract_judgments(analysis(text, lang), **kwargs)


# (lang, text, cue, label, proposition, extra expected fields); cue None: no judgment
CASES: list[tuple[str, str, str | None, str | None, str | None, dict[str, Any]]] = [
    # the examples
    (
        "fr",
        "Un retrait des forces étrangères est peu probable avant la saison des pluies.",
        "peu probable",
        "unlikely",
        "Un retrait des forces étrangères",
        {"future": True},
    ),
    (
        "fr",
        "Les groupes armés maintiendront probablement leur pression sur les axes routiers.",
        "probablement",
        "likely",
        "Les groupes armés maintiendront probablement leur pression sur les axes routiers",
        {"future": True, "negated": False},
    ),
    (
        "fr",
        "Une attaque contre la capitale régionale provoquerait presque certainement une "
        "riposte aérienne.",
        "presque certainement",
        "almost certain",
        "une riposte aérienne",
        {"condition": "Une attaque contre la capitale régionale", "future": True},
    ),
    (
        "en",
        "The longer the shortage lasts, the more likely street protests become.",
        "more likely",
        "likely",
        "street protests",
        {"trend": "rises", "condition": "The longer the shortage lasts"},
    ),
    # certainty and probability words
    (
        "fr",
        "Le scrutin sera sans aucun doute reporté.",
        "sans aucun doute",
        "almost certain",
        None,
        {"future": True},
    ),
    (
        "en",
        "The junta will almost certainly extend the transition.",
        "almost certainly",
        "almost certain",
        None,
        {},
    ),
    (
        "fr",
        "Il est très probable que les combats reprennent.",
        "très probable",
        "very likely",
        "les combats reprennent",
        {},
    ),
    (
        "en",
        "It is highly likely that the convoy will be attacked.",
        "highly likely",
        "very likely",
        "the convoy will be attacked",
        {"future": True},
    ),
    ("fr", "La mission sera vraisemblablement prolongée.", "vraisemblablement", "likely", None, {}),
    (
        "en",
        "Talks are unlikely to resume this year.",
        "unlikely",
        "unlikely",
        None,
        {"negated": False, "future": True},
    ),
    (
        "en",
        "A negotiated settlement is very unlikely.",
        "very unlikely",
        "very unlikely",
        "A negotiated settlement",
        {},
    ),
    (
        "fr",
        "Une reprise des négociations est hautement improbable.",
        "hautement improbable",
        "very unlikely",
        "Une reprise des négociations",
        {},
    ),
    ("en", "The chances of a ceasefire are remote.", "are remote", "almost no chance", None, {}),
    (
        "fr",
        "Il y a une chance sur deux que l'accord soit signé.",
        "une chance sur deux",
        "roughly even chance",
        "l'accord soit signé",
        {},
    ),
    (
        "en",
        "There is a roughly even chance that the talks collapse.",
        "roughly even chance",
        "roughly even chance",
        "the talks collapse",
        {},
    ),
    (
        "en",
        "There is a realistic possibility that fighting spreads south.",
        "realistic possibility",
        "roughly even chance",
        "fighting spreads south",
        {},
    ),
    # modal verbs and hedges
    (
        "fr",
        "Les combats pourraient s'étendre au sud.",
        "pourraient",
        "roughly even chance",
        None,
        {"future": True},
    ),
    ("fr", "Le couvre-feu devrait être levé.", "devrait", "likely", None, {"future": True}),
    (
        "en",
        "The government may impose a curfew.",
        "may",
        "roughly even chance",
        None,
        {"future": True},
    ),
    ("en", "The army will likely withdraw.", "will likely", "likely", None, {"future": True}),
    (
        "fr",
        "Il est possible que la route soit coupée.",
        "Il est possible que",
        "roughly even chance",
        "la route soit coupée",
        {},
    ),
    (
        "fr",
        "Il n'est pas exclu que les combats reprennent.",
        "Il n'est pas exclu que",
        "roughly even chance",
        "les combats reprennent",
        {"negated": False},
    ),
    ("en", "We cannot rule out a coup.", "We cannot rule out", "roughly even chance", "a coup", {}),
    (
        "fr",
        "La situation risque de se dégrader rapidement.",
        "risque de",
        "roughly even chance",
        None,
        {"future": True},
    ),
    ("en", "Fuel prices are expected to rise.", "expected to", "likely", None, {"future": True}),
    # negation and negated negation
    (
        "fr",
        "Les groupes armés ne sont pas susceptibles de se retirer.",
        "susceptibles de",
        "unlikely",
        None,
        {"negated": True},
    ),
    (
        "en",
        "The army is not expected to withdraw.",
        "expected to",
        "unlikely",
        None,
        {"negated": True},
    ),
    ("fr", "Un accord n'est pas probable.", "probable", "unlikely", "Un accord", {"negated": True}),
    (
        "fr",
        "Les forces ne se retireront probablement pas.",
        "probablement",
        "unlikely",
        None,
        {"negated": True},
    ),
    (
        "en",
        "The rebels will likely not disarm.",
        "will likely",
        "unlikely",
        None,
        {"negated": True},
    ),
    (
        "fr",
        "Il n'est pas improbable que la junte reporte les élections.",
        "improbable",
        "roughly even chance",
        "la junte reporte les élections",
        {"negated": True},
    ),
    (
        "en",
        "A new offensive is not unlikely.",
        "unlikely",
        "likely",
        "A new offensive",
        {"negated": True},
    ),
    (
        "fr",
        "Il n'est pas impossible que le président démissionne.",
        "impossible",
        "roughly even chance",
        "le président démissionne",
        {"negated": True},
    ),
    # comparatives and superlatives
    (
        "en",
        "It is more likely than not that the ceasefire holds.",
        "more likely than not",
        "likely",
        "the ceasefire holds",
        {},
    ),
    (
        "fr",
        "L'hypothèse la moins probable est un retrait total.",
        "la moins probable",
        "unlikely",
        None,
        {},
    ),
    ("en", "The most likely outcome is a negotiated truce.", "most likely", "likely", None, {}),
    ("fr", "Une trêve paraît plus probable qu'une offensive.", "plus probable", "likely", None, {}),
    # conditionals
    (
        "en",
        "An attack on the regional capital would almost certainly trigger air strikes.",
        "almost certainly",
        "almost certain",
        "air strikes",
        {"condition": "An attack on the regional capital"},
    ),
    (
        "en",
        "If the blockade lasts, protests are likely.",
        "likely",
        "likely",
        "protests",
        {"condition": "the blockade lasts", "future": True},
    ),
    (
        "fr",
        "Si le blocus se prolonge, des manifestations seraient probables.",
        "probables",
        "likely",
        "des manifestations",
        {"condition": "le blocus se prolonge"},
    ),
    (
        "en",
        "Fighting is likely to resume if the talks fail.",
        "likely",
        "likely",
        None,
        {"condition": "the talks fail"},
    ),
    (
        "en",
        "Even if talks fail, a truce is likely.",
        "likely",
        "likely",
        "a truce",
        {"condition": None},
    ),
    # trends
    (
        "fr",
        "Plus la pénurie dure, plus des manifestations sont probables.",
        "probables",
        "likely",
        "des manifestations",
        {"trend": "rises", "condition": "Plus la pénurie dure"},
    ),
    (
        "fr",
        "Plus la crise dure, moins un accord est probable.",
        "probable",
        "unlikely",
        "un accord",
        {"trend": "falls"},
    ),
    (
        "en",
        "The longer the siege lasts, the more the population suffers.",
        "the more",
        "roughly even chance",
        None,
        {"trend": "rises"},
    ),
    # present and past judgments
    (
        "fr",
        "Il est probable que les otages soient détenus à Kidal.",
        "probable",
        "likely",
        "les otages soient détenus à Kidal",
        {"future": False},
    ),
    (
        "en",
        "The attack was likely carried out by JNIM.",
        "likely",
        "likely",
        None,
        {"future": False},
    ),
    (
        "fr",
        "Les assaillants ont probablement franchi la frontière la veille.",
        "probablement",
        "likely",
        None,
        {"future": False},
    ),
    # several cues: one per clause, the narrowest in a clause
    ("fr", "Les combats pourraient probablement reprendre.", "probablement", "likely", None, {}),
    # questions and non-judgments
    ("fr", "Est-il probable que la junte organise des élections ?", None, None, None, {}),
    ("fr", "Pourrait-il y avoir une attaque avant juin ?", None, None, None, {}),
    ("en", "Is it likely that the road reopens?", None, None, None, {}),
    ("en", "Could the junta hold elections this year?", None, None, None, {}),
    ("fr", "La probabilité de pluie est un paramètre du modèle.", None, None, None, {}),
    ("fr", "Il faut rétablir l'accès dès que possible.", None, None, None, {}),
    ("fr", "Les secours doivent arriver le plus vite possible.", None, None, None, {}),
    ("fr", "Il est possible de s'inscrire en ligne.", None, None, None, {}),
    ("fr", "Le risque de famine est élevé dans la région.", None, None, None, {}),
    ("en", "Aid must be delivered as soon as possible.", None, None, None, {}),
    ("en", "Talks resumed in May 2024 in Doha.", None, None, None, {}),
    ("en", "May 12 was the deadline.", None, None, None, {}),
    ("en", "The envoy met Mr Likely in Bamako.", None, None, None, {}),
    ("en", "A spokesman could not be reached for comment.", None, None, None, {}),
    ("en", "Police had probable cause to search the car.", None, None, None, {}),
    ("fr", "Le scénario « probable » du rapport a été commenté.", None, None, None, {}),
    ("en", "Likely Stories: Rumour and Reality in Bamako.", None, None, None, {}),
    ("en", "May is usually the hottest month in Timbuktu.", None, None, None, {}),
    (
        "en",
        "The kidnapped engineers are likely being held near the border.",
        "likely",
        "likely",
        None,
        {"future": False},
    ),
    (
        "en",
        "The junta will almost certainly not hand over power.",
        "almost certainly",
        "almost no chance",
        None,
        {"negated": True},
    ),
]


@pytest.mark.parametrize(("lang", "text", "cue", "label", "prop", "extra"), CASES)
def test_cases(
    lang: str,
    text: str,
    cue: str | None,
    label: str | None,
    prop: str | None,
    extra: dict[str, Any],
) -> None:
    found = judge(text, lang)
    if cue is None:
        assert found == [], [(j.cue_text, j.label) for j in found]
        return
    assert len(found) == 1, [(j.cue_text, j.label) for j in found]
    j = found[0]
    assert j.cue_text == cue
    assert cut(text, j.cue) == cue
    assert j.label == label
    assert j.label == icd_label(j.low, j.high)
    assert 0.0 <= j.low <= j.high <= 1.0
    if prop is not None:
        assert cut(text, j.proposition) == prop
    for key, want in extra.items():
        got = cut(text, j.condition) if key == "condition" else getattr(j, key)
        assert got == want, key


def test_two_clauses_two_judgments() -> None:
    text = (
        "La junte reportera probablement les élections, mais des manifestations pourraient éclater."
    )
    found = judge(text)
    assert [(j.cue_text, j.label) for j in found] == [
        ("probablement", "likely"),
        ("pourraient", "roughly even chance"),
    ]
    assert cut(text, found[1].proposition) == "des manifestations pourraient éclater"


def test_bands_follow_icd() -> None:
    assert icd_label(0.01, 0.05) == "almost no chance"
    assert icd_label(0.20, 0.55) == "unlikely"  # "pourrait": the midpoint's term
    assert icd_label(0.45, 0.55) == "roughly even chance"
    assert icd_label(0.95, 0.99) == "almost certain"
    j = judge("Un accord est peu probable.")[0]
    assert (j.low, j.high) == (0.20, 0.45)


def test_reported_judgment_has_its_holder() -> None:
    text = "Selon un diplomate, les combats devraient reprendre. La trêve tiendra probablement."
    claim = text.index("les combats")
    attribution = Attribution(
        Span("d", "body", claim, text.index(".")), "unnamed_experts", source="un diplomate"
    )
    found = judge(text, attributions=[attribution], document_id="d")
    assert [(j.holder_kind, j.holder) for j in found] == [
        ("unnamed_experts", "un diplomate"),
        ("author", None),
    ]
    assert found[0].span.document_id == "d"


def test_deadline_from_horizon() -> None:
    text = "Un retrait des forces étrangères est peu probable avant la saison des pluies."
    at = text.index("avant la saison")
    horizon = TimeRef(
        Span("", "body", at, len(text) - 1),
        "avant la saison des pluies",
        "horizon",
        "2025-10-15/2026-05-31",
        date(2025, 10, 15),
        date(2026, 5, 31),
        "month",
    )
    j = judge(text, times=[horizon])[0]
    assert j.deadline == date(2026, 5, 31)
    assert j.timeframe == "2025-10-15/2026-05-31"
    assert j.future


@pytest.mark.parametrize(
    ("lang", "text", "surface", "want"),
    [
        (
            "en",
            "The army will likely retake the town by June 2026.",
            "June 2026",
            date(2026, 6, 30),
        ),
        ("fr", "Les forces devraient se retirer avant juin 2026.", "juin 2026", date(2026, 5, 31)),
        ("en", "The army likely retook the town in June 2024.", "June 2024", None),
    ],
)
def test_deadline_from_date(lang: str, text: str, surface: str, want: date | None) -> None:
    at = text.index(surface)
    year = int(surface[-4:])
    ref = TimeRef(
        Span("", "body", at, at + len(surface)),
        surface,
        "date",
        f"{year}-06",
        date(year, 6, 1),
        date(year, 6, 30),
        "month",
    )
    j = judge(text, lang, times=[ref])[0]
    assert j.deadline == want


def test_user_lexicon_extends(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[fr.cues]\n"fort possible" = [0.40, 0.70]\n', encoding="utf-8")
    lexicon = load_estimative_lexicon(extra)
    j = judge("Une attaque est fort possible.", lexicon=lexicon)[0]
    assert (j.cue_text, j.low, j.high) == ("fort possible", 0.40, 0.70)
    assert judge("Une attaque est probable.", lexicon=lexicon)[0].label == "likely"


@pytest.mark.parametrize(
    "content",
    [
        "[fr\n",
        '[fr.cues]\n"probable" = [0.9, 0.1]\n',
        '[fr.cues]\n"probable" = "likely"\n',
        "[fr]\nnope = []\n",
        '[french]\ncopulas = ["est"]\n',
    ],
)
def test_bad_lexicon_is_one_line(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_estimative_lexicon(bad)
    assert str(bad) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_lexicon(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such"):
        load_estimative_lexicon(tmp_path / "none.toml")


def test_article_of_2000_sentences_is_fast() -> None:
    base = [
        "Les groupes armés maintiendront probablement leur pression sur les axes routiers.",
        "Le marché de Gao a rouvert mardi après trois jours de fermeture.",
        "Selon un diplomate, un accord n'est pas probable avant la saison des pluies.",
        "Il est possible de s'inscrire en ligne dès que possible.",
        "Plus la pénurie dure, plus des manifestations sont probables.",
    ]
    text = " ".join(base[i % len(base)] for i in range(2000))
    a = analysis(text)
    assert len(a.sentences) == 2000
    started = time.perf_counter()
    found = extract_judgments(a)
    elapsed = time.perf_counter() - started
    assert len(found) == 1200
    assert elapsed < 1.0, elapsed


@pytest.mark.parametrize(
    "text",
    [
        "",
        "?",
        "probable",
        "Plus , plus",
        "si , probable",
        "the more, the more likely",
        "\x00\u202e probablement \ufffd" * 50,
        "il est probable que " * 2000,
        "«««" + "pas " * 500 + "probable",
        "n'est pas n'est pas improbable que que que",
        "🙂 likely 🙂 may 5 May MAY Likely",
    ],
)
def test_hostile_text_never_raises(text: str) -> None:
    for lang in ("fr", "en", "xx"):
        found = judge(text, lang)
        for j in found:
            assert 0 <= j.span.start <= j.span.end <= len(text)
            assert 0 <= j.proposition.start <= j.proposition.end <= len(text)
            assert 0.0 <= j.low <= j.high <= 1.0


def test_bad_sentence_offsets_do_not_raise() -> None:
    text = "Un accord est probable."
    a = TextAnalysis(text, "fr", ((-5, 3), (10, 1000), (7, 7)), ())
    extract_judgments(a)
    bogus = Attribution(Span("", "body", 900, 1000), "person", source="X")
    extract_judgments(analysis(text), attributions=[bogus])


def test_calibration_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "absolute_judgements.csv"
    rows = ["response_id,term,probability,order"]
    rows += [f"{i},Likely,{v},1" for i, v in enumerate((60, 70, 75, 80, 85))]
    rows += [f"{i},Improbable,{v},2" for i, v in enumerate((5, 10, 10, 20, "x"))]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert wep_calibration.main(["--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^likely\s+Likely\s+5\s+75%", out, re.M)
    assert re.search(r"^improbable\s+Improbable\s+4\s+10%", out, re.M)
    assert "medians inside the band" in out
    assert wep_calibration.main(["--data", str(tmp_path / "missing")]) == 0
    assert "no CAPphrase data" in capsys.readouterr().out
