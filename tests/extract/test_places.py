"""The place resolver: mentions, disambiguation, relative locations, guards, hostile input.

Most cases build the ``TextAnalysis`` by hand (entities given where the test needs
them); a few run the real spaCy pipelines (session fixture ``models``).
"""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import pytest

from tocsin.errors import ConfigError
from tocsin.extract.nlp import Entity, Models, TextAnalysis
from tocsin.extract.places.resolve import PlaceResolver, document_focus, load_place_lexicon
from tocsin.geo.gazetteer import BUNDLED, Gazetteer
from tocsin.models import PlaceRef, Span

pytestmark = pytest.mark.skipif(
    not BUNDLED.exists(), reason=f"{BUNDLED} is missing; run scripts/build_gazetteer.py"
)

MARKOYE = (14.64333, 0.03611)
GAO = (16.27167, -0.04472)
SEGOU = (13.44032, -6.25947)


@pytest.fixture(scope="module")
def resolver(gazetteer: Gazetteer) -> PlaceResolver:
    return PlaceResolver(gazetteer)


def analysis(
    text: str, lang: str = "fr", entities: tuple[tuple[str, str], ...] = ()
) -> TextAnalysis:
    """A hand-made analysis: sentences cut after . ! ? and the given (surface, label)
    entities at their first occurrence (or the n-th: "Niger#1")."""
    ents = []
    for surface, label in entities:
        name, _, nth = surface.partition("#")
        starts = [m.start() for m in re.finditer(re.escape(name), text)]
        start = starts[int(nth or 0)]
        ents.append(Entity(start, start + len(name), label, name))
    sentences, start = [], 0
    for m in re.finditer(r"[.!?](?:\s+|$)", text):
        sentences.append((start, m.end()))
        start = m.end()
    if start < len(text):
        sentences.append((start, len(text)))
    return TextAnalysis(text, lang, tuple(sentences), tuple(sorted(ents, key=lambda e: e.start)))


def places(
    resolver: PlaceResolver,
    text: str,
    lang: str = "fr",
    entities: tuple[tuple[str, str], ...] = (),
    **kwargs: object,
) -> list[PlaceRef]:
    refs = resolver.resolve([("body", analysis(text, lang, entities))], **kwargs)  # type: ignore[arg-type]
    for ref in refs:  # every span is the surface, every decision explained
        assert text[ref.span.start : ref.span.end] == ref.surface
        assert ref.reason
    return refs


def one(refs: list[PlaceRef], surface: str, n: int = 0) -> PlaceRef:
    found = [r for r in refs if r.surface == surface]
    assert len(found) > n, f"{surface!r} not in {[r.surface for r in refs]}"
    return found[n]


