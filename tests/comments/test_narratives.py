"""Narratives of comment sections: named ones from the knowledge file (real sentence
encoder), unnamed groups of recurring claims, blame, rebuttals, weekly volume, quotes
with their provenance. The comments are written for the project in the tone of Sahelian
news comment sections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tocsin.comments.narrative_knowledge import load_narratives
from tocsin.comments.narratives import clause_spans
from tocsin.comments.reading import Part, Thread, read_parts
from tocsin.comments.summary import summarise
from tocsin.errors import ConfigError
from tocsin.models import CommentScores

MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)  # ISO week 2025-W45


def no_labels(texts: Sequence[str]) -> list[CommentScores]:
    return [CommentScores(0.0, 0.0, 0.0, ("none",)) for _ in texts]


def read(comments: Sequence[tuple[str, str]], **kw: object) -> Thread:
    parts = [
        Part("d1", f"c{i}", text, lang, MONDAY + timedelta(days=i % 10), "Le Sahel Libre", "ML")
        for i, (lang, text) in enumerate(comments)
    ]
    return read_parts(parts, classify=no_labels, **kw)  # type: ignore[arg-type]


# (language, comment, narratives it says, narratives it rebuts)
CASES: list[tuple[str, str, set[str], set[str]]] = [
    (
        "fr",
        "Tout le monde sait que c'est la France qui arme ces terroristes !!!",
        {"foreign_hand"},
        set(),
    ),
    (
        "fr",
        "Ce n'est ni la France ni la Russie, c'est l'Algérie qui laisse passer les armes et "
        "le carburant des jihadistes par le nord.",
        {"foreign_hand"},
        set(),
    ),
    (
        "fr",
        "Les Occidentaux veulent notre uranium, voilà pourquoi ils entretiennent le chaos au "
        "Sahel.",
        {"foreign_hand"},
        set(),
    ),
    (
        "fr",
        "Qui fournit les motos et les kalachs aux bandits ? Cherchez à qui profite le crime "
        ": Paris, comme toujours.",
        {"foreign_hand"},
        set(),
    ),
    (
        "en",
        "Wake up people, Moscow planned this blockade to keep the junta dependent on Wagner.",
        {"foreign_hand"},
        set(),
    ),
    (
        "en",
        "France has been arming these terrorists since 2012, everybody in Bamako knows it.",
        {"foreign_hand"},
        set(),
    ),
    (
        "fr",
        "La France n'arme pas les terroristes, arrêtez avec ces histoires.",
        set(),
        {"foreign_hand"},
    ),
    (
        "fr",
        "Des preuves ? Aucune preuve, juste des rumeurs : la France n'a rien à voir avec les "
        "jihadistes.",
        set(),
        {"foreign_hand"},
    ),
    (
        "fr",
        "Il faut expulser tous ces étrangers qui achètent notre carburant au marché noir "
        "pour le revendre.",
        {"close_borders", "fuel_shortage_blame"},
        set(),
    ),
    ("fr", "Fermez la frontière avec la Guinée tant que ça dure.", {"close_borders"}, set()),
    ("fr", "Qu'ils rentrent chez eux, on n'a déjà pas assez pour nous.", {"close_borders"}, set()),
    ("en", "Deport them all, enough is enough.", {"close_borders"}, set()),
    (
        "en",
        "Close the borders with Niger and Burkina before it is too late.",
        {"close_borders"},
        set(),
    ),
    ("fr", "Nos dirigeants nous mentent depuis le début.", {"government_failure"}, set()),
    (
        "fr",
        "Trois ans de transition et on n'a ni sécurité ni essence, la junte a échoué sur "
        "toute la ligne.",
        {"government_failure"},
        set(),
    ),
    (
        "en",
        "The junta promised to defeat the jihadists in months, look where we are now.",
        {"government_failure"},
        set(),
    ),
    (
        "fr",
        "Le gouvernement nous cache le vrai nombre de morts sur la route de Kati.",
        {"government_failure"},
        set(),
    ),
    (
        "fr",
        "Les gérants de stations gardent l'essence pour leurs amis et vendent le reste au "
        "double du prix.",
        {"fuel_shortage_blame"},
        set(),
    ),
    (
        "fr",
        "Le litre est à 1500 au marché noir pendant que les pompes sont vides, cherchez l'erreur.",
        {"fuel_shortage_blame"},
        set(),
    ),
    (
        "en",
        "Speculators are sitting on thousands of litres while we queue all night.",
        {"fuel_shortage_blame"},
        set(),
    ),
    (
        "fr",
        "Les Peuls renseignent les terroristes, tout le monde le sait à Mopti.",
        {"outsiders_blamed"},
        set(),
    ),
    (
        "fr",
        "Ce sont les Touaregs qui cachent les assaillants dans leurs campements.",
        {"outsiders_blamed"},
        set(),
    ),
    (
        "en",
        "The Fulani herders are the eyes and ears of the jihadists.",
        {"outsiders_blamed"},
        set(),
    ),
    (
        "fr",
        "Il est temps de dialoguer avec les groupes armés, la guerre ne mène à rien.",
        {"peace_talks"},
        set(),
    ),
    (
        "en",
        "Let the religious leaders negotiate with JNIM, the guns have solved nothing.",
        {"peace_talks"},
        set(),
    ),
    ("fr", "Ce torchon ne vit que de la peur des gens.", {"media_distrust"}, set()),
    (
        "fr",
        "Encore un article alarmiste sans aucune source vérifiable, arrêtez d'affoler les gens.",
        {"media_distrust"},
        set(),
    ),
    # no narrative: testimony, grief, questions, counter-speech without the claim
    ("fr", "Ma fille est en terminale, cela fait déjà une semaine sans cours.", set(), set()),
    (
        "fr",
        "Courage à vous et à vos collègues. Vous êtes les vrais héros de cette crise.",
        set(),
        set(),
    ),
    ("fr", "Triste.", set(), set()),
    (
        "fr",
        "Je suis chauffeur sur l'axe Diboli–Kayes–Bamako depuis onze ans. Depuis septembre "
        "on roule en convoi.",
        set(),
        set(),
    ),
    ("fr", "Le plus inquiétant pour moi, c'est l'électricité.", set(), set()),
    ("en", "Our thoughts are with the drivers and their families.", set(), set()),
    ("fr", "Lamine, ma mère est guinéenne et elle vit à Bamako depuis quarante ans.", set(), set()),
    (
        "fr",
        "Les soldats français sont partis depuis 2022. À un moment il faudra arrêter "
        "d'accuser les autres.",
        set(),
        set(),
    ),
    ("fr", "Que Dieu protège le Mali et ses habitants.", set(), set()),
    (
        "fr",
        "Pour ceux qui veulent des faits : l'armée a confirmé hier l'attaque près de Kati.",
        set(),
        set(),
    ),
    ("en", "Is there any reliable figure on how many tankers have made it through?", set(), set()),
    ("fr", "Le prix du pain a encore augmenté ce matin à Sikasso.", set(), set()),
    (
        "fr",
        "Nos frères guinéens et nigérians font la queue avec nous aux mêmes stations.",
        set(),
        set(),
    ),
    ("fr", "On peut débattre sans insulter.", set(), set()),
    ("fr", "C'est justement la division qui arrange les terroristes.", set(), set()),
    ("fr", "Paix aux âmes des chauffeurs tombés sur la route de Kolokani.", set(), set()),
    ("en", "Stay safe everyone in Kayes, the roads are terrible this week.", set(), set()),
    ("fr", "Bravo aux FAMa qui escortent les citernes malgré le danger.", set(), set()),
    (
        "fr",
        "Mon cousin a mis deux jours pour venir de Ségou, les cars ne partent plus.",
        set(),
        set(),
    ),
    ("fr", "", set(), set()),
    ("fr", "🙏🙏", set(), set()),
    ("ar", "اللهم احفظ مالي وأهلها", set(), set()),
]


def test_named_narratives_of_written_comments() -> None:
    thread = read([(lang, text) for lang, text, _, _ in CASES], groups=False)
    got = [
        (
            text,
            {s.narrative_id for s in r.said if not s.rebuttal},
            {s.narrative_id for s in r.said if s.rebuttal},
        )
        for (_, text, _, _), r in zip(CASES, thread.readings, strict=True)
    ]
    assert got == [(text, says, rebuts) for _, text, says, rebuts in CASES]


def test_counts_blame_quotes_and_weeks() -> None:
    comments = [
        ("fr", "Tout le monde sait que c'est la France qui arme ces terroristes !!!"),
        ("fr", "Ce n'est ni la France ni la Russie, c'est l'Algérie qui laisse passer les armes."),
        ("en", "France has been arming these terrorists since 2012, everybody in Bamako knows it."),
        ("fr", "La France n'arme pas les terroristes, arrêtez avec ces histoires."),
        ("fr", "Courage aux chauffeurs. Il faut fermer les frontières, expulsez les clandestins !"),
    ]
    summary = summarise(read(comments, groups=False), scope="document", key="d1")
    foreign, borders = summary.narratives
    assert (foreign.id, foreign.named, foreign.comments, foreign.distinct, foreign.rebuttals) == (
        "foreign_hand", True, 3, 3, 1,
    )  # fmt: skip
    assert foreign.name == "A foreign power is behind the armed groups"
    assert foreign.weeks == (("2025-W45", 3),)
    assert foreign.blamed == (("france", "France", 2), ("algeria", "Algeria", 1))
    assert [q.part for q in foreign.quotes] == ["c0", "c1", "c2"]  # the best-matching first
    assert (borders.id, borders.comments, borders.blamed) == (
        "close_borders", 1, (("migrants", "Migrants", 1),),
    )  # fmt: skip
    quote = borders.quotes[0]
    assert (quote.document_id, quote.part, quote.language) == ("d1", "c4", "fr")
    assert comments[4][1][quote.start : quote.end] == quote.text
    assert quote.text == "Il faut fermer les frontières, expulsez les clandestins !"


def test_an_article_body_counts_as_an_article() -> None:
    body = Part(
        "d1", "body", "Le carburant se vend au marché noir à 1 500 francs le litre, selon des "
        "transporteurs. Les spéculateurs stockent l'essence pour faire monter les prix.",
        "fr", MONDAY, "Le Sahel Libre", "ML",
    )  # fmt: skip
    comment = Part(
        "d1", "c1", "Les stations cachent l'essence pour la revendre au marché noir.", "fr",
        MONDAY, "Le Sahel Libre", "ML",
    )  # fmt: skip
    summary = summarise(read_parts([body, comment], classify=no_labels), scope="document", key="d1")
    (found,) = summary.narratives
    assert (found.id, found.comments, found.articles) == ("fuel_shortage_blame", 1, 1)
    assert [q.part for q in found.quotes] == ["c1", "body", "body"]  # comments first
    assert summary.comments == 1


def test_recurring_claims_no_narrative_names_become_an_unnamed_one() -> None:
    comments = [
        ("fr", "Le courant est coupé douze heures par jour dans notre quartier de Bamako."),
        ("fr", "Chez nous à Bamako, l'électricité est coupée douze heures par jour."),
        ("en", "In Bamako the power is cut twelve hours a day in our neighbourhood."),
        ("fr", "Le courant est coupé douze heures par jour dans notre quartier de Bamako."),
        ("fr", "Ma fille est en terminale, cela fait déjà une semaine sans cours."),
        ("fr", "Merci pour cet article."),
    ]
    summary = summarise(read(comments), scope="document", key="d1")
    (group,) = summary.narratives
    assert not group.named and group.id.startswith("unnamed-")
    assert (group.comments, group.distinct) == (4, 3)
    assert group.name in {text for _, text in comments[:3]}  # its most central sentence
    assert summary.repeated == ()  # posted twice only


def test_bodies_of_hostile_and_empty_text_are_read_without_error() -> None:
    huge = "Il faut expulser les étrangers. " + "bla " * 300_000
    comments = [
        ("fr", ""),
        ("fr", "🙏"),
        ("fr", huge),
        ("ar", "مالي ✊ Mali vaincra 🇲🇱"),
        ("fr", "\x00\u202e"),
    ]
    thread = read(comments)
    assert [r.part.part for r in thread.readings] == ["c0", "c1", "c2", "c3", "c4"]
    (said,) = thread.readings[2].said
    assert (said.narrative_id, said.quote.text) == (
        "close_borders",
        "Il faut expulser les étrangers.",
    )


def test_clauses_and_what_a_negated_clause_blames() -> None:
    text = "Le marché noir est tenu par des réseaux bien de chez nous, pas par « les étrangers »."
    assert [text[s:e] for s, e in clause_spans(text)] == [
        "Le marché noir est tenu par des réseaux bien de chez nous",
        " pas par « les étrangers ».",
    ]
    (said,) = read([("fr", text)]).readings[0].said
    assert (said.narrative_id, said.blamed) == ("fuel_shortage_blame", ())


def test_a_users_narratives_file_adds_to_ours(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        """
[[narrative]]
id = "school_closures"
name_en = "Schools stay closed"
name_fr = "Les écoles restent fermées"
blames = ["government-*"]
[narrative.seeds]
fr = ["Nos enfants ne vont plus à l'école depuis des semaines."]

[[party]]
id = "foreigners"
name_en = "Foreigners"
name_fr = "Les étrangers"
aliases = ["les gens d'ailleurs"]

[counter]
en = ["nonsense"]
""",
        encoding="utf-8",
    )
    knowledge = load_narratives(extra)
    assert [n.id for n in knowledge.narratives][-2:] == ["media_distrust", "school_closures"]
    party = knowledge.party("foreigners")
    assert party is not None and party.aliases[0] == "les gens d'ailleurs"
    assert "étrangers" in party.aliases
    assert ("en", "nonsense") in knowledge.counter


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[narrative]]\nid = 'x'\n", "name_en is missing"),
        ("[[narrative]]\nid = 'x'\nname_en = 'a'\nname_fr = 'b'\n", "no seeds"),
        ("[[narrative]]\nid = 'Bad Id'\n", "id must be lower case"),
        ("[stuff]\n", "unknown table(s) stuff"),
        (
            "[[party]]\nid = 'p'\nname_en = 'a'\nname_fr = 'b'\naliases = 'x'\n",
            "aliases must be a list",
        ),
        ("[[narrative]\n", "fix the TOML syntax"),
    ],
)
def test_a_broken_narratives_file_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_narratives(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)
