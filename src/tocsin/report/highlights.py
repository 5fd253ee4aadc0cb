"""What to highlight in a text, as plain values that any renderer escapes piece by piece:
the annotations of a document part as non-overlapping segments (the web's document page,
the terminal) and a one-line description of what each annotation resolved to. Search
snippets are ``tocsin.text.snippets`` (the store builds them with its hits).

Nothing here builds markup: a segment is text with the kinds of annotation covering it
and a title; the page escapes the text and the title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from tocsin.models import (
    ActorRef,
    AnnotationRef,
    Annotations,
    Attribution,
    EventReport,
    Judgment,
    PlaceRef,
    TimeRef,
)

# The kinds of highlight, in the order they are drawn (a later kind shows over an
# earlier one where they overlap); "unresolved" marks a place no gazetteer entry fits.
KINDS: tuple[str, ...] = ("actor", "place", "unresolved", "time", "cue", "judgment", "event")
_ORDER = {kind: i for i, kind in enumerate(KINDS)}
MAX_TITLE = 300  # characters of a segment's title


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text under the same highlights: ``kinds`` is empty for plain text;
    ``title`` says what the annotations here resolved to (empty for plain text)."""

    text: str
    kinds: tuple[str, ...] = ()
    title: str = ""
    start: int = 0  # offset of the run in the part's text


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted span of a part: offsets, kind and what it resolved to."""

    start: int
    end: int
    kind: str
    title: str


# ---------------------------------------------------------------- descriptions


def describe(ref: AnnotationRef, text: str) -> tuple[str, str, str]:
    """(kind, surface, what it resolved to) of an annotation found in ``text``, for the
    terminal's and the dashboard's tables of annotations."""
    if isinstance(ref, ActorRef):
        kind = "actor (generic)" if ref.generic else "actor"
        return kind, ref.surface, f"{ref.actor_id} · {ref.acled or ref.name}"
    if isinstance(ref, PlaceRef):
        return _describe_place(ref)
    if isinstance(ref, TimeRef):
        rel = " (relative)" if ref.relative else ""
        return ref.kind, ref.surface, f"{ref.value} · {ref.precision}{rel}"
    if isinstance(ref, Judgment):
        return _describe_judgment(ref)
    if isinstance(ref, EventReport):
        return _describe_event(ref)
    return _describe_attribution(ref, text)


def _describe_place(ref: PlaceRef) -> tuple[str, str, str]:
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


# ---------------------------------------------------------------- segments


def every_ref(ann: Annotations) -> list[AnnotationRef]:
    """All annotations of ``ann``: actors, places, times, attributions, judgments, events."""
    return [*ann.actors, *ann.places, *ann.times, *ann.attributions, *ann.judgments, *ann.events]


def marks(text: str, part: str, ann: Annotations) -> list[Mark]:
    """The highlighted spans of one part: each actor, place and time where it is named,
    the cue of each attribution and judgment, the trigger of each event report."""
    found: list[Mark] = []

    def add(start: int, end: int, kind: str, ref: AnnotationRef) -> None:
        label, _surface, value = describe(ref, text)
        found.append(Mark(start, end, kind, f"{label}: {value}"))

    for actor in ann.actors:
        if actor.span.part == part:
            add(actor.span.start, actor.span.end, "actor", actor)
    for place in ann.places:
        if place.span.part == part:
            kind = "place" if place.resolved else "unresolved"
            add(place.span.start, place.span.end, kind, place)
    for time in ann.times:
        if time.span.part == part:
            add(time.span.start, time.span.end, "time", time)
    for attribution in ann.attributions:
        if attribution.cue is not None and attribution.cue.part == part:
            add(attribution.cue.start, attribution.cue.end, "cue", attribution)
    for judgment in ann.judgments:
        if judgment.cue.part == part:
            add(judgment.cue.start, judgment.cue.end, "judgment", judgment)
    for event in ann.events:
        if event.trigger.part == part:
            add(event.trigger.start, event.trigger.end, "event", event)
    return found


def segments(text: str, found: Iterable[Mark]) -> list[Segment]:
    """``text`` cut into runs that no mark starts or ends inside, each with the kinds
    (in :data:`KINDS` order) and titles of the marks covering it. Marks out of the
    text are clipped; empty ones are dropped. Joined, the runs give back ``text``."""
    size = len(text)
    spans = []
    for mark in found:
        start, end = max(0, mark.start), min(size, mark.end)
        if start < end:
            spans.append((start, end, mark))
    cuts = sorted({0, size, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    openings: dict[int, list[int]] = {}
    closings: dict[int, list[int]] = {}
    for i, (start, end, _mark) in enumerate(spans):
        openings.setdefault(start, []).append(i)
        closings.setdefault(end, []).append(i)
    active: dict[int, Mark] = {}
    pieces: list[Segment] = []
    for left, right in pairwise(cuts):
        for i in closings.get(left, ()):
            active.pop(i, None)
        for i in openings.get(left, ()):
            active[i] = spans[i][2]
        covering = sorted(active.values(), key=lambda m: (_ORDER.get(m.kind, 99), m.start))
        kinds = tuple(dict.fromkeys(m.kind for m in covering))
        title = " | ".join(dict.fromkeys(m.title for m in covering))
        if len(title) > MAX_TITLE:
            title = title[: MAX_TITLE - 1] + "…"
        if pieces and pieces[-1].kinds == kinds and pieces[-1].title == title:
            last = pieces[-1]
            pieces[-1] = Segment(last.text + text[left:right], kinds, title, last.start)
        else:
            pieces.append(Segment(text[left:right], kinds, title, left))
    return pieces or [Segment(text)]


def highlight(text: str, part: str, ann: Annotations | None) -> list[Segment]:
    """The segments of one part of a document (``"body"`` or a comment id)."""
    if ann is None:
        return [Segment(text)]
    return segments(text, marks(text, part, ann))
