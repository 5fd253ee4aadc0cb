"""One event from the reports merged into it.

Reports are ranked: the most reliable source first (Admiralty letter A before F), then
the most precise place, then the most precise date, then the earliest published.

- Type and sub-type come from the best (first-ranked) report; the place from the
  report with the most precise place, the date from the one with the most precise date
  (the best report wins each tie).
- Actors: each report's sides are aligned with the event's (outlets may name the
  target first); a side takes the first-ranked named actor, else the first-ranked
  generic one; associated actors are the union, less the chosen actor.
- Fatalities: ACLED's conservative rule. Among the reports that give a figure, those
  of the most reliable grade decide, and of theirs the lowest figure is the event's;
  ``fatalities_low``/``fatalities_high`` are the lowest and highest figures reported
  (bounds of "at least", "up to" included).
- Independence: copies of one document and reports of the same outlet count once
  (:func:`tocsin.assess.claims.index.independent_sources`). Status: "confirmed" with
  ``confirmed`` independent sources, or any source of a confirming kind or grade;
  "corroborated" with ``corroborated``; otherwise "reported".
- Notes: the date, the place and the best report's quote, cut on a word, and the range
  of figures when reports disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tocsin.assess.claims.index import independent_sources
from tocsin.assess.merge.rules import Facts, MergeParams, Side, orient
from tocsin.models import EVENT_TAGS, Event, EventReport, SourcedReport, Statement

__all__ = ["build_event", "independent_count", "status_of"]

GRADES = "ABCDEF"
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
_LAST = 9  # rank of a missing precision


def build_event(members: Sequence[Facts], event_id: str, params: MergeParams) -> Event:
    """The event of ``members`` (in processing order) under ``event_id``."""
    ranked = sorted(members, key=_rank)
    best = ranked[0].report
    placed = min(ranked, key=lambda f: (f.geo or _LAST, f.lat is None)).report.report
    dated = min(ranked, key=lambda f: _LAST if f.day is None else f.precision).report.report
    reports = tuple(f.report for f in members)
    independent = independent_count(reports)
    side1, side2 = _align(ranked, params)
    actor1, actor2 = _pick(side1, params), _pick(side2, params)
    low, high, fatalities = _fatalities(ranked)
    country = next((f.country for f in ranked if f.country), None)
    return Event(
        id=event_id,
        event_type=best.report.event_type,
        sub_event_type=best.report.sub_event_type,
        event_date=dated.event_date,
        time_precision=dated.time_precision if dated.event_date is not None else None,
        actor1=actor1.id if actor1 else None,
        actor1_name=actor1.name if actor1 else None,
        inter1=actor1.inter if actor1 else None,
        actor2=actor2.id if actor2 else None,
        actor2_name=actor2.name if actor2 else None,
        inter2=actor2.inter if actor2 else None,
        assoc_actor_1=_assoc(side1, actor1),
        assoc_actor_2=_assoc(side2, actor2),
        location=placed.location,
        geonameid=placed.geonameid,
        lat=placed.lat,
        lon=placed.lon,
        country=country,
        admin1=placed.admin1 or next((f.report.report.admin1 for f in ranked if f.admin1), None),
        geo_precision=placed.geo_precision,
        fatalities=fatalities,
        fatalities_low=low,
        fatalities_high=high,
        tags=_tags(reports),
        status=status_of(reports, independent, params),
        independent=independent,
        reports=reports,
        notes=_notes(
            best, placed.location, placed.admin1, placed.geo_precision, dated, low, high, params
        ),
        source="; ".join(dict.fromkeys(r.source_id for r in reports)),
    )


def _rank(f: Facts) -> tuple[int, int, int, int]:
    grade = f.report.reliability.upper()
    letter = GRADES.index(grade) if len(grade) == 1 and grade in GRADES else len(GRADES)
    return (letter, f.geo or _LAST, _LAST if f.day is None else f.precision, f.order)


def independent_count(reports: Sequence[SourcedReport]) -> int:
    """Independent sources among ``reports``: copies and one outlet count once."""
    return independent_sources(
        Statement(
            id=r.id,
            document_id=r.document_id,
            source_id=r.source_id,
            span=r.report.span,
            text=r.quote,
            lang=None,
            stance="affirms",
            copy_of=r.copy_of,
            published=r.published,
        )
        for r in reports
    )


def status_of(reports: Sequence[SourcedReport], independent: int, params: MergeParams) -> str:
    """reported, corroborated or confirmed (thresholds in ``knowledge/merge.toml``)."""
    if (
        independent >= params.confirmed
        or any(str(r.kind) in params.confirm_kinds for r in reports)
        or any(r.reliability.upper() in params.confirm_grades for r in reports)
    ):
        return "confirmed"
    return "corroborated" if independent >= params.corroborated else "reported"


# ------------------------------------------------------------------------- actors


@dataclass(frozen=True, slots=True)
class _Named:
    """An actor a report puts on one side."""

    id: str
    name: str | None
    inter: int | None
    primary: bool  # actor1/actor2 rather than an associate


def _align(ranked: Sequence[Facts], params: MergeParams) -> tuple[list[_Named], list[_Named]]:
    """Each side's actors over the ranked reports, with every report's sides turned to
    match the event's (the best report's, completed by the next ones)."""
    ref1: Side = ()
    ref2: Side = ()
    out1: list[_Named] = []
    out2: list[_Named] = []
    for f in ranked:
        r = f.report.report
        one = (r.actor1, r.actor1_name, r.inter1, r.assoc_actor_1)
        two = (r.actor2, r.actor2_name, r.inter2, r.assoc_actor_2)
        side1, side2 = f.side1, f.side2
        if orient(ref1, ref2, side1, side2, params):
            one, two, side1, side2 = two, one, side2, side1
        for (actor, name, inter, assoc), out in ((one, out1), (two, out2)):
            if actor:
                out.append(_Named(actor, name, inter, True))
            out += [_Named(a, None, params.inters.get(a), False) for a in assoc]
        ref1, ref2 = ref1 or side1, ref2 or side2
    return out1, out2


def _pick(side: list[_Named], params: MergeParams) -> _Named | None:
    """The first named primary actor of the side, else the first generic one."""
    primaries = [n for n in side if n.primary]
    named = [n for n in primaries if n.id in params.named]
    chosen = named or primaries
    return chosen[0] if chosen else None


def _assoc(side: list[_Named], chosen: _Named | None) -> tuple[str, ...]:
    taken = chosen.id if chosen else None
    return tuple(dict.fromkeys(n.id for n in side if not n.primary and n.id != taken))


# ---------------------------------------------------------------------- figures


def _fatalities(ranked: Sequence[Facts]) -> tuple[int | None, int | None, int | None]:
    """Lowest and highest reported, and the conservative best figure."""
    given = [f for f in ranked if f.fatalities is not None]
    bounds = [
        n
        for f in ranked
        for n in (f.fatalities, f.report.report.fatalities_low, f.report.report.fatalities_high)
        if n is not None
    ]
    if not given:
        return (min(bounds), max(bounds), None) if bounds else (None, None, None)
    top = _rank(given[0])[0]
    best = min(f.fatalities for f in given if _rank(f)[0] == top and f.fatalities is not None)
    return min(bounds), max(bounds), best


def _tags(reports: Sequence[SourcedReport]) -> tuple[str, ...]:
    found = {t for r in reports for t in r.report.tags}
    known = [t for t in EVENT_TAGS if t in found]
    return (*known, *sorted(found - set(known)))


# ------------------------------------------------------------------------ notes


def _when(day: date | None, precision: int | None) -> str:
    if day is None:
        return ""
    month = f"{MONTHS[day.month - 1]} {day.year}"
    if precision == 3:
        return f"In {month}"
    if precision == 2:
        return f"In the week of {day.day} {month}"
    return f"On {day.day} {month}"


def _where(location: str | None, admin1: str | None, precision: int | None) -> str:
    if not location:
        return f"in {admin1}" if admin1 else ""
    region = f" ({admin1})" if admin1 and admin1 != location else ""
    return f"{'near' if precision == 2 else 'in'} {location}{region}"


def _notes(
    best: SourcedReport,
    location: str | None,
    admin1: str | None,
    geo: int | None,
    dated: EventReport,
    low: int | None,
    high: int | None,
    params: MergeParams,
) -> str:
    """ "On 14 October 2025, near Kati (Koulikoro): <quote> [fatalities reported: 12-15]"."""
    when = _when(dated.event_date, dated.time_precision)
    head = ", ".join(p for p in (when, _where(location, admin1, geo)) if p)
    quote = " ".join(best.quote.split()) or best.report.trigger_text
    tail = (
        f" [fatalities reported: {low}-{high}]"
        if low is not None and high not in (None, low)
        else ""
    )
    text = f"{head}: {quote}" if head else quote
    room = params.notes_max_chars - len(tail)
    if len(text) > room:
        cut = text[: room - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
        text = cut + "…"
    return text + tail
