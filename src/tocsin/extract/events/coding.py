"""Coding of one event report: the ACLED fields of a clause that reports an event — type
and sub-event type, the two sides, place, date, fatalities, tags and whose claim it is.

:mod:`tocsin.extract.events.reports` picks the clauses and their main trigger and hands
them over with what the other extractors found in the part (:class:`PartContext`). The
sides come from the actors around the trigger, read by voice (``roles.py``); the target
(civilians or an armed side, else the target words) chooses between a class's civilian
and armed codes; place and date come from the clause, else from the sentence, else from
the paragraph's previous sentences or the publication date (time precision 2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tocsin.extract.actors import ActorMatcher
from tocsin.extract.events.fatalities import Fatalities
from tocsin.extract.events.lexicon import LanguageRules, Trigger, TriggerClass
from tocsin.extract.events.naming import NamedSide, name_side
from tocsin.extract.events.roles import Sides, assign_sides
from tocsin.models import (
    ActorRef,
    Attribution,
    EventReport,
    Judgment,
    PlaceRef,
    Span,
    TimeRef,
)

__all__ = [
    "Clause",
    "GenericActor",
    "PartContext",
    "clause_tags",
    "code_report",
    "has_cue",
]

_PRECISION = {"day": 1, "week": 2, "month": 3}
# A generic actor stands in for a side nobody names, by what happened.
_FALLBACK_AGENT = {
    "attack": "armed-group",
    "kill": "armed-group",
    "abduct": "armed-group",
    "sexual": "armed-group",
    "ied": "armed-group",
    "suicide": "armed-group",
    "grenade": "armed-group",
    "loot": "armed-group",
    "airstrike": "military",
    "arrest": "police",
    "protest": "protesters",
    "riot": "rioters",
    "mob": "rioters",
}

# sub-event types whose unnamed object ACLED codes as the civilians of the country
# (not arrests: officers arrested in a coup plot are no civilians)
_CIVILIAN_OBJECTS = frozenset({"Looting/property destruction"})

GenericActor = Callable[[str], ActorRef | None]  # kind -> the document country's generic


@dataclass(frozen=True, slots=True)
class PartContext:
    """What the other extractors found in one part, and the document's settings."""

    document_id: str
    part: str
    published: datetime | None
    actors: Sequence[ActorRef]
    places: Sequence[PlaceRef]
    times: Sequence[TimeRef]
    attributions: Sequence[Attribution]
    judgments: Sequence[Judgment]
    generic: GenericActor
    focus: PlaceRef | None = None  # the document's country, as a place
    country: str | None = None  # the document's country (ISO2) when no place says it
    naming: ActorMatcher | None = None  # ACLED's naming conventions (None: names as found)


@dataclass(slots=True)
class Clause:
    """A stretch of one sentence that events are read from (offsets in the part's text)."""

    start: int
    end: int
    sentence: int  # index of its sentence
    paragraph: int


def has_cue(pattern: re.Pattern[str] | None, text: str, start: int, end: int) -> bool:
    """Whether the pattern (None: the language has no such cue) matches in text[start:end]."""
    return pattern is not None and pattern.search(text, start, end) is not None


