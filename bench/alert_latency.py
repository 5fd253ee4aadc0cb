"""Alert latency: from ingesting a document to its alert in the outbox, on the demo corpus.

The demo organisation (assets around Bamako and the Dakar–Bamako corridor, its alert
rules) is stored first; then each demo document is fed alone through the one path a
document takes (``Pipeline.ingest`` then ``Pipeline.extract``, which merges the events,
recomputes the risk levels, matches the rules and queues the messages), and the time
from the start of its ingestion until its messages are in the outbox is recorded.
Measured in the same run, as the baseline: the same document's ingestion and extraction
alone (``Pipeline.extract`` does the rest after it; the split is timed too). The models
are loaded once before the clock starts. Repeated ``--rounds`` times on fresh databases.

    .venv/bin/python bench/alert_latency.py [--rounds 3]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import io  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from rich.console import Console  # noqa: E402

from tocsin.app.demo import corpus_files, corpus_path  # noqa: E402
from tocsin.app.demo.act import DEMO_NOW, load_organisation  # noqa: E402
from tocsin.app.pipeline import Hints, Pipeline  # noqa: E402
from tocsin.config import load_settings  # noqa: E402
from tocsin.extract.annotate import Extractor  # noqa: E402
from tocsin.store import open_store  # noqa: E402


class TimedPipeline(Pipeline):
    """The pipeline, with the time spent after extraction (events, risk, alerts) kept."""

    after_extraction = 0.0

    def assess(self):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return super().assess()
        finally:
            self.after_extraction += time.perf_counter() - start


def one_round(extractor: Extractor, folder: Path, number: int) -> list[dict[str, float]]:
    settings = load_settings(
        overrides={
            "db": f"sqlite:///{folder / f'round{number}.db'}",
            "sources_file": str(corpus_path() / "sources.toml"),
        }
    )
    store = open_store(settings.db)
    load_organisation(store, Console(file=io.StringIO()))
    pipeline = TimedPipeline(store, settings, now=lambda: DEMO_NOW, extractor=extractor)
    rows = []
    for path in corpus_files():
        queued_before = sum(store.outbox_counts().values())
        pipeline.after_extraction = 0.0
        start = time.perf_counter()
        ids = [r.doc_id for r in pipeline.ingest([str(path)], hints=Hints()) if r.doc_id]
        list(pipeline.extract(ids))
        total = time.perf_counter() - start
        queued = sum(store.outbox_counts().values()) - queued_before
        rows.append(
            {
                "total": total,
                "baseline": total - pipeline.after_extraction,
                "after": pipeline.after_extraction,
                "queued": float(queued),
            }
        )
    pipeline.close()
    store.close()
    return rows


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    extractor = Extractor()
    with tempfile.TemporaryDirectory() as tmp:
        warm = one_round(extractor, Path(tmp), 0)  # loads the models, warms the caches
        del warm
        rows = [
            row for n in range(1, args.rounds + 1) for row in one_round(extractor, Path(tmp), n)
        ]
    alerting = [r for r in rows if r["queued"] > 0]
    print(f"demo corpus: {len(corpus_files())} documents × {args.rounds} rounds = {len(rows)}")
    print(f"documents whose ingestion queued alert messages: {len(alerting)}")
    for label, sample in (("documents raising alerts", alerting), ("all documents", rows)):
        if not sample:
            continue
        totals = [r["total"] for r in sample]
        base = [r["baseline"] for r in sample]
        after = [r["after"] for r in sample]
        print(
            f"{label}: latency ingest→outbox median {statistics.median(totals):.3f} s, "
            f"p95 {pct(totals, 0.95):.3f} s; baseline ingest+extract median "
            f"{statistics.median(base):.3f} s, p95 {pct(base, 0.95):.3f} s; "
            f"events+risk+alerts median {statistics.median(after):.3f} s, "
            f"p95 {pct(after, 0.95):.3f} s; ratio latency/baseline (medians) "
            f"{statistics.median(totals) / statistics.median(base):.2f}"
        )


if __name__ == "__main__":
    main()
