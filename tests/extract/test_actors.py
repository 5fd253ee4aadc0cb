"""Actors: the knowledge base as data and the plain-text matcher."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tocsin.errors import ConfigError
from tocsin.extract.actors import ActorMatcher, ActorMention, _fold, _tokens
from tocsin.knowledge.actors import KNOWLEDGE_FILE, load_actors


@pytest.fixture(scope="module")
def matcher() -> ActorMatcher:
    return ActorMatcher.from_knowledge()


def ids(matcher: ActorMatcher, text: str, country: str | None = None) -> list[str]:
    return [m.actor_id for m in matcher.find(text, country=country)]


def surfaces(matcher: ActorMatcher, text: str, country: str | None = None) -> list[str]:
    return [m.surface for m in matcher.find(text, country=country)]


# --- the hard cases of issue 3 -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le JNIM a revendiqué l'attaque.", ["jnim"]),
        ("Selon le GSIM, les combats continuent.", ["jnim"]),
        ("Jama'at Nusrat al-Islam wal-Muslimin claimed it.", ["jnim"]),
        ("Jama’at Nusrat al-Islam wal-Muslimin claimed it.", ["jnim"]),
        ("Jamaat Nusrat al Islam wal Muslimin claimed it.", ["jnim"]),
        ("the al-Qaeda affiliate said on Telegram", ["jnim"]),
        ("le Groupe de soutien à l’islam et aux musulmans", ["jnim"]),
        ("la branche sahélienne d'Al-Qaïda", ["jnim"]),
        ("des éléments du JNIM", ["jnim"]),
        ("l'armée malienne a riposté", ["fama"]),
        ("L’ARMÉE MALIENNE A RIPOSTÉ", ["fama"]),
        ("les FAMa ont riposté", ["fama"]),
        ("les FAMA ont riposté", ["fama"]),
        ("the Malian army responded", ["fama"]),
        ("Les Forces armées maliennes et Africa Corps", ["fama", "africa-corps"]),
        ("des combattants d'Al-Qaïda au Maghreb islamique", ["aqim"]),
        ("des combattants d’Al Qaida au Maghreb Islamique", ["aqim"]),
        ("AQMI et AQIM", ["aqim", "aqim"]),
        ("l'EIGS", ["issp"]),
        ("des combattants de l'EIGS", ["issp"]),
        ("IS Sahel militants", ["issp"]),
        ("l'État islamique au Sahel", ["issp"]),
        ("l'Etat islamique au Sahel", ["issp"]),
        ("ISSP, ex-ISGS, l'État islamique dans le Grand Sahara", ["issp", "issp", "issp"]),
        ("la Katiba Macina de Amadou Koufa", ["katiba-macina"]),
        ("Katiba Serma et Ansarul Islam", ["katiba-serma", "ansarul-islam"]),
        ("le Front de libération de l'Azawad (FLA)", ["fla", "fla"]),
        ("le CSP-PSD et la CMA", ["csp", "cma"]),
        ("les VDP et les Koglweogo", ["vdp", "koglweogo"]),
        ("les chasseurs dozos et Dan Na Ambassagou", ["dozo", "dan-na-ambassagou"]),
        ("le groupe Wagner puis l'Africa Corps", ["wagner", "africa-corps"]),
        (
            "la MINUSMA, l'EUTM, le G5 Sahel et la CEDEAO",
            ["minusma", "eutm-mali", "g5-sahel", "ecowas"],
        ),
        ("les pays de l'AES", ["aes"]),
        ("l'Alliance des États du Sahel", ["aes"]),
        ("Opération Barkhane, Serval et Takuba", ["barkhane", "serval", "takuba"]),
        ("the Nigerien army and the Burkinabe army", ["fan", "military-bf"]),
        ("ISWAP and Boko Haram", ["iswap", "boko-haram"]),
    ],
)
def test_hard_cases(matcher: ActorMatcher, text: str, expected: list[str]) -> None:
    assert ids(matcher, text) == expected


def test_whole_mention_for_the_article_free_span(matcher: ActorMatcher) -> None:
    text = "Le JNIM et l'armée malienne, d'Al-Qaïda au Maghreb islamique, du GSIM."
    assert matcher.find(text) == [
        ActorMention(3, 7, "JNIM", "jnim", "Group for Support of Islam and Muslims (JNIM)",
                     2, False, False, "JNIM: Group for Support of Islam and Muslims"),
        ActorMention(13, 27, "armée malienne", "fama", "Malian Armed Forces (FAMa)",
                     1, False, False, "Military Forces of Mali (2021-)"),
        ActorMention(31, 60, "Al-Qaïda au Maghreb islamique", "aqim",
                     "Al-Qaeda in the Islamic Maghreb (AQIM)", 2, False, False,
                     "AQIM: Al Qaeda in the Islamic Maghreb"),
        ActorMention(65, 69, "GSIM", "jnim", "Group for Support of Islam and Muslims (JNIM)",
                     2, False, False, "JNIM: Group for Support of Islam and Muslims"),
    ]  # fmt: skip


def test_display_name_in_french(matcher: ActorMatcher) -> None:
    [m] = matcher.find("Le JNIM", lang="fr")
    assert m.name == "Groupe de soutien à l'islam et aux musulmans (GSIM)"


def test_descriptive_aliases_are_flagged(matcher: ActorMatcher) -> None:
    found = matcher.find("the al-Qaeda affiliate, JNIM, des mercenaires russes")
    assert [(m.actor_id, m.descriptive) for m in found] == [
        ("jnim", True),
        ("jnim", False),
        ("wagner", True),
    ]


def test_longest_match_wins(matcher: ActorMatcher) -> None:
    assert ids(matcher, "Al-Qaïda") == ["al-qaeda"]
    assert ids(matcher, "Al-Qaïda au Maghreb islamique") == ["aqim"]
    assert ids(matcher, "l'État islamique") == ["islamic-state"]
    assert ids(matcher, "l'État islamique au Sahel") == ["issp"]
    assert ids(matcher, "l'armée", country="BF") == ["military-bf"]
    assert ids(matcher, "l'armée malienne", country="BF") == ["fama"]


def test_decomposed_accents_and_odd_separators(matcher: ActorMatcher) -> None:
    text = unicodedata.normalize("NFD", "l’armée malienne et l’État islamique au Sahel")
    found = matcher.find(text)
    assert [m.actor_id for m in found] == ["fama", "issp"]
    assert all(text[m.start : m.end] == m.surface for m in found)
    # non-breaking hyphen, en dash, several spaces
    assert ids(matcher, "d’Al‑Qaïda au  Maghreb islamique") == ["aqim"]
    assert ids(matcher, "Jama'at Nusrat al–Islam wal–Muslimin") == ["jnim"]


# --- negatives -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Les aes de la ville et les aès du marché.",  # "aes": lower case is not the alliance
        "Aes dixit.",
        "un propos infamant",  # "fama" inside a word
        "Famara et sa famille",
        "la fama du village",  # lower case "fama" is not FAMa
        "XGSIMX, JNIMS, preJNIM",  # no acronym inside a word
        "un fan du club",  # "fan" is not Niger's FAN
        "eu égard à la situation",  # "eu" is not the EU
        "la plateforme numérique",  # Plateforme only with its capital
        "une guerre civile",
    ],
)
def test_no_false_hits(matcher: ActorMatcher, text: str) -> None:
    assert matcher.find(text, country="ML") == []


# --- generic actors --------------------------------------------------------------------


def test_generic_phrases_resolve_per_country(matcher: ActorMatcher) -> None:
    text = "Des hommes armés non identifiés ont tué des civils; des soldats et des manifestants."
    found = matcher.find(text, country="Mali")
    assert [(m.surface, m.actor_id, m.name, m.inter, m.generic) for m in found] == [
        ("hommes armés non identifiés", "unidentified-armed-group-mali",
         "Unidentified Armed Group (Mali)", 3, True),
        ("civils", "civilians-mali", "Civilians (Mali)", 7, True),
        ("soldats", "fama", "Military Forces of Mali (2021-)", 1, True),
        ("manifestants", "protesters-mali", "Protesters (Mali)", 6, True),
    ]  # fmt: skip
    assert matcher.find(text, country="ML") == found
    assert matcher.find(text, country="mali") == found


def test_generic_phrases_in_english_and_other_countries(matcher: ActorMatcher) -> None:
    found = matcher.find(
        "Unidentified gunmen killed civilians; the army and protesters", country="BF"
    )
    assert [m.name for m in found] == [
        "Unidentified Armed Group (Burkina Faso)",
        "Civilians (Burkina Faso)",
        "Military Forces of Burkina Faso (2022-)",
        "Protesters (Burkina Faso)",
    ]
    assert [m.name for m in matcher.find("jihadists and djihadistes", country="NE")] == [
        "Unidentified Armed Group (Niger)",
        "Unidentified Armed Group (Niger)",
    ]
    assert [m.name for m in matcher.find("des soldats", country="Ghana")] == [
        "Military Forces of Ghana"
    ]
    assert [m.name for m in matcher.find("des soldats", country="Sénégal")] == [
        "Military Forces of Senegal"
    ]


def test_generic_noun_after_a_named_actor_is_that_actor(matcher: ActorMatcher) -> None:
    assert surfaces(matcher, "IS Sahel militants attacked civilians", country="ML") == [
        "IS Sahel",
        "civilians",
    ]
    assert ids(matcher, "le JNIM, des djihadistes", country="ML") == [
        "jnim",
        "unidentified-armed-group-mali",
    ]


def test_generic_without_country_is_unresolved(matcher: ActorMatcher) -> None:
    [m] = matcher.find("des individus armés")
    assert (m.actor_id, m.name, m.generic) == ("armed-group", "Unidentified Armed Group", True)


def test_unknown_country_says_what_to_do(matcher: ActorMatcher) -> None:
    with pytest.raises(ValueError, match="ISO2"):
        matcher.find("des civils", country="Atlantis")


# --- the knowledge base ----------------------------------------------------------------


def test_knowledge_covers_the_sahel() -> None:
    kb = load_actors()
    expected = {
        "fama", "military-bf", "vdp", "fan", "jnim", "katiba-macina", "katiba-serma",
        "katiba-gourma", "ansar-dine", "al-mourabitoune", "aqim", "issp", "iswap",
        "ansarul-islam", "mnla", "cma", "csp", "fla", "gatia", "platform", "dan-na-ambassagou",
        "koglweogo", "dozo", "wagner", "africa-corps", "barkhane", "serval", "takuba",
        "minusma", "eutm-mali", "g5-sahel", "ecowas", "aes", "african-union", "government-ml",
        "government-bf", "government-ne", "police-ml", "gendarmerie-ml", "police-bf",
        "gendarmerie-bf", "police-ne", "gendarmerie-ne", "military-sn", "military-mr",
        "military-ci", "military-gn", "military-dz", "military-bj", "military-tg",
    }  # fmt: skip
    assert expected <= set(kb.actors)
    for actor in kb.actors.values():
        assert 1 <= actor.inter <= 8
        assert actor.name_en and actor.name_fr and actor.acled and actor.aliases
    print(
        f"\n{len(kb.actors)} actors, {sum(len(a.aliases) for a in kb.actors.values())} aliases, "
        f"{sum(len(g.phrases) for g in kb.generics.values())} generic phrases"
    )


def test_relations() -> None:
    kb = load_actors()
    corps = kb.actors["africa-corps"]
    assert [(r.id, r.since) for r in corps.succeeded] == [("wagner", 2023)]
    assert [r.id for r in corps.parents] == ["military-ru"]
    assert [r.id for r in kb.actors["katiba-macina"].parents] == ["jnim"]
    assert {a.id for a in kb.children("jnim")} >= {
        "katiba-macina", "katiba-serma", "katiba-gourma", "ansar-dine", "al-mourabitoune"
    }  # fmt: skip
    assert [r.id for r in kb.actors["jnim"].parents] == ["aqim"]
    assert [(r.id, r.since, r.until) for r in kb.actors["issp"].parents] == [
        ("islamic-state", 2016, None),
        ("iswap", 2019, 2022),
    ]


def test_no_alias_names_two_actors() -> None:
    kb = load_actors()
    owner: dict[tuple[str, ...], str] = {}
    clashes = []
    for actor in kb.actors.values():
        for alias in actor.aliases:
            key = tuple(t.key for t in _tokens(alias.text))
            if owner.setdefault(key, actor.id) != actor.id:
                clashes.append((alias.text, owner[key], actor.id))
    assert clashes == []


# --- the user's own file ---------------------------------------------------------------


def test_extra_file_adds_aliases_and_actors(tmp_path: Path) -> None:
    extra = tmp_path / "my-actors.toml"
    extra.write_text(
        """
