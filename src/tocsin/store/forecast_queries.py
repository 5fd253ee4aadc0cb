"""Forecasts: registered from judgments (upsert that keeps a person's resolution),
listed by deadline, holder or source, and resolved."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypedDict

from sqlalchemy import ColumnElement, Connection, and_, func, insert, select, update

from tocsin.models import Forecast, Span
from tocsin.store.columns import object_of
from tocsin.store.tables import forecasts

# What extraction may refresh; status, resolved_on and evidence belong to the person.
_EXTRACTED = (
    "source_id", "part", "start", "end", "proposition", "holder_kind", "holder", "label",
    "low", "high", "deadline", "made_on",
)  # fmt: skip


def _row(f: Forecast) -> dict[str, object]:
    return {
        "id": f.id,
        "document_id": f.document_id,
        "source_id": f.source_id,
        "part": f.span.part,
        "start": f.span.start,
        "end": f.span.end,
        "proposition": f.proposition,
        "holder_kind": f.holder_kind,
        "holder": f.holder,
        "label": f.label,
        "low": f.low,
        "high": f.high,
        "deadline": f.deadline,
        "made_on": f.made_on,
        "status": f.status,
        "resolved_on": f.resolved_on,
        "evidence": f.evidence,
    }


def save_forecasts(conn: Connection, items: Iterable[Forecast]) -> int:
    """Register forecasts; one already known keeps its resolution. Returns how many
    were new."""
    rows = [_row(f) for f in items]
    if not rows:
        return 0
    known = set(
        conn.execute(select(forecasts.c.id).where(forecasts.c.id.in_([r["id"] for r in rows])))
        .scalars()
        .all()
    )
    new = [r for r in rows if r["id"] not in known]
    if new:
        conn.execute(insert(forecasts), new)
    for r in rows:
        if r["id"] in known:
            values = {k: r[k] for k in _EXTRACTED}
            conn.execute(update(forecasts).where(forecasts.c.id == r["id"]).values(**values))
    return len(new)


def _forecast(row: Any) -> Forecast:
    span = Span(row.document_id, row.part, row.start, row.end)
    return object_of(Forecast, row, span=span)


def list_forecasts(
    conn: Connection,
    *,
    due_before: date | None = None,
    holder: str | None = None,
    source: str | None = None,
    document_id: str | None = None,
) -> list[Forecast]:
    """Forecasts by deadline, soonest first; ``holder`` matches the holder's name or kind
    (case-insensitive substring)."""
    query = select(forecasts).order_by(forecasts.c.deadline, forecasts.c.id)
    if due_before is not None:
        query = query.where(forecasts.c.deadline < due_before)
    if source is not None:
        query = query.where(forecasts.c.source_id == source)
    if document_id is not None:
        query = query.where(forecasts.c.document_id == document_id)
    found = [_forecast(row) for row in conn.execute(query)]
    if holder:
        needle = holder.casefold()
        found = [
            f for f in found if needle in (f.holder or "").casefold() or needle == f.holder_kind
        ]
    return found


def get_forecast(conn: Connection, forecast_id: str) -> Forecast | None:
    row = conn.execute(select(forecasts).where(forecasts.c.id == forecast_id)).first()
    return _forecast(row) if row is not None else None


def resolve_forecast(
    conn: Connection, forecast_id: str, *, outcome: bool, evidence: str, on: date
) -> bool:
    """Record a person's resolution; False when no such forecast exists."""
    done = conn.execute(
        update(forecasts)
        .where(forecasts.c.id == forecast_id)
        .values(status="true" if outcome else "false", evidence=evidence, resolved_on=on)
    )
    return bool(done.rowcount)


# Views of the forecasts register (the dashboard's tabs): "open" (deadline not passed),
# "due" (deadline passed, nobody resolved it yet: reads as expired), "resolved".
FORECAST_VIEWS: tuple[str, ...] = ("open", "due", "resolved")


def _view_clause(view: str, today: date) -> ColumnElement[bool]:
    if view == "open":
        return and_(forecasts.c.status == "open", forecasts.c.deadline >= today)
    if view == "due":
        return and_(forecasts.c.status == "open", forecasts.c.deadline < today)
    if view == "resolved":
        return forecasts.c.status.in_(("true", "false"))
    raise ValueError(f"forecast view {view!r} is not one of {', '.join(FORECAST_VIEWS)}")


class ForecastPage(TypedDict, total=False):
    """Which page of a view of the register: one source's forecasts (None: all), at
    most ``limit`` of them (None: all), after ``offset``."""

    source: str | None
    limit: int | None
    offset: int


def page_forecasts(
    conn: Connection,
    *,
    view: str | None,
    today: date,
    source: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[Forecast], int]:
    """One page of a view of the register (None: every forecast) and how many the view
    holds. Open and due forecasts come soonest deadline first, resolved ones most
    recently resolved first."""
    where = [] if view is None else [_view_clause(view, today)]
    if source is not None:
        where.append(forecasts.c.source_id == source)
    order = (
        (forecasts.c.resolved_on.desc(), forecasts.c.deadline, forecasts.c.id)
        if view == "resolved"
        else (forecasts.c.deadline, forecasts.c.id)
    )
    query = select(forecasts).where(*where).order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    total = conn.execute(select(func.count()).select_from(forecasts).where(*where)).scalar_one()
    return [_forecast(row) for row in conn.execute(query)], int(total)


def forecast_view_counts(conn: Connection, *, today: date) -> dict[str, int]:
    """How many forecasts each view holds."""
    return {
        view: int(
            conn.execute(
                select(func.count()).select_from(forecasts).where(_view_clause(view, today))
            ).scalar_one()
        )
        for view in FORECAST_VIEWS
    }
