"""Full-text search: SQLite FTS5 kept in step by triggers (and filled for documents
stored before migration 0007), PostgreSQL full-text indexes, accents, hostile query
syntax, and the search page and API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from tocsin.models import Comment, Document, Kind, Source
from tocsin.store import Store, open_store
from tocsin.store.db import _alembic_config
from tocsin.store.search_queries import (
    PG_CONFIG,
    SearchResult,
    _pg_parts,
    fts5_query,
    pg_config,
)

HOSTILE = [
    '"',
    '""',
    "'",
    "AND",
    "OR",
    "NOT",
    "*",
    "zyrbakou*",
    "(zyrbakou",
    "zyrbakou)",
    "NEAR(zyrbakou kwelmi)",
    "NEAR/3",
    "zyrbakou OR",
    "-zyrbakou",
    "title:zyrbakou",
    "^zyrbakou",
    '"zyrbakou',
    "zyrbakou AND NOT kwelmi",
    "{title text}: zyrbakou",
    "zyrbakou + kwelmi",
    "\\",
    "\x00zyrbakou",
    "%_zyrbakou%",
    "'; DROP TABLE documents; --",
    "zyrbakou " * 200,
    "🙂",
    "!:&|<>",
]

SOURCE = Source(id="search-example", name="Search Example", kind=Kind.NEWS)


def _doc(doc_id: str, title: str, body: str, day: int, *comments: Comment) -> Document:
    return Document(
        id=doc_id,
        source=SOURCE,
        text=body,
        content_hash=f"h-{doc_id}",
        fetched_at=datetime(2025, 12, 10, tzinfo=UTC),
        title=title,
        published=datetime(2025, 12, day, 8, tzinfo=UTC),
        language="fr",
        comments=comments,
        origin="test",
    )


def _corpus() -> list[Document]:
    """Invented words (zyrbakou, kwelmi, Ségoubar) so that the shared PostgreSQL
    database's other documents never match."""
    return [
        _doc(
            "s-old",
            "Ancien article",
            "Le convoi est arrivé à Ségoubar hier. Zyrbakou n'a rien dit.",
            1,
        ),
        _doc(
            "s-new",
            "Zyrbakou en titre",
            "Rien d'autre ici, sinon kwelmi.",
            5,
            Comment("s-new-1", "Moi aussi j'ai vu SEGOUBAR et zyrbakou."),
            Comment("s-new-2", "Kwelmi !", parent_id="s-new-1"),
        ),
        _doc("s-mid", "Sans rapport", "Segoubar, KWELMI et zyrbakou à la fois.", 3),
    ]


def _hits(found: SearchResult) -> list[tuple[str, str]]:
    return [(h.document_id, h.part) for h in found.hits]


def _marked(found: SearchResult) -> list[list[str]]:
    return [[h.snippet.text[s:e] for s, e in h.snippet.marks] for h in found.hits]


def _check_search(store: Store, *, accents: bool) -> None:
    found = store.search_documents("zyrbakou")
    assert found.terms == ("zyrbakou",)
    # newest document first; the body (its title matched) before its comments
    assert _hits(found) == [
        ("s-new", "body"),
        ("s-new", "s-new-1"),
        ("s-mid", "body"),
        ("s-old", "body"),
    ]
    assert found.total == 4
    assert _marked(found) == [[], ["zyrbakou"], ["zyrbakou"], ["Zyrbakou"]]
    assert found.hits[0].title == "Zyrbakou en titre" and found.hits[0].source == SOURCE.name
    assert found.hits[0].published == datetime(2025, 12, 5, 8, tzinfo=UTC)
    both = store.search_documents("KWELMI zyrbakou")
    assert _hits(both) == [("s-new", "body"), ("s-mid", "body")]
    page = store.search_documents("zyrbakou", limit=2, offset=1)
    assert _hits(page) == [("s-new", "s-new-1"), ("s-mid", "body")] and page.total == 4
    assert _hits(store.search_documents("Ségoubar")) == [
        ("s-new", "s-new-1"),
        *([("s-mid", "body")] if accents else []),
        ("s-old", "body"),
    ]
    if accents:
        assert _hits(store.search_documents("segoubar")) == _hits(
            store.search_documents("SÉGOUBAR")
        )
        assert len(store.search_documents("segoubar").hits) == 3
        marks = _marked(store.search_documents("segoubar"))
        assert marks == [["SEGOUBAR"], ["Segoubar"], ["Ségoubar"]]
    for query in HOSTILE:
        result = store.search_documents(query)  # never raises
        assert result.total == len(result.hits)
    assert _hits(store.search_documents("zyrbakou*")) == _hits(found)
    assert _hits(store.search_documents("(zyrbakou")) == _hits(found)
    assert store.search_documents("NEAR(zyrbakou kwelmi)").total == 0  # "near" is a word
    assert store.search_documents("").total == 0
    assert store.search_documents("  ()*  ").terms == ()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(str(tmp_path / "search.db"))
    for doc in _corpus():
        assert store.save_document(doc, minhash=None)
    yield store
    store.close()


