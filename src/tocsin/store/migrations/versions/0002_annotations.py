"""Annotations from extraction, and the extractor version per document.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "extractions",
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("extractor_version", sa.String(200), nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("languages", sa.Text, nullable=False),
    )
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("part", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("extractor_version", sa.String(200), nullable=False),
    )
    op.create_index("ix_annotations_document", "annotations", ["document_id", "part", "start"])
    op.create_index("ix_annotations_value", "annotations", ["kind", "value"])


def downgrade() -> None:
    op.drop_index("ix_annotations_value", "annotations")
    op.drop_index("ix_annotations_document", "annotations")
    op.drop_table("annotations")
    op.drop_table("extractions")
