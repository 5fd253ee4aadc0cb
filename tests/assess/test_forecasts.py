"""Forecasts: registered from future judgments with a deadline, resolved by a person,
scored (Brier, calibration) per source and holder; the store keeps resolutions."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tocsin.assess.forecasts import brier, calibration, forecasts_from, holder_of, scorecards
from tocsin.models import Annotations, Document, Forecast, Judgment, Precision, Source, Span
from tocsin.store import open_store

TEXT = (
    "Le blocus durera probablement au cours des six prochains mois. "
    "Il est peu probable que l'armée rouvre la route d'ici la fin de l'année. "
    "Les otages sont probablement détenus près de Kidal."
)


def _doc(doc_id: str = "d1", source: str = "outlet-a") -> Document:
    return Document(
        id=doc_id,
        source=Source(id=source, name=source),
        text=TEXT,
        content_hash="h-" + doc_id,
        fetched_at=datetime(2025, 10, 16, tzinfo=UTC),
        published=datetime(2025, 10, 15, tzinfo=UTC),
        published_precision=Precision.DAY,
    )


def _judgment(doc_id: str, cue: str, label: str, low: float, high: float, **kw: object) -> Judgment:
    start = TEXT.index(cue)
    sentence_start = TEXT.rfind(". ", 0, start) + 2 if ". " in TEXT[:start] else 0
    sentence_end = TEXT.index(".", start) + 1
    span = lambda a, b: Span(doc_id, "body", a, b)  # noqa: E731
    return Judgment(
        span=span(sentence_start, sentence_end),
        proposition=span(sentence_start, start),
        cue=span(start, start + len(cue)),
        cue_text=cue,
        low=low,
        high=high,
        label=label,
        **kw,  # type: ignore[arg-type]
    )


def _annotations(doc_id: str = "d1") -> Annotations:
    return Annotations(
        document_id=doc_id,
        extractor_version="v",
        judgments=(
            _judgment(doc_id, "probablement au cours", "likely", 0.55, 0.80,
                      deadline=date(2026, 4, 15), timeframe="2025-10-15/2026-04-15"),
            _judgment(doc_id, "peu probable", "unlikely", 0.20, 0.45,
                      deadline=date(2025, 12, 31), holder_kind="unnamed_experts",
                      holder="des analystes"),
            _judgment(doc_id, "probablement détenus", "likely", 0.55, 0.80, future=False),
        ),
    )  # fmt: skip


def test_future_judgments_with_a_deadline_become_forecasts() -> None:
    found = forecasts_from(_doc(), _annotations())
    assert [(f.label, f.deadline, f.made_on) for f in found] == [
        ("likely", date(2026, 4, 15), date(2025, 10, 15)),
        ("unlikely", date(2025, 12, 31), date(2025, 10, 15)),
    ]
    assert found[0].proposition == "Le blocus durera"
    assert found[0].id == forecasts_from(_doc(), _annotations())[0].id  # stable
    assert found[1].holder == "des analystes" and holder_of(found[1]) == "des analystes"
    assert found[0].state(date(2026, 1, 1)) == "open"
    assert found[0].state(date(2026, 5, 1)) == "expired"


def _resolved(label: str, p: float, status: str, source: str = "s") -> Forecast:
    return Forecast(
        id=f"{label}-{p}-{status}-{source}", document_id="d", source_id=source,
        span=Span("d", "body", 0, 1), proposition="x", holder_kind="author", holder=None,
        label=label, low=p, high=p, deadline=date(2025, 1, 1), status=status,
    )  # fmt: skip


def test_brier_and_calibration() -> None:
    items = [
        _resolved("likely", 0.7, "true"),
        _resolved("likely", 0.7, "false"),
        _resolved("very unlikely", 0.1, "false"),
        _resolved("almost certain", 0.97, "open"),
    ]
    assert brier(items) == pytest.approx(((0.3**2) + (0.7**2) + (0.1**2)) / 3)
    assert brier([_resolved("likely", 0.7, "open")]) is None
    rows = calibration(items)
    assert [(r.label, r.resolved, r.observed) for r in rows] == [
        ("very unlikely", 1, 0.0),
        ("likely", 2, 0.5),
    ]
    cards = scorecards([*items, _resolved("likely", 0.7, "true", "t")], by=lambda f: f.source_id)
    assert [(c.key, c.total, c.resolved, c.came_true) for c in cards] == [
        ("s", 4, 3, 1),
        ("t", 1, 1, 1),
    ]


def test_store_keeps_a_resolution_when_extraction_runs_again(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    doc = _doc()
    store.save_document(doc, minhash=None)
    ann = _annotations()
    store.save_extraction(ann, forecasts_from(doc, ann))
    [second, first] = store.list_forecasts()  # soonest deadline first: "unlikely" by 31 Dec
    assert (first.label, second.label) == ("likely", "unlikely")
    assert store.resolve_forecast(second.id, outcome=False, evidence="doc:d9", on=date(2026, 1, 2))
    assert not store.resolve_forecast("nope", outcome=True, evidence="x", on=date(2026, 1, 2))
    store.save_extraction(ann, forecasts_from(doc, ann))  # re-extraction
    again = {f.id: f for f in store.list_forecasts()}
    assert again[second.id].status == "false" and again[second.id].evidence == "doc:d9"
    assert again[first.id].status == "open"
    assert [f.id for f in store.list_forecasts(due_before=date(2026, 1, 1))] == [second.id]
    assert [f.id for f in store.list_forecasts(holder="analystes")] == [second.id]
    assert [f.id for f in store.list_forecasts(holder="author")] == [first.id]
    assert store.list_forecasts(source="other") == []


def test_cli_list_resolve_score(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = open_store(f"sqlite:///{db}")
    doc = _doc()
    store.save_document(doc, minhash=None)
    ann = _annotations()
    store.save_extraction(ann, forecasts_from(doc, ann))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tocsin", "--db", str(db), *args],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    listed = [json.loads(x) for x in run("forecasts", "list", "--json").stdout.splitlines()]
    assert [x["label"] for x in listed] == ["unlikely", "likely"]
    first = listed[0]["id"]
    bad = run("forecasts", "resolve", first, "maybe", "--evidence", "x")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "true" in bad.stderr
    missing = run("forecasts", "resolve", "f000", "true", "--evidence", "x")
    assert missing.returncode == 2 and "no such forecast" in missing.stderr
    done = run("forecasts", "resolve", first, "false", "--evidence", "https://example.org/x")
    assert done.returncode == 0, done.stderr
    [card] = [json.loads(x) for x in run("forecasts", "score", "--json").stdout.splitlines()]
    assert card["source"] == "outlet-a" and card["resolved"] == 1
    assert card["brier"] == pytest.approx(0.325**2)
    due = run("forecasts", "list", "--due-before", "2026-01-01", "--json").stdout.splitlines()
    assert [json.loads(x)["id"] for x in due] == [first]
    shown = run("judgments", "--json").stdout.splitlines()
    assert len(shown) == 3 and json.loads(shown[0])["cue"] == "probablement au cours"
