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
    extractor: Extractor,
    text: str,
    lang: str,
    *,
    published: date = date(2025, 9, 16),
    hint: str | None = "ML",
) -> list[EventReport]:
    """The event reports of ``text`` as a one-part document published on ``published``
    (shared by the event tests of other modules)."""
    doc = Document(
        id="d",
        source=Source(id="s", name="s"),
        text=text,
        content_hash="h",
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
        published=datetime(published.year, published.month, published.day, 12, tzinfo=UTC),
        language=lang,
    )
    return list(extractor.extract(doc, country_hint=hint).events)


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


@pytest.mark.parametrize(
    ("text", "lang", "sub"),
    [
        # a means (IED, mine) decides remote violence over the target kind
        (
            "On Tuesday, a truck carrying traders was struck by an IED near Douentza, "
            "killing two people.",
            "en",
            "Remote explosive/landmine/IED",
        ),
        (
            "Mardi, un camion de commerçants a été frappé par un engin explosif près de "
            "Douentza, tuant deux personnes.",
            "fr",
            "Remote explosive/landmine/IED",
        ),
        (
            "On Monday, gunmen killed three herders with a landmine planted on the road "
            "near Ansongo.",
            "en",
            "Remote explosive/landmine/IED",
        ),
        # a means followed by fighting is a battle
        (
            "On Sunday, militants ambushed an army patrol near Boni with an IED followed by "
            "small arms fire.",
            "en",
            "Armed clash",
        ),
        (
            "Dimanche, des jihadistes ont tendu une embuscade à une patrouille de l'armée "
            "près de Boni avec un engin explosif, suivie de tirs d'armes légères.",
            "fr",
            "Armed clash",
        ),
        # shooting, assassinations (attempted too), robbery, a vehicle seized
        ("On Friday, unknown gunmen opened fire against a bus near Bandiagara.", "en", "Attack"),
        ("Vendredi, des hommes armés ont tiré sur un bus près de Bandiagara.", "fr", "Attack"),
        ("On Thursday, gunmen assassinated the mayor of Dioura.", "en", "Attack"),
        ("Jeudi, des hommes armés ont tenté d'assassiner le maire de Dioura.", "fr", "Attack"),
        ("On Wednesday, gunmen attempted to assassinate a local official in Gao.", "en", "Attack"),
        (
            "On Wednesday, gunmen robbed travellers near Gossi.",
            "en",
            "Looting/property destruction",
        ),
        (
            "Mercredi, des hommes armés ont braqué des voyageurs près de Gossi.",
            "fr",
            "Looting/property destruction",
        ),
        (
            "On Tuesday, armed men seized a vehicle of an aid agency in Menaka.",
            "en",
            "Looting/property destruction",
        ),
        (
            "Mardi, des hommes armés se sont emparés d'un véhicule d'une ONG à Ménaka.",
            "fr",
            "Looting/property destruction",
        ),
        # the worst harm codes the clause: an attack that only robbed is a looting, one
        # that hurt someone an attack; a killing after an arrest is the killing
        (
            "On Monday, gunmen attacked a bus near Gossi and robbed the passengers.",
            "en",
            "Looting/property destruction",
        ),
        (
            "Lundi, des hommes armés ont attaqué un bus près de Gossi et ont braqué les passagers.",
            "fr",
            "Looting/property destruction",
        ),
        (
            "On Monday, gunmen attacked a bus near Gossi, wounded two passengers and robbed "
            "the others.",
            "en",
            "Attack",
        ),
        (
            "Lundi, des hommes armés ont attaqué un bus près de Gossi, blessé deux passagers "
            "et braqué les autres.",
            "fr",
            "Attack",
        ),
        ("On Monday, militiamen detained and executed two traders near Djenne.", "en", "Attack"),
        (
            "Lundi, des miliciens ont arrêté et exécuté deux commerçants près de Djenné.",
            "fr",
            "Attack",
        ),
        # a gendarme is an armed target: a battle, not violence against civilians
        ("On Monday, gunmen shot dead a gendarme in Niono.", "en", "Armed clash"),
        ("Lundi, des hommes armés ont abattu un gendarme à Niono.", "fr", "Armed clash"),
    ],
)
def test_means_and_new_triggers_code_acled_sub_types(
    extractor: Extractor, text: str, lang: str, sub: str
) -> None:
    assert [e.sub_event_type for e in events_of(extractor, text, lang)] == [sub]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Gunmen could rob travellers near Gossi.", "en"),
        ("Les hommes armés menacent de braquer les voyageurs près de Gossi.", "fr"),
        ("The army denied that gunmen assassinated the mayor of Dioura.", "en"),
        ("L'armée dément que des hommes armés ont tenté d'assassiner le maire de Dioura.", "fr"),
    ],
)
def test_new_triggers_under_a_threat_or_denial_are_no_event(
    extractor: Extractor, text: str, lang: str
) -> None:
    assert events_of(extractor, text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "toll"),
    [
        ("fr", "Des hommes armés ont attaqué un poste de l'armée près de Gao. Cinq morts.", 5),
        ("en", "Gunmen attacked an army post near Gao. Five dead, a local official said.", 5),
        ("fr", "Des hommes armés ont attaqué un poste près de Gao. Il n'y a eu aucune victime.", 0),
        ("en", "Gunmen attacked an army post near Gao. There were no casualties.", 0),
        ("en", "Gunmen attacked an army post near Gao.", None),
    ],
)
def test_the_toll_comes_from_the_whole_report(
    extractor: Extractor, lang: str, text: str, toll: int | None
) -> None:
    found = events_of(extractor, text, lang)
    assert [e.fatalities for e in found] == [toll]
