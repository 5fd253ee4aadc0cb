"""The commands for assets, alert rules and alerts: `tocsin assets|rules|alerts`.
A thin shell over ``tocsin.alert.assets``, ``tocsin.app.alerts`` and the store, registered
on the main app by ``tocsin.cli.main``. Names, titles and quotes may come from strangers'
documents or users' files: they are printed with ``markup=False``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from tocsin.cli.common import JsonOpt, count, note, parse_day, print_json, say
from tocsin.errors import InputError, TocsinError
from tocsin.models import ALERT_KINDS, ASSET_KINDS, RISK_CATEGORIES, Alert, AlertRule, Asset
from tocsin.report.records import alert_plain, asset_plain, rule_plain

assets_app = typer.Typer(
    help="An organisation's sites, staff and routes, to alert on.", no_args_is_help=True
)
rules_app = typer.Typer(help="Alert rules: what to hear about, where, how.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts: list, show, and run the matching.", no_args_is_help=True)


def _items(values: list[str] | None) -> list[str]:
    """Repeated options, each possibly comma-separated."""
    return [p.strip() for v in values or [] for p in v.split(",") if p.strip()]


def _moment(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"{option} {value}", "not a date or time", "write YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# ---------------------------------------------------------------- assets


def _where(asset: Asset) -> str:
    from tocsin.alert.assets import asset_centre

    lat, lon = asset_centre(asset)
    if asset.geometry == "point":
        shape = f"point {lat:.4f}, {lon:.4f}"
    else:
        shape = f"{asset.geometry} of {len(asset.coords)} points around {lat:.4f}, {lon:.4f}"
    return shape + (f", {asset.radius_km:g} km" if asset.radius_km else "")


@assets_app.command("add")
def assets_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The asset's name.")],
    lat: Annotated[float, typer.Option("--lat", help="Latitude (decimal degrees).")],
    lon: Annotated[float, typer.Option("--lon", help="Longitude (decimal degrees).")],
    kind: Annotated[str, typer.Option("--kind", help=f"{', '.join(ASSET_KINDS[:2])}.")] = "site",
    radius_km: Annotated[
        float, typer.Option("--radius-km", help="Footprint around the point, km.")
    ] = 0.0,
    tags: Annotated[str, typer.Option("--tags", help="Comma-separated tags.")] = "",
    asset_id: Annotated[
        str | None, typer.Option("--id", help="Id (default: from the name).")
    ] = None,
) -> None:
    """Add (or replace) a point asset; lines and polygons come with `assets import`."""
    from tocsin.alert.assets import make_asset

    asset = make_asset(
        name, coords=[(lat, lon)], kind=kind, radius_km=radius_km, tags=tags.split(","),
        asset_id=asset_id,
    )  # fmt: skip
    store = ctx.obj.store()
    replaced = store.get_asset(asset.id) is not None
    store.save_assets([asset])
    say(f"{'replaced' if replaced else 'added'} {asset.id}: {asset.name} ({_where(asset)})")


@assets_app.command("import")
def assets_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .csv or .geojson file of assets.")],
) -> None:
    """Import assets from CSV or GeoJSON; bad rows are listed, good ones imported."""
    from tocsin.alert.assets import read_assets

    found = read_assets(file)
    for problem in found.problems:
        note(problem)
    store = ctx.obj.store()
    if found.assets:
        store.save_assets(found.assets)
    say(
        f"{file}: {count(len(found.assets), 'asset')} imported, "
        f"{count(len(found.problems), 'problem')}; "
        f"{count(len(store.list_assets()), 'asset')} in the store"
    )
    if not found.assets:
        raise typer.Exit(1)


@assets_app.command("list")
def assets_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every asset: id, kind, name, where."""
    found = ctx.obj.store().list_assets()
    if as_json:
        for asset in found:
            print_json(asset_plain(asset))
        return
    if not found:
        say("no assets yet: `tocsin assets add NAME --lat --lon` or `tocsin assets import FILE`")
        return
    width = max(len(a.id) for a in found)
    for asset in found:
        tags = f" [{', '.join(asset.tags)}]" if asset.tags else ""
        say(f"{asset.id:<{width}}  {asset.kind:<5}  {asset.name} — {_where(asset)}{tags}")
    say(count(len(found), "asset"))


@assets_app.command("remove")
def assets_remove(
    ctx: typer.Context, asset_id: Annotated[str, typer.Argument(help="The asset's id.")]
) -> None:
    """Remove an asset (its past alerts stay)."""
    if not ctx.obj.store().remove_asset(asset_id):
        raise TocsinError(f"{asset_id}: no such asset; list them with `tocsin assets list`")
    say(f"removed {asset_id}")


