from collections.abc import Iterator

import pytest

from tests.demostore import demo_store
from tests.httpserver import local_server
from tests.pgserver import postgres_url

__all__ = ["demo_store", "local_server", "postgres_url"]


@pytest.fixture(autouse=True)
def _no_extraction_unless_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`ingest` and `watch` extract by default; the tests that check extraction turn it
    back on (TOCSIN_EXTRACT=1), the others skip loading the models."""
    monkeypatch.setenv("TOCSIN_EXTRACT", "0")
    yield
