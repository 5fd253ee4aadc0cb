"""Gold claim pairs (``eval/gold/claim_pairs.jsonl``) and the scoring of claim relations.

Each pair holds two short texts (``a``, ``b``, each with its ``lang``) and the gold
relation: ``same`` (they assert the same proposition: paraphrase or translation),
``different`` (they may share actors and places but assert different things) or
``opposite`` (they cannot both be true). ``tocsin.assess.claims.register.relation(a, b)`` is asked
for each pair, with both texts as affirming statements (the relation decides stance
from the text itself). Figures: grouping precision and recall (predicted ``same`` against
gold ``same``) and contradiction precision and recall (``opposite``), overall and on
cross-language pairs. The relation module is imported lazily: when it is missing the
pairs are not measured (``eval/run.py`` says so and skips them).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.corpus import GoldError, _read_jsonl
from eval.score import Counts
from tocsin.models import Span, Statement

CLAIM_PAIRS_FILE = "claim_pairs.jsonl"
RELATIONS = ("same", "different", "opposite")
# Where ``relation`` is looked for, in order (the second is the module that implements it,
# in case ``tocsin.assess.claims.register`` does not re-export it).
RELATION_MODULES = ("tocsin.assess.claims.register", "tocsin.assess.claims.relation")

Relation = Callable[[Statement, Statement], str]


@dataclass(frozen=True, slots=True)
class ClaimText:
    text: str
    lang: str


@dataclass(frozen=True, slots=True)
class ClaimPair:
    id: str
    a: ClaimText
    b: ClaimText
    relation: str

    @property
    def cross_language(self) -> bool:
        return self.a.lang != self.b.lang


def _side(row: Mapping[str, Any], key: str, pid: str) -> ClaimText:
    side = row.get(key)
    if not isinstance(side, Mapping) or not str(side.get("text") or "").strip():
        raise GoldError(f"claim pair {pid}: {key} needs a text")
    return ClaimText(str(side["text"]), str(side.get("lang", "")))


def parse_pair(row: Mapping[str, Any]) -> ClaimPair:
    pid = str(row.get("id", "?"))
    relation = row.get("relation")
    if relation not in RELATIONS:
        raise GoldError(f"claim pair {pid}: relation {relation!r} is not one of {RELATIONS}")
    return ClaimPair(pid, _side(row, "a", pid), _side(row, "b", pid), str(relation))


def load_pairs(path: Path) -> list[ClaimPair]:
    return [parse_pair(row) for row in _read_jsonl(path)]


def load_relation(modules: Sequence[str] = RELATION_MODULES) -> Relation | None:
    """``relation`` of the first of ``modules`` that has one, or None when none does."""
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        found = getattr(module, "relation", None)
        if callable(found):
            return found  # type: ignore[no-any-return]
    return None


def statement(pair_id: str, side: str, claim: ClaimText) -> Statement:
    """An affirming statement of one side of a pair, its own document and source."""
    doc_id = f"{pair_id}-{side}"
    return Statement(
        id=doc_id,
        document_id=doc_id,
        source_id=side,
        span=Span(doc_id, "body", 0, len(claim.text)),
        text=claim.text,
        lang=claim.lang or None,
        stance="affirms",
    )


def predict_relations(
    relation: Relation, pairs: Sequence[ClaimPair], *, errors: list[str] | None = None
) -> list[str]:
    """The predicted relation of each pair. With ``errors``, a pair whose relation raises
    (or answers something other than same/different/opposite) is predicted ``different``
    and gets a line in ``errors``."""
    out = []
    for pair in pairs:
        try:
            answer = relation(statement(pair.id, "a", pair.a), statement(pair.id, "b", pair.b))
        except Exception as error:
            if errors is None:
                raise
            errors.append(f"{pair.id}: relation raised {type(error).__name__}: {error}")
            answer = "different"
        if answer not in RELATIONS:
            if errors is not None:
                errors.append(f"{pair.id}: relation answered {answer!r}")
            answer = "different"
        out.append(answer)
    return out


def relation_counts(gold: Sequence[str], predicted: Sequence[str], relation: str) -> Counts:
    """Precision/recall counts of one relation: predicted ``relation`` against gold."""
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == relation)
    return Counts(
        tp, sum(1 for g in gold if g == relation), sum(1 for p in predicted if p == relation)
    )


def claim_figures(pairs: Sequence[ClaimPair], predicted: Sequence[str]) -> dict[str, float]:
    """``claims.*`` figures: for ``same`` and ``opposite``, precision, recall and F1 over
    all pairs and over cross-language pairs (``claims.cross.*``); accuracy over the three
    relations."""
    figures: dict[str, float] = {}
    gold = [p.relation for p in pairs]
    cross = [i for i, p in enumerate(pairs) if p.cross_language]
    for scope, index in (("", range(len(pairs))), ("cross.", cross)):
        g = [gold[i] for i in index]
        p = [predicted[i] for i in index]
        for rel in ("same", "opposite"):
            counts = relation_counts(g, p, rel)
            prefix = f"claims.{scope}{rel}."
            figures |= {
                prefix + "precision": counts.precision,
                prefix + "recall": counts.recall,
                prefix + "f1": counts.f1,
                prefix + "n_gold": float(counts.n_gold),
                prefix + "n_pred": float(counts.n_pred),
            }
        right = sum(1 for a, b in zip(g, p, strict=True) if a == b)
        figures[f"claims.{scope}accuracy"] = right / len(g) if g else 0.0
        figures[f"claims.{scope}n"] = float(len(g))
    return figures


def claim_misses(pairs: Sequence[ClaimPair], predicted: Sequence[str]) -> list[str]:
    return [
        f"{p.id} claims: gold {p.relation}, predicted {r}"
        for p, r in zip(pairs, predicted, strict=True)
        if p.relation != r
    ]


def format_claims(figures: Mapping[str, float]) -> list[str]:
    """The lines ``eval/run.py`` prints for claim pairs."""
    lines = []
    for scope, label in (("", "all"), ("cross.", "fr-en")):
        if f"claims.{scope}accuracy" not in figures:
            continue
        parts = []
        for rel, name in (("same", "grouping"), ("opposite", "contradiction")):
            prefix = f"claims.{scope}{rel}."
            parts.append(
                f"{name} P {figures[prefix + 'precision']:.3f} R {figures[prefix + 'recall']:.3f}"
                f" (gold {int(figures[prefix + 'n_gold'])}, pred {int(figures[prefix + 'n_pred'])})"
            )
        lines.append(
            f"claims {label}: " + "; ".join(parts) + f"; accuracy "
            f"{figures[f'claims.{scope}accuracy']:.3f} (n={int(figures[f'claims.{scope}n'])})"
        )
    return lines
