"""Queries behind the assessment views: the store's "review version" (what a cached
``tocsin.app.review.review`` is keyed on) and pages of the forecasts register; the ``Store``
methods over them (mixed into ``Store``).

The review reads documents, their comments and annotations, the sources' registry
letters and the forecasts' resolutions. Its version is a handful of aggregates over
those tables (counts, latest times, resolutions, and a digest of the small sources
table): any write that can change the review changes one of them, and computing it
costs a few index scans rather than a review.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any, Unpack

from sqlalchemy import Connection, Engine, case, func, select

from tocsin.models import Forecast
from tocsin.store.columns import chunks
from tocsin.store.forecast_queries import ForecastPage, forecast_view_counts, page_forecasts
from tocsin.store.tables import comments, documents, extractions, forecasts, sources

ReviewVersion = tuple[Any, ...]


def review_version(conn: Connection) -> ReviewVersion:
    """Aggregates that change whenever the review of the store may change."""
    docs = conn.execute(
        select(
            func.count(),
            func.max(documents.c.fetched_at),
            func.count(documents.c.duplicate_of),
        ).select_from(documents)
    ).one()
    said = conn.execute(select(func.count()).select_from(comments)).scalar_one()
    extracted = conn.execute(
        select(func.count(), func.max(extractions.c.extracted_at)).select_from(extractions)
    ).one()
    resolved = conn.execute(
        select(
            func.count(),
            func.sum(case((forecasts.c.status == "true", 1), else_=0)),
            func.sum(case((forecasts.c.status == "false", 1), else_=0)),
            func.max(forecasts.c.resolved_on),
        ).select_from(forecasts)
    ).one()
    digest = hashlib.sha256()
    for row in conn.execute(
        select(
            sources.c.id, sources.c.name, sources.c.kind, sources.c.reliability,
            sources.c.reliability_reason,
        ).order_by(sources.c.id)
    ):  # fmt: skip
        digest.update("\x1f".join(str(v) for v in row).encode("utf-8") + b"\x1e")
    return (
        *tuple(docs),
        said,
        *tuple(extracted),
        *tuple(resolved),
        digest.hexdigest(),
    )


class ReviewQueries:
    """Store methods for the assessment views."""

    engine: Engine

    def review_version(self) -> ReviewVersion:
        """A value that changes whenever ``tocsin.app.review.review(store)`` may change
        (documents, comments, extractions, forecasts' resolutions, sources' letters)."""
        with self.engine.connect() as conn:
            return review_version(conn)

    def page_forecasts(
        self, *, view: str | None, today: date, **page: Unpack[ForecastPage]
    ) -> tuple[list[Forecast], int]:
        """A page of the forecasts register: ``view`` "open" (deadline to come), "due"
        (deadline passed, unresolved), "resolved" or None (all), as of ``today``; and
        how many that view holds (``page``: source, limit, offset)."""
        with self.engine.connect() as conn:
            return page_forecasts(conn, view=view, today=today, **page)

    def source_names(self, ids: Iterable[str]) -> dict[str, str]:
        """The names of the sources ``ids`` (those stored)."""
        wanted = sorted(set(ids))
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(wanted):
                query = select(sources.c.id, sources.c.name).where(sources.c.id.in_(chunk))
                found.update({row.id: row.name for row in conn.execute(query)})
        return found

    def forecast_view_counts(self, *, today: date) -> dict[str, int]:
        """How many forecasts are open, due and resolved as of ``today``."""
        with self.engine.connect() as conn:
            return forecast_view_counts(conn, today=today)
