"""The area of interest in place resolution: candidates where the organisation works come
before namesakes abroad, and a name the gazetteer knows there is a place even when the NER
reads it as a person or an organisation. Made-up sentences; the bundled gazetteer."""

from __future__ import annotations

import pytest

from tests.extract.test_places import one, places
from tocsin.extract.places.context import Context
from tocsin.extract.places.evidence import Evidence, Item, by_name, mutual_nearest
from tocsin.extract.places.resolve import PlaceResolver
from tocsin.extract.places.scan import Mention
from tocsin.geo.gazetteer import BUNDLED, Gazetteer, Place

pytestmark = pytest.mark.skipif(
    not BUNDLED.exists(), reason=f"{BUNDLED} is missing; run scripts/build_gazetteer.py"
)


@pytest.fixture(scope="module")
def resolver(gazetteer: Gazetteer) -> PlaceResolver:
    return PlaceResolver(gazetteer)


TEXT = "Des hommes armés ont attaqué le village de Sélibabi hier soir."


def test_without_an_area_the_bigger_namesake_wins(resolver: PlaceResolver) -> None:
    # Sélibabi, a Mauritanian regional capital, over a Malian hamlet of the same name
    assert one(places(resolver, TEXT), "Sélibabi").country == "MR"


def test_the_area_of_interest_comes_before_a_namesake_abroad(resolver: PlaceResolver) -> None:
    ref = one(places(resolver, TEXT, area=("ML", "BF", "NE")), "Sélibabi")
    assert ref.resolved and ref.country == "ML"
    assert "area of interest" in ref.reason or "country focus ML" in ref.reason


def test_a_name_tagged_as_an_organisation_is_a_place_in_the_area(
    resolver: PlaceResolver,
) -> None:
    text = "Sélibabi a été attaqué par des hommes armés."
    refs = places(resolver, text, entities=(("Sélibabi", "ORG"),), area=("ML",))
    assert one(refs, "Sélibabi").country == "ML"


def test_a_people_is_not_a_place(resolver: PlaceResolver) -> None:
    text = "Des éleveurs Bozo ont été tués, selon des sources locales."
    refs = places(resolver, text, entities=(("Bozo", "NORP"),), area=("ML", "BF"))
    assert all(r.surface != "Bozo" for r in refs)


def test_a_country_in_parentheses_is_the_country(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Une embuscade a eu lieu près de Kati (Mali) lundi.")
    mali = one(refs, "Mali")
    assert mali.kind == "country" and mali.country == "ML"


def test_the_area_is_case_blind_and_optional(resolver: PlaceResolver) -> None:
    assert one(places(resolver, TEXT, area=("ml",)), "Sélibabi").country == "ML"
    assert one(places(resolver, TEXT, area=()), "Sélibabi").country == "MR"


def test_variant_spellings_in_the_area_before_namesakes_abroad(gazetteer: Gazetteer) -> None:
    # strictly, "Tanda" has namesakes in CI, IN and ML; with an area of BF only, nothing
    # strict is inside, so variant spellings there are tried and ranked first
    inside = gazetteer.lookup("Tanda", area=("BF",), limit=40)
    assert inside[0].country == "BF" or all(p.country != "BF" for p in inside)
    strict = gazetteer.lookup("Tanda", limit=40)
    assert all(p.matched_by != "variant" for p in strict)


def _place(name: str, country: str, lat: float, lon: float, matched: str = "name") -> Place:
    return Place(1, name, lat, lon, country, None, "town", "PPL", 0, matched)  # type: ignore[arg-type]


def _item(key: str, candidates: list[Place]) -> Item:
    return Item("body", Mention(0, len(key)), key, key, Context(), candidates)


def test_own_name_before_an_alternate_name_abroad() -> None:
    village = _place("Boni", "ML", 15.0, -2.2)
    city = _place("Bonn", "DE", 50.7, 7.1, matched="alternate")
    kept, why = by_name([city, village], Evidence())
    assert kept == [village] and why


def test_two_open_names_settle_each_other() -> None:
    a_near, a_far = _place("Mamba", "ML", 14.0, -4.0), _place("Mamba", "ML", 12.0, -8.0)
    b_near = _place("Toye", "ML", 14.1, -4.1)
    b_far = _place("Toye", "ML", 16.0, -1.0)
    evidence = Evidence(pending=[("mamba", [a_near, a_far]), ("toye", [b_near, b_far])])
    kept, why = mutual_nearest(_item("toye", [b_near, b_far]), [b_near, b_far], evidence, 60.0)
    assert kept == [b_near] and "near another place" in why
