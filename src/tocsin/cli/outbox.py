"""The commands for delivery (`tocsin outbox list|deliver|retry`, `tocsin feed`).
A thin shell over the library, registered on the main app by ``tocsin.cli.main``.

Subjects, targets and errors may carry text written by strangers: they are printed
with ``markup=False`` or as ``Text``.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tocsin.alert.feed import atom_feed
from tocsin.alert.outbox import DeliveryReport
from tocsin.app.outbox import deliver
from tocsin.cli.common import JsonOpt, note, out, print_json, write_file
from tocsin.errors import InputError, TocsinError
from tocsin.models import OUTBOX_STATES
from tocsin.report.records import message_plain

outbox_app = typer.Typer(
    help="The outbox: alert and digest messages waiting to go, and those gone.",
    no_args_is_help=True,
)


def _short(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).strftime("%m-%d %H:%M")


@outbox_app.command("list")
def list_messages(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", help="pending, sending, sent or dead.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="alert or digest.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Messages in the outbox, newest first, with their state, tries and last error."""
    if status is not None and status not in OUTBOX_STATES:
        raise InputError(f"--status {status}", "not a state", f"use {', '.join(OUTBOX_STATES)}")
    store = ctx.obj.store()
    messages = store.list_outbox(status=status, kind=kind, limit=limit)
    if as_json:
        for message in messages:
            print_json(message_plain(message))
        return
    counts = store.outbox_counts()
    if not messages:
        out.print("the outbox is empty" if not any(counts.values()) else "no such messages")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "status", "tries", "when"):
        table.add_column(column, no_wrap=True)
    table.add_column("to", overflow="ellipsis", no_wrap=True, max_width=24)
    table.add_column("subject / error", overflow="fold", ratio=1)
    for m in messages:
        when = m.sent_at if m.status == "sent" else m.next_attempt or m.lease_until
        detail = Text(m.subject)
        if m.last_error and m.status != "sent":
            detail.append("\n" + m.last_error, style="red")
        table.add_row(m.id[:10], m.status, str(m.attempts), _short(when), Text(m.target), detail)
    out.print(table)
    out.print(", ".join(f"{n} {state}" for state, n in counts.items()), markup=False)


def _report_line(report: DeliveryReport, counts: dict[str, int], *, as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {
                "sent": report.sent,
                "retried": report.retried,
                "dead": report.dead,
                "held": report.held,
                "outbox": counts,
            }
        )
    left = ", ".join(f"{n} {state}" for state, n in counts.items())
    return f"{report}; outbox: {left}"


@outbox_app.command("deliver")
def deliver_messages(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="At most this many tries a pass.")] = 100,
    loop: Annotated[
        bool, typer.Option("--loop", help="Keep delivering, one pass every --interval.")
    ] = False,
    interval: Annotated[float, typer.Option("--interval", help="Seconds between passes.")] = 30.0,
    max_seconds: Annotated[
        float | None, typer.Option("--max-seconds", help="With --loop: stop after this long.")
    ] = None,
    until_empty: Annotated[
        bool,
        typer.Option("--until-empty", help="With --loop: stop once nothing is pending or sending."),
    ] = False,
    lease: Annotated[
        float | None,
        typer.Option(
            "--lease",
            help="Seconds a claimed message is this process's before another may take it over "
            "(default: from the SMTP and webhook timeouts).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Send the messages that are due (email over SMTP, webhooks over HTTP).

    Failures are retried later with back-off; refusals and messages out of tries are
    marked dead. Safe to run in several processes at once, and to kill: a message cut
    off mid-way is sent again, with the same id, once its lease runs out."""
    if limit < 1 or interval < 0 or (lease is not None and lease <= 0):
        raise InputError("tocsin outbox deliver", "--limit, --interval and --lease", "must be > 0")
    settings = ctx.obj.settings()
    store = ctx.obj.store(settings)
    started = time.monotonic()
    try:
        while True:
            report = deliver(store, settings=settings, limit=limit, lease_seconds=lease)
            counts = store.outbox_counts()
            busy = report.sent or report.retried or report.dead
            if busy or not loop:
                out.print(_report_line(report, counts, as_json=as_json), markup=False)
            if not loop or (until_empty and not counts["pending"] + counts["sending"]):
                break
            left = None if max_seconds is None else max_seconds - (time.monotonic() - started)
            if left is not None and left <= 0:
                break
            time.sleep(interval if left is None else min(interval, left))
    except KeyboardInterrupt:
        note("stopped")


@outbox_app.command("retry")
def retry_message(
    ctx: typer.Context,
    message_id: Annotated[str, typer.Argument(help="A message id (or its first characters).")],
) -> None:
    """Give a dead or waiting message a fresh start: due now, tries counted from zero."""
    store = ctx.obj.store()
    wanted = message_id.strip()
    exact = store.get_message(wanted)
    if exact is not None:
        matches = [exact]
    else:
        matches = [
            m
            for status in ("dead", "pending")
            for m in store.list_outbox(status=status)
            if m.id.startswith(wanted)
        ]
    if len(matches) != 1:
        problem = "no such message" if not matches else f"{len(matches)} messages start so"
        raise TocsinError(
            f"{message_id}: {problem}; list them with `tocsin outbox list --status dead`"
        )
    if not store.requeue_message(matches[0].id, now=datetime.now(UTC)):
        raise TocsinError(f"{message_id}: is {matches[0].status}; nothing to retry")
    out.print(f"{matches[0].id} queued again", markup=False)


def feed(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the feed here (default stdout).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="The newest N alerts.")] = 100,
    lang: Annotated[str, typer.Option("--lang", help="Language of the labels: en or fr.")] = "en",
) -> None:
    """The Atom feed of alerts (every alert, whatever its rule's channels)."""
    if lang not in ("en", "fr"):
        raise InputError(f"--lang {lang}", "not a language of the feed", "use en or fr")
    store = ctx.obj.store()
    settings = ctx.obj.settings()
    alerts = store.list_alerts(limit=limit)
    assets = {asset.id: asset for asset in store.list_assets()}
    document = atom_feed(alerts, settings=settings, now=datetime.now(UTC), assets=assets, lang=lang)
    if output is None:
        sys.stdout.buffer.write(document)
        sys.stdout.buffer.flush()
        return
    write_file(output, document)
    note(f"{len(alerts)} alerts written to {output}")


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
    app.add_typer(outbox_app, name="outbox")
    app.command("feed")(feed)
