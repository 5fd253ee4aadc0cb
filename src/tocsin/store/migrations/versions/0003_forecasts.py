"""Forecasts registered from judgments, with their resolution.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forecasts",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("part", sa.String(60), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("proposition", sa.Text, nullable=False),
        sa.Column("holder_kind", sa.String(40), nullable=False),
        sa.Column("holder", sa.Text),
        sa.Column("label", sa.String(40), nullable=False),
        sa.Column("low", sa.Float, nullable=False),
        sa.Column("high", sa.Float, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("made_on", sa.Date),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("resolved_on", sa.Date),
        sa.Column("evidence", sa.Text),
    )
    op.create_index("ix_forecasts_deadline", "forecasts", ["deadline"])
    op.create_index("ix_forecasts_source", "forecasts", ["source_id"])


def downgrade() -> None:
    op.drop_index("ix_forecasts_source", "forecasts")
    op.drop_index("ix_forecasts_deadline", "forecasts")
    op.drop_table("forecasts")
