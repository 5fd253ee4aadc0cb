"""The commands for the weekly digest and its subscribers (`tocsin digest`, `tocsin subscribers`).
A thin shell over ``tocsin.app.digest`` and ``tocsin.report.digest.messages``, registered on
the main app by ``tocsin.cli.main``. Names and addresses are printed with ``markup=False``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from tocsin.cli.common import (
    JsonOpt,
    count,
    err,
    list_table,
    out,
    parse_day,
    print_json,
    write_file,
)
from tocsin.errors import TocsinError
from tocsin.models import Subscriber
from tocsin.report.records import subscriber_plain

subscribers_app = typer.Typer(
    help="Who receives the weekly digest: email, language, areas.", no_args_is_help=True
)
digest_app = typer.Typer(
    help="The weekly digest (infolettre): build, preview, queue for sending.",
    no_args_is_help=True,
)
WeekEndOpt = Annotated[
    str | None,
    typer.Option("--week-end", help="Last day of the week, YYYY-MM-DD (default: yesterday, UTC)."),
]
NOT_FOUND = "no such subscriber; list them with `tocsin subscribers list`"


def _week_end(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date() - timedelta(days=1)
    return parse_day(value, "--week-end", example="2025-12-07")


def _areas(subscriber: Subscriber) -> str:
    return ", ".join(subscriber.areas) or "all areas"


def _described(subscriber: Subscriber) -> str:
    name = f"{subscriber.name} <{subscriber.email}>" if subscriber.name else subscriber.email
    return f"{name} ({subscriber.lang}; {_areas(subscriber)})"


# ---------------------------------------------------------------- subscribers


@subscribers_app.command("add")
def subscribers_add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The subscriber's email address.")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the digest: fr or en.")] = "en",
    area: Annotated[
        list[str] | None,
        typer.Option("--area", help="A country, region or town to follow (repeat; none: all)."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name used in the greeting.")] = None,
) -> None:
    """Subscribe an address, or set an existing subscriber's language, areas and name anew
    (subscribing it again if it had left)."""
    from tocsin.report.digest.messages import make_subscriber

    subscriber = make_subscriber(email, lang=lang, areas=area or (), name=name)
    store = ctx.obj.store()
    known = store.get_subscriber(subscriber.email)
    stored = store.add_subscriber(subscriber)
    verb = "added" if known is None else "updated" if known.active else "subscribed again"
    out.print(f"{verb} {_described(stored)}", markup=False)


@subscribers_app.command("import")
def subscribers_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="TOML file of [[subscriber]] entries.")],
) -> None:
    """Add or update the subscribers of a file; those who unsubscribed stay unsubscribed."""
    from tocsin.report.digest.messages import read_subscribers

    found, problems = read_subscribers(file)
    store = ctx.obj.store()
    counts = {"added": 0, "updated": 0, "left unsubscribed": 0}
    for subscriber in found:
        known = store.get_subscriber(subscriber.email)
        if known is not None and not known.active:
            counts["left unsubscribed"] += 1
            continue
        store.add_subscriber(subscriber)
        counts["added" if known is None else "updated"] += 1
    for problem in problems:
        err.print(problem, markup=False)
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    out.print(f"{file}: {summary}, {len(problems)} with problems", markup=False)
    if problems:
        raise typer.Exit(1)


@subscribers_app.command("list")
def subscribers_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every subscriber, active or not: address, name, language, areas."""
    found = ctx.obj.store().list_subscribers(active=None)
    if as_json:
        for subscriber in found:
            print_json(subscriber_plain(subscriber))
        return
    if not found:
        out.print("no subscribers yet: add one with `tocsin subscribers add EMAIL`", markup=False)
        return
    table = list_table("email", "name", "lang", "areas", "status")
    for subscriber in found:
        table.add_row(
            Text(subscriber.email),
            Text(subscriber.name or "—"),
            Text(subscriber.lang),
            Text(_areas(subscriber), overflow="fold"),
            Text("active" if subscriber.active else "unsubscribed"),
        )
    out.print(table)
    active = sum(s.active for s in found)
    out.print(f"{len(found)} subscriber(s), {active} active", markup=False)


