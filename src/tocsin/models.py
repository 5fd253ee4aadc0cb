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


# ACLED's disorder type of each event type (../shared/REFERENCE.md; ACLED codebook).
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
# Tags Tocsin adds where ACLED has no sub-type of its own.
EVENT_TAGS: tuple[str, ...] = (
    "blockade",
    "checkpoint",
    "convoy",
    "supplies",
    "coup",
    "negotiation",
    "deployment",
    "withdrawal",
)


def disorder_type(event_type: str, sub_event_type: str = "") -> str:
    """ACLED's disorder type: political violence, demonstrations, or strategic developments
    ("Excessive force against protesters" counts as both violence and a demonstration)."""
    if event_type in {"Protests", "Riots"}:
        if sub_event_type == "Excessive force against protesters":
            return "Political violence; Demonstrations"
        return "Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    return "Political violence"


@dataclass(frozen=True, slots=True)
class EventReport:
    """One clause that reports an event as having happened, coded the ACLED way.

    ``span`` is the clause, ``trigger`` the words that name the event ("ont attaqué",
    "ambushed"). Actors are actor ids (``knowledge/actors.toml`` or generic ids) with
    their ACLED names and inter codes; ``assoc_actor_1``/``assoc_actor_2`` hold ids of
    actors on the same side. The place is the clause's (or its context's) resolved
    place: ``geonameid``/``lat``/``lon`` with ACLED ``geo_precision`` (1 town, 2 near a
    town or part of a region, 3 region or country); ``time_precision`` is 1 day, 2 week,
    3 month. ``fatalities`` is the best figure (None: not reported; 0: "no casualties"),
    ``fatalities_low``/``fatalities_high`` bound it ("at least three": low 3, high
    None). ``holder_kind`` is the Attribution kind of the clause (author, anonymous, ...).
    """

    span: Span
    trigger: Span
    trigger_text: str
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    actor1_name: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    actor2_name: str | None = None
    inter2: int | None = None
    assoc_actor_1: tuple[str, ...] = ()
    assoc_actor_2: tuple[str, ...] = ()
    location: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    geo_precision: int | None = None
    event_date: date | None = None
    time_precision: int | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    fatalities_text: str | None = None
    tags: tuple[str, ...] = ()
    holder_kind: str = "author"


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
    events: tuple[EventReport, ...] = ()


AnnotationRef = ActorRef | PlaceRef | TimeRef | Attribution | Judgment | EventReport
ANNOTATION_KINDS: dict[str, type[AnnotationRef]] = {
    "actor": ActorRef,
    "place": PlaceRef,
    "time": TimeRef,
    "attribution": Attribution,
    "judgment": Judgment,
    "event": EventReport,
}
_SPAN_FIELDS = frozenset({"span", "cue", "proposition", "condition", "trigger"})
_DATE_FIELDS = frozenset({"start", "end", "deadline", "event_date"})
_TUPLE_FIELDS = frozenset({"assoc_actor_1", "assoc_actor_2", "tags"})


def annotation_kind(ref: AnnotationRef) -> str:
    """ "actor", "place", "time", "attribution", "judgment" or "event"."""
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
        elif isinstance(value, tuple):
            plain[name] = list(value)
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
        elif name in _TUPLE_FIELDS and isinstance(value, list):
            value = tuple(value)
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


@dataclass(frozen=True, slots=True)
class SourcedReport:
    """An event report with what merging needs to know about where it comes from.

    ``id`` is stable: the document, the part and the clause's start. ``copy_of`` is the
    document this one copies; ``reliability`` the source's Admiralty letter; ``quote``
    the clause's text.
    """

    id: str
    report: EventReport
    source_id: str
    kind: Kind = Kind.NEWS
    reliability: str = "F"
    copy_of: str | None = None
    published: datetime | None = None
    quote: str = ""

    @property
    def document_id(self) -> str:
        return self.report.span.document_id


@dataclass(frozen=True, slots=True)
class Event:
    """Reports of one event merged across documents, coded the ACLED way.

    The coded fields are those of the best report (see ``assess/merge.py``);
    ``fatalities`` is the best figure over the reports, ``fatalities_low`` and
    ``fatalities_high`` the lowest and highest reported. ``status``: "reported" (one
    independent source), "corroborated" (two), "confirmed" (an official or highly graded
    source, or three). ``id`` stays the same when reports join or the event is
    re-merged. ``layer`` is "tocsin" for Tocsin's own events and "acled" for events
    imported from an ACLED export, kept apart as a reference layer.
    """

    id: str
    event_type: str
    sub_event_type: str
    event_date: date | None
    time_precision: int | None
    actor1: str | None = None
    actor1_name: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    actor2_name: str | None = None
    inter2: int | None = None
    assoc_actor_1: tuple[str, ...] = ()
    assoc_actor_2: tuple[str, ...] = ()
    location: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    tags: tuple[str, ...] = ()
    status: str = "reported"
    independent: int = 1
    reports: tuple[SourcedReport, ...] = ()
    notes: str = ""
    layer: str = "tocsin"
    source: str = ""  # the sources, as ACLED's "source" column ("Le Sahélien; RFI")

    @property
    def disorder_type(self) -> str:
        return disorder_type(self.event_type, self.sub_event_type)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What ``events list``, ``export`` and the event table select. Empty fields select
    everything.

    ``country`` is an ISO 3166-1 alpha-2 code or a country name; ``event_type`` matches
    an event type or a sub-event type; ``actor`` an actor id or a part of an actor's
    name (actor1, actor2 or associated); dates bound ``event_date`` (inclusive).
    ``limit`` and ``offset`` page through the matches in their order (newest first).
    """

    country: str | None = None
    admin1: str | None = None
    since: date | None = None
    until: date | None = None
    event_type: str | None = None
    actor: str | None = None
    status: str | None = None
    layer: str = "tocsin"
    limit: int | None = None
    offset: int = 0
