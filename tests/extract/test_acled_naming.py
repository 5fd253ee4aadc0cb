"""ACLED's naming conventions as data: names by the event's date, parents coded as the
actor, generics named for the event's country, ethnic militias by community."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.extract.test_events import events_of as _events_of
from tocsin.errors import ConfigError
from tocsin.extract.actors import ActorMatcher
from tocsin.extract.annotate import Extractor
from tocsin.extract.nlp import Models
from tocsin.geo.gazetteer import Gazetteer
from tocsin.ingest.acled_names import AcledActors
from tocsin.knowledge.actors import load_actors
from tocsin.models import EventReport


@pytest.fixture(scope="module")
def matcher() -> ActorMatcher:
    return ActorMatcher.from_knowledge()


@pytest.fixture(scope="module")
def extractor(models: Models, gazetteer: Gazetteer) -> Extractor:
    return Extractor(models=models, gazetteer=gazetteer)


def events_of(
    extractor: Extractor, text: str, published: date, *, hint: str | None = "ML"
) -> list[EventReport]:
    return _events_of(extractor, text, "en", published=published, hint=hint)


# --- the knowledge ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor_id", "when", "expected"),
    [
        ("fama", date(2018, 6, 1), "Military Forces of Mali (2013-2020)"),
        ("fama", date(2020, 8, 17), "Military Forces of Mali (2013-2020)"),
        ("fama", date(2020, 8, 18), "Military Forces of Mali (2020-2021)"),
        ("fama", date(2024, 1, 1), "Military Forces of Mali (2021-)"),
        ("fama", None, "Military Forces of Mali (2021-)"),
        ("gendarmerie-ml", date(2018, 6, 1), "Police Forces of Mali (2013-2020) Gendarmerie"),
        ("fan", date(2019, 6, 1), "Military Forces of Niger (2011-2021)"),
        ("military-fr", date(2016, 6, 1), "Military Forces of France (2012-2017)"),
        ("military-fr", date(2018, 6, 1), "Military Forces of France (2017-)"),
        ("issp", date(2019, 6, 1), "Islamic State (Greater Sahara)"),
        ("issp", date(2023, 6, 1), "Islamic State Sahel Province"),
        ("jnim", date(2018, 6, 1), "JNIM: Group for Support of Islam and Muslims"),
    ],
)
def test_names_by_the_date(
    matcher: ActorMatcher, actor_id: str, when: date | None, expected: str
) -> None:
    assert matcher.acled_name(actor_id, when=when) == expected


def test_mentions_are_named_as_of_a_date(matcher: ActorMatcher) -> None:
    found = matcher.find("Soldiers and gendarmes patrolled.", country="ML", when=date(2019, 1, 1))
    assert [m.acled for m in found] == [
        "Military Forces of Mali (2013-2020)",
        "Police Forces of Mali (2013-2020) Gendarmerie",
    ]
    assert matcher.find("FAMa", when=None)[0].acled == "Military Forces of Mali (2021-)"


def test_parent_coded_as_the_actor_by_date(matcher: ActorMatcher) -> None:
    coded = matcher.coded_parent("katiba-macina", when=date(2019, 1, 1))
    assert coded is not None and (coded[0].id, coded[1]) == ("jnim", "actor")
    assert matcher.coded_parent("katiba-macina", when=date(2016, 1, 1)) is None  # before JNIM
    dine = matcher.coded_parent("ansar-dine", when=date(2018, 1, 1))
    assert dine is not None and (dine[0].id, dine[1]) == ("jnim", "associate")
    assert matcher.coded_parent("jnim", when=date(2019, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("Fulani militiamen", "ML", "Fulani Ethnic Militia (Mali)"),
        ("des miliciens peuls", "BF", "Fulani Ethnic Militia (Burkina Faso)"),
        ("armed Dogon men", "ML", "Dogon Ethnic Militia (Mali)"),
        ("Dozo hunters", "BF", "Dozo Communal Militia (Burkina Faso)"),
        ("Dozo hunters", None, "Dozo Communal Militia (Mali)"),  # the actor's first country
        ("gendarmes", "NE", "Police Forces of Niger (2023-) Gendarmerie"),
        ("gendarmes", "TG", "Police Forces of Togo Gendarmerie"),
    ],
)
def test_community_militias_and_units(
    matcher: ActorMatcher, text: str, country: str | None, expected: str
) -> None:
    assert [m.acled for m in matcher.find(text, country=country)] == [expected]


def test_regeneric_names_a_generic_for_another_country(matcher: ActorMatcher) -> None:
    found = matcher.regeneric("gunmen", country="NE")
    assert found is not None and found.acled == "Unidentified Armed Group (Niger)"
    soldiers = matcher.regeneric("soldiers", country="NE", when=date(2019, 1, 1))
    assert soldiers is not None and soldiers.actor_id == "fan"
    assert soldiers.acled == "Military Forces of Niger (2011-2021)"
    assert matcher.regeneric("JNIM", country="NE") is None  # not a generic phrase
    assert matcher.regeneric("gunmen", country="XX") is None


def test_acled_names_map_every_period_to_the_actor() -> None:
    actors = AcledActors.default()
    assert actors.actor_id("Military Forces of Mali (2013-2020)") == "fama"
    assert actors.actor_id("Islamic State (Greater Sahara)") == "issp"
    assert actors.actor_id("Dozo Communal Militia (Burkina Faso)") == "dozo"
    assert actors.name("dozo") == "Dozo Communal Militia (Mali)"
    assert actors.actor_id("Fulani Ethnic Militia (Niger)") == "fulani-ethnic-militia-niger"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('names = [{ acled = "X", since = 2020, until = 2019 }]', "ends before it starts"),
        ('names = [{ acled = "X", from = 2020 }]', "acled, since, until"),
        ('names = [{ acled = "X", since = "soon" }]', "must be a date"),
        ('acled_parent = "maybe"', "must be"),
        ('acled_parent = "actor"', "needs 'parents'"),
    ],
)
def test_bad_dated_names_and_parent_rules(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "actors.toml"
    path.write_text(
        f'[[actor]]\nid = "x"\nname_en = "X"\ntype = "rebel group"\ninter = 2\n{entry}\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=message):
        load_actors(path)


def test_a_user_community_adds_its_militia(tmp_path: Path) -> None:
    path = tmp_path / "actors.toml"
    path.write_text(
        '[community.zarma]\nacled = "Zarma"\nen = ["Zarma", "Djerma"]\nfr = ["zarma"]\n',
        encoding="utf-8",
    )
    matcher = ActorMatcher(load_actors(path))
    found = matcher.find("Djerma militiamen and miliciens zarma", country="NE")
    assert [m.acled for m in found] == ["Zarma Ethnic Militia (Niger)"] * 2


# --- event reports ---------------------------------------------------------------


def test_sides_are_named_by_the_event_date(extractor: Extractor) -> None:
    text = "On 3 March 2018, soldiers clashed with gunmen near Gao."
    (old,) = events_of(extractor, text, date(2018, 3, 5))
    assert (old.actor1, old.actor1_name) == ("fama", "Military Forces of Mali (2013-2020)")
    assert old.actor2_name == "Unidentified Armed Group (Mali)"
    (new,) = events_of(extractor, text.replace("2018", "2024"), date(2024, 3, 5))
    assert new.actor1_name == "Military Forces of Mali (2021-)"


def test_the_event_date_wins_over_the_publication_date(extractor: Extractor) -> None:
    # published after the coup of 18 August 2020, about an event before it
    (report,) = events_of(
        extractor, "On 14 August 2020, soldiers clashed with gunmen near Gao.", date(2020, 8, 25)
    )
    assert report.event_date == date(2020, 8, 14)
    assert report.actor1_name == "Military Forces of Mali (2013-2020)"


def test_a_katiba_is_coded_as_its_parent_with_the_katiba_as_associate(
    extractor: Extractor,
) -> None:
    text = "Katiba Macina militants attacked an army post near Mopti on Monday."
    (report,) = events_of(extractor, text, date(2019, 5, 7))
    assert (report.actor1, report.assoc_actor_1) == ("jnim", ("katiba-macina",))
    assert report.actor1_name == "JNIM: Group for Support of Islam and Muslims"
    (before,) = events_of(extractor, text, date(2016, 5, 7))  # JNIM did not exist yet
    assert (before.actor1, before.assoc_actor_1) == ("katiba-macina", ())


def test_generics_take_the_country_of_the_clause_place(extractor: Extractor) -> None:
    (report,) = events_of(extractor, "Gunmen killed two villagers in Tillaberi on Sunday.",
                          date(2022, 5, 7))  # fmt: skip
    assert report.country == "NE"
    assert (report.actor1_name, report.actor2_name) == (
        "Unidentified Armed Group (Niger)",
        "Civilians (Niger)",
    )


def test_generics_take_the_country_of_the_national_actors_named(extractor: Extractor) -> None:
    (report,) = events_of(
        extractor, "FAMa soldiers were ambushed by gunmen on Sunday.", date(2019, 5, 7), hint=None
    )
    assert report.actor1_name == "Unidentified Armed Group (Mali)"
    assert report.actor2_name == "Military Forces of Mali (2013-2020)"


def test_an_ethnic_militia_is_named_for_its_community(extractor: Extractor) -> None:
    (report,) = events_of(extractor, "Fulani militiamen killed three villagers on Sunday.",
                          date(2022, 5, 7))  # fmt: skip
    assert report.actor1 == "fulani-ethnic-militia-mali"
    assert report.actor1_name == "Fulani Ethnic Militia (Mali)"
    assert report.inter1 == 4
