"""What assessment makes of many documents: statements, claims across sources and
forecasts to be scored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tocsin.models.documents import Span


@dataclass(frozen=True, slots=True)
class Statement:
    """One document's assertion of a proposition: a claim sentence with its stance.

    ``stance`` is "affirms", "denies" or "forecasts". ``actors`` (actor ids),
    ``places`` (geonameids) and ``times`` (TimeRef values) are what the sentence names.
    ``copy_of`` is the document this one copies (near-duplicate); ``cites`` the sources
    (outlet ids or names) it says it relies on. Both limit independent corroboration.
    """

    id: str
    document_id: str
    source_id: str
    span: Span
    text: str
    lang: str | None
    stance: str
    actors: frozenset[str] = frozenset()
    places: frozenset[int] = frozenset()
    times: frozenset[str] = frozenset()
    attribution: str = "author"  # the Attribution kind of the sentence
    copy_of: str | None = None
    cites: frozenset[str] = frozenset()
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """Statements from different documents that assert the same proposition.

    ``independent`` counts the sources that corroborate it independently (copies, the
    same outlet and sources citing one another count once); ``contradicted`` is true
    when statements take opposite stances.
    """

    id: str
    statements: tuple[Statement, ...]
    independent: int = 1
    contradicted: bool = False


@dataclass(frozen=True, slots=True)
class Forecast:
    """A judgment about the future with a deadline, registered so that it can be scored.

    ``status`` is "open", "true" or "false" (resolved by a person, with ``evidence``);
    an open forecast past its deadline reads as "expired" (see :meth:`state`). The
    forecast probability is the middle of the judgment's band.
    """

    id: str
    document_id: str
    source_id: str
    span: Span
    proposition: str
    holder_kind: str
    holder: str | None
    label: str
    low: float
    high: float
    deadline: date
    made_on: date | None = None
    status: str = "open"
    resolved_on: date | None = None
    evidence: str | None = None

    @property
    def probability(self) -> float:
        return (self.low + self.high) / 2

    def state(self, today: date) -> str:
        """open, true, false, or expired (open past its deadline)."""
        if self.status == "open" and self.deadline < today:
            return "expired"
        return self.status
