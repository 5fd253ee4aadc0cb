"""What several sections of a brief say, computed once: the trend, the most serious
event, the scenarios (judgments grouped by claim, most likely first), the most likely and
the least likely but most dangerous, the exposed assets, the highest risk; and the
values that phrases about events, risk levels and judgments are filled with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tocsin.knowledge.names import RISK_CATEGORY_NAMES, RISK_LEVEL_NAMES
from tocsin.models import Citation, Event, RiskLevel
from tocsin.report.brief.evidence import Exposure, Outlook
from tocsin.report.brief.wording import Wording

UNLIKELY_AT_MOST = 0.45  # a dangerous scenario is one judged unlikely or less


@dataclass(frozen=True, slots=True)
class Scenario:
    """An outlook, with the other sources that hold the same claim."""

    lead: Outlook
    also: tuple[Outlook, ...] = ()

    @property
    def citations(self) -> tuple[Citation, ...]:
        return (self.lead.citation, *(o.citation for o in self.also))


@dataclass(frozen=True, slots=True)
class Facts:
    """What several sections say: computed once per brief."""

    direction: str  # "up", "down", "same", "new" (nothing before), "none" (nothing now)
    serious: Event | None
    scenarios: tuple[Scenario, ...]  # by likelihood, most likely first
    dangerous: Scenario | None
    exposed: tuple[Exposure, ...]
    top_risk: RiskLevel | None

    @property
    def likely(self) -> Scenario | None:
        return self.scenarios[0] if self.scenarios else None


def facts(w: Wording) -> Facts:
    m = w.m
    now, before = len(m.events), len(m.previous)
    direction = (
        "none"
        if now == 0
        else "new"
        if before == 0
        else "up"
        if now > before
        else "down"
        if now < before
        else "same"
    )
    serious = max(m.events, key=lambda e: gravity(w, e), default=None)
    scenarios = _scenarios(m.outlooks)
    dangerous = max(
        (s for s in scenarios[1:] if s.lead.high <= UNLIKELY_AT_MOST and s.lead.danger > 0),
        key=lambda s: (s.lead.danger, -s.lead.probability, s.lead.key),
        default=None,
    )
    exposed = tuple(
        sorted(
            (x for x in m.exposures if x.distance_km is not None and x.distance_km <= m.near_km),
            key=lambda x: (x.distance_km or 0.0, x.asset.name),
        )
    )
    top_risk = max(m.risks, key=lambda lv: (lv.level, lv.score, lv.category), default=None)
    return Facts(direction, serious, scenarios, dangerous, exposed, top_risk)


def _scenarios(outlooks: Sequence[Outlook]) -> tuple[Scenario, ...]:
    """Outlooks grouped by claim (the same proposition from several sources), most
    likely first."""
    groups: dict[str, list[Outlook]] = {}
    for o in outlooks:
        groups.setdefault(o.claim or o.key, []).append(o)
    scenarios = []
    for members in groups.values():
        members.sort(key=lambda o: (-o.probability, o.deadline is None, -o.danger, o.key))
        lead = members[0]
        also = tuple(o for o in members[1:] if o.doc.source != lead.doc.source)
        scenarios.append(Scenario(lead, also))
    scenarios.sort(
        key=lambda s: (-s.lead.probability, s.lead.deadline is None, -s.lead.danger, s.lead.key)
    )
    return tuple(scenarios)


# ---------------------------------------------------------------------- helpers


def gravity(w: Wording, e: Event) -> tuple[bool, int, int, int, date, str]:
    """How serious an event reads: violence first, then severity, deaths, sources."""
    violent = "Political violence" in e.disorder_type
    return (
        violent,
        w.m.severity.get(e.id, 0),
        e.fatalities or 0,
        e.independent,
        e.event_date or date.min,
        e.id,
    )


def event_citations(w: Wording, events: Sequence[Event], most: int = 3) -> list[Citation]:
    """The first citation of each of the ``most`` most severe events."""
    ranked = sorted(events, key=lambda e: gravity(w, e), reverse=True)
    out: list[Citation] = []
    for e in ranked[:most]:
        out.extend(w.m.citations.get(e.id, ())[:1])
    return out


def risk_citations(w: Wording, level: RiskLevel) -> list[Citation]:
    """The citations of a risk level's top contributions (events and forecasts)."""
    by_forecast = {o.key: o.citation for o in w.m.outlooks}
    out: list[Citation] = []
    for c in level.contributions[:3]:
        if c.kind == "event":
            out.extend(w.m.citations.get(c.ref_id, ())[:1])
        elif c.ref_id in by_forecast:
            out.append(by_forecast[c.ref_id])
    return out


def risk_words(w: Wording, level: RiskLevel) -> dict[str, str]:
    names = RISK_LEVEL_NAMES.get(w.lang, RISK_LEVEL_NAMES["en"])
    trend = level.trend if level.trend in ("up", "down", "steady") else "new"
    previous = names.get(level.previous_level or 0, "")
    return {
        "category": RISK_CATEGORY_NAMES.get(w.lang, RISK_CATEGORY_NAMES["en"])[level.category],
        "level": names[level.level],
        "n": str(level.level),
        "trend": w.p.fill(w.p.word(f"trend.{trend}"), previous=previous),
    }


def outlook_words(w: Wording, o: Outlook) -> dict[str, object]:
    return {
        "term": w.p.term(o.label),
        "band": w.p.band(o.low, o.high, o.label),
        "deadline": w.deadline(o.deadline),
        "horizon": w.horizon(o.deadline),
        "source": w.source(o.citation.source),
        "grade": w.grade(o.citation),
        "quote": w.inline(o.text),
    }


def counts_words(w: Wording) -> dict[str, str]:
    return {
        "events": w.p.count(len(w.m.events), "event"),
        "previous": w.p.bare(len(w.m.previous), "event"),
        "days": w.days(),
        "area_in": w.area("in"),
        "area": w.area("name"),
    }


def exposure_names(w: Wording, exposed: Sequence[Exposure]) -> str:
    return w.p.join([x.asset.name for x in exposed])
