"""``tocsin watch``: poll feeds at their intervals; one failing feed never stops the others."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tocsin.config import read_toml
from tocsin.errors import ConfigError, InputError
from tocsin.models import Kind
from tocsin.pipeline import Hints, ItemResult, Pipeline

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL = 1.0
RETRY_FIRST = 30.0  # seconds before retrying a failed feed; doubles, capped by its interval


@dataclass(frozen=True, slots=True)
class WatchedFeed:
    url: str
    interval: float = 900.0
    kind: Kind | None = None
    source: str | None = None


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


def load_watch_config(path: Path) -> list[WatchedFeed]:
    """Read ``[[feed]]`` entries: url, interval (900, "15m", "1h"), kind, source."""
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
            )
        )
    if not feeds:
        raise ConfigError(f"{path}: no [[feed]] entries; add at least one with a url")
    return feeds


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
) -> None:
    """Poll until ``stop`` is set (or Ctrl-C, or after one round with ``once``)."""
    stop = stop or threading.Event()
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
                for extracted in pipeline.extract(changed):
                    if extracted.error:
                        on_error(extracted.error)
            due[feed.url] = clock() + delay
        if once:
            return
        stop.wait(max(0.05, min(due.values()) - clock()))
