"""Terminal rendering of annotations for ``tocsin docs show --annotations`` and
``tocsin extract``: the text with each annotation highlighted, then a table of what each
one resolved to. Text written by strangers goes through ``rich.text.Text``, never markup.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tocsin.models import AnnotationRef, Annotations, Document
from tocsin.report.highlights import describe as _describe

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
