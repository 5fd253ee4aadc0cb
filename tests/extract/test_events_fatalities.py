"""Fatalities: killed counts of a clause, French and English, coded the ACLED way."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tocsin.errors import ConfigError
from tocsin.extract.events.fatalities import Fatalities, find_fatalities
from tocsin.extract.events.fatality_lexicon import FatalityLexicon, load_fatality_lexicon
from tocsin.extract.events.figures import parse_count

LEXICON = load_fatality_lexicon()


def killed(text: str, lang: str) -> Fatalities | None:
    return find_fatalities(text, lang=lang, lexicon=LEXICON)


def expected(text: str, found: tuple[int, int | None, int | None, str] | None) -> Fatalities | None:
    """The whole result, its offsets where the quoted words first occur in the text."""
    if found is None:
        return None
    best, low, high, quote = found
    start = text.index(quote)
    return Fatalities(best, low, high, quote, start, start + len(quote))


# --- the table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "found"),
    [
        # French: digits, number words, vague figures, bounds
        (
            "fr",
            "Trois soldats ont été tués lors de l'attaque.",
            (3, None, None, "Trois soldats ont été tués"),
        ),
        (
            "fr",
            "Des hommes armés ont tué trois soldats près de Gao.",
            (3, None, None, "ont tué trois"),
        ),
        (
            "fr",
            "L'explosion a fait une dizaine de morts.",
            (10, None, None, "une dizaine de morts"),
        ),
        ("fr", "Le bilan est de 14 morts.", (14, None, None, "bilan est de 14 morts")),
        (
            "fr",
            "Vingt-sept civils ont été exécutés.",
            (27, None, None, "Vingt-sept civils ont été exécutés"),
        ),
        (
            "fr",
            "Quatre-vingt-six personnes ont péri dans l'attaque.",
            (86, None, None, "Quatre-vingt-six personnes ont péri"),
        ),
        (
            "fr",
            "Soixante et onze villageois ont été massacrés.",
            (71, None, None, "Soixante et onze villageois ont été massacrés"),
        ),
        (
            "fr",
            "Cent vingt personnes ont perdu la vie.",
            (120, None, None, "Cent vingt personnes ont perdu la vie"),
        ),
        (
            "fr",
            "Deux cents civils ont été tués.",
            (200, None, None, "Deux cents civils ont été tués"),
        ),
        (
            "fr",
            "L'attaque a coûté la vie à 1 200 personnes.",
            (1200, None, None, "a coûté la vie à 1 200"),
        ),
        (
            "fr",
            "Une quinzaine de personnes ont été tuées.",
            (15, None, None, "Une quinzaine de personnes ont été tuées"),
        ),
        (
            "fr",
            "Une vingtaine de soldats sont morts.",
            (20, None, None, "Une vingtaine de soldats sont morts"),
        ),
        (
            "fr",
            "Une trentaine d'assaillants ont été neutralisés.",
            (30, None, None, "Une trentaine d'assaillants ont été neutralisés"),
        ),
        (
            "fr",
            "Une centaine de personnes ont été tuées.",
            (100, None, None, "Une centaine de personnes ont été tuées"),
        ),
        (
            "fr",
            "Des dizaines de civils ont été massacrés.",
            (10, None, None, "Des dizaines de civils ont été massacrés"),
        ),
        (
            "fr",
            "Plusieurs dizaines de personnes ont péri.",
            (10, None, None, "Plusieurs dizaines de personnes ont péri"),
        ),
        (
            "fr",
            "Des centaines de villageois ont été tués.",
            (100, None, None, "Des centaines de villageois ont été tués"),
        ),
        (
            "fr",
            "Plusieurs soldats ont été tués.",
            (10, None, None, "Plusieurs soldats ont été tués"),
        ),
        (
            "fr",
            "Au moins 12 personnes ont été tuées.",
            (12, 12, None, "Au moins 12 personnes ont été tuées"),
        ),
        (
            "fr",
            "Jusqu'à 30 personnes auraient été tuées.",
            (30, None, 30, "Jusqu'à 30 personnes auraient été tuées"),
        ),
        (
            "fr",
            "Plus de 50 civils ont perdu la vie.",
            (50, 50, None, "Plus de 50 civils ont perdu la vie"),
        ),
        (
            "fr",
            "Entre 10 et 15 soldats ont été tués.",
            (10, 10, 15, "Entre 10 et 15 soldats ont été tués"),
        ),
        # French: alternatives, groups, unknown and zero
        (
            "fr",
            "L'attaque a fait 12 morts selon l'armée, 20 selon des sources locales.",
            (12, 12, 20, "12 morts selon l'armée, 20"),
        ),
        (
            "fr",
            "Sept soldats et 35 civils ont été tués.",
            (42, None, None, "Sept soldats et 35 civils ont été tués"),
        ),
        (
            "fr",
            "Trois soldats, deux gendarmes et cinq civils ont été tués.",
            (10, None, None, "Trois soldats, deux gendarmes et cinq civils ont été tués"),
        ),
        (
            "fr",
            "Quatre VDP et un nombre indéterminé de terroristes ont été tués.",
            (4, 4, None, "Quatre VDP et un nombre indéterminé de terroristes ont été tués"),
        ),
        (
            "fr",
            "Un nombre indéterminé d'assaillants ont été neutralisés.",
            (0, None, None, "Un nombre indéterminé d'assaillants ont été neutralisés"),
        ),
        ("fr", "L'attaque n'a pas fait de victime.", (0, None, None, "n'a pas fait de victime")),
        ("fr", "Aucune victime n'est à déplorer.", (0, None, None, "Aucune victime")),
        ("fr", "L'explosion n'a fait aucun mort.", (0, None, None, "aucun mort")),
        (
            "fr",
            "Les assaillants se sont retirés sans faire de victimes.",
            (0, None, None, "sans faire de victimes"),
        ),
        # French: what must not count (wounded, vehicles, dates, distances, years, parts)
        ("fr", "Douze blessés ont été évacués vers Gao.", None),
        ("fr", "Une quinzaine de citernes ont été incendiées.", None),
        (
            "fr",
            "Trois soldats ont été tués et 12 blessés.",
            (3, None, None, "Trois soldats ont été tués"),
        ),
        ("fr", "L'attaque a fait 3 morts et 12 blessés.", (3, None, None, "3 morts")),
        (
            "fr",
            "Le 14 septembre, trois soldats ont été tués à 30 km de Gao.",
            (3, None, None, "trois soldats ont été tués"),
        ),
        (
            "fr",
            "En 2012, une centaine de civils ont été tués.",
            (100, None, None, "une centaine de civils ont été tués"),
        ),
        (
            "fr",
            "12 personnes, dont 3 enfants, ont été tuées.",
            (12, None, None, "12 personnes, dont 3 enfants, ont été tuées"),
        ),
        # French: singular and plural without a figure, active verbs, bodies, tolls
        ("fr", "Un soldat a été tué.", (1, None, None, "Un soldat a été tué")),
        ("fr", "Le chef du village a été tué par balles.", (1, None, None, "tué")),
        ("fr", "Des civils ont été tués.", (0, None, None, "tués")),
        (
            "fr",
            "Les jihadistes ont tué un gendarme et deux civils.",
            (3, None, None, "ont tué un gendarme et deux"),
        ),
        (
            "fr",
            "Les assaillants ont enlevé cinq personnes et tué trois autres.",
            (3, None, None, "tué trois"),
        ),
        (
            "fr",
            "Les corps sans vie de 12 personnes ont été retrouvés.",
            (12, None, None, "corps sans vie de 12"),
        ),
        (
            "fr",
            "L'armée a neutralisé une dizaine de terroristes.",
            (10, None, None, "a neutralisé une dizaine de"),
        ),
        ("fr", "Deux drones abattus.", None),
        (
            "fr",
            "Le bilan s'élève à 14 morts et 20 blessés.",
            (14, None, None, "bilan s'élève à 14 morts"),
        ),
        ("fr", "Une embuscade a fait 12 morts, voire 20.", (12, 12, 20, "12 morts, voire 20")),
        ("fr", "Un mort et trois blessés.", (1, None, None, "Un mort")),
        (
            "fr",
            "Le convoi de 30 camions a été attaqué, trois chauffeurs tués.",
            (3, None, None, "trois chauffeurs tués"),
        ),
        (
            "fr",
            "Près de 50 personnes ont été tuées.",
            (50, None, None, "Près de 50 personnes ont été tuées"),
        ),
        ("fr", "L'attaque a fait de 12 à 15 morts.", (12, 12, 15, "de 12 à 15 morts")),
        ("fr", "Aucun soldat n'a été tué.", (0, None, None, "Aucun soldat n'a été tué")),
        ("fr", "Les hommes armés ont incendié le marché.", None),
        ("fr", "Un homme de 45 ans a été tué.", (1, None, None, "tué")),
        (
            "fr",
            "Cinq orpailleurs ont trouvé la mort dans l'attaque de 2019.",
            (5, None, None, "Cinq orpailleurs ont trouvé la mort"),
        ),
        (
            "fr",
            "Une cinquantaine de terroristes neutralisés, selon l'état-major.",
            (50, None, None, "Une cinquantaine de terroristes neutralisés"),
        ),
        (
            "fr",
            "Les assaillants ont visé le camp, faisant une dizaine de morts.",
            (10, None, None, "une dizaine de morts"),
        ),
        (
            "fr",
            "Depuis 2012, 3 000 civils ont été tués.",
            (3000, None, None, "3 000 civils ont été tués"),
        ),
        (
            "fr",
            "Trois jihadistes ont été abattus par l'armée.",
            (3, None, None, "Trois jihadistes ont été abattus"),
        ),
        ("fr", "On dénombre 12 décès.", (12, None, None, "12 décès")),
        # English: the same ground
        ("en", "12 drivers were killed in the ambush.", (12, None, None, "12 drivers were killed")),
        (
            "en",
            "Gunmen attacked the village, killing at least 86 civilians.",
            (86, 86, None, "killing at least 86"),
        ),
        (
            "en",
            "7 soldiers and 35 civilians were killed.",
            (42, None, None, "7 soldiers and 35 civilians were killed"),
        ),
        (
            "en",
            "4 VDP and an unknown number of militants were killed.",
            (4, 4, None, "4 VDP and an unknown number of militants were killed"),
        ),
        (
            "en",
            "An unknown number of militants were killed.",
            (0, None, None, "An unknown number of militants were killed"),
        ),
        ("en", "There were no casualties.", (0, None, None, "no casualties")),
        ("en", "No one was killed in the attack.", (0, None, None, "No one was killed")),
        ("en", "The army reported no fatalities.", (0, None, None, "no fatalities")),
        (
            "en",
            "Twenty-three people lost their lives.",
            (23, None, None, "Twenty-three people lost their lives"),
        ),
        (
            "en",
            "A hundred villagers were massacred.",
            (100, None, None, "A hundred villagers were massacred"),
        ),
        (
            "en",
            "One hundred and five people died.",
            (105, None, None, "One hundred and five people died"),
        ),
        ("en", "Dozens of people were killed.", (12, None, None, "Dozens of people were killed")),
        ("en", "A dozen soldiers died.", (12, None, None, "A dozen soldiers died")),
        ("en", "Hundreds were killed.", (100, None, None, "Hundreds were killed")),
        ("en", "Several soldiers were killed.", (10, None, None, "Several soldiers were killed")),
        (
            "en",
            "Between 10 and 15 people were killed.",
            (10, 10, 15, "Between 10 and 15 people were killed"),
        ),
        (
            "en",
            "Up to 30 people may have been killed.",
            (30, None, 30, "Up to 30 people may have been killed"),
        ),
        (
            "en",
            "More than 1,200 people have died.",
            (1200, 1200, None, "More than 1,200 people have died"),
        ),
        ("en", "Five people perished in the fire.", (5, None, None, "Five people perished")),
        ("en", "The clashes caused 30 deaths.", (30, None, None, "30 deaths")),
        ("en", "Twelve people were found dead.", (12, None, None, "Twelve people were found dead")),
        (
            "en",
            "The army said it neutralised dozens of militants.",
            (12, None, None, "neutralised dozens of"),
        ),
        # English: what must not count
        (
            "en",
            "Three soldiers were killed and 12 wounded.",
            (3, None, None, "Three soldiers were killed"),
        ),
        ("en", "3 soldiers were wounded.", None),
        (
            "en",
            "Three people were killed on 14 September.",
            (3, None, None, "Three people were killed"),
        ),
        (
            "en",
            "In 2012, a dozen soldiers were killed 30 km from Gao.",
            (12, None, None, "a dozen soldiers were killed"),
        ),
        (
            "en",
            "12 people, including 3 children, were killed.",
            (12, None, None, "12 people, including 3 children, were killed"),
        ),
        (
            "en",
            "12 people, 3 of whom were children, were killed.",
            (12, None, None, "12 people, 3 of whom were children, were killed"),
        ),
        # English: alternatives, tolls, objects of active verbs
        (
            "en",
            "The attack killed 12 soldiers, according to the army; local sources said 20.",
            (12, 12, 20, "killed 12 soldiers, according to the army; local sources said 20"),
        ),
        ("en", "The death toll rose to 30.", (30, None, None, "death toll rose to 30")),
        (
            "en",
            "Officials said 12 soldiers died; residents put the toll at 20.",
            (12, 12, 20, "12 soldiers died; residents put the toll at 20"),
        ),
        ("en", "Three gunmen killed the village chief.", (0, None, None, "killed")),
        ("en", "A soldier was killed.", (1, None, None, "A soldier was killed")),
        (
            "en",
            "Gunmen killed a soldier and two civilians.",
            (3, None, None, "killed a soldier and two"),
        ),
        ("en", "The bodies of 12 men were found.", (12, None, None, "The bodies of 12")),
        ("en", "12 bodies were found near the well.", (12, None, None, "12 bodies")),
        ("en", "A suicide bomber killed 12 and wounded 30.", (12, None, None, "killed 12")),
        ("en", "The army neutralised 12 terrorists.", (12, None, None, "neutralised 12")),
        ("en", "Fifteen tankers were burned.", None),
        ("en", "No soldiers were killed.", (0, None, None, "No soldiers were killed")),
        ("en", "A few civilians died.", (3, None, None, "A few civilians died")),
        ("en", "Clashes left 12-15 dead.", (12, 12, 15, "12-15 dead")),
        ("en", "Houses were looted and cattle stolen.", None),
        (
            "en",
            "Two gunmen attacked Gao and 12 people were killed.",
            (12, None, None, "12 people were killed"),
        ),
        (
            "en",
            "Soldiers killed more than a dozen militants.",
            (12, 12, None, "killed more than a dozen"),
        ),
        (
            "en",
            "Eighteen peacekeepers lost their lives in the attack.",
            (18, None, None, "Eighteen peacekeepers lost their lives"),
        ),
    ],
)
def test_killed_count(
    lang: str, text: str, found: tuple[int, int | None, int | None, str] | None
) -> None:
    assert killed(text, lang) == expected(text, found)


# --- the clause inside a text ---------------------------------------------------------


def test_offsets_are_in_the_text_given() -> None:
    text = "Hier, 3 soldats ont été blessés. Aujourd'hui, deux civils ont été tués à Gao."
    start = text.index("Aujourd'hui")
    found = find_fatalities(text, lang="fr", lexicon=LEXICON, start=start)
    quote = "deux civils ont été tués"
    at = text.index(quote)
    assert found == Fatalities(2, None, None, quote, at, at + len(quote))


def test_only_the_clause_counts() -> None:
    text = "Deux civils ont été tués. Trois soldats ont été blessés."
    start = text.index("Trois")
    assert find_fatalities(text, lang="fr", lexicon=LEXICON, start=start) is None
    end = text.index(" ont été tués")  # the death word is cut off
    assert find_fatalities(text, lang="fr", lexicon=LEXICON, end=end) is None
    assert find_fatalities(text, lang="fr", lexicon=LEXICON, start=10, end=5) is None


@pytest.mark.parametrize(("lang", "answer"), [("fr-FR", 3), ("FR", 3), ("fr_BE", 3), ("ar", None)])
def test_languages(lang: str, answer: int | None) -> None:
    found = killed("Trois soldats ont été tués.", lang)
    assert (found.best if found else None) == answer


def test_other_apostrophes_and_spaces() -> None:
    text = "L’attaque a coûté la vie à 1 200 personnes."
    quote = "a coûté la vie à 1 200"
    assert killed(text, "fr") == expected(text, (1200, None, None, quote))


# --- figures alone ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words", "value"),
    [
        ("fr", "vingt-trois", (23, None, None)),
        ("fr", "vingt et un", (21, None, None)),
        ("fr", "quatre-vingt-six", (86, None, None)),
        ("fr", "quatre-vingt-dix-sept", (97, None, None)),
        ("fr", "soixante et onze", (71, None, None)),
        ("fr", "soixante-dix-huit", (78, None, None)),
        ("fr", "cent vingt", (120, None, None)),
        ("fr", "deux cents", (200, None, None)),
        ("fr", "mille deux cents", (1200, None, None)),
        ("fr", "trois mille cinq cents", (3500, None, None)),
        ("fr", "1 200", (1200, None, None)),
        ("fr", "1.200", (1200, None, None)),
        ("fr", "une dizaine", (10, None, None)),
        ("fr", "une quinzaine de", (15, None, None)),
        ("fr", "une vingtaine", (20, None, None)),
        ("fr", "une trentaine", (30, None, None)),
        ("fr", "une centaine", (100, None, None)),
        ("fr", "des dizaines", (10, None, None)),
        ("fr", "plusieurs dizaines", (10, None, None)),
        ("fr", "des centaines", (100, None, None)),
        ("fr", "plusieurs", (10, None, None)),
        ("fr", "au moins 12", (12, 12, None)),
        ("fr", "plus d'une dizaine", (10, 10, None)),
        ("fr", "jusqu'à 30", (30, None, 30)),
        ("fr", "entre 10 et 15", (10, 10, 15)),
        ("fr", "15 à 10", (10, 10, 15)),
        ("fr", "un nombre indéterminé de", (0, None, None)),
        ("en", "twenty-three", (23, None, None)),
        ("en", "a hundred", (100, None, None)),
        ("en", "one hundred and five", (105, None, None)),
        ("en", "two thousand", (2000, None, None)),
        ("en", "1,200", (1200, None, None)),
        ("en", "a dozen", (12, None, None)),
        ("en", "dozens", (12, None, None)),
        ("en", "hundreds", (100, None, None)),
        ("en", "several", (10, None, None)),
        ("en", "a few", (3, None, None)),
        ("en", "at least 12", (12, 12, None)),
        ("en", "more than a hundred", (100, 100, None)),
        ("en", "up to 12", (12, None, 12)),
        ("en", "some 40", (40, None, None)),
        ("en", "between 10 and 15", (10, 10, 15)),
        ("en", "between ten and fifteen", (10, 10, 15)),
        ("en", "an unknown number of", (0, None, None)),
        # not figures
        ("fr", "trois vingt", None),
        ("fr", "soldats", None),
        ("fr", "3,5", None),
        ("fr", "12e", None),
        ("en", "", None),
        ("en", "at least", None),
        ("de", "zwölf", None),
    ],
)
def test_parse_count(
    lang: str, words: str, value: tuple[int, int | None, int | None] | None
) -> None:
    assert parse_count(words, lang=lang, lexicon=LEXICON) == value


# --- properties ---------------------------------------------------------------------------


def check(found: Fatalities | None, text: str, start: int, end: int) -> None:
    if found is None:
        return
    assert found.best >= 0
    assert found.low is None or found.low <= found.best
    assert found.high is None or found.high >= found.best
    assert start <= found.start <= found.end <= end
    assert found.text == text[found.start : found.end]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(max_size=300), st.sampled_from(["fr", "en"]), st.integers(-5, 320), st.integers(-5, 320)
)
def test_any_text(text: str, lang: str, start: int, end: int) -> None:
    found = find_fatalities(text, lang=lang, lexicon=LEXICON, start=start, end=end)
    lo = max(0, min(start, len(text), max(0, end)))
    check(found, text, lo, max(lo, min(end, len(text))))


FRAGMENTS = [
    "12",
    "1 200",
    "1,200",
    "2012",
    "trois",
    "vingt-trois",
    "quatre-vingt",
    "une dizaine de",
    "des dizaines de",
    "au moins",
    "plus de",
    "jusqu'à",
    "entre",
    "et",
    "ou",
    "à",
    "de",
    ",",
    ".",
    "dont",
    "selon",
    "voire",
    "soldats",
    "civils",
    "ont été",
    "tués",
    "tué",
    "morts",
    "mort",
    "blessés",
    "km",
    "le 14 septembre",
    "en",
    "aucune victime",
    "un nombre indéterminé de",
    "killed",
    "killing",
    "were",
    "dead",
    "wounded",
    "at least",
    "a dozen",
    "dozens of",
    "and",
    "no casualties",
    "according to",
    "including",
    "the",
    "a",
    "one hundred and",
    "toll",
    "bilan",
    "ont tué",
    "a été tué",
    "sans faire de victimes",
    "neutralisés",
    "corps sans vie de",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40), st.sampled_from(["fr", "en"]))
def test_any_mix_of_the_words_that_matter(words: list[str], lang: str) -> None:
    text = " ".join(words)
    check(killed(text, lang), text, 0, len(text))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 999_999), st.sampled_from(["", " ", " ", ","]))
def test_any_figure_in_digits(n: int, separator: str) -> None:
    digits = f"{n:,}".replace(",", separator)
    fr = f"Au total, {digits} soldats ont été tués."
    en = f"The attack killed {digits} people."
    assert killed(fr, "fr") == expected(fr, (n, None, None, f"{digits} soldats ont été tués"))
    assert killed(en, "en") == expected(en, (n, None, None, f"killed {digits}"))


@pytest.mark.parametrize(
    "text",
    [
        ("12 tués " * 3000)[:20000],
        ("tués,12," * 3000)[:20000],
        ("1 " * 10000)[:20000],
        ("vingt-" * 4000)[:20000] + " morts",
        ("a " * 10000)[:20000] + " killed",
        "x" * 20000,
        (
            "Le 14 septembre, des hommes armés ont attaqué Boni, tuant au moins 12 civils et "
            "blessant 8 autres selon des sources locales. L'armée a neutralisé une dizaine de "
            "terroristes et détruit une quinzaine de motos. "
        )
        * 80,
    ],
)
def test_a_long_clause_in_bounded_time(text: str) -> None:
    for lang in ("fr", "en"):
        killed(text, lang)  # warm
        times = []
        for _ in range(3):
            started = time.perf_counter()
            check(killed(text, lang), text, 0, len(text))
            times.append(time.perf_counter() - started)
        assert min(times) < 0.05  # a few ms on an idle machine


# --- the lexicon is data ----------------------------------------------------------------


def test_user_file_extends_the_lexicon(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        """
[fr]
vague = { "des dizaines" = 20 }
people = ["pêcheurs"]