def km(ref: PlaceRef, point: tuple[float, float]) -> float:
    assert ref.lat is not None and ref.lon is not None
    p1, p2 = math.radians(ref.lat), math.radians(point[0])
    dp, dl = p2 - p1, math.radians(point[1] - ref.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


# ---------------------------------------------------------------- the examples


def test_segou_in_a_malian_story_is_the_town(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Des combats ont eu lieu à Ségou, au Mali, sur les rives du Niger.")
    segou = one(refs, "Ségou")
    assert (segou.country, segou.kind, segou.precision) == ("ML", "town", 1)
    assert km(segou, SEGOU) < 1
    assert (one(refs, "Mali").kind, one(refs, "Mali").precision) == ("country", 3)
    river = one(refs, "Niger")
    assert (river.kind, river.precision, river.name) == ("natural", 3, "Niger River")
    assert "river" in river.reason


def test_region_of_segou_then_segou_alone(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Dans la région de Ségou, la situation se dégrade. Ségou reste calme.")
    region, town = one(refs, "Ségou"), one(refs, "Ségou", 1)
    assert (region.kind, region.country, region.precision) == ("region", "ML", 3)
    assert region.reason.startswith("region cue")
    assert (town.kind, town.precision) == ("town", 1)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Les pêcheurs vivent sur les rives du Niger depuis toujours.", "fr"),
        ("Le fleuve Niger est en crue cette année.", "fr"),
        ("La crue dans le delta intérieur du Niger inquiète.", "fr"),
        ("Fighters crossed the Niger river at night.", "en"),
        ("Villages on the banks of the Niger were flooded.", "en"),
    ],
)
def test_niger_the_river(resolver: PlaceResolver, text: str, lang: str) -> None:
    ref = one(places(resolver, text, lang), "Niger")
    assert (ref.kind, ref.precision) == ("natural", 3)


@pytest.mark.parametrize(
    ("text", "lang", "entities"),
    [
        ("Le Niger et le Burkina ont fermé leur frontière.", "fr", ()),
        ("Les élections au Niger sont reportées.", "fr", (("Niger", "LOC"),)),
        ("Niger's junta closed the border.", "en", (("Niger", "ORG"),)),
    ],
)
def test_niger_the_country(
    resolver: PlaceResolver, text: str, lang: str, entities: tuple[tuple[str, str], ...]
) -> None:
    ref = one(places(resolver, text, lang, entities), "Niger")
    assert (ref.kind, ref.country, ref.precision) == ("country", "NE", 3)


def test_niger_river_and_country_in_one_text(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Le Niger et le Burkina ont réagi. Le fleuve Niger est en crue.")
    assert [r.kind for r in refs if r.surface == "Niger"] == ["country", "natural"]
    assert one(refs, "Burkina").country == "BF"


def test_kati_with_koulikoro_in_parentheses(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Une attaque à Kati (Koulikoro) a fait trois morts.")
    kati = one(refs, "Kati")
    assert (kati.country, kati.admin1, kati.kind, kati.precision) == ("ML", "Koulikoro", "town", 1)
    assert "admin context Koulikoro" in kati.reason
    region = one(refs, "Koulikoro")
    assert (region.kind, region.country) == ("region", "ML")


@pytest.mark.parametrize(
    ("text", "lang", "offset", "direction"),
    [
        ("Une embuscade à 30 km au nord de Gao a fait cinq morts.", "fr", 30.0, "N"),
        ("Une attaque à 45 kilomètres au sud-est de Gao hier.", "fr", 45.0, "SE"),
        ("Une attaque à une trentaine de kilomètres à l'ouest de Gao.", "fr", None, "W"),
        ("An ambush 30 km north of Gao killed five soldiers.", "en", 30.0, "N"),
        ("The convoy was hit 20 miles northeast of Gao.", "en", 32.2, "NE"),
        ("Une attaque à 12 km de Gao.", "fr", 12.0, None),
    ],
)
def test_relative_location_keeps_the_anchor(
    resolver: PlaceResolver, text: str, lang: str, offset: float | None, direction: str | None
) -> None:
    gao = one(places(resolver, text, lang), "Gao")
    assert (gao.kind, gao.country, gao.precision) == ("town", "ML", 2)
    assert (gao.offset_km, gao.direction) == (offset, direction)
    assert km(gao, GAO) < 1  # the anchor's point, not moved
    assert gao.reason.startswith("relative location")


@pytest.mark.parametrize(
    ("text", "lang", "entities"),
    [
        ("Militants attacked a post near Markoye on Sunday.", "en", (("Markoye", "PER"),)),
        ("Des hommes armés ont attaqué un poste près de Markoye dimanche.", "fr", ()),
        ("Des combats ont eu lieu dans les environs de Markoye.", "fr", ()),
        ("Clashes on the outskirts of Markoye left two dead.", "en", (("Markoye", "ORG"),)),
    ],
)
def test_near_markoye(
    resolver: PlaceResolver, text: str, lang: str, entities: tuple[tuple[str, str], ...]
) -> None:
    ref = one(places(resolver, text, lang, entities), "Markoye")
    assert (ref.country, ref.precision, ref.offset_km, ref.direction) == ("BF", 2, None, None)
    assert km(ref, MARKOYE) < 1


def test_relative_to_a_country_stays_precision_3(resolver: PlaceResolver) -> None:
    mali = one(places(resolver, "Les attaques se multiplient dans le nord du Mali."), "Mali")
    assert (mali.kind, mali.precision, mali.direction, mali.offset_km) == ("country", 3, None, None)


def test_airport_code_is_not_bamako(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Flights from BKO to Paris were cancelled.", "en")
    assert [r.surface for r in refs] == ["Paris"]
    assert places(resolver, "Vols BKO annulés.", "fr", (("BKO", "LOC"),))[0].resolved is False


@pytest.mark.parametrize(("spelling", "name"), [("Kiddal", "Kidal"), ("Tombouctou", "Timbuktu")])
def test_spellings_and_french_names(resolver: PlaceResolver, spelling: str, name: str) -> None:
    ref = one(places(resolver, f"Des affrontements ont eu lieu à {spelling} hier."), spelling)
    assert (ref.name, ref.country, ref.kind, ref.precision) == (name, "ML", "town", 1)


# ---------------------------------------------------------------- ACLED-style notes

NOTES = [
    (
        "On 15 July 2022, presumed IS Sahel militants and volunteer fighters (VDP) clashed "
        "in the town of Markoye (Markoye, Oudalan). Several VDP were killed.",
        (("Sahel", "PER"), ("VDP", "ORG"), ("Markoye (Markoye", "ORG"), ("Oudalan", "PER")),
        "Markoye",
        MARKOYE,
    ),
    (
        "On 3 March 2023, JNIM militants attacked a FAMa post near Boni (Hombori, Douentza, "
        "Mopti). Fatalities unknown.",
        (("JNIM", "ORG"), ("Boni", "PER"), ("Douentza", "PER"), ("Mopti", "GPE")),
        "Boni",
        (15.0717, -2.1864),  # approximate: the gazetteer's Boni near Douentza
    ),
]


@pytest.mark.parametrize(("text", "entities", "anchor", "point"), NOTES)
def test_acled_note_event_location_within_25_km(
    resolver: PlaceResolver,
    text: str,
    entities: tuple[tuple[str, str], ...],
    anchor: str,
    point: tuple[float, float],
) -> None:
    refs = places(resolver, text, "en", entities)
    event = refs[0]
    assert event.surface == anchor and event.resolved
    assert km(event, point) < 25
    assert "Sahel" not in [r.surface for r in refs]  # "IS Sahel": a group, not a place


def test_admin_names_in_parentheses_are_regions(resolver: PlaceResolver) -> None:
    text, entities, _, _ = NOTES[0]
    oudalan = one(places(resolver, text, "en", entities), "Oudalan")
    assert (oudalan.kind, oudalan.country, oudalan.precision) == ("region", "BF", 3)


# ---------------------------------------------------------------- disambiguation


def test_nearest_to_other_places(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Le colonel Diarra a parlé à Farabougou, près de Niono.", "fr")
    farabougou = one(refs, "Farabougou")
    assert (farabougou.country, farabougou.admin1) == ("ML", "Ségou")
    assert "nearest to other places" in farabougou.reason
    assert "Diarra" not in [r.surface for r in refs]


def test_admin_context_named_elsewhere(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Des hommes armés ont attaqué Koïra dans le cercle de Mopti.")
    koira = one(refs, "Koïra")
    assert (koira.country, koira.admin1, koira.precision) == ("ML", "Mopti", 1)
    assert "admin context Mopti" in koira.reason
    assert one(refs, "Mopti").kind == "region"


def test_ambiguous_village_is_unresolved_with_reason(resolver: PlaceResolver) -> None:
    ref = one(
        places(resolver, "Farabougou est encerclé.", "fr", (("Farabougou", "LOC"),)), "Farabougou"
    )
    assert not ref.resolved and ref.lat is None
    assert re.fullmatch(r"ambiguous: \d+ candidates in ML, SN", ref.reason)


def test_unknown_names_are_unresolved_only_when_said_to_be_places(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Xyzville a été attaqué.", "fr", (("Xyzville", "LOC"),))
    assert [(r.surface, r.resolved, r.reason) for r in refs] == [
        ("Xyzville", False, "no candidate in the gazetteer")
    ]
    refs = places(resolver, "Le village de Xyzkoro a été attaqué près de Djibo.")
    assert (one(refs, "Xyzkoro").resolved, one(refs, "Djibo").country) == (False, "BF")
    assert places(resolver, "Monsieur Xyzkoro a parlé.", "fr", (("Xyzkoro", "PER"),)) == []


def test_country_hint_and_focus(resolver: PlaceResolver) -> None:
    text = "Des soldats ont été tués à Léré."
    assert places(resolver, text) == []  # many namesakes, no focus: a village is not guessed
    hinted = places(resolver, text, country_hint="ML")
    assert all(r.country == "ML" for r in hinted if r.resolved)


def test_document_focus() -> None:
    span = Span("d", "body", 0, 1)

    def ref(country: str, kind: str) -> PlaceRef:
        return PlaceRef(span, "x", True, country=country, kind=kind)

    assert document_focus([]) is None
    assert document_focus([], hint="ml") == "ML"
    assert document_focus([ref("BF", "town"), ref("ML", "country")]) == "ML"
    assert document_focus([ref("BF", "town"), ref("ML", "town")]) == "BF"  # first named
    assert document_focus([ref("BF", "town"), ref("ML", "town")], hint="ML") == "ML"
    assert document_focus([ref("ML", "natural")]) is None
    assert document_focus([PlaceRef(span, "x", False)]) is None


def test_parts_share_focus_and_anchors(resolver: PlaceResolver) -> None:
    body = analysis("Les FAMa ont repoussé une attaque près de Niono, au Mali.")
    comment = analysis("Mon frère habite à Farabougou.")
    refs = resolver.resolve([("body", body), ("c1", comment)], document_id="doc-1")
    farabougou = next(r for r in refs if r.surface == "Farabougou")
    assert farabougou.span == Span("doc-1", "c1", 19, 29)
    assert (farabougou.country, farabougou.admin1) == ("ML", "Ségou")


# ---------------------------------------------------------------- mentions and guards


def test_hyphens_connectors_and_longest_names(resolver: PlaceResolver) -> None:
    text = "De Bobo-Dioulasso à Tin-Akoff, de la Boucle du Mouhoun au Burkina Faso."
    refs = places(resolver, text)
    assert [r.surface for r in refs] == [
        "Bobo-Dioulasso", "Tin-Akoff", "Boucle du Mouhoun", "Burkina Faso",
    ]  # fmt: skip
    assert [r.kind for r in refs] == ["town", "town", "region", "country"]
    ivory = one(places(resolver, "La Côte d’Ivoire a fermé sa frontière."), "Côte d’Ivoire")
    assert (ivory.country, ivory.kind) == ("CI", "country")


def test_entity_trimmed_to_the_name(resolver: PlaceResolver) -> None:
    text = "La situation dans la région de Mopti reste tendue."
    ref = one(places(resolver, text, "fr", (("région de Mopti", "LOC"),)), "Mopti")
    assert (ref.kind, ref.country) == ("region", "ML")


def test_english_region_after_the_name(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Militants attacked Markoye and Gorom-Gorom in Oudalan province.", "en")
    assert (one(refs, "Oudalan").kind, one(refs, "Oudalan").country) == ("region", "BF")
    assert one(refs, "Gorom-Gorom").country == "BF"


def test_sahel_alone_is_no_place_but_its_region_is(resolver: PlaceResolver) -> None:
    refs = places(
        resolver,
        "Le Sahel reste instable. La région du Sahel au Burkina aussi.",
        "fr",
        (("Sahel", "LOC"),),
    )
    sahel = [r for r in refs if r.surface == "Sahel"]
    assert len(sahel) == 1 and sahel[0].span.start > 20
    assert (sahel[0].kind, sahel[0].country) == ("region", "BF")


def test_stop_words_persons_and_acronyms_are_no_places(resolver: PlaceResolver) -> None:
    text = (
        "Selon le ministre, Mardi, Amadou Koufa et Abdoulaye Diop ont parlé. "
        "La FAMa et le JNIM. Diarra a répondu. Juillet fut calme."
    )
    entities = (("Amadou Koufa", "PER"), ("Abdoulaye Diop", "PER"), ("FAMa", "LOC"))
    assert places(resolver, text, "fr", entities) == []


def test_excluded_actor_ranges(resolver: PlaceResolver) -> None:
    text = "Le Front de libération de l'Azawad a attaqué Gao."
    actor = (text.index("Front"), text.index(" a attaqué"))
    refs = places(resolver, text, exclude={"body": [actor]})
    assert [r.surface for r in refs] == ["Gao"]
    assert "Azawad" in [r.surface for r in places(resolver, "Les nomades de l'Azawad.")]


def test_all_caps_text_is_not_all_names(resolver: PlaceResolver) -> None:
    refs = places(resolver, "ATTAQUE MEURTRIÈRE À GAO : LE MALI ET LE NIGER EN DEUIL")
    assert [(r.surface, r.kind) for r in refs] == [
        ("GAO", "town"), ("MALI", "country"), ("NIGER", "country"),
    ]  # fmt: skip


def test_title_case_headline(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Gunmen Kill Dozens Of Villagers Near Djibo In Burkina Faso", "en")
    assert [r.surface for r in refs] == ["Djibo", "Burkina Faso"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "🔥🔥🔥",
        "Gao",
        "GAO",
        "باماكو",
        "Attaque à Gao 🔥 باماكو مالي",
        "(((",
        "à 30 km au nord de",
    ],
)
def test_hostile_input_never_raises(resolver: PlaceResolver, text: str) -> None:
    for lang in ("fr", "en", "ar"):
        refs = places(resolver, text, lang)
        assert all(isinstance(r, PlaceRef) for r in refs)


def test_one_megabyte_in_bounded_time(resolver: PlaceResolver) -> None:
    paragraph = (
        "Des hommes armés ont attaqué Gao et Ménaka, près de Markoye, selon Amadou Koufa. "
        "Zorglub Xyrth Qwerty Plonk, Kiddal et Dori aussi; ÉNORME ATTAQUE À KIDAL. "
    )
    text = paragraph * (1_000_000 // len(paragraph))
    started = time.perf_counter()
    refs = places(resolver, text)
    elapsed = time.perf_counter() - started
    assert len(refs) > 10_000
    assert elapsed < 30, f"{elapsed:.1f} s for 1 MB"


def test_lookups_are_bounded(resolver: PlaceResolver) -> None:
    words = " ".join(f"Qx{i:05d}vol" for i in range(20_000))  # 20,000 distinct names
    started = time.perf_counter()
    assert places(resolver, words) == []
    assert time.perf_counter() - started < 20


# ---------------------------------------------------------------- the lexicon


def test_user_lexicon_extends_the_bundled_one(gazetteer: Gazetteer, tmp_path: Path) -> None:
    extra = tmp_path / "places.toml"
    extra.write_text('[fr]\nnear = ["à deux pas de"]\nstop = ["Gao"]\n', encoding="utf-8")
    lexicon = load_place_lexicon(extra)
    custom = PlaceResolver(gazetteer, lexicon=lexicon)
    refs = custom.resolve([("body", analysis("Une attaque à deux pas de Djibo. Gao aussi."))])
    assert [(r.surface, r.precision) for r in refs] == [("Djibo", 2)]
    refs = custom.resolve([("body", analysis("Une attaque près de Markoye."))])
    assert [(r.surface, r.precision) for r in refs] == [("Markoye", 2)]  # bundled cues stay


def test_other_languages_use_every_languages_cues(resolver: PlaceResolver) -> None:
    gao = one(places(resolver, "Una emboscada 30 km north of Gao.", "es"), "Gao")
    assert (gao.precision, gao.offset_km, gao.direction) == (2, 30.0, "N")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[fr\nnear = 1", "cannot read the place lexicon"),
        ("[fr]\nnearby = ['près de']", "[fr]: unknown key 'nearby'"),
        ("[fr]\nnear = 'près de'", "[fr]: 'near' must be a list of strings"),
        ("[fr.directions]\nnord = 'North'", "direction 'nord' must be N, NE"),
        ("[fr.units]\nkm = -1", "unit 'km' must be a positive length in km"),
        ("[en.region_after]\nregion = 'ADM9'", "region_after 'region' must be ADM1, ADM2 or any"),
        ("common = 3", "[common]: must be a table"),
    ],
)
def test_bad_lexicon_is_one_line_config_error(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_place_lexicon(bad)
    message = str(error.value)
    assert message.startswith(f"{bad}: ") and problem in message
    assert "\n" not in message


def test_missing_lexicon_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml: no such place lexicon"):
        load_place_lexicon(tmp_path / "nope.toml")


# ---------------------------------------------------------------- with the real models


def test_real_models_french_and_english(resolver: PlaceResolver, models: Models) -> None:
    fr = models.analyse(
        "Ségou, la ville sur les rives du Niger, a été touchée. Le Niger et le Burkina Faso "
        "ont réagi. Une embuscade a eu lieu à 30 km au nord de Gao.",
        "fr",
    )
    en = models.analyse(NOTES[0][0], "en")
    refs = resolver.resolve([("body", fr), ("c1", en)])
    found = [(r.surface, r.kind, r.precision) for r in refs if r.span.part == "body"]
    assert found == [
        ("Ségou", "town", 1), ("Niger", "natural", 3), ("Niger", "country", 3),
        ("Burkina Faso", "country", 3), ("Gao", "town", 2),
    ]  # fmt: skip
    event = next(r for r in refs if r.span.part == "c1")
    assert event.surface == "Markoye" and km(event, MARKOYE) < 25


# ---------------------------------------------------------------- noise seen in comments


def test_demonyms_are_people_not_unresolved_places(resolver: PlaceResolver) -> None:
    text = "Les Guinéens, les Nigérians, tous dehors ! Les Maliens souffrent à Kayes."
    ents = (("Guinéens", "LOC"), ("Nigérians", "LOC"), ("Maliens", "LOC"), ("Kayes", "LOC"))
    refs = places(resolver, text, entities=ents)
    assert [(r.surface, r.resolved) for r in refs] == [("Kayes", True)]


def test_short_country_names_from_pycountry(resolver: PlaceResolver) -> None:
    refs = places(resolver, "Ce n'est ni la France ni la Russie, c'est l'Algérie.")
    assert [(r.surface, r.country, r.kind) for r in refs] == [
        ("France", "FR", "country"), ("Russie", "RU", "country"), ("Algérie", "DZ", "country"),
    ]  # fmt: skip


def test_english_stop_words_do_not_cut_a_name_the_gazetteer_knows(
    resolver: PlaceResolver,
) -> None:
    text = (
        "Envoys of the United States, of South Africa and of the Central African Republic "
        "met in the capital on Monday. United, they said, they would stand."
    )
    refs = places(resolver, text, "en")
    assert [(r.surface, r.country, r.kind) for r in refs] == [
        ("United States", "US", "country"), ("South Africa", "ZA", "country"),
        ("Central African Republic", "CF", "country"),
    ]  # fmt: skip
    assert all(r.lat is not None and r.lon is not None for r in refs)  # countries have a point


def test_abbreviations_of_countries_beat_village_namesakes(resolver: PlaceResolver) -> None:
    text = "The U.S. and the UK warned Europe. Officials in US said so."
    entities = (("U.S.", "GPE"), ("UK", "GPE"), ("Europe", "LOC"), ("US", "GPE"))
    refs = places(resolver, text, "en", entities)
    assert [(r.surface, r.name, r.kind) for r in refs] == [
        ("U.S", "United States", "country"), ("UK", "United Kingdom", "country"),
        ("Europe", "Europe", "region"), ("US", "United States", "country"),
    ]  # fmt: skip  # not the village Us (Senegal)


def test_a_town_abroad_without_a_cue_must_be_near_the_story(resolver: PlaceResolver) -> None:
    # "Sikasso" alone in a Malian story stays (same country); a namesake hamlet abroad
    # named by a bare capitalised word far from every other place does not
    text = "Les convois arrivent à Bamako et à Kati. Sikasso attend toujours."
    refs = places(resolver, text)
    assert [r.surface for r in refs] == ["Bamako", "Kati", "Sikasso"]
    assert {r.country for r in refs} == {"ML"}


def test_short_words_get_no_spelling_variants(gazetteer: Gazetteer) -> None:
    assert all(p.matched_by != "variant" for p in gazetteer.lookup("Toi"))
    assert "Kidal" in {p.name for p in gazetteer.lookup("Kiddal")}