def code_report(
    trigger: Trigger,
    pivot: Trigger,
    clause: Clause,
    clauses: list[Clause],
    kill: Fatalities | None,
    text: str,
    folded: str,
    rules: LanguageRules,
    context: PartContext,
    classes: dict[str, TriggerClass],
    previous: EventReport | None,
) -> EventReport | None:
    """The report of ``clause``, coded from its main ``trigger``; ``pivot`` is the verb the
    sides are read around (the trigger itself unless it is a noun after a verb) and
    ``previous`` the last report of the same paragraph (whose actor "they" may name)."""
    cues = _cue_spans(context.attributions)
    actors = [
        a
        for a in context.actors
        if clause.start <= a.span.start < clause.end
        and not (a.span.start < trigger.end and a.span.end > trigger.start)
        and not any(s <= a.span.start < e for s, e in cues)
    ]
    sides = assign_sides(pivot, actors, folded, clause.start, clause.end, rules)
    cls = _reclass(trigger.cls, sides, classes)
    if (
        cls.name in ("clash", "kill", "attack")
        and has_cue(rules.air, folded, clause.start, clause.end)
        and not has_cue(rules.combat, folded, clause.start, clause.end)
    ):  # an air strike, unless the aircraft supported fighting on the ground
        cls = classes.get("airstrike", cls)
    event_type, sub = _code(cls, sides, folded, clause, rules)
    if cls.name == "protest":
        same = [c for c in clauses if c.sentence in (clause.sentence, clause.sentence + 1)]
        whole = Clause(clause.start, same[-1].end, clause.sentence, clause.paragraph)
        event_type, sub = _protest(folded, whole, rules, kill)
    agent, assoc1 = sides.agent, sides.agent_assoc
    target, assoc2 = sides.target, sides.target_assoc
    place = _place(clause, clauses, context)
    when, precision = _date(clause, clauses, context)
    # generics stand for the event's country: its clause's place's, else the document's
    country = _event_country(place, clause, context)

    def generic(kind: str) -> ActorRef | None:
        naming = context.naming
        if naming is None or not country or country == context.country:
            return context.generic(kind)
        found = naming.generic(kind, country=country, when=when)
        if found is None:
            return context.generic(kind)
        return ActorRef(
            span=Span(context.document_id, context.part, 0, 0), surface="",
            actor_id=found.actor_id, name=found.name, inter=found.inter, generic=True,
            acled=found.acled,
        )  # fmt: skip

    if cls.name == "protest" and sub != "Peaceful protest" and target is None:
        # the forces that intervened, often in the next clause ("la police les a dispersés")
        forces = [a for a in context.actors if a.inter == 1 and a.span.start >= clause.start]
        target = forces[0] if forces else generic("police")
    if (
        agent is None
        and previous is not None
        and previous.actor1 is not None
        and has_cue(rules.anaphor, folded, clause.start, trigger.start)
    ):
        # the previous side as the text named it: a katiba coded as its parent included
        named = (previous.actor1, *previous.assoc_actor_1[:1])
        agent = next((a for n in named for a in context.actors if a.actor_id == n), None)
    kind = _FALLBACK_AGENT.get(cls.name)
    if agent is None and kind and not (cls.name == "kill" and target is None):
        agent = generic(kind)
    violent = event_type in ("Battles", "Explosions/Remote violence")
    if target is None and event_type == "Violence against civilians":
        target = generic("civilians")
    elif target is None and violent and agent is not None and agent.inter == 1:
        target = generic("armed-group")  # the forces struck someone unnamed
    elif target is None and event_type == "Explosions/Remote violence" and agent is not None:
        # a bomb or shells on someone unnamed: the civilians or forces the target words say
        civilian = _target_kind(sides, folded, clause, rules, cls) == "civilian"
        target = generic("civilians" if civilian else "military")
    elif target is None and event_type == "Battles" and agent is not None:
        target = generic("military")  # a post, a base, a patrol
    elif agent is None and event_type == "Battles" and target is not None:
        agent = generic("armed-group")
    elif target is None and sub in _CIVILIAN_OBJECTS and agent is not None:
        # ACLED's convention: what is looted, unnamed, belongs to civilians
        target = generic("civilians")
    one, two = NamedSide(agent, assoc1), NamedSide(target, assoc2)
    if context.naming is not None:
        one = name_side(agent, assoc1, context.naming, when=when, country=country)
        two = name_side(target, assoc2, context.naming, when=when, country=country)
    agent, assoc1, target, assoc2 = one.actor, one.assoc, two.actor, two.assoc
    if agent is not None and target is not None and agent.actor_id == target.actor_id:
        target = None
    tags = clause_tags(folded, clause, rules, cls)
    span = Span(context.document_id, context.part, clause.start, clause.end)
    return EventReport(
        span=span,
        trigger=Span(context.document_id, context.part, trigger.start, trigger.end),
        trigger_text=text[trigger.start : trigger.end],
        event_type=event_type,
        sub_event_type=sub,
        actor1=agent.actor_id if agent else None,
        actor1_name=(agent.acled or agent.name) if agent else None,
        inter1=agent.inter if agent else None,
        actor2=target.actor_id if target else None,
        actor2_name=(target.acled or target.name) if target else None,
        inter2=target.inter if target else None,
        assoc_actor_1=tuple(a.actor_id for a in assoc1),
        assoc_actor_2=tuple(a.actor_id for a in assoc2),
        location=place.name if place else None,
        geonameid=place.geonameid if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        country=place.country if place else context.country,
        admin1=place.admin1 if place else None,
        geo_precision=(place.precision or 3) if place else None,
        event_date=when,
        time_precision=precision,
        fatalities=kill.best if kill else None,
        fatalities_low=kill.low if kill else None,
        fatalities_high=kill.high if kill else None,
        fatalities_text=kill.text if kill else None,
        tags=tags,
        holder_kind=_holder(clause, context.attributions),
    )


