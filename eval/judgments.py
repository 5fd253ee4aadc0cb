"""Gold estimative judgments (``eval/gold/judgments.jsonl``) and their scoring.

Each gold item is a sentence or short paragraph with the judgments it holds (cue,
ICD 203 label, proposition, holder, deadline, condition, trend, future, negated); an item
with ``"judgments": []`` is a negative: it looks estimative but judges nothing. Loading
turns the substrings into character spans; scoring matches predicted judgments
(``Annotations.judgments``, body part only) to gold ones when their cue spans overlap,
greedily and one to one (largest overlap first). Nothing here loads a model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from eval.corpus import GoldError, Job, _read_jsonl, find_span
from eval.score import Counts, assign_greedy, overlap
from tocsin.models import ICD_LABELS, Annotations, Judgment, Span

JUDGMENTS_FILE = "judgments.jsonl"
LABELS = ICD_LABELS
HOLDER_KINDS = frozenset(
    {
        "author",
        "person",
        "organisation",
        "anonymous",
        "unnamed_experts",
        "unnamed_sources",
        "official_statement",
    }
)
TRENDS = frozenset({"rises", "falls"})

SpanT = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldJudgment:
    cue: SpanT
    label: str
    proposition: SpanT
    holder_kind: str = "author"
    holder: str | None = None
    deadline: date | None = None
    condition: SpanT | None = None
    trend: str | None = None
    future: bool = True
    negated: bool = False


@dataclass(frozen=True, slots=True)
class GoldJudgmentItem:
    id: str
    lang: str
    published: date
    text: str
    judgments: tuple[GoldJudgment, ...] = ()

    @property
    def negative(self) -> bool:
        return not self.judgments


# ---------------------------------------------------------------- loading


def _optional_span(
    text: str, item: Mapping[str, Any], key: str, where: str, problems: list[str]
) -> tuple[bool, SpanT | None]:
    """(ok, span) for an optional substring field: ok is False when it is given but absent."""
    surface = item.get(key)
    if surface is None:
        return True, None
    n = item.get(f"{key}_n", 0)
    found = find_span(text, str(surface), n if isinstance(n, int) else 0)
    if found is None:
        problems.append(f"{where}: {key} {surface!r} not found in the text")
        return False, None
    return True, found


def parse_judgment(
    text: str, item: Mapping[str, Any], where: str, problems: list[str]
) -> GoldJudgment | None:
    """One gold judgment of an item, or None (with a line in ``problems``) when a
    substring is missing or a value is out of its vocabulary."""
    ok_cue, cue = _optional_span(text, item, "cue", where, problems)
    ok_prop, prop = _optional_span(text, item, "proposition", where, problems)
    ok_cond, condition = _optional_span(text, item, "condition", where, problems)
    if cue is None or prop is None:
        if ok_cue and ok_prop:
            problems.append(f"{where}: cue and proposition are required")
        return None
    if not ok_cond:
        return None
    label, kind, trend = item.get("label"), item.get("holder_kind", "author"), item.get("trend")
    if label not in LABELS:
        problems.append(f"{where}: label {label!r} is not an ICD 203 term")
        return None
    if kind not in HOLDER_KINDS:
        problems.append(f"{where}: holder_kind {kind!r} is unknown")
        return None
    if trend is not None and trend not in TRENDS:
        problems.append(f"{where}: trend {trend!r} is neither rises nor falls")
        return None
    deadline = None
    if item.get("deadline") is not None:
        try:
            deadline = date.fromisoformat(str(item["deadline"]))
        except ValueError:
            problems.append(f"{where}: deadline {item['deadline']!r} is not a date")
            return None
    holder = item.get("holder")
    return GoldJudgment(
        cue, str(label), prop, str(kind), None if holder is None else str(holder), deadline,
        condition, trend, bool(item.get("future", True)), bool(item.get("negated", False)),
    )  # fmt: skip


def parse_item(row: Mapping[str, Any], problems: list[str]) -> GoldJudgmentItem:
    """One gold item; judgments that do not parse are left out (listed in ``problems``).
    An item without id, text or publication date raises GoldError."""
    try:
        iid, text = str(row["id"]), str(row["text"])
        published = date.fromisoformat(str(row["published"])[:10])
    except (KeyError, ValueError) as error:
        raise GoldError(f"judgment item {row.get('id', '?')}: {error}") from None
    judgments = []
    for k, item in enumerate(row.get("judgments") or ()):
        if isinstance(item, Mapping):
            parsed = parse_judgment(text, item, f"{iid} judgment {k}", problems)
            if parsed is not None:
                judgments.append(parsed)
        else:
            problems.append(f"{iid} judgment {k}: not an object")
    return GoldJudgmentItem(iid, str(row.get("lang", "")), published, text, tuple(judgments))


def load_judgments(path: Path) -> tuple[list[GoldJudgmentItem], list[str]]:
    """The items of a judgments file and the problems found in it."""
    problems: list[str] = []
    if not path.exists():
        return [], [f"{path.name}: missing"]
    return [parse_item(row, problems) for row in _read_jsonl(path)], problems


def judgment_jobs(items: Iterable[GoldJudgmentItem]) -> list[Job]:
    return [Job(i.id, i.text, i.lang, i.published) for i in items]


# ---------------------------------------------------------------- matching


def _pair(span: Span | None) -> SpanT | None:
    return None if span is None else (span.start, span.end)


def match_judgments(
    gold: Sequence[GoldJudgment], preds: Sequence[Judgment]
) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs whose cue spans overlap; the pairs
    sharing the most characters first, then text order."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(preds):
            shared = overlap(g.cue, (p.cue.start, p.cue.end))
            if shared > 0:
                pairs.append((-shared, i, j))
    return assign_greedy(pairs)


@dataclass(slots=True)
class Tally:
    """Right / total for one attribute, over matched judgments."""

    right: int = 0
    total: int = 0

    def add(self, other: Tally) -> None:
        self.right += other.right
        self.total += other.total

    def count(self, ok: bool) -> None:
        self.total += 1
        self.right += int(ok)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0


ATTRIBUTES = (
    "band",
    "band_within_one",
    "deadline",
    "holder_kind",
    "condition",
    "proposition",
    "future",
    "negated",
    "trend",
)


@dataclass(slots=True)
class JudgmentScore:
    """The score of one gold item against the extractor's judgments."""

    id: str
    lang: str
    negative: bool
    counts: Counts
    tallies: dict[str, Tally] = field(default_factory=lambda: {a: Tally() for a in ATTRIBUTES})
    misses: list[str] = field(default_factory=list)


