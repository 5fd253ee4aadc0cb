"""Central objects: frozen dataclasses, plain values, no I/O.

Stages pass these between them; ``store/`` maps them to tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Kind(StrEnum):
    """What a source publishes."""

    ANALYSIS = "analysis"
    NEWS = "news"
    OFFICIAL = "official"
    SOCIAL = "social"
    COMMENT = "comment"


class Precision(StrEnum):
    """How precise a date is. No date is better than an invented one."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Source:
    """An outlet or author. Reliability is the Admiralty letter A–F (F: cannot be judged)."""

    id: str
    name: str
    domain: str | None = None
    kind: Kind = Kind.NEWS
    language: str | None = None
    reliability: str = "F"
    reliability_reason: str = "no record of this source yet"


@dataclass(frozen=True, slots=True)
class Comment:
    """A reader comment, kept apart from the article. ``parent_id`` builds reply threads."""

    id: str
    text: str
    parent_id: str | None = None
    author: str | None = None
    posted: datetime | None = None
    posted_precision: Precision | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One article, page, statement or post, with its comments.

    ``id`` is stable: derived from the normalised content hash, so ingesting the
    same content twice yields the same id. ``duplicate_of`` links a near-copy
    (syndicated or lightly edited) to the document it copies.
    """

    id: str
    source: Source
    text: str
    content_hash: str
    fetched_at: datetime
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_precision: Precision | None = None
    language: str | None = None
    kind: Kind = Kind.NEWS
    comments: tuple[Comment, ...] = ()
    duplicate_of: str | None = None
    origin: str = ""  # where it came from: URL, file path, "stdin", feed URL


@dataclass(frozen=True, slots=True)
class Span:
    """Where a fact comes from: a part of a document (``body`` or a comment id) and offsets."""

    document_id: str
    part: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """What a parser found in one input, before identity, dedup and language are settled."""

    text: str
    origin: str
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_precision: Precision | None = None
    site_name: str | None = None
    language: str | None = None
    comments: tuple[Comment, ...] = ()
    hints: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- annotations
#
# What extraction finds in a document. Every annotation carries its ``span``; offsets
# index the text of that part (``span.part`` is "body" or a comment id).


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor named in the text, resolved to the knowledge base.

    ``actor_id`` is a canonical id from ``knowledge/actors.toml`` or, for a generic
    phrase ("des hommes armés non identifiés"), the id of a country-specific generic
    actor ("unidentified-armed-group-mali"); ``name`` is its display (ACLED) name.
    """

    span: Span
    surface: str
    actor_id: str
    name: str
    inter: int
    generic: bool = False
    descriptive: bool = False
    acled: str = ""  # the ACLED actor name


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place named in the text: resolved to a gazetteer entry, or explicitly not.

    ``precision`` is ACLED's geo_precision: 1 the named town or village, 2 near a town
    or a part of a region ("30 km au nord de Gao"), 3 only a larger region or a
    country. A relative location keeps its anchor town (``geonameid``/``lat``/``lon``
    are the anchor's) with ``offset_km`` and ``direction`` (N, NE, E, ... or None).
    ``reason`` says why this candidate won, or why nothing was chosen.
    """

    span: Span
    surface: str
    resolved: bool
    geonameid: int | None = None
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    kind: str | None = None  # country, region, town, natural
    precision: int | None = None
    offset_km: float | None = None
    direction: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A date or a forecast horizon, normalised against the publication date.

    ``value`` is ISO: a day "2025-10-14", a week "2025-W42", a month "2025-10", a year
    "2025", or an interval "2025-10-15/2026-04-15". ``start``/``end`` bound it (end
    inclusive); for a horizon ("d'ici six mois") ``end`` is the deadline.
    """

    span: Span
    surface: str
    kind: str  # "date" or "horizon"
    value: str
    start: date | None
    end: date | None
    precision: str  # day, week, month, year
    relative: bool = False  # computed from the publication date ("hier", "next week")


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who says a claim. ``kind``: person, organisation, anonymous, unnamed_experts,
    unnamed_sources, official_statement, author. ``cue`` is the span of the words that
    attribute ("selon une source sécuritaire", "a déclaré"); None for the author's voice.
    """

    span: Span  # the claim
    kind: str
    cue: Span | None = None
    source: str | None = None  # "Abdoulaye Diop", "l'ONU", "une source sécuritaire"
    role: str | None = None  # "ministre des Affaires étrangères"


# The ICD 203 likelihood scale (../shared/REFERENCE.md): each term with its band, lowest
# first. A Judgment's label is one of these terms.
ICD_203: tuple[tuple[str, float, float], ...] = (
    ("almost no chance", 0.01, 0.05),
    ("very unlikely", 0.05, 0.20),
    ("unlikely", 0.20, 0.45),
    ("roughly even chance", 0.45, 0.55),
    ("likely", 0.55, 0.80),
    ("very likely", 0.80, 0.95),
    ("almost certain", 0.95, 0.99),
)
ICD_LABELS: tuple[str, ...] = tuple(term for term, _low, _high in ICD_203)


@dataclass(frozen=True, slots=True)
class Judgment:
    """An estimative judgment: a proposition held with a likelihood.

    ``low``/``high`` bound the probability (ICD 203 band of the cue, after negation and
    comparison); ``label`` is the ICD 203 term ("likely", "very unlikely", ...).
    ``holder_kind`` is an :class:`Attribution` kind (``author`` for the writer's own
    judgment); ``deadline`` comes from an explicit date or a horizon of the sentence;
    ``condition`` is the span of "if X" / "X entraînerait" when the judgment is
    conditional; ``trend`` is "rises" or "falls" for "the longer ..., the more likely".
    ``future`` tells a forecast (about what will happen) from a judgment about the
    present or the past ("il est probable que les otages soient détenus à Kidal").
    """

    span: Span  # the sentence or clause holding the judgment
    proposition: Span  # what is judged, without the cue
    cue: Span
    cue_text: str
    low: float
    high: float
    label: str
    negated: bool = False
    holder_kind: str = "author"
    holder: str | None = None
    condition: Span | None = None
    trend: str | None = None
    deadline: date | None = None
    timeframe: str | None = None  # the TimeRef value the deadline comes from
    future: bool = True


@dataclass(frozen=True, slots=True)
class Annotations:
    """Everything extraction found in one document (body and comments)."""

    document_id: str
    extractor_version: str
    languages: dict[str, str] = field(default_factory=dict)  # part -> language used
    actors: tuple[ActorRef, ...] = ()
    places: tuple[PlaceRef, ...] = ()
    times: tuple[TimeRef, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    judgments: tuple[Judgment, ...] = ()


AnnotationRef = ActorRef | PlaceRef | TimeRef | Attribution | Judgment
ANNOTATION_KINDS: dict[str, type[AnnotationRef]] = {
    "actor": ActorRef,
    "place": PlaceRef,
    "time": TimeRef,
    "attribution": Attribution,
    "judgment": Judgment,
}
_SPAN_FIELDS = frozenset({"span", "cue", "proposition", "condition"})
_DATE_FIELDS = frozenset({"start", "end", "deadline"})


def annotation_kind(ref: AnnotationRef) -> str:
    """ "actor", "place", "time" or "attribution"."""
    for kind, cls in ANNOTATION_KINDS.items():
        if isinstance(ref, cls):
            return kind
    raise TypeError(f"not an annotation: {ref!r}")


def annotation_to_plain(ref: AnnotationRef) -> dict[str, object]:
    """An annotation as JSON-ready values: ``type`` (actor, place, time, attribution),
    ``part``, spans as [start, end], dates as ISO text, then the fields."""
    plain: dict[str, object] = {"type": annotation_kind(ref)}
    for name in ref.__slots__:
        value = getattr(ref, name)
        if isinstance(value, Span):
            plain["part"] = value.part
            plain[name] = [value.start, value.end]
        elif isinstance(value, date):
            plain[name] = value.isoformat()
        else:
            plain[name] = value
    return plain


def annotation_from_plain(document_id: str, plain: dict[str, object]) -> AnnotationRef:
    """The inverse of :func:`annotation_to_plain`."""
    cls = ANNOTATION_KINDS[str(plain["type"])]
    part = str(plain["part"])
    values: dict[str, object] = {}
    for name in cls.__slots__:
        if name not in plain:
            continue
        value = plain[name]
        if name in _SPAN_FIELDS:
            if isinstance(value, (list, tuple)):
                value = Span(document_id, part, int(value[0]), int(value[1]))
        elif name in _DATE_FIELDS and isinstance(value, str):
            value = date.fromisoformat(value)
        values[name] = value
    return cls(**values)  # type: ignore[arg-type]


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
