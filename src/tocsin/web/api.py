"""Conventions of the JSON API under ``/api/v1/``: every list is paginated with
``limit`` (1-500, default 50) and ``offset``, and answers
``{"items": [...], "total": N, "limit": L, "offset": O, "next": URL|null}``.
``total`` may be null where counting would cost a second scan (say so in the route's
docstring). Objects are plain JSON: dates ISO 8601, coordinates (lat, lon) in degrees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Query, Request

MAX_LIMIT = 500


class PageParams:
    """``limit`` and ``offset`` from the query string (a FastAPI dependency)."""

    def __init__(
        self,
        limit: int = Query(50, ge=1, le=MAX_LIMIT, description="Items per page (1-500)."),
        offset: int = Query(0, ge=0, description="Items to skip."),
    ) -> None:
        self.limit = limit
        self.offset = offset


def page(
    request: Request, items: Sequence[Any], *, params: PageParams, total: int | None
) -> dict[str, Any]:
    """The paginated answer; ``next`` is the URL of the following page, or None."""
    more = params.offset + len(items) < total if total is not None else len(items) == params.limit
    nxt = None
    if more:
        nxt = str(request.url.include_query_params(offset=params.offset + params.limit))
    return {
        "items": list(items),
        "total": total,
        "limit": params.limit,
        "offset": params.offset,
        "next": nxt,
    }
