import os

# One BLAS thread per process: the sentence encoder's matrix products are small, extra
# threads only fight over the two cores (and made batch results differ in the last bits).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402

from tests.demostore import demo_store  # noqa: E402
from tests.httpserver import local_server  # noqa: E402
from tests.nlpfixtures import gazetteer, index_path, models  # noqa: E402, F401
from tests.pgserver import postgres_url  # noqa: E402

__all__ = ["demo_store", "local_server", "postgres_url"]


@pytest.fixture(autouse=True)
def _no_extraction_unless_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`ingest` and `watch` extract by default; the tests that check extraction turn it
    back on (TOCSIN_EXTRACT=1), the others skip loading the models."""
    monkeypatch.setenv("TOCSIN_EXTRACT", "0")
    yield