[[fr.death]]
count = "before"
words = ["victimes"]
""",
        encoding="utf-8",
    )
    mine = load_fatality_lexicon(extra)
    assert isinstance(mine, FatalityLexicon) and mine.sources[-1] == extra
    text = "L'attaque a fait 12 victimes."
    assert killed(text, "fr") is None
    assert find_fatalities(text, lang="fr", lexicon=mine) == expected(
        text, (12, None, None, "12 victimes")
    )
    text = "Des dizaines de pêcheurs ont été tués."
    assert find_fatalities(text, lang="fr", lexicon=mine) == expected(
        text, (20, None, None, text[:-1])
    )
    assert killed("Des civils ont été tués.", "fr") == find_fatalities(
        "Des civils ont été tués.", lang="fr", lexicon=mine
    )


def test_unstated_is_data(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text("[common]\nunstated = 3\n", encoding="utf-8")
    mine = load_fatality_lexicon(extra)
    text = "Des civils ont été tués."
    assert find_fatalities(text, lang="fr", lexicon=mine) == expected(text, (3, None, None, "tués"))


@pytest.mark.parametrize(
    "content",
    [
        "[fr\n",
        "[xx_yy]\nnumbers = {}\n",
        "[fr]\nnumbrs = { deux = 2 }\n",
        "[fr]\nnumbers = { deux = -2 }\n",
        "[fr]\nnumbers = { deux = true }\n",
        '[fr]\nnumbers = ["deux"]\n',
        '[fr]\nzero = "aucune victime"\n',
        '[fr]\nrange_pairs = [["entre"]]\n',
        '[[fr.death]]\nwords = ["tués"]\ncount = "around"\n',
        '[[fr.death]]\nwords = ["tués"]\nalone = 2\n',
        '[[fr.death]]\nwords = ["tués"]\ntotal = "yes"\n',
        '[[fr.death]]\nwords = ["tués"]\nwhen = 1\n',
        '[[fr.death]]\ncount = "before"\n',
        "[fr]\ndeath = 3\n",
        '[common]\nunstated = "none"\n',
        "[common]\nother = 1\n",
    ],
)
def test_bad_user_file_is_one_line_config_error(tmp_path: Path, content: str) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_fatality_lexicon(extra)
    message = str(info.value)
    assert str(extra) in message and "\n" not in message


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such"):
        load_fatality_lexicon(tmp_path / "absent.toml")


def test_default_lexicon_loads_once() -> None:
    assert load_fatality_lexicon() is load_fatality_lexicon()
    assert set(LEXICON.grammars) == {"fr", "en"}


# --- victims named without a figure, asides, the wounded, animals ----------------------


@pytest.mark.parametrize(
    ("lang", "text", "best"),
    [
        ("en", "Bandits killed a shepherd near the well.", 1),
        ("en", "Raiders shot dead a teacher and his daughter at dawn.", 2),
        ("en", "The blast went off, killing him instantly.", 1),
        ("en", "Gunmen killed a farmer and his three sons in the valley.", 4),
        ("en", "Gunmen killed a mayor of the region and their driver.", 2),
        ("en", "Gunmen killed the elders of the village.", 0),
        ("en", "Raiders executed them near the river.", 0),
        ("en", "Bandits killed a goat near the well.", 0),
        ("en", "Bandits killed three camels and a cow.", 0),
        ("en", "Gunmen killed 4 traders and wounding 6 others, fatalities disputed.", 4),
        ("en", "Rebels (seen at site 2) killed two guards in the market.", 2),
        ("en", "Raiders assassinated a judge in the capital.", 1),
        ("en", "The corpses of 9 fishermen were found on the bank.", 9),
        ("fr", "Des bandits ont tué un berger près du puits.", 1),
        ("fr", "Des assaillants ont exécuté un commerçant et son neveu.", 2),
        ("fr", "Ils ont abattu le chef de quartier et son fils à l'aube.", 2),
        ("fr", "Des hommes armés ont tué des villageois à l'aube.", 0),
        ("fr", "Des bandits ont tué une chèvre près du puits.", 0),
        ("fr", "Des rebelles (vus au site 2) ont tué deux gardes au marché.", 2),
        ("fr", "Les cadavres de 9 pêcheurs ont été retrouvés sur la berge.", 9),
    ],
)
def test_named_victims_and_asides(lang: str, text: str, best: int) -> None:
    found = killed(text, lang)
    assert found is not None and found.best == best


def test_wounded_are_never_added_to_the_killed() -> None:
    for lang, text in [
        ("en", "Militants raided the camp, killing 5 herders and wounding 7 others."),
        ("fr", "Des assaillants ont attaqué le camp, tuant 5 bergers et blessant 7 autres."),
    ]:
        found = killed(text, lang)
        assert found is not None and found.best == 5


def test_the_pronoun_victim_in_both_languages() -> None:
    for lang, text in [
        ("en", "A shell hit the hut, killing him on the spot."),
        ("fr", "Un obus a frappé la case, le tuant sur le coup."),
    ]:
        found = killed(text, lang)
        assert found is not None and found.best == 1