def _event_country(place: PlaceRef | None, clause: Clause, context: PartContext) -> str | None:
    """The country generics are named for: that of a town, site or region the clause
    itself names, when the actor knowledge describes that country; else the document's;
    else the home country of the one-country actors the part names."""
    if (
        place is not None
        and place.country
        and context.naming is not None
        and place.kind != "country"  # "near the border with Burkina Faso" places nothing
        and place.country in context.naming.knowledge.countries
        and clause.start <= place.span.start < clause.end
    ):
        return place.country
    if context.country or context.naming is None:
        return context.country
    # no country for the document: that of the national actors it names ("FAMa")
    actors = context.naming.knowledge.actors
    homes = [
        known.countries[0]
        for a in context.actors
        if not a.generic
        and (known := actors.get(a.actor_id)) is not None
        and len(known.countries) == 1
    ]
    return max(homes, key=homes.count) if homes else None


def _cue_spans(attributions: Sequence[Attribution]) -> list[tuple[int, int]]:
    return [(a.cue.start, a.cue.end) for a in attributions if a.cue is not None]


def _reclass(cls: TriggerClass, sides: Sides, classes: dict[str, TriggerClass]) -> TriggerClass:
    """Who acts changes what it is: the army "taking" a town regains it, an armed group
    "arresting" people abducts them, rioters burning things riot."""
    inter = sides.agent.inter if sides.agent else None
    swap = {
        ("capture", 1): "recapture",
        ("recapture", 2): "capture",
        ("recapture", 3): "capture",
        ("arrest", 2): "abduct",
        ("arrest", 3): "abduct",
        ("riot", 1): "loot",
        ("riot", 2): "loot",
        ("riot", 3): "loot",
        ("loot", 5): "riot",
        ("loot", 6): "riot",
    }
    name = swap.get((cls.name, inter or 0))
    return classes.get(name, cls) if name else cls


def _code(
    cls: TriggerClass, sides: Sides, folded: str, clause: Clause, rules: LanguageRules
) -> tuple[str, str]:
    if cls.civilian is None and cls.armed is None:
        return cls.event_type, cls.sub_event_type
    target = _target_kind(sides, folded, clause, rules, cls)
    chosen = cls.civilian if target == "civilian" else cls.armed
    return chosen or (cls.event_type, cls.sub_event_type)


