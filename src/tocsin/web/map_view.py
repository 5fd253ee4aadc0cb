"""What the map, timeline and risk pages share: the colours of event types and risk
levels (one place: the legend, the timeline's SVG and map.js all read them from here),
the geometry of the timeline's stacked bar chart. Countries' names and ISO numeric
codes (the ids of world-atlas) are ``tocsin.geo.countries``; the event filters and
default date window are those of every event page, in ``tocsin.web.filters``.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from tocsin.errors import InputError
from tocsin.geo.countries import country_code
from tocsin.models import EVENT_TYPES, RiskLevel
from tocsin.store.map_queries import WeekCount
from tocsin.text.fold import fold

# ACLED's event types, in the legend's order, with their colours on the map and the
# timeline; anything else (an unknown type) is drawn in OTHER_COLOUR.
EVENT_TYPE_COLOURS: dict[str, str] = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#7d3c98",
    "Riots": "#b7950b",
    "Protests": "#2471a3",
    "Strategic developments": "#1e8449",
}
OTHER_COLOUR = "#6c7a89"
assert set(EVENT_TYPE_COLOURS) == set(EVENT_TYPES)
# Risk levels 1-5, light to dark (a yellow-orange-red ramp readable as a choropleth).
LEVEL_COLOURS: dict[int, str] = {
    1: "#fff3b0",
    2: "#fecc5c",
    3: "#fd8d3c",
    4: "#e6402a",
    5: "#a50026",
}
MAP_LIMIT = 2000  # events drawn by default (the newest); the API takes up to MAP_MAX_LIMIT
MAP_MAX_LIMIT = 20000
MAX_WEEKS = 520  # the timeline shows at most ten years of weeks (the latest ones)


def type_colour(event_type: str) -> str:
    return EVENT_TYPE_COLOURS.get(event_type, OTHER_COLOUR)


def type_slug(event_type: str) -> str:
    """A CSS-safe name of an event type ("Explosions/Remote violence" -> "explosions-
    remote-violence")."""
    return re.sub(r"[^a-z0-9]+", "-", event_type.lower()).strip("-") or "other"


# ---------------------------------------------------------------- timeline


@dataclass(frozen=True, slots=True)
class Week:
    """One ISO week of the timeline: its Monday, its ISO name ("2025-W37"), counts per
    event type (the chart's order) and the total."""

    start: date
    counts: tuple[tuple[str, int], ...]
    total: int

    @property
    def name(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


def weeks_of(counts: list[WeekCount]) -> tuple[list[Week], list[str], bool]:
    """Every week from the first to the last with an event (empty weeks included, so
    the chart's axis is time), the event types present (ACLED's order, then others by
    name), and whether older weeks were cut to keep MAX_WEEKS."""
    if not counts:
        return [], [], False
    known = list(EVENT_TYPE_COLOURS)
    present = {c.event_type for c in counts}
    types = [t for t in known if t in present] + sorted(present - set(known))
    by_week: dict[date, dict[str, int]] = {}
    for c in counts:
        by_week.setdefault(c.week, {})[c.event_type] = c.count
    first, last = min(by_week), max(by_week)
    cut = (last - first).days // 7 + 1 > MAX_WEEKS
    if cut:
        first = last - timedelta(weeks=MAX_WEEKS - 1)
    weeks = []
    day = first
    while day <= last:
        found = by_week.get(day, {})
        row = tuple((t, found[t]) for t in types if found.get(t))
        weeks.append(Week(start=day, counts=row, total=sum(n for _, n in row)))
        day += timedelta(weeks=1)
    return weeks, types, cut


@dataclass(frozen=True, slots=True)
class Bar:
    """One rectangle of the chart (SVG user units) and what it counts."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    slug: str
    title: str


@dataclass(frozen=True, slots=True)
class Tick:
    at: float  # y of a horizontal grid line, or x of a week's label
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]


def _nice_step(peak: int) -> int:
    """A round step (1, 2, 5 x 10^n) giving at most five grid lines up to ``peak``."""
    raw = max(1.0, peak / 5)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def timeline_chart(weeks: list[Week], type_names: dict[str, str]) -> Chart:
    """The stacked bars of ``weeks`` in a 960 x 300 box: one bar per week, one segment
    per event type (bottom up in the legend's order), grid lines and week labels.
    ``type_names`` gives the segments' titles in the page's language."""
    width, height, left, right, top, bottom = 960, 300, 48, 12, 12, 40
    plot_width, plot_height = width - left - right, height - top - bottom
    peak = max((w.total for w in weeks), default=0)
    step = _nice_step(peak)
    ceiling = max(step, math.ceil(peak / step) * step)
    scale = plot_height / ceiling
    slot = plot_width / max(1, len(weeks))
    gap = min(2.0, slot * 0.15)
    bars = []
    for i, week in enumerate(weeks):
        x = left + i * slot + gap / 2
        base = float(top + plot_height)
        for event_type, count in week.counts:
            h = count * scale
            base -= h
            bars.append(
                Bar(
                    x=round(x, 2),
                    y=round(base, 2),
                    width=round(max(0.5, slot - gap), 2),
                    height=round(h, 2),
                    colour=type_colour(event_type),
                    slug=type_slug(event_type),
                    title=f"{week.name} ({week.start.isoformat()}): "
                    f"{type_names.get(event_type, event_type)} {count}",
                )
            )
    y_ticks = tuple(
        Tick(at=round(top + plot_height - v * scale, 2), label=str(v))
        for v in range(0, ceiling + 1, step)
    )
    every = max(1, math.ceil(len(weeks) * 90 / plot_width))  # labels ~90 units apart
    x_ticks = tuple(
        Tick(at=round(left + i * slot + slot / 2, 2), label=week.start.isoformat())
        for i, week in enumerate(weeks)
        if i % every == 0
    )
    return Chart(
        width=width,
        height=height,
        left=left,
        top=top,
        plot_width=plot_width,
        plot_height=plot_height,
        bars=tuple(bars),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
    )


# ---------------------------------------------------------------- store and places


_CENTRES: dict[tuple[str, str], tuple[float, float] | None] = {}
_CENTRES_LOCK = threading.Lock()


def admin1_centres(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[float, float]]:
    """Where to draw first-level regions (country ISO2, admin1 name): the gazetteer's
    point for the region, remembered for the life of the process; regions it does not
    know are left out."""
    wanted = set(pairs)
    with _CENTRES_LOCK:
        missing = [pair for pair in wanted if pair not in _CENTRES]
        if missing:
            from tocsin.geo.gazetteer import Gazetteer, name_key

            gazetteer = Gazetteer.load()
            try:
                for country, admin1 in missing:
                    found = None
                    for place in gazetteer.lookup(admin1, country=country, limit=20):
                        if (
                            place.feature_code == "ADM1"
                            and place.country == country
                            and place.lat is not None
                            and place.lon is not None
                            and name_key(place.admin1 or place.name) == name_key(admin1)
                        ):
                            found = (place.lat, place.lon)
                            break
                    _CENTRES[(country, admin1)] = found
            finally:
                gazetteer.close()
        return {pair: centre for pair in wanted if (centre := _CENTRES.get(pair)) is not None}


def area_matcher(area: str | None) -> Callable[[RiskLevel], bool]:
    """Whether a risk level is in ``area``: a country (code or name: its places too), or
    a part of a place's name or region (accents and case ignored)."""
    text = fold(area or "")
    if not text:
        return lambda _level: True
    try:
        code: str | None = country_code(area or "")
    except InputError:
        code = None

    def matches(level: RiskLevel) -> bool:
        if code is not None and level.country == code:
            return True
        return any(text in fold(part or "") for part in (level.name, level.admin1)) or (
            text == fold(level.place_key)
        )

    return matches
