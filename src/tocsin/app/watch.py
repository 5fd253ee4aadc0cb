"""``tocsin watch``: poll feeds at their intervals; one failing feed never stops the others.

Each round also delivers what is due in the outbox (alerts, digests; at most ``tick``
seconds apart, whatever the feeds' intervals) and, when ``digest_schedule`` is set and
its time has come, queues the weekly digest first. When the digest last went out is read
from the store (the newest digest message in the outbox), so a restart neither repeats
nor skips it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tocsin.app.area import area_countries
from tocsin.app.digest import send_digests
from tocsin.app.outbox import deliver
from tocsin.app.pipeline import Hints, ItemResult, Pipeline
from tocsin.config import read_toml
from tocsin.errors import ConfigError, InputError, TocsinError
from tocsin.models import Kind
from tocsin.report.digest.messages import digest_due, digest_slot, parse_schedule

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL = 1.0
RETRY_FIRST = 30.0  # seconds before retrying a failed feed; doubles, capped by its interval
TICK = 30.0  # the longest wait between two rounds of outbox delivery


@dataclass(frozen=True, slots=True)
class WatchedFeed:
    url: str
    interval: float = 900.0
    kind: Kind | None = None
    source: str | None = None
    area_of_interest: tuple[str, ...] = ()  # ISO2 codes; empty: the source's or the settings'


def _interval(value: object, where: str) -> float:
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", str(value))
        if not match:
            raise ConfigError(
                f"{where}: interval {value!r} not understood; write 900, '15m' or '1h'"
            )
        seconds = float(match.group(1)) * _UNITS[match.group(2) or "s"]
    if seconds < MIN_INTERVAL:
        raise ConfigError(
            f"{where}: interval under {MIN_INTERVAL:g} s; be kind to the sites you poll"
        )
    return seconds


def _strings(value: object) -> list[str]:
    """A TOML string or list of strings as a list (anything else: one string of it)."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value else []


def load_watch_config(path: Path) -> list[WatchedFeed]:
    """Read ``[[feed]]`` entries: url, interval (900, "15m", "1h"), kind, source,
    area_of_interest (countries or regions: where its places are looked for first)."""
    data = read_toml(path, missing="give the watch config's path")
    feeds = []
    for i, item in enumerate(data.get("feed", []), 1):
        where = f"{path}: feed {i}"
        if not isinstance(item, dict) or not item.get("url"):
            raise ConfigError(f"{where}: no url; give each [[feed]] a url")
        kind = item.get("kind")
        if kind is not None and kind not in set(Kind):
            raise ConfigError(f"{where}: kind {kind!r}; use one of {', '.join(Kind)}")
        feeds.append(
            WatchedFeed(
                url=str(item["url"]),
                interval=_interval(item.get("interval", 900), where),
                kind=Kind(kind) if kind else None,
                source=str(item["source"]) if item.get("source") else None,
                area_of_interest=area_countries(
                    _strings(item.get("area_of_interest", [])), where=f"{where}: area_of_interest"
                ),
            )
        )
    if not feeds:
        raise ConfigError(f"{path}: no [[feed]] entries; add at least one with a url")
    return feeds


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _digest(
    pipeline: Pipeline,
    schedule: str,
    *,
    now: datetime,
    done: datetime | None,
    on_error: Callable[[str], None],
    on_note: Callable[[str], None],
) -> datetime | None:
    """Queue the digest when its time has come; returns the slot now handled (each slot
    is tried once per process when it succeeds, so a week already queued is not rebuilt
    every round)."""
    slot = digest_slot(schedule, now=now)
    if slot == done or not digest_due(
        schedule, last_sent=pipeline.store.last_digest_queued(), now=now
    ):
        return done
    week_end = slot.date() - timedelta(days=1)
    try:
        digests = send_digests(
            pipeline.store,
            settings=pipeline.settings,
            week_end=week_end,
            now=now,
            on_problem=lambda problem: on_error(f"digest: {problem}"),
        )
    except TocsinError as exc:
        on_error(f"digest for the week ending {week_end}: {exc} (trying again next round)")
        return done
    on_note(f"digest for the week ending {week_end} queued for {len(digests)} subscriber(s)")
    return slot


def _deliver(
    pipeline: Pipeline,
    *,
    now: Callable[[], datetime],
    on_error: Callable[[str], None],
    on_note: Callable[[str], None],
) -> None:
    try:
        report = deliver(pipeline.store, settings=pipeline.settings, now=now)
    except (TocsinError, OSError) as exc:
        on_error(f"outbox delivery: {exc} (trying again next round)")
        return
    if report.sent or report.retried or report.dead:
        on_note(f"outbox: {report.sent} sent, {report.retried} to retry, {report.dead} dead")


def run_watch(
    pipeline: Pipeline,
    feeds: list[WatchedFeed],
    *,
    once: bool = False,
    on_result: Callable[[ItemResult], None] = lambda _r: None,
    on_error: Callable[[str], None] = lambda _m: None,
    stop: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic,
    retry_first: float = RETRY_FIRST,
    now: Callable[[], datetime] = _utcnow,
    tick: float = TICK,
    on_note: Callable[[str], None] = lambda _m: None,
) -> None:
    """Poll until ``stop`` is set (or Ctrl-C, or after one round with ``once``). Each
    round ends by queueing the digest when due (by the wall clock ``now``) and
    delivering the outbox; ``on_note`` hears what they did. A bad ``digest_schedule``
    is a ``ConfigError`` before anything runs."""
    stop = stop or threading.Event()
    schedule = pipeline.settings.digest_schedule.strip()
    if schedule:
        parse_schedule(schedule)
    digest_done: datetime | None = None
    due = {feed.url: clock() for feed in feeds}
    failures = {feed.url: 0 for feed in feeds}
    while not stop.is_set():
        for feed in feeds:
            if stop.is_set() or due[feed.url] > clock():
                continue
            hints = Hints(kind=feed.kind, source=feed.source)
            try:
                if feed.url.startswith(("http://", "https://")):
                    results = list(pipeline.poll_feed(feed.url, hints=hints))
                else:
                    results = list(pipeline.ingest([feed.url], hints=hints))
                failures[feed.url] = 0
                delay = feed.interval
            except InputError as exc:
                failures[feed.url] += 1
                delay = min(feed.interval, retry_first * 2 ** (failures[feed.url] - 1))
                on_error(f"{exc} (retrying in {delay:.0f} s)")
                results = []
            for result in results:
                on_result(result)
            if pipeline.settings.extract and results:
                changed = [
                    r.doc_id
                    for r in results
                    if r.doc_id and r.status in ("new", "near-copy", "updated")
                ]
                area = feed.area_of_interest or None
                for extracted in pipeline.extract(changed, area=area):
                    if extracted.error:
                        on_error(extracted.error)
            due[feed.url] = clock() + delay
        if schedule and not stop.is_set():
            digest_done = _digest(
                pipeline,
                schedule,
                now=now(),
                done=digest_done,
                on_error=on_error,
                on_note=on_note,
            )
        if not stop.is_set():
            _deliver(pipeline, now=now, on_error=on_error, on_note=on_note)
        if once:
            return
        stop.wait(max(0.05, min([tick, *(at - clock() for at in due.values())])))
