"""Terminal rendering of annotations for ``tocsin docs show --annotations`` and
``tocsin extract``: the text with each annotation highlighted, then a table of what each
one resolved to. Text written by strangers goes through ``rich.text.Text``, never markup.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tocsin.models import (
    ActorRef,
    AnnotationRef,
    Annotations,
    Attribution,
    Document,
    EventReport,
    Judgment,
    PlaceRef,
    TimeRef,
    annotation_to_plain,
)

STYLES = {
    "actor": "bold cyan",
    "place": "bold green",
    "unresolved": "green strike",
    "time": "bold yellow",
    "cue": "magenta underline",
    "judgment": "bold magenta reverse",
    "event": "bold red underline",
}


def summary(ann: Annotations) -> str:
    """ "5 actors, 3 places (1 unresolved), 2 times, 4 attributions"."""
    unresolved = sum(1 for p in ann.places if not p.resolved)
    kinds = Counter(a.kind for a in ann.attributions)
    sourced = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
    judged = f", {len(ann.judgments)} judgments" if ann.judgments else ""
    judged += f", {len(ann.events)} event reports" if ann.events else ""
    return (
        f"{len(ann.actors)} actors, {len(ann.places)} places"
        f"{f' ({unresolved} unresolved)' if unresolved else ''}, {len(ann.times)} times, "
        f"{len(ann.attributions)} attributions{f' ({sourced})' if sourced else ''}{judged}"
    )


def annotations_json(ann: Annotations) -> dict[str, Any]:
    refs: list[AnnotationRef] = [
        *ann.actors,
        *ann.places,
        *ann.times,
        *ann.attributions,
        *ann.judgments,
        *ann.events,
    ]
    return {
        "document_id": ann.document_id,
        "extractor_version": ann.extractor_version,
        "languages": ann.languages,
        "annotations": [annotation_to_plain(r) for r in refs],
    }


def _highlighted(text: str, part: str, ann: Annotations) -> Text:
    shown = Text(text, overflow="fold")
    for actor in ann.actors:
        if actor.span.part == part:
            shown.stylize(STYLES["actor"], actor.span.start, actor.span.end)
    for place in ann.places:
        if place.span.part == part:
            style = STYLES["place" if place.resolved else "unresolved"]
            shown.stylize(style, place.span.start, place.span.end)
    for time in ann.times:
        if time.span.part == part:
            shown.stylize(STYLES["time"], time.span.start, time.span.end)
    for attribution in ann.attributions:
        if attribution.span.part == part and attribution.cue is not None:
            shown.stylize(STYLES["cue"], attribution.cue.start, attribution.cue.end)
    for judgment in ann.judgments:
        if judgment.cue.part == part:
            shown.stylize(STYLES["judgment"], judgment.cue.start, judgment.cue.end)
    for event in ann.events:
        if event.trigger.part == part:
            shown.stylize(STYLES["event"], event.trigger.start, event.trigger.end)
    return shown


def _describe(ref: AnnotationRef, text: str) -> tuple[str, str, str]:
    if isinstance(ref, ActorRef):
        kind = "actor (generic)" if ref.generic else "actor"
        return kind, ref.surface, f"{ref.actor_id} · {ref.acled or ref.name}"
    if isinstance(ref, PlaceRef):
        if not ref.resolved:
            return "place", ref.surface, f"unresolved: {ref.reason}"
        where = ", ".join(x for x in (ref.name, ref.admin1, ref.country) if x)
        near = ""
        if ref.offset_km or ref.direction:
            near = f" · {ref.offset_km or '?'} km {ref.direction or ''}".rstrip()
        coords = f"{ref.lat:.4f}, {ref.lon:.4f}" if ref.lat is not None and ref.lon else "—"
        return (
            "place",
            ref.surface,
            f"{where} ({ref.kind}) · {coords} · precision {ref.precision}{near}",
        )
    if isinstance(ref, TimeRef):
        rel = " (relative)" if ref.relative else ""
        return ref.kind, ref.surface, f"{ref.value} · {ref.precision}{rel}"
    if isinstance(ref, Judgment):
        return _describe_judgment(ref)
    if isinstance(ref, EventReport):
        return _describe_event(ref)
    return _describe_attribution(ref, text)


def _describe_event(ref: EventReport) -> tuple[str, str, str]:
    sides = " vs ".join(n for n in (ref.actor1_name, ref.actor2_name) if n) or "no actor named"
    where = ref.location or "no place"
    when = ref.event_date.isoformat() if ref.event_date else "no date"
    dead = "" if ref.fatalities is None else f" · {ref.fatalities} killed"
    tags = f" · {', '.join(ref.tags)}" if ref.tags else ""
    return (
        "event",
        ref.trigger_text,
        f"{ref.event_type} / {ref.sub_event_type} · {sides} · {where} (precision "
        f"{ref.geo_precision}) · {when} (precision {ref.time_precision}){dead}{tags}",
    )


def _describe_judgment(ref: Judgment) -> tuple[str, str, str]:
    band = f"{ref.label} ({ref.low:.0%}–{ref.high:.0%})"
    extra = []
    if ref.deadline:
        extra.append(f"by {ref.deadline.isoformat()}")
    if ref.condition is not None:
        extra.append("conditional")
    if ref.trend:
        extra.append(f"trend {ref.trend}")
    holder = ref.holder or ref.holder_kind
    return "judgment", ref.cue_text, " · ".join([band, holder, *extra])


def _describe_attribution(ref: Attribution, text: str) -> tuple[str, str, str]:
    who = ref.source or ""
    if ref.role:
        who = f"{who} ({ref.role})" if who else ref.role
    claim = " ".join(text[ref.span.start : ref.span.end].split())
    if len(claim) > 70:
        claim = claim[:69] + "…"
    return f"claim: {ref.kind}", claim, who or "the author"


def print_annotations(console: Console, doc: Document, ann: Annotations) -> None:
    """The body and each comment with annotations highlighted, then one table per part."""
    console.print(f"extractor {ann.extractor_version}", style="dim", markup=False)
    legend = Text("legend: ")
    for label, style in (
        ("actor", "actor"),
        ("place", "place"),
        ("unresolved place", "unresolved"),
    ):
        legend.append(label, style=STYLES[style])
        legend.append("  ")
    legend.append("time", style=STYLES["time"])
    legend.append("  ")
    legend.append("attribution cue", style=STYLES["cue"])
    legend.append("  ")
    legend.append("likelihood cue", style=STYLES["judgment"])
    legend.append("  ")
    legend.append("event", style=STYLES["event"])
    console.print(legend)
    parts = [("body", doc.text)] + [(c.id, c.text) for c in doc.comments]
    for part, text in parts:
        every: list[AnnotationRef] = [
            *ann.actors,
            *ann.places,
            *ann.times,
            *ann.attributions,
            *ann.judgments,
            *ann.events,
        ]
        refs = [r for r in every if r.span.part == part]
        if part != "body" and not refs:
            continue
        console.print()
        console.print(part if part == "body" else f"comment {part}", style="bold", markup=False)
        console.print(_highlighted(text, part, ann))
        if not refs:
            continue
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("kind")
        table.add_column("text")
        table.add_column("resolved to")
        for ref in sorted(refs, key=lambda r: r.span.start):
            kind, surface, value = _describe(ref, text)
            table.add_row(Text(kind), Text(surface, overflow="fold"), Text(value, overflow="fold"))
        console.print(table)
    console.print()
    console.print(summary(ann), markup=False)
