"""Real ACLED notes: Tocsin's event reports on the analyst notes of ``acled_dev``.

``../shared/data/acled_dev`` (beside the repository, never copied into it) holds 1,224
real ACLED events of Mali, 2017-2018, twice: ``mali_2017_2018_monadic.csv`` in the
current taxonomy, one row per side (group by ``event_id_cnty``; the row order does not
say which side is actor1), and ``mali_2017_2018_dyadic.csv`` in the older taxonomy with
``actor1`` and ``actor2`` in ACLED's order. An event's gold is the monadic one (type,
sub-type, current actor names, point, fatalities); its sides are put in ACLED's order by
the dyadic row of the same ``event_id_cnty`` (``order_sides``). Events whose sides cannot
be ordered (no dyadic row, or both assignments equally good) count for the type, place
and fatalities figures but not for the actor figures.

Each note runs as the product runs a short report: a ``Document`` of the note, language
"en", the event's date as publication date, no country hint. Of its event reports (body
only) the one scored is the first, in text order, of those agreeing best with the gold
event type and sub-type (type 4, sub-type 2: the rule of ``eval/events.py``) -- which
favours Tocsin: it is an upper bound on picking one report.

A second run, ``acled_dev.aoi.events.*``, is the same notes for a user whose settings
name an area of interest, ``AREA_OF_INTEREST`` (Mali, Burkina Faso and Niger: the central
Sahel as an organisation working there sets it once, not each note's own country).

Figures (``acled_dev.events.*``): ``yield`` is the share of notes with at least one event
report; on those notes, the accuracy of event type, sub-type, actor1, actor2, both sides,
exact fatalities (a missing toll counts as 0, ACLED's code for "none reported") and the
share of event places within 25 km of ACLED's point (no coordinates: a miss). Actor names
compare after folding case and white space and unifying dashes and apostrophes only:
"(Mali)" and period suffixes such as "(2013-2020)" must be exactly ACLED's. Nothing here
loads a model; ``eval/run.py`` passes the extractor in.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from eval.corpus import ExtractorLike, Job, annotate_all
from tocsin.geo.distance import haversine_km
from tocsin.models import Annotations, EventReport

ROOT = Path(__file__).resolve().parent.parent
ACLED_DIR = ROOT.parent / "shared" / "data" / "acled_dev"
MONADIC_FILE = "mali_2017_2018_monadic.csv"
DYADIC_FILE = "mali_2017_2018_dyadic.csv"
PREFIX = "acled_dev.events."
AOI_PREFIX = "acled_dev.aoi.events."  # the same notes, run with AREA_OF_INTEREST set
AREA_OF_INTEREST = ("ML", "BF", "NE")  # the central Sahel, as an organisation there sets it
WITHIN_KM = 25.0
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2019": "'", "\u2018": "'"})
_PERIOD = re.compile(r"\s*\((?:\d{4})?-?(?:\d{4})?-?\)\s*$")


@dataclass(frozen=True, slots=True)
class AcledEvent:
    """One ACLED event with its note, in the current taxonomy; ``ordered`` is False
    when its sides could not be put in ACLED's order (actor1/actor2 are then the
    monadic rows' order and are not scored)."""

    id: str
    when: date
    notes: str
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    assoc1: tuple[str, ...]
    assoc2: tuple[str, ...]
    location: str
    lat: float
    lon: float
    geo_precision: int
    fatalities: int
    ordered: bool

    def job(self, area: tuple[str, ...] | None = None) -> Job:
        return Job(self.id, self.notes, "en", self.when, None, area)


@dataclass(frozen=True, slots=True)
class JoinCounts:
    """How the monadic events met their dyadic rows."""

    events: int = 0
    joined: int = 0  # a dyadic row with the same event_id_cnty
    ordered: int = 0  # sides put in ACLED's order
    one_side: int = 0  # one actor only (no actor2)
    ambiguous: int = 0  # joined, but both orders fit equally


def normalise_actor(name: str | None) -> str:
    """An ACLED actor name for comparison: case, white space, dashes and apostrophes
    folded; every other character (country and period suffixes) kept."""
    return " ".join((name or "").translate(_DASHES).split()).casefold()


def strip_period(name: str | None) -> str:
    """The normalised name without a trailing period suffix ("(2013-2020)", "(2021-)")."""
    return _PERIOD.sub("", normalise_actor(name))


def _assoc(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split(";") if a.strip())


