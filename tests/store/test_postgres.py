"""The same store on a real PostgreSQL server: the schema is portable, not SQLite-only."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from tests.app.test_pipeline import WP_COMMENTS
from tests.factories import article_html
from tests.store.test_db import _doc
from tocsin.app.pipeline import Pipeline
from tocsin.config import Settings
from tocsin.store import open_store


def _fresh(url: str) -> None:
    store = open_store(url)
    with store.transaction() as conn:
        for table in ("annotations", "extractions", "comments", "documents", "sources", "feeds"):
            conn.execute(text(f"delete from {table}"))


def test_migrations_round_trip_and_duplicates(postgres_url: str) -> None:
    _fresh(postgres_url)
    store = open_store(postgres_url)
    assert store.save_document(_doc("pg1"), minhash=b"\x01" * 16)
    assert not store.save_document(_doc("pg1"), minhash=None)
    back = store.get_document("pg1")
    assert back is not None and back.published is not None
    assert back.published.utcoffset() is not None and back.published.hour == 8
    assert [c.parent_id for c in back.comments] == [None, "pg1-a"]


def test_pipeline_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    _fresh(postgres_url)
    for i in range(3):
        (tmp_path / f"a{i}.html").write_text(article_html(600 + i, comments_html=WP_COMMENTS))
    pipeline = Pipeline(open_store(postgres_url), Settings(db=postgres_url))
    first = [r.status for r in pipeline.ingest([str(tmp_path)])]
    again = Pipeline(open_store(postgres_url), Settings(db=postgres_url))
    assert first == ["new"] * 3
    assert [r.status for r in again.ingest([str(tmp_path)])] == ["duplicate"] * 3
    assert again.store.count_documents() == 3


def test_annotations_on_postgres(postgres_url: str) -> None:
    from tests.store.test_annotations import _annotations

    _fresh(postgres_url)
    store = open_store(postgres_url)
    store.save_document(_doc("pg2", content_hash="h-pg2"), minhash=None)
    ann = _annotations("pg2")
    assert store.save_annotations(ann) == 6
    assert store.load_annotations("pg2") == ann
    assert store.stale_documents("v1") == []
