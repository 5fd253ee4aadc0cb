"""Risk levels, assets, alert rules, alerts, the outbox, digest subscribers and briefs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risk_levels",
        sa.Column("place_key", sa.String(200), primary_key=True),
        sa.Column("category", sa.String(20), primary_key=True),
        sa.Column("period_end", sa.Date, primary_key=True),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.Text),
        sa.Column("geonameid", sa.Integer),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("previous_level", sa.Integer),
        sa.Column("previous_score", sa.Float),
        sa.Column("trend", sa.String(10), nullable=False),
        sa.Column("contributions", sa.Text, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_risk_levels_country", "risk_levels", ["country", "category"])
    op.create_index("ix_risk_levels_period", "risk_levels", ["period_end"])
    op.create_table(
        "assets",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("geometry", sa.String(10), nullable=False),
        sa.Column("coords", sa.Text, nullable=False),
        sa.Column("radius_km", sa.Float, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "alert_rules",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("asset_id", sa.String(100)),
        sa.Column("area", sa.Text),
        sa.Column("kinds", sa.Text, nullable=False),
        sa.Column("categories", sa.Text, nullable=False),
        sa.Column("min_severity", sa.Integer, nullable=False),
        sa.Column("min_level", sa.Integer, nullable=False),
        sa.Column("min_probability", sa.Float, nullable=False),
        sa.Column("distance_km", sa.Float, nullable=False),
        sa.Column("channels", sa.Text, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(500), nullable=False, unique=True),
        sa.Column("rule_id", sa.String(100), nullable=False),
        sa.Column("asset_id", sa.String(100)),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("category", sa.String(20)),
        sa.Column("severity", sa.Integer, nullable=False),
        sa.Column("distance_km", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("quotes", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_alerts_subject", "alerts", ["kind", "subject_id"])
    op.create_index("ix_alerts_updated", "alerts", ["updated"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("alert_id", sa.String(64)),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt", sa.DateTime(timezone=True)),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt"])
    op.create_table(
        "subscribers",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("name", sa.Text),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("areas", sa.Text, nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "briefs",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("area", sa.Text, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("empty", sa.Boolean, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("markdown", sa.Text, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_briefs_period", "briefs", ["period_end"])


def downgrade() -> None:
    op.drop_index("ix_risk_levels_country", "risk_levels")
    op.drop_index("ix_risk_levels_period", "risk_levels")
    op.drop_table("risk_levels")
    op.drop_table("assets")
    op.drop_table("alert_rules")
    op.drop_index("ix_alerts_subject", "alerts")
    op.drop_index("ix_alerts_updated", "alerts")
    op.drop_table("alerts")
    op.drop_index("ix_outbox_due", "outbox")
    op.drop_table("outbox")
    op.drop_table("subscribers")
    op.drop_index("ix_briefs_period", "briefs")
    op.drop_table("briefs")
