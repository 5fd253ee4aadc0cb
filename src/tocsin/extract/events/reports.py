"""Event reports: clauses that report something as having happened, coded the ACLED way.

Per clause of a part (sentences cut at ";" and at "while", "tandis que", ", but", ...):

1. triggers from the event lexicon (``knowledge/events.toml``): verbs report by
   themselves, nouns ("une attaque") only with a past marker, a date or a toll;
2. modality: a trigger under a question, a denial, a negation, a forecast or plan, a
   condition, or dated long before publication (background) is not an event;
3. the strongest remaining trigger codes the clause; its sides come from the actors
   before and after it, read by voice (``events_roles.py``); the target (civilians or an
   armed side, else the target words) chooses between a class's civilian and armed
   codes;
4. place, date and fatalities from the clause, else from the sentence, else from the
   paragraph's previous sentences (the place) or the publication date (time precision 2);
5. a clause that only counts the dead or the damage, right after an event of the same
   paragraph, adds its figures to that event.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from tocsin.extract.events.fatalities import Fatalities, FatalityLexicon, find_fatalities
from tocsin.extract.events.lexicon import (
    KEPT_LETTERS,
    EventLexicon,
    LanguageRules,
    Trigger,
    TriggerClass,
)
from tocsin.extract.events.roles import Sides, assign_sides
from tocsin.extract.nlp import TextAnalysis
from tocsin.models import (
    ActorRef,
    Attribution,
    EventReport,
    Judgment,
    PlaceRef,
    Span,
    TimeRef,
)
from tocsin.text.fold import fold_same

MAX_CLAUSE = 2_000  # characters of a sentence read for events; a longer "sentence" is noise
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
_VIOLENT = frozenset({1, 2, 3, 4, 8})

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


@dataclass(slots=True)
class _Clause:
    start: int
    end: int
    sentence: int  # index of its sentence
    paragraph: int


def extract_events(
    analysis: TextAnalysis,
    context: PartContext,
    *,
    lexicon: EventLexicon,
    fatalities: FatalityLexicon,
) -> list[EventReport]:
    """Event reports of one part (body or comment), in text order."""
    rules = lexicon.for_language(analysis.lang)
    if rules is None or not analysis.text:
        return []
    text = analysis.text
    folded = fold_same(text, keep=KEPT_LETTERS)
    masked = _masked(folded, context.times)
    clauses = _clauses(analysis, lexicon.clause_cut)
    out: list[EventReport] = []
    last: tuple[_Clause, int] | None = None  # the clause of the last event and its index
    for clause in clauses:
        found = _triggers(folded, clause, rules, lexicon.classes)
        kept = [
            t for t in found if _happened(t, clause, folded, masked, text, rules, context, lexicon)
        ]
        if not kept:
            continue
        # a verb reports, a noun may only name its object ("rallied against the
        # kidnapping"); a weak verb ("killed") yields to a noun that says how
        main = max(kept, key=lambda t: (not t.noun and not t.cls.joins, t.cls.priority, -t.start))
        kill = find_fatalities(
            text, lang=analysis.lang, lexicon=fatalities, start=clause.start, end=clause.end
        )
        if (
            last is not None
            and (all(t.cls.joins or t.noun for t in kept) or _same_kind(out[last[1]], main.cls))
            and _continues(last[0], clause, context)
        ):
            index = last[1]
            out[index] = _join(out[index], kill, _tags(folded, clause, rules, main.cls))
            continue
        pivot = main
        if main.noun:
            verbs = [t for t in found if not t.noun and t.end <= main.start]
            pivot = verbs[0] if verbs else main  # "killed 28 soldiers in an attack on..."
        previous = (
            out[last[1]] if last is not None and last[0].paragraph == clause.paragraph else None
        )
        report = _report(
            main, pivot, clause, clauses, kill, text, folded, rules, context, lexicon.classes,
            previous,
        )  # fmt: skip
        if report is not None:
            out.append(report)
            last = (clause, len(out) - 1)
    return out


# ----------------------------------------------------------------------- clauses


def _clauses(analysis: TextAnalysis, cut_at: re.Pattern[str]) -> list[_Clause]:
    text = analysis.text
    out = []
    paragraph = 0
    previous_end = 0
    for index, (start, end) in enumerate(sorted(analysis.sentences)):
        if "\n\n" in text[previous_end:start] or "\n" in text[previous_end:start].strip(" "):
            paragraph += 1
        previous_end = end
        end = min(end, start + MAX_CLAUSE)
        cut = start
        for match in cut_at.finditer(text, start, end):
            if match.start() - cut > 12:
                out.append(_Clause(cut, match.start(), index, paragraph))
                cut = match.end()
        out.append(_Clause(cut, end, index, paragraph))
    return out


def _triggers(
    folded: str, clause: _Clause, rules: LanguageRules, classes: dict[str, TriggerClass]
) -> list[Trigger]:
    found: list[Trigger] = []
    for noun, table in ((False, rules.verbs), (True, rules.nouns)):
        for name, pattern in table:
            for m in pattern.finditer(folded, clause.start, clause.end):
                found.append(Trigger(classes[name], m.start(), m.end(), noun))
    # a noun inside a verb phrase ("a tendu une embuscade") is the verb's
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[Trigger] = []
    for t in found:
        if out and t.start < out[-1].end:
            if not t.noun and out[-1].noun and t.end > out[-1].end:
                out[-1] = t
            continue
        out.append(t)
    return out


# ---------------------------------------------------------------------- modality


def _words_before(folded: str, start: int, lower: int, count: int) -> tuple[int, int]:
    """The span of up to ``count`` words before ``start``, not before ``lower``."""
    i = start
    seen = 0
    while i > lower and seen < count:
        i -= 1
        while i > lower and folded[i - 1] == " ":
            i -= 1
        while i > lower and folded[i - 1] not in " ,;:()":
            i -= 1
        seen += 1
    return i, start


def _words_after(folded: str, end: int, upper: int, count: int) -> tuple[int, int]:
    """The span of up to ``count`` words after ``end``, not after ``upper``."""
    i, seen = end, 0
    while i < upper and seen < count:
        while i < upper and folded[i] == " ":
            i += 1
        while i < upper and folded[i] not in " ,;:()":
            i += 1
        seen += 1
    return end, i


def _masked(folded: str, times: Sequence[TimeRef]) -> str:
    """The part's folded text with dates blanked ("May" is a month, not a modal)."""
    if not times:
        return folded
    pieces, at = [], 0
    for t in sorted(times, key=lambda t: t.span.start):
        start, end = max(t.span.start, at), min(t.span.end, len(folded))
        if start >= end:
            continue
        pieces += [folded[at:start], " " * (end - start)]
        at = end
    pieces.append(folded[at:])
    return "".join(pieces)


