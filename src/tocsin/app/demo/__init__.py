"""The bundled demo corpus (written for the project) and what ``make demo`` prints."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console

from tocsin.models import Annotations
from tocsin.store import Store


def corpus_path() -> Path:
    return Path(__file__).parent / "corpus"


def corpus_files() -> list[Path]:
    """The demo documents (the corpus README and the outlet registry are not documents)."""
    skip = {"README.md", "sources.toml"}
    return sorted(p for p in corpus_path().iterdir() if p.is_file() and p.name not in skip)


def demo_summary(store: Store, console: Console) -> None:
    """A table of what was ingested, and the figures a reader checks first."""
    rows = store.list_documents(limit=1000)
    console.print("Documents in the demo database, newest first:", markup=False)
    for r in rows:
        extra = f"  copy of {r.duplicate_of}" if r.duplicate_of else ""
        thread = f"  {r.comments} comments" if r.comments else ""
        console.print(
            f"  {r.id}  {r.when:<10}  {r.language or '?':<2}  {r.kind:<8}  {r.source[:24]:<24}  "
            f"{(r.title or '')[:70]}{thread}{extra}",
            markup=False,
        )
    langs = Counter(r.language or "?" for r in rows)
    copies = sum(1 for r in rows if r.duplicate_of)
    comments = sum(r.comments for r in rows)
    console.print(
        f"{len(rows)} documents ({', '.join(f'{n} {k}' for k, n in langs.most_common())}), "
        f"{copies} near-copies linked to their original, {comments} reader comments kept apart.",
        markup=False,
    )
    threaded = max(rows, key=lambda r: r.comments, default=None)
    if threaded and threaded.comments:
        console.print(
            f"Read one with its comment thread: tocsin --db <db> docs show {threaded.id}",
            markup=False,
        )


def demo_annotations(found: list[Annotations], console: Console) -> None:
    """What extraction found over the corpus: the actors and places named most often."""
    if not found:
        return
    actors: Counter[str] = Counter()
    places: Counter[str] = Counter()
    unresolved = times = horizons = 0
    sourcing: Counter[str] = Counter()
    for ann in found:
        actors.update(a.acled or a.name for a in ann.actors)
        places.update(p.name or p.surface for p in ann.places if p.resolved)
        unresolved += sum(1 for p in ann.places if not p.resolved)
        times += len(ann.times)
        horizons += sum(1 for t in ann.times if t.kind == "horizon")
        sourcing.update(a.kind for a in ann.attributions)
    console.print(
        f"\nExtraction ({found[0].extractor_version}) over {len(found)} documents:",
        markup=False,
    )
    top = ", ".join(f"{name} ×{n}" for name, n in actors.most_common(8))
    console.print(f"  actors, most named: {top}", markup=False)
    top = ", ".join(f"{name} ×{n}" for name, n in places.most_common(8))
    console.print(f"  places, most named: {top} ({unresolved} unresolved)", markup=False)
    console.print(f"  {times} dates and horizons ({horizons} forecast horizons)", markup=False)
    said = ", ".join(f"{n} {k}" for k, n in sourcing.most_common())
    console.print(f"  who says so: {said}", markup=False)
    busiest = max(found, key=lambda a: len(a.actors) + len(a.places))
    console.print(
        f"See them highlighted: tocsin --db <db> docs show {busiest.document_id} --annotations",
        markup=False,
    )


def demo_assessment(store: Store, console: Console) -> None:
    """Judgments, forecasts and claims over the corpus, and where to look next."""
    from tocsin.app.review import review

    judgments = store.list_annotations("judgment")
    forecasts = store.list_forecasts()
    found = review(store)
    shared = [g for g in found.claims if g.claim.independent >= 2]
    contradicted = [g for g in found.claims if g.claim.contradicted]
    console.print(
        f"\nAssessment: {len(judgments)} estimative judgments, {len(forecasts)} registered as "
        f"forecasts with a deadline; {len(found.claims)} claims, {len(shared)} corroborated "
        f"by independent sources, {len(contradicted)} contradicted.",
        markup=False,
    )
    if shared:
        top = shared[0]
        quote = top.claim.statements[0].text
        console.print(
            f"  most corroborated ({top.claim.independent} sources, credibility "
            f"{top.grade.number}): {quote[:110]}",
            markup=False,
        )
    console.print(
        "Next: tocsin --db <db> forecasts list · claims · sources · quality <id>", markup=False
    )


def demo_events(store: Store, console: Console) -> None:
    """The events merged from the corpus: counts by type and status, the best
    corroborated ones, and where to look next."""
    from tocsin.models import EventFilter

    events = store.list_events(EventFilter())
    if not events:
        console.print("\nEvents: none reported in the corpus.", markup=False)
        return
    types = Counter(e.event_type for e in events)
    statuses = Counter(e.status for e in events)
    reports = sum(len(e.reports) for e in events)
    console.print(
        f"\nEvents: {len(events)} merged from {reports} reports ("
        + ", ".join(f"{n} {k}" for k, n in statuses.most_common())
        + "); "
        + ", ".join(f"{k} ×{n}" for k, n in types.most_common()),
        markup=False,
    )
    ranked = sorted(events, key=lambda e: (-e.independent, -len(e.reports), e.id))
    for e in ranked[:5]:
        sides = " vs ".join(n for n in (e.actor1_name, e.actor2_name) if n) or "no actor named"
        dead = "" if e.fatalities is None else f", {e.fatalities} killed"
        if e.fatalities_high is not None and e.fatalities_high != e.fatalities:
            dead += f" ({e.fatalities_low}–{e.fatalities_high} reported)"
        console.print(
            f"  {e.event_date or '?'} {e.sub_event_type}: {sides}, {e.location or '?'}{dead}"
            f" · {e.status}, {e.independent} independent of {len(e.reports)} reports · {e.id}",
            markup=False,
        )
    console.print(
        "Next: tocsin --db <db> events list · events show <id> · "
        "export --format acled-csv|geojson|jsonl",
        markup=False,
    )
