"""What every query module shares about column values.

Datetimes are stored in UTC; SQLite drops the offset, so :func:`utc` puts it back on
reading. :func:`row_of` makes the row that stores an object: each column the attribute
of the same name, but for the columns given (JSON text, computed times); :func:`object_of`
reads it back the same way. Long lists of
ids go into ``IN (...)`` in :func:`chunks` of :data:`CHUNK`, well under every backend's
parameter limit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

CHUNK = 500  # ids per IN (...) list
T = TypeVar("T")
D = TypeVar("D", bound="DataclassInstance")


def utc(value: datetime | None) -> datetime | None:
    """A stored datetime with its UTC offset (None stays None)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most :data:`CHUNK`, for ``IN (...)`` lists."""
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def row_of(item: object, table: Table, **columns: object) -> dict[str, object]:
    """The row of ``table`` that stores ``item``: each column the attribute of ``item``
    of the same name, but for the ``columns`` given (values encoded for the database)."""
    names = [column.name for column in table.columns]
    if unknown := set(columns) - set(names):
        raise ValueError(f"{table.name} has no column(s) {', '.join(sorted(unknown))}")
    return {name: columns[name] if name in columns else getattr(item, name) for name in names}


def object_of(cls: type[D], row: Any, **decoded: object) -> D:
    """The ``cls`` (a dataclass) that ``row`` stores: each field the column of the same
    name, but for the ``decoded`` values given; a field with no such column keeps its
    default."""
    names = [field.name for field in fields(cls)]
    if unknown := set(decoded) - set(names):
        raise ValueError(f"{cls.__name__} has no field(s) {', '.join(sorted(unknown))}")
    stored = row._mapping
    values = {
        name: decoded[name] if name in decoded else stored[name]
        for name in names
        if name in decoded or name in stored
    }
    return cls(**values)
