"""The event commands: ``tocsin events list|show|merge|compare``, ``tocsin export`` and
``tocsin import acled-csv``.

A thin shell over ``tocsin.app.events``, ``tocsin.store`` and ``tocsin.report.exports``;
registered on the main app by ``tocsin.cli.main``. Text written by strangers (quotes, notes,
names from an imported file) is printed with ``markup=False`` or as ``Text``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tocsin.errors import InputError, TocsinError
from tocsin.models import EVENT_TYPES, Event, EventFilter, SourcedReport
from tocsin.report.exports import EXPORT_FORMATS, event_to_plain, write_events

if TYPE_CHECKING:
    from tocsin.app.events import EventUpdate

events_app = typer.Typer(
    help="Events: who did what to whom, where and when, with their reports.",
    no_args_is_help=True,
)
import_app = typer.Typer(help="Import reference data.", no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

STATUSES = ("reported", "corroborated", "confirmed")
LAYERS = ("tocsin", "acled")
_TYPES = {name.casefold(): name for name in EVENT_TYPES} | {
    sub.casefold(): sub for subs in EVENT_TYPES.values() for sub in subs
}

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
CountryOpt = Annotated[
    str | None, typer.Option("--country", help="ISO code (ML) or name in English or French.")
]
Admin1Opt = Annotated[str | None, typer.Option("--admin1", help="First-level region (Gao).")]
SinceOpt = Annotated[
    str | None, typer.Option("--since", help="From this day on: YYYY-MM-DD, YYYY-MM or YYYY.")
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", help="Up to this day: YYYY-MM-DD, YYYY-MM or YYYY.")
]
TypeOpt = Annotated[
    str | None, typer.Option("--type", help="ACLED event type or sub-type (Battles, Attack).")
]
ActorOpt = Annotated[
    str | None, typer.Option("--actor", help="Actor id (jnim) or part of an actor's name.")
]
StatusOpt = Annotated[
    str | None, typer.Option("--status", help="reported, corroborated or confirmed.")
]
LayerOpt = Annotated[
    str, typer.Option("--layer", help="tocsin (own events) or acled (imported reference).")
]


# ---------------------------------------------------------------- filters


def _day(value: str, option: str, *, last: bool = False) -> date:
    """A day, or the first (``last``: the last) day of a month or a year."""
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            return date(int(text), 12, 31) if last else date(int(text), 1, 1)
        if len(text) == 7 and text[4] == "-":
            first = date.fromisoformat(text + "-01")
            if not last:
                return first
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option} {value}",
            "not a date",
            "write it as YYYY-MM-DD (2025-09-14), YYYY-MM or YYYY",
        ) from None


def _choice(value: str | None, option: str, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value.strip().lower() not in allowed:
        raise InputError(f"{option} {value}", "not known", f"use one of {', '.join(allowed)}")
    return value.strip().lower()


def event_filter(
    *,
    country: str | None = None,
    admin1: str | None = None,
    since: str | None = None,
    until: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    status: str | None = None,
    layer: str = "tocsin",
    limit: int | None = None,
) -> EventFilter:
    """The filter the options describe; a bad option is an ``InputError`` naming it."""
    kind = None
    if event_type is not None:
        kind = _TYPES.get(" ".join(event_type.split()).casefold())
        if kind is None:
            raise InputError(
                f"--type {event_type}",
                "not an ACLED event type or sub-type",
                f"use a type ({', '.join(EVENT_TYPES)}) or a sub-type such as Armed clash",
            )
    if limit is not None and limit < 1:
        raise InputError(f"--limit {limit}", "must be 1 or more", "give how many events to show")
    first = _day(since, "--since") if since else None
    last = _day(until, "--until", last=True) if until else None
    if first and last and first > last:
        raise InputError(f"--since {since}", f"is after --until {until}", "swap the two dates")
    return EventFilter(
        country=country,
        admin1=admin1,
        since=first,
        until=last,
        event_type=kind,
        actor=actor,
        status=_choice(status, "--status", STATUSES),
        layer=_choice(layer, "--layer", LAYERS) or "tocsin",
        limit=limit,
    )


# ---------------------------------------------------------------- rendering


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


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


def _print_table(found: list[Event], flt: EventFilter) -> None:
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "date", "type / sub-type", "actors", "location", "fatalities"):
        table.add_column(column)
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
    out.print(f"{_count(len(found), 'event')}{more}", markup=False)


def _print_report(number: int, sourced: SourcedReport) -> None:
    report = sourced.report
    published = sourced.published.date().isoformat() if sourced.published else "no date"
    copy = f" · copy of {sourced.copy_of}" if sourced.copy_of else ""
    out.print(
        f"  {number}. {sourced.source_id} ({sourced.reliability}) · {sourced.kind} · "
        f"published {published}{copy} · {sourced.id}",
        markup=False,
    )
    out.print(f"     «{_quote(sourced.quote)}»", markup=False)
    figures = _fatalities(report.fatalities, report.fatalities_low, report.fatalities_high)
    said = f' ("{_quote(report.fatalities_text, 80)}")' if report.fatalities_text else ""
    killed = "not reported" if figures == "—" else figures
    first = _actor(report.actor1_name, report.actor1)
    second = f" → {_actor(report.actor2_name, report.actor2)}" if report.actor2 else ""
    place = report.location or "no place"
    out.print(
        f"     its figures: {report.event_type} / {report.sub_event_type} · "
        f"{_when(report.event_date, report.time_precision)} · {place} · "
        f"{first}{second} · fatalities {killed}{said}",
        markup=False,
    )


def _named(name: str | None, actor_id: str | None, inter: int | None) -> str:
    """An actor as "name [id], inter N" (the id is what --actor takes)."""
    shown = _actor(name, actor_id)
    if actor_id and name and actor_id != name:
        shown += f" [{actor_id}]"
    return shown + (f", inter {inter}" if inter is not None else "")


def _print_event(event: Event) -> None:
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
        out.print(f"  {key:<11}{value}", markup=False)
    if event.reports:
        out.print(_count(len(event.reports), "report"), style="bold", markup=False)
    for number, sourced in enumerate(event.reports, start=1):
        _print_report(number, sourced)


# ---------------------------------------------------------------- commands


@events_app.command("list")
def events_list(
    ctx: typer.Context,
    country: CountryOpt = None,
    admin1: Admin1Opt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    event_type: TypeOpt = None,
    actor: ActorOpt = None,
    status: StatusOpt = None,
    layer: LayerOpt = "tocsin",
    limit: Annotated[int, typer.Option("--limit", help="How many, newest first.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Events, newest first: date, type, actors, place, fatalities, status, reports."""
    flt = event_filter(
        country=country,
        admin1=admin1,
        since=since,
        until=until,
        event_type=event_type,
        actor=actor,
        status=status,
        layer=layer,
        limit=limit,
    )
    store = ctx.obj.store()
    found = store.list_events(flt)
    if as_json:
        for event in found:
            out.print(json.dumps(event_to_plain(event), ensure_ascii=False), markup=False)
        return
    if found:
        _print_table(found, flt)
    elif store.count_events(flt.layer):
        out.print("no events match", markup=False)
    elif flt.layer == "tocsin":
        out.print("no events yet: run `tocsin events merge` after `tocsin extract`", markup=False)
    else:
        out.print("no reference events yet: run `tocsin import acled-csv FILE`", markup=False)


