"""Train the comment classifier (toxic, hateful, incitement) and write its weights.

    .venv/bin/python scripts/train_comments.py [--data ../shared/data] [--out DIR]
        [--compare] [--dry-run] [--ngrams-only]

Reads MLMA (French and English) and HateCheck French from ``../shared/data`` and the
project's own comments from ``data/comments/train.jsonl``, splits them with
:func:`tocsin.comments.corpus.split_of` (held-out 20 % never trained on, dev 10 %
for the thresholds), and fits two models, one L2-regularised logistic regression per
label each (scipy's L-BFGS; a label a source does not give is left out of that
label's loss): the **full** model over the hashed n-grams of
:mod:`tocsin.comments.features` and the 512 dimensions of the sentence encoder
(:mod:`tocsin.assess.encoder`, scaled by ``ENCODER_SCALE``), and the **fast** model
over the n-grams alone. Each label's threshold is picked on the dev split. The script
prints the figures on the held-out split (all, and per source) and on the gold
comments (eval/gold/comments.jsonl, never trained on), and writes ``comments.npz``
(float16 n-gram weights, float32 encoder weights) and ``figures.json`` into
``src/tocsin/comments/model/``. Deterministic: same data, same weights.

``--compare`` also trains both without the project's own comments and prints them on
the same held-out split and gold set; ``--ngrams-only`` skips the encoder (the fast
model only); ``--dry-run`` writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for eval.comments (the shared figures)

from eval.comments import GOLD_FILE, label_figures, load_gold  # noqa: E402

from tocsin.assess.encoder import DIM as ENCODER_DIM  # noqa: E402
from tocsin.assess.encoder import Encoder  # noqa: E402
from tocsin.comments.corpus import (  # noqa: E402
    Example,
    hatecheck,
    mlma,
    own_comments,
    shared_data_dir,
)
from tocsin.comments.features import DIM, MAX_CHARS, hash_rows  # noqa: E402
from tocsin.models import COMMENT_LABELS  # noqa: E402

OUT = ROOT / "src" / "tocsin" / "comments" / "model"
VERSION = "comments-linear-2"
L2 = 5e-5  # per example: lambda = L2 * total weight
ENCODER_SCALE = 1.0  # the encoder's unit vectors beside the unit-length n-gram rows
SOURCE_WEIGHT = {"mlma": 0.5, "hatecheck": 1.0, "own": 4.0}
GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)
SPLITS = ("train", "dev", "heldout")
Gold = tuple[int | None, int | None, int | None]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="../shared/data")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the model files")
    parser.add_argument("--compare", action="store_true", help="also train without own data")
    parser.add_argument("--dry-run", action="store_true", help="train and print; write nothing")
    parser.add_argument(
        "--ngrams-only", action="store_true", help="no sentence encoder (faster, weaker)"
    )
    return parser.parse_args(argv)


def featurise(texts: Sequence[str], encoder: Encoder | None) -> sparse.csr_matrix:
    """Hashed n-grams, then (with an encoder) the scaled sentence vector, per row."""
    rows = hash_rows(texts)
    x = sparse.csr_matrix(
        (rows.values, rows.indices, rows.indptr), shape=(rows.n_rows, DIM), dtype=np.float64
    )
    if encoder is None:
        return x
    vectors = np.zeros((len(texts), ENCODER_DIM), dtype=np.float32)
    for start in range(0, len(texts), 512):
        batch = [t[:MAX_CHARS] for t in texts[start : start + 512]]
        vectors[start : start + len(batch)] = encoder.encode(batch)
    dense = sparse.csr_matrix(vectors.astype(np.float64) * ENCODER_SCALE)
    return sparse.hstack([x, dense], format="csr")


def fit_label(
    x: sparse.csr_matrix, y: npt.NDArray[np.float64], weight: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], float]:
    """Weights and bias of a logistic regression (L2 on the weights, not the bias)."""
    lam = L2 * float(weight.sum())
    n_features = x.shape[1]
    xt = x.T.tocsr()

    def loss(params: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        w, b = params[:-1], params[-1]
        z = x @ w + b
        # log(1 + e^-yz) with y in {-1, 1}, stable
        s = 2.0 * y - 1.0
        margin = s * z
        value = float(weight @ np.logaddexp(0.0, -margin)) + 0.5 * lam * float(w @ w)
        d = -weight * s / (1.0 + np.exp(margin))
        grad = np.empty_like(params)
        grad[:-1] = xt @ d + lam * w
        grad[-1] = d.sum()
        return value, grad

    start = np.zeros(n_features + 1)
    result = optimize.minimize(
        loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 400, "maxcor": 20}
    )
    return result.x[:-1], float(result.x[-1])


def train(
    x: sparse.csr_matrix, examples: Sequence[Example]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Weights (labels, features) and biases, from the rows of ``x`` of ``examples``."""
    source_w = np.array([SOURCE_WEIGHT[e.source] for e in examples])
    weights = np.zeros((len(COMMENT_LABELS), x.shape[1]))
    bias = np.zeros(len(COMMENT_LABELS))
    for k, _name in enumerate(COMMENT_LABELS):
        rows = np.flatnonzero([e.labels[k] is not None for e in examples])
        y = np.array([float(examples[i].labels[k] or 0) for i in rows])
        weights[k], bias[k] = fit_label(x[rows], y, source_w[rows])
    return weights, bias


