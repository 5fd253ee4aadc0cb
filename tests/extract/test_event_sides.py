"""The two sides of an event read from word order: passive clauses, victims named by a
common noun, civilians never acting, one-sided events (made-up sentences, fr and en)."""

from __future__ import annotations

import pytest

from tests.extract.test_events import events_of
from tocsin.extract.annotate import Extractor
from tocsin.extract.nlp import Models
from tocsin.geo.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def extractor(models: Models, gazetteer: Gazetteer) -> Extractor:
    return Extractor(models=models, gazetteer=gazetteer)


def sides(extractor: Extractor, text: str, lang: str) -> list[tuple[str | None, str | None]]:
    found = events_of(extractor, text, lang)
    return [(e.actor1, e.actor2) for e in found]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # struck by a bomb: the vehicle's owners undergo, nobody named acts
        (
            "On Tuesday, a police vehicle was struck by a roadside bomb near Gao.",
            "en",
            ("unidentified-armed-group-mali", "police-ml"),
        ),
        (
            "Un camion de l'armée a été touché par une mine artisanale près de Gossi.",
            "fr",
            ("unidentified-armed-group-mali", "fama"),
        ),
        # civilians wounded by an explosion are its victims, never its authors
        (
            "Three villagers were wounded by the explosion of a mine near Douentza.",
            "en",
            ("unidentified-armed-group-mali", "civilians-mali"),
        ),
        (
            "Des civils ont été blessés par l'explosion d'un engin près de Hombori.",
            "fr",
            ("unidentified-armed-group-mali", "civilians-mali"),
        ),
        (
            "Des villageois ont été tués lors d'une attaque près de Bankass.",
            "fr",
            ("unidentified-armed-group-mali", "civilians-mali"),
        ),
        # a victim named by a common noun is a civilian of the event's country
        (
            "Militants attacked a teacher in Ansongo on Monday.",
            "en",
            ("unidentified-armed-group-mali", "civilians-mali"),
        ),
        (
            "Des jihadistes ont attaqué un berger près de Ténenkou lundi.",
            "fr",
            ("unidentified-armed-group-mali", "civilians-mali"),
        ),
        # what is looted, unnamed, belongs to civilians
        (
            "Gunmen looted shops in Ansongo on Friday.",
            "en",
            ("unidentified-armed-group-mali", "civilians-mali"),
        ),
    ],
)
def test_victims_and_passive_clauses(
    extractor: Extractor, text: str, lang: str, expected: tuple[str, str]
) -> None:
    assert sides(extractor, text, lang) == [expected]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("An IED was found and defused by the army near Mopti.", "en"),
        ("Un engin explosif a été découvert et désamorcé par l'armée près de Mopti.", "fr"),
    ],
)
def test_defused_by_the_army_is_one_sided(extractor: Extractor, text: str, lang: str) -> None:
    """The agent mark right after the verb makes it passive: the army acts, and no victim
    is invented."""
    assert sides(extractor, text, lang) == [("fama", None)]


def test_backed_by_joins_the_actors(extractor: Extractor) -> None:
    found = sides(
        extractor, "Soldiers backed by helicopters attacked a militant base near Tessit.", "en"
    )
    assert found and found[0][0] == "fama"
