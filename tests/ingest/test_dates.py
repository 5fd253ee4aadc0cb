"""Dates written by machines and people: one reader for publication and comment dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.ingest import dates
from tocsin.ingest.dates import find_date, parse_date, parse_iso, read_date_line
from tocsin.models import Precision

DAY, MONTH, YEAR = Precision.DAY, Precision.MONTH, Precision.YEAR


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# (text, language, expected): the common forms, read by the regexes alone.
COMMON = [
    ("3 DÉC. 2025", "fr", (_at(2025, 12, 3), DAY)),
    ("3 DÉC. 2025", None, (_at(2025, 12, 3), DAY)),
    ("4 novembre 2025 à 9 h 12 min", "fr", (_at(2025, 11, 4, 9, 12), DAY)),
    ("1er décembre 2025", "fr", (_at(2025, 12, 1), DAY)),
    ("le 6 nov. 2025 à 8 h 05", "fr", (_at(2025, 11, 6, 8, 5), DAY)),
    ("5 nov. 2025, 19 h 02", "fr", (_at(2025, 11, 5, 19, 2), DAY)),
    ("mardi 2 décembre 2025 - 10:45", "fr", (_at(2025, 12, 2, 10, 45), DAY)),
    ("Nov. 5, 2025", "en", (_at(2025, 11, 5), DAY)),
    ("November 7, 2025 at 3:41 pm", "en", (_at(2025, 11, 7, 15, 41), DAY)),
    ("November 9, 2025 at 12:15 am", "en", (_at(2025, 11, 9, 0, 15), DAY)),
    ("Sunday, November 9, 2025", "en", (_at(2025, 11, 9), DAY)),
    ("05/11/2025", "fr", (_at(2025, 11, 5), DAY)),
    ("05/11/2025", "en", (_at(2025, 5, 11), DAY)),
    ("05/11/2025", "de", (_at(2025, 11, 5), DAY)),  # other languages: day-first
    ("05.11.2025 à 14h32", "fr", (_at(2025, 11, 5, 14, 32), DAY)),
    ("11/08/2025 at 8:10 am", "en", (_at(2025, 11, 8, 8, 10), DAY)),
    ("25/11/2025", None, (_at(2025, 11, 25), DAY)),  # unambiguous: any language
    ("25/11/2025", "en", (_at(2025, 11, 25), DAY)),
    ("11/25/2025", None, (_at(2025, 11, 25), DAY)),
    ("11/11/2025", None, (_at(2025, 11, 11), DAY)),
    ("2025-11-04T09:12:00+00:00", None, (_at(2025, 11, 4, 9, 12), DAY)),
    ("2025-11-04 09:12 UTC", None, (_at(2025, 11, 4, 9, 12), DAY)),
    ("2025/11/06", None, (_at(2025, 11, 6), DAY)),
    ("Tue, 04 Nov 2025 09:12:00 GMT", "en", (_at(2025, 11, 4, 9, 12), DAY)),
    ("novembre 2025", "fr", (_at(2025, 11, 1), MONTH)),
    ("Nov. 2025", "en", (_at(2025, 11, 1), MONTH)),
    ("2025-11", None, (_at(2025, 11, 1), MONTH)),
    ("2025", None, (_at(2025, 1, 1), YEAR)),
]

# Timezone offsets: the time is converted to UTC, the day may change with it.
OFFSETS = [
    ("2025-11-04T09:12:00+01:00", None, (_at(2025, 11, 4, 8, 12), DAY)),
    ("2025-11-04T23:30:00-05:00", None, (_at(2025, 11, 5, 4, 30), DAY)),
    ("04 nov. 2025 09:12:00 +0100", "fr", (_at(2025, 11, 4, 8, 12), DAY)),
    ("mar., 04 nov. 2025 00:30:00 +0100", "fr", (_at(2025, 11, 3, 23, 30), DAY)),
    ("25/11/2025 +0100", None, (_at(2025, 11, 25), DAY)),  # no time: the day stands
]

# Never a guess: no date at all.
NONE = [
    ("il y a deux jours", "fr"),
    ("il y a 2 jours", "fr"),
    ("hier", "fr"),
    ("hier à 10h30", "fr"),
    ("aujourd'hui à 9h", "fr"),
    ("yesterday", "en"),
    ("2 hours ago", "en"),
    ("05/11/2025", None),  # ambiguous and no language
    ("Publié le 05/11/2025 à 10h30", None),
    ("4 novembre", "fr"),  # no year
    ("9 h 12", "fr"),
    ("31 février 2025", "fr"),
    ("13/13/2025", "fr"),
    ("2025-13", None),
    ("2025-W45", None),  # a week names no day
    ("Par la rédaction", "fr"),
    ("Le convoi est parti de Kayes.", "fr"),
    ("", None),
]


def _check(found: tuple[datetime, Precision] | None, expected: object) -> None:
    assert found == expected
    if found is not None:
        assert found[0].utcoffset() == timedelta(0)


@pytest.mark.parametrize(("text", "lang", "expected"), COMMON + OFFSETS)
def test_parse_date(text: str, lang: str | None, expected: tuple[datetime, Precision]) -> None:
    _check(parse_date(text, lang=lang), expected)


@pytest.mark.parametrize(("text", "lang"), NONE)
def test_no_date_is_invented(text: str, lang: str | None) -> None:
    assert parse_date(text, lang=lang) is None
    assert find_date(text, lang=lang) is None


@pytest.mark.parametrize(("text", "lang", "expected"), COMMON + OFFSETS)
def test_common_forms_never_reach_dateparser(
    text: str, lang: str | None, expected: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(dates, "_parser", calls.append)  # what dateparser would be asked
    _check(parse_date(text, lang=lang), expected)
    assert calls == []


def test_wordy_dates_fall_back_to_dateparser() -> None:
    found = parse_date("Tuesday the 4th of November 2025", lang="en")
    assert found == (_at(2025, 11, 4), DAY)
    assert find_date("le quatre novembre deux mille vingt-cinq", lang="fr") is None


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Par Awa Traoré — 3 DÉC. 2025", "fr", (_at(2025, 12, 3), DAY)),
        ("By John Keita, Nov. 5, 2025", "en", (_at(2025, 11, 5), DAY)),
        ("Publié le 05/11/2025 à 10h30", "fr", (_at(2025, 11, 5, 10, 30), DAY)),
        ("Posted 11/05/2025", "en", (_at(2025, 11, 5), DAY)),
        ("Kadiatou Sissoko – 3 novembre 2025", None, (_at(2025, 11, 3), DAY)),
        ("Mis à jour en novembre 2025", "fr", (_at(2025, 11, 1), MONTH)),
        ("Publié le 05/11/2025, mis à jour le 25/11/2025", None, None),  # the first decides
        ("© 2025 Le Veilleur du Sahel", "fr", None),  # a bare year in a line is no date
        ("N°1234 novembre", "fr", None),
    ],
)
def test_find_date_in_a_line(
    text: str, lang: str | None, expected: tuple[datetime, Precision] | None
) -> None:
    _check(find_date(text, lang=lang), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 novembre 2025 à 9 h 12 min", _at(2025, 11, 4, 9, 12)),
        ("2025-11-04", _at(2025, 11, 4)),
        ("novembre 2025", None),
        ("Nov. 2025", None),
        ("2025", None),
        ("Tuesday the 4th of November 2025", _at(2025, 11, 4)),
    ],
)
def test_comment_dates_need_a_full_day(text: str, expected: datetime | None) -> None:
    found = parse_date(text, lang="fr", need_day=True)
    assert (found[0] if found else None) == expected
    assert found is None or found[1] is DAY
    found = find_date(text, lang="fr", need_day=True)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-11-04", (_at(2025, 11, 4), DAY)),
        ("2025-11-04T09:12:00Z", (_at(2025, 11, 4, 9, 12), DAY)),
        (" 2025-11-04T09:12:00+01:00 ", (_at(2025, 11, 4, 8, 12), DAY)),
        ("2025-11-04T09:12:00", (_at(2025, 11, 4, 9, 12), DAY)),  # naive: taken as UTC
        ("20251104", (_at(2025, 11, 4), DAY)),
        ("2025/11/04 09:12", (_at(2025, 11, 4, 9, 12), DAY)),
        ("2025-11", (_at(2025, 11, 1), MONTH)),
        ("2025", (_at(2025, 1, 1), YEAR)),
        ("2025-02-30", None),
        ("2025-00", None),
        ("2025-W45", None),
        ("4 novembre 2025", None),  # not machine-readable
        ("", None),
    ],
)
def test_parse_iso(value: str, expected: tuple[datetime, Precision] | None) -> None:
    _check(parse_iso(value), expected)


@pytest.mark.parametrize(
    ("line", "lang", "expected"),
    [
        ("4 novembre 2025 à 9 h 12 min", None, (True, _at(2025, 11, 4, 9, 12))),
        ("Publié le 4 novembre 2025", None, (True, _at(2025, 11, 4))),
        ("November 7, 2025 at 3:41 pm", "en", (True, _at(2025, 11, 7, 15, 41))),
        ("05/11/2025", None, (True, None)),  # a date line, but no date we may state
        ("05/11/2025", "fr", (True, _at(2025, 11, 5))),
        ("il y a deux jours", "fr", (True, None)),
        ("il y a 3 heures", None, (True, None)),
        ("yesterday at 3:41", "en", (True, None)),
        ("novembre 2025", "fr", (False, None)),  # a comment's date line has a day
        ("Le convoi est passé le 4 novembre 2025.", "fr", (False, None)),
        ("Awa", None, (False, None)),
    ],
)
def test_read_date_line(
    line: str, lang: str | None, expected: tuple[bool, datetime | None]
) -> None:
    assert read_date_line(line, lang=lang) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=120)
    | st.lists(
        st.sampled_from(
            ["4", "12", "31", "2025", "novembre", "Nov.", "/", "-", ":", " ", "à", "h", "pm", "+01"]
        ),
        max_size=12,
    ).map("".join),
    st.sampled_from([None, "fr", "en", "xx"]),
)
def test_dates_never_raise_and_are_utc(text: str, lang: str | None) -> None:
    for found in (parse_date(text, lang=lang), find_date(text, lang=lang), parse_iso(text)):
        if found is not None:
            assert found[0].utcoffset() == timedelta(0)
            assert found[1] in (DAY, MONTH, YEAR)
    is_date, posted = read_date_line(text.strip(), lang=lang)
    assert posted is None or (is_date and posted.utcoffset() == timedelta(0))