def probabilities(
    weights: npt.NDArray[np.float64], bias: npt.NDArray[np.float64], x: sparse.csr_matrix
) -> npt.NDArray[np.float64]:
    """(n, labels) probabilities before thresholds."""
    z = x @ weights.T + bias
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def tune_thresholds(probs: npt.NDArray[np.float64], examples: Sequence[Example]) -> list[float]:
    """Per label, the threshold of GRID with the best F1 on ``examples`` (each source
    weighing the same in the count)."""
    sources = {e.source for e in examples}
    per_source = {s: sum(1 for e in examples if e.source == s) for s in sources}
    w = np.array([1.0 / per_source[e.source] for e in examples])
    out = []
    for k in range(len(COMMENT_LABELS)):
        known = np.array([e.labels[k] is not None for e in examples])
        y = np.array([bool(e.labels[k]) for e in examples])
        best, best_t = -1.0, 0.5
        for t in GRID:
            pred = probs[:, k] >= t
            tp = float(w[known & pred & y].sum())
            fp = float(w[known & pred & ~y].sum())
            fn = float(w[known & ~pred & y].sum())
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 > best + 1e-9:
                best, best_t = f1, float(t)
        out.append(best_t)
    return out


def predicted_labels(
    probs: npt.NDArray[np.float64], thresholds: Sequence[float]
) -> list[tuple[str, ...]]:
    out = []
    for row in probs:
        on = {n for n, p, t in zip(COMMENT_LABELS, row, thresholds, strict=True) if p >= t}
        if on & {"hateful", "incitement"}:
            on.add("toxic")
        out.append(tuple(n for n in COMMENT_LABELS if n in on) or ("none",))
    return out


