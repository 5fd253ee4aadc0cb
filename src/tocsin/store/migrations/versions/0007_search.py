"""Full-text search over documents (title and text) and reader comments, and the
indexes the dashboard's lists filter on.

SQLite: an FTS5 table ``search_text`` (title, text; diacritics removed, so "Segou"
finds "Ségou") whose rowids are the ids of ``search_parts`` (one row per document body
and per comment; an INTEGER PRIMARY KEY, so VACUUM keeps them). ``search_parts`` also
holds the document's publication time and the comment's position, so that hits are put
in order (newest document first) from a small index, without reading the documents.
Triggers on ``documents`` and ``comments`` keep both in step on insert, update and
delete; the rows already there are indexed here. A later migration that rebuilds ``documents`` or
``comments`` (Alembic's batch mode copies a SQLite table) must create the triggers
again: ``sqlite_triggers()`` gives them.

PostgreSQL: GIN indexes on ``to_tsvector`` of the same text. The text search
configuration is ``tocsin_search`` (``simple`` with the ``unaccent`` dictionary) where
the ``unaccent`` extension can be created, else ``simple`` (accents then count);
``SearchQueries`` asks which one exists. Each text is cut at 250,000 characters so that
no document is refused for a tsvector over PostgreSQL's 1 MB limit.

Both: indexes for the event table's order (newest first) and filters (status, and the
lower-cased region and sub-type the filters compare), and for the document list's
language and source filters.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PG_CONFIG = "tocsin_search"
PG_TEXT_LIMIT = 250_000

_PART = "(SELECT id FROM search_parts WHERE document_id = {doc} AND comment_id IS NULL)"
_COMMENT = "(SELECT id FROM search_parts WHERE comment_id = {cid})"


def sqlite_triggers() -> list[str]:
    """The statements creating the triggers that keep ``search_parts`` and
    ``search_text`` in step with ``documents`` and ``comments``."""
    body_new, body_old = _PART.format(doc="new.id"), _PART.format(doc="old.id")
    comment_new, comment_old = _COMMENT.format(cid="new.id"), _COMMENT.format(cid="old.id")
    add_body = (
        "INSERT INTO search_parts (document_id, comment_id, position, published) "
        "VALUES (new.id, NULL, -1, new.published);\n"
        f"  INSERT INTO search_text (rowid, title, text) VALUES ({body_new}, new.title, new.text);"
    )
    drop_body = (
        f"DELETE FROM search_text WHERE rowid = {body_old};\n"
        "  DELETE FROM search_parts WHERE document_id = old.id AND comment_id IS NULL;"
    )
    add_comment = (
        "INSERT INTO search_parts (document_id, comment_id, position, published) "
        "VALUES (new.document_id, new.id, new.position, "
        "(SELECT published FROM documents WHERE id = new.document_id));\n"
        f"  INSERT INTO search_text (rowid, title, text) VALUES ({comment_new}, NULL, new.text);"
    )
    drop_comment = (
        f"DELETE FROM search_text WHERE rowid = {comment_old};\n"
        "  DELETE FROM search_parts WHERE comment_id = old.id;"
    )
    return [
        "CREATE TRIGGER search_documents_insert AFTER INSERT ON documents BEGIN\n"
        f"  {add_body}\nEND",
        "CREATE TRIGGER search_documents_update AFTER UPDATE OF id, title, text ON documents "
        f"BEGIN\n  {drop_body}\n  {add_body}\nEND",
        "CREATE TRIGGER search_documents_published AFTER UPDATE OF published ON documents "
        "BEGIN\n  UPDATE search_parts SET published = new.published "
        "WHERE document_id = new.id;\nEND",
        "CREATE TRIGGER search_documents_delete AFTER DELETE ON documents BEGIN\n"
        f"  {drop_body}\nEND",
        "CREATE TRIGGER search_comments_insert AFTER INSERT ON comments BEGIN\n"
        f"  {add_comment}\nEND",
        "CREATE TRIGGER search_comments_update AFTER UPDATE OF id, document_id, position, text "
        f"ON comments BEGIN\n  {drop_comment}\n  {add_comment}\nEND",
        "CREATE TRIGGER search_comments_delete AFTER DELETE ON comments BEGIN\n"
        f"  {drop_comment}\nEND",
    ]


_TRIGGERS = (
    "search_documents_insert",
    "search_documents_update",
    "search_documents_published",
    "search_documents_delete",
    "search_comments_insert",
    "search_comments_update",
    "search_comments_delete",
)


def _upgrade_sqlite(conn: Connection) -> None:
    run = conn.exec_driver_sql
    run(
        "CREATE TABLE search_parts (id INTEGER PRIMARY KEY, "
        "document_id VARCHAR(40) NOT NULL, comment_id VARCHAR(60), "
        "position INTEGER NOT NULL, published DATETIME)"
    )
    run("CREATE INDEX ix_search_parts_document ON search_parts (document_id, comment_id)")
    run("CREATE UNIQUE INDEX ix_search_parts_comment ON search_parts (comment_id)")
    run(
        "CREATE INDEX ix_search_parts_order ON search_parts (published DESC, document_id, position)"
    )
    run(
        "CREATE VIRTUAL TABLE search_text USING fts5("
        "title, text, tokenize = 'unicode61 remove_diacritics 2')"
    )
    run(
        "INSERT INTO search_parts (document_id, comment_id, position, published) "
        "SELECT id, NULL, -1, published FROM documents"
    )
    run(
        "INSERT INTO search_text (rowid, title, text) SELECT p.id, d.title, d.text "
        "FROM search_parts p JOIN documents d ON d.id = p.document_id "
        "WHERE p.comment_id IS NULL"
    )
    run(
        "INSERT INTO search_parts (document_id, comment_id, position, published) "
        "SELECT c.document_id, c.id, c.position, d.published "
        "FROM comments c JOIN documents d ON d.id = c.document_id "
        "ORDER BY c.document_id, c.position"
    )
    run(
        "INSERT INTO search_text (rowid, title, text) SELECT p.id, NULL, c.text "
        "FROM search_parts p JOIN comments c ON c.id = p.comment_id"
    )
    for statement in sqlite_triggers():
        run(statement)
    # The lists' orders, newest first (SQLite puts NULLs last in DESC order).
    run("CREATE INDEX ix_events_listing ON events (layer, event_date DESC, id)")
    run("CREATE INDEX ix_documents_listing ON documents (published DESC, id)")


def _pg_config(conn: Connection) -> str:
    """``tocsin_search`` where ``unaccent`` can be had, else ``simple``."""
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
            conn.exec_driver_sql(
                f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = pg_catalog.simple)"
            )
            conn.exec_driver_sql(
                f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
            )
    except DBAPIError:
        return "simple"
    return PG_CONFIG


def _upgrade_postgresql(conn: Connection) -> None:
    config = _pg_config(conn)
    conn.exec_driver_sql(
        "CREATE INDEX ix_documents_search ON documents USING gin "
        f"(to_tsvector('{config}'::regconfig, "
        f"left(coalesce(title, '') || ' ' || text, {PG_TEXT_LIMIT})))"
    )
    conn.exec_driver_sql(
        "CREATE INDEX ix_comments_search ON comments USING gin "
        f"(to_tsvector('{config}'::regconfig, left(text, {PG_TEXT_LIMIT})))"
    )
    conn.exec_driver_sql(
        "CREATE INDEX ix_events_listing ON events (layer, event_date DESC NULLS LAST, id)"
    )
    conn.exec_driver_sql(
        "CREATE INDEX ix_documents_listing ON documents (published DESC NULLS LAST, id)"
    )


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _upgrade_sqlite(conn)
    elif conn.dialect.name == "postgresql":
        _upgrade_postgresql(conn)
    op.create_index("ix_documents_language", "documents", ["language", "published", "id"])
    op.create_index("ix_documents_source", "documents", ["source_id", "published", "id"])
    op.create_index("ix_events_status", "events", ["layer", "status"])
    # The timeline counts events per day and type in a date window: a covering index.
    op.create_index("ix_events_week", "events", ["layer", "event_date", "event_type"])
    # The filters compare lower-cased text (event_queries.event_conditions); an event type is
    # found by scanning ix_events_event_type (few types, a small index).
    op.create_index("ix_events_admin1_lower", "events", ["layer", sa.text("lower(admin1)")])
    op.create_index(
        "ix_events_sub_type_lower", "events", ["layer", sa.text("lower(sub_event_type)")]
    )


def downgrade() -> None:
    conn = op.get_bind()
    for name in ("ix_events_sub_type_lower", "ix_events_admin1_lower"):
        op.drop_index(name, "events")
    op.drop_index("ix_events_status", "events")
    op.drop_index("ix_events_week", "events")
    op.drop_index("ix_documents_source", "documents")
    op.drop_index("ix_documents_language", "documents")
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_events_listing")
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_documents_listing")
    if conn.dialect.name == "sqlite":
        for name in _TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS search_text")
        conn.exec_driver_sql("DROP TABLE IF EXISTS search_parts")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_comments_search")
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_documents_search")
        conn.exec_driver_sql(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}")
