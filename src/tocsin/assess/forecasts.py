"""Forecasts: judgments about the future with a deadline, and how well they came true.

Every judgment that extraction marks as being about the future and that carries a
deadline (an explicit date or a horizon, vague ones through ``knowledge/horizons.toml``)
becomes a :class:`~tocsin.models.Forecast`. A person resolves it true or false with
evidence; open forecasts past their deadline read as expired and are not scored.

Scores: the Brier score (mean of (p - outcome)², 0 is perfect, 0.25 is what always
saying 50 % earns) with p the middle of the judgment's band, and a calibration table
per ICD 203 band: how often "likely" came true, against what "likely" promised.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tocsin.models import ICD_LABELS, Annotations, Document, Forecast, Judgment

LABELS = ICD_LABELS  # ICD 203 order, for tables


def forecast_id(doc_id: str, judgment: Judgment) -> str:
    """Stable: the same judgment in the same document always gets the same id."""
    key = f"{doc_id}|{judgment.span.part}|{judgment.cue.start}|{judgment.proposition.start}"
    return "f" + hashlib.sha256(key.encode()).hexdigest()[:16]


def forecasts_from(doc: Document, ann: Annotations) -> list[Forecast]:
    """The forecasts a document makes: its future judgments that have a deadline."""
    texts = {"body": doc.text} | {c.id: c.text for c in doc.comments}
    made_on = doc.published.date() if doc.published else None
    found = []
    for judgment in ann.judgments:
        if not judgment.future or judgment.deadline is None:
            continue
        text = texts.get(judgment.proposition.part, "")
        proposition = " ".join(text[judgment.proposition.start : judgment.proposition.end].split())
        found.append(
            Forecast(
                id=forecast_id(doc.id, judgment),
                document_id=doc.id,
                source_id=doc.source.id,
                span=judgment.span,
                proposition=proposition or judgment.cue_text,
                holder_kind=judgment.holder_kind,
                holder=judgment.holder,
                label=judgment.label,
                low=judgment.low,
                high=judgment.high,
                deadline=judgment.deadline,
                made_on=made_on,
            )
        )
    return found


def _outcome(forecast: Forecast) -> float | None:
    return {"true": 1.0, "false": 0.0}.get(forecast.status)


def brier(forecasts: Iterable[Forecast]) -> float | None:
    """Mean Brier score of the resolved forecasts; None when none is resolved."""
    scores = [
        (f.probability - outcome) ** 2 for f in forecasts if (outcome := _outcome(f)) is not None
    ]
    return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    """One ICD 203 band: how many resolved, what it promised, how often it came true."""

    label: str
    resolved: int
    promised: float  # mean forecast probability
    observed: float | None  # share that came true


def calibration(forecasts: Iterable[Forecast]) -> list[CalibrationRow]:
    """One row per band that has resolved forecasts, in ICD 203 order."""
    by_label: dict[str, list[Forecast]] = {}
    for f in forecasts:
        if _outcome(f) is not None:
            by_label.setdefault(f.label, []).append(f)
    rows = []
    order = {label: i for i, label in enumerate(LABELS)}
    for label in sorted(by_label, key=lambda x: order.get(x, len(order))):
        group = by_label[label]
        came_true = sum(1 for f in group if f.status == "true")
        rows.append(
            CalibrationRow(
                label,
                len(group),
                sum(f.probability for f in group) / len(group),
                came_true / len(group),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class Scorecard:
    """How one source or holder's forecasts fared."""

    key: str
    total: int
    resolved: int
    came_true: int
    brier: float | None
    calibration: tuple[CalibrationRow, ...]


def scorecards(forecasts: Sequence[Forecast], *, by: Callable[[Forecast], str]) -> list[Scorecard]:
    """A scorecard per key (source id, holder...), most resolved first."""
    groups: dict[str, list[Forecast]] = {}
    for f in forecasts:
        groups.setdefault(by(f), []).append(f)
    cards = [
        Scorecard(
            key,
            len(group),
            sum(1 for f in group if _outcome(f) is not None),
            sum(1 for f in group if f.status == "true"),
            brier(group),
            tuple(calibration(group)),
        )
        for key, group in groups.items()
    ]
    return sorted(cards, key=lambda c: (-c.resolved, -c.total, c.key))


def holder_of(forecast: Forecast) -> str:
    """Who holds a forecast, for scorecards: the named holder, else its kind."""
    return forecast.holder or forecast.holder_kind
