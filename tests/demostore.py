"""The extracted demo store, built once per test session: the bundled corpus ingested,
extracted with the real models (as `make demo` does), its events merged, and the
fictional organisation's assets stored. Briefs and their goldens are written from it,
and the web tests start from a copy of it (tests/web/conftest.py). The fixture
``demo_store`` is registered in tests/conftest.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tocsin.alert.assets import read_assets
from tocsin.app.demo import corpus_files, corpus_path
from tocsin.app.events import update_events
from tocsin.app.pipeline import Pipeline
from tocsin.assess.forecasts import forecasts_from
from tocsin.config import Settings
from tocsin.extract.annotate import Extractor
from tocsin.store import Store, open_store

DEMO_NOW = datetime(2025, 12, 8, 18, 0, tzinfo=UTC)
ASSETS = Path(corpus_path()).parent / "organisation" / "assets.geojson"


def build_demo_store(path: Path) -> Store:
    """Ingest, extract and merge the demo corpus into a SQLite file at ``path``, and
    store the demo organisation's assets."""
    settings = Settings(sources_file=str(corpus_path() / "sources.toml"), extract=False)
    store = open_store(str(path))
    pipeline = Pipeline(store, settings, now=lambda: DEMO_NOW)
    results = list(pipeline.ingest([str(p) for p in corpus_files()]))
    assert not [r.error for r in results if r.status == "failed"]
    docs = [d for i in store.stale_documents(None) if (d := store.get_document(i))]
    extractor = Extractor()
    by_id = {doc.id: doc for doc in docs}
    for ann in extractor.extract_many(docs):
        store.save_extraction(ann, forecasts_from(by_id[ann.document_id], ann))
    update_events(store)
    store.save_assets(read_assets(ASSETS).assets, now=DEMO_NOW)
    return store


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The extracted demo corpus with the demo organisation's assets (read only: tests
    that write use their own store)."""
    started = time.perf_counter()
    store = build_demo_store(tmp_path_factory.mktemp("demo") / "demo.db")
    print(f"\ndemo store extracted in {time.perf_counter() - started:.1f} s")
    yield store
    store.close()
