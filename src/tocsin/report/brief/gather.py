"""Sifting the evidence of a brief, read once from the store by
:func:`tocsin.app.briefs.gather`: the claims' credibility by span, the judgments about an
area's future, disagreements between sources, and the evidence of the indicators to
watch. Pure functions of documents, annotations, events and the review; see
``tocsin.app.briefs`` for what a brief is made of."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from tocsin.assess.forecasts import forecast_id
from tocsin.assess.grading import Review
from tocsin.assess.risk.levels import LocatedForecast
from tocsin.geo.areas import Area
from tocsin.models import Annotations, Citation, Event, PlaceRef
from tocsin.report.brief.evidence import (
    CredibilityIndex,
    Disagreement,
    DocInfo,
    Indication,
    Outlook,
    cite,
    cite_report,
    letter_rank,
    sentence_bounds,
)
from tocsin.text.fold import fold_same
from tocsin.text.phrases import phrase_pattern


def claim_spans(found: Review) -> dict[str, list[tuple[str, int, int, int, str]]]:
    spans: dict[str, list[tuple[str, int, int, int, str]]] = {}
    for graded in found.claims:
        for st in graded.claim.statements:
            spans.setdefault(st.document_id, []).append(
                (st.span.part, st.span.start, st.span.end, graded.grade.number, graded.claim.id)
            )
    return spans


# ------------------------------------------------------------------- documents read


class Reading:
    """A document published in the look-back window, with its annotations."""

    __slots__ = ("ann", "doc", "focus")

    def __init__(self, doc: DocInfo, ann: Annotations) -> None:
        self.doc = doc
        self.ann = ann
        self.focus = focus_of(ann)


def focus_of(ann: Annotations) -> tuple[PlaceRef, ...]:
    """The places a document is about: its most named resolved places (up to three)."""
    counts: Counter[int] = Counter()
    first: dict[int, PlaceRef] = {}
    for place in ann.places:
        if place.resolved and place.geonameid is not None and place.span.part == "body":
            counts[place.geonameid] += 1
            first.setdefault(place.geonameid, place)
    ranked = sorted(counts, key=lambda g: (-counts[g], first[g].span.start))
    return tuple(first[g] for g in ranked[:3])


def place_in(area: Area, place: PlaceRef) -> bool:
    return area.contains_point(place.lat, place.lon, country=place.country, admin1=place.admin1)


def about_area(area: Area, reading: Reading, part: str, lo: int, hi: int) -> bool:
    """Whether the text between ``lo`` and ``hi`` concerns the area: a place it names
    is inside; or it names none and the document is about the area."""
    named = [
        p
        for p in reading.ann.places
        if p.resolved and p.span.part == part and lo <= p.span.start < hi
    ]
    if named:
        return any(place_in(area, p) for p in named)
    return any(place_in(area, p) for p in reading.focus)


# ------------------------------------------------------------------------ outlooks


def danger_pattern(settings: Mapping[str, object]) -> re.Pattern[str]:
    words = settings.get("danger_words", [])
    stems = [fold_same(str(w)) for w in words] if isinstance(words, list) else []
    return phrase_pattern(stems, start=r"\b", stems=True)  # at the start of a word


def outlooks_of(
    readings: Sequence[Reading],
    area: Area,
    located: Sequence[LocatedForecast],
    credibility: CredibilityIndex,
    *,
    until: date,
    danger: re.Pattern[str],
    dependent: tuple[str, ...] = (),
) -> list[Outlook]:
    """Judgments about the area's future, still open on ``until``, one per sentence;
    only the body's (reader comments are not analysts' judgments), unconditional, not
    leaning on the sentence before (``dependent`` openings)."""
    by_forecast = {lf.forecast.id: lf for lf in located}
    found: dict[tuple[str, str, int], Outlook] = {}
    for reading in readings:
        doc, ann = reading.doc, reading.ann
        for judgment in ann.judgments:
            if judgment.cue.part != "body":
                continue
            if not judgment.future or (judgment.deadline and judgment.deadline < until):
                continue
            if judgment.condition is not None:
                continue  # "X if Y": its likelihood holds only under Y, not a scenario's
            part = judgment.cue.part
            text = doc.texts.get(part, "")
            lo, hi = sentence_bounds(text, judgment.cue.start)
            fid = forecast_id(doc.id, judgment)
            lf = by_forecast.get(fid)
            placed = lf is not None and area.contains_point(
                lf.lat, lf.lon, country=lf.country, admin1=lf.admin1
            )
            if not placed and not about_area(area, reading, part, lo, hi):
                continue
            if lf is not None and lf.forecast.status in ("true", "false"):
                continue  # resolved: no longer an outlook
            citation = cite(doc, part, judgment.cue.start, credibility=credibility, ref_id=fid)
            if len(citation.quote.split()) < 5 or fold_same(citation.quote).startswith(dependent):
                continue
            actors = tuple(
                dict.fromkeys(
                    a.actor_id
                    for a in ann.actors
                    if a.span.part == part and lo <= a.span.start < hi
                )
            )
            outlook = Outlook(
                key=fid,
                doc=doc,
                text=citation.quote,
                label=judgment.label,
                low=judgment.low,
                high=judgment.high,
                citation=citation,
                deadline=judgment.deadline,
                made_on=doc.published,
                holder=judgment.holder,
                holder_kind=judgment.holder_kind,
                actors=actors,
                forecast_id=fid if fid in by_forecast else None,
                danger=len(danger.findall(fold_same(citation.quote))),
                claim=credibility.claim_at(doc.id, part, judgment.cue.start),
            )
            key = (doc.id, part, lo)
            if key not in found or outlook.high > found[key].high:
                found[key] = outlook
    unique: dict[str, Outlook] = {}
    for outlook in found.values():
        unique.setdefault(fold_same(outlook.text), outlook)
    return sorted(unique.values(), key=lambda o: (-o.probability, -o.danger, o.key))


# -------------------------------------------------------------------- disagreements


def toll_disagreements(
    events: Sequence[Event], docs: Mapping[str, DocInfo], credibility: CredibilityIndex
) -> list[Disagreement]:
    """Events (of the period and the one before) whose sources give different tolls."""
    found = []
    for event in events:
        figures: dict[str, list[Citation]] = {}
        for report in sorted(
            event.reports,
            key=lambda r: (
                letter_rank(docs[r.document_id].reliability) if r.document_id in docs else 9,
                r.id,
            ),
        ):
            er = report.report
            if er.fatalities is None or report.document_id not in docs:
                continue
            low = er.fatalities_low if er.fatalities_low is not None else er.fatalities
            position = f"{low}+" if er.fatalities_high is None and low != 0 else str(er.fatalities)
            if er.fatalities_high is not None and er.fatalities_high != er.fatalities:
                position = f"{er.fatalities_low}-{er.fatalities_high}"
            citation = cite_report(report, docs, credibility, event.id)
            sources = {c.source for cs in figures.values() for c in cs}
            if citation.source in sources and position not in figures:
                continue  # one source, one figure: its best graded report's
            figures.setdefault(position, []).append(citation)
        if len(figures) >= 2:
            sides = tuple((pos, cites[0]) for pos, cites in figures.items())
            found.append(Disagreement(kind="toll", sides=sides, event=event))
    return found


def claim_disagreements(
    found: Review,
    readings: Sequence[Reading],
    area: Area,
    docs: Mapping[str, DocInfo],
    credibility: CredibilityIndex,
    start: date,
    cutoff: datetime,
) -> list[Disagreement]:
    """Claims of the review that sources contradict, stated in the period, about the area."""
    by_doc = {r.doc.id: r for r in readings}
    out = []
    for graded in found.claims:
        claim = graded.claim
        if not claim.contradicted:
            continue
        statements = [
            s
            for s in claim.statements
            if s.published is not None and s.published <= cutoff and s.document_id in by_doc
        ]
        if not any(s.published and s.published.date() >= start for s in statements):
            continue
        if not any(
            about_area(area, by_doc[s.document_id], s.span.part, s.span.start, s.span.end)
            for s in statements
        ):
            continue
        sides: dict[str, Citation] = {}
        for s in statements:
            stance = "denies" if s.stance == "denies" else "affirms"
            if stance not in sides:
                sides[stance] = cite(
                    docs[s.document_id],
                    s.span.part,
                    s.span.start,
                    credibility=credibility,
                    ref_id=claim.id,
                )
        if len(sides) == 2:
            out.append(Disagreement(kind="claim", sides=tuple(sorted(sides.items()))))
    return out


# ---------------------------------------------------------------------- indicators


def indications_of(
    specs: Mapping[str, Mapping[str, object]],
    events: Sequence[Event],
    readings: Sequence[Reading],
    area: Area,
    citations: Mapping[str, tuple[Citation, ...]],
    credibility: CredibilityIndex,
) -> list[Indication]:
    """Evidence for each indicator of ``[settings.indicators]``: the latest event of the
    area with one of its ``tags``, or the latest sentence of a document about the area
    holding one of its ``words``."""
    out = []
    newest = sorted(events, key=lambda e: (e.event_date or date.min, e.id), reverse=True)
    for key, spec in specs.items():
        tags = set(_strings(spec.get("tags")))
        types = set(_strings(spec.get("event_types")))
        words = [fold_same(w) for w in _strings(spec.get("words"))]
        if tags:
            hit = next(
                (
                    e
                    for e in newest
                    if tags & set(e.tags)
                    and (not types or e.event_type in types)
                    and citations.get(e.id)
                ),
                None,
            )
            if hit is not None:
                out.append(Indication(key=key, citation=citations[hit.id][0], event=hit))
        elif words:
            pattern = phrase_pattern(words, start="", stems=True)  # anywhere in a word
            for reading in reversed(readings):
                text = reading.doc.texts.get("body", "")
                folded = fold_same(text)
                spot = next(
                    (
                        m.start()
                        for m in pattern.finditer(folded)
                        if about_area(area, reading, "body", *sentence_bounds(text, m.start()))
                    ),
                    None,
                )
                if spot is not None:
                    citation = cite(reading.doc, "body", spot, credibility=credibility)
                    out.append(Indication(key=key, citation=citation))
                    break
    return out


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
