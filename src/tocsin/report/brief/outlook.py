"""The second half of a brief: scenarios, indicators to watch, implications for the
organisation, contradictions between sources, and the sources with their grades."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tocsin.models import BriefSection, Citation, Sentence
from tocsin.report.brief.evidence import Disagreement, cite_title, letter_rank
from tocsin.report.brief.facts import (
    Facts,
    Scenario,
    counts_words,
    event_citations,
    outlook_words,
    risk_citations,
    risk_words,
)
from tocsin.report.brief.text import seed_of
from tocsin.report.brief.wording import Wording

# -------------------------------------------------------------------- scenarios


def scenarios(w: Wording, f: Facts) -> BriefSection:
    p = w.p
    out: list[Sentence] = []
    if f.likely is not None:
        out.append(_scenario(w, "most_likely", f.likely))
        room = int(p.setting("scenarios_max")) - 1 - (f.dangerous is not None)
        others = [s for s in f.scenarios[1:] if s is not f.dangerous][: max(0, room)]
        out.extend(_scenario(w, "other", s) for s in others)
        if f.dangerous is not None:
            out.append(_scenario(w, "dangerous", f.dangerous))
    return BriefSection("scenarios", p.word("titles.scenarios"), tuple(out))


def _scenario(w: Wording, key: str, s: Scenario) -> Sentence:
    holders = w.p.join(
        [f"{w.source(o.citation.source)} ({w.grade(o.citation)})" for o in (s.lead, *s.also)]
    )
    values = outlook_words(w, s.lead)
    values["quote"] = w.p.quote(s.lead.text.rstrip(" .;:,"))  # the whole sentence
    return w.sentence(
        f"scenarios.{key}", seed_of(s.lead.key), s.citations, sources=holders, **values
    )


# ------------------------------------------------------------------- indicators


def indicators(w: Wording, f: Facts) -> BriefSection:
    m, p = w.m, w.p
    out: list[Sentence] = []
    base = counts_words(w)
    for ind in m.indications:
        key = f"indicators.{ind.key}"
        if not p.has(key):
            continue
        c = ind.citation
        values: dict[str, object] = {
            **base,
            "source": w.source(c.source),
            "date": p.date(c.published) if c.published else "",
        }
        if ind.event is not None:
            e = ind.event
            values |= {
                "kind": w.kind(e),
                "where": w.where(e),
                "when": w.when(e),
                "date": p.date(e.event_date) if e.event_date else "",
            }
        out.append(w.sentence(key, seed_of(ind.key, c.document_id), [c], **values))
    if f.dangerous is not None:
        o = f.dangerous.lead
        out.append(
            w.sentence(
                "indicators.dangerous", seed_of("watch", o.key), [o.citation], **outlook_words(w, o)
            )
        )
    busy = max(len(m.events), len(m.previous)) >= 3  # below that, no trend to watch
    if f.direction == "down" and busy:
        out.append(
            w.sentence(
                "indicators.trend_down",
                seed_of(m.area_key, "down"),
                event_citations(w, m.previous, 2),
                **base,
            )
        )
    elif f.direction in ("up", "new") and busy:
        out.append(
            w.sentence(
                "indicators.trend_up",
                seed_of(m.area_key, "up"),
                event_citations(w, m.events, 2),
                **base,
            )
        )
    rising = [lv for lv in m.risks if lv.level >= 3 and lv.trend in ("up", "new")]
    for lv in sorted(rising, key=lambda lv: (-lv.level, lv.category))[:1]:
        out.append(
            w.sentence(
                "indicators.risk",
                seed_of(lv.place_key, lv.category),
                risk_citations(w, lv),
                **risk_words(w, lv),
            )
        )
    return BriefSection(
        "indicators", p.word("titles.indicators"), tuple(s for s in out if s.citations)
    )


# ----------------------------------------------------------------- implications


def implications(w: Wording, f: Facts) -> BriefSection:
    m, p = w.m, w.p
    out: list[Sentence] = []
    exposed_ids = {x.asset.id for x in f.exposed}
    ordered = [
        *f.exposed,
        *sorted(
            (x for x in m.exposures if x.asset.id not in exposed_ids), key=lambda x: x.asset.name
        ),
    ]
    for x in ordered:
        base = {"asset": w.asset_ref(x.asset), "near": w.near()}
        risk, risk_cites = "", []
        if x.risk is not None and x.risk.level >= 2:
            risk_cites = risk_citations(w, x.risk)[:1]
            if risk_cites:
                risk = p.fill(p.word("implications.risk"), **risk_words(w, x.risk))
        e = x.nearest
        if e is not None and x.distance_km is not None and m.citations.get(e.id):
            km = x.distance_km
            if km >= 0.5:
                distance = p.fill(p.word("implications.distance_away"), distance=w.distance(km))
            elif x.asset.geometry == "line" and x.asset.radius_km > 0:
                distance = p.fill(
                    p.word("implications.distance_route"), buffer=w.distance(x.asset.radius_km)
                )
            else:
                distance = p.word("implications.distance_inside")
            values = {**base, "kind": w.kind(e), "where": w.where(e), "when": w.when(e)}
            cites = [*m.citations[e.id][:1], *risk_cites]
            if x.asset.id in exposed_ids:
                out.append(
                    w.sentence(
                        "implications.exposed",
                        seed_of(x.asset.id, e.id),
                        cites,
                        distance=distance,
                        risk=risk,
                        **values,
                    )
                )
            else:
                out.append(
                    w.sentence(
                        "implications.clear",
                        seed_of(x.asset.id, e.id),
                        cites,
                        distance=w.distance(km),
                        risk=risk,
                        **values,
                    )
                )
        elif risk_cites:
            out.append(
                w.sentence("implications.quiet", seed_of(x.asset.id), risk_cites, risk=risk, **base)
            )
    if m.exposures and not f.exposed:
        cites = [
            c
            for x in m.exposures
            for c in m.citations.get(x.nearest.id if x.nearest else "", ())[:1]
        ]
        out.append(
            w.sentence("implications.none_exposed", seed_of(m.area_key), cites, near=w.near())
        )
    return BriefSection(
        "implications", p.word("titles.implications"), tuple(s for s in out if s.citations)
    )


# --------------------------------------------------------------- contradictions


def contradictions(w: Wording, f: Facts) -> BriefSection:
    m, p = w.m, w.p
    out: list[Sentence] = []
    for d in m.disagreements:
        out.append(_toll(w, d) if d.kind == "toll" else _claim(w, d))
    if not out and m.events:
        best = max(m.events, key=lambda e: (e.independent, m.severity.get(e.id, 0), e.id))
        if m.citations.get(best.id):
            out.append(
                w.sentence(
                    "contradictions.none" + ("_one" if len(m.events) == 1 else ""),
                    seed_of(best.id),
                    m.citations[best.id],
                    kind=w.kind(best),
                    where=w.where(best),
                    sources=p.count(best.independent, "source"),
                )
            )
    return BriefSection("contradictions", p.word("titles.contradictions"), tuple(out))


def _figure(w: Wording, position: str) -> str:
    p = w.p
    if "-" in position:
        low, high = position.split("-", 1)
        return p.fill(p.word("contradictions.figure_range"), low=low, high=high)
    if position.endswith("+"):
        dead = p.count(int(position[:-1]), "dead")
        return p.fill(p.word("contradictions.figure_at_least"), dead=dead)
    return p.fill(p.word("contradictions.figure_exact"), dead=p.count(int(position), "dead"))


def _toll(w: Wording, d: Disagreement) -> Sentence:
    p = w.p
    e = d.event
    assert e is not None
    sides = p.join(
        [
            p.fill(
                p.word("contradictions.side"),
                figure=_figure(w, pos),
                source=w.source(c.source),
                grade=w.grade(c),
            )
            for pos, c in d.sides
        ]
    )
    return w.sentence(
        "contradictions.toll",
        seed_of(e.id),
        [c for _, c in d.sides],
        kind=w.kind(e),
        where=w.where(e),
        when=w.when(e),
        sides=sides,
    )


def _claim(w: Wording, d: Disagreement) -> Sentence:
    (_, a), (_, b) = d.sides[0], d.sides[-1]
    return w.sentence(
        "contradictions.claim",
        seed_of(a.document_id, b.document_id),
        [a, b],
        source_a=w.source(a.source),
        grade_a=w.grade(a),
        quote_a=w.inline(a.quote),
        source_b=w.source(b.source),
        grade_b=w.grade(b),
        quote_b=w.inline(b.quote),
    )


# ---------------------------------------------------------------------- sources


def sources(w: Wording, sections: Sequence[BriefSection]) -> BriefSection:
    """One sentence per source cited in ``sections``: its kind, grade and documents."""
    p, docs = w.p, w.m.docs
    cited: dict[str, list[Citation]] = {}
    for section in sections:
        for sentence in section.sentences:
            for c in sentence.citations:
                cited.setdefault(c.source, []).append(c)
    out = []
    order = sorted(cited, key=lambda s: (letter_rank(cited[s][0].reliability), s))
    for name in order:
        cites = cited[name]
        ids = sorted({c.document_id for c in cites if c.document_id in docs})
        if not ids:
            continue
        latest = max(ids, key=lambda i: (docs[i].published or date.min, i))
        info = docs[latest]
        letter = cites[0].reliability
        out.append(
            w.sentence(
                "sources_section.one",
                seed_of(name),
                [cite_title(info)],
                source=w.source(name),
                kind=p.word(f"source_kinds.{info.kind}", info.kind),
                letter=letter,
                letter_words=p.word(f"letters.{letter}", letter),
                documents=p.count(len(ids), "cited_document"),
                date=p.date(info.published) if info.published else "",
            )
        )
    return BriefSection("sources", p.word("titles.sources"), tuple(out))
