"""Event reports: clauses that report something as having happened, coded the ACLED way.

Per clause of a part (sentences cut at ";" and at "while", "tandis que", ", but", ...):

1. triggers from the event lexicon (``knowledge/events.toml``): verbs report by
   themselves, nouns ("une attaque") only with a past marker, a date or a toll;
2. modality: a trigger under a question, a denial, a negation, a forecast or plan, a
   condition, or dated long before publication (background) is not an event;
3. the strongest remaining trigger codes the clause (``coding.py``): its sides come from
   the actors before and after it, read by voice (``roles.py``); the target (civilians or
   an armed side, else the target words) chooses between a class's civilian and armed
   codes;
4. place, date and fatalities from the clause, else from the sentence, else from the
   paragraph's previous sentences (the place) or the publication date (time precision 2);
   the toll is read by ``fatalities.py``;
5. a clause that only counts the dead or the damage, right after an event of the same
   paragraph, adds its figures to that event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from tocsin.extract.events.coding import (
    Clause,
    PartContext,
    clause_tags,
    code_report,
    has_cue,
)
from tocsin.extract.events.fatalities import Fatalities, find_fatalities
from tocsin.extract.events.fatality_lexicon import FatalityLexicon
from tocsin.extract.events.lexicon import (
    KEPT_LETTERS,
    EventLexicon,
    LanguageRules,
    Trigger,
    TriggerClass,
)
from tocsin.extract.nlp import TextAnalysis
from tocsin.models import EventReport, TimeRef
from tocsin.text.fold import fold_same

__all__ = ["MAX_CLAUSE", "extract_events"]

MAX_CLAUSE = 2_000  # characters of a sentence read for events; a longer "sentence" is noise


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
    homes: list[Clause] = []  # the clause of each report
    spare: list[Clause] = []  # clauses no report took: their toll may be a report's
    last: tuple[Clause, int] | None = None  # the clause of the last event and its index
    for clause in clauses:
        found = _triggers(folded, clause, rules, lexicon.classes)
        kept = [
            t for t in found if _happened(t, clause, folded, masked, text, rules, context, lexicon)
        ]
        if not kept:
            spare.append(clause)
            continue
        kill = find_fatalities(
            text, lang=analysis.lang, lexicon=fatalities, start=clause.start, end=clause.end
        )
        main, pivot = _main(kept, found, folded, clause, rules, lexicon.classes, kill)
        if (
            last is not None
            and (all(t.cls.joins or t.noun for t in kept) or _same_kind(out[last[1]], main.cls))
            and _continues(last[0], clause, context)
        ):
            index = last[1]
            out[index] = _join(out[index], kill, clause_tags(folded, clause, rules, main.cls))
            continue
        previous = (
            out[last[1]] if last is not None and last[0].paragraph == clause.paragraph else None
        )
        report = code_report(
            main, pivot, clause, clauses, kill, text, folded, rules, context, lexicon.classes,
            previous,
        )  # fmt: skip
        if report is not None:
            out.append(report)
            homes.append(clause)
            last = (clause, len(out) - 1)
        else:
            spare.append(clause)
    return _report_tolls(out, homes, spare, text, analysis.lang, fatalities)


def _report_tolls(
    out: list[EventReport],
    homes: Sequence[Clause],
    spare: Sequence[Clause],
    text: str,
    lang: str,
    fatalities: FatalityLexicon,
) -> list[EventReport]:
    """A violent report whose clauses say nothing of deaths takes the toll of a later
    clause of its paragraph that no report took ("An army post was attacked. 5 dead.");
    each toll goes to one report. Strategic developments, protests and looting take
    none: ACLED codes no deaths for them, and a toll near them belongs to another event."""
    free = list(spare)
    for index, (report, home) in enumerate(zip(out, homes, strict=True)):
        if report.fatalities is not None or not _may_kill(report):
            continue
        for clause in free:
            if clause.paragraph != home.paragraph or clause.start < home.end:
                continue
            kill = find_fatalities(
                text, lang=lang, lexicon=fatalities, start=clause.start, end=clause.end
            )
            if kill is not None:
                out[index] = _join(report, kill, ())
                free.remove(clause)
                break
    return out


_TOLL_TYPES = frozenset({"Battles", "Violence against civilians", "Explosions/Remote violence"})


def _may_kill(report: EventReport) -> bool:
    """Whether ACLED records deaths for a report of this type."""
    return (
        report.event_type in _TOLL_TYPES and report.sub_event_type != "Looting/property destruction"
    )


# ----------------------------------------------------------------------- clauses


def _clauses(analysis: TextAnalysis, cut_at: re.Pattern[str]) -> list[Clause]:
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
                out.append(Clause(cut, match.start(), index, paragraph))
                cut = match.end()
        out.append(Clause(cut, end, index, paragraph))
    return out


def _triggers(
    folded: str, clause: Clause, rules: LanguageRules, classes: dict[str, TriggerClass]
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


def _main(
    kept: list[Trigger],
    found: list[Trigger],
    folded: str,
    clause: Clause,
    rules: LanguageRules,
    classes: dict[str, TriggerClass],
    kill: Fatalities | None,
) -> tuple[Trigger, Trigger]:
    """The trigger that codes the clause and the verb its sides are read around.

    A verb reports, a noun may only name its object ("rallied against the kidnapping");
    a weak verb ("killed") yields to a noun that says how. A means (IED, mine, shells,
    bomb) codes the attack or killing it served ("struck by an IED"), whoever the
    target; but a clause that also tells of fighting ("followed by gunfire") is a
    battle, the means one of its weapons. The worst harm codes the clause: a killing
    told with an arrest ("detained and executed") is the killing, an attack that only
    took or burned things (no one hurt, no toll) a looting."""
    main = max(kept, key=_rank)
    pivot: Trigger | None = None
    killings = [t for t in kept if t.cls.name == "kill"]
    if main.cls.name == "arrest" and killings:
        main = killings[0]
    loot = [t for t in kept if t.cls.name == "loot" and not t.noun]
    if (
        main.cls.name == "attack"
        and loot
        and not killings
        and (kill is None or not kill.best)
        and not has_cue(rules.harm, folded, clause.start, clause.end)
    ):
        pivot = main if not main.noun else None
        main = loot[0]
    combat = has_cue(rules.combat, folded, clause.start, clause.end)
    means = [t for t in kept if t.cls.means]
    if combat and main.cls.means:
        fights = [t for t in kept if not t.cls.means and t.cls.armed is not None]
        clash = classes.get("clash")
        if fights:
            main = max(fights, key=_rank)
        elif clash is not None:
            main = Trigger(clash, main.start, main.end, main.noun)
    elif not combat and means and not main.cls.means and main.cls.civilian is not None:
        pivot = main if not main.noun else None
        main = max(means, key=_rank)
    if pivot is None:
        pivot = main
        if main.noun:
            verbs = [t for t in found if not t.noun and t.end <= main.start]
            pivot = verbs[0] if verbs else main  # "killed 28 soldiers in an attack on..."
    return main, pivot


def _rank(trigger: Trigger) -> tuple[bool, int, int]:
    return (not trigger.noun and not trigger.cls.joins, trigger.cls.priority, -trigger.start)


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
    clause: Clause,
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
    if has_cue(mod.get("denial"), masked, *_words_before(masked, trigger.start, clause.start, 8)):
        return False
    if has_cue(mod.get("negation"), masked, *_words_before(masked, trigger.start, clause.start, 4)):
        return False
    before = _words_before(masked, trigger.start, clause.start, 10)
    if has_cue(mod.get("habitual"), masked, clause.start, trigger.start):
        return False
    attempt = _last(mod.get("attempt"), masked, *before)
    for key in ("future", "conditional"):
        at = _last(mod.get(key), masked, *before)
        if at >= 0 and at > attempt:
            return False
        # "Une attaque contre Bamako aurait des conséquences": a noun's verb comes after
        if trigger.noun and has_cue(
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


def _last(pattern: re.Pattern[str] | None, text: str, start: int, end: int) -> int:
    if pattern is None:
        return -1
    found = -1
    for m in pattern.finditer(text, start, end):
        found = m.start()
    return found


def _reported(
    folded: str, clause: Clause, text: str, rules: LanguageRules, context: PartContext
) -> bool:
    """A noun trigger reports an event when its clause has a past marker, a date, or a
    figure."""
    if has_cue(rules.modality.get("past"), folded, clause.start, clause.end):
        return True
    return any(t.kind == "date" for t in _in_clause(context.times, clause)) or bool(
        re.search(r"\d", text[clause.start : clause.end])
    )


def _in_clause(items: Sequence[TimeRef], clause: Clause) -> list[TimeRef]:
    return [t for t in items if clause.start <= t.span.start < clause.end]


# ----------------------------------------------------------------------- joining


def _same_kind(previous: EventReport, cls: TriggerClass) -> bool:
    """A follow-up told with another verb of the same kind of violence ("the army said it
    repelled the attack") is the same event."""
    violent = {"Battles", "Violence against civilians", "Explosions/Remote violence"}
    kinds = {cls.event_type, *(pair[0] for pair in (cls.civilian, cls.armed) if pair)}
    return previous.event_type in violent and bool(kinds & violent)


def _continues(previous: Clause, clause: Clause, context: PartContext) -> bool:
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
