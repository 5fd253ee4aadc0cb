"""The first half of a brief: key points, bottom line, current situation, actors.

Each writer takes the brief's :class:`~tocsin.report.brief.wording.Wording` (phrases and
material) and the :class:`~tocsin.report.brief.facts.Facts` several sections share, and
returns a :class:`~tocsin.models.act.BriefSection`. Every sentence carries its citations;
a sentence without citations inside a section is a sub-heading.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from tocsin.models import BriefSection, Event, Sentence
from tocsin.report.brief.evidence import Outlook
from tocsin.report.brief.facts import (
    Facts,
    counts_words,
    event_citations,
    exposure_names,
    gravity,
    outlook_words,
    risk_citations,
    risk_words,
)
from tocsin.report.brief.text import seed_of
from tocsin.report.brief.wording import Wording

# ------------------------------------------------------------------ key points


def key_points(w: Wording, f: Facts) -> BriefSection:
    m, p = w.m, w.p
    points: list[Sentence] = []
    counts = counts_words(w)
    if m.events or m.previous:
        key = f.direction
        cites = event_citations(w, m.events) if m.events else event_citations(w, m.previous, 1)
        points.append(
            w.sentence(f"key.activity.{key}", seed_of(m.area_key, len(m.events)), cites, **counts)
        )
    else:
        n = m.new_judgments
        points.append(
            w.sentence(
                "key.judgments." + ("one" if n == 1 else "other"),
                seed_of(m.area_key, n),
                [s.lead.citation for s in f.scenarios[:3]],
                count=p.count(n, "judgment"),
                area_name=w.area("name"),
            )
        )
    if f.serious is not None and m.citations.get(f.serious.id):
        e = f.serious
        points.append(
            w.sentence(
                "key.serious." + ("only" if len(m.events) == 1 else "one"),
                seed_of(e.id),
                m.citations[e.id][:2],
                kind=w.kind(e),
                where=w.where(e),
                when=w.when(e),
                toll=w.event_toll(e, "situation.event"),
            )
        )
    if f.top_risk is not None and (cites := risk_citations(w, f.top_risk)):
        points.append(
            w.sentence(
                "key.risk.one",
                seed_of(f.top_risk.place_key, f.top_risk.category),
                cites,
                area_in=w.area("in"),
                **risk_words(w, f.top_risk),
            )
        )
    if f.likely is not None:
        o = f.likely.lead
        points.append(
            w.sentence("key.outlook.one", seed_of(o.key), f.likely.citations, **outlook_words(w, o))
        )
    if m.exposures:
        points.append(_exposure_point(w, f, "key.exposure"))
    extra: list[Sentence] = []
    if f.dangerous is not None:
        o = f.dangerous.lead
        extra.append(
            w.sentence(
                "key.danger.one", seed_of(o.key), f.dangerous.citations, **outlook_words(w, o)
            )
        )
    for d in m.disagreements:
        if d.kind == "toll" and d.event is not None:
            e = d.event
            extra.append(
                w.sentence(
                    "key.dispute.one",
                    seed_of(e.id),
                    [c for _, c in d.sides],
                    kind=w.kind(e),
                    where=w.where(e),
                    when=w.when(e),
                )
            )
            break
    limit = int(p.setting("key_points_max"))
    points = [s for s in points if s.citations]
    points.extend(s for s in extra if s.citations and len(points) < 3)
    return BriefSection("key_points", p.word("titles.key_points"), tuple(points[:limit]))


def _exposure_point(w: Wording, f: Facts, key: str) -> Sentence:
    m = w.m
    if f.exposed:
        cites = [
            c for x in f.exposed for c in m.citations.get(x.nearest.id if x.nearest else "", ())[:1]
        ]
        form = "one" if len(f.exposed) == 1 else "other"
        return w.sentence(
            f"{key}.{form}",
            seed_of(*(x.asset.id for x in f.exposed)),
            cites,
            assets=w.p.count(len(f.exposed), "asset"),
            names=exposure_names(w, f.exposed),
            near=w.near(),
        )
    nearest = [x.nearest for x in m.exposures if x.nearest is not None]
    cites = [c for e in nearest for c in m.citations.get(e.id, ())[:1]]
    return w.sentence(f"{key}.none", seed_of(m.area_key), cites, near=w.near())


# ------------------------------------------------------------------ bottom line


def bottom_line(w: Wording, f: Facts) -> BriefSection:
    m = w.m
    grim = (f.likely is not None and f.likely.lead.danger > 0) or (
        f.top_risk is not None and f.top_risk.level >= 4
    )
    direction = f.direction
    sentences = []
    cites = event_citations(w, m.events) or event_citations(w, m.previous, 1)
    if not cites and f.likely is not None:
        cites = list(f.likely.citations)
    sentences.append(
        w.sentence(
            f"bluf.activity.{direction}_{'grim' if grim else 'calm'}",
            seed_of(m.area_key, len(m.events), len(m.previous)),
            cites,
            **counts_words(w),
        )
    )
    if f.likely is not None:
        o = f.likely.lead
        sentences.append(
            w.sentence(
                "bluf.outlook.one",
                seed_of("bluf", o.key),
                f.likely.citations,
                **outlook_words(w, o),
            )
        )
    if m.exposures:
        sentences.append(_bluf_exposure(w, f))
    return BriefSection(
        "bottom_line", w.p.word("titles.bottom_line"), tuple(s for s in sentences if s.citations)
    )


def _bluf_exposure(w: Wording, f: Facts) -> Sentence:
    if not f.exposed:
        return _exposure_point(w, f, "bluf.exposure")
    cites = [
        c for x in f.exposed for c in w.m.citations.get(x.nearest.id if x.nearest else "", ())[:1]
    ]
    form = "one" if len(f.exposed) == 1 else "other"
    refs = [w.asset_ref(x.asset) for x in f.exposed]
    return w.sentence(
        f"bluf.exposure.{form}",
        seed_of("bluf", *(x.asset.id for x in f.exposed)),
        cites,
        names=w.p.join(refs),
        near=w.near(),
    )


# -------------------------------------------------------------------- situation


def situation(w: Wording, f: Facts) -> BriefSection:
    m, p = w.m, w.p
    counts = counts_words(w)
    out: list[Sentence] = []
    seed = seed_of(m.area_key, m.period_end, len(m.events))
    if m.events or m.previous:
        cites = event_citations(w, m.events) if m.events else event_citations(w, m.previous, 1)
        out.append(w.sentence(f"situation.overview.{f.direction}", seed, cites, **counts))
    if len(m.events) > 1:
        out.append(
            w.sentence(
                "situation.types.one", seed, event_citations(w, m.events), kinds=w.kinds(m.events)
            )
        )
    if m.events:
        dead, more = w.dead(m.events)
        before, before_more = w.dead(m.previous)
        lethal = [e for e in (*m.events, *m.previous) if e.fatalities]
        cites = event_citations(w, lethal) or event_citations(w, m.events)
        key = "some" if dead else "none" if before else "none_both"
        out.append(
            w.sentence(
                f"situation.deaths.{key}",
                seed,
                cites,
                dead=w.toll(dead, more),
                previous_dead=w.toll(before, before_more),
                days=w.days(),
            )
        )
    if len(m.events) > 1:
        places = Counter(w.town(e) for e in m.events)
        if len(places) == 1:
            if m.area_scope != "town" or w.town(m.events[0]) != m.area_name:
                key = "both" if len(m.events) == 2 else "one"
                out.append(
                    w.sentence(
                        f"situation.places.{key}",
                        seed,
                        event_citations(w, m.events),
                        where=w.where(m.events[0]),
                    )
                )
        else:
            order = sorted(places, key=lambda t: (-places[t], t))
            listed = p.join([f"{t} ({p.number(places[t])})" for t in order])
            out.append(
                w.sentence(
                    "situation.places.many", seed, event_citations(w, m.events), places=listed
                )
            )
    if m.events:
        out.append(Sentence(p.word("titles.events")))
        ranked = sorted(m.events, key=lambda e: gravity(w, e), reverse=True)
        ranked = ranked[: int(p.setting("events_described"))]
        ranked.sort(key=lambda e: (e.event_date or date.min, e.id))
        out.extend(_event_sentence(w, e) for e in ranked if m.citations.get(e.id))
    return BriefSection("situation", p.word("titles.situation"), tuple(out))


def _event_sentence(w: Wording, e: Event) -> Sentence:
    p = w.p
    by = ""
    if e.actor1 and not w.is_victim(e.actor1) and e.inter1 not in (5, 6):
        by = p.fill(
            p.word("situation.event.by"),
            actor=w.actor(e.actor1, e.actor1_name),
            actor_to=w.actor(e.actor1, e.actor1_name, "to"),
        )
    status = ""
    if e.independent >= 2:
        status = p.fill(
            p.word("situation.event.corroborated"), sources=p.count(e.independent, "source")
        )
    return w.sentence(
        "situation.event.one",
        seed_of(e.id),
        w.m.citations[e.id],
        when=w.when(e),
        where=w.where(e),
        kind=w.kind(e),
        by=by,
        toll=w.event_toll(e, "situation.event") + status,
    )


# ----------------------------------------------------------------------- actors


def actors(w: Wording, f: Facts) -> BriefSection:
    m, p = w.m, w.p
    did: dict[str, list[Event]] = {}
    hit: dict[str, list[Event]] = {}
    names: dict[str, str | None] = {}
    for e in m.events:
        for aid, name in ((e.actor1, e.actor1_name), *((a, None) for a in e.assoc_actor_1)):
            if aid and not w.is_victim(aid):
                did.setdefault(aid, []).append(e)
                names.setdefault(aid, name)
        if e.actor2 and not w.is_victim(e.actor2):
            hit.setdefault(e.actor2, []).append(e)
            names.setdefault(e.actor2, e.actor2_name)
    judged: dict[str, list[Outlook]] = {}
    for s in f.scenarios:
        for aid in s.lead.actors:
            if not w.is_victim(aid):
                judged.setdefault(aid, []).append(s.lead)
    score = Counter(
        {
            a: 3 * len(did.get(a, ()))
            + 2 * len(hit.get(a, ()))
            + len(judged.get(a, ()))
            + m.mentions.get(a, 0)
            for a in {*did, *hit, *judged}
        }
    )
    ranked = sorted(score, key=lambda a: (-score[a], a))[: int(p.setting("actors_max"))]
    earlier: dict[str, list[Event]] = {}
    for e in m.previous:
        for aid in {e.actor1, e.actor2, *e.assoc_actor_1, *e.assoc_actor_2}:
            if aid:
                earlier.setdefault(aid, []).append(e)
    out: list[Sentence] = []
    used: set[str] = set()
    for aid in ranked:
        fresh = [o for o in judged.get(aid, []) if o.key not in used]
        body = _actor_sentences(
            w, aid, names.get(aid), did.get(aid, []), hit.get(aid, []), fresh, earlier.get(aid, [])
        )
        used.update(o.key for o in fresh[: int(p.setting("actor_outlooks"))])
        if body:
            out.append(Sentence(w.heading(w.actor(aid, names.get(aid)))))
            out.extend(body)
    return BriefSection("actors", p.word("titles.actors"), tuple(out))


def _actor_sentences(
    w: Wording,
    aid: str,
    name: str | None,
    did: list[Event],
    hit: list[Event],
    judged: list[Outlook],
    earlier: list[Event],
) -> list[Sentence]:
    m, p = w.m, w.p
    actor = {"actor": w.actor(aid, name), "actor_to": w.actor(aid, name, "to")}
    out = []
    for key, events in (("did", did), ("targeted", hit)):
        if not events:
            continue
        cites = [c for e in events for c in m.citations.get(e.id, ())[:1]]
        places = p.join(sorted({w.where(e) for e in events}))
        if len(events) == 1:
            e = events[0]
            out.append(
                w.sentence(
                    f"actors_section.{key}.one",
                    seed_of(aid, e.id),
                    cites,
                    kind=w.kind(e),
                    where=w.where(e),
                    when=w.when(e),
                    **actor,
                )
            )
        else:
            out.append(
                w.sentence(
                    f"actors_section.{key}.other",
                    seed_of(aid, len(events)),
                    cites,
                    kinds=w.kinds(events),
                    places=places,
                    count=p.number(len(events)),
                    **actor,
                )
            )
    judged = sorted(judged, key=lambda o: (-o.probability, o.key))[
        : int(p.setting("actor_outlooks"))
    ]
    if not out and (judged or earlier):
        cites = [c for e in earlier for c in m.citations.get(e.id, ())[:1]][:2]
        cites = cites or [judged[0].citation]
        out.append(w.sentence("actors_section.none.one", seed_of(aid), cites, **actor))
        if earlier:
            form = "one" if len(earlier) == 1 else "other"
            out.append(
                w.sentence(
                    f"actors_section.before.{form}",
                    seed_of(aid, len(earlier)),
                    cites,
                    kinds=w.kinds(earlier),
                    kind=w.kind(earlier[0]),
                    places=p.join(sorted({w.where(e) for e in earlier})),
                    where=w.where(earlier[0]),
                    when=w.when(earlier[0]),
                    days=w.days(),
                    **actor,
                )
            )
    for i, o in enumerate(judged):
        out.append(
            w.sentence(
                "actors_section.outlook." + ("more" if i else "first"),
                seed_of(aid, o.key),
                [o.citation],
                **outlook_words(w, o),
            )
        )
    return out