def report(
    name: str,
    weights: npt.NDArray[np.float64],
    bias: npt.NDArray[np.float64],
    thresholds: Sequence[float],
    sets: Sequence[tuple[str, list[Gold], sparse.csr_matrix]],
) -> dict[str, float]:
    """Print and return the label figures of each evaluation set."""
    figures: dict[str, float] = {}
    for label, golds, x in sets:
        preds = predicted_labels(probabilities(weights, bias, x), thresholds)
        figs = label_figures(golds, preds)
        figures |= {f"{label}.{k}": round(v, 4) for k, v in figs.items()}
        print(
            f"{name:<19}{label:<10} n={len(golds):<5} macro-F1 {figs['macro_f1']:.3f}  "
            + "  ".join(f"{n} {figs[n + '.f1']:.3f}" for n in (*COMMENT_LABELS, "none"))
            + f"  hate/not {figs['hate_binary_macro_f1']:.3f}"
        )
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir = args.data or shared_data_dir()
    if data_dir is None or not (data_dir / "mlma_hate").is_dir():
        print("train_comments: ../shared/data (mlma_hate, hatecheck_fr) not found; pass --data")
        return 2
    started = time.perf_counter()
    examples = [*mlma(data_dir), *hatecheck(data_dir), *own_comments()]
    gold = load_gold(GOLD_FILE) if GOLD_FILE.exists() else []
    texts = [e.text for e in examples] + [g.text for g in gold]
    encoder = None if args.ngrams_only else Encoder(threads=2, cache_size=len(texts) + 1)
    x_all = featurise(texts, encoder)
    print(f"features of {len(texts)} texts in {time.perf_counter() - started:.1f} s")
    part = {p: [i for i, e in enumerate(examples) if e.split == p] for p in SPLITS}
    counts = {
        s: {p: sum(1 for i in part[p] if examples[i].source == s) for p in SPLITS}
        for s in ("mlma", "hatecheck", "own")
    }
    print(f"examples: {counts}")
    # the full model reads all columns; the fast one the n-gram columns only
    features = {"full": x_all} if encoder is not None else {}
    features["fast"] = x_all[:, :DIM]
    runs = [(kind, True) for kind in features]
    if args.compare:
        runs += [(kind, False) for kind in features]
    results: dict[str, dict[str, float]] = {}
    shipped: dict[str, tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], list[float]]] = {}
    for kind, with_own in runs:
        name = f"{kind}, {'with' if with_own else 'without'} own"
        x, x_gold = features[kind][: len(examples)], features[kind][len(examples) :]
        sets: list[tuple[str, list[Gold], sparse.csr_matrix]] = []
        for source in ("all", "mlma", "hatecheck", "own"):
            rows = [i for i in part["heldout"] if source in ("all", examples[i].source)]
            sets.append((source, [examples[i].labels for i in rows], x[rows]))
        sets.append(("gold", [g.label_tuple() for g in gold], x_gold))
        train_rows = [i for i in part["train"] if with_own or examples[i].source != "own"]
        dev_rows = [i for i in part["dev"] if with_own or examples[i].source != "own"]
        weights, bias = train(x[train_rows], [examples[i] for i in train_rows])
        thresholds = tune_thresholds(
            probabilities(weights, bias, x[dev_rows]), [examples[i] for i in dev_rows]
        )
        print(f"{name}: thresholds {dict(zip(COMMENT_LABELS, thresholds, strict=True))}")
        results[name] = report(name, weights, bias, thresholds, sets)
        if with_own:
            shipped[kind] = (weights, bias, thresholds)
    print(f"trained in {time.perf_counter() - started:.1f} s")
    if args.dry_run:
        return 0
    arrays: dict[str, npt.NDArray[Any]] = {
        "labels": np.array(COMMENT_LABELS),
        "version": np.array(VERSION),
    }
    for kind, (weights, bias, thresholds) in shipped.items():
        # the fast model is the only one when there is no encoder
        prefix = "fast_" if kind == "fast" and "full" in shipped else ""
        arrays[prefix + "weights"] = weights[:, :DIM].astype(np.float16)
        arrays[prefix + "bias"] = bias.astype(np.float32)
        arrays[prefix + "thresholds"] = np.array(thresholds, dtype=np.float32)
        if kind == "full":
            arrays["encoder_weights"] = (weights[:, DIM:] * ENCODER_SCALE).astype(np.float32)
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "comments.npz", **arrays)
    summary = {
        "version": VERSION,
        "trained": date.today().isoformat(),
        "models": {
            "full": "hashed n-grams + sentence encoder (classify_texts)",
            "fast": "hashed n-grams only (classify_texts(..., fast=True))",
        },
        "examples": counts,
        "thresholds": {
            kind: dict(zip(COMMENT_LABELS, t, strict=True)) for kind, (_w, _b, t) in shipped.items()
        },
        "figures": results,
    }
    (args.out / "figures.json").write_text(
        json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.out / 'comments.npz'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
