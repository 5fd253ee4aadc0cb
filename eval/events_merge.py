"""Gold merge sets (``eval/gold/event_merge.jsonl``) and the pairwise scoring of merging.

Each line is one report of an event, as a short document: ``id``, ``group`` (the gold
event it reports: items of one group are the same event), ``source_id``, ``kind``
(news, official, ...), ``reliability`` (Admiralty letter), ``published`` (ISO date or
date-time), ``lang``, ``country`` (ISO2), ``text`` and ``copy_of`` (the id of the item
it copies, or null). Groups span outlets and languages.

Scoring is pairwise, the usual measure of coreference of events: every pair of items
in one predicted group is a predicted "same event" pair, every pair in one gold group a
gold pair. Precision is the share of predicted pairs that are gold pairs, recall the
share of gold pairs predicted; a zero denominator gives 0.0. Pure functions: nothing
here loads a model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from eval.corpus import GoldError, _read_jsonl

MERGE_FILE = "event_merge.jsonl"


@dataclass(frozen=True, slots=True)
class MergeItem:
    """One gold report: a document with the gold event it belongs to."""

    id: str
    group: str
    source_id: str
    kind: str
    reliability: str
    published: datetime | None
    lang: str
    country: str | None
    text: str
    copy_of: str | None = None


def load_merge_gold(path: Path) -> list[MergeItem]:
    """The items of a gold merge file, in file order. A line without ``id``, ``group`` or
    ``text``, a bad date, a repeated id or a ``copy_of`` naming no item raises GoldError."""
    items: list[MergeItem] = []
    seen: set[str] = set()
    for number, row in enumerate(_read_jsonl(path), 1):
        where = f"{path}: item {row.get('id') or number}"
        for key in ("id", "group", "text"):
            if not str(row.get(key) or "").strip():
                raise GoldError(f"{where}: '{key}' is missing; every item needs id, group, text")
        item = MergeItem(
            id=str(row["id"]),
            group=str(row["group"]),
            source_id=str(row.get("source_id") or row["id"]),
            kind=str(row.get("kind") or "news"),
            reliability=str(row.get("reliability") or "F").upper(),
            published=_published(row.get("published"), where),
            lang=str(row.get("lang") or ""),
            country=str(row["country"]).upper() if row.get("country") else None,
            text=str(row["text"]),
            copy_of=str(row["copy_of"]) if row.get("copy_of") else None,
        )
        if item.id in seen:
            raise GoldError(f"{where}: id given twice; ids must be unique")
        seen.add(item.id)
        items.append(item)
    for item in items:
        if item.copy_of is not None and item.copy_of not in seen:
            raise GoldError(f"{path}: item {item.id}: copy_of {item.copy_of!r} is not an item id")
    return items


def _published(value: Any, where: str) -> datetime | None:
    if value is None or value == "":
        return None
    text = str(value)
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        found = datetime.fromisoformat(text)
    except ValueError:
        raise GoldError(f"{where}: published {text!r} is not an ISO date") from None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pairwise_scores(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of ``predicted`` groups against ``gold`` (both map
    an item id to a group id), with the pair counts. Only the items of ``gold`` are
    scored; a gold item missing from ``predicted`` is alone in its group."""
    predicted_groups = {item: predicted.get(item) for item in gold}
    gold_pairs = _pairs(Counter(gold.values()).values())
    predicted_pairs = _pairs(
        Counter(g for g in predicted_groups.values() if g is not None).values()
    )
    both = Counter(
        (group, gold[item]) for item, group in predicted_groups.items() if group is not None
    )
    correct = _pairs(both.values())
    precision = correct / predicted_pairs if predicted_pairs else 0.0
    recall = correct / gold_pairs if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "pairs_predicted": float(predicted_pairs),
        "pairs_gold": float(gold_pairs),
        "pairs_correct": float(correct),
    }