# ---------------------------------------------------------------- rules


def _check_rules(rules: list[AlertRule], store: Any) -> None:
    """Every area resolves (else an error); an asset not in the store is a warning."""
    from tocsin.app.alerts import check_rules

    for warning in check_rules(store, rules):
        note(warning)


def _scope(rule: AlertRule) -> str:
    if rule.area:
        return f"area {rule.area}"
    if rule.asset_id:
        return f"asset {rule.asset_id}, {rule.distance_km:g} km"
    return f"every asset, {rule.distance_km:g} km"


@rules_app.command("add")
def rules_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The rule's name.")],
    asset: Annotated[str | None, typer.Option("--asset", help="Only this asset (id).")] = None,
    area: Annotated[
        str | None, typer.Option("--area", help="An area instead: ML, Mali, Kayes, Bamako.")
    ] = None,
    kinds: Annotated[
        list[str] | None, typer.Option("--kinds", help=f"Of {', '.join(ALERT_KINDS)} (all).")
    ] = None,
    categories: Annotated[
        list[str] | None,
        typer.Option("--categories", help=f"Of {', '.join(RISK_CATEGORIES)} (all)."),
    ] = None,
    min_severity: Annotated[int, typer.Option("--min-severity", help="Events, 1-5.")] = 1,
    min_level: Annotated[int, typer.Option("--min-level", help="Risk levels, 1-5.")] = 3,
    min_probability: Annotated[
        float, typer.Option("--min-probability", help="Forecasts, 0-1.")
    ] = 0.7,
    distance_km: Annotated[
        float, typer.Option("--distance-km", help="How far from an asset.")
    ] = 50.0,
    channels: Annotated[
        list[str] | None,
        typer.Option("--channel", help="email:ADDRESS or webhook:URL (repeat for more)."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="fr or en.")] = "en",
    rule_id: Annotated[
        str | None, typer.Option("--id", help="Id (default: from the name).")
    ] = None,
) -> None:
    """Add (or replace) an alert rule."""
    from tocsin.alert.assets import make_rule

    store = ctx.obj.store()
    rule = make_rule(
        name, rule_id=rule_id, asset_id=asset, area=area,
        kinds=_items(kinds) or ALERT_KINDS, categories=_items(categories),
        min_severity=min_severity, min_level=min_level, min_probability=min_probability,
        distance_km=distance_km, channels=channels or (), lang=lang,
    )  # fmt: skip
    if rule.asset_id and store.get_asset(rule.asset_id) is None:
        raise InputError(
            f"--asset {rule.asset_id}", "no such asset", "list them with `tocsin assets list`"
        )
    _check_rules([rule], store)
    replaced = store.get_rule(rule.id) is not None
    store.save_rules([rule])
    say(f"{'replaced' if replaced else 'added'} {rule.id}: {rule.name} ({_scope(rule)})")


@rules_app.command("import")
def rules_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A rules.toml of [[rule]] tables.")],
) -> None:
    """Import (or replace) the rules of a TOML file; a bad rule stops the import."""
    from tocsin.alert.assets import read_rules

    rules = read_rules(file)
    store = ctx.obj.store()
    _check_rules(rules, store)
    store.save_rules(rules)
    say(
        f"{file}: {count(len(rules), 'rule')} imported; "
        f"{count(len(store.list_rules()), 'rule')} in the store"
    )