def _target_kind(
    sides: Sides, folded: str, clause: Clause, rules: LanguageRules, cls: TriggerClass
) -> str:
    if sides.target is not None:
        return "civilian" if sides.target.inter == 7 else "armed"
    agent = sides.agent
    # the words after the agent name the target ("FAMa soldiers executed villagers")
    start = clause.start if agent is None else max(clause.start, agent.span.end)

    def first(pattern: re.Pattern[str] | None, lo: int) -> re.Match[str] | None:
        return pattern.search(folded, lo, clause.end) if pattern is not None else None

    armed, civilian = first(rules.armed_targets, start), first(rules.civilian_targets, start)
    if armed is None and civilian is None:  # a passive: the target was named first
        armed = first(rules.armed_targets, clause.start)
        civilian = first(rules.civilian_targets, clause.start)
    if armed and (not civilian or armed.start() < civilian.start()):
        return "armed"
    if civilian:
        return "civilian"
    held = any(
        name == "arrest" and pattern.search(folded, clause.start, clause.end)
        for name, pattern in rules.verbs
    )
    if agent is not None and agent.inter == 1 and cls.name == "kill" and held:
        return "civilian"  # people the forces held (arrested, then killed): in custody
    if agent is not None and agent.inter == 1:
        return "armed"
    if cls.name == "kill" and agent is None:
        return "civilian"
    return cls.default_target or "armed"


def _protest(
    folded: str, clause: Clause, rules: LanguageRules, kill: Fatalities | None
) -> tuple[str, str]:
    if rules.excessive and rules.excessive.search(folded, clause.start, clause.end):
        return "Protests", "Excessive force against protesters"
    if kill is not None and kill.best > 0:
        return "Protests", "Excessive force against protesters"
    if rules.intervention and rules.intervention.search(folded, clause.start, clause.end):
        return "Protests", "Protest with intervention"
    return "Protests", "Peaceful protest"


def clause_tags(
    folded: str, clause: Clause, rules: LanguageRules, cls: TriggerClass
) -> tuple[str, ...]:
    """The tags of the trigger class and of the tag words in the clause, sorted."""
    tags = set(cls.tags)
    for tag, pattern in rules.tags:
        if pattern.search(folded, clause.start, clause.end):
            tags.add(tag)
    return tuple(sorted(tags))


def _holder(clause: Clause, attributions: Sequence[Attribution]) -> str:
    for a in attributions:
        if a.span.start < clause.end and a.span.end > clause.start:
            return a.kind
    return "author"


# ------------------------------------------------------------------ place and date


def _place(clause: Clause, clauses: list[Clause], context: PartContext) -> PlaceRef | None:
    """The clause's place (a town or site before a region or a country); else the
    sentence's; else the paragraph's last town before it; else the document's country."""

    def best(places: list[PlaceRef]) -> PlaceRef | None:
        for kinds in (("town", "natural"), ("region",), ("country",), None):
            for p in places:
                if kinds is None or p.kind in kinds:
                    return p
        return None

    resolved = [p for p in context.places if p.resolved and p.lat is not None]
    inside = [p for p in resolved if clause.start <= p.span.start < clause.end]
    if (found := best(inside)) is not None:
        return found
    same = [c for c in clauses if c.sentence == clause.sentence]
    sentence = [p for p in resolved if same[0].start <= p.span.start < same[-1].end]
    if (found := best(sentence)) is not None:
        return found
    first = min(c.start for c in clauses if c.paragraph == clause.paragraph)
    earlier = [
        p
        for p in resolved
        if first <= p.span.start < clause.start and p.kind in ("town", "natural")
    ]
    if earlier:
        return earlier[-1]
    return context.focus


def _date(
    clause: Clause, clauses: list[Clause], context: PartContext
) -> tuple[date | None, int | None]:
    """The clause's date; else the sentence's; else the paragraph's last date before it;
    else the publication date, at week precision."""
    dates = [
        t
        for t in context.times
        if t.kind == "date" and t.start is not None and t.precision in _PRECISION
    ]

    def pick(found: list[TimeRef]) -> tuple[date | None, int | None] | None:
        for t in found:
            return t.start, _PRECISION[t.precision]
        return None

    same = [c for c in clauses if c.sentence == clause.sentence]
    first = min(c.start for c in clauses if c.paragraph == clause.paragraph)
    for lo, hi, last in (
        (clause.start, clause.end, False),
        (same[0].start, same[-1].end, False),
        (first, clause.start, True),
    ):
        found = [t for t in dates if lo <= t.span.start < hi]
        if last:
            found = found[::-1]
        if (chosen := pick(found)) is not None:
            return chosen
    if context.published is not None:
        return context.published.date(), 2
    return None, None
