"""Times: dates and forecast horizons in a text, normalised against the publication date.

``extract_times`` reads explicit dates ("le 15 juillet 2025", "July 15, 2025",
"15/07/2025", "en mars 2024"), relative ones ("hier", "last Tuesday", "il y a deux
jours", "la semaine dernière") and forecast horizons ("d'ici six mois", "within three
months", "by mid-2026", "à court terme"). The words and patterns are data
(``knowledge/times.toml``, ``knowledge/horizons.toml``, compiled by
:mod:`tocsin.extract.times.grammar`); this module turns a match into a value.

Conventions (see ``eval/gold`` and the contract of ``TimeRef``):

- values are ISO: a day "2025-10-14", an ISO week "2025-W42", a month "2025-10", a year
  "2025"; a horizon, a weekend or "the last N months" is an interval "start/end", end
  inclusive. A horizon runs from the publication date to its deadline, and its
  ``precision`` is the grain of its words ("six mois": month; "by mid-2026": month).
- without a year, "le 15 juillet" is the latest 15 July on or before publication unless
  the next one is at most 45 days ahead (an announced date) ("le 15 juillet prochain":
  the next one after); "en mars" the latest March on or
  before the publication month; a bare weekday ("lundi", "on Tuesday") the latest one
  on or before publication, "lundi dernier"/"last Monday" strictly before.
- "d'ici 2027"/"by 2027" ends on 31 December 2027 (the year is included: "d'ici 2030"
  targets are met when reached during 2030); "avant 2027"/"before 2027" ends on 31
  December 2026; "by mid-2026" on 30 June 2026.
- months are calendar months, clamped: 31 August + 6 months is 28 (or 29) February.
- without a publication date, everything computed from it is left out (we abstain);
  dates that carry their own year still come out.
- a span leaves out prepositions ("2024" in "en 2024", "Tuesday" in "on Tuesday") but
  keeps the words that carry meaning ("le 15 juillet", "il y a deux jours", "d'ici six
  mois").
- French and English have their grammars; other languages get the numeric dates only
  (2025-07-15, 15/07/2025), since month names of one language are common words in
  another. DATE entities from the NLP model, where there are some (English), let a
  bare month or year ("May", "2024") count; the grammar works without them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tocsin.extract.nlp import TextAnalysis
from tocsin.extract.times.grammar import Rule, TimeLexicon, Vocabulary, load_time_lexicon
from tocsin.extract.times.patterns import DIGIT, word_key
from tocsin.models import Span, TimeRef
from tocsin.text.fold import fold

__all__ = ["TimeLexicon", "extract_times", "load_time_lexicon"]

_TOKEN = re.compile(r"\w+")
_MAX_YEARS_BACK = 8  # "le 29 février" looks this far back for a leap year
_DAYS_AHEAD = 45  # a day and month without a year up to this far ahead is taken as upcoming


@dataclass(frozen=True, slots=True)
class _Value:
    kind: str
    value: str
    start: date
    end: date
    precision: str
    relative: bool


class _Abstain:
    """The words are a time, but we cannot compute it (no publication date)."""


_ABSTAIN = _Abstain()
_Result = _Value | _Abstain | None


def extract_times(
    analysis: TextAnalysis,
    *,
    published: datetime | date | None,
    document_id: str = "",
    part: str = "body",
    lexicon: TimeLexicon | None = None,
) -> list[TimeRef]:
    """Dates and horizons in ``analysis.text``, in text order, computed from ``published``."""
    text = analysis.text
    if not text:
        return []
    grammar = (lexicon or load_time_lexicon()).grammar(analysis.lang)
    pub = published.date() if isinstance(published, datetime) else published
    entities = sorted((e.start, e.end) for e in analysis.entities if e.label == "DATE")
    found: list[TimeRef] = []
    keys: dict[str, str] = {}
    e = 0
    floor = 0  # text before this offset is taken
    screens, by_key, entity_by_key = grammar.screens, grammar.by_key, grammar.entity_by_key
    for token in _TOKEN.finditer(text):
        start = token.start()
        if start < floor:
            continue
        word = token.group()
        key = keys.get(word)
        if key is None:
            key = keys[word] = DIGIT if "0" <= word[0] <= "9" else fold(word)
        screen = screens.get(key)
        inside = False
        if entities:
            while e < len(entities) and entities[e][1] <= start:
                e += 1
            inside = e < len(entities) and entities[e][0] <= start and key in entity_by_key
        if not inside and (screen is None or screen.match(text, start) is None):
            continue
        entity_rules = entity_by_key.get(key, ()) if inside else ()
        rules = by_key.get(key, ())
        limit = entities[e][1] if inside else len(text)
        hit = _best(text, start, rules, entity_rules, limit, grammar.vocabulary, pub)
        if hit is None:
            continue
        match, result = hit
        floor = match.end()
        if isinstance(result, _Value):
            begin, end = match.span("span")
            found.append(
                TimeRef(
                    span=Span(document_id, part, begin, end),
                    surface=text[begin:end],
                    kind=result.kind,
                    value=result.value,
                    start=result.start,
                    end=result.end,
                    precision=result.precision,
                    relative=result.relative,
                )
            )
    return found


def _best(
    text: str,
    start: int,
    rules: tuple[Rule, ...],
    entity_rules: tuple[Rule, ...],
    limit: int,
    vocab: Vocabulary,
    pub: date | None,
) -> tuple[re.Match[str], _Value | _Abstain] | None:
    """The longest match at ``start`` that means a time (the earlier rule on a tie)."""
    matches = [(m, r) for r in rules if (m := r.regex.match(text, start))]
    matches += [(m, r) for r in entity_rules if (m := r.regex.match(text, start, limit))]
    matches.sort(key=lambda mr: (-mr[0].end(), mr[1].order))
    for match, rule in matches:
        result = _resolve(rule, match, vocab, pub)
        if result is not None:
            return match, result
    return None


# ---------------------------------------------------------------- meanings


def _resolve(rule: Rule, m: re.Match[str], vocab: Vocabulary, pub: date | None) -> _Result:
    groups = m.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    make = rule.make
    if make == "date":
        return _date(groups, vocab, year, str(rule.param("when", "recent")), pub)
    if make == "month":
        month = vocab.months.get(word_key(groups.get("month") or ""), 0)
        return _month(month, year, str(rule.param("when", "recent")), pub)
    if make == "year":
        return _year(year, relative=False) if year else None
    if pub is None:
        return _ABSTAIN  # everything below is computed from the publication date
    if make == "day_offset":
        return _day(pub + timedelta(days=int(rule.param("offset", 0))))
    if make == "weekday":
        weekday = vocab.weekdays.get(word_key(groups.get("weekday") or ""), 0)
        return _weekday(weekday, str(rule.param("when", "recent")), pub) if weekday else None
    if make == "period":
        return _period(str(rule.param("unit")), int(rule.param("offset", 0)), pub)
    if make == "vague":
        return _vague(rule, pub)
    if make == "horizon_end":
        return _horizon_end(str(rule.param("anchor")), groups, vocab, year, pub)
    n, unit = _amount(groups, vocab)
    if n is None or unit is None:
        return None
    if make in ("ago", "ahead"):
        return _at(_shift(pub, n if make == "ahead" else -n, unit), unit)
    if make == "horizon":
        return _interval("horizon", pub, _shift(pub, n, unit), unit)
    if make == "past_period":
        return _interval("date", _shift(pub, -n, unit), pub, unit)
    return None


def _date(
    groups: dict[str, str | None], vocab: Vocabulary, year: int | None, when: str, pub: date | None
) -> _Result:
    day = int(groups["day"] or 0)
    if groups.get("mm"):
        month = int(groups["mm"] or 0)
        if month > 12 and 1 <= day <= 12:
            day, month = month, day  # 07/15/2025 can only be month first
    else:
        month = vocab.months.get(word_key(groups.get("month") or ""), 0)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is not None:
        if day > calendar.monthrange(year, month)[1]:
            return None
        return _day(date(year, month, day), relative=False)
    if day > calendar.monthrange(2024, month)[1]:  # 2024: a leap year
        return None
    if pub is None:
        return _ABSTAIN
    if when not in ("future", "past"):
        # a day and month a few weeks ahead is an announced date ("les écoles ne
        # rouvriront pas le 10 novembre"), not one of almost a year ago
        for y in (pub.year, pub.year + 1):
            if day <= calendar.monthrange(y, month)[1]:
                ahead = (date(y, month, day) - pub).days
                if 0 < ahead <= _DAYS_AHEAD:
                    return _day(date(y, month, day))
    step = 1 if when == "future" else -1
    for y in range(pub.year, pub.year + step * _MAX_YEARS_BACK, step):
        if day > calendar.monthrange(y, month)[1]:
            continue
        candidate = date(y, month, day)
        if (
            (when == "future" and candidate > pub)
            or (when == "past" and candidate < pub)
            or (when not in ("future", "past") and candidate <= pub)
        ):
            return _day(candidate)
    return None


def _month(month: int, year: int | None, when: str, pub: date | None) -> _Result:
    if not 1 <= month <= 12:
        return None
    if year is not None:
        return _month_value(year, month, relative=False)
    if pub is None:
        return _ABSTAIN
    if when == "future":
        year = pub.year if month > pub.month else pub.year + 1
    elif when == "past":
        year = pub.year if month < pub.month else pub.year - 1
    else:
        year = pub.year if month <= pub.month else pub.year - 1
    return _month_value(year, month)


def _weekday(weekday: int, when: str, pub: date) -> _Value:
    today = pub.isoweekday()
    if when == "past":
        back = (today - weekday - 1) % 7 + 1
    elif when == "future":
        back = -((weekday - today - 1) % 7 + 1)
    elif when == "this_week":
        back = today - weekday
    else:
        back = (today - weekday) % 7
    return _day(pub - timedelta(days=back))


def _period(unit: str, offset: int, pub: date) -> _Value:
    if unit == "week":
        return _week(pub + timedelta(weeks=offset))
    if unit == "month":
        shifted = _add_months(pub.replace(day=1), offset)
        return _month_value(shifted.year, shifted.month)
    if unit == "year":
        return _year(pub.year + offset)
    monday = pub - timedelta(days=pub.isoweekday() - 1) + timedelta(weeks=offset)
    saturday, sunday = monday + timedelta(days=5), monday + timedelta(days=6)
    return _Value("date", f"{saturday}/{sunday}", saturday, sunday, "day", True)


def _vague(rule: Rule, pub: date) -> _Result:
    duration = str(rule.param("duration"))
    if duration:
        count, unit = duration.split()[:2]
        unit = unit.rstrip("s")
        return _interval("horizon", pub, _shift(pub, int(count), unit), unit)
    until = str(rule.param("until"))
    if until == "end of year":
        return _interval("horizon", pub, date(pub.year, 12, 31), "year")
    if until == "end of month":
        return _interval("horizon", pub, _month_end(pub.year, pub.month), "month")
    if until == "end of week":
        return _interval("horizon", pub, pub + timedelta(days=7 - pub.isoweekday()), "week")
    if until.startswith("before month"):
        month = int(until.split()[-1])
        onset = date(pub.year, month, 1)
        if onset <= pub:
            onset = date(pub.year + 1, month, 1)
        return _interval("horizon", pub, onset - timedelta(days=1), "month")
    return None


def _horizon_end(
    anchor: str, groups: dict[str, str | None], vocab: Vocabulary, year: int | None, pub: date
) -> _Result:
    if anchor in ("end_of_year", "mid_year", "before_year"):
        year = year or pub.year
        deadline = {
            "end_of_year": date(year, 12, 31),
            "mid_year": date(year, 6, 30),
            "before_year": date(year - 1, 12, 31),
        }[anchor]
        grain = "month" if anchor == "mid_year" else "year"
    elif anchor == "end_of_week":
        deadline, grain = pub + timedelta(days=7 - pub.isoweekday()), "week"
    else:
        month = vocab.months.get(word_key(groups.get("month") or ""), pub.month)
        if year is None:
            year = pub.year if month >= pub.month else pub.year + 1
        deadline, grain = _month_end(year, month), "month"
    if deadline < pub:
        return None  # "d'ici fin 2024" in 2025: not a forecast we can place
    return _interval("horizon", pub, deadline, grain)


def _amount(groups: dict[str, str | None], vocab: Vocabulary) -> tuple[int | None, str | None]:
    raw = groups.get("n") or ""
    n = int(raw) if raw.isdigit() else vocab.numbers.get(word_key(raw))
    unit = vocab.units.get(word_key(groups.get("unit") or ""))
    if n is None or not 1 <= n <= 999:
        return None, None
    return n, unit


# ---------------------------------------------------------------- calendar


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift(day: date, n: int, unit: str) -> date:
    try:
        if unit == "day":
            return day + timedelta(days=n)
        if unit == "week":
            return day + timedelta(weeks=n)
        return _add_months(day, n * (12 if unit == "year" else 1))
    except OverflowError:
        return day


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(day: date, *, relative: bool = True) -> _Value:
    return _Value("date", day.isoformat(), day, day, "day", relative)


def _week(day: date) -> _Value:
    iso = day.isocalendar()
    monday = day - timedelta(days=iso.weekday - 1)
    value = f"{iso.year}-W{iso.week:02d}"
    return _Value("date", value, monday, monday + timedelta(days=6), "week", True)


def _month_value(year: int, month: int, *, relative: bool = True) -> _Value:
    first = date(year, month, 1)
    return _Value(
        "date", f"{year:04d}-{month:02d}", first, _month_end(year, month), "month", relative
    )


def _year(year: int, *, relative: bool = True) -> _Value:
    return _Value("date", f"{year:04d}", date(year, 1, 1), date(year, 12, 31), "year", relative)


def _at(day: date, unit: str) -> _Value:
    if unit == "week":
        return _week(day)
    if unit == "month":
        return _month_value(day.year, day.month)
    if unit == "year":
        return _year(day.year)
    return _day(day)


def _interval(kind: str, start: date, end: date, grain: str) -> _Value:
    return _Value(kind, f"{start}/{end}", start, end, grain, True)