@rules_app.command("list")
def rules_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every rule: id, scope, kinds, thresholds, channels."""
    found = ctx.obj.store().list_rules()
    if as_json:
        for rule in found:
            print_json(rule_plain(rule))
        return
    if not found:
        say("no rules yet: `tocsin rules add NAME` or `tocsin rules import rules.toml`")
        return
    for rule in found:
        cats = ", ".join(rule.categories) or "all categories"
        say(f"{rule.id}  {rule.name} ({rule.lang})")
        say(
            f"  {_scope(rule)}; {', '.join(rule.kinds)}; {cats}; severity ≥ {rule.min_severity}, "
            f"level ≥ {rule.min_level}, probability ≥ {rule.min_probability:g}"
        )
        say(f"  to: {', '.join(rule.channels) or 'the feed only'}")
    say(count(len(found), "rule"))


@rules_app.command("remove")
def rules_remove(
    ctx: typer.Context, rule_id: Annotated[str, typer.Argument(help="The rule's id.")]
) -> None:
    """Remove a rule (its past alerts stay)."""
    if not ctx.obj.store().remove_rule(rule_id):
        raise TocsinError(f"{rule_id}: no such rule; list them with `tocsin rules list`")
    say(f"removed {rule_id}")


# ---------------------------------------------------------------- alerts


def _line(alert: Alert) -> str:
    when = alert.updated.strftime("%Y-%m-%d %H:%M") if alert.updated else "—"
    version = f" v{alert.version}" if alert.version > 1 else ""
    return f"{alert.id}  {when}  [{alert.severity}] {alert.kind:<8} {alert.title}{version}"


@alerts_app.command("list")
def alerts_list(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", help="Updated from: YYYY-MM-DD[THH:MM].")
    ] = None,
    asset: Annotated[str | None, typer.Option("--asset", help="For this asset (id).")] = None,
    rule: Annotated[str | None, typer.Option("--rule", help="From this rule (id).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=f"{', '.join(ALERT_KINDS)}.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many, newest first.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Alerts, the most recently updated first."""
    if kind is not None and kind not in ALERT_KINDS:
        raise InputError(f"--kind {kind}", "not known", f"use one of {', '.join(ALERT_KINDS)}")
    if limit < 1:
        raise InputError(f"--limit {limit}", "must be 1 or more", "give how many alerts to show")
    found = ctx.obj.store().list_alerts(
        since=_moment(since, "--since"), asset_id=asset, rule_id=rule, kind=kind, limit=limit
    )
    if as_json:
        for alert in found:
            print_json(alert_plain(alert))
        return
    if not found:
        say("no alerts: add assets and rules, then run `tocsin alerts run`")
        return
    for alert in found:
        say(_line(alert))
    more = "; --limit shows more" if len(found) == limit else ""
    say(f"{count(len(found), 'alert')}{more}")


@alerts_app.command("show")
def alerts_show(
    ctx: typer.Context,
    alert_id: Annotated[str, typer.Argument(help="The alert's id (from alerts list).")],
    as_json: JsonOpt = False,
) -> None:
    """One alert: title, summary, where, and its quotes with their sources' grades."""
    alert = ctx.obj.store().get_alert(alert_id)
    if alert is None:
        raise TocsinError(f"{alert_id}: no such alert; list them with `tocsin alerts list`")
    if as_json:
        print_json(alert_plain(alert), indent=2)
        return
    say(alert.title)
    say(alert.summary)
    rows = [
        ("id", f"{alert.id} (version {alert.version})"),
        ("rule", alert.rule_id),
        ("asset", alert.asset_id or "— (area rule)"),
        ("subject", f"{alert.kind} {alert.subject_id}"),
        ("severity", f"{alert.severity}/5" + (f", {alert.category}" if alert.category else "")),
    ]
    if alert.distance_km is not None:
        rows.append(("distance", f"{alert.distance_km:.1f} km"))
    if alert.lat is not None and alert.lon is not None:
        rows.append(("at", f"{alert.lat:.4f}, {alert.lon:.4f}"))
    if alert.updated:
        rows.append(("updated", alert.updated.isoformat(timespec="seconds")))
    for key, value in rows:
        say(f"  {key:<10}{value}")
    for number, quote in enumerate(alert.quotes, start=1):
        url = f" · {quote.url}" if quote.url else ""
        say(f"  {number}. {quote.source} ({quote.reliability}) · {quote.document_id}{url}")
        say(f"     «{quote.text}»")


@alerts_app.command("run")
def alerts_run(
    ctx: typer.Context,
    asof: Annotated[
        str | None, typer.Option("--asof", help="The day to match for (default: today).")
    ] = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="Time to record on alerts (UTC), for reproducible runs."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Recompute risk levels, match events, risk changes and forecasts against every
    rule, save the alerts and queue their messages in the outbox."""
    from tocsin.app.assessment import update_alerts

    settings = ctx.obj.settings()
    moment = _moment(now, "--now") or datetime.now(UTC)
    run = update_alerts(
        ctx.obj.store(settings),
        settings=settings,
        now=moment,
        asof=parse_day(asof, "--asof") if asof is not None else None,
    )
    for problem in run.problems:
        note(problem)
    if as_json:
        plain = {
            "new": run.new,
            "updated": run.updated,
            "queued": run.queued,
            "events": run.events,
            "risk_changes": run.risk_changes,
            "problems": list(run.problems),
            "alerts": [alert_plain(a) for a in run.alerts],
        }
        print_json(plain)
        return
    said = "alert" if run.new + run.updated == 1 else "alerts"
    say(
        f"{count(run.events, 'recent event')}, {count(run.risk_changes, 'risk change')} → "
        f"{run.new} new, {run.updated} updated {said}; {count(run.queued, 'message')} queued"
    )
    for alert in run.alerts:
        say(_line(alert))


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
    app.add_typer(assets_app, name="assets")
    app.add_typer(rules_app, name="rules")
    app.add_typer(alerts_app, name="alerts")
