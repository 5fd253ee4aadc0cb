"""Writes a :class:`~tocsin.models.act.Brief` from its material: a pure function, no
store, no clock. The sections come in the order an analyst's brief has them; a section
with nothing to say is left out; an area with nothing new gets one line."""

from __future__ import annotations

from dataclasses import replace

from tocsin.models import Brief, BriefSection, Sentence
from tocsin.report.brief.evidence import Material
from tocsin.report.brief.facts import facts
from tocsin.report.brief.outlook import (
    contradictions,
    implications,
    indicators,
    scenarios,
    sources,
)
from tocsin.report.brief.sections import actors, bottom_line, key_points, situation
from tocsin.report.brief.text import Phrases
from tocsin.report.brief.wording import Wording

SECTION_ORDER: tuple[str, ...] = (
    "key_points",
    "bottom_line",
    "situation",
    "actors",
    "scenarios",
    "indicators",
    "implications",
    "contradictions",
    "sources",
)


def write_brief(material: Material, phrases: Phrases) -> Brief:
    """The brief's title and sections (``id`` and ``created`` are left for the caller)."""
    w = Wording(phrases, material)
    m = material
    title = phrases.fill(
        phrases.word("brief.title"),
        area=m.area_name,
        period=phrases.period(m.period_start, m.period_end, form="title_period"),
    )
    base = Brief(
        id="",
        area=m.area_name,
        lang=phrases.lang,
        title=title,
        period_start=m.period_start,
        period_end=m.period_end,
    )
    if m.empty:
        line = phrases.sentence(
            phrases.fill(
                phrases.word("brief.empty"),
                area=w.area("for"),
                period=phrases.period(m.period_start, m.period_end),
            )
        )
        section = BriefSection("bottom_line", phrases.word("titles.bottom_line"), (Sentence(line),))
        return replace(base, sections=(section,), empty=True)
    f = facts(w)
    body = [
        key_points(w, f),
        bottom_line(w, f),
        situation(w, f),
        actors(w, f),
        scenarios(w, f),
        indicators(w, f),
        implications(w, f),
        contradictions(w, f),
    ]
    kept = [s for s in body if any(sentence.citations for sentence in s.sentences)]
    kept.append(sources(w, kept))
    return replace(base, sections=tuple(s for s in kept if s.sentences))