def _happened(
    trigger: Trigger,
    clause: _Clause,
    folded: str,
    masked: str,
    text: str,
    rules: LanguageRules,
    context: PartContext,
    lexicon: EventLexicon,
) -> bool:
    """Whether the clause reports the trigger's event as having happened."""
    if text[clause.start : clause.end].rstrip().endswith("?"):
        return False
    mod = rules.modality
    if _cue(mod.get("denial"), masked, *_words_before(masked, trigger.start, clause.start, 8)):
        return False
    if _cue(mod.get("negation"), masked, *_words_before(masked, trigger.start, clause.start, 4)):
        return False
    before = _words_before(masked, trigger.start, clause.start, 10)
    if _cue(mod.get("habitual"), masked, clause.start, trigger.start):
        return False
    attempt = _last(mod.get("attempt"), masked, *before)
    for key in ("future", "conditional"):
        at = _last(mod.get(key), masked, *before)
        if at >= 0 and at > attempt:
            return False
        # "Une attaque contre Bamako aurait des conséquences": a noun's verb comes after
        if trigger.noun and _cue(
            mod.get(key), masked, *_words_after(masked, trigger.end, clause.end, 4)
        ):
            return False
    for judgment in context.judgments:
        cue = judgment.cue
        if cue.start < clause.end and cue.end > clause.start and judgment.future:
            return False
    if context.published is not None:
        published = context.published.date()
        oldest = published - timedelta(days=lexicon.background_days)
        dated = [
            t
            for t in _in_clause(context.times, clause)
            if t.kind == "date" and t.start is not None and t.end is not None
        ]
        if any(t.start is not None and t.start > published + timedelta(days=1) for t in dated):
            return False  # dated after publication: announced, not happened
        if dated and all(t.end is not None and t.end < oldest for t in dated):
            return False  # only long-past dates: background
    if trigger.noun:
        return _reported(folded, clause, text, rules, context)
    return True


