"""The commands for briefs: ``tocsin brief`` writes one, ``tocsin briefs list|show``
reads those written. A thin shell over ``tocsin.app.briefs`` and
``tocsin.report.brief.render``, registered on the main app by ``tocsin.cli.main``.

Markdown and HTML go to stdout unless ``--output`` names a file; a PDF always goes to a
file (``--output``, or ``brief-<area>-<date>.<lang>.pdf`` in the current folder). Every
brief written is saved in the store (the digest lists the week's briefs).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from tocsin.cli.common import JsonLinesOpt, note, parse_day, print_json, say, write_file
from tocsin.errors import InputError
from tocsin.models import BRIEF_LANGUAGES
from tocsin.report.records import brief_summary_plain
from tocsin.text.fold import slug

briefs_app = typer.Typer(help="Briefs written so far.", no_args_is_help=True)

LANGS = BRIEF_LANGUAGES


def parse_period(value: str) -> int:
    """Days in a period written "7d", "2w", "1m" (30 days) or "30"."""
    from tocsin.app.briefs import period_days

    return period_days(value, where="--period")


def _lang(value: str) -> str:
    lang = value.strip().lower()
    if lang not in LANGS:
        raise InputError(
            f"--lang {value}", "not a brief language", f"use one of {', '.join(LANGS)}"
        )
    return lang


def brief(
    ctx: typer.Context,
    area: Annotated[
        str,
        typer.Option(
            "--area", help="A country (ML, Mali), a region (Koulikoro) or a town (Bamako)."
        ),
    ],
    period: Annotated[str, typer.Option("--period", help="Length: 7d, 2w, 30d, 1m.")] = "7d",
    until: Annotated[
        str | None,
        typer.Option("--until", help="The period's last day, YYYY-MM-DD (default: today, UTC)."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="en or fr.")] = "en",
    fmt: Annotated[str, typer.Option("--format", help="md, html or pdf.")] = "md",
    output: Annotated[
        Path | None, typer.Option("--output", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Write an analyst's brief on an area: key points, bottom line, situation, actors,
    scenarios, indicators, implications for your assets, contradictions and sources."""
    from tocsin.app.briefs import build_brief
    from tocsin.geo.areas import resolve_area
    from tocsin.report.brief.render import FORMATS, render_brief

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise InputError(
            f"--format {fmt}", "not a brief format", f"use one of {', '.join(FORMATS)}"
        )
    days = parse_period(period)
    end = parse_day(until, "--until") if until is not None else datetime.now(UTC).date()
    language = _lang(lang)
    settings = ctx.obj.settings()
    store = ctx.obj.store(settings)
    place = resolve_area(area)
    now = datetime.now(UTC)
    written = build_brief(
        store,
        area=place,
        period_end=end,
        period_days=days,
        lang=language,
        settings=settings,
        now=now,
    )
    markdown = render_brief(written, "md")
    store.save_brief(written, markdown.decode("utf-8"), now=now)
    data = markdown if fmt == "md" else render_brief(written, fmt)
    if output is None and fmt == "pdf":
        output = Path(f"brief-{slug(place.name)}-{end.isoformat()}.{language}.pdf")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_file(output, data)
    say(f"brief written to {output}")


@briefs_app.command("list")
def list_briefs(
    ctx: typer.Context,
    area: Annotated[
        str | None, typer.Option("--area", help="The area as the brief names it.")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="en or fr.")] = None,
    as_json: JsonLinesOpt = False,
) -> None:
    """Briefs saved in the store, newest period first."""
    store = ctx.obj.store()
    found = store.list_briefs(area=area, lang=_lang(lang) if lang else None)
    for item in found:
        if as_json:
            print_json(brief_summary_plain(item))
        else:
            say(f"{item.id}  {item.period_end}  {item.lang}  {item.title}")
    if not found and not as_json:
        note("no brief saved yet; write one with `tocsin brief --area NAME`")


@briefs_app.command("show")
def show_brief(
    ctx: typer.Context, brief_id: Annotated[str, typer.Argument(help="Brief id.")]
) -> None:
    """Print a saved brief (Markdown)."""
    found = ctx.obj.store().get_brief(brief_id)
    if found is None:
        raise InputError(f"brief {brief_id}", "not found", "list them with `tocsin briefs list`")
    sys.stdout.write(found[1])
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
    app.command("brief")(brief)
    app.add_typer(briefs_app, name="briefs")
