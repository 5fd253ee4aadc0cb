"""The one storage layer: SQLAlchemy 2 Core, Alembic migrations. No SQL outside this package."""

from tocsin.store.db import Store, open_store

__all__ = ["Store", "open_store"]