def _cue(pattern: re.Pattern[str] | None, text: str, start: int, end: int) -> bool:
    return pattern is not None and pattern.search(text, start, end) is not None


def _last(pattern: re.Pattern[str] | None, text: str, start: int, end: int) -> int:
    if pattern is None:
        return -1
    found = -1
    for m in pattern.finditer(text, start, end):
        found = m.start()
    return found


def _reported(
    folded: str, clause: _Clause, text: str, rules: LanguageRules, context: PartContext
) -> bool:
    """A noun trigger reports an event when its clause has a past marker, a date, or a
    figure."""
    if _cue(rules.modality.get("past"), folded, clause.start, clause.end):
        return True
    return any(t.kind == "date" for t in _in_clause(context.times, clause)) or bool(
        re.search(r"\d", text[clause.start : clause.end])
    )


def _in_clause(items: Sequence[TimeRef], clause: _Clause) -> list[TimeRef]:
    return [t for t in items if clause.start <= t.span.start < clause.end]


# ------------------------------------------------------------------------ coding


def _report(
    trigger: Trigger,
    pivot: Trigger,
    clause: _Clause,
    clauses: list[_Clause],
    kill: Fatalities | None,
    text: str,
    folded: str,
    rules: LanguageRules,
    context: PartContext,
    classes: dict[str, TriggerClass],
    previous: EventReport | None,
) -> EventReport | None:
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
    if cls.name in ("clash", "kill", "attack") and _cue(
        rules.air, folded, clause.start, clause.end
    ):
        cls = classes.get("airstrike", cls)
    event_type, sub = _code(cls, sides, folded, clause, rules)
    if cls.name == "protest":
        same = [c for c in clauses if c.sentence in (clause.sentence, clause.sentence + 1)]
        whole = _Clause(clause.start, same[-1].end, clause.sentence, clause.paragraph)
        event_type, sub = _protest(folded, whole, rules, kill)
    agent, assoc1 = sides.agent, sides.agent_assoc
    target, assoc2 = sides.target, sides.target_assoc
    if cls.name == "protest" and sub != "Peaceful protest" and target is None:
        # the forces that intervened, often in the next clause ("la police les a dispersés")
        forces = [a for a in context.actors if a.inter == 1 and a.span.start >= clause.start]
        target = forces[0] if forces else context.generic("police")
    if (
        agent is None
        and previous is not None
        and previous.actor1 is not None
        and _cue(rules.anaphor, folded, clause.start, trigger.start)
    ):
        agent = next((a for a in context.actors if a.actor_id == previous.actor1), None)
    kind = _FALLBACK_AGENT.get(cls.name)
    if agent is None and kind and not (cls.name == "kill" and target is None):
        agent = context.generic(kind)
    violent = event_type in ("Battles", "Explosions/Remote violence")
    if target is None and event_type == "Violence against civilians":
        target = context.generic("civilians")
    elif target is None and violent and agent is not None and agent.inter == 1:
        target = context.generic("armed-group")  # the forces struck someone unnamed
    elif target is None and event_type == "Battles" and agent is not None:
        target = context.generic("military")  # a post, a base, a patrol
    elif agent is None and event_type == "Battles" and target is not None:
        agent = context.generic("armed-group")
    elif (
        target is None
        and sub == "Looting/property destruction"
        and _cue(rules.civilian_targets, folded, clause.start, clause.end)
    ):
        target = context.generic("civilians")
    if agent is not None and target is not None and agent.actor_id == target.actor_id:
        target = None
    place = _place(clause, clauses, context)
    when, precision = _date(clause, clauses, context)
    tags = _tags(folded, clause, rules, cls)
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
    cls: TriggerClass, sides: Sides, folded: str, clause: _Clause, rules: LanguageRules
) -> tuple[str, str]:
    if cls.civilian is None and cls.armed is None:
        return cls.event_type, cls.sub_event_type
    target = _target_kind(sides, folded, clause, rules, cls)
    chosen = cls.civilian if target == "civilian" else cls.armed
    return chosen or (cls.event_type, cls.sub_event_type)


