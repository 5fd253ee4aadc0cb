"""Events (Tocsin's merged events and imported reference layers) and the links from
stored event reports to them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("layer", sa.String(20), primary_key=True),
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("sub_event_type", sa.String(60), nullable=False),
        sa.Column("event_date", sa.Date),
        sa.Column("time_precision", sa.Integer),
        sa.Column("actor1", sa.String(200)),
        sa.Column("actor1_name", sa.Text),
        sa.Column("inter1", sa.Integer),
        sa.Column("actor2", sa.String(200)),
        sa.Column("actor2_name", sa.Text),
        sa.Column("inter2", sa.Integer),
        sa.Column("assoc_actor_1", sa.Text, nullable=False),
        sa.Column("assoc_actor_2", sa.Text, nullable=False),
        sa.Column("location", sa.Text),
        sa.Column("geonameid", sa.Integer),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("country", sa.String(60)),
        sa.Column("admin1", sa.Text),
        sa.Column("admin2", sa.Text),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("fatalities", sa.Integer),
        sa.Column("fatalities_low", sa.Integer),
        sa.Column("fatalities_high", sa.Integer),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("independent", sa.Integer, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_index("ix_events_id", "events", ["id"])
    op.create_index("ix_events_event_date", "events", ["layer", "event_date"])
    op.create_index("ix_events_country", "events", ["layer", "country"])
    op.create_index("ix_events_event_type", "events", ["layer", "event_type"])
    op.create_table(
        "event_reports",
        sa.Column("report_id", sa.String(200), primary_key=True),
        sa.Column("layer", sa.String(20), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("part", sa.String(60), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["layer", "event_id"], ["events.layer", "events.id"]),
    )
    op.create_index("ix_event_reports_event", "event_reports", ["layer", "event_id"])
    op.create_index("ix_event_reports_document", "event_reports", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_event_reports_document", "event_reports")
    op.drop_index("ix_event_reports_event", "event_reports")
    op.drop_table("event_reports")
    op.drop_index("ix_events_event_type", "events")
    op.drop_index("ix_events_country", "events")
    op.drop_index("ix_events_event_date", "events")
    op.drop_index("ix_events_id", "events")
    op.drop_table("events")
