"""Forecasts: registered from judgments (upsert that keeps a person's resolution),
listed by deadline, holder or source, and resolved."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, insert, select, update

from tocsin.models import Forecast, Span
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


def _forecast(row: object) -> Forecast:
    r = row._mapping  # type: ignore[attr-defined]
    return Forecast(
        id=r["id"],
        document_id=r["document_id"],
        source_id=r["source_id"],
        span=Span(r["document_id"], r["part"], r["start"], r["end"]),
        proposition=r["proposition"],
        holder_kind=r["holder_kind"],
        holder=r["holder"],
        label=r["label"],
        low=r["low"],
        high=r["high"],
        deadline=r["deadline"],
        made_on=r["made_on"],
        status=r["status"],
        resolved_on=r["resolved_on"],
        evidence=r["evidence"],
    )


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
