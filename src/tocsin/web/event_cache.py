"""Aggregates over the events (the map's points, the timeline's weekly counts, the
newest event's date) cached per events version.

The events of a layer are rewritten as a whole by each merge, and every rewrite bumps
``Store.events_version`` in the same transaction; a cached result is served only while
the version it was computed at is current, so the cache is never stale and costs one
primary-key read per request. Under eight concurrent clients the map and the timeline
were CPU-bound (60 ms of Python per request for 2,000 points), the same answer computed
again for everyone; now once per merge and filter.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from tocsin.models import LAYER_TOCSIN
from tocsin.store import Store

T = TypeVar("T")
SIZE = 128  # results kept (filters differ per user; the common ones stay)

_items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


def cached(
    store: Store, key: Hashable, compute: Callable[[], T], *, layer: str = LAYER_TOCSIN
) -> T:
    """``compute()``, or its result from an earlier call with the same ``key`` while the
    events of ``layer`` have not changed."""
    full = (str(store.engine.url), layer, store.events_version(layer=layer), key)
    with _lock:
        if full in _items:
            _items.move_to_end(full)
            found: T = _items[full]
            return found
    value = compute()
    with _lock:
        _items[full] = value
        while len(_items) > SIZE:
            _items.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _items.clear()