def _band_index(label: str) -> int:
    return LABELS.index(label) if label in LABELS else -10


def score_item(gold: GoldJudgmentItem, ann: Annotations) -> JudgmentScore:
    """Match the body judgments of ``ann`` to the gold ones and tally their attributes.

    Band: same label (and: at most one ICD band apart); deadline: on gold judgments with
    a deadline, the same date; holder kind, future, negated: equal; condition: on gold
    judgments with a condition, the predicted condition overlaps it; proposition: the
    predicted proposition overlaps the gold one; trend: on gold or predicted trends, equal.
    """
    preds = [j for j in ann.judgments if j.cue.part == "body"]
    score = JudgmentScore(gold.id, gold.lang, gold.negative, Counts())
    score.counts = Counts(0, len(gold.judgments), len(preds))
    pairs = match_judgments(gold.judgments, preds)
    score.counts.tp = len(pairs)
    t = score.tallies
    for i, j in pairs:
        g, p = gold.judgments[i], preds[j]
        cue = gold.text[g.cue[0] : g.cue[1]]
        t["band"].count(g.label == p.label)
        t["band_within_one"].count(abs(_band_index(g.label) - _band_index(p.label)) <= 1)
        if g.label != p.label:
            score.misses.append(f"{gold.id} band {cue!r}: gold {g.label}, predicted {p.label}")
        if g.deadline is not None:
            t["deadline"].count(g.deadline == p.deadline)
            if g.deadline != p.deadline:
                score.misses.append(
                    f"{gold.id} deadline {cue!r}: gold {g.deadline}, predicted {p.deadline}"
                )
        t["holder_kind"].count(g.holder_kind == p.holder_kind)
        if g.condition is not None:
            pc = _pair(p.condition)
            t["condition"].count(pc is not None and overlap(g.condition, pc) > 0)
        t["proposition"].count(overlap(g.proposition, (p.proposition.start, p.proposition.end)) > 0)
        t["future"].count(g.future == p.future)
        t["negated"].count(g.negated == p.negated)
        if g.trend is not None or p.trend is not None:
            t["trend"].count(g.trend == p.trend)
    matched_gold = {i for i, _ in pairs}
    matched_pred = {j for _, j in pairs}
    for i, g in enumerate(gold.judgments):
        if i not in matched_gold:
            score.misses.append(f"{gold.id} missed: {gold.text[g.cue[0] : g.cue[1]]!r}")
    for j, p in enumerate(preds):
        if j not in matched_pred:
            surface = p.cue_text or gold.text[p.cue.start : p.cue.end]
            kind = "false positive on a negative" if gold.negative else "spurious"
            score.misses.append(f"{gold.id} {kind}: {surface!r} ({p.label})")
    return score