@subscribers_app.command("remove")
def subscribers_remove(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The address to forget.")]
) -> None:
    """Forget a subscriber altogether (unsubscribe keeps the record)."""
    address = email.strip().lower()
    if not ctx.obj.store().remove_subscriber(address):
        raise TocsinError(f"{address}: {NOT_FOUND}")
    out.print(f"removed {address}", markup=False)


@subscribers_app.command("unsubscribe")
def subscribers_unsubscribe(
    ctx: typer.Context,
    token: Annotated[str, typer.Argument(help="The token of the subscriber's unsubscribe link.")],
) -> None:
    """What the unsubscribe link does: stop the digest for the subscriber of TOKEN."""
    store = ctx.obj.store()
    subscriber = store.get_subscriber_by_token(token.strip())
    if subscriber is None or not store.unsubscribe(subscriber.token):
        raise TocsinError(f"token {token.strip()[:12]}…: {NOT_FOUND} (the token is in --json)")
    out.print(f"unsubscribed {subscriber.email}", markup=False)


# ---------------------------------------------------------------- digest


def _summary(events: int, risk_changes: int, forecasts: int, briefs: int) -> str:
    parts = [
        count(n, word)
        for n, word in (
            (events, "event"),
            (risk_changes, "risk change"),
            (forecasts, "forecast"),
            (briefs, "brief"),
        )
        if n
    ]
    return ", ".join(parts) or "quiet week"


@digest_app.command("send")
def digest_send(
    ctx: typer.Context,
    week_end: WeekEndOpt = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Build every digest, say who gets what, write nothing."),
    ] = False,
) -> None:
    """Build each active subscriber's digest and queue it in the outbox (once a week)."""
    from tocsin.app.digest import send_digests
    from tocsin.report.digest.messages import digest_message_id

    last_day = _week_end(week_end)
    context = ctx.obj
    settings = context.settings()
    store = context.store(settings)
    subscribers = store.list_subscribers(active=True)
    if not subscribers:
        out.print(
            "no active subscribers: add one with `tocsin subscribers add EMAIL`", markup=False
        )
        return
    queued = {
        s.id for s in subscribers if store.get_message(digest_message_id(s, last_day)) is not None
    }
    now = datetime.now(UTC)
    problems: list[str] = []
    digests = send_digests(
        store,
        settings=settings,
        week_end=last_day,
        dry_run=dry_run,
        now=now,
        on_problem=problems.append,
    )
    for d in digests:
        line = _summary(d.events, d.risk_changes, d.forecasts, d.briefs)
        note = " (already queued)" if d.subscriber.id in queued else ""
        out.print(f"{d.subscriber.email}  [{d.subscriber.lang}]  {line}{note}", markup=False)
    for problem in problems:
        err.print(problem, markup=False)
    first = last_day - timedelta(days=6)
    week = f"the week {first.isoformat()} to {last_day.isoformat()}"
    if dry_run:
        out.print(f"dry run: {len(digests)} digest(s) for {week}; nothing written", markup=False)
    else:
        again = sum(d.subscriber.id in queued for d in digests)
        out.print(
            f"{len(digests) - again} digest(s) queued for {week}, {again} already queued; "
            "`tocsin outbox deliver` sends them",
            markup=False,
        )
    if problems:
        raise typer.Exit(1)


@digest_app.command("preview")
def digest_preview(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="A subscriber's address.")],
    week_end: WeekEndOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the HTML (or the text, for .txt) to FILE."),
    ] = None,
) -> None:
    """A subscriber's digest as it would be sent: the text version, or the HTML to a file."""
    from tocsin.app.digest import build_digest

    context = ctx.obj
    settings = context.settings()
    store = context.store(settings)
    address = email.strip().lower()
    subscriber = store.get_subscriber(address)
    if subscriber is None:
        raise TocsinError(f"{address}: {NOT_FOUND}")
    digest = build_digest(store, subscriber, week_end=_week_end(week_end), settings=settings)
    if output is None:
        out.print(f"Subject: {digest.subject}", markup=False)
        for name, value in digest.headers:
            out.print(f"{name}: {value}", markup=False)
        out.print("", markup=False)
        out.print(digest.text, markup=False, end="")
        return
    content = digest.text if output.suffix.lower() == ".txt" else digest.html
    write_file(output, content)
    out.print(f"{output}: digest for {address} written", markup=False)


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
    app.add_typer(subscribers_app, name="subscribers")
    app.add_typer(digest_app, name="digest")
