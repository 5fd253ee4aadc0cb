"""Comment section summaries: how long a summary takes, on the demo corpus and on 20,000
comments under one article, with the time split between the classifier, the sentence
encoder (the baseline: the bare encoder's cost for the sentences it read, measured in
the same run) and the rest (actor and party resolution, stance, narratives, unnamed
groups, aggregation).

The 20,000 comments are the project's own written comments (``data/comments/
train.jsonl``), each made different by a short suffix sentence (so that neither the
de-duplication of texts nor that of sentences helps), plus one comment posted 500
times. The models are loaded before the clock starts; BLAS runs on ``--threads``
threads (default 1: figures per core). It prints, per case: seconds, comments per
second, the classifier's and the encoder's seconds, sentences read and encoded, and
the peak memory (ru_maxrss) at the end.

    .venv/bin/python bench/comment_summary.py [--n 20000] [--threads 1] [--demo-db demo.db]
"""

from __future__ import annotations

import argparse
import os
import sys

_threads = "1"
if "--threads" in sys.argv:
    _threads = sys.argv[sys.argv.index("--threads") + 1]
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads

import json  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

from tocsin.app.comments import overall_summary  # noqa: E402
from tocsin.assess.encoder import Encoder, Vectors  # noqa: E402
from tocsin.comments.classify import classify_texts  # noqa: E402
from tocsin.comments.reading import Part, read_parts  # noqa: E402
from tocsin.comments.resolve import shared_matcher  # noqa: E402
from tocsin.comments.summary import summarise  # noqa: E402
from tocsin.models import CommentScores  # noqa: E402
from tocsin.store import open_store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "data" / "comments" / "train.jsonl"
SPAM = "Il faut expulser tous ces étrangers qui achètent notre carburant, dehors !"
START = datetime(2025, 11, 3, 6, 0, tzinfo=UTC)


class Timed:
    """The classifier and the encoder, with the seconds they took."""

    def __init__(self, threads: int) -> None:
        self.classify_s = 0.0
        self.encode_s = 0.0
        self.encoded = 0
        timed = self

        class _Encoder(Encoder):
            def encode(self, texts: Sequence[str]) -> Vectors:
                started = time.perf_counter()
                try:
                    return super().encode(texts)
                finally:
                    timed.encode_s += time.perf_counter() - started
                    timed.encoded += len(texts)

        self.encoder = _Encoder(threads=threads)

    def classify(self, texts: Sequence[str]) -> list[CommentScores]:
        started = time.perf_counter()
        try:
            return classify_texts(texts)
        finally:
            self.classify_s += time.perf_counter() - started


def comments(n: int) -> list[Part]:
    rows = [
        json.loads(line) for line in TRAIN.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    found = [(r["text"], r.get("lang")) for r in rows] or [("Pas d'essence à Kati.", "fr")]
    parts = []
    for i in range(n):
        text, lang = found[i % len(found)]
        text = f"{text} Message numéro {i} de la journée."
        parts.append(
            Part("d1", f"c{i}", text, lang, START + timedelta(seconds=20 * i), "Bench", "ML")
        )
    return parts


def run(label: str, parts: list[Part], threads: int) -> None:
    timed = Timed(threads)
    timed.encoder.encode(["warm"])
    timed.encode_s, timed.encoded = 0.0, 0
    started = time.perf_counter()
    thread = read_parts(parts, classify=timed.classify, encoder=timed.encoder)
    summary = summarise(thread, scope="document", key="d1")
    took = time.perf_counter() - started
    rest = took - timed.classify_s - timed.encode_s
    print(
        f"{label}: {summary.comments} comments ({summary.distinct} different) in {took:.1f} s, "
        f"{summary.comments / took:,.0f} comments/s; classifier {timed.classify_s:.1f} s, "
        f"encoder {timed.encode_s:.1f} s for {timed.encoded} texts "
        f"({timed.encoded / max(timed.encode_s, 1e-9):,.0f}/s; sentences {thread.sentences}, "
        f"encoded {thread.encoded}), rest {rest:.1f} s; "
        f"{len(summary.narratives)} top narratives"
    )


def demo(path: Path, threads: int) -> None:
    if not path.exists():
        print(f"demo: {path} not found; build it with `make demo` (tocsin --db {path} demo)")
        return
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "demo.db"
        shutil.copy(path, copy)
        store = open_store(str(copy))
        timed = Timed(threads)
        timed.encoder.encode(["warm"])
        timed.encode_s, timed.encoded = 0.0, 0
        started = time.perf_counter()
        summary = overall_summary(store, classify=timed.classify, encoder=timed.encoder)
        took = time.perf_counter() - started
        store.close()
    print(
        f"demo corpus: {summary.comments} comments under {summary.documents} documents in "
        f"{took:.2f} s (classifier {timed.classify_s:.2f} s, encoder {timed.encode_s:.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--demo-db", type=Path, default=ROOT / "demo.db")
    args = parser.parse_args()
    started = time.perf_counter()
    classify_texts(["warm"])
    shared_matcher()
    loaded = time.perf_counter() - started
    print(f"models loaded in {loaded:.1f} s; load average {os.getloadavg()[0]:.1f}")
    demo(args.demo_db, args.threads)
    parts = comments(args.n)
    run(f"{args.n:,} different comments", parts, args.threads)
    spam = [
        Part("d1", f"s{i}", SPAM, "fr", START + timedelta(minutes=i), "Bench", "ML")
        for i in range(500)
    ]
    run("the same comment 500 times", spam, args.threads)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