def order_sides(
    sides: Sequence[Mapping[str, str]], dyadic: Mapping[str, str] | None
) -> tuple[str | None, str | None, tuple[str, ...], tuple[str, ...], bool]:
    """actor1, actor2 (current names), their associates and whether the order is
    ACLED's. ``sides`` are the event's monadic rows; the dyadic row decides the order:
    the assignment whose names (periods stripped), inter codes and associates agree most
    with the dyadic actor1/actor2 wins; a tie leaves the order unknown."""
    rows = list(sides)
    names = [(r.get("actor1") or None, _assoc(r.get("assoc_actor_1") or "")) for r in rows]
    if len(rows) == 1:
        ordered = dyadic is not None and not (dyadic.get("actor2") or "").strip()
        return names[0][0], None, names[0][1], (), ordered
    if dyadic is None:
        return names[0][0], names[1][0], names[0][1], names[1][1], False

    def fit(row: Mapping[str, str], side: str) -> int:
        suffix = "1" if side == "actor1" else "2"
        score = 3 * (strip_period(row.get("actor1")) == strip_period(dyadic.get(side)))
        score += 2 * (row.get("inter1") == dyadic.get(f"inter{suffix}"))
        assoc = {strip_period(a) for a in _assoc(row.get("assoc_actor_1") or "")}
        theirs = {strip_period(a) for a in _assoc(dyadic.get(f"assoc_actor_{suffix}") or "")}
        return score + (bool(assoc) and assoc == theirs)

    straight = fit(rows[0], "actor1") + fit(rows[1], "actor2")
    swapped = fit(rows[1], "actor1") + fit(rows[0], "actor2")
    first, second = (0, 1) if straight >= swapped else (1, 0)
    same = normalise_actor(names[0][0]) == normalise_actor(names[1][0])
    ordered = straight != swapped or same
    return names[first][0], names[second][0], names[first][1], names[second][1], ordered


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_acled_events(folder: Path = ACLED_DIR) -> tuple[list[AcledEvent], JoinCounts]:
    """Every monadic event (in file order) with its sides ordered from the dyadic file,
    and the join counts. Raises OSError when a file is missing."""
    groups: dict[str, list[dict[str, str]]] = {}
    for row in _read_csv(folder / MONADIC_FILE):
        groups.setdefault(row["event_id_cnty"], []).append(row)
    dyadic = {r["event_id_cnty"]: r for r in _read_csv(folder / DYADIC_FILE)}
    events, joined, ordered_n, one_side, ambiguous = [], 0, 0, 0, 0
    for event_id, rows in groups.items():
        pair = dyadic.get(event_id)
        actor1, actor2, assoc1, assoc2, ordered = order_sides(rows, pair)
        joined += pair is not None
        ordered_n += ordered
        one_side += actor2 is None
        ambiguous += pair is not None and not ordered
        first = rows[0]
        events.append(
            AcledEvent(
                id=event_id,
                when=datetime.strptime(first["event_date"], "%d %B %Y").date(),
                notes=first["notes"],
                event_type=first["event_type"],
                sub_event_type=first["sub_event_type"],
                actor1=actor1,
                actor2=actor2,
                assoc1=assoc1,
                assoc2=assoc2,
                location=first["location"],
                lat=float(first["latitude"]),
                lon=float(first["longitude"]),
                geo_precision=int(first["geo_precision"] or 0),
                fatalities=int(first["fatalities"] or 0),
                ordered=ordered,
            )
        )
    counts = JoinCounts(len(events), joined, ordered_n, one_side, ambiguous)
    return events, counts


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class NoteResult:
    """What Tocsin made of one note: the picked report (None: no event report)."""

    event: AcledEvent
    report: EventReport | None
    n_reports: int
    distance_km: float | None

    @property
    def type_ok(self) -> bool:
        return self.report is not None and self.report.event_type == self.event.event_type

    @property
    def sub_ok(self) -> bool:
        return self.report is not None and self.report.sub_event_type == self.event.sub_event_type

    @property
    def actor1_ok(self) -> bool:
        got = self.report.actor1_name if self.report else None
        return normalise_actor(got) == normalise_actor(self.event.actor1)

    @property
    def actor2_ok(self) -> bool:
        got = self.report.actor2_name if self.report else None
        return normalise_actor(got) == normalise_actor(self.event.actor2)

    @property
    def near(self) -> bool:
        return self.distance_km is not None and self.distance_km <= WITHIN_KM

    @property
    def fatalities(self) -> int:
        return (self.report.fatalities or 0) if self.report else 0

    @property
    def fatalities_ok(self) -> bool:
        return self.fatalities == self.event.fatalities


def pick_report(event: AcledEvent, reports: Sequence[EventReport]) -> EventReport | None:
    """The first report (text order) of those agreeing best on type (4) and sub-type (2)."""
    best: EventReport | None = None
    best_score = -1
    for report in sorted(reports, key=lambda r: r.span.start):
        score = 4 * (report.event_type == event.event_type) + 2 * (
            report.sub_event_type == event.sub_event_type
        )
        if score > best_score:
            best, best_score = report, score
    return best


