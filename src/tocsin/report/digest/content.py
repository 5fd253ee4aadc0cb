"""What a weekly digest says, before it is rendered: the week's material chosen and
ordered once for all subscribers (:func:`week_of`, from what ``tocsin.app.digest`` read
from the store), then one subscriber's sections drawn from it (:func:`digest_content`)
as plain values for the templates, in the subscriber's words (``templates/digest.toml``).
``messages.py`` renders them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from tocsin.assess.risk.levels import RiskParams, event_severity, load_risk_params
from tocsin.assess.risk.weights import LocatedForecast
from tocsin.config import read_toml
from tocsin.errors import InputError
from tocsin.geo.areas import EVERYWHERE, Area, resolve_area
from tocsin.knowledge.files import per_knowledge_dir
from tocsin.knowledge.names import RISK_CATEGORY_NAMES, RISK_LEVEL_NAMES
from tocsin.models import Brief, Event, RiskLevel, Subscriber
from tocsin.text.fold import fold
from tocsin.text.plain import one_line

TEMPLATES = Path(__file__).parent / "templates"
_STATUS_RANK = {"confirmed": 3, "corroborated": 2, "reported": 1}
_T = TypeVar("_T")


@cache
def digest_data() -> dict[str, Any]:
    """``templates/digest.toml``: limits, weekday names, and the words of each language."""
    return read_toml(TEMPLATES / "digest.toml", what="digest words file")


@per_knowledge_dir
def _risk_params() -> RiskParams:
    return load_risk_params()


def clean(text: str | None, limit: int) -> str:
    """Text written by strangers on one line, bounded (``tocsin.text.plain.one_line``)."""
    return one_line(text, limit)


def plural(count: int, forms: Sequence[str], lang: str) -> str:
    """A count and its noun: 1 event, 3 events (French takes the singular for 0 and 1)."""
    one = count < 2 if lang == "fr" else count == 1
    return f"{count} {forms[0] if one else forms[1]}"


def _day_number(day: date, w: dict[str, Any]) -> str:
    return str(w["first_day"]) if day.day == 1 else str(day.day)


def day_words(day: date | None, w: dict[str, Any]) -> str:
    """A day in words: 3 December 2025, 1er décembre 2025."""
    if day is None:
        return str(w["no_date"])
    month = w["months"][day.month - 1]
    return str(w["day"].format(d=_day_number(day, w), month=month, year=day.year))


def period_words(start: date, end: date, w: dict[str, Any]) -> str:
    """A week in words: 1–7 December 2025, du 1er au 7 décembre 2025 (across months and
    years too)."""
    d1, d2 = _day_number(start, w), _day_number(end, w)
    m1, m2 = w["months"][start.month - 1], w["months"][end.month - 1]
    if (start.year, start.month) == (end.year, end.month):
        return str(w["period_same_month"].format(d1=d1, d2=d2, month=m1, year=end.year))
    if start.year == end.year:
        return str(w["period_same_year"].format(d1=d1, d2=d2, month1=m1, month2=m2, year=end.year))
    return str(
        w["period"].format(d1=d1, d2=d2, month1=m1, month2=m2, year1=start.year, year2=end.year)
    )


def _join(names: Sequence[str], w: dict[str, Any]) -> str:
    if not names:
        return str(w["all_areas"])
    if len(names) == 1:
        return names[0]
    return str(w["area_join"]).join(names[:-1]) + str(w["area_last"]) + names[-1]


@dataclass(frozen=True, slots=True)
class Week:
    """Everything a week's digests draw from, read once for all subscribers: events
    dated in the week (most severe first), risk levels of periods ending in it that
    changed (highest first), forecasts due or resolved in it (with their places), briefs
    of periods ending in it. ``memo`` keeps what each area selects, so that a thousand
    subscribers of "Mali" cost one selection."""

    start: date
    end: date
    events: tuple[Event, ...]
    levels: tuple[RiskLevel, ...]
    forecasts: tuple[LocatedForecast, ...]
    briefs: tuple[Brief, ...]
    memo: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict, compare=False)


def _before(level: RiskLevel) -> int:
    """The level of the period before (none stored: nothing happened, minimal)."""
    return level.previous_level or 1


def week_start(week_end: date) -> date:
    """The first day of the seven days ending ``week_end`` (both ends included)."""
    return week_end - timedelta(days=6)


def week_of(
    week_end: date,
    *,
    events: Iterable[Event],
    levels: Iterable[RiskLevel],
    forecasts: Iterable[LocatedForecast],
    briefs: Iterable[Brief],
) -> Week:
    """The material of the seven days ending ``week_end``, chosen and ordered: the
    ``events`` (those dated in the week), most severe first; of the latest ``levels`` as
    of ``week_end``, those of a period ending in the week that differ from the period
    before (points left out), highest first; the ``forecasts`` due or resolved in the
    week; the ``briefs`` (those of periods in the week), as given."""
    start = week_start(week_end)
    params = _risk_params()

    def in_week(day: date | None) -> bool:
        return day is not None and start <= day <= week_end

    changed = [
        level
        for level in levels
        if level.scope != "point" and in_week(level.period_end) and level.level != _before(level)
    ]
    return Week(
        start=start,
        end=week_end,
        events=tuple(
            sorted(
                events,
                key=lambda e: (
                    -event_severity(e, params),
                    -(e.fatalities or 0),
                    -_STATUS_RANK.get(e.status, 0),
                    -(e.event_date or start).toordinal(),
                    e.id,
                ),
            )
        ),
        levels=tuple(
            sorted(
                changed,
                key=lambda lv: (-lv.level, -abs(lv.level - _before(lv)), lv.name, lv.category),
            )
        ),
        forecasts=tuple(
            located
            for located in forecasts
            if in_week(located.forecast.deadline) or in_week(located.forecast.resolved_on)
        ),
        briefs=tuple(briefs),
    )


def _pick(
    week: Week,
    kind: str,
    items: Sequence[_T],
    areas: Sequence[Area],
    inside: Callable[[Area, _T], bool],
) -> list[_T]:
    """The items inside any of ``areas``, in their order; each area's choice is made
    once per week (``week.memo``)."""
    chosen: set[int] = set()
    for area in areas:
        key = (kind, area.key)
        if key not in week.memo:
            week.memo[key] = frozenset(i for i, item in enumerate(items) if inside(area, item))
        chosen |= week.memo[key]
    return [items[i] for i in sorted(chosen)]


@lru_cache(maxsize=4096)
def _area(name: str) -> Area | None:
    """An area by name, looked up once per process (a digest run asks for the same few
    names for every subscriber and brief); None when the gazetteer does not know it."""
    try:
        return resolve_area(name)
    except InputError:
        return None


def subscriber_areas(subscriber: Subscriber) -> list[Area]:
    """The areas a subscriber follows (everywhere when none); a name the gazetteer no
    longer knows is an ``InputError`` that says how to fix the subscriber."""
    areas = []
    for name in subscriber.areas:
        area = _area(name)
        if area is None:
            raise InputError(
                subscriber.email,
                f"area {name!r} not known to the gazetteer",
                f"set the areas again with `tocsin subscribers add {subscriber.email} --area ...`",
            )
        areas.append(area)
    return areas or [EVERYWHERE]


def _place_name(level: RiskLevel, w: dict[str, Any], chars: int) -> str:
    """A level's place; a region is named as one (Kayes the region, Kayes the town)."""
    name = clean(level.name, chars)
    if level.scope == "admin1" and "region" not in fold(name):
        return str(w["region"].format(name=name))
    return name