# ---------------------------------------------------------------- figures


def judgment_figures(scores: Sequence[JudgmentScore]) -> dict[str, float]:
    """``judgments.*`` figures: precision, recall, F1 (all and per language), attribute
    accuracies on matched judgments, and the negatives' false positives."""
    figures: dict[str, float] = {}
    langs = sorted({s.lang for s in scores if s.lang})
    for lang in ("", *langs):
        prefix = f"judgments.{lang}." if lang else "judgments."
        counts = Counts()
        for s in scores:
            if not lang or s.lang == lang:
                counts.add(s.counts)
        figures |= {
            prefix + "precision": counts.precision,
            prefix + "recall": counts.recall,
            prefix + "f1": counts.f1,
            prefix + "n_gold": float(counts.n_gold),
            prefix + "n_pred": float(counts.n_pred),
        }
    for name in ATTRIBUTES:
        tally = Tally()
        for s in scores:
            tally.add(s.tallies[name])
        figures[f"judgments.{name}_accuracy"] = tally.share
        figures[f"judgments.{name}_n"] = float(tally.total)
    figures["judgments.condition_detection"] = figures.pop("judgments.condition_accuracy")
    figures["judgments.proposition_overlap"] = figures.pop("judgments.proposition_accuracy")
    negatives = [s for s in scores if s.negative]
    fp_items = sum(1 for s in negatives if s.counts.n_pred)
    figures["judgments.negatives_n"] = float(len(negatives))
    figures["judgments.negatives_fp"] = float(sum(s.counts.n_pred for s in negatives))
    figures["judgments.negatives_clean"] = (
        (len(negatives) - fp_items) / len(negatives) if negatives else 0.0
    )
    return figures


def format_judgments(figures: Mapping[str, float]) -> list[str]:
    """The lines ``eval/run.py`` prints for judgments."""
    lines = []
    for lang in ("", "fr", "en"):
        prefix = f"judgments.{lang}." if lang else "judgments."
        if prefix + "f1" not in figures:
            continue
        lines.append(
            f"{'judgments':<13}{lang or 'all':<6}{figures[prefix + 'precision']:>7.3f}"
            f"{figures[prefix + 'recall']:>7.3f}{figures[prefix + 'f1']:>7.3f}"
            f"{int(figures[prefix + 'n_gold']):>7}{int(figures[prefix + 'n_pred']):>7}"
        )

    def share(name: str, label: str) -> str:
        n = int(figures.get(f"judgments.{name}_n", 0))
        key = {"condition": "condition_detection", "proposition": "proposition_overlap"}.get(
            name, f"{name}_accuracy"
        )
        return f"{label} {figures.get('judgments.' + key, 0.0):.3f} (n={n})"

    lines.append(
        "judgments on matched: "
        + ", ".join(
            share(name, label)
            for name, label in (
                ("band", "band"),
                ("band_within_one", "band ±1"),
                ("deadline", "deadline"),
                ("holder_kind", "holder kind"),
                ("condition", "condition"),
            )
        )
    )
    lines.append(
        "judgments on matched: "
        + ", ".join(
            share(name, label)
            for name, label in (
                ("proposition", "proposition overlaps"),
                ("future", "future"),
                ("negated", "negated"),
                ("trend", "trend"),
            )
        )
    )
    lines.append(
        f"judgments negatives: {int(figures.get('judgments.negatives_fp', 0))} false positives,"
        f" {figures.get('judgments.negatives_clean', 0.0):.3f} of "
        f"{int(figures.get('judgments.negatives_n', 0))} items clean"
    )
    return lines
