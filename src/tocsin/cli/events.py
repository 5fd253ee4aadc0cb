"""The event commands: ``tocsin events list|show|merge|compare``, ``tocsin export`` and
``tocsin import acled-csv``.

A thin shell over ``tocsin.app.events``, ``tocsin.store`` and ``tocsin.report.exports``;
registered on the main app by ``tocsin.cli.main``. The options that select events are in
:mod:`tocsin.cli.event_filters`, the text of events and reports in
:mod:`tocsin.cli.event_render`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tocsin.cli.common import JsonOpt, count, note, print_json, say
from tocsin.cli.event_filters import (
    EventSelection,
    LayerOpt,
    StatusOpt,
    event_filter,
    selects_events,
)
from tocsin.cli.event_render import print_event, print_events
from tocsin.errors import InputError, TocsinError
from tocsin.models import EVENT_STATUSES, LAYER_ACLED, LAYER_TOCSIN, Event
from tocsin.report.exports import EXPORT_FORMATS, write_events
from tocsin.report.records import event_to_plain

if TYPE_CHECKING:
    from tocsin.app.events import EventUpdate

events_app = typer.Typer(
    help="Events: who did what to whom, where and when, with their reports.",
    no_args_is_help=True,
)
import_app = typer.Typer(help="Import reference data.", no_args_is_help=True)


@events_app.command("list")
@selects_events
def events_list(
    ctx: typer.Context,
    selection: EventSelection,
    status: StatusOpt = None,
    layer: LayerOpt = LAYER_TOCSIN,
    limit: Annotated[int, typer.Option("--limit", help="How many, newest first.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Events, newest first: date, type, actors, place, fatalities, status, reports."""
    flt = event_filter(
        **selection,
        status=status,
        layer=layer,
        limit=limit,
    )
    store = ctx.obj.store()
    found = store.list_events(flt)
    if as_json:
        for event in found:
            print_json(event_to_plain(event))
        return
    if found:
        print_events(found, flt)
    elif store.count_events(flt.layer):
        say("no events match")
    elif flt.layer == LAYER_TOCSIN:
        say("no events yet: run `tocsin events merge` after `tocsin extract`")
    else:
        say("no reference events yet: run `tocsin import acled-csv FILE`")


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
        print_json(event_to_plain(event), indent=2)
        return
    print_event(event)


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
        print_json(_update_json(update))
        return
    statuses = ", ".join(f"{update.statuses.get(s, 0)} {s}" for s in EVENT_STATUSES)
    say(
        f"{count(update.reports, 'report')} → {count(update.after, 'event')} "
        f"(before: {update.before}); "
        f"{update.new} new, {update.gone} merged away or gone, "
        f"{update.changed_status} changed status"
    )
    say(statuses)
    for event_id, old, new in update.status_changes:
        say(f"  {event_id}: {old} → {new}")


def _percent(value: float | int | None) -> str:
    return "—" if value is None else f"{value:.1%}"


@events_app.command("compare")
@selects_events
def events_compare(
    ctx: typer.Context,
    selection: EventSelection,
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
        **selection,
    )
    store = ctx.obj.store()
    if not store.count_events(LAYER_ACLED):
        raise TocsinError("no reference events to compare with; run `tocsin import acled-csv FILE`")
    own = store.list_events(flt)
    reference = store.list_events(replace(flt, layer=LAYER_ACLED))
    figures = compare_layers(own, reference, km=km, days=days).figures()
    if as_json:
        print_json({LAYER_TOCSIN: len(own), LAYER_ACLED: len(reference), **figures})
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
        say(f"{key:<24}{value}")


@selects_events
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", help=f"One of {', '.join(EXPORT_FORMATS)}.")
    ] = "acled-csv",
    *,
    selection: EventSelection,
    status: StatusOpt = None,
    layer: LayerOpt = LAYER_TOCSIN,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE (default: stdout).")
    ] = None,
) -> None:
    """Events as an ACLED-style CSV, GeoJSON or JSON lines, newest first."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"--format {fmt}", "not known", f"use one of {', '.join(EXPORT_FORMATS)}")
    flt = event_filter(
        **selection,
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
    note(f"{count(written, 'event')} written to {output} ({fmt})")


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
        note(problem)
    say(
        f"{file}: {count(len(found.events), 'event')} imported, "
        f"{count(len(found.problems), 'problem')}; "
        f"{count(store.count_events(LAYER_ACLED), 'event')} in the reference layer (acled)"
    )
    if not found.events:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the event commands to the main ``tocsin`` app."""
    app.add_typer(events_app, name="events")
    app.command("export")(export)
    app.add_typer(import_app, name="import")
