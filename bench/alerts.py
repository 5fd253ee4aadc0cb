"""Risk levels and alert matching at scale: 100,000 events and 1,000 assets.

Synthetic and seeded: events over West Africa (lat 4-25, lon -18-16), two thirds
clustered around 300 hot spots (a town and its surroundings), a third scattered, dated
over the year before "as of", with ACLED types and sub-types, fatalities, statuses and
some tags; assets are points with a radius (70 %), small polygons (20 %) and routes of
5-15 vertices, 100-900 km long, with a 5-15 km buffer (10 %), half of them near hot
spots. The events are saved in a SQLite file first (not timed). Then, in one process:

- baseline: loading the events from the store (``Store.list_events``);
- risk: ``compute_risk`` over them (every country, region and town, five categories);
- matching: ``match_events`` for one rule over every asset (40 km, severity 2 or more,
  no known alerts: every match is a new alert with its title, summary and fingerprint),
  then again with those alerts known (nothing changed: what a periodic run costs);
- for scale, a full scan (every asset measured against every event, vectorised) on a
  sample of assets, extrapolated to all of them: what the grid saves;

and prints the times, the ratios risk / load and matching / load, and peak memory
(ru_maxrss) after each step.

    .venv/bin/python bench/alerts.py [--events 100000] [--assets 1000] [--seed 5]
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from tocsin.alert.geometry import asset_shape
from tocsin.alert.rules import match_events
from tocsin.assess.risk.levels import compute_risk
from tocsin.assess.risk.params import load_risk_params
from tocsin.models import EVENT_TAGS, EVENT_TYPES, AlertRule, Asset, Event, EventFilter
from tocsin.store import open_store

ASOF = date(2025, 12, 8)
COUNTRIES = ("ML", "BF", "NE", "SN", "GN", "CI", "MR")
REGIONS = ("Kayes", "Koulikoro", "Ségou", "Mopti", "Sikasso", "Gao", "Tombouctou", "Sahel")
STATUSES = ("reported", "reported", "corroborated", "confirmed")
SUB_TYPES = [(kind, sub) for kind, subs in EVENT_TYPES.items() for sub in subs]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def hot_spots(rng: random.Random, count: int = 300) -> list[tuple[float, float, int]]:
    """(lat, lon, index) of places where events cluster."""
    return [(rng.uniform(5.0, 24.0), rng.uniform(-17.0, 15.0), i) for i in range(count)]


def make_events(
    count: int, rng: random.Random, spots: list[tuple[float, float, int]]
) -> list[Event]:
    events = []
    for i in range(count):
        if rng.random() < 2 / 3:
            lat0, lon0, spot = rng.choice(spots)
            lat, lon = lat0 + rng.gauss(0, 0.25), lon0 + rng.gauss(0, 0.25)
            location, precision = f"Town {spot}", 1 if rng.random() < 0.7 else 2
        else:
            lat, lon, spot = rng.uniform(4.0, 25.0), rng.uniform(-18.0, 16.0), -1
            location, precision = f"Village {i}", 2
        kind, sub = rng.choice(SUB_TYPES)
        deaths = rng.choice((None, 0, 0, 1, 2, 3, 5, 8, 12, 20, 40))
        events.append(
            Event(
                id=f"ev{i:06d}",
                event_type=kind,
                sub_event_type=sub,
                event_date=ASOF - timedelta(days=rng.randrange(365)),
                time_precision=1,
                actor1="jnim" if rng.random() < 0.5 else "unidentified-armed-group-mali",
                actor1_name="JNIM" if rng.random() < 0.5 else "Unidentified Armed Group (Mali)",
                inter1=2,
                actor2="civilians-mali",
                actor2_name="Civilians (Mali)",
                inter2=7,
                location=location,
                geonameid=1_000_000 + spot if spot >= 0 else None,
                lat=round(lat, 4),
                lon=round(lon, 4),
                country=COUNTRIES[(spot if spot >= 0 else i) % len(COUNTRIES)],
                admin1=REGIONS[(spot if spot >= 0 else i) % len(REGIONS)],
                geo_precision=precision,
                fatalities=deaths,
                tags=(rng.choice(EVENT_TAGS),) if rng.random() < 0.15 else (),
                status=rng.choice(STATUSES),
                independent=rng.randint(1, 3),
            )
        )
    return events


def make_assets(
    count: int, rng: random.Random, spots: list[tuple[float, float, int]]
) -> list[Asset]:
    assets = []
    for i in range(count):
        if rng.random() < 0.5:
            lat0, lon0, _ = rng.choice(spots)
            lat, lon = lat0 + rng.gauss(0, 0.3), lon0 + rng.gauss(0, 0.3)
        else:
            lat, lon = rng.uniform(5.0, 24.0), rng.uniform(-17.0, 15.0)
        roll = rng.random()
        if roll < 0.7:
            assets.append(Asset(f"a{i}", f"Site {i}", "site", "point", ((lat, lon),),
                                radius_km=rng.choice((0.0, 0.5, 1.0, 2.0, 5.0))))  # fmt: skip
        elif roll < 0.9:
            d = rng.uniform(0.002, 0.02)
            ring = ((lat, lon), (lat, lon + d), (lat + d, lon + d), (lat + d, lon))
            assets.append(Asset(f"a{i}", f"Compound {i}", "site", "polygon", ring))
        else:
            length_km = rng.uniform(100.0, 900.0)
            steps = rng.randint(5, 15)
            heading = rng.uniform(0, 2 * math.pi)
            points = [(lat, lon)]
            for _ in range(steps - 1):
                heading += rng.gauss(0, 0.4)
                step = length_km / (steps - 1) / 111.0
                lat += step * math.sin(heading)
                lon += step * math.cos(heading) / math.cos(math.radians(lat))
                points.append((lat, lon))
            assets.append(Asset(f"a{i}", f"Route {i}", "route", "line", tuple(points),
                                radius_km=rng.uniform(5.0, 15.0)))  # fmt: skip
    return assets


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--assets", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--scan-sample", type=int, default=20, help="assets in the full scan")
    args = parser.parse_args()
    if not (1 <= args.events <= 1_000_000 and 1 <= args.assets <= 100_000):
        sys.exit("--events 1..1,000,000 and --assets 1..100,000")
    rng = random.Random(args.seed)
    spots = hot_spots(rng)
    events = make_events(args.events, rng, spots)
    assets = make_assets(args.assets, rng, spots)
    kinds = {k: sum(a.geometry == k for a in assets) for k in ("point", "polygon", "line")}
    params = load_risk_params()
    rule = AlertRule(id="all", name="Every asset", kinds=("event",), distance_km=40.0,
                     min_severity=2, lang="en")  # fmt: skip
    now = datetime(2025, 12, 8, 8, tzinfo=UTC)

    with tempfile.TemporaryDirectory(prefix="tocsin-bench-") as folder:
        store = open_store(str(Path(folder) / "bench.db"))
        started = time.perf_counter()
        store.save_events(events)
        save_s = time.perf_counter() - started
        del events
        print(
            f"{args.events:,} events, {args.assets:,} assets ({kinds['point']} points, "
            f"{kinds['polygon']} polygons, {kinds['line']} routes); saved in {save_s:.1f} s "
            "(not timed below)"
        )
        base_mb = peak_mb()

        started = time.perf_counter()
        loaded = store.list_events(EventFilter())
        load_s = time.perf_counter() - started
        load_mb = peak_mb()

        started = time.perf_counter()
        levels = compute_risk(loaded, asof=ASOF, period_days=7, params=params)
        risk_s = time.perf_counter() - started
        risk_mb = peak_mb()

        started = time.perf_counter()
        alerts = match_events(loaded, assets, [rule], params=params, known={}, now=now)
        match_s = time.perf_counter() - started
        match_mb = peak_mb()
        known = {alert.key: alert for alert in alerts}
        started = time.perf_counter()
        again = match_events(loaded, assets, [rule], params=params, known=known, now=now)
        again_s = time.perf_counter() - started
        store.close()

    lats = np.array([e.lat for e in loaded], dtype=np.float64)
    lons = np.array([e.lon for e in loaded], dtype=np.float64)
    sample = assets[:: max(1, len(assets) // max(1, args.scan_sample))][: args.scan_sample]
    started = time.perf_counter()
    scanned = sum(int((asset_shape(a).distances_km(lats, lons) <= 40.0).sum()) for a in sample)
    scan_s = (time.perf_counter() - started) * len(assets) / max(1, len(sample))

    rows = [
        ("load events (baseline)", load_s, f"{len(loaded):,} events", load_mb),
        ("compute_risk", risk_s, f"{len(levels):,} levels", risk_mb),
        ("match_events", match_s, f"{len(alerts):,} alerts", match_mb),
        ("match again, all known", again_s, f"{len(again):,} alerts", peak_mb()),
        ("full scan (estimated)", scan_s, f"{scanned:,} pairs in {len(sample)} assets", None),
    ]
    print(f"\n{'step':<24}{'seconds':>9}  {'result':<30}{'peak MB':>9}")
    for name, seconds, result, memory in rows:
        shown = f"{memory:,.0f}" if memory is not None else "—"
        print(f"{name:<24}{seconds:>9.2f}  {result:<30}{shown:>9}")
    print(f"\nrisk / load:      {risk_s / load_s:.2f}")
    print(f"matching / load:  {match_s / load_s:.2f} (again, nothing new: {again_s / load_s:.2f})")
    print(f"full scan / grid: {scan_s / match_s:.1f} (measuring only, no alerts built)")
    print(f"peak memory: {peak_mb():,.0f} MB (after saving the events: {base_mb:,.0f} MB)")


if __name__ == "__main__":
    main()
