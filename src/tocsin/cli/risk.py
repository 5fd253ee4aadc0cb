"""The commands for risk levels (`tocsin risk`).
A thin shell over the library, registered on the main app by ``tocsin.cli.main``.

``tocsin risk`` shows the latest stored levels (computed on the spot, not saved, when none
is stored yet); ``tocsin risk update`` computes and saves them; ``tocsin risk history``
shows one place's levels over time. Place names and reasons come from documents written
by strangers: they are printed as plain ``Text``, never as markup.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.text import Text

from tocsin.cli.common import JsonLinesOpt, choice, count, list_table, out, parse_day, print_json
from tocsin.knowledge.names import RISK_LEVEL_NAMES
from tocsin.models import RISK_CATEGORIES, RiskLevel
from tocsin.report.records import risk_level_plain

risk_app = typer.Typer(
    help="Risk levels 1-5 per place and category, with their trend and reasons.",
    invoke_without_command=True,
)
SCOPES = ("country", "admin1", "town")
ARROWS = {"up": "↑", "down": "↓", "steady": "→", "new": "new"}
LEVEL_STYLES = {1: "dim", 2: "green", 3: "yellow", 4: "red", 5: "bold red"}

AsofOpt = Annotated[
    str | None,
    typer.Option("--asof", help="The period's last day, YYYY-MM-DD (default: today, UTC)."),
]
AreaOpt = Annotated[
    str | None,
    typer.Option("--area", help="A country (ML, Mali), a region (Koulikoro) or a town (Bamako)."),
]
CategoryOpt = Annotated[
    str | None, typer.Option("--category", help=f"One of {', '.join(RISK_CATEGORIES)}.")
]
ScopeOpt = Annotated[str | None, typer.Option("--scope", help="country, admin1 or town.")]
MinLevelOpt = Annotated[
    int, typer.Option("--min-level", min=1, max=5, help="Only levels at least this (1-5).")
]


def _asof(value: str | None) -> date:
    return parse_day(value, "--asof") if value is not None else datetime.now(UTC).date()


def _trend(level: RiskLevel) -> str:
    arrow = ARROWS.get(level.trend, level.trend)
    if level.trend in ("up", "down") and level.previous_level is not None:
        return f"{arrow} from {RISK_LEVEL_NAMES['en'][level.previous_level]}"
    return arrow


def _print_table(levels: list[RiskLevel]) -> None:
    table = list_table("place", "scope", "category", "level", "trend")
    table.add_column("score", justify="right")
    table.add_column("top reason", overflow="fold")
    for lv in sorted(levels, key=lambda x: (-x.level, -x.score, x.place_key, x.category)):
        reason = lv.contributions[0] if lv.contributions else None
        because = f"{reason.summary} [{reason.weight:.0%}]" if reason else "—"
        table.add_row(
            Text(lv.name),
            Text(lv.scope),
            Text(lv.category),
            Text(RISK_LEVEL_NAMES["en"][lv.level], style=LEVEL_STYLES[lv.level]),
            Text(_trend(lv)),
            Text(f"{lv.score:.2f}"),
            Text(because),
        )
    out.print(table)


@risk_app.callback()
def risk(
    ctx: typer.Context,
    area: AreaOpt = None,
    category: CategoryOpt = None,
    scope: ScopeOpt = None,
    min_level: MinLevelOpt = 1,
    asof: AsofOpt = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also show minimal levels that did not change.")
    ] = False,
    as_json: JsonLinesOpt = False,
) -> None:
    """Risk levels as of a day: place, category, level, trend, score and the top reason."""
    if ctx.invoked_subcommand is not None:
        return
    from tocsin.geo.areas import resolve_area

    day = _asof(asof)
    wanted_category = choice(category, "--category", RISK_CATEGORIES)
    wanted_scope = choice(scope, "--scope", SCOPES)
    where = resolve_area(area) if area else None
    store = ctx.obj.store()
    levels = store.latest_risk_levels(asof=day, category=wanted_category, scope=wanted_scope)
    live = not levels and not store.latest_risk_levels(asof=day)
    if live:
        levels = _compute(ctx, day, category=wanted_category, scope=wanted_scope)
    newest = max((lv.period_end for lv in levels), default=day)
    levels = [
        lv
        for lv in levels
        if lv.period_end == newest  # older rows: places the last update found quiet
        and lv.level >= min_level
        and (where is None or where.contains_level(lv))
    ]
    if as_json:
        for level in levels:
            print_json(risk_level_plain(level))
        return
    quiet = 0 if show_all else sum(lv.level == 1 and lv.trend == "steady" for lv in levels)
    if quiet:
        levels = [lv for lv in levels if not (lv.level == 1 and lv.trend == "steady")]
    hidden = f"; {quiet} minimal and unchanged not shown (--all shows them)" if quiet else ""
    if not levels:
        what = f" in {where.name}" if where else ""
        out.print(f"no risk levels{what} as of {day.isoformat()}{hidden}", markup=False)
        return
    _print_table(levels)
    how = "computed now, not saved (`tocsin risk update` saves them)" if live else "as saved"
    period = f"{levels[0].period_start.isoformat()} – {newest.isoformat()}"
    out.print(f"{count(len(levels), 'level')} for {period}, {how}{hidden}", markup=False)


def _compute(
    ctx: typer.Context, day: date, *, category: str | None, scope: str | None
) -> list[RiskLevel]:
    from tocsin.app.risk import store_risk

    settings = ctx.obj.settings()
    levels = store_risk(ctx.obj.store(settings), asof=day, settings=settings)
    return [
        lv
        for lv in levels
        if (category is None or lv.category == category) and (scope is None or lv.scope == scope)
    ]


@risk_app.command("update")
def risk_update(ctx: typer.Context, asof: AsofOpt = None, as_json: JsonLinesOpt = False) -> None:
    """Compute the levels of the period ending --asof from events and forecasts, save them,
    and list those that changed since the last update."""
    from tocsin.app.risk import update_risk

    day = _asof(asof)
    settings = ctx.obj.settings()
    update = update_risk(ctx.obj.store(settings), asof=day, settings=settings)
    if as_json:
        shown = {
            "asof": day.isoformat(),
            "period_days": settings.risk_period_days,
            "levels": len(update.levels),
            "changes": [
                {**risk_level_plain(change.level), "before": change.before}
                for change in update.changes
            ],
        }
        print_json(shown)
        return
    out.print(
        f"{count(len(update.levels), 'risk level')} saved for the {settings.risk_period_days} "
        f"days ending {day.isoformat()}; {len(update.changes)} changed",
        markup=False,
    )
    names = RISK_LEVEL_NAMES["en"]
    for change in update.changes:
        lv = change.level
        before = names[change.before] if change.before is not None else "none"
        out.print(
            f"  {lv.name} ({lv.scope}) · {lv.category}: {before} → {names[lv.level]}",
            markup=False,
        )


@risk_app.command("history")
def risk_history(
    ctx: typer.Context,
    area: Annotated[str, typer.Argument(help="A country, region or town (as --area).")],
    category: Annotated[str, typer.Option("--category", help="The category.")] = "conflict",
    as_json: JsonLinesOpt = False,
) -> None:
    """One place's stored levels in a category, oldest period first."""
    from tocsin.geo.areas import resolve_area

    wanted = choice(category, "--category", RISK_CATEGORIES) or "conflict"
    where = resolve_area(area)
    history = ctx.obj.store().risk_history(where.key, wanted)
    if as_json:
        for level in history:
            print_json(risk_level_plain(level))
        return
    if not history:
        out.print(
            f"no stored {wanted} levels for {where.name} ({where.key}); "
            "run `tocsin risk update --asof DATE`",
            markup=False,
        )
        return
    for lv in history:
        out.print(
            f"{lv.period_end.isoformat()}  {RISK_LEVEL_NAMES['en'][lv.level]:<9} "
            f"{ARROWS.get(lv.trend, lv.trend):<4} {lv.score:>8.2f}",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
    app.add_typer(risk_app, name="risk")