def _check_lists(store: Store) -> None:
    rows = store.list_document_rows(source=SOURCE.id)
    assert [(r.id, r.comments, r.source) for r in rows] == [
        ("s-new", 2, SOURCE.name),
        ("s-mid", 0, SOURCE.name),
        ("s-old", 0, SOURCE.name),
    ]
    assert [r.id for r in store.list_document_rows(source=SOURCE.id, limit=1, offset=1)] == [
        "s-mid"
    ]
    assert store.count_document_rows(source=SOURCE.id) == 3
    assert store.count_document_rows(source=SOURCE.id, language="en") == 0


def test_search_on_sqlite(sqlite_store: Store) -> None:
    _check_search(sqlite_store, accents=True)
    _check_lists(sqlite_store)


def test_fts5_query_quotes_every_word() -> None:
    assert fts5_query(["a", 'b"c', "NEAR"]) == '"a" "b""c" "NEAR"'


def test_triggers_follow_inserts_updates_and_deletes(sqlite_store: Store) -> None:
    store = sqlite_store
    assert store.add_comments("s-old", (Comment("s-old-1", "Un mot neuf : plorvex."),)) == 1
    assert _hits(store.search_documents("plorvex")) == [("s-old", "s-old-1")]
    with store.transaction() as conn:
        conn.execute(text("UPDATE documents SET title = 'Titre plorvex' WHERE id = 's-mid'"))
        conn.execute(text("UPDATE comments SET text = 'effacé' WHERE id = 's-new-1'"))
    assert _hits(store.search_documents("plorvex")) == [("s-mid", "body"), ("s-old", "s-old-1")]
    assert _hits(store.search_documents("zyrbakou")) == [
        ("s-new", "body"),
        ("s-mid", "body"),
        ("s-old", "body"),
    ]
    with store.transaction() as conn:
        conn.execute(text("DELETE FROM comments WHERE document_id = 's-new'"))
        conn.execute(text("DELETE FROM documents WHERE id = 's-new'"))
        left = conn.execute(text("SELECT count(*) FROM search_parts")).scalar_one()
        indexed = conn.execute(text("SELECT count(*) FROM search_text")).scalar_one()
    assert left == indexed == 3  # two bodies and one comment
    assert _hits(store.search_documents("zyrbakou")) == [("s-mid", "body"), ("s-old", "body")]
    assert store.search_documents("kwelmi").total == 1


def test_documents_stored_before_the_migration_are_indexed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = open_store(url)
    for doc in _corpus():  # stored by today's code, then the schema taken back to 0006
        assert store.save_document(doc, minhash=None)
    with store.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0006")  # index and triggers dropped
        assert "search_text" not in {
            r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))
        }
    store.close()
    upgraded = open_store(url)
    try:
        _check_search(upgraded, accents=True)
    finally:
        upgraded.close()


def _fresh_postgres(url: str) -> Store:
    store = open_store(url)
    ids = [d.id for d in _corpus()]
    with store.transaction() as conn:
        for doc_id in ids:
            conn.execute(text("DELETE FROM comments WHERE document_id = :i"), {"i": doc_id})
            conn.execute(text("DELETE FROM documents WHERE id = :i"), {"i": doc_id})
    return store


