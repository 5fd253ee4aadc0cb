"""Comment classification speed: comments scored per second per core, against the bare
vectoriser measured in the same run.

The comments are the project's own (``data/comments/train.jsonl`` and the gold set),
each made distinct by a short suffix so that the classifier's de-duplication does not
help, cycled up to ``--n`` comments. The run is pinned to one thread (BLAS included) so
that the rate is per core. It prints:

- baseline: the bare vectoriser (fold, tokens, hashed n-grams), comments/s;
- the sentence encoder alone (the costly part of the classifier);
- classify_texts: the whole classifier (features, encoder, weights, thresholds,
  targets, language), comments/s, and its ratio to the baseline; and the same with
  ``fast=True`` (the n-gram model, no encoder);
- the same comment posted 500 times, and one comment of 100,000 characters (bounded
  time: it is read from its first 1,000 characters);
- the model's load time and peak memory (ru_maxrss).

    .venv/bin/python bench/comments.py [--n 20000] [--repeat 3]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "data" / "comments" / "train.jsonl", ROOT / "eval" / "gold" / "comments.jsonl")


def load_comments(n: int) -> list[str]:
    texts = [
        json.loads(line)["text"]
        for path in SOURCES
        if path.exists()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ] or ["Les files d'attente devant les stations de Bamako font un kilomètre."]
    return [f"{texts[i % len(texts)]} ({i})" for i in range(n)]


def best_rate(
    fn: Callable[[Sequence[str]], object],
    texts: Sequence[str],
    repeat: int,
    before: Callable[[], object] = lambda: None,
) -> float:
    best = float("inf")
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best if best > 0 else float("inf")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="comments per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is kept")
    args = parser.parse_args(argv)

    from tocsin.assess.encoder import shared_encoder
    from tocsin.comments import classify
    from tocsin.comments.features import hash_rows

    encoder = shared_encoder()
    encoder.threads = 1  # before its model loads: one BLAS thread
    texts = load_comments(args.n)
    started = time.perf_counter()
    classify.classify_texts(["warm up"])
    load_s = time.perf_counter() - started

    baseline = best_rate(hash_rows, texts, args.repeat)
    forget = encoder._cache.clear  # each run encodes again, as new comments would be
    encoding = best_rate(encoder.encode, texts, args.repeat, forget)
    full = best_rate(classify.classify_texts, texts, args.repeat, forget)
    fast = best_rate(partial(classify.classify_texts, fast=True), texts, args.repeat)
    same = best_rate(classify.classify_texts, [texts[0]] * 500, args.repeat, forget)
    started = time.perf_counter()
    classify.classify_texts(["Le carburant manque partout. " * 3_500])
    long_ms = (time.perf_counter() - started) * 1000
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"{len(texts)} distinct comments, one thread, best of {args.repeat}")
    print(f"baseline: bare vectoriser        {baseline:>9,.0f} comments/s")
    print(f"sentence encoder alone           {encoding:>9,.0f} comments/s")
    print(
        f"classify_texts                   {full:>9,.0f} comments/s/core "
        f"({full / baseline:.2f} x the vectoriser)"
    )
    print(
        f"classify_texts(fast=True)        {fast:>9,.0f} comments/s/core "
        f"({fast / baseline:.2f} x the vectoriser; n-grams only)"
    )
    print(f"the same comment 500 times       {same:>9,.0f} comments/s")
    print(f"one comment of 100,000 chars     {long_ms:>9.1f} ms")
    print(f"model load {load_s:.2f} s, peak memory {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
