"""The gazetteer's local index: a SQLite cache file of places and their name keys.

It is separate from Tocsin's database (a cache rebuilt from the gazetteer's sources, see
``tocsin.geo.gazetteer``), so it uses plain ``sqlite3``; every SQL statement it needs
is here. Keys and ranks are computed by the caller: this module only stores and fetches.

- ``GazetteerIndex.build(path, fingerprint)`` writes a new index in a partial file, then
  puts it in place atomically; ``GazetteerIndex.open(path, fingerprint)`` opens an index
  whose fingerprint matches, or returns None.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple, TypeAlias

SCHEMA_VERSION = "4"  # 2: short names of countries ("Russie"); 3: keys fold "œ" as "oe";
# 4: points of countries and first-level subdivisions, extra names, continents and oceans

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL, lon REAL, fclass TEXT NOT NULL,
  fcode TEXT NOT NULL, country TEXT NOT NULL, admin1_code TEXT NOT NULL, admin1 TEXT,
  population INTEGER NOT NULL, kind TEXT NOT NULL, tier INTEGER NOT NULL);
CREATE TABLE names (key TEXT NOT NULL, loose TEXT NOT NULL, id INTEGER NOT NULL,
  alt INTEGER NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX names_loose ON names (loose);
CREATE INDEX names_id ON names (id);
CREATE INDEX places_adm1 ON places (country, admin1_code) WHERE fcode = 'ADM1';
"""
_CANDIDATES = (
    "SELECT p.id, p.name, p.lat, p.lon, p.country, p.admin1, p.kind, p.fcode,"
    " p.population, p.tier, min(n.alt) FROM names n JOIN places p ON p.id = n.id"
    " WHERE n.{} = ? GROUP BY p.id"
)


# Plain tuples (no NamedTuple): a build writes millions of them.
PlaceRecord: TypeAlias = tuple[
    int, str, float | None, float | None, str, str, str, str, str | None, int, str, int
]
"""One row of ``places``: id, name, lat, lon, fclass, fcode, country, admin1_code, admin1,
population, kind, tier (``kind`` and ``tier`` computed by the caller)."""

NameRecord: TypeAlias = tuple[str, str, int, int]
"""One row of ``names``: strict key, loose (variant) key, place id, alt (0 for the place's
own name, 1 for an alternate)."""


class Candidate(NamedTuple):
    """A place found by a name key; ``alt`` is 0 when one of its own names matched."""

    id: int
    name: str
    lat: float | None
    lon: float | None
    country: str
    admin1: str | None
    kind: str
    fcode: str
    population: int
    tier: int
    alt: int


class GazetteerIndex:
    """An open index file. Get one from ``open`` or ``build``, never from the constructor."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path, fingerprint: str) -> GazetteerIndex | None:
        """The index at ``path`` if it exists and was built with ``fingerprint``; None when
        it is missing, damaged or from other sources (build it again)."""
        if not path.exists():
            return None
        db = sqlite3.connect(path)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row and row[0] == fingerprint:
            return cls(db, path)
        db.close()
        return None

    @classmethod
    def connect(cls, path: Path) -> GazetteerIndex:
        """The index at ``path``, unchecked: for one ``build`` has just written."""
        return cls(sqlite3.connect(path), path)

    @classmethod
    @contextmanager
    def build(cls, path: Path, fingerprint: str) -> Iterator[GazetteerIndex]:
        """Write a new index: fill the one yielded (a single transaction), and on leaving the
        block it gets its fingerprint and secondary indexes, then replaces ``path``.
        The yielded index is closed on leaving; open ``path`` to query it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + f".{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        db = sqlite3.connect(partial)
        try:
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
            with db:
                yield cls(db, partial)
                db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
            db.executescript(_INDEXES + "ANALYZE;")
        finally:
            db.close()
        os.replace(partial, path)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit what the block wrote, or roll it back if it raises."""
        with self._db:
            yield

    def close(self) -> None:
        self._db.close()

    def count(self) -> int:
        """Number of places."""
        return int(self._db.execute("SELECT count(*) FROM places").fetchone()[0])

    def candidates(self, key: str, *, loose: bool = False) -> list[Candidate]:
        """Places with a name whose strict key (or, with ``loose``, variant key) is ``key``;
        one row per place, unordered."""
        rows = self._db.execute(_CANDIDATES.format("loose" if loose else "key"), (key,))
        return [Candidate(*row) for row in rows.fetchall()]

    def insert_places(
        self,
        places: Sequence[PlaceRecord],
        names: Iterable[NameRecord] = (),
        *,
        replace: bool = False,
    ) -> None:
        """Add places and names. With ``replace``, a place with the same id is replaced and
        its former names dropped; otherwise existing places and names are kept."""
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        if replace:
            self._db.executemany("DELETE FROM names WHERE id = ?", [(p[0],) for p in places])
        self._db.executemany(f"{verb} INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
        self.add_names(names)

    def add_names(self, names: Iterable[NameRecord]) -> None:
        """Add names to places; a key a place already has is kept as it is."""
        self._db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?)", names)

    def has_place(self, place_id: int) -> bool:
        return (
            self._db.execute("SELECT 1 FROM places WHERE id = ?", (place_id,)).fetchone()
            is not None
        )

    def rename_place(self, place_id: int, name: str) -> None:
        self._db.execute("UPDATE places SET name = ? WHERE id = ?", (name, place_id))

    def admin1_name(self, country: str, admin1_code: str) -> str | None:
        """Name of the ADM1 place of ``country`` with ``admin1_code``, if there is one."""
        found = self._db.execute(
            "SELECT name FROM places WHERE fcode = 'ADM1' AND country = ? AND admin1_code = ?",
            (country, admin1_code),
        ).fetchone()
        return str(found[0]) if found else None

    def find_adm1(self, country: str, key: str) -> int | None:
        """Id of an ADM1 place of ``country`` with a name whose strict key is ``key``."""
        found = self._db.execute(
            "SELECT p.id FROM names n JOIN places p ON p.id = n.id WHERE n.key = ?"
            " AND p.country = ? AND p.fcode = 'ADM1' LIMIT 1",
            (key, country),
        ).fetchone()
        return int(found[0]) if found else None
