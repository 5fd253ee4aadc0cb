"""Alembic environment: Tocsin runs migrations in-process (``Store.open``), on the
connection it passes in ``config.attributes["connection"]``."""

from __future__ import annotations

from alembic import context

from tocsin.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the alembic CLI is not how Tocsin migrates
    raise SystemExit("run migrations through tocsin (tocsin.store.open_store), not alembic")
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