def _holds_forecast(area: Area, located: LocatedForecast) -> bool:
    return area.contains_point(
        located.lat, located.lon, country=located.country, admin1=located.admin1
    )


def _holds_brief(area: Area, brief: Brief) -> bool:
    """A brief concerns an area when the two hold one another (a brief on Mali for a
    subscriber of Bamako, a brief on Bamako for one of Mali)."""
    if area.scope == "all":
        return True
    own = _area(brief.area)
    if own is None:
        return False
    return (
        area.key == own.key
        or area.contains_point(own.lat, own.lon, country=own.country, admin1=own.admin1)
        or own.contains_point(area.lat, area.lon, country=area.country, admin1=area.admin1)
    )


def _pick_briefs(briefs: Sequence[Brief], lang: str) -> list[Brief]:
    """One brief per area and period, in the subscriber's language when there is one;
    newest first."""
    chosen: dict[tuple[str, date, date], Brief] = {}
    for brief in sorted(briefs, key=lambda b: (b.lang != lang, b.id)):
        chosen.setdefault((brief.area.casefold(), brief.period_start, brief.period_end), brief)
    return sorted(chosen.values(), key=lambda b: (-b.period_end.toordinal(), b.area, b.id))


def _event_line(event: Event, w: dict[str, Any], chars: int) -> dict[str, str]:
    place = ", ".join(clean(p, chars) for p in (event.location, event.admin1, event.country) if p)
    low, high = event.fatalities_low, event.fatalities_high
    if low is not None and high is not None and low != high:
        killed = w["killed_range"].format(low=low, high=high)
    elif event.fatalities is None:
        killed = w["fatalities_unknown"]
    elif event.fatalities == 0:
        killed = w["no_fatalities"]
    else:
        killed = w["killed"].format(count=event.fatalities)
    return {
        "date": day_words(event.event_date, w),
        "kind": str(w["sub_event_types"].get(event.sub_event_type, event.sub_event_type)),
        "place": place or str(w["no_place"]),
        "fatalities": str(killed),
        "status": str(w["status"].get(event.status, event.status)),
    }


