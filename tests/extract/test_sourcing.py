"""Attribution ("who says so"): cues, claims and kinds in French and English."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tocsin.errors import ConfigError
from tocsin.extract.nlp import Entity, Models, TextAnalysis
from tocsin.extract.sourcing.attributions import KINDS, extract_attributions, load_sourcing_lexicon
from tocsin.models import Attribution
from tocsin.text.fold import fold_same as fold

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[«\"“A-ZÀ-Ý])")


def analysis(
    text: str,
    lang: str = "fr",
    *,
    per: tuple[str, ...] = (),
    org: tuple[str, ...] = (),
    split: bool = True,
) -> TextAnalysis:
    """A hand-built analysis: sentences split at ". X", entities found by surface."""
    sentences: list[tuple[int, int]] = []
    start = 0
    if split:
        for m in _SPLIT.finditer(text):
            sentences.append((start, m.start()))
            start = m.end()
    sentences.append((start, len(text)))
    entities = []
    for label, surfaces in (("PER", per), ("ORG", org)):
        for surface in surfaces:
            at = text.index(surface)
            entities.append(Entity(at, at + len(surface), label, surface))
    return TextAnalysis(text, lang, tuple(sentences), tuple(entities))


def show(text: str, found: list[Attribution]) -> list[tuple[str, str, str | None, str | None]]:
    out = []
    for a in found:
        cue = text[a.cue.start : a.cue.end] if a.cue else None
        out.append((a.kind, text[a.span.start : a.span.end], cue, a.source))
    return out


def attributions(
    text: str, lang: str = "fr", *, per: tuple[str, ...] = (), org: tuple[str, ...] = ()
) -> list[tuple[str, str, str | None, str | None]]:
    return show(text, extract_attributions(analysis(text, lang, per=per, org=org)))


# --- table: (lang, text, PER surfaces, ORG surfaces, [(kind, claim, cue, source)]) ----

DIOP = ("Abdoulaye Diop",)
CASES: list[
    tuple[str, str, tuple[str, ...], tuple[str, ...], list[tuple[str, str, str | None, str | None]]]
] = [
    # cue before the claim
    (
        "fr",
        "Selon une source sécuritaire qui a requis l'anonymat, les "
        "jihadistes contrôlent la route de Gao.",
        (),
        (),
        [
            (
                "anonymous",
                "les jihadistes contrôlent la route de Gao.",
                "Selon une source sécuritaire qui a requis l'anonymat",
                "une source sécuritaire",
            )
        ],
    ),
    (
        "fr",
        "Selon l'ONU, plus de 2 000 civils ont fui la région.",
        (),
        ("l'ONU",),
        [("organisation", "plus de 2 000 civils ont fui la région.", "Selon l'ONU", "l'ONU")],
    ),
    (
        "fr",
        "D'après l'armée malienne, 20 terroristes ont été neutralisés.",
        (),
        (),
        [
            (
                "official_statement",
                "20 terroristes ont été neutralisés.",
                "D'après l'armée malienne",
                "l'armée malienne",
            )
        ],
    ),
    (
        "fr",
        "D’après l’armée malienne, 20 terroristes ont été neutralisés.",
        (),
        (),
        [
            (
                "official_statement",
                "20 terroristes ont été neutralisés.",
                "D’après l’armée malienne",
                "l’armée malienne",
            )
        ],
    ),
    (
        "fr",
        "Selon des sources concordantes, dix civils ont été tués à Dioura.",
        (),
        (),
        [
            (
                "unnamed_sources",
                "dix civils ont été tués à Dioura.",
                "Selon des sources concordantes",
                "des sources concordantes",
            )
        ],
    ),
    (
        "fr",
        "Selon des analystes, le groupe cherche à s'implanter dans le sud du pays.",
        (),
        (),
        [
            (
                "unnamed_experts",
                "le groupe cherche à s'implanter dans le sud du pays.",
                "Selon des analystes",
                "des analystes",
            )
        ],
    ),
    (
        "fr",
        "Selon un communiqué du gouvernement, le couvre-feu est levé à Bamako.",
        (),
        (),
        [
            (
                "official_statement",
                "le couvre-feu est levé à Bamako.",
                "Selon un communiqué du gouvernement",
                "un communiqué du gouvernement",
            )
        ],
    ),
    (
        "fr",
        "Selon moi, la junte ment sur le bilan des pertes.",
        (),
        (),
        [("author", "Selon moi, la junte ment sur le bilan des pertes.", None, None)],
    ),
    (
        "en",
        "According to local sources, the militants withdrew towards the border.",
        (),
        (),
        [
            (
                "unnamed_sources",
                "the militants withdrew towards the border.",
                "According to local sources",
                "local sources",
            )
        ],
    ),
    # cue after the claim
    (
        "fr",
        "Dix civils ont été tués dans l'attaque, selon des sources locales.",
        (),
        (),
        [
            (
                "unnamed_sources",
                "Dix civils ont été tués dans l'attaque",
                "selon des sources locales",
                "des sources locales",
            )
        ],
    ),
    (
        "fr",
        "Les assaillants ont été repoussés, a déclaré le gouverneur "
        "de Mopti lors d'une conférence de presse.",
        (),
        (),
        [
            (
                "person",
                "Les assaillants ont été repoussés",
                "a déclaré le gouverneur de Mopti",
                "le gouverneur de Mopti",
            )
        ],
    ),
    (
        "en",
        '"We will win this war," said the commander.',
        (),
        (),
        [("person", '"We will win this war,"', "said the commander", "the commander")],
    ),
    # cue inside the claim
    (
        "fr",
        "Les jihadistes, selon une source sécuritaire, contrôlent désormais la ville.",
        (),
        (),
        [
            (
                "anonymous",
                "Les jihadistes, selon une source sécuritaire, contrôlent désormais la ville.",
                "selon une source sécuritaire",
                "une source sécuritaire",
            )
        ],
    ),
    (
        "fr",
        "Les jihadistes, a indiqué le ministre, contrôlent la ville.",
        (),
        (),
        [
            (
                "person",
                "Les jihadistes, a indiqué le ministre, contrôlent la ville.",
                "a indiqué le ministre",
                "le ministre",
            )
        ],
    ),
    (
        "en",
        "The attack, a security source said, left five soldiers dead.",
        (),
        (),
        [
            (
                "anonymous",
                "The attack, a security source said, left five soldiers dead.",
                "a security source said",
                "a security source",
            )
        ],
    ),
    # subject, verb, "que"/"that"
    (
        "fr",
        "Le ministre Abdoulaye Diop a déclaré que le Mali ne cédera pas aux pressions.",
        DIOP,
        (),
        [
            (
                "person",
                "le Mali ne cédera pas aux pressions.",
                "Le ministre Abdoulaye Diop a déclaré",
                "Abdoulaye Diop",
            )
        ],
    ),
    (
        "fr",
        "Le ministre des Affaires étrangères, Abdoulaye Diop, a "
        "déclaré que la coopération continuera.",
        DIOP,
        (),
        [
            (
                "person",
                "la coopération continuera.",
                "Le ministre des Affaires étrangères, Abdoulaye Diop, a déclaré",
                "Abdoulaye Diop",
            )
        ],
    ),
    (
        "fr",
        "Un diplomate occidental estime que la junte est de plus en plus isolée.",
        (),
        (),
        [
            (
                "unnamed_experts",
                "la junte est de plus en plus isolée.",
                "Un diplomate occidental estime",
                "Un diplomate occidental",
            )
        ],
    ),
    (
        "fr",
        "Les observateurs jugent que les élections seront reportées.",
        (),
        (),
        [
            (
                "unnamed_experts",
                "les élections seront reportées.",
                "Les observateurs jugent",
                "Les observateurs",
            )
        ],
    ),
    (
        "fr",
        "Les habitants ont raconté que les assaillants sont arrivés à moto.",
        (),
        (),
        [
            (
                "unnamed_sources",
                "les assaillants sont arrivés à moto.",
                "Les habitants ont raconté",
                "Les habitants",
            )
        ],
    ),
    (
        "fr",
        "Des témoins affirment avoir vu des dizaines de corps dans le village.",
        (),
        (),
        [
            (
                "unnamed_sources",
                "avoir vu des dizaines de corps dans le village.",
                "Des témoins affirment",
                "Des témoins",
            )
        ],
    ),
    (
        "fr",
        "Dans un communiqué publié mardi, l'armée a annoncé la mort de 20 terroristes.",
        (),
        (),
        [("official_statement", "la mort de 20 terroristes.", "l'armée a annoncé", "l'armée")],
    ),
    (
        "en",
        "The UN said on Tuesday that aid deliveries were blocked.",
        (),
        ("UN",),
        [("organisation", "aid deliveries were blocked.", "The UN said on Tuesday", "UN")],
    ),
    (
        "en",
        "Officials said the attack killed at least ten people.",
        (),
        (),
        [
            (
                "unnamed_sources",
                "the attack killed at least ten people.",
                "Officials said",
                "Officials",
            )
        ],
    ),
    (
        "en",
        "Residents said gunfire lasted for several hours.",
        (),
        (),
        [("unnamed_sources", "gunfire lasted for several hours.", "Residents said", "Residents")],
    ),
    (
        "en",
        "The junta said in a statement that order had been restored.",
        (),
        (),
        [
            (
                "official_statement",
                "order had been restored.",
                "The junta said in a statement",
                "The junta",
            )
        ],
    ),
    (
        "en",
        "Analysts say the group is expanding its reach into coastal states.",
        (),
        (),
        [
            (
                "unnamed_experts",
                "the group is expanding its reach into coastal states.",
                "Analysts say",
                "Analysts",
            )
        ],
    ),
    (
        "en",
        "Diplomats in Bamako believe the junta will not hold elections soon.",
        (),
        (),
        [
            (
                "unnamed_experts",
                "the junta will not hold elections soon.",
                "Diplomats in Bamako believe",
                "Diplomats in Bamako",
            )
        ],
    ),
    (
        "en",
        "Defence minister Sadio Camara said troops were on their way.",
        ("Sadio Camara",),
        (),
        [
            (
                "person",
                "troops were on their way.",
                "Defence minister Sadio Camara said",
                "Sadio Camara",
            )
        ],
    ),
    # anonymity beats a person or an organisation
    (
        "fr",
        "Un responsable de l'armée, sous couvert d'anonymat, a "
        "affirmé que la base était encerclée.",
        (),
        (),
        [
            (
                "anonymous",
                "la base était encerclée.",
                "Un responsable de l'armée, sous couvert d'anonymat, a affirmé",
                "Un responsable de l'armée",
            )
        ],
    ),
    (
        "en",
        "A source who asked not to be named said the convoy was hit near Markoye.",
        (),
        (),
        [
            (
                "anonymous",
                "the convoy was hit near Markoye.",
                "A source who asked not to be named said",
                "A source",
            )
        ],
    ),
    (
        "en",
        "Speaking on condition of anonymity, an army officer said the base had fallen.",
        (),
        (),
        [("anonymous", "the base had fallen.", "an army officer said", "an army officer")],
    ),
    (
        "fr",
        "Le colonel Abdoulaye Diop, qui a requis l'anonymat, a affirmé que la base était tombée.",
        DIOP,
        (),
        [
            (
                "anonymous",
                "la base était tombée.",
                "Le colonel Abdoulaye Diop, qui a requis l'anonymat, a affirmé",
                "Le colonel Abdoulaye Diop",
            )
        ],
    ),
    # quotations spanning sentences
    (
        "fr",
        "« Nous ne céderons pas. Le pays sera libéré », a affirmé le "
        "ministre des Affaires étrangères, Abdoulaye Diop.",
        DIOP,
        ("ministre des Affaires étrangères",),
        [
            (
                "person",
                "« Nous ne céderons pas.",
                "a affirmé le ministre des Affaires étrangères, Abdoulaye Diop",
                "Abdoulaye Diop",
            ),
            (
                "person",
                "Le pays sera libéré »",
                "a affirmé le ministre des Affaires étrangères, Abdoulaye Diop",
                "Abdoulaye Diop",
            ),
        ],
    ),
    (
        "fr",
        "Le ministre a déclaré : « Nous vaincrons. L'ennemi est en déroute. »",
        (),
        (),
        [
            ("person", "« Nous vaincrons.", "Le ministre a déclaré", "Le ministre"),
            ("person", "L'ennemi est en déroute. »", "Le ministre a déclaré", "Le ministre"),
        ],
    ),
    (
        "en",
        '"We will not leave. The town is safe," the governor told Reuters.',
        (),
        ("Reuters",),
        [
            ("person", '"We will not leave.', "the governor told Reuters", "the governor"),
            ("person", 'The town is safe,"', "the governor told Reuters", "the governor"),
        ],
    ),
    # the next sentence goes on with the same speaker
    (
        "fr",
        "L'ONU a déclaré que la situation humanitaire était critique. "
        "Il a ajouté que des renforts étaient attendus.",
        (),
        ("L'ONU",),
        [
            (
                "organisation",
                "la situation humanitaire était critique.",
                "L'ONU a déclaré",
                "L'ONU",
            ),
            ("organisation", "des renforts étaient attendus.", "Il a ajouté", "L'ONU"),
        ],
    ),
    (
        "en",
        "Sadio Camara said the army was ready. He added that reinforcements had arrived.",
        ("Sadio Camara",),
        (),
        [
            ("person", "the army was ready.", "Sadio Camara said", "Sadio Camara"),
            ("person", "reinforcements had arrived.", "He added", "Sadio Camara"),
        ],
    ),
    (
        "en",
        "Human Rights Watch said soldiers executed dozens of civilians. "
        "It added that the army denied the accusations.",
        (),
        ("Human Rights Watch",),
        [
            (
                "organisation",
                "soldiers executed dozens of civilians.",
                "Human Rights Watch said",
                "Human Rights Watch",
            ),
            ("organisation", "the army denied the accusations.", "It added", "Human Rights Watch"),
        ],
    ),
    (
        "fr",
        "Les routes sont coupées depuis trois semaines, a-t-il ajouté.",
        (),
        (),
        [("person", "Les routes sont coupées depuis trois semaines", "a-t-il ajouté", None)],
    ),
    # conventions of the gold data: state bodies issue official statements, a
    # spokesperson speaks for the body, one unnamed ordinary person is an unnamed source
    (
        "fr",
        "Un officier supérieur, qui a requis l'anonymat, nous confie que les jihadistes "
        "sont financés depuis l'étranger.",
        (),
        (),
        [
            (
                "anonymous",
                "les jihadistes sont financés depuis l'étranger.",
                "Un officier supérieur, qui a requis l'anonymat, nous confie",
                "Un officier supérieur",
            )
        ],
    ),
    (
        "fr",
        "Le Groupe de soutien à l'islam et aux musulmans (GSIM, ou JNIM selon son acronyme "
        "arabe) a revendiqué l'attaque.",
        (),
        (),
        [
            (
                "author",
                "Le Groupe de soutien à l'islam et "
                "aux musulmans (GSIM, ou JNIM selon son acronyme arabe) a revendiqué l'attaque.",
                None,
                None,
            )
        ],
    ),
    (
        "fr",
        "Les derniers Casques bleus ont quitté la base de Gao, selon un porte-parole de la "
        "mission.",
        (),
        (),
        [
            (
                "organisation",
                "Les derniers Casques bleus ont quitté la base de Gao",
                "selon un porte-parole de la mission",
                "un porte-parole de la mission",
            )
        ],
    ),
    (
        "fr",
        "Les autorités maliennes ont annoncé lundi la fermeture de toutes les écoles du pays.",
        (),
        (),
        [
            (
                "official_statement",
                "lundi la fermeture de toutes les écoles du pays.",
                "Les autorités maliennes ont annoncé",
                "Les autorités maliennes",
            )
        ],
    ),
    (
        "fr",
        "Mon cousin à Kati dit que les FAMa ont sécurisé la route avant-hier.",
        (),
        (),
        [
            (
                "unnamed_sources",
                "les FAMa ont sécurisé la route avant-hier.",
                "Mon cousin à Kati dit que",
                "Mon cousin à Kati",
            )
        ],
    ),
    (
        "fr",
        "Africa Corps, placé sous la tutelle du ministère russe de la Défense, assure "
        "l'essentiel de l'appui aérien.",
        (),
        (),
        [
            (
                "author",
                "Africa Corps, placé sous la tutelle "
                "du ministère russe de la Défense, assure l'essentiel de l'appui aérien.",
                None,
                None,
            )
        ],
    ),
    (
        "fr",
        "« Nous ne roulons plus sans escorte », confie un chauffeur sénégalais.",
        (),
        (),
        [
            (
                "unnamed_sources",
                "« Nous ne roulons plus sans escorte »",
                "confie un chauffeur sénégalais",
                "un chauffeur sénégalais",
            )
        ],
    ),
    (
        "en",
        "The army said in a statement on Monday that 20 militants were killed.",
        (),
        (),
        [
            (
                "official_statement",
                "20 militants were killed.",
                "The army said in a statement on Monday",
                "The army",
            )
        ],
    ),
    # the author's voice, and sentences that make no claim
    (
        "fr",
        "La situation sécuritaire reste très préoccupante dans le centre du pays.",
        (),
        (),
        [
            (
                "author",
                "La situation sécuritaire reste très préoccupante dans le centre du pays.",
                None,
                None,
            )
        ],
    ),
    (
        "en",
        "Ten soldiers were killed in the ambush near Markoye on Sunday.",
        (),
        (),
        [("author", "Ten soldiers were killed in the ambush near Markoye on Sunday.", None, None)],
    ),
    (
        "en",
        "Ten people were told to leave the village before the raid.",
        (),
        (),
        [("author", "Ten people were told to leave the village before the raid.", None, None)],
    ),
    ("fr", "Qui contrôle réellement la ville de Gao ?", (), (), []),
    ("en", "Is the army able to hold the town?", (), (), []),
    ("fr", "Merci pour cet article.", (), (), []),
    ("fr", "Honte à cette junte incapable !", (), (), []),
    ("fr", "Bravo", (), (), []),
    # a parenthesised acronym inside the subject, present-tense verbs, "we" as the author,
    # an unnamed plural head noun before a place name the model may tag as a person
    (
        "en",
        "The Azawad Liberation Front (FLA) said its fighters had killed ten soldiers.",
        (),
        ("The Azawad Liberation Front",),
        [
            (
                "organisation",
                "its fighters had killed ten soldiers.",
                "The Azawad Liberation Front (FLA) said",
                "The Azawad Liberation Front",
            )
        ],
    ),
    (
        "en",
        "Analysts in Dakar note that the army lacks air assets.",
        ("Dakar",),
        (),
        [
            (
                "unnamed_experts",
                "the army lacks air assets.",
                "Analysts in Dakar note",
                "Analysts in Dakar",
            )
        ],
    ),
    (
        "en",
        "We assess that the blockade will almost certainly last until the rains.",
        (),
        (),
        [("author", "the blockade will almost certainly last until the rains.", None, None)],
    ),
]


@pytest.mark.parametrize(("lang", "text", "per", "org", "expected"), CASES)
def test_attribution_cases(
    lang: str,
    text: str,
    per: tuple[str, ...],
    org: tuple[str, ...],
    expected: list[tuple[str, str, str | None, str | None]],
) -> None:
    assert attributions(text, lang, per=per, org=org) == expected


def test_roles() -> None:
    text = (
        "Le ministre des Affaires étrangères, Abdoulaye Diop, a "
        "déclaré que la coopération continuera."
    )
    (found,) = extract_attributions(analysis(text, per=DIOP))
    assert found.role == "ministre des Affaires étrangères"
    text = (
        "Le porte-parole du gouvernement, le colonel Abdoulaye "
        "Maïga, a déclaré que la transition durera."
    )
    (found,) = extract_attributions(analysis(text, per=("Abdoulaye Maïga",)))
    assert (found.source, found.role) == ("Abdoulaye Maïga", "porte-parole du gouvernement")
    text = "Defence minister Sadio Camara said troops were on their way."
    (found,) = extract_attributions(analysis(text, "en", per=("Sadio Camara",)))
    assert found.role == "Defence minister"
    (found,) = extract_attributions(analysis('"We will win this war," said the commander.', "en"))
    assert (found.kind, found.role) == ("person", "commander")


def test_spans_carry_document_and_part() -> None:
    text = "Selon l'ONU, plus de 2 000 civils ont fui la région."
    (found,) = extract_attributions(analysis(text), document_id="doc1", part="c7")
    assert (found.span.document_id, found.span.part) == ("doc1", "c7")
    assert found.cue is not None and (found.cue.document_id, found.cue.part) == ("doc1", "c7")
    assert all(a.kind in KINDS for a in extract_attributions(analysis(text)))


def test_other_languages_use_all_cues_and_else_the_author() -> None:
    text = "Selon des sources concordantes, dix civils ont été tués à Dioura."
    assert [a.kind for a in extract_attributions(analysis(text, "xx"))] == ["unnamed_sources"]
    text = "Die Armee hat die Stadt am Dienstag wieder eingenommen."
    assert [a.kind for a in extract_attributions(analysis(text, "de"))] == ["author"]


def test_capitals_and_elision_do_not_matter() -> None:
    text = "SELON DES SOURCES CONCORDANTES, DIX CIVILS ONT ÉTÉ TUÉS À DIOURA."
    assert [a.kind for a in extract_attributions(analysis(text))] == ["unnamed_sources"]
    text = "Un élu local, sous couvert d’anonymat, a affirmé qu’il y avait dix morts."
    assert attributions(text)[0][:2] == ("anonymous", "il y avait dix morts.")


# --- the lexicon --------------------------------------------------------------------


def test_user_lexicon_extends_the_bundled_one(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[fr]\nreporting_verbs = ["a tweeté"]\n', encoding="utf-8")
    text = "Le ministre a tweeté que la route de Gao était rouverte."
    assert [a.kind for a in extract_attributions(analysis(text))] == ["author"]
    lexicon = load_sourcing_lexicon(extra)
    found = extract_attributions(analysis(text), lexicon=lexicon)
    assert show(text, found) == [
        ("person", "la route de Gao était rouverte.", "Le ministre a tweeté", "Le ministre")
    ]
    # the bundled verbs are still there, with their other auxiliaries
    text = "Des militaires ont déclaré que la route de Gao était rouverte."
    assert [a.kind for a in extract_attributions(analysis(text), lexicon=lexicon)] == [
        "unnamed_sources"
    ]


@pytest.mark.parametrize(
    "content",
    [
        "[fr\nreporting_verbs = 1",
        '[fr]\nverbes = ["a dit"]\n',
        "[fr]\nreporting_verbs = 3\n",
        '[fr]\nreporting_verbs = ["", "a dit"]\n',
        'reporting_verbs = ["a dit"]\n',
        '["Français"]\nroles = ["chef"]\n',
    ],
)
def test_bad_lexicon_is_one_line_naming_the_file(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_sourcing_lexicon(bad)
    assert str(bad) in str(info.value) and "\n" not in str(info.value)


def test_missing_lexicon_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such"):
        load_sourcing_lexicon(tmp_path / "absent.toml")


@pytest.mark.parametrize("text", ["L’armée", "İstanbul ŒUVRE", "ﬁn du Ramadan", "a\u0301b", "😀 x"])
def test_fold_keeps_offsets(text: str) -> None:
    assert len(fold(text)) == len(text)


# --- hostile input ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n ",
        "Bravo",
        "😀😀😀 🇲🇱",
        "Selon 😀, 🔥🔥🔥 a déclaré 💥 que 💣.",
        "Selon le ministre, الجيش المالي سيطر على المدينة بالكامل اليوم.",
        "LES JIHADISTES, A INDIQUÉ LE MINISTRE, CONTRÔLENT LA VILLE.",
        "« « « a déclaré », », » selon , , , que que",
        "a déclaré",
        "selon",
        ", a déclaré",
    ],
)
def test_hostile_input_does_not_raise(text: str) -> None:
    for lang in ("fr", "en", "xx"):
        for split in (True, False):
            for found in extract_attributions(analysis(text, lang, split=split)):
                assert 0 <= found.span.start < found.span.end <= len(text)


def test_bad_offsets_from_an_analysis_are_clamped() -> None:
    text = "Selon l'ONU, plus de 2 000 civils ont fui la région."
    ta = TextAnalysis(text, "fr", ((-5, 10_000), (40, 20)), (Entity(500, 600, "PER", "x"),))
    assert [a.kind for a in extract_attributions(ta)] == ["organisation"]


def test_a_megabyte_in_bounded_time() -> None:
    unit = (
        "« Nous ne céderons pas », a affirmé le ministre, selon une source sécuritaire qui "
        "a requis l'anonymat. Les jihadistes, a-t-il dit, contrôlent la route. "
    )
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    hostile = [
        analysis(text),
        analysis(text, split=False),
        TextAnalysis("a" * 1_000_000, "fr", ((0, 1_000_000),), ()),
        TextAnalysis("a déclaré " * 100_000, "fr", ((0, 1_000_000),), ()),
        TextAnalysis('"«a » , a déclaré ' * 55_000, "fr", ((0, 990_000),), ()),
        TextAnalysis("selon, , , said , , " * 50_000, "en", ((0, 1_000_000),), ()),
    ]
    for ta in hostile:
        started = time.perf_counter()
        extract_attributions(ta)
        assert time.perf_counter() - started < 10, ta.text[:40]


# --- through the real models (few: loading them takes seconds) ---------------------


def real(models: Models, text: str, lang: str) -> list[tuple[str, str, str | None, str | None]]:
    return show(text, extract_attributions(models.analyse(text, lang)))


def test_real_quotation_spanning_sentences(models: Models) -> None:
    text = (
        "« Nous ne céderons pas. Le pays sera libéré », a affirmé le ministre des Affaires "
        "étrangères, Abdoulaye Diop. Il a ajouté que la coopération avec la Russie continuera."
    )
    found = real(models, text, "fr")
    assert [(k, s) for k, _c, _q, s in found] == [("person", "Abdoulaye Diop")] * 3
    assert "Nous ne céderons pas." in found[0][1]


def test_real_person_organisation_anonymous(models: Models) -> None:
    text = (
        "Selon l'ONU, plus de 2 000 civils ont fui la région de Ménaka. "
        "Le ministre Abdoulaye Diop a déclaré que le Mali ne cédera pas. "
        "Un responsable de l'armée, sous couvert d'anonymat, a affirmé que la base était "
        "encerclée. La situation reste très tendue dans le centre du pays."
    )
    kinds = [k for k, *_ in real(models, text, "fr")]
    assert kinds == ["organisation", "person", "anonymous", "author"]


def test_real_english(models: Models) -> None:
    text = (
        "The UN said on Tuesday that aid deliveries were blocked. Residents said gunfire "
        "lasted for several hours. Analysts say the group is expanding its reach. "
        "The junta said in a statement that order had been restored. Is the town safe?"
    )
    kinds = [k for k, *_ in real(models, text, "en")]
    assert kinds == ["organisation", "unnamed_sources", "unnamed_experts", "official_statement"]


def test_real_hostile(models: Models) -> None:
    for text, lang in [
        ("Selon le ministre, الجيش المالي سيطر على المدينة. 😀🔥", "fr"),
        ("LES JIHADISTES, SELON UNE SOURCE SÉCURITAIRE, CONTRÔLENT LA VILLE DE GAO.", "fr"),
        ("lol", "en"),
        ("", "fr"),
    ]:
        for found in extract_attributions(models.analyse(text, lang)):
            assert 0 <= found.span.start < found.span.end <= len(text)