@events_app.command("show")
def events_show(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="Event id (from events list).")],
    as_json: JsonOpt = False,
) -> None:
    """One event as coded, then each report: source and grade, date, quote, own figures."""
    event = ctx.obj.store().get_event(event_id)
    if event is None:
        raise TocsinError(f"{event_id}: no such event; list them with `tocsin events list`")
    if as_json:
        out.print(json.dumps(event_to_plain(event), ensure_ascii=False, indent=2), markup=False)
        return
    _print_event(event)


def _update_json(update: EventUpdate) -> dict[str, Any]:
    return {
        "reports": update.reports,
        "events_before": update.before,
        "events": update.after,
        "new": update.new,
        "gone": update.gone,
        "statuses": update.statuses,
        "status_changes": [
            {"event_id": event_id, "from": old, "to": new}
            for event_id, old, new in update.status_changes
        ],
    }


@events_app.command("merge")
def events_merge(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Merge every stored event report into events again (ids are kept) and save them."""
    from tocsin.app.events import update_events

    update = update_events(ctx.obj.store())
    if as_json:
        out.print(json.dumps(_update_json(update), ensure_ascii=False), markup=False)
        return
    statuses = ", ".join(f"{update.statuses.get(s, 0)} {s}" for s in STATUSES)
    out.print(
        f"{_count(update.reports, 'report')} → {_count(update.after, 'event')} "
        f"(before: {update.before}); "
        f"{update.new} new, {update.gone} merged away or gone, "
        f"{update.changed_status} changed status",
        markup=False,
    )
    out.print(statuses, markup=False)
    for event_id, old, new in update.status_changes:
        out.print(f"  {event_id}: {old} → {new}", markup=False)


def _percent(value: float | int | None) -> str:
    return "—" if value is None else f"{value:.1%}"


@events_app.command("compare")
def events_compare(
    ctx: typer.Context,
    country: CountryOpt = None,
    admin1: Admin1Opt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    event_type: TypeOpt = None,
    actor: ActorOpt = None,
    km: Annotated[float, typer.Option("--km", help="Farthest apart a pair may be.")] = 25.0,
    days: Annotated[int, typer.Option("--days", help="Most days apart a pair may be.")] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Tocsin's events against the imported ACLED layer: matched, missed, agreement."""
    from tocsin.assess.reference import compare_layers

    if km <= 0:
        raise InputError(f"--km {km:g}", "must be more than 0", "give a distance in km (25)")
    if days < 0:
        raise InputError(f"--days {days}", "must be 0 or more", "give a number of days (1)")
    flt = event_filter(
        country=country,
        admin1=admin1,
        since=since,
        until=until,
        event_type=event_type,
        actor=actor,
    )
    store = ctx.obj.store()
    if not store.count_events("acled"):
        raise TocsinError("no reference events to compare with; run `tocsin import acled-csv FILE`")
    own = store.list_events(flt)
    reference = store.list_events(replace(flt, layer="acled"))
    figures = compare_layers(own, reference, km=km, days=days).figures()
    if as_json:
        line = {"tocsin": len(own), "acled": len(reference), **figures}
        out.print(json.dumps(line, ensure_ascii=False), markup=False)
        return
    median = figures["median_km"]
    rows = [
        ("events (tocsin, acled)", f"{len(own)}, {len(reference)}"),
        ("matched", str(figures["matched"])),
        ("only in tocsin", str(figures["own_only"])),
        ("only in acled", str(figures["reference_only"])),
        ("recall", f"{_percent(figures['recall'])} of ACLED's events are in Tocsin's"),
        ("precision", f"{_percent(figures['precision'])} of Tocsin's events are in ACLED's"),
        ("same type", _percent(figures["event_type_agreement"])),
        ("same sub-type", _percent(figures["sub_event_type_agreement"])),
        ("same fatalities", _percent(figures["fatalities_agreement"])),
        ("median distance", "—" if median is None else f"{median:.1f} km"),
    ]
    for key, value in rows:
        out.print(f"{key:<24}{value}", markup=False)


def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", help=f"One of {', '.join(EXPORT_FORMATS)}.")
    ] = "acled-csv",
    country: CountryOpt = None,
    admin1: Admin1Opt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    event_type: TypeOpt = None,
    actor: ActorOpt = None,
    status: StatusOpt = None,
    layer: LayerOpt = "tocsin",
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE (default: stdout).")
    ] = None,
) -> None:
    """Events as an ACLED-style CSV, GeoJSON or JSON lines, newest first."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"--format {fmt}", "not known", f"use one of {', '.join(EXPORT_FORMATS)}")
    flt = event_filter(
        country=country,
        admin1=admin1,
        since=since,
        until=until,
        event_type=event_type,
        actor=actor,
        status=status,
        layer=layer,
        limit=limit,
    )
    found = ctx.obj.store().list_events(flt)
    if output is None:
        write_events(found, sys.stdout, fmt=fmt)
        sys.stdout.flush()
        return
    written = _write_file(found, output, fmt)
    err.print(f"{_count(written, 'event')} written to {output} ({fmt})", markup=False)


def _write_file(found: list[Event], path: Path, fmt: str) -> int:
    """Write through a temporary file beside ``path``: a failed export leaves no half file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise InputError(
            str(path), f"cannot be written ({exc.strerror})", "check that the folder exists"
        ) from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            written = write_events(found, stream, fmt=fmt)
        os.replace(temporary, path)
    except OSError as exc:
        raise InputError(
            str(path), f"cannot be written ({exc.strerror})", "check the path and its permissions"
        ) from exc
    finally:
        Path(temporary).unlink(missing_ok=True)
    return written


@import_app.command("acled-csv")
def import_acled_csv(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An ACLED export (CSV) you downloaded.")],
) -> None:
    """Load an ACLED export as the reference layer (kept apart from Tocsin's events)."""
    from tocsin.app.events import import_reference

    if not file.is_file():
        raise InputError(str(file), "no such file", "give the path of an ACLED CSV export")
    store = ctx.obj.store()
    found = import_reference(store, file)
    for problem in found.problems:
        err.print(problem, markup=False)
    out.print(
        f"{file}: {_count(len(found.events), 'event')} imported, "
        f"{_count(len(found.problems), 'problem')}; "
        f"{_count(store.count_events('acled'), 'event')} in the reference layer (acled)",
        markup=False,
    )
    if not found.events:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the event commands to the main ``tocsin`` app."""
    app.add_typer(events_app, name="events")
    app.command("export")(export)
    app.add_typer(import_app, name="import")
