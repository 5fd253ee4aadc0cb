"""The events aggregates cache: served while the events are unchanged, recomputed after
every rewrite of the layer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import login
from tocsin.models import EventFilter
from tocsin.store import open_store
from tocsin.web import event_cache


def test_every_rewrite_of_a_layer_bumps_its_version(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "v.db"))
    assert store.events_version() == 0
    store.save_events([])
    store.save_events([])
    assert store.events_version() == 2
    assert store.events_version(layer="acled") == 0


def test_cached_until_the_events_change(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "c.db"))
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert event_cache.cached(store, "k", compute) == 1
    assert event_cache.cached(store, "k", compute) == 1
    store.save_events([])
    assert event_cache.cached(store, "k", compute) == 2
    assert event_cache.cached(store, "other", compute) == 3


def test_the_map_shows_a_merge_at_once(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    login(client, "viewer")
    store = web_app.state.store
    before = client.get("/api/v1/map/events").json()
    assert before["count"] > 1
    kept = [e for e in store.list_events(EventFilter()) if e.id != before["features"][0]["id"]]
    store.save_events([replace(e) for e in kept])
    after = client.get("/api/v1/map/events").json()
    assert after["count"] == before["count"] - 1
    assert before["features"][0]["id"] not in {f["id"] for f in after["features"]}
