"""The assessment over the store: claims grouped across stored documents and languages,
graded with the sources' letters; the CLI's claims, sources and quality commands."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from tocsin.app.review import review
from tocsin.models import Annotations, Attribution, Document, Kind, Precision, Source, Span
from tocsin.store import Store, open_store

FR = "L'armée malienne a repris le contrôle de la ville de Léré après trois jours de combats."
EN = "The Malian army retook control of the town of Léré after three days of fighting."
DENY = (
    "L'armée malienne n'a pas repris le contrôle de la ville de Léré après trois jours de combats."
)


def _doc(doc_id: str, source: str, text: str, lang: str, **kw: object) -> Document:
    base = Document(
        id=doc_id,
        source=Source(id=source, name=source.title(), kind=Kind.NEWS, reliability="B",
                      reliability_reason="wire agency"),
        text=text,
        content_hash="h-" + doc_id,
        fetched_at=datetime(2025, 10, 16, tzinfo=UTC),
        published=datetime(2025, 10, 15, tzinfo=UTC),
        published_precision=Precision.DAY,
        language=lang,
    )  # fmt: skip
    return replace(base, **kw)  # type: ignore[arg-type]


def _store_with(tmp_path: Path, docs: list[Document]) -> Store:
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    for doc in docs:
        store.save_document(doc, minhash=None)
        span = Span(doc.id, "body", 0, len(doc.text))
        ann = Annotations(doc.id, "v", {"body": doc.language or "fr"},
                          attributions=(Attribution(span, "author"),))  # fmt: skip
        store.save_annotations(ann)
    return store


def test_claims_across_languages_copies_count_once(tmp_path: Path) -> None:
    store = _store_with(
        tmp_path,
        [
            _doc("a", "agence-a", FR, "fr"),
            _doc("b", "journal-b", FR, "fr", duplicate_of="a"),  # a copy of a
            _doc("c", "wire-c", EN, "en"),
        ],
    )
    found = review(store)
    [claim] = [g for g in found.claims if len(g.claim.statements) > 1]
    assert {s.document_id for s in claim.claim.statements} == {"a", "b", "c"}
    assert claim.claim.independent == 2 and not claim.claim.contradicted
    assert claim.grade.number == 1 and claim.grade.reasons
    assert {g.source.id: g.grade.letter for g in found.sources} == {
        "agence-a": "B", "journal-b": "B", "wire-c": "B",
    }  # fmt: skip


def test_a_denial_contradicts_and_the_cli_shows_it(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _store_with(tmp_path, [_doc("a", "agence-a", FR, "fr"), _doc("d", "radio-d", DENY, "fr")])

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tocsin", "--db", str(db), *args],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    shown = run("claims", "--contradicted", "--json")
    assert shown.returncode == 0, shown.stderr
    [line] = [json.loads(x) for x in shown.stdout.splitlines()]
    assert line["contradicted"] and {s["stance"] for s in line["statements"]} == {
        "affirms", "denies",
    }  # fmt: skip
    graded = [json.loads(x) for x in run("sources", "--json").stdout.splitlines()]
    assert {g["source_id"] for g in graded} == {"agence-a", "radio-d"}
    assert all(g["reasons"] for g in graded)
    quality = run("quality", "a", "--json")
    assert quality.returncode == 0 and json.loads(quality.stdout)["claims"] == 1
    missing = run("quality", "nope")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
