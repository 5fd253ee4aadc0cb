"""Dates written by machines and by people, in French and English: one reader for the
publication dates of pages, feeds and exports, and for the dates of reader comments.

A date comes back in UTC with its precision (day, month, year), or not at all. Never a
guess:

- relative dates ("il y a 2 jours", "hier", "2 hours ago") are recognised as dates but
  never turned into one: we do not know the "now" of the page;
- numeric dates are day-first in French and other languages, month-first in English
  (``en``, ``en-US``); with no language an ambiguous one (05/11/2025: both parts 12 or
  less) is left out, an unambiguous one (25/11/2025) is read;
- the year is always required; month-only ("novembre 2025") and year-only dates have
  MONTH and YEAR precision, and are refused where a full day is needed (comments);
- a time with an offset is converted to UTC; a date with no time keeps its calendar day.

The common forms are read by regexes ("3 DÉC. 2025", "1er décembre 2025", "Nov. 5, 2025",
"4 novembre 2025 à 9 h 12 min", "05/11/2025", ISO 8601). dateparser (about 1.5 ms a call,
slow to import) only reads the rare wordy forms they miss ("Tuesday the 4th of November
2025"), and only for absolute dates with a day, a month name and a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.models import Precision

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = ["Dated", "find_date", "parse_date", "parse_iso", "read_date_line", "to_utc"]

Dated = tuple[datetime, Precision]

_WORDS = "dates"  # knowledge/dates.toml: month and weekday names per language
_TZ = r"(?:\s*(?P<tz>UTC|GMT|Z|[+-]\d{2}:?\d{2}))?"
# A full date with no words, ISO-like (the others: _DateWords.day_res).
_YMD_RE = re.compile(  # 2025-11-04T09:12:00+00:00, 2025/11/04 09:12
    r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"
    r"(?:[T\s]+(?P<hh>\d{1,2}):(?P<mm>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?)?" + _TZ,
    re.IGNORECASE,
)
_ISO_MONTH_RE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})")
_ISO_YEAR_RE = re.compile(r"(?P<y>\d{4})")
_ISO_WEEK_RE = re.compile(r"\d{4}-?W\d{2}", re.IGNORECASE)
_DAY_NUMBER_RE = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_YEAR_NUMBER_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")
_MAX_LINE = 120  # a date line, a comment's date element
_MAX_VALUE = 80  # one date value; the longest text handed to dateparser
_MAX_SEARCH = 2000  # a byline or dateline searched for a date


@dataclass(frozen=True, slots=True)
class _DateWords:
    """The patterns made of month and weekday names (``knowledge/dates.toml``)."""

    months: dict[str, int]  # lower-case name or abbreviation -> month number
    day_res: dict[str, re.Pattern[str]]  # full dates, the fast path; the earliest wins
    month_year: re.Pattern[str]  # "novembre 2025"
    wordy: re.Pattern[str]  # a month name: dateparser is worth a call only with one
    relative: re.Pattern[str]  # "il y a 2 jours", "yesterday": a date we may not state
    prefix: re.Pattern[str]  # "Publié le ", "on " before a date


@per_knowledge_dir
def _words() -> _DateWords:
    data, source = load_knowledge(_WORDS), knowledge_source(_WORDS)
    per_language: list[list[str]] = []
    weekdays: list[str] = []
    lists: dict[str, list[str]] = {
        "relative": [],
        "published": [],
        "on": [],
        "at": [],
        "hour": [],
        "minute": [],
    }
    for lang, table in data.items():
        names = table.get("months") if isinstance(table, dict) else None
        days = table.get("weekdays", []) if isinstance(table, dict) else None
        if (
            not isinstance(names, list)
            or len(names) != 12
            or not all(isinstance(n, str) and n.split() for n in names)
            or not isinstance(days, list)
            or not all(isinstance(d, str) and d.strip() for d in days)
        ):
            raise ConfigError(
                f"{source}: [{lang}] needs months, twelve texts of names, and weekdays, "
                'a list of names; write months = ["janvier janv", ...]'
            )
        per_language.append(names)
        weekdays += [d.strip().lower() for d in days]
        for key, into in lists.items():
            values = table.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise ConfigError(f"{source}: [{lang}] {key} must be a list of texts")
            into += values
    months: dict[str, int] = {}
    for number in range(1, 13):  # month by month, each language's names in turn
        for names in per_language:
            for name in names[number - 1].lower().split():
                months.setdefault(name, number)
    month_names = "|".join(sorted(months, key=len, reverse=True))
    month = rf"(?P<mon>{month_names})\.?"
    weekday = rf"(?:(?:{'|'.join(dict.fromkeys(weekdays))})\.?,?\s+)?"
    at, hour, minute = (_words_alt(lists[key]) for key in ("at", "hour", "minute"))
    time = (  # "à 9 h 12 min", "at 3:41 pm", ", 19 h 02", "- 10:45", "09:12:30 +01:00"
        rf"(?:\s*(?:,|{at}|@|-|–|—|\|)?\s*(?P<hh>\d{{1,2}})\s*(?:{hour}|:)\s*(?P<mm>\d{{2}})?"
        rf"\s*(?:{minute})?(?:\s*(?::|{minute})?\s*(?P<ss>\d{{2}})\s*s?)?"
        r"\s*(?P<ampm>[ap]\.?\s?m\.?)?)?" + _TZ
    )
    day_res = {
        "dmy": re.compile(  # 3 DÉC. 2025, 1er décembre 2025, mardi 2 décembre 2025 - 10:45
            rf"(?<!\d){weekday}(?P<d>\d{{1,2}})(?:er|re|st|nd|rd|th)?\s+(?:de\s+)?{month},?\s+"
            rf"(?:de\s+)?(?P<y>\d{{4}})(?!\d){time}",
            re.IGNORECASE,
        ),
        "mdy": re.compile(  # Nov. 5, 2025; November 7, 2025 at 3:41 pm
            rf"\b{weekday}{month}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)"
            + time,
            re.IGNORECASE,
        ),
        "ymd": _YMD_RE,
        "num": re.compile(  # 05/11/2025, 25.11.2025 à 14h32: order by language
            rf"(?<!\d)(?P<a>\d{{1,2}})[/.-](?P<b>\d{{1,2}})[/.-](?P<y>\d{{4}})(?!\d){time}",
            re.IGNORECASE,
        ),
    }
    return _DateWords(
        months=months,
        day_res=day_res,
        month_year=re.compile(rf"\b{month}\s+(?:de\s+)?(?P<y>\d{{4}})(?!\d)", re.IGNORECASE),
        wordy=re.compile(rf"\b(?:{month_names})\b", re.IGNORECASE),
        relative=_compile(
            source,
            rf"(?:{_alt(lists['relative'])})(?:\s*(?:,|{at})?\s*\d{{1,2}}\s*(?:{hour}|:)\s*\d{{0,2}})?",
        ),
        prefix=_compile(
            source,
            rf"^(?:(?:{_alt(lists['published'])})\s+(?:{_alt(lists['on'])})\s+"
            rf"|(?:{_alt(lists['on'])})\s+)",
        ),
    )


def _alt(words: list[str]) -> str:
    return "|".join(words) or "(?!)"


def _words_alt(words: list[str]) -> str:
    """Words (not regular expressions) as choices, longest first, each once."""
    return _alt([re.escape(w) for w in sorted(dict.fromkeys(words), key=len, reverse=True)])


def _compile(source: object, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(
            f"{source}: relative, published or on is not a regular expression ({exc}); fix it"
        ) from None


def to_utc(value: datetime) -> datetime:
    """Aware datetimes are converted; naive ones are taken as UTC (the Sahel's own zone)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _day_first(lang: str | None) -> bool | None:
    """How numeric dates read: True day-first, False month-first (``en``, ``en-US``), None
    when the language is unknown."""
    if not lang:
        return None
    return lang.strip().lower().replace("_", "-") not in {"en", "en-us"}


def _offset(tz: str) -> timedelta:
    """UTC offset of "+01:00", "-0500"; nonsense offsets count as none."""
    hours, minutes = int(tz[1:3]), int(tz[-2:])
    if hours > 14 or minutes > 59:
        return timedelta(0)
    return (-1 if tz[0] == "-" else 1) * timedelta(hours=hours, minutes=minutes)


def _build(year: int, month: int, day: int, m: re.Match[str], ampm: str | None) -> datetime | None:
    """The UTC datetime, or None for an impossible date. A time that does not hold is
    dropped (the day stays); an offset applies only to a time."""
    try:
        date = datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
    hh, mm, ss, tz = m.group("hh", "mm", "ss", "tz")
    if hh is None:
        return date
    hour, minute = int(hh), int(mm or 0)
    if ampm:
        if hour > 12:
            return date
        hour = hour % 12 + (12 if ampm[0] in "pP" else 0)
    if hour > 23 or minute > 59:
        return date
    moment = date.replace(hour=hour, minute=minute, second=int(ss) if ss and ss < "60" else 0)
    if tz and tz[0] in "+-":
        try:
            return moment - _offset(tz)
        except OverflowError:
            return None
    return moment


def _from_match(kind: str, m: re.Match[str], lang: str | None) -> datetime | None:
    year = int(m["y"])
    if kind == "dmy" or kind == "mdy":
        return _build(year, _words().months[m["mon"].lower()], int(m["d"]), m, m["ampm"])
    if kind == "ymd":
        try:  # ISO 8601 as written, fractions of a second included
            return to_utc(datetime.fromisoformat(m[0].replace("z", "Z")))
        except (ValueError, OverflowError):
            return _build(year, int(m["m"]), int(m["d"]), m, None)
    a, b = int(m["a"]), int(m["b"])
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    elif a == b:
        day = month = a
    else:
        first = _day_first(lang)
        if first is None:
            return None  # 05/11/2025 with no language: abstain rather than guess
        day, month = (a, b) if first else (b, a)
    return _build(year, month, day, m, m["ampm"])


@lru_cache(maxsize=4)
def _parser(month_first: bool) -> DateDataParser:
    from dateparser.date import DateDataParser  # slow to import; only for unusual forms

    return DateDataParser(
        languages=["en", "fr"] if month_first else ["fr", "en"],
        settings={
            "DATE_ORDER": "MDY" if month_first else "DMY",
            "PARSERS": ["absolute-time"],  # "hier", "2 hours ago" are not dates we may state
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": True,
            "TIMEZONE": "UTC",
            "TO_TIMEZONE": "UTC",
        },
    )


def _dateparser(text: str, lang: str | None) -> datetime | None:
    """A wordy absolute date the regexes do not know, read by dateparser."""
    if (
        len(text) > _MAX_VALUE
        or not _YEAR_NUMBER_RE.search(text)
        or not _DAY_NUMBER_RE.search(text)
        or not _words().wordy.search(text)
    ):
        return None
    try:
        found = _parser(_day_first(lang) is False).get_date_data(text).date_obj
    except Exception:  # dateparser raises assorted errors on odd input; abstain
        return None
    return to_utc(found) if found is not None else None


def parse_iso(value: str) -> Dated | None:
    """A machine-readable value (metadata, ``time[datetime]``, exports): ``2025-11-04``,
    ``2025-11-04T09:12:00+01:00`` (day, in UTC), ``2025-11`` (month), ``2025`` (year)."""
    value = value.strip()
    if len(value) > 60 or not value[:4].isdigit() or _ISO_WEEK_RE.fullmatch(value):
        return None  # a week ("2025-W45") names no day
    try:
        return to_utc(datetime.fromisoformat(value.replace("z", "Z"))), Precision.DAY
    except (ValueError, OverflowError):
        pass
    if m := _YMD_RE.match(value):
        found = _from_match("ymd", m, None)
        return (found, Precision.DAY) if found else None
    if m := _ISO_MONTH_RE.fullmatch(value):
        month = int(m["m"])
        if not 1 <= month <= 12:
            return None
        return datetime(int(m["y"]), month, 1, tzinfo=UTC), Precision.MONTH
    if (m := _ISO_YEAR_RE.fullmatch(value)) and int(m["y"]):
        return datetime(int(m["y"]), 1, 1, tzinfo=UTC), Precision.YEAR
    return None


def find_date(text: str, *, lang: str | None = None, need_day: bool = False) -> Dated | None:
    """The first date inside a short text: a byline ("Par Awa Traoré — 3 DÉC. 2025"), a
    dateline, a comment's date element. The earliest full date the regexes find decides
    (when it is ambiguous, there is no date); else dateparser; else, unless ``need_day``,
    a month and year."""
    text = text[:_MAX_SEARCH]
    best: tuple[str, re.Match[str]] | None = None
    for kind, rx in _words().day_res.items():
        m = rx.search(text)
        if m and (best is None or m.start() < best[1].start()):
            best = (kind, m)
    if best is not None:
        found = _from_match(*best, lang)
        return (found, Precision.DAY) if found else None
    if (found := _dateparser(text.strip(), lang)) is not None:
        return found, Precision.DAY
    words = _words()
    if need_day or not (m := words.month_year.search(text)):
        return None
    return datetime(int(m["y"]), words.months[m["mon"].lower()], 1, tzinfo=UTC), Precision.MONTH


def parse_date(text: str, *, lang: str | None = None, need_day: bool = False) -> Dated | None:
    """One date value written by a machine or a person (a feed's ``published``, an export's
    ``posted``): "2025-11-04T09:12:00Z", "Tue, 04 Nov 2025 09:12:00 GMT", "novembre 2025".
    Relative values ("hier", "2 hours ago") and values with no year give None."""
    text = text.strip()
    if not text or len(text) > _MAX_VALUE:
        return None
    found = parse_iso(text) if text[:4].isdigit() else None
    found = found or find_date(text, lang=lang, need_day=need_day)
    return found if found and (found[1] is Precision.DAY or not need_day) else None


def read_date_line(line: str, *, lang: str | None) -> tuple[bool, datetime | None]:
    """Is ``line`` (a comment header line, stripped) only a full date, after a "Publié le"
    or "le"? Returns (is a date line, the UTC datetime or None). A relative date ("il y a
    2 jours") or an ambiguous one is a date line with no date. Regexes only: this runs on
    every line of a comment section."""
    if len(line) > _MAX_LINE or not any(ch.isdigit() for ch in line):
        if len(line) <= _MAX_LINE and _words().relative.fullmatch(line.strip(" .:,|")):
            return True, None
        return False, None
    words = _words()
    core = words.prefix.sub("", line).strip(" .:,|·•-–")
    for kind, rx in words.day_res.items():
        if m := rx.fullmatch(core):
            return True, _from_match(kind, m, lang)
    if words.relative.fullmatch(core):
        return True, None  # "il y a 2 jours": a date line, but no date we may state
    return False, None