def _target_kind(
    sides: Sides, folded: str, clause: _Clause, rules: LanguageRules, cls: TriggerClass
) -> str:
    if sides.target is not None:
        return "civilian" if sides.target.inter == 7 else "armed"
    agent = sides.agent
    armed = (
        rules.armed_targets.search(folded, clause.start, clause.end)
        if rules.armed_targets
        else None
    )
    civilian = (
        rules.civilian_targets.search(folded, clause.start, clause.end)
        if rules.civilian_targets
        else None
    )
    if armed and (not civilian or armed.start() < civilian.start()):
        return "armed"
    if civilian:
        return "civilian"
    if agent is not None and agent.inter == 1:
        return "armed"
    if cls.name == "kill" and agent is None:
        return "civilian"
    return cls.default_target or "armed"


def _protest(
    folded: str, clause: _Clause, rules: LanguageRules, kill: Fatalities | None
) -> tuple[str, str]:
    if rules.excessive and rules.excessive.search(folded, clause.start, clause.end):
        return "Protests", "Excessive force against protesters"
    if kill is not None and kill.best > 0:
        return "Protests", "Excessive force against protesters"
    if rules.intervention and rules.intervention.search(folded, clause.start, clause.end):
        return "Protests", "Protest with intervention"
    return "Protests", "Peaceful protest"


def _tags(folded: str, clause: _Clause, rules: LanguageRules, cls: TriggerClass) -> tuple[str, ...]:
    tags = set(cls.tags)
    for tag, pattern in rules.tags:
        if pattern.search(folded, clause.start, clause.end):
            tags.add(tag)
    return tuple(sorted(tags))


def _holder(clause: _Clause, attributions: Sequence[Attribution]) -> str:
    for a in attributions:
        if a.span.start < clause.end and a.span.end > clause.start:
            return a.kind
    return "author"


# ------------------------------------------------------------------ place and date


def _place(clause: _Clause, clauses: list[_Clause], context: PartContext) -> PlaceRef | None:
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
    clause: _Clause, clauses: list[_Clause], context: PartContext
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


# ----------------------------------------------------------------------- joining


def _same_kind(previous: EventReport, cls: TriggerClass) -> bool:
    """A follow-up told with another verb of the same kind of violence ("the army said it
    repelled the attack") is the same event."""
    violent = {"Battles", "Violence against civilians", "Explosions/Remote violence"}
    kinds = {cls.event_type, *(pair[0] for pair in (cls.civilian, cls.armed) if pair)}
    return previous.event_type in violent and bool(kinds & violent)


def _continues(previous: _Clause, clause: _Clause, context: PartContext) -> bool:
    """A follow-up clause belongs to the previous event: same paragraph, at most two
    sentences on, and no place or date of its own."""
    if clause.paragraph != previous.paragraph or clause.sentence - previous.sentence > 2:
        return False
    own_place = any(
        clause.start <= p.span.start < clause.end and p.resolved and p.kind == "town"
        for p in context.places
    )
    own_date = any(
        clause.start <= t.span.start < clause.end and t.kind == "date" for t in context.times
    )
    return not own_place and not own_date


def _join(report: EventReport, kill: Fatalities | None, tags: tuple[str, ...]) -> EventReport:
    merged = tuple(sorted(set(report.tags) | set(tags)))
    if kill is None:
        return replace(report, tags=merged)

    def add(a: int | None, b: int | None) -> int | None:
        return None if a is None and b is None else (a or 0) + (b or 0)

    return replace(
        report,
        tags=merged,
        fatalities=add(report.fatalities, kill.best),
        fatalities_low=add(report.fatalities_low, kill.low),
        fatalities_high=add(report.fatalities_high, kill.high)
        if report.fatalities_high is not None or kill.high is not None
        else None,
        fatalities_text="; ".join(t for t in (report.fatalities_text, kill.text) if t),
    )
