"""Table definitions. Portable to PostgreSQL: no SQLite-only types.

The migrations in ``migrations/versions`` create these tables; a test checks that the
migrated schema and this metadata agree.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

sources = Table(
    "sources",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("domain", String(300)),
    Column("kind", String(20), nullable=False),
    Column("language", String(8)),
    Column("reliability", String(1), nullable=False),
    Column("reliability_reason", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("source_id", String(200), ForeignKey("sources.id"), nullable=False),
    Column("url", Text),
    Column("origin", Text, nullable=False),
    Column("title", Text),
    Column("author", Text),
    Column("published", DateTime(timezone=True)),
    Column("published_precision", String(8)),
    Column("language", String(8)),
    Column("kind", String(20), nullable=False),
    Column("form", String(10), nullable=False, server_default="article"),  # or "report"
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("minhash", LargeBinary),
    Column("duplicate_of", String(40), ForeignKey("documents.id")),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Index("ix_documents_url", "url"),
    Index("ix_documents_published", "published"),
    Index("ix_documents_duplicate_of", "duplicate_of"),
)

comments = Table(
    "comments",
    metadata,
    Column("id", String(60), primary_key=True),
    Column("document_id", String(40), ForeignKey("documents.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("parent_id", String(60)),
    Column("author", Text),
    Column("posted", DateTime(timezone=True)),
    Column("posted_precision", String(8)),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Index("ix_comments_document", "document_id", "position"),
)

feeds = Table(
    "feeds",
    metadata,
    Column("url", String(2000), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("failures", Integer, nullable=False, default=0),
)

# One row per extracted document: which extractor version produced its annotations.
extractions = Table(
    "extractions",
    metadata,
    Column("document_id", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("extractor_version", String(200), nullable=False),
    Column("extracted_at", DateTime(timezone=True), nullable=False),
    Column("languages", Text, nullable=False),  # JSON: part -> language
)

# Annotations: one row each; the kind-specific fields are a JSON object in ``data``.
annotation_rows = Table(
    "annotations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(40), ForeignKey("documents.id"), nullable=False),
    Column("part", String(60), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("value", Text),  # the resolved value: actor id, geonameid, ISO time, attribution kind
    Column("data", Text, nullable=False),
    Column("extractor_version", String(200), nullable=False),
    Index("ix_annotations_document", "document_id", "part", "start"),
    Index("ix_annotations_value", "kind", "value"),
)

# Forecasts: registered from judgments; status and evidence are set by a person and
# survive re-extraction.
forecasts = Table(
    "forecasts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("document_id", String(40), ForeignKey("documents.id"), nullable=False),
    Column("source_id", String(200), nullable=False),
    Column("part", String(60), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("proposition", Text, nullable=False),
    Column("holder_kind", String(40), nullable=False),
    Column("holder", Text),
    Column("label", String(40), nullable=False),
    Column("low", Float, nullable=False),
    Column("high", Float, nullable=False),
    Column("deadline", Date, nullable=False),
    Column("made_on", Date),
    Column("status", String(10), nullable=False),
    Column("resolved_on", Date),
    Column("evidence", Text),
    Index("ix_forecasts_deadline", "deadline"),
    Index("ix_forecasts_source", "source_id"),
)

# Events: merged reports (layer "tocsin") or an imported reference export (layer
# "acled"), one row each; tuples are JSON arrays in text columns. The key is the layer
# and the id, so a reference export never collides with Tocsin's own ids.
events = Table(
    "events",
    metadata,
    Column("layer", String(20), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("event_type", String(60), nullable=False),
    Column("sub_event_type", String(60), nullable=False),
    Column("event_date", Date),
    Column("time_precision", Integer),
    Column("actor1", String(200)),
    Column("actor1_name", Text),
    Column("inter1", Integer),
    Column("actor2", String(200)),
    Column("actor2_name", Text),
    Column("inter2", Integer),
    Column("assoc_actor_1", Text, nullable=False),  # JSON array
    Column("assoc_actor_2", Text, nullable=False),  # JSON array
    Column("location", Text),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(60)),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("geo_precision", Integer),
    Column("fatalities", Integer),
    Column("fatalities_low", Integer),
    Column("fatalities_high", Integer),
    Column("tags", Text, nullable=False),  # JSON array
    Column("status", String(20), nullable=False),
    Column("independent", Integer, nullable=False),
    Column("notes", Text, nullable=False),
    Column("source", Text, nullable=False),
    Index("ix_events_id", "id"),
    Index("ix_events_event_date", "layer", "event_date"),
    Index("ix_events_country", "layer", "country"),
    Index("ix_events_event_type", "layer", "event_type"),
)

# Which event each stored event report belongs to, per layer. ``report_id`` is the
# SourcedReport id ("<document_id>:<part>:<start>"); ``position`` keeps the order.
event_reports = Table(
    "event_reports",
    metadata,
    Column("report_id", String(200), primary_key=True),
    Column("layer", String(20), nullable=False),
    Column("event_id", String(200), nullable=False),
    Column("position", Integer, nullable=False),
    Column("document_id", String(40), ForeignKey("documents.id"), nullable=False),
    Column("part", String(60), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    ForeignKeyConstraint(["layer", "event_id"], ["events.layer", "events.id"]),
    Index("ix_event_reports_event", "layer", "event_id"),
    Index("ix_event_reports_document", "document_id"),
)

# Risk levels: one row per place, category and period end (history kept, so that a
# change can be shown and alerted on). ``contributions`` is a JSON array.
risk_levels = Table(
    "risk_levels",
    metadata,
    Column("place_key", String(200), primary_key=True),
    Column("category", String(20), primary_key=True),
    Column("period_end", Date, primary_key=True),
    Column("period_start", Date, nullable=False),
    Column("scope", String(10), nullable=False),
    Column("name", Text, nullable=False),
    Column("country", String(2)),
    Column("admin1", Text),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("level", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("previous_level", Integer),
    Column("previous_score", Float),
    Column("trend", String(10), nullable=False),
    Column("contributions", Text, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Index("ix_risk_levels_period", "period_end"),
    Index("ix_risk_levels_country", "country", "category"),
)

# An organisation's assets; ``coords`` and ``tags`` are JSON arrays.
assets = Table(
    "assets",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("geometry", String(10), nullable=False),
    Column("coords", Text, nullable=False),
    Column("radius_km", Float, nullable=False),
    Column("tags", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)

# Alert rules; tuples are JSON arrays.
alert_rules = Table(
    "alert_rules",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("asset_id", String(100)),
    Column("area", Text),
    Column("kinds", Text, nullable=False),
    Column("categories", Text, nullable=False),
    Column("min_severity", Integer, nullable=False),
    Column("min_level", Integer, nullable=False),
    Column("min_probability", Float, nullable=False),
    Column("distance_km", Float, nullable=False),
    Column("channels", Text, nullable=False),
    Column("lang", String(8), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)

# Alerts: one row per rule, asset and subject (``key`` unique); ``version`` grows when
# the subject changes; ``quotes`` is a JSON array.
alerts = Table(
    "alerts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("key", String(500), nullable=False, unique=True),
    Column("rule_id", String(100), nullable=False),
    Column("asset_id", String(100)),
    Column("kind", String(10), nullable=False),
    Column("subject_id", String(200), nullable=False),
    Column("category", String(20)),
    Column("severity", Integer, nullable=False),
    Column("distance_km", Float),
    Column("lat", Float),
    Column("lon", Float),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("quotes", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Index("ix_alerts_updated", "updated"),
    Index("ix_alerts_subject", "kind", "subject_id"),
)

# The outbox: every message to send, kept until sent (and after, as a record).
outbox = Table(
    "outbox",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("alert_id", String(64)),
    Column("channel", String(10), nullable=False),
    Column("target", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt", DateTime(timezone=True)),
    Column("lease_until", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created", DateTime(timezone=True), nullable=False),
    Index("ix_outbox_due", "status", "next_attempt"),
)

# Digest subscribers; ``areas`` is a JSON array; ``token`` signs the unsubscribe link.
subscribers = Table(
    "subscribers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", Text),
    Column("lang", String(8), nullable=False),
    Column("areas", Text, nullable=False),
    Column("token", String(64), nullable=False, unique=True),
    Column("active", Boolean, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)

# Briefs as written: the structure as JSON (``content``) and the Markdown text.
briefs = Table(
    "briefs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("area", Text, nullable=False),
    Column("lang", String(8), nullable=False),
    Column("title", Text, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("empty", Boolean, nullable=False),
    Column("content", Text, nullable=False),
    Column("markdown", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Index("ix_briefs_period", "period_end"),
)

# Web users; ``password_hash`` is an argon2 hash (tocsin.app.users), never a password.
users = Table(
    "users",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(10), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("last_login", DateTime(timezone=True)),
)

# Browser sessions, keyed by the SHA-256 of the cookie's token.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("expires", DateTime(timezone=True), nullable=False),
    Index("ix_web_sessions_user", "user_id"),
)

# API tokens for scripts, keyed by the SHA-256 of the token.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("last_used", DateTime(timezone=True)),
    Column("revoked", Boolean, nullable=False),
)

# Failed logins per key ("user:<name>", "ip:<address>") for the login rate limit.
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_key", "key", "at"),
)

# Indexes of migration 0007 for the dashboard's filtered lists. Not declared here (the
# migration writes them; SQLAlchemy cannot reflect them on SQLite): its full-text search
# objects (an FTS5 table and ``search_parts`` on SQLite, expression indexes on
# PostgreSQL; ``search_queries`` reaches them), the lists' orders (events: layer,
# event_date DESC, id; documents: published DESC, id) and the lower-cased admin1 and
# sub_event_type of events.
Index("ix_documents_language", documents.c.language, documents.c.published, documents.c.id)
Index("ix_documents_source", documents.c.source_id, documents.c.published, documents.c.id)
Index("ix_events_status", events.c.layer, events.c.status)
Index("ix_events_week", events.c.layer, events.c.event_date, events.c.event_type)

# A version per kind of derived data ("events:tocsin"), bumped when it is rewritten.
data_versions = Table(
    "data_versions",
    metadata,
    Column("name", String(60), primary_key=True),
    Column("version", Integer, nullable=False),
)
