"""Event reports: ACLED coding, sides, place, date, toll, and what is not an event."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tocsin.extract.annotate import Extractor
from tocsin.extract.events.lexicon import KEPT_LETTERS, load_event_lexicon
from tocsin.extract.nlp import Models
from tocsin.geo.gazetteer import Gazetteer
from tocsin.models import Document, EventReport, Source
from tocsin.text.fold import fold_same


@pytest.fixture(scope="module")
def extractor(models: Models, gazetteer: Gazetteer) -> Extractor:
    return Extractor(models=models, gazetteer=gazetteer)


def events_of(
    extractor: Extractor, text: str, lang: str, *, published: date = date(2025, 9, 16)
) -> list[EventReport]:
    doc = Document(
        id="d",
        source=Source(id="s", name="s"),
        text=text,
        content_hash="h",
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
        published=datetime(published.year, published.month, published.day, 12, tzinfo=UTC),
        language=lang,
    )
    return list(extractor.extract(doc, country_hint="ML").events)


def coded(e: EventReport) -> tuple[object, ...]:
    return (
        e.event_type,
        e.sub_event_type,
        e.actor1,
        e.actor2,
        e.location,
        e.geo_precision,
        e.event_date,
        e.time_precision,
        e.fatalities,
        e.tags,
    )


def test_issue_example_english(extractor: Extractor) -> None:
    found = events_of(
        extractor,
        "On 14 September, JNIM fighters attacked a convoy of fuel tankers near Kati; "
        "12 drivers were killed.",
        "en",
    )
    assert [coded(e) for e in found] == [
        (
            "Violence against civilians",
            "Attack",
            "jnim",
            "civilians-mali",
            "Kati",
            2,
            date(2025, 9, 14),
            1,
            12,
            ("convoy", "supplies"),
        )
    ]
    assert found[0].inter1 == 2 and found[0].inter2 == 7
    assert found[0].actor1_name == "JNIM: Group for Support of Islam and Muslims"


def test_french_paragraph_with_follow_up_toll(extractor: Extractor) -> None:
    found = events_of(
        extractor,
        "Dimanche, des hommes armés ont attaqué un convoi de camions-citernes près de Diéma. "
        "Trois chauffeurs ont été tués et une quinzaine de citernes incendiées.",
        "fr",
    )
    assert [coded(e) for e in found] == [
        (
            "Violence against civilians",
            "Attack",
            "unidentified-armed-group-mali",
            "civilians-mali",
            "Diéma",
            2,
            date(2025, 9, 14),
            1,
            3,
            ("convoy", "supplies"),
        )
    ]


def test_protest_dispersed_by_police(extractor: Extractor) -> None:
    found = events_of(
        extractor,
        "Des centaines de manifestants ont marché à Bamako samedi contre la vie chère ; "
        "la police les a dispersés à coups de gaz lacrymogènes.",
        "fr",
    )
    assert [(e.sub_event_type, e.actor1, e.actor2, e.event_date) for e in found] == [
        ("Protest with intervention", "protesters-mali", "police-ml", date(2025, 9, 13))
    ]


def test_vehicle_hit_a_mine_is_the_target(extractor: Extractor) -> None:
    found = events_of(
        extractor,
        "Un véhicule de l'armée a sauté lundi sur un engin explosif improvisé près de "
        "Boni, tuant quatre militaires.",
        "fr",
    )
    assert [(e.sub_event_type, e.actor1, e.actor2, e.fatalities) for e in found] == [
        ("Remote explosive/landmine/IED", "unidentified-armed-group-mali", "fama", 4)
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Les assaillants pourraient viser le pont de Markala.", "fr"),
        ("L'armée dément toute attaque contre le camp de Boni.", "fr"),
        ("Will JNIM attack Bamako before the rainy season?", "en"),
        ("En 2012, le MNLA s'était emparé de Kidal.", "fr"),
        ("If the army withdraws, the militants will take the town.", "en"),
        ("Les jihadistes menacent de bloquer toutes les routes vers Kayes.", "fr"),
        ("Chaque saison sèche, éleveurs et agriculteurs s'affrontent près de Ténenkou.", "fr"),
        ("No attack was reported in Gao on Monday.", "en"),
        ("La multiplication des attaques contre les convois montre l'ampleur du blocus.", "fr"),
    ],
)
def test_what_did_not_happen_is_no_event(extractor: Extractor, text: str, lang: str) -> None:
    assert events_of(extractor, text, lang) == []


def test_sentence_without_event_yields_none(extractor: Extractor) -> None:
    assert events_of(extractor, "Le ministre a reçu l'ambassadeur du Sénégal à Bamako.", "fr") == []


def test_fold_same_keeps_length_and_a_grave() -> None:
    text = "L’armée a été attaquée à Ségou ; Œuvre"
    folded = fold_same(text, keep=KEPT_LETTERS)
    assert len(folded) == len(text)
    assert folded == "l'armee a ete attaquee à segou ; œuvre"


def test_lexicon_loads_both_languages_and_rejects_bad_user_file(tmp_path: object) -> None:
    lexicon = load_event_lexicon()
    assert set(lexicon.languages) == {"en", "fr"}
    assert lexicon.for_language("ar") is None
    from pathlib import Path

    from tocsin.errors import ConfigError

    bad = Path(str(tmp_path)) / "bad.toml"
    bad.write_text("[class.attack]\ntype = 'Battles'\nsub = 'Attack'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ACLED type and sub-type"):
        load_event_lexicon(bad)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_text_gives_well_formed_reports(extractor: Extractor, text: str) -> None:
    for e in events_of(extractor, text, "fr"):
        assert 0 <= e.span.start <= e.trigger.start < e.trigger.end <= e.span.end <= len(text)
        assert e.geo_precision in (None, 1, 2, 3) and e.time_precision in (None, 1, 2, 3)
        assert e.fatalities is None or e.fatalities >= 0