def test_search_on_postgresql(postgres_url: str) -> None:
    store = _fresh_postgres(postgres_url)
    try:
        for doc in _corpus():
            assert store.save_document(doc, minhash=None)
        with store.engine.connect() as conn:
            config = pg_config(conn)
            conn.execute(text("SET enable_seqscan = off"))  # few rows: make it show the index
            query = select(func.count()).select_from(_pg_parts(conn, ("zyrbakou",)))
            sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
            plan = "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))
        # the query's expressions are those of the indexes (else they could not be used)
        assert "ix_documents_search" in plan and "ix_comments_search" in plan, plan
        _check_search(store, accents=config == PG_CONFIG)
        _check_lists(store)
        assert config == PG_CONFIG  # unaccent is available where the tests run
        assert store.add_comments("s-old", (Comment("s-old-1", "Un mot neuf : plorvex."),)) == 1
        assert _hits(store.search_documents("plorvex")) == [("s-old", "s-old-1")]
    finally:
        _fresh_postgres(postgres_url).close()
        store.close()


# ---------------------------------------------------------------- page and API

HIT = re.compile(r'<li class="search-hit" data-document-id="([^"]+)" data-part="([^"]+)">')


def test_search_page_marks_the_words(viewer_client: TestClient) -> None:
    page = viewer_client.get("/search?q=Segou")
    assert page.status_code == 200
    store: Store = viewer_client.app.state.store  # type: ignore[attr-defined]
    found = store.search_documents("Segou", limit=20)
    assert found.total >= 2
    assert HIT.findall(page.text) == [(h.document_id, h.part) for h in found.hits]
    assert f'<span id="search-count">{found.total}</span>' in page.text
    assert "<mark>Ségou</mark>" in page.text
    assert '<input name="q" id="search-q" type="search" value="Segou"' in page.text
    title = next(h.title for h in found.hits if h.title and "Ségou" in h.title)
    assert f">{title}</a>" in page.text


def test_search_page_takes_any_text(viewer_client: TestClient) -> None:
    for query in HOSTILE:
        if len(query) > 500:
            continue
        page = viewer_client.get("/search", params={"q": query})
        assert page.status_code == 200, query
    empty = viewer_client.get("/search").text
    assert 'id="search-count"' not in empty and 'id="search-form"' in empty
    nothing = viewer_client.get("/search?q=%28%29").text
    assert '<span id="search-count">0</span>' in nothing and 'id="search-empty"' in nothing
    assert viewer_client.get("/search", params={"q": "x" * 501}).status_code == 400


def test_comment_hits_link_to_the_comment(viewer_client: TestClient) -> None:
    page = viewer_client.get("/search?q=script").text
    hits = HIT.findall(page)
    assert any(part != "body" for _doc, part in hits)
    doc_id, part = next((d, p) for d, p in hits if p != "body")
    assert f'href="/documents/{doc_id}#comment-{part}"' in page
    main = page.split('<main id="main">')[1]
    assert "<script" not in main and "&lt;<mark>script</mark>&gt;" in main


def test_search_api(viewer_client: TestClient) -> None:
    answer = viewer_client.get("/api/v1/search?q=bamako+blocus&limit=2").json()
    store: Store = viewer_client.app.state.store  # type: ignore[attr-defined]
    found = store.search_documents("bamako blocus", limit=2)
    assert answer["total"] == found.total > 2
    assert answer["terms"] == ["bamako", "blocus"]
    assert [(i["document_id"], i["part"]) for i in answer["items"]] == _hits(found)
    for item in answer["items"]:
        words = {item["snippet"][s:e].casefold() for s, e in item["marks"]}
        assert words and words <= {"bamako", "blocus"}
    assert answer["next"].endswith("offset=2")
    later = viewer_client.get(answer["next"]).json()
    assert later["offset"] == 2 and later["items"][0]["document_id"]
    assert viewer_client.get("/api/v1/search").status_code == 422
    assert viewer_client.get("/api/v1/search?q=%22*(%20)%22").json()["total"] == 0
    near = viewer_client.get("/api/v1/search?q=NEAR(%22kati*").json()
    assert near["terms"] == ["NEAR", "kati"] and near["total"] >= 0
