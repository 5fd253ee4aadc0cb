"""Publication dates: machine-readable values and French or English visible dates.

Every date comes back in UTC with its precision (day, month, year), or not at all:
a date the page does not give is never invented.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

from dateparser.date import DateDataParser

from tocsin.models import Precision

_PERIODS = {
    "time": Precision.DAY,
    "day": Precision.DAY,
    "week": Precision.DAY,
    "month": Precision.MONTH,
    "year": Precision.YEAR,
}

# Locates a date inside a longer line (a byline, a dateline); dateparser then reads it.
_MONTHS = (
    r"janv?|févr?|fevr?|mars|avr|mai|juin|juil|août|aout|sept?|oct|nov|déc|dec"
    r"|jan|feb|mar|apr|may|jun|jul|aug|"
    r"janvier|février|fevrier|avril|juillet|septembre|octobre|novembre|décembre|decembre"
    r"|january|february|march|april|june|july|august|september|october|november|december"
)
_TIME = r"(?:\s*(?:à|a|at|,|-|–)?\s*\d{1,2}\s*(?:h|:)\s*\d{2}(?:\s*min)?(?:\s*[ap]\.?m\.?)?)?"
_DATE_RE = re.compile(
    rf"""(?ix)
    (?:\b\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{_MONTHS})\.?\s+\d{{4}}{_TIME})
    | (?:\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}{_TIME})
    | (?:\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}{_TIME})
    | (?:\b\d{{4}}-\d{{2}}-\d{{2}}
       (?:[T\ ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?)
    | (?:\b(?:{_MONTHS})\.?\s+\d{{4}}\b)
    """
)
_ISO_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")


@lru_cache(maxsize=4)
def _parser(lang: str | None) -> DateDataParser:
    order = "MDY" if lang == "en" else "DMY"
    languages = ["en", "fr"] if lang == "en" else ["fr", "en"]
    return DateDataParser(
        languages=languages,
        settings={"DATE_ORDER": order, "PREFER_DATES_FROM": "past", "TO_TIMEZONE": "UTC"},
    )


def to_utc(value: datetime) -> datetime:
    """Aware datetimes are converted; naive ones are taken as UTC (the Sahel's own zone)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _truncate(value: datetime, precision: Precision) -> datetime:
    if precision is Precision.MONTH:
        return value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if precision is Precision.YEAR:
        return value.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return value


def parse_iso(value: str) -> tuple[datetime, Precision] | None:
    """Machine-readable dates from metadata: ``2025-11-04``, ``2025-11-04T09:12:00+00:00``,
    ``2025-11`` (month), ``2025`` (year)."""
    value = value.strip()
    match = _ISO_RE.match(value)
    if not match:
        return None
    head = match.group(0)
    try:
        if len(head) == 4:
            return datetime(int(head), 1, 1, tzinfo=UTC), Precision.YEAR
        if len(head) == 7:
            return datetime(int(head[:4]), int(head[5:7]), 1, tzinfo=UTC), Precision.MONTH
        text = value.replace("Z", "+00:00")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parsed = datetime.fromisoformat(head)
        return to_utc(parsed), Precision.DAY
    except ValueError:
        return None


def parse_date(text: str, *, lang: str | None = None) -> tuple[datetime, Precision] | None:
    """Read one date written for people ("3 DÉC. 2025", "05/11/2025", "Nov. 5, 2025").

    Numeric dates are day-first unless the page is English.
    """
    text = text.strip()
    if not text or len(text) > 80:
        return None
    iso = parse_iso(text) if text[:4].isdigit() else None
    if iso:
        return iso
    data = _parser(lang).get_date_data(text)
    if data.date_obj is None:
        return None
    precision = _PERIODS.get(data.period or "day", Precision.DAY)
    return _truncate(to_utc(data.date_obj), precision), precision


def find_date(text: str, *, lang: str | None = None) -> tuple[datetime, Precision] | None:
    """The first readable date inside a line such as "Par Awa Traoré — 3 DÉC. 2025"."""
    for match in _DATE_RE.finditer(text[:2000]):
        found = parse_date(match.group(0), lang=lang)
        if found:
            return found
    return None
