"""Times: dates and forecast horizons, normalised against the publication date."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tocsin.errors import ConfigError
from tocsin.extract.nlp import Entity, TextAnalysis
from tocsin.extract.times.resolve import _add_months, extract_times, load_time_lexicon
from tocsin.models import TimeRef

PUB = date(2025, 10, 15)  # a Wednesday, ISO week 42


def analysis(text: str, lang: str = "fr", entities: tuple[Entity, ...] = ()) -> TextAnalysis:
    return TextAnalysis(text, lang, sentences=((0, len(text)),), entities=entities)


def times(text: str, lang: str = "fr", published: date | datetime | None = PUB) -> list[TimeRef]:
    return extract_times(analysis(text, lang), published=published, document_id="d1")


def found(text: str, lang: str = "fr", published: date | None = PUB) -> list[tuple[str, str]]:
    return [(t.surface, t.value) for t in times(text, lang, published)]


# --- dates, French and English ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "surface", "value"),
    [
        # explicit
        ("fr", "L'attaque a eu lieu le 15 juillet 2025 à Gao.", "le 15 juillet 2025", "2025-07-15"),
        ("fr", "Le 1er septembre, des tirs.", "Le 1er septembre", "2025-09-01"),
        ("fr", "Le 1er novembre, des tirs.", "Le 1er novembre", "2025-11-01"),  # 17 days ahead
        ("fr", "Le 1er décembre, des tirs.", "Le 1er décembre", "2024-12-01"),  # 47 days ahead
        ("fr", "Le lundi 13 octobre 2025, à l'aube.", "Le lundi 13 octobre 2025", "2025-10-13"),
        ("fr", "C'était en mars 2024.", "mars 2024", "2024-03"),
        ("fr", "C'était en 2024.", "2024", "2024"),
        ("fr", "Une attaque en mars.", "mars", "2025-03"),
        ("fr", "Une attaque en novembre.", "novembre", "2024-11"),
        ("fr", "Le 15/07/2025, puis", "15/07/2025", "2025-07-15"),
        ("fr", "Publié le 2025-07-15.", "2025-07-15", "2025-07-15"),
        ("fr", "Depuis 2012, le nord est instable.", "2012", "2012"),
        ("fr", "fin 2024, les combats", "fin 2024", "2024"),
        ("fr", "à la mi-octobre", "mi-octobre", "2025-10"),
        ("fr", "le 15 juillet prochain", "le 15 juillet prochain", "2026-07-15"),
        ("fr", "le 20 octobre dernier", "le 20 octobre dernier", "2024-10-20"),
        ("fr", "en mars prochain", "mars prochain", "2026-03"),
        ("en", "On 15 July 2025, presumed militants clashed.", "15 July 2025", "2025-07-15"),
        ("en", "On July 15, 2025, militants clashed.", "July 15, 2025", "2025-07-15"),
        ("en", "the 15th of July", "the 15th of July", "2025-07-15"),
        ("en", "Fighting resumed in March.", "March", "2025-03"),
        ("en", "Fighting resumed in 2024.", "2024", "2024"),
        ("en", "by early 2024,", "early 2024", "2024"),
        ("en", "It happened in mid-October.", "mid-October", "2025-10"),
        ("en", "07/15/2025", "07/15/2025", "2025-07-15"),
        # relative
        ("fr", "Hier, des hommes armés ont attaqué.", "Hier", "2025-10-14"),
        ("fr", "dans l'attaque d'hier soir", "hier soir", "2025-10-14"),
        ("fr", "avant-hier", "avant-hier", "2025-10-13"),
        ("fr", "avant hier", "avant hier", "2025-10-13"),
        ("fr", "aujourd'hui", "aujourd'hui", "2025-10-15"),
        ("fr", "aujourd’hui", "aujourd’hui", "2025-10-15"),
        ("fr", "ce matin", "ce matin", "2025-10-15"),
        ("fr", "lundi, l'armée a riposté", "lundi", "2025-10-13"),
        ("fr", "mercredi, l'armée a riposté", "mercredi", "2025-10-15"),
        ("fr", "lundi dernier", "lundi dernier", "2025-10-13"),
        ("fr", "mercredi dernier", "mercredi dernier", "2025-10-08"),
        ("fr", "mardi prochain", "mardi prochain", "2025-10-21"),
        ("fr", "il y a deux jours", "il y a deux jours", "2025-10-13"),
        ("fr", "il y a 3 semaines", "il y a 3 semaines", "2025-W39"),
        ("fr", "il y a six mois", "il y a six mois", "2025-04"),
        ("fr", "la semaine dernière", "la semaine dernière", "2025-W41"),
        ("fr", "cette semaine", "cette semaine", "2025-W42"),
        ("fr", "le mois dernier", "le mois dernier", "2025-09"),
        ("fr", "l'an dernier", "l'an dernier", "2024"),
        ("fr", "l'année dernière", "l'année dernière", "2024"),
        ("fr", "le week-end dernier", "le week-end dernier", "2025-10-11/2025-10-12"),
        ("en", "Yesterday, gunmen attacked.", "Yesterday", "2025-10-14"),
        ("en", "last Tuesday", "last Tuesday", "2025-10-14"),
        ("en", "last Wednesday", "last Wednesday", "2025-10-08"),
        ("en", "The army said on Tuesday that", "Tuesday", "2025-10-14"),
        ("en", "next Tuesday", "next Tuesday", "2025-10-21"),
        ("en", "two days ago", "two days ago", "2025-10-13"),
        ("en", "a week ago", "a week ago", "2025-W41"),
        ("en", "last week", "last week", "2025-W41"),
        ("en", "next week", "next week", "2025-W43"),
        ("en", "last month", "last month", "2025-09"),
        ("en", "last year", "last year", "2024"),
        ("en", "this morning", "this morning", "2025-10-15"),
    ],
)
def test_dates(lang: str, text: str, surface: str, value: str) -> None:
    refs = times(text, lang)
    assert [(r.surface, r.value, r.kind) for r in refs] == [(surface, value, "date")]
    ref = refs[0]
    assert text[ref.span.start : ref.span.end] == ref.surface
    assert ref.span.document_id == "d1" and ref.span.part == "body"
    assert ref.start is not None and ref.end is not None and ref.start <= ref.end


# --- forecast horizons -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "surface", "value"),
    [
        ("fr", "d'ici six mois", "d'ici six mois", "2025-10-15/2026-04-15"),
        ("fr", "d'ici à deux ans", "d'ici à deux ans", "2025-10-15/2027-10-15"),
        ("fr", "pas d'accord avant 2028", "avant 2028", "2025-10-15/2027-12-31"),
        ("fr", "d'ici 2027", "d'ici 2027", "2025-10-15/2027-12-31"),
        (
            "fr",
            "au cours des six prochains mois",
            "au cours des six prochains mois",
            "2025-10-15/2026-04-15",
        ),
        (
            "fr",
            "dans les prochaines semaines",
            "dans les prochaines semaines",
            "2025-10-15/2025-11-26",
        ),
        ("fr", "dans les prochains mois", "dans les prochains mois", "2025-10-15/2026-04-15"),
        ("fr", "à court terme", "à court terme", "2025-10-15/2026-01-15"),
        ("fr", "à moyen terme", "à moyen terme", "2025-10-15/2026-10-15"),
        ("fr", "à long terme", "à long terme", "2025-10-15/2028-10-15"),
        ("fr", "d'ici la fin de l'année", "d'ici la fin de l'année", "2025-10-15/2025-12-31"),
        ("fr", "avant fin 2026", "avant fin 2026", "2025-10-15/2026-12-31"),
        ("fr", "d'ici 2027", "d'ici 2027", "2025-10-15/2027-12-31"),
        ("fr", "d'ici la mi-2026", "d'ici la mi-2026", "2025-10-15/2026-06-30"),
        ("fr", "avant la saison des pluies", "avant la saison des pluies", "2025-10-15/2026-05-31"),
        ("en", "within three months", "within three months", "2025-10-15/2026-01-15"),
        ("en", "over the next 12 months", "over the next 12 months", "2025-10-15/2026-10-15"),
        ("en", "in the coming weeks", "in the coming weeks", "2025-10-15/2025-11-26"),
        ("en", "in the short term", "in the short term", "2025-10-15/2026-01-15"),
        ("en", "by the end of the year", "by the end of the year", "2025-10-15/2025-12-31"),
        ("en", "by mid-2026", "by mid-2026", "2025-10-15/2026-06-30"),
        ("en", "by 2027", "by 2027", "2025-10-15/2027-12-31"),
        ("en", "before 2027", "before 2027", "2025-10-15/2026-12-31"),
        ("en", "an imminent attack", "imminent", "2025-10-15/2025-10-29"),
    ],
)
def test_horizons(lang: str, text: str, surface: str, value: str) -> None:
    refs = times(text, lang)
    assert [(r.surface, r.value, r.kind) for r in refs] == [(surface, value, "horizon")]
    assert refs[0].relative and refs[0].start == PUB


def test_horizon_month_arithmetic_clamps() -> None:
    assert found("d'ici six mois", published=date(2025, 8, 31)) == [
        ("d'ici six mois", "2025-08-31/2026-02-28")
    ]
    assert found("within six months", "en", date(2023, 8, 31)) == [
        ("within six months", "2023-08-31/2024-02-29")
    ]
    assert _add_months(date(2025, 10, 15), 6) == date(2026, 4, 15)
    assert _add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_rainy_season_during_the_rains_is_next_year() -> None:
    assert found("avant l'hivernage", published=date(2025, 5, 20)) == [
        ("avant l'hivernage", "2025-05-20/2025-05-31")
    ]
    assert found("before the rainy season", "en", date(2025, 7, 1)) == [
        ("before the rainy season", "2025-07-01/2026-05-31")
    ]


def test_fields_of_a_week_and_a_relative_flag() -> None:
    (week,) = times("la semaine dernière")
    assert (week.precision, week.start, week.end) == ("week", date(2025, 10, 6), date(2025, 10, 12))
    (absolute,) = times("le 15 juillet 2025")
    assert not absolute.relative and absolute.precision == "day"
    (month,) = times("en mars")
    assert month.relative and (month.start, month.end) == (date(2025, 3, 1), date(2025, 3, 31))


def test_published_datetime_is_accepted() -> None:
    assert found("hier", published=datetime(2025, 10, 15, 23, 59)) == [("hier", "2025-10-14")]  # type: ignore[arg-type]


# --- what must not come out ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Les combats ont duré pendant trois jours."),
        ("fr", "Un homme âgé de 25 ans a été tué à 15h30."),
        ("fr", "Niger 2024 : bilan des attaques"),
        ("fr", "La maison de Maimouna, mais aussi le maire."),
        ("fr", "Il a été tué 12 fois, 2 000 morts, 15 % des votes."),
        ("en", "The fighting went on for two weeks."),
        ("en", "Troops may march on the town; it may rain."),
        ("en", "He is 30 years old and 2000 people fled."),
        ("en", "the Mali 2024 report"),
    ],
)
def test_no_false_positives(lang: str, text: str) -> None:
    assert found(text, lang) == []


def test_without_publication_date_only_absolute_dates() -> None:
    text = "Hier, le 15 juillet 2025, il y a deux jours, d'ici six mois, en 2024, le 3 mars, lundi."
    assert found(text, published=None) == [("le 15 juillet 2025", "2025-07-15"), ("2024", "2024")]


def test_other_languages_get_numeric_dates_only() -> None:
    text = "Kunun 15/07/2025, mars 2024, hier"
    assert found(text, "bm") == [("15/07/2025", "2025-07-15")]


def test_date_entities_let_a_bare_month_count() -> None:
    text = "Fighting began in May. May was quiet."
    ents = (Entity(23, 26, "DATE", "May"),)
    refs = extract_times(analysis(text, "en", ents), published=PUB)
    assert [(r.surface, r.value) for r in refs] == [("May", "2025-05"), ("May", "2025-05")]
    assert found("Fighting began in May. May was quiet.", "en") == [("May", "2025-05")]


# --- hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "", []),
        ("fr", "hier", [("hier", "2025-10-14")]),
        (
            "fr",
            "HIER, LE 15 JUILLET, D’ICI SIX MOIS",
            [
                ("HIER", "2025-10-14"),
                ("LE 15 JUILLET", "2025-07-15"),
                ("D’ICI SIX MOIS", "2025-10-15/2026-04-15"),
            ],
        ),
        (
            "en",
            "YESTERDAY AND ON 15 JULY 2025",
            [("YESTERDAY", "2025-10-14"), ("15 JULY 2025", "2025-07-15")],
        ),
        ("fr", "🔥🔥 hier 🔥 le 3 août 🔥", [("hier", "2025-10-14"), ("le 3 août", "2025-08-03")]),
        ("fr", "قال المتحدث في 15 يوليو 2025 إن le 3 aout", [("le 3 aout", "2025-08-03")]),
        # an impossible day falls back to the month; Arabic-Indic digits are not years
        ("fr", "le ٢٠٢٤ et le 31 février 2025 et le 0 mars", [("février 2025", "2025-02")]),
        ("fr", "le\n\n15   juillet", [("le\n\n15   juillet", "2025-07-15")]),
    ],
)
def test_hostile_input(lang: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, lang) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Le 15 juillet 2025, des hommes armés ont attaqué hier soir, d'ici six mois. " * 14_000,
        "1 " * 500_000,
        "le " * 333_000,
        "le" + " " * 1_000_000 + "15 juillet",
        "il y a " * 140_000,
    ],
    ids=["prose", "digits", "articles", "spaces", "openings"],
)
def test_one_megabyte_in_bounded_time(text: str) -> None:
    started = time.perf_counter()
    times(text)
    times(text, "en")
    assert time.perf_counter() - started < 6.0  # both languages; ~1 s each at worst


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "hier",
                "le 15 juillet 2025",
                "d'ici six mois",
                "en 2024",
                "lundi",
                "LE",
                "15",
                "juillet",
                "il y a",
                "deux",
                "jours",
                "’",
                "-",
                "🔥",
                "مرحبا",
                "\n",
                ",",
                "mars",
                "last",
                "Tuesday",
                "by",
                "2027",
                "within",
                "three",
                "months",
                "ago",
                "x",
            ]
        )
        | st.text(max_size=8),
        max_size=30,
    ),
    st.sampled_from(["fr", "en", "bm"]),
    st.one_of(st.none(), st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31))),
)
def test_offsets_slice_back_to_the_surface(
    words: list[str], lang: str, published: date | None
) -> None:
    text = " ".join(words)
    refs = times(text, lang, published)
    last = 0
    for ref in refs:
        assert text[ref.span.start : ref.span.end] == ref.surface
        assert ref.span.start >= last  # in text order, no overlap
        last = ref.span.end
        assert ref.kind in ("date", "horizon")
        assert ref.precision in ("day", "week", "month", "year")
        if published is None:
            assert not ref.relative


# --- the lexicon is data ---------------------------------------------------------------------


def test_user_file_extends_the_lexicon(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        """
[fr]
months = { "juillet" = 7, "juillét" = 7 }
[[fr.rule]]
make = "day_offset"
offset = -1
patterns = ["la veille au soir"]
[[horizon]]
name = "avant les élections"
duration = "2 months"
fr = ["avant les élections"]
""",
        encoding="utf-8",
    )
    lexicon = load_time_lexicon(extra)
    refs = extract_times(
        analysis("la veille au soir, avant les élections, hier"), published=PUB, lexicon=lexicon
    )
    assert [(r.surface, r.value) for r in refs] == [
        ("la veille au soir", "2025-10-14"),
        ("avant les élections", "2025-10-15/2025-12-15"),
        ("hier", "2025-10-14"),
    ]


@pytest.mark.parametrize(
    "content",
    [
        "this is = not [toml",
        "[xx_bad]\nmonths = 3\n",
        '[[fr.rule]]\nmake = "teleport"\npatterns = ["x"]\n',
        '[[fr.rule]]\nmake = "day_offset"\npatterns = ["hier"]\n',
        '[[fr.rule]]\nmake = "date"\npatterns = ["{dayz} {month}"]\n',
        '[[fr.rule]]\nmake = "date"\npatterns = ["[le {day}"]\n',
        '[[fr.rule]]\nmake = "date"\npatterns = ["[le ]"]\n',
        '[[horizon]]\nname = "x"\nduration = "soon"\nfr = ["bientôt"]\n',
        '[fr]\nunits = { "lune" = "moon" }\n',
    ],
)
def test_bad_user_file_is_one_line_config_error(tmp_path: Path, content: str) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_time_lexicon(extra)
    message = str(info.value)
    assert str(extra) in message and "\n" not in message


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such"):
        load_time_lexicon(tmp_path / "absent.toml")


def test_default_lexicon_loads_once_and_fast(tmp_path: Path) -> None:
    assert load_time_lexicon() is load_time_lexicon()
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    started = time.perf_counter()
    load_time_lexicon(empty)
    assert time.perf_counter() - started < 1.0