[[actor]]
id = "jnim"
aliases = ["Nusrat al-Islam", { text = "les hommes de Koufa", lang = "fr", descriptive = true }]

[[actor]]
id = "katiba-hanifa"
name_en = "Katiba Hanifa"
type = "rebel group"
inter = 2
countries = ["BF"]
parents = [{ id = "jnim" }]
aliases = ["Katiba Hanifa"]

[generic.civilians]
fr = ["orpailleurs"]
""",
        encoding="utf-8",
    )
    matcher = ActorMatcher.from_knowledge(extra)
    text = "Nusrat al-Islam, les hommes de Koufa, la Katiba Hanifa, des orpailleurs et le JNIM"
    assert [(m.actor_id, m.descriptive) for m in matcher.find(text, country="BF")] == [
        ("jnim", False),
        ("jnim", True),
        ("katiba-hanifa", False),
        ("civilians-burkina-faso", False),
        ("jnim", False),
    ]
    assert matcher.knowledge.actors["jnim"].acled == "JNIM: Group for Support of Islam and Muslims"


@pytest.mark.parametrize(
    "content",
    [
        "[[actor]\nid = 'x'",  # TOML syntax
        "[[actor]]\nid = 'x'\nname_en = 'X'\ntype = 'rebel group'\ninter = 9\naliases = ['X']",
        "[[actor]]\nid = 'x'\nname_en = 'X'\ntype = 'gang'\ninter = 2",
        "[[actor]]\nid = 'x'\nname_en = 'X'\ntype = 'rebel group'\ninter = 2\nparents = ['nobody']",
        "[[actor]]\nname_en = 'X'",
        "[[actor]]\nid = 'jnim'\naliases = [1]",
        "[actors]\nid = 'x'",
        "\xff\xfe not text",
    ],
)
def test_broken_extra_file_is_a_one_line_config_error(tmp_path: Path, content: str) -> None:
    extra = tmp_path / "broken-actors.toml"
    extra.write_bytes(content.encode("latin-1"))
    with pytest.raises(ConfigError) as info:
        load_actors(extra)
    message = str(info.value)
    assert "broken-actors.toml" in message
    assert "\n" not in message


def test_missing_extra_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such actors file"):
        load_actors(tmp_path / "nope.toml")


def test_bundled_file_is_where_it_says() -> None:
    assert KNOWLEDGE_FILE.name == "actors.toml"
    assert KNOWLEDGE_FILE.exists()


# --- hostile input and speed -----------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "JNIM", "jnim", "GSIM", "l'", "d’", "Al-Qaïda", "au Maghreb islamique", "AES", "aes",
        "FAMa", "armée malienne", "e\u0301", "\u0301", "-", "–", " ", "'", "’", "ʼ", "\n",
        "hommes armés non identifiés", "İ", "ß", "ﬁ", "Œ", "ǅ", "\u200b", "État islamique au Sahel",
        "IS Sahel", "_", "ᾈ", "𝔄", "Jama'at", "s'", "'s",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30), st.booleans())
def test_offsets_map_back_to_the_original_text(
    matcher: ActorMatcher, parts: list[str], with_country: bool
) -> None:
    text = "".join(parts)
    found = matcher.find(text, country="ML" if with_country else None)
    last = 0
    for m in found:
        assert text[m.start : m.end] == m.surface
        assert m.surface and m.start >= last
        last = m.end


def test_fold() -> None:
    assert _fold("Qaïda") == "qaida"
    assert _fold("ŒUVRE") == "oeuvre"
    assert _fold("ÉTAT") == "etat"


def test_speed_on_one_megabyte(matcher: ActorMatcher) -> None:
    paragraph = (
        "Le 15 juillet, des hommes armés non identifiés ont attaqué un poste des FAMa près de "
        "Boulkessi ; le JNIM a revendiqué l'attaque. Selon une source sécuritaire, l'armée "
        "malienne et ses partenaires d'Africa Corps ont riposté. On 16 July, IS Sahel militants "
        "clashed with volunteer fighters (VDP) near Markoye; civilians fled to Dori.\n"
    )
    text = (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]
    started = time.perf_counter()
    found = matcher.find(text, country="ML")
    elapsed = time.perf_counter() - started
    print(f"\nactor matching: 1 MB in {elapsed:.2f} s, {len(found)} mentions")
    assert len(found) > 10_000
