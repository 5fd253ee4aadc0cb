"""The demo's second half: a fictional organisation with assets around Bamako and along
the Dakar–Bamako corridor, the risk levels the corpus gives, the alerts they raise, a
brief written to files, the Atom feed and the digest each subscriber would get.

The demo runs "as of" the newest document of the corpus (8 December 2025), never today:
its figures are the same on every machine and every day.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console

from tocsin.config import Settings
from tocsin.knowledge.names import RISK_CATEGORY_NAMES, RISK_LEVEL_NAMES
from tocsin.store import Store

DEMO_ASOF = date(2025, 12, 8)
DEMO_NOW = datetime(2025, 12, 8, 18, 0, tzinfo=UTC)
TREND_ARROWS = {"up": "↑", "down": "↓", "steady": "→", "new": "new"}


def organisation_path() -> Path:
    return Path(__file__).parent / "organisation"


def load_organisation(store: Store, console: Console) -> None:
    """Store the demo organisation's assets, alert rules and digest subscribers."""
    from tocsin.alert.assets import read_assets
    from tocsin.alert.rule_files import read_rules
    from tocsin.report.digest.messages import read_subscribers

    folder = organisation_path()
    found = read_assets(folder / "assets.geojson")
    store.save_assets(found.assets, now=DEMO_NOW)
    rules = read_rules(folder / "rules.toml")
    store.save_rules(rules, now=DEMO_NOW)
    subscribers, problems = read_subscribers(folder / "subscribers.toml")
    for subscriber in subscribers:
        store.add_subscriber(subscriber)
    for problem in (*found.problems, *problems):
        console.print(f"  {problem}", markup=False)
    kinds = Counter(asset.kind for asset in found.assets)
    console.print(
        f"Demo organisation (fictional): {len(found.assets)} assets ("
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        + f"), {len(rules)} alert rules, {len(subscribers)} digest subscribers",
        markup=False,
    )


def demo_risk(store: Store, console: Console, *, asof: date = DEMO_ASOF) -> None:
    """The highest risk levels as of ``asof``, with their trend and first reason."""
    levels = store.latest_risk_levels(asof=asof)
    if not levels:
        console.print("\nRisk levels: nothing in the period.", markup=False)
        return
    names = RISK_LEVEL_NAMES["en"]
    by_scope = Counter(level.scope for level in levels)
    console.print(
        f"\nRisk levels as of {asof.isoformat()} ({len(levels)} place × category levels: "
        + ", ".join(f"{n} {k}" for k, n in sorted(by_scope.items()))
        + "); the highest:",
        markup=False,
    )
    ranked = sorted(levels, key=lambda lv: (-lv.level, -lv.score, lv.place_key, lv.category))
    for level in ranked[:8]:
        reason = level.contributions[0].summary if level.contributions else ""
        console.print(
            f"  {level.level} {names[level.level]:<8} {TREND_ARROWS.get(level.trend, '')} "
            f"{level.name} ({level.scope}), {RISK_CATEGORY_NAMES['en'][level.category]}"
            + (f" — {reason[:90]}" if reason else ""),
            markup=False,
        )
    console.print("Next: tocsin --db <db> risk [--area Bamako] [--json]", markup=False)


def demo_alerts(store: Store, console: Console, *, settings: Settings, out_dir: Path) -> None:
    """The alerts the corpus raised for the organisation, the outbox, the Atom feed."""
    from tocsin.alert.feed import atom_feed

    alerts = store.list_alerts()
    kinds = Counter(alert.kind for alert in alerts)
    console.print(
        f"\nAlerts: {len(alerts)} ("
        + (", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none")
        + ")",
        markup=False,
    )
    ranked = sorted(alerts, key=lambda a: (-a.severity, a.distance_km or 0.0, a.id))
    for alert in ranked[:6]:
        console.print(f"  severity {alert.severity} · {alert.title}", markup=False)
    counts = store.outbox_counts()
    console.print(
        "Outbox: "
        + (", ".join(f"{n} {k}" for k, n in sorted(counts.items()) if n) or "empty")
        + " (no mail server in the demo: `tocsin outbox deliver` sends them once "
        "smtp_host and webhook_secret are set)",
        markup=False,
    )
    feed = out_dir / "alerts.atom"
    feed.write_bytes(atom_feed(alerts, settings=settings, now=DEMO_NOW))
    console.print(f"Atom feed of the alerts: {feed}", markup=False)


def demo_brief(store: Store, console: Console, *, out_dir: Path) -> None:
    """A 30-day brief on Bamako, in French (Markdown) and English (HTML and PDF)."""
    from tocsin.app.briefs import build_brief
    from tocsin.geo.areas import resolve_area
    from tocsin.report.brief.render import render_brief

    area = resolve_area("Bamako")
    written: list[Path] = []
    for lang, formats in (("fr", ("md",)), ("en", ("md", "html", "pdf"))):
        brief = build_brief(
            store, area=area, period_end=DEMO_ASOF, period_days=30, lang=lang, now=DEMO_NOW
        )
        store.save_brief(brief, render_brief(brief, "md").decode("utf-8"))
        for fmt in formats:
            path = out_dir / f"brief-bamako-{DEMO_ASOF.isoformat()}.{lang}.{fmt}"
            path.write_bytes(render_brief(brief, fmt))
            written.append(path)
        if lang == "en":
            bottom = next((s for s in brief.sections if s.key == "bottom_line"), None)
            if bottom and bottom.sentences:
                console.print(f"  Bottom line: {bottom.sentences[0].text}", markup=False)
    console.print(
        "\nBrief on Bamako, 30 days to 8 December 2025, written to:\n"
        + "\n".join(f"  {path}" for path in written),
        markup=False,
    )


def demo_digest(store: Store, console: Console, *, settings: Settings) -> None:
    """What each subscriber's weekly digest would say (a dry run: nothing queued)."""
    from tocsin.app.digest import send_digests

    digests = send_digests(store, settings=settings, week_end=DEMO_ASOF, dry_run=True, now=DEMO_NOW)
    console.print(f"\nWeekly digest (dry run): {len(digests)} subscribers", markup=False)
    for digest in digests:
        console.print(f"  {digest.subscriber.email}: {digest.subject}", markup=False)