def _forecast_line(located: LocatedForecast, week: Week, w: dict[str, Any]) -> dict[str, Any]:
    """A forecast resolved in the week (its outcome), or open and due in it; {} else."""
    f = located.forecast
    chars = int(digest_data()["limits"]["text_chars"])
    if f.status in ("true", "false") and f.resolved_on and week.start <= f.resolved_on <= week.end:
        outcome = w["forecast_true"] if f.status == "true" else w["forecast_false"]
    elif f.status == "open" and week.start <= f.deadline <= week.end:
        outcome = w["forecast_due"].format(date=day_words(f.deadline, w))
    else:
        return {}
    return {
        "text": clean(f.proposition, chars),
        "label": clean(f.label, 60),
        "holder": w["forecast_by"].format(holder=clean(f.holder or f.holder_kind, 120)),
        "outcome": str(outcome),
    }


def digest_content(
    week: Week, subscriber: Subscriber, w: dict[str, Any], *, base_url: str
) -> dict[str, Any]:
    """One subscriber's sections, as plain values for the templates: counts (the
    ``*_count`` keys), the lines shown, and how many more were left out."""
    limits = digest_data()["limits"]
    chars, top = int(limits["text_chars"]), int(limits["top_events"])
    lang = subscriber.lang
    areas = subscriber_areas(subscriber)
    events = _pick(week, "event", week.events, areas, Area.contains)
    types = Counter(str(w["event_types"].get(e.event_type, e.event_type)) for e in events)
    changed = _pick(week, "level", week.levels, areas, Area.contains_level)
    risks = [
        {
            "place": _place_name(lv, w, chars),
            "category": RISK_CATEGORY_NAMES[lang].get(lv.category, lv.category),
            "before": RISK_LEVEL_NAMES[lang][_before(lv)],
            "after": RISK_LEVEL_NAMES[lang][lv.level],
            "up": lv.level > _before(lv),
            "arrow": w["arrow_up"] if lv.level > _before(lv) else w["arrow_down"],
        }
        for lv in changed
    ]
    forecasts = [
        line
        for located in _pick(week, "forecast", week.forecasts, areas, _holds_forecast)
        if (line := _forecast_line(located, week, w))
    ]
    briefs = _pick_briefs(_pick(week, "brief", week.briefs, areas, _holds_brief), lang)
    shown = {key: int(limits[key]) for key in ("risk_changes", "forecasts", "briefs")}
    return {
        "areas": _join([a.name for a in areas if a.scope != "all"], w),
        "event_count": len(events),
        "events_total": plural(len(events), w["event"], lang),
        "types": sorted(types.items(), key=lambda kv: (-kv[1], kv[0])),
        "top": [_event_line(e, w, chars) for e in events[:top]],
        "events_more": max(0, len(events) - top),
        "risk_count": len(risks),
        "risks": risks[: shown["risk_changes"]],
        "risks_more": max(0, len(risks) - shown["risk_changes"]),
        "forecast_count": len(forecasts),
        "forecasts": forecasts[: shown["forecasts"]],
        "forecasts_more": max(0, len(forecasts) - shown["forecasts"]),
        "brief_count": len(briefs),
        "briefs": [
            {"title": clean(b.title, chars), "url": f"{base_url}/briefs/{quote(b.id, safe='')}"}
            for b in briefs[: shown["briefs"]]
        ],
        "briefs_more": max(0, len(briefs) - shown["briefs"]),
    }
