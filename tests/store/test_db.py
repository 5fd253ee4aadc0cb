from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect

from tocsin.errors import StoreError
from tocsin.models import Comment, Document, Kind, Precision, Source
from tocsin.store import open_store
from tocsin.store.queries import FeedState
from tocsin.store.tables import metadata


def _doc(doc_id: str = "d1", **kw: object) -> Document:
    base = dict(
        id=doc_id,
        source=Source(id="lesahellibre-example", name="Le Sahel Libre", kind=Kind.NEWS),
        text="Les camions-citernes restent bloqués à Diboli.",
        content_hash="h-" + doc_id,
        fetched_at=datetime(2025, 11, 5, tzinfo=UTC),
        published=datetime(2025, 11, 4, 10, tzinfo=timezone(timedelta(hours=2))),
        published_precision=Precision.DAY,
        comments=(
            Comment(id=f"{doc_id}-a", text="Triste."),
            Comment(id=f"{doc_id}-b", text="Oui.", parent_id=f"{doc_id}-a", author="Awa"),
        ),
        origin="test",
    )
    base.update(kw)
    return Document(**base)  # type: ignore[arg-type]


def test_migrations_create_the_declared_schema(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    inspector = inspect(store.engine)
    for table in metadata.sorted_tables:
        migrated = {c["name"] for c in inspector.get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}, table.name
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        assert {i.name for i in table.indexes} <= indexes
    # opening again does not migrate twice or fail
    open_store(f"sqlite:///{tmp_path / 't.db'}")


def test_document_round_trip_in_utc(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "t.db"))  # a bare path means SQLite
    assert store.save_document(_doc(), minhash=b"\x00" * 8)
    assert not store.save_document(_doc(), minhash=None)  # idempotent
    back = store.get_document("d1")
    assert back is not None
    assert back.published == datetime(2025, 11, 4, 8, tzinfo=UTC)
    assert [c.parent_id for c in back.comments] == [None, "d1-a"]
    assert store.find_by_hash("h-d1") == "d1"
    assert store.count_documents() == 1
    rows = store.list_documents()
    assert rows[0].comments == 2 and rows[0].source == "Le Sahel Libre"


def test_add_comments_only_adds_new_ones(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "t.db"))
    store.save_document(_doc(), minhash=None)
    more = (*_doc().comments, Comment(id="d1-c", text="Nouveau"))
    assert store.add_comments("d1", more) == 1
    assert store.add_comments("d1", more) == 0
    back = store.get_document("d1")
    assert back is not None and [c.id for c in back.comments] == ["d1-a", "d1-b", "d1-c"]


def test_feed_state(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "t.db"))
    assert store.feed_state("https://x.example/feed") is None
    store.save_feed_state(FeedState(url="https://x.example/feed", etag='"v1"'))
    store.save_feed_state(FeedState(url="https://x.example/feed", etag='"v2"', failures=1))
    state = store.feed_state("https://x.example/feed")
    assert state is not None and state.etag == '"v2"' and state.failures == 1


def test_unusable_database_url_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///{tmp_path}/missing/dir/t.db")
    assert "cannot open the database" in str(caught.value)
    assert "--db" in str(caught.value)


def test_head_revision_is_alembics_head() -> None:
    """open_store reads the revision without Alembic and compares it with the newest file."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from tocsin.store.db import _MIGRATIONS, head_revision

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(cfg).get_current_head()
