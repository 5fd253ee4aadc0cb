"""Grouping statements into claims without comparing all pairs.

Each statement is filed in buckets: one per *block* (an actor id, a geonameid, or a
proper name or number of its text; statements that name nothing share one block "*")
and per random-hyperplane hash table (the signs of its vector against ``bits`` random
directions; ``tables`` tables). A new statement is compared only with the statements
of its own buckets, and each bucket keeps its ``bucket_cap`` latest statements, so a
statement costs at most ``tables × blocks × bucket_cap`` comparisons whatever the size
of the index: grouping is linear in the number of statements.

Two statements whose relation is "same" or "opposite" (see
:mod:`tocsin.assess.claims.relation`) join one group (union-find); a group is a
:class:`~tocsin.models.Claim`. Statements sharing neither an actor, a place nor a
name are not candidates of one another unless one of them names nothing: a place-only
statement and an actor-only statement of the same event can stay apart.

Independence inside a claim: statements count once together when they come from the
same source, from copies of one document (``copy_of``), or when one cites the other's
source or both cite the same one (``cites``): circular reporting is one report. Only
the statements that take the claim's first polarity count as corroboration.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable
from datetime import UTC

import numpy as np

from tocsin.assess.claims.relation import SAME, Reading, compatible, judge, negative, reading_of
from tocsin.assess.encoder import DIM, Encoder, Vectors, shared_encoder
from tocsin.models import Claim, Statement
from tocsin.text.fold import fold_same

__all__ = ["ClaimIndex", "independent_sources"]

TABLES = 8
BITS = 4  # per table inside a block
STAR_BITS = 10  # per table in the "*" block, where nothing else narrows the search
BUCKET_CAP = 64
_TLDS = frozenset({"com", "fr", "org", "net", "info", "www", "co", "uk", "io", "int", "news"})
_DETERMINERS = ("l'", "le ", "la ", "les ", "the ", "un ", "une ", "a ")


class ClaimIndex:
    """Statements added incrementally; :meth:`claims` groups them."""

    def __init__(
        self,
        *,
        encoder: Encoder | None = None,
        threshold: float = SAME,
        tables: int = TABLES,
        bits: int = BITS,
        bucket_cap: int = BUCKET_CAP,
        seed: int = 20_251_014,
    ) -> None:
        self._encoder = encoder
        self.threshold = threshold
        self._bits = bits
        rng = np.random.default_rng(seed)
        width = max(bits, STAR_BITS)
        self._planes = rng.standard_normal((tables * width, DIM)).astype(np.float32)
        self._width = width
        self._tables = tables
        self._cap = bucket_cap
        self._statements: list[Statement] = []
        self._readings: list[Reading] = []
        self._vectors: Vectors = np.zeros((0, DIM), dtype=np.float32)
        self._parent: list[int] = []
        self._ids: set[str] = set()
        self._buckets: dict[tuple[str, int, int], deque[int]] = {}
        self._opposites: dict[tuple[int, int], None] = {}
        self.compared = 0  # how many pairs were compared: the cost of grouping

    def __len__(self) -> int:
        return len(self._statements)

    def add(self, statements: Iterable[Statement], *, vectors: Vectors | None = None) -> None:
        """Index ``statements`` (one already indexed, by id, is skipped). ``vectors``: the
        encoder's vectors of their neutral texts, when the caller has them already."""
        fresh: list[Statement] = []
        for statement in statements:
            if statement.id not in self._ids:
                self._ids.add(statement.id)
                fresh.append(statement)
        if not fresh:
            return
        readings = [reading_of(s.text, s.lang) for s in fresh]
        if vectors is None or len(vectors) != len(fresh):
            encoder = self._encoder or shared_encoder()
            vectors = encoder.encode([r.neutral for r in readings])
        signs = (vectors @ self._planes.T > 0).reshape(len(fresh), self._tables, self._width)
        first = len(self._statements)
        self._statements += fresh
        self._readings += readings
        self._grow(first + len(fresh))
        self._vectors[first : first + len(fresh)] = vectors
        self._parent += list(range(first, first + len(fresh)))
        for offset, statement in enumerate(fresh):
            self._place(first + offset, statement, readings[offset], signs[offset])

    def _grow(self, size: int) -> None:
        """Room for ``size`` vectors (capacity doubles: adding one at a time stays linear)."""
        if size > len(self._vectors):
            grown = np.zeros((max(size, 2 * len(self._vectors), 64), DIM), dtype=np.float32)
            grown[: len(self._vectors)] = self._vectors
            self._vectors = grown

    def _place(self, i: int, statement: Statement, reading: Reading, signs: np.ndarray) -> None:
        candidates: set[int] = set()
        for key in _bucket_keys(statement, reading, signs, self._bits, query=True):
            if (found := self._buckets.get(key)) is not None:
                candidates.update(found)
        if candidates and not reading.empty:
            order = sorted(candidates)
            cosines = self._vectors[order] @ self._vectors[i]
            self.compared += len(order)
            for j, cosine in zip(order, cosines.tolist(), strict=True):
                if cosine < self.threshold:
                    continue
                other, other_reading = self._statements[j], self._readings[j]
                if other_reading.empty or not compatible(other, statement, other_reading, reading):
                    continue
                verdict = judge(
                    other, statement, other_reading, reading, cosine, threshold=self.threshold
                )
                if verdict != "different":
                    self._union(j, i)
                if verdict == "opposite":
                    self._opposites[(j, i)] = None
        for key in _bucket_keys(statement, reading, signs, self._bits, query=False):
            if (bucket := self._buckets.get(key)) is None:
                bucket = self._buckets[key] = deque(maxlen=self._cap)
            bucket.append(i)

    def _find(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def claims(self) -> list[Claim]:
        """Every group of statements as a claim, the most corroborated first."""
        groups: dict[int, list[int]] = {}
        for i in range(len(self._statements)):
            groups.setdefault(self._find(i), []).append(i)
        opposed = {self._find(a) for a, _ in self._opposites}
        out = []
        for root, members in groups.items():
            members.sort(key=lambda k: _order(self._statements[k]))
            statements = tuple(self._statements[k] for k in members)
            polarity = negative(statements[0], self._readings[members[0]])
            backing = [
                self._statements[k]
                for k in members
                if negative(self._statements[k], self._readings[k]) == polarity
            ]
            stances = {s.stance for s in statements}
            contradicted = root in opposed or {"affirms", "denies"} <= stances
            out.append(
                Claim(
                    id="claim-" + _digest(statements[0].id),
                    statements=statements,
                    independent=independent_sources(backing),
                    contradicted=contradicted,
                )
            )
        out.sort(key=lambda c: (-c.independent, -len(c.statements), c.id))
        return out

    def contradictions(self) -> list[tuple[Statement, Statement]]:
        """Pairs of statements found to take opposite stances on one proposition, the
        earlier-published first in each pair."""
        out = []
        for a, b in self._opposites:
            sa, sb = self._statements[a], self._statements[b]
            out.append((sa, sb) if _order(sa) <= _order(sb) else (sb, sa))
        out.sort(key=lambda pair: (_order(pair[0]), _order(pair[1])))
        return out


def _grid(values: Iterable[str], *, query: bool) -> list[str]:
    """One dimension (actors or places) of the blocks. Filed under its values and "*"
    (any), or "-" (none) and "*"; looked up under its values and "-", or "*" when it has
    none: a lookup meets exactly the statements this dimension leaves compatible."""
    found = sorted(values)
    if query:
        return [*found, "-"] if found else ["*"]
    return [*found, "*"] if found else ["-", "*"]


def _bucket_keys(
    statement: Statement, reading: Reading, signs: np.ndarray, bits: int, *, query: bool
) -> list[tuple[str, int, int]]:
    """The buckets a statement is filed under (``query`` False) or looks in (True)."""
    actors = _grid(statement.actors, query=query)
    places = _grid((str(p) for p in statement.places), query=query)
    blocks = [f"{a}|{p}" for a in actors for p in places]
    names = sorted(n for n in reading.names if not n.isdigit())
    if query and blocks == ["*|*"] and names:
        blocks = []  # names nothing the extractor knows: look by proper names
    if not query or not blocks:
        blocks += [f"n:{n}" for n in names]
    keys: list[tuple[str, int, int]] = []
    powers = 1 << np.arange(signs.shape[1], dtype=np.int64)
    for table, row in enumerate(signs):
        narrow = int(row[:bits] @ powers[:bits])
        wide = int(row @ powers)
        keys += [(b, table, wide if b == "*|*" else narrow) for b in blocks]
    if query and not blocks:
        keys += [("*|*", table, int(row @ powers)) for table, row in enumerate(signs)]
    return keys


def independent_sources(statements: Iterable[Statement]) -> int:
    """How many independent sources ``statements`` come from: the same source, copies of
    one document, and sources citing one another (or one same source) count once."""
    items = list(statements)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, statement in enumerate(items):
        keys = {f"doc:{statement.copy_of or statement.document_id}"}
        keys |= {f"src:{k}" for k in _source_keys(statement.source_id)}
        keys |= {f"src:{k}" for c in statement.cites if (k := _compact(c))}
        for key in keys:
            if key in owner:
                a, b = find(owner[key]), find(i)
                parent[max(a, b)] = min(a, b)
            else:
                owner[key] = i
    return len({find(i) for i in range(len(items))})


def _compact(name: str) -> str:
    """A source or cited name reduced to its letters: "l'AFP" -> "afp"."""
    name = fold_same(name.strip())
    for determiner in _DETERMINERS:
        if name.startswith(determiner):
            name = name[len(determiner) :]
            break
    return "".join(ch for ch in name if ch.isalnum())


def _source_keys(source_id: str) -> set[str]:
    """The source id itself and its name without the domain suffix ("rfi-fr" -> "rfi")."""
    parts = [p for p in fold_same(source_id).replace(".", "-").split("-") if p]
    while len(parts) > 1 and parts[-1] in _TLDS:
        parts.pop()
    return {k for k in (_compact(source_id), "".join(parts)) if k}


def _order(statement: Statement) -> tuple[float, str]:
    published = statement.published
    if published is None:
        return (float("inf"), statement.id)
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    try:
        return (published.timestamp(), statement.id)
    except (OverflowError, OSError, ValueError):
        return (float("inf"), statement.id)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]
