"""Gold events and their scoring: ACLED-style English notes (``acled_notes.jsonl``, one
event each, the note's point as its place) and news sentences and paragraphs
(``events_fr.jsonl``: French and some English, with items that must yield no event).

A predicted event report (``Annotations.events``, body only) matches a gold event of the
same item one to one, greedily: when the gold names its trigger, the report's clause must
hold it; the candidates that agree on the event type come first. Figures: detection
precision and recall, then on matched pairs the accuracy of event type, sub-type, actor1,
actor2, exact fatalities, date, and the share of places within 25 km of gold. Nothing
here loads a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from eval.corpus import GoldError, Job, _read_jsonl, find_span
from eval.score import Counts, assign_greedy, overlap
from tocsin.geo.distance import haversine_km
from tocsin.models import EVENT_TAGS, EVENT_TYPES, Annotations, EventReport, Kind, SourcedReport

NEWS_FILE = "events_fr.jsonl"
NOTES_FILE = "acled_notes.jsonl"
WITHIN_KM = 25.0


@dataclass(frozen=True, slots=True)
class GoldEvent:
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    fatalities: int | None
    trigger: tuple[int, int] | None = None
    lat: float | None = None
    lon: float | None = None
    when: date | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldEventItem:
    id: str
    set: str  # "notes" or "news"
    lang: str
    published: date
    country: str | None
    text: str
    events: tuple[GoldEvent, ...]

    def job(self) -> Job:
        return Job(self.id, self.text, self.lang, self.published, self.country)


def _event(row: Mapping[str, Any], item: Mapping[str, Any], where: str) -> GoldEvent:
    etype, sub = row.get("event_type"), row.get("sub_event_type")
    if etype not in EVENT_TYPES or sub not in EVENT_TYPES[str(etype)]:
        raise GoldError(f"{where}: event type {etype!r} / {sub!r} is not ACLED's")
    tags = tuple(row.get("tags") or ())
    if bad := [t for t in tags if t not in EVENT_TAGS]:
        raise GoldError(f"{where}: unknown tags {bad}")
    text = str(item["text"])
    trigger = None
    if row.get("trigger"):
        trigger = find_span(text, str(row["trigger"]), int(row.get("trigger_n", 0)))
        if trigger is None:
            raise GoldError(f"{where}: trigger {row['trigger']!r} is not in the text")
    place = row.get("location") if "location" in row else item
    lat = place.get("lat") if isinstance(place, Mapping) else None
    lon = place.get("lon") if isinstance(place, Mapping) else None
    when = row.get("date") or (item.get("date") if "date" in item else None)
    fatalities = row.get("fatalities")
    return GoldEvent(
        event_type=str(etype),
        sub_event_type=str(sub),
        actor1=row.get("actor1"),
        actor2=row.get("actor2"),
        fatalities=int(fatalities) if isinstance(fatalities, int) else None,
        trigger=trigger,
        lat=float(lat) if isinstance(lat, int | float) else None,
        lon=float(lon) if isinstance(lon, int | float) else None,
        when=date.fromisoformat(str(when)) if when else None,
        tags=tags,
    )


def load_event_items(gold: Path) -> list[GoldEventItem]:
    """Both gold sets; a note without ``events`` is left out (not coded yet)."""
    items = []
    for name, kind in ((NOTES_FILE, "notes"), (NEWS_FILE, "news")):
        path = gold / name
        if not path.exists():
            continue
        for number, row in enumerate(_read_jsonl(path), 1):
            if "events" not in row:
                continue
            where = f"{name}:{number} ({row.get('id')})"
            published = row.get("published") or row.get("date")
            events = tuple(_event(e, row, where) for e in row["events"])
            items.append(
                GoldEventItem(
                    id=str(row["id"]),
                    set=kind,
                    lang=str(row.get("lang", "en")),
                    published=date.fromisoformat(str(published)),
                    country=row.get("country"),
                    text=str(row["text"]),
                    events=events,
                )
            )
    return items


# ---------------------------------------------------------------- scoring


@dataclass(slots=True)
class EventTally:
    detection: Counts
    type_ok: int = 0
    sub_ok: int = 0
    actor1_ok: int = 0
    actor2_ok: int = 0
    fatalities_ok: int = 0
    date_ok: int = 0
    dated: int = 0
    near: int = 0
    placed: int = 0
    negatives: int = 0
    negatives_clean: int = 0

    def add(self, other: EventTally) -> None:
        self.detection.add(other.detection)
        for name in self.__slots__:
            if name != "detection":
                setattr(self, name, getattr(self, name) + getattr(other, name))


def _candidates(
    gold: Sequence[GoldEvent], preds: Sequence[EventReport]
) -> list[tuple[int, int, int]]:
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(preds):
            if g.trigger is not None:
                shared = overlap(g.trigger, (p.span.start, p.span.end))
                if shared <= 0:
                    continue
            score = (4 if p.event_type == g.event_type else 0) + (
                2 if p.sub_event_type == g.sub_event_type else 0
            )
            pairs.append((-(score * 10_000) + j, i, j))
    return pairs


def score_events(item: GoldEventItem, ann: Annotations) -> tuple[EventTally, list[str]]:
    """The tally of one item and a line per miss."""
    preds = [e for e in ann.events if e.span.part == "body"]
    matched = assign_greedy(_candidates(item.events, preds))
    tally = EventTally(Counts(len(matched), len(item.events), len(preds)))
    misses = []
    if not item.events:
        tally.negatives = 1
        tally.negatives_clean = int(not preds)
    notes = item.set == "notes"
    for i, j in matched:
        g, p = item.events[i], preds[j]
        tally.type_ok += p.event_type == g.event_type
        tally.sub_ok += p.sub_event_type == g.sub_event_type
        tally.actor1_ok += p.actor1 == g.actor1
        tally.actor2_ok += p.actor2 == g.actor2
        predicted_fatalities = (p.fatalities or 0) if notes else p.fatalities
        tally.fatalities_ok += predicted_fatalities == g.fatalities
        if g.when is not None:
            tally.dated += 1
            tally.date_ok += p.event_date == g.when
        if g.lat is not None and g.lon is not None:
            tally.placed += 1
            if p.lat is not None and p.lon is not None:
                tally.near += haversine_km(g.lat, g.lon, p.lat, p.lon) <= WITHIN_KM
        wrong = [
            f"{name} {got!r} (gold {want!r})"
            for name, got, want in (
                ("type", p.sub_event_type, g.sub_event_type),
                ("actor1", p.actor1, g.actor1),
                ("actor2", p.actor2, g.actor2),
                ("fatalities", predicted_fatalities, g.fatalities),
            )
            if got != want
        ]
        if wrong:
            misses.append(f"{item.id} event {i}: " + "; ".join(wrong))
    hit_gold = {i for i, _ in matched}
    hit_pred = {j for _, j in matched}
    for i, g in enumerate(item.events):
        if i not in hit_gold:
            misses.append(f"{item.id} missed: {g.sub_event_type} ({g.actor1} vs {g.actor2})")
    for j, p in enumerate(preds):
        if j not in hit_pred:
            quote = ann_text(item, p)
            misses.append(f"{item.id} extra: {p.sub_event_type} at {p.trigger_text!r} in {quote!r}")
    return tally, misses


def ann_text(item: GoldEventItem, report: EventReport) -> str:
    return item.text[report.span.start : report.span.end][:120]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def event_figures(
    items: Sequence[GoldEventItem], tallies: Sequence[EventTally]
) -> dict[str, float]:
    figures: dict[str, float] = {}
    groups: dict[str, EventTally] = {
        "": EventTally(Counts()),
        "notes.": EventTally(Counts()),
        "news.": EventTally(Counts()),
    }
    for item, tally in zip(items, tallies, strict=True):
        groups[""].add(tally)
        groups.setdefault(f"{item.set}.", EventTally(Counts())).add(tally)
        if item.set == "news":
            groups.setdefault(f"news.{item.lang}.", EventTally(Counts())).add(tally)
    for prefix, t in groups.items():
        name = f"events.{prefix}"
        m = t.detection.tp
        figures |= {
            name + "precision": t.detection.precision,
            name + "recall": t.detection.recall,
            name + "f1": t.detection.f1,
            name + "n_gold": float(t.detection.n_gold),
            name + "n_pred": float(t.detection.n_pred),
            name + "type_accuracy": _share(t.type_ok, m),
            name + "subtype_accuracy": _share(t.sub_ok, m),
            name + "actor1_accuracy": _share(t.actor1_ok, m),
            name + "actor2_accuracy": _share(t.actor2_ok, m),
            name + "fatalities_exact": _share(t.fatalities_ok, m),
            name + "date_accuracy": _share(t.date_ok, t.dated),
            name + "within_25km": _share(t.near, t.placed),
        }
        if t.negatives or prefix in ("", "news."):
            figures[name + "negatives_clean"] = _share(t.negatives_clean, t.negatives)
    return figures


def merge_figures(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """Pairwise merging scores as ``events.merge.*`` figures."""
    from eval.events_merge import pairwise_scores

    return {f"events.merge.{k}": v for k, v in pairwise_scores(predicted, gold).items()}


def format_events(figures: Mapping[str, float]) -> list[str]:
    lines = [
        "events       set     P      R      F1   type    sub  actor1 actor2  fatal  date  25km"
        "  gold  pred"
    ]
    for prefix in ("", "notes.", "news.", "news.fr.", "news.en."):
        name = f"events.{prefix}"
        if name + "precision" not in figures:
            continue
        f = {k.removeprefix(name): v for k, v in figures.items() if k.startswith(name)}
        lines.append(
            f"{'':13}{prefix.rstrip('.') or 'all':<8}{f['precision']:.3f}  {f['recall']:.3f}  "
            f"{f['f1']:.3f}  {f['type_accuracy']:.3f}  {f['subtype_accuracy']:.3f}  "
            f"{f['actor1_accuracy']:.3f}  {f['actor2_accuracy']:.3f}  {f['fatalities_exact']:.3f}  "
            f"{f['date_accuracy']:.3f}  {f['within_25km']:.3f}  "
            f"{int(f['n_gold']):>4}  {int(f['n_pred']):>4}"
        )
        if "negatives_clean" in f:
            lines[-1] += f"  (no-event items clean {f['negatives_clean']:.3f})"
    return lines


# ---------------------------------------------------------------- merging


def merge_jobs(items: Sequence[Any]) -> list[Job]:
    """One job per merge report (``eval.events_merge.MergeItem``), dated by publication."""
    return [
        Job(i.id, i.text, i.lang, (i.published or datetime(2025, 1, 1)).date(), i.country)
        for i in items
    ]


def merged_groups(items: Sequence[Any], annotations: Sequence[Annotations]) -> dict[str, str]:
    """Each report's predicted event: its reports are merged across items by
    ``tocsin.assess.merge.reports.merge_reports``; an item's event is the one holding most of its
    reports (the first on a tie). Items without a report are left out (alone)."""
    from tocsin.assess.merge.reports import merge_reports

    sourced = []
    for item, ann in zip(items, annotations, strict=True):
        for r in ann.events:
            sourced.append(
                SourcedReport(
                    id=f"{item.id}:{r.span.part}:{r.span.start}",
                    report=r,
                    source_id=item.source_id,
                    kind=Kind(item.kind),
                    reliability=item.reliability,
                    copy_of=item.copy_of,
                    published=item.published,
                    quote=item.text[r.span.start : r.span.end],
                )
            )
    event_of = {r.id: e.id for e in merge_reports(sourced) for r in e.reports}
    votes: dict[str, list[str]] = {}
    for s in sourced:
        votes.setdefault(s.document_id, []).append(event_of[s.id])
    return {doc: max(dict.fromkeys(ids), key=ids.count) for doc, ids in votes.items()}