def score_note(event: AcledEvent, ann: Annotations) -> NoteResult:
    reports = [r for r in ann.events if r.span.part == "body"]
    report = pick_report(event, reports)
    km = None
    if report is not None and report.lat is not None and report.lon is not None:
        km = haversine_km(event.lat, event.lon, report.lat, report.lon)
    return NoteResult(event, report, len(reports), km)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def acled_figures(results: Sequence[NoteResult], *, prefix: str = PREFIX) -> dict[str, float]:
    found = [r for r in results if r.report is not None]
    sided = [r for r in found if r.event.ordered]
    figures = {
        PREFIX + "n": float(len(results)),
        PREFIX + "n_with_event": float(len(found)),
        PREFIX + "n_sides_scored": float(len(sided)),
        PREFIX + "yield": _share(len(found), len(results)),
        PREFIX + "type_accuracy": _share(sum(r.type_ok for r in found), len(found)),
        PREFIX + "subtype_accuracy": _share(sum(r.sub_ok for r in found), len(found)),
        PREFIX + "actor1_accuracy": _share(sum(r.actor1_ok for r in sided), len(sided)),
        PREFIX + "actor2_accuracy": _share(sum(r.actor2_ok for r in sided), len(sided)),
        PREFIX + "sides_accuracy": _share(
            sum(r.actor1_ok and r.actor2_ok for r in sided), len(sided)
        ),
        PREFIX + "within_25km": _share(sum(r.near for r in found), len(found)),
        PREFIX + "fatalities_exact": _share(sum(r.fatalities_ok for r in found), len(found)),
    }
    return {prefix + k.removeprefix(PREFIX): v for k, v in figures.items()}


def format_acled(
    figures: Mapping[str, float],
    counts: JoinCounts,
    elapsed: float,
    *,
    prefix: str = PREFIX,
    label: str = "acled_dev events",
) -> list[str]:
    f = {k.removeprefix(prefix): v for k, v in figures.items() if k.startswith(prefix)}
    return [
        f"acled_dev notes ({counts.events} real events; {counts.joined} joined to their dyadic"
        f" row, sides ordered for {counts.ordered}, {counts.ambiguous} ambiguous, "
        f"{counts.one_side} one-sided), extracted in {elapsed:.1f} s",
        f"{label}: yield {f['yield']:.3f} ({int(f['n_with_event'])}/{int(f['n'])}); "
        f"on notes with an event: type {f['type_accuracy']:.3f}, sub-type "
        f"{f['subtype_accuracy']:.3f}, actor1 {f['actor1_accuracy']:.3f}, actor2 "
        f"{f['actor2_accuracy']:.3f}, both sides {f['sides_accuracy']:.3f} "
        f"(n={int(f['n_sides_scored'])}), place within 25 km {f['within_25km']:.3f}, "
        f"fatalities exact {f['fatalities_exact']:.3f}",
    ]


def miss_line(result: NoteResult) -> str | None:
    """One line naming what went wrong on a note (ids and codes, no note text)."""
    e, p = result.event, result.report
    if p is None:
        return f"{e.id} acled: no event report ({e.sub_event_type})"
    wrong = []
    if not result.sub_ok:
        wrong.append(f"type {p.sub_event_type!r} (gold {e.sub_event_type!r})")
    if e.ordered and not result.actor1_ok:
        wrong.append(f"actor1 {p.actor1_name!r} (gold {e.actor1!r})")
    if e.ordered and not result.actor2_ok:
        wrong.append(f"actor2 {p.actor2_name!r} (gold {e.actor2!r})")
    if not result.near:
        km = "-" if result.distance_km is None else f"{result.distance_km:.0f} km"
        wrong.append(f"place {p.location!r} ({km}; gold {e.location!r})")
    if not result.fatalities_ok:
        wrong.append(f"fatalities {result.fatalities} (gold {e.fatalities})")
    return f"{e.id} acled: " + "; ".join(wrong) if wrong else None


def measure_acled(
    extractor: ExtractorLike,
    *,
    folder: Path = ACLED_DIR,
    errors: list[str] | None = None,
    area: tuple[str, ...] | None = None,
) -> tuple[dict[str, float], list[str], list[NoteResult]]:
    """Figures, lines to print and per-note results; without the data, no figures and
    one line saying why. With ``area`` the notes run as for a user whose settings name
    that area of interest (figures ``acled_dev.aoi.events.*``)."""
    import time

    if not (folder / MONADIC_FILE).exists() or not (folder / DYADIC_FILE).exists():
        return {}, [f"acled_dev: not measured ({folder} absent)"], []
    events, counts = load_acled_events(folder)
    started = time.perf_counter()
    annotations = annotate_all(extractor, [e.job(area) for e in events], errors=errors)
    elapsed = time.perf_counter() - started
    results = [score_note(e, a) for e, a in zip(events, annotations, strict=True)]
    prefix = AOI_PREFIX if area else PREFIX
    figures = acled_figures(results, prefix=prefix)
    figures[prefix + "elapsed_s"] = elapsed
    label = f"acled_dev events, area of interest {','.join(area)}" if area else ""
    lines = format_acled(figures, counts, elapsed, prefix=prefix, label=label or "acled_dev events")
    return figures, lines, results


def skip_unmeasured(floors: Mapping[str, float], figures: Mapping[str, float]) -> dict[str, float]:
    """The floors without the ``acled_dev.`` ones when the data was not there."""
    if PREFIX + "n" in figures:
        return dict(floors)
    return {k: v for k, v in floors.items() if not k.startswith("acled_dev.")}
