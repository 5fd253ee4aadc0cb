"""What extraction finds in a document: actors, places, times, attributions, estimative
judgments and event reports, each with its span; the ICD 203 scale and ACLED's event
types they are coded with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tocsin.models.documents import Span

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


# The kinds of Attribution, the author's own voice last.
ATTRIBUTION_KINDS = (
    "person",
    "organisation",
    "anonymous",
    "unnamed_experts",
    "unnamed_sources",
    "official_statement",
    "author",
)


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
