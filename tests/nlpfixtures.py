"""Shared, session-wide fixtures for extraction and geography tests: one gazetteer index,
one set of models. Imported by tests/conftest.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tocsin.extract.nlp import Models, shared_models
from tocsin.geo.gazetteer import Gazetteer


@pytest.fixture(scope="session")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gazetteer") / "index.sqlite"
    started = time.perf_counter()
    Gazetteer.load(index_path=path, include_world=False).close()
    print(f"\ngazetteer index built in {time.perf_counter() - started:.2f} s")
    return path


@pytest.fixture(scope="session")
def gazetteer(index_path: Path) -> Gazetteer:
    started = time.perf_counter()
    gaz = Gazetteer.load(index_path=index_path, include_world=False)
    print(f"\ngazetteer index opened in {time.perf_counter() - started:.4f} s ({len(gaz)} places)")
    return gaz


@pytest.fixture(scope="session")
def models() -> Models:
    """The real spaCy pipelines, loaded once for the whole test session."""
    return shared_models()
