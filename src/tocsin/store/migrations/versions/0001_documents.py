"""Sources, documents, comments, feed state.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("domain", sa.String(300)),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("reliability", sa.String(1), nullable=False),
        sa.Column("reliability_reason", sa.Text, nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("source_id", sa.String(200), sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.DateTime(timezone=True)),
        sa.Column("published_precision", sa.String(8)),
        sa.Column("language", sa.String(8)),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("minhash", sa.LargeBinary),
        sa.Column("duplicate_of", sa.String(40), sa.ForeignKey("documents.id")),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_documents_url", "documents", ["url"])
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_index("ix_documents_duplicate_of", "documents", ["duplicate_of"])
    op.create_table(
        "comments",
        sa.Column("id", sa.String(60), primary_key=True),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("parent_id", sa.String(60)),
        sa.Column("author", sa.Text),
        sa.Column("posted", sa.DateTime(timezone=True)),
        sa.Column("posted_precision", sa.String(8)),
        sa.Column("language", sa.String(8)),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_comments_document", "comments", ["document_id", "position"])
    op.create_table(
        "feeds",
        sa.Column("url", sa.String(2000), primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_polled", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.Column("failures", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feeds")
    op.drop_index("ix_comments_document", "comments")
    op.drop_table("comments")
    op.drop_index("ix_documents_duplicate_of", "documents")
    op.drop_index("ix_documents_published", "documents")
    op.drop_index("ix_documents_url", "documents")
    op.drop_table("documents")
    op.drop_table("sources")
