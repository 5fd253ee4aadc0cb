"""Table definitions. Portable to PostgreSQL: no SQLite-only types.

The migrations in ``migrations/versions`` create these tables; a test checks that the
migrated schema and this metadata agree.
"""

from __future__ import annotations

from sqlalchemy import (
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
