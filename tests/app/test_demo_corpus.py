"""The whole demo corpus through the pipeline, compared to a golden file.

Refresh with TOCSIN_REFRESH_GOLDEN=1 after a deliberate change, then read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tocsin.app.demo import corpus_files, corpus_path
from tocsin.app.pipeline import Pipeline
from tocsin.config import Settings
from tocsin.models import Document
from tocsin.store import open_store

GOLDEN = Path(__file__).parents[1] / "golden" / "demo_corpus.json"


def _summary(doc: Document) -> dict[str, object]:
    index = {c.id: i for i, c in enumerate(doc.comments)}
    return {
        "id": doc.id,
        "origin": doc.origin if "://" in doc.origin else Path(doc.origin.split(":")[0]).name,
        "title": doc.title,
        "author": doc.author,
        "source": doc.source.name,
        "kind": doc.kind.value,
        "url": doc.url,
        "published": doc.published.isoformat() if doc.published else None,
        "precision": doc.published_precision,
        "language": doc.language,
        "duplicate_of": doc.duplicate_of,
        "words": len(doc.text.split()),
        "starts": doc.text[:80],
        "ends": doc.text[-80:],
        "comments": [
            [
                c.author,
                c.posted.isoformat() if c.posted else None,
                c.language,
                index.get(c.parent_id) if c.parent_id else None,
                c.text[:40],
            ]
            for c in doc.comments
        ],
    }


def test_demo_corpus_golden(tmp_path: Path) -> None:
    settings = Settings(sources_file=str(corpus_path() / "sources.toml"))
    pipeline = Pipeline(open_store(str(tmp_path / "demo.db")), settings)
    results = list(pipeline.ingest([str(p) for p in corpus_files()]))
    assert not [r.error for r in results if r.status == "failed"]
    docs = [pipeline.store.get_document(r.doc_id or "") for r in results if r.status != "duplicate"]
    got = sorted((_summary(d) for d in docs if d), key=lambda d: str(d["id"]))
    if os.environ.get("TOCSIN_REFRESH_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_no_comment_text_in_any_body(tmp_path: Path) -> None:
    pipeline = Pipeline(open_store(str(tmp_path / "demo.db")), Settings())
    for result in pipeline.ingest([str(p) for p in corpus_files()]):
        doc = pipeline.store.get_document(result.doc_id or "")
        assert doc is not None
        for comment in doc.comments:
            for paragraph in comment.text.split("\n\n"):
                if len(paragraph) > 30:
                    assert paragraph not in doc.text, (doc.origin, paragraph)
