"""Comment classification: the gold comments, the held-out split, HateCheck French.

Three measures of :func:`tocsin.comments.classify.classify_texts`:

- ``comments.gold.*``: ``gold/comments.jsonl``, comments written for the project in
  the tone of North African and Sahelian news comment sections (never trained on),
  with their labels, targets and narratives: F1 per label, macro-F1, and target
  accuracy on the comments that are hateful in the gold and predicted hateful.
- ``comments.heldout.*``: the held-out part (20 %, by a fixed hash; see
  ``tocsin.comments.corpus``) of MLMA French and English, HateCheck French (split by
  template) and the project's own training comments: macro-F1 and F1 per label, and
  the same on each source.
- ``comments.hatecheck.*``: accuracy per HateCheck functionality on the held-out
  templates (a case is right when its hateful / non-hateful reading is), printed as a
  table; the counter-speech and negation rows matter most.

The held-out and HateCheck figures need ``../shared/data``; without it they are not
measured and their floors are skipped (the run says so).

Labels: ``hateful`` and ``incitement`` imply ``toxic`` (gold and predictions alike);
``none`` is on when no other label is. Macro-F1 is the mean F1 of toxic, hateful,
incitement and none, over the labels the data gives (MLMA gives no incitement);
``hate_binary_macro_f1`` is the mean F1 of hateful and not hateful (the figure the
issue quotes from before this work: 0.47-0.50).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent / "gold"
COMMENTS_FILE = "comments.jsonl"
GOLD_FILE = GOLD_DIR / COMMENTS_FILE
# Floors on these figures need ../shared/data; they are skipped when it is absent.
SHARED_PREFIXES = ("comments.heldout.", "comments.hatecheck.")
LABELS = ("toxic", "hateful", "incitement")
ALL_LABELS = (*LABELS, "none")
SOURCES = ("mlma", "hatecheck", "own")
# HateCheck functionalities shown first in the table (and given floors): the ones where
# hateful words appear in a comment that is not hateful.
KEY_FUNCTIONALITIES = (
    "counter_quote_nh",
    "counter_ref_nh",
    "negate_neg_nh",
    "negate_pos_h",
    "target_indiv_nh",
    "target_group_nh",
    "ident_neutral_nh",
    "ident_pos_nh",
)

Gold = tuple[int | None, int | None, int | None]


@dataclass(frozen=True, slots=True)
class GoldComment:
    id: str
    lang: str
    text: str
    labels: tuple[str, ...]
    targets: tuple[str, ...]
    narratives: tuple[str, ...]
    kind: str = ""

    def label_tuple(self) -> Gold:
        on = set(self.labels)
        if on & {"hateful", "incitement"}:
            on.add("toxic")
        return (int("toxic" in on), int("hateful" in on), int("incitement" in on))


def load_gold(path: Path = GOLD_FILE) -> list[GoldComment]:
    """The gold comments (ValueError naming the line when one is malformed; the full
    checks are eval/validate_gold.py's)."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            out.append(
                GoldComment(
                    id=str(item["id"]),
                    lang=str(item["lang"]),
                    text=str(item["text"]),
                    labels=tuple(item.get("labels") or ()),
                    targets=tuple(item.get("targets") or ()),
                    narratives=tuple(item.get("narratives") or ()),
                    kind=str(item.get("kind") or ""),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a gold comment ({exc})") from exc
    return out


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return precision, recall, f1


def label_figures(golds: Sequence[Gold], preds: Sequence[Sequence[str]]) -> dict[str, float]:
    """Precision, recall and F1 per label (and ``none``), macro-F1 over the labels the
    gold gives, and the hateful / not hateful macro-F1. Every key is there on empty
    input (0.0)."""
    figures: dict[str, float] = {"n": float(len(golds))}
    f1s: list[float] = []
    for k, name in enumerate(ALL_LABELS):
        tp = fp = fn = known = 0
        for gold, pred in zip(golds, preds, strict=True):
            if name == "none":
                truth: int | None = int(not any(gold[:2]) and not gold[2])
            else:
                truth = gold[k]
            if truth is None:
                continue
            known += 1
            on = name in pred  # a missing prediction (the classifier raised) has no label
            tp += int(on and truth == 1)
            fp += int(on and truth == 0)
            fn += int(not on and truth == 1)
        p, r, f = _f1(tp, fp, fn)
        figures |= {f"{name}.precision": p, f"{name}.recall": r, f"{name}.f1": f}
        figures[f"{name}.n_gold"] = float(tp + fn)
        if known and tp + fn:
            f1s.append(f)
    figures["macro_f1"] = sum(f1s) / len(f1s) if f1s else 0.0
    tp = fp = fn = tn = 0
    for gold, pred in zip(golds, preds, strict=True):
        if gold[1] is None:
            continue
        on = "hateful" in pred
        tp += int(on and gold[1] == 1)
        fp += int(on and gold[1] == 0)
        fn += int(not on and gold[1] == 1)
        tn += int(not on and gold[1] == 0)
    yes, no = _f1(tp, fp, fn)[2], _f1(tn, fn, fp)[2]
    figures["hate_binary_macro_f1"] = (yes + no) / 2 if golds else 0.0
    return figures


def _labels_of(scores: object) -> tuple[str, ...]:
    return tuple(getattr(scores, "labels", ()) or ())


def gold_figures(items: Sequence[GoldComment], predicted: Sequence[object]) -> dict[str, float]:
    """``comments.gold.*``: label figures, and target accuracy on the comments hateful
    in both the gold and the prediction (the predicted targets equal the gold ones,
    as sets)."""
    figs = label_figures([i.label_tuple() for i in items], [_labels_of(p) for p in predicted])
    both = [
        (i, p)
        for i, p in zip(items, predicted, strict=True)
        if "hateful" in i.labels and "hateful" in _labels_of(p)
    ]
    exact = sum(1 for i, p in both if set(i.targets) == set(getattr(p, "targets", ())))
    hit = sum(1 for i, p in both if set(i.targets) & set(getattr(p, "targets", ())))
    figs["targets.exact"] = exact / len(both) if both else 0.0
    figs["targets.any"] = hit / len(both) if both else 0.0
    figs["targets.n"] = float(len(both))
    return {f"comments.gold.{k}": v for k, v in figs.items()}


@dataclass(frozen=True, slots=True)
class HeldoutItem:
    text: str
    labels: Gold
    source: str
    kind: str


def heldout_figures(items: Sequence[HeldoutItem], predicted: Sequence[object]) -> dict[str, float]:
    """``comments.heldout.*`` over all items, and ``comments.heldout.SOURCE.*``."""
    out: dict[str, float] = {}
    preds = [_labels_of(p) for p in predicted]
    for source in ("", *SOURCES):
        chosen = [j for j, i in enumerate(items) if not source or i.source == source]
        figs = label_figures([items[j].labels for j in chosen], [preds[j] for j in chosen])
        prefix = f"comments.heldout.{source}." if source else "comments.heldout."
        out |= {prefix + k: v for k, v in figs.items()}
    return out


def hatecheck_figures(
    items: Sequence[HeldoutItem], predicted: Sequence[object]
) -> dict[str, float]:
    """``comments.hatecheck.accuracy`` (hateful or not, right) on the held-out HateCheck
    cases, and ``comments.hatecheck.FUNCTIONALITY.accuracy`` / ``.n`` per functionality
    (the key functionalities always present)."""
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    for item, pred in zip(items, predicted, strict=True):
        if item.source != "hatecheck":
            continue
        ok = ("hateful" in _labels_of(pred)) == bool(item.labels[1])
        total[item.kind] = total.get(item.kind, 0) + 1
        right[item.kind] = right.get(item.kind, 0) + int(ok)
    out: dict[str, float] = {}
    n = sum(total.values())
    out["comments.hatecheck.accuracy"] = sum(right.values()) / n if n else 0.0
    out["comments.hatecheck.n"] = float(n)
    for kind in sorted(set(total) | set(KEY_FUNCTIONALITIES)):
        count = total.get(kind, 0)
        out[f"comments.hatecheck.{kind}.accuracy"] = right.get(kind, 0) / count if count else 0.0
        out[f"comments.hatecheck.{kind}.n"] = float(count)
    return out


def load_heldout() -> list[HeldoutItem] | None:
    """The held-out split of the training sources; None without ``../shared/data``."""
    from tocsin.comments.corpus import (
        OWN_TRAIN,
        Example,
        hatecheck,
        mlma,
        own_comments,
        shared_data_dir,
    )

    data_dir = shared_data_dir()
    if data_dir is None:
        return None
    sources: list[Iterable[Example]] = [mlma(data_dir), hatecheck(data_dir)]
    if OWN_TRAIN.exists():
        sources.append(own_comments())
    return [
        HeldoutItem(e.text, e.labels, e.source, e.kind)
        for source in sources
        for e in source
        if e.split == "heldout"
    ]


def format_comments(figures: Mapping[str, float]) -> list[str]:
    """The lines eval/run.py prints."""
    lines = []
    for name, prefix in (
        ("gold comments", "comments.gold."),
        ("held-out, all", "comments.heldout."),
        *((f"held-out, {s}", f"comments.heldout.{s}.") for s in SOURCES),
    ):
        if f"{prefix}macro_f1" not in figures:
            continue
        lines.append(
            f"{name:<20} n={int(figures[prefix + 'n']):<5} macro-F1 "
            f"{figures[prefix + 'macro_f1']:.3f}  "
            + "  ".join(
                f"{label} {figures[prefix + label + '.f1']:.3f}"
                for label in ALL_LABELS
                if figures.get(prefix + label + ".n_gold", 0) > 0
            )
            + f"  hate/not {figures[prefix + 'hate_binary_macro_f1']:.3f}"
        )
    if "comments.gold.targets.n" in figures:
        lines.append(
            f"gold targets on hateful comments found hateful "
            f"(n={int(figures['comments.gold.targets.n'])}): exact "
            f"{figures['comments.gold.targets.exact']:.3f}, any "
            f"{figures['comments.gold.targets.any']:.3f}"
        )
    if figures.get("comments.hatecheck.n"):
        lines.append(
            f"HateCheck French, held-out templates (n={int(figures['comments.hatecheck.n'])}):"
            f" accuracy {figures['comments.hatecheck.accuracy']:.3f}"
        )
        kinds = sorted(
            {k.split(".")[2] for k in figures if k.startswith("comments.hatecheck.")}
            - {"accuracy", "n"},
            key=lambda k: (k not in KEY_FUNCTIONALITIES, k),
        )
        for kind in kinds:
            n = int(figures.get(f"comments.hatecheck.{kind}.n", 0))
            if n:
                mark = "*" if kind in KEY_FUNCTIONALITIES else " "
                lines.append(
                    f"  {mark} {kind:<22}{figures[f'comments.hatecheck.{kind}.accuracy']:>7.3f}"
                    f"  n={n}"
                )
    return lines


def skip_unmeasured(floors: Mapping[str, float], figures: Mapping[str, float]) -> dict[str, float]:
    """The floors without those of the held-out and HateCheck figures when these were
    not measured (no ../shared/data): a fresh clone still passes on the gold comments."""
    if "comments.heldout.n" in figures:
        return dict(floors)
    return {k: v for k, v in floors.items() if not k.startswith(SHARED_PREFIXES)}


def _classify_safely(
    classify: Callable[[Sequence[str]], Sequence[object]],
    texts: Sequence[str],
    errors: list[str] | None,
) -> Sequence[object]:
    """The classifier's answers; one error line (and nothing predicted) if it raises."""
    try:
        predicted = classify(texts)
        if len(predicted) != len(texts):
            raise ValueError(f"{len(predicted)} answers for {len(texts)} comments")
        return predicted
    except Exception as exc:  # the eval reports it and fails; it must not crash
        if errors is not None:
            errors.append(f"comments: {type(exc).__name__}: {exc}")
        return [None] * len(texts)


def measure_comments(
    classify: Callable[[Sequence[str]], Sequence[object]] | None = None,
    *,
    gold_path: Path = GOLD_FILE,
    errors: list[str] | None = None,
) -> tuple[dict[str, float], list[str], list[str]]:
    """Figures, lines to print and misses (gold only); the classifier is
    tocsin.comments.classify.classify_texts unless given. An exception of the
    classifier goes to ``errors`` (the run then fails)."""
    if classify is None:
        from tocsin.comments.classify import classify_texts

        classify = classify_texts
    figures: dict[str, float] = {}
    misses: list[str] = []
    if gold_path.exists():
        items = load_gold(gold_path)
        predicted = _classify_safely(classify, [i.text for i in items], errors)
        figures |= gold_figures(items, predicted)
        for item, pred in zip(items, predicted, strict=True):
            want = item.labels or ("none",)
            got = _labels_of(pred) or ("none",)
            if set(want) - {"toxic"} != set(got) - {"toxic"}:
                misses.append(f"{item.id} comment: gold {want} predicted {got}: {item.text!r}")
    heldout = load_heldout()
    lines: list[str] = []
    if heldout is None:
        lines.append(
            "comments held-out and HateCheck: not measured (no ../shared/data); "
            "their floors are skipped"
        )
    else:
        predicted = _classify_safely(classify, [i.text for i in heldout], errors)
        figures |= heldout_figures(heldout, predicted)
        figures |= hatecheck_figures(heldout, predicted)
    return figures, format_comments(figures) + lines, misses
