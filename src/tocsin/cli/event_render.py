"""Events and their reports as terminal text, for ``tocsin events list|show``: a table
of events, and one event as coded followed by each report. Text written by strangers
(quotes, notes, names from an imported file) is printed with ``markup=False`` or as
``Text``."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from tocsin.cli.common import count, list_table, out, say
from tocsin.models import Event, EventFilter, SourcedReport


def _when(event_date: date | None, precision: int | None) -> str:
    if event_date is None:
        return "no date"
    if precision == 2:
        return f"{event_date.isoformat()} (week)"
    if precision == 3:
        return f"{event_date.isoformat()[:7]} (month)"
    return event_date.isoformat()


def _actor(name: str | None, actor_id: str | None) -> str:
    return name or actor_id or "?"


def _actors(event: Event) -> str:
    first = _actor(event.actor1_name, event.actor1)
    if event.actor2 or event.actor2_name:
        return f"{first} → {_actor(event.actor2_name, event.actor2)}"
    return first


def _place(event: Event) -> str:
    return ", ".join(p for p in (event.location, event.admin1, event.country) if p) or "—"


def _fatalities(best: int | None, low: int | None, high: int | None) -> str:
    if low is not None and high is not None and low != high:
        return f"{low}–{high}"
    return "—" if best is None else str(best)


def _quote(text: str, width: int = 300) -> str:
    piece = " ".join(text.split())
    return piece if len(piece) <= width else piece[: width - 1] + "…"


def print_events(found: list[Event], flt: EventFilter) -> None:
    """The events as a table, then how many (and whether ``--limit`` cut the list)."""
    table = list_table("id", "date", "type / sub-type", "actors", "location", "fatalities")
    table.add_column("status")
    table.add_column("reports", justify="right")
    for e in found:
        table.add_row(
            Text(e.id),
            Text(_when(e.event_date, e.time_precision)),
            Text(f"{e.event_type} / {e.sub_event_type}", overflow="fold"),
            Text(_actors(e), overflow="fold"),
            Text(_place(e), overflow="fold"),
            Text(_fatalities(e.fatalities, e.fatalities_low, e.fatalities_high)),
            Text(e.status),
            Text(str(len(e.reports))),
        )
    out.print(table)
    more = "; --limit shows more" if flt.limit is not None and len(found) == flt.limit else ""
    say(f"{count(len(found), 'event')}{more}")


def _print_report(number: int, sourced: SourcedReport) -> None:
    report = sourced.report
    published = sourced.published.date().isoformat() if sourced.published else "no date"
    copy = f" · copy of {sourced.copy_of}" if sourced.copy_of else ""
    say(
        f"  {number}. {sourced.source_id} ({sourced.reliability}) · {sourced.kind} · "
        f"published {published}{copy} · {sourced.id}"
    )
    say(f"     «{_quote(sourced.quote)}»")
    figures = _fatalities(report.fatalities, report.fatalities_low, report.fatalities_high)
    said = f' ("{_quote(report.fatalities_text, 80)}")' if report.fatalities_text else ""
    killed = "not reported" if figures == "—" else figures
    first = _actor(report.actor1_name, report.actor1)
    second = f" → {_actor(report.actor2_name, report.actor2)}" if report.actor2 else ""
    place = report.location or "no place"
    say(
        f"     its figures: {report.event_type} / {report.sub_event_type} · "
        f"{_when(report.event_date, report.time_precision)} · {place} · "
        f"{first}{second} · fatalities {killed}{said}"
    )


def _named(name: str | None, actor_id: str | None, inter: int | None) -> str:
    """An actor as "name [id], inter N" (the id is what --actor takes)."""
    shown = _actor(name, actor_id)
    if actor_id and name and actor_id != name:
        shown += f" [{actor_id}]"
    return shown + (f", inter {inter}" if inter is not None else "")


def print_event(event: Event) -> None:
    """One event as coded (date, actors, place, fatalities, status...), then each of its
    reports: source and grade, publication, quote and the report's own figures."""
    out.print(
        f"{event.id}  {event.event_type} / {event.sub_event_type} ({event.disorder_type})",
        style="bold",
        markup=False,
    )
    rows: list[tuple[str, str]] = [("date", _when(event.event_date, event.time_precision))]
    if event.actor1 or event.actor1_name:
        rows.append(("actor1", _named(event.actor1_name, event.actor1, event.inter1)))
    if event.assoc_actor_1:
        rows.append(("with", ", ".join(event.assoc_actor_1)))
    if event.actor2 or event.actor2_name:
        rows.append(("actor2", _named(event.actor2_name, event.actor2, event.inter2)))
    if event.assoc_actor_2:
        rows.append(("with", ", ".join(event.assoc_actor_2)))
    where = ", ".join(p for p in (event.location, event.admin2, event.admin1, event.country) if p)
    if event.lat is not None and event.lon is not None:
        where += f" ({event.lat:.4f}, {event.lon:.4f})"
    if event.geo_precision is not None:
        where += f", geo precision {event.geo_precision}"
    rows.append(("location", where or "unknown"))
    fatalities = "not reported" if event.fatalities is None else str(event.fatalities)
    low, high = event.fatalities_low, event.fatalities_high
    if low is not None and high is not None and low != high:
        fatalities += f" (reports say {low}–{high})"
    rows.append(("fatalities", fatalities))
    if event.tags:
        rows.append(("tags", ", ".join(event.tags)))
    sources = "source" if event.independent == 1 else "sources"
    rows.append(("status", f"{event.status} ({event.independent} independent {sources})"))
    rows.append(("layer", event.layer))
    if event.source:
        rows.append(("source", event.source))
    if event.notes:
        rows.append(("notes", _quote(event.notes, 600)))
    for key, value in rows:
        say(f"  {key:<11}{value}")
    if event.reports:
        out.print(count(len(event.reports), "report"), style="bold", markup=False)
    for number, sourced in enumerate(event.reports, start=1):
        _print_report(number, sourced)
