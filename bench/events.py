"""Event extraction and merging speed: documents per second on one core, against the
extraction stage without events measured in the same run; merging 1,000 vs 10,000
reports (near-linear means a ratio near 10, not 100).

Documents come from ``bench/extract.py``'s builder (demo corpus and gold paragraphs,
about 300 words each, half French, half English) plus, to hold events, the gold event
notes and news items. Runs, after one warm-up, on the same documents, in one process:

- baseline: extraction as the understanding issue left it (actors, places, times,
  attributions, judgments), ``Extractor(events=False)``;
- Tocsin: the same with event reports, then merging every report into events.

Merging scale: reports drawn from the extracted ones, copied with shifted dates (one
event per copy and day), sources and places, 1,000 then 10,000, merged from scratch.

    .venv/bin/python bench/events.py [--docs 1000]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract import build_docs  # noqa: E402
from tocsin.assess.merge.reports import merge_reports  # noqa: E402
from tocsin.extract.annotate import Extractor  # noqa: E402
from tocsin.models import Document, Precision, Source, SourcedReport  # noqa: E402

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold"


def event_docs(count: int, seed: int = 5) -> list[Document]:
    """Documents whose paragraphs report events (gold notes and news items)."""
    texts: dict[str, list[str]] = {"fr": [], "en": []}
    for name in ("acled_notes.jsonl", "events_fr.jsonl"):
        path = GOLD / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    item = json.loads(line)
                    texts.setdefault(item.get("lang", "en"), []).append(item["text"])
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        lang = "fr" if i % 2 == 0 and texts["fr"] else "en"
        body = "\n\n".join(rng.choice(texts[lang]) for _ in range(6))
        docs.append(
            Document(
                id=f"ev-{i}",
                source=Source(id=f"outlet-{i % 37}", name=f"outlet {i % 37}"),
                text=f"{body}\n\nDocument {i}.",
                content_hash=str(i),
                fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
                published=datetime(2025, 10, 15, tzinfo=UTC),
                published_precision=Precision.DAY,
                language=lang,
            )
        )
    return docs


def sourced(docs: list[Document], found: list) -> list[SourcedReport]:  # type: ignore[type-arg]
    by_id = {d.id: d for d in docs}
    out = []
    for ann in found:
        doc = by_id[ann.document_id]
        for r in ann.events:
            out.append(
                SourcedReport(
                    id=f"{doc.id}:{r.span.part}:{r.span.start}",
                    report=r,
                    source_id=doc.source.id,
                    published=doc.published,
                    quote=doc.text[r.span.start : r.span.end],
                )
            )
    return out


def scaled(reports: list[SourcedReport], count: int, seed: int = 3) -> list[SourcedReport]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        base = rng.choice(reports).report
        shift = timedelta(days=i // 3)  # about three reports per event and day
        day = (base.event_date or datetime(2025, 1, 1).date()) + shift
        lat = (base.lat or 14.0) + rng.uniform(-3, 3)
        lon = (base.lon or -4.0) + rng.uniform(-3, 3)
        report = replace(base, event_date=day, lat=lat, lon=lon)
        out.append(
            SourcedReport(
                id=f"s{i}",
                report=report,
                source_id=f"outlet-{rng.randrange(40)}",
                published=datetime(day.year, day.month, day.day, tzinfo=UTC),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    half = args.docs // 2
    docs = build_docs(args.docs - half) + event_docs(half)
    print(f"{len(docs)} documents ({half} built from event texts), one core")

    baseline_ex = Extractor(events=False)
    tocsin_ex = Extractor(models=baseline_ex.models)
    list(baseline_ex.extract_many(docs[:4]))
    list(tocsin_ex.extract_many(docs[:4]))  # warm-up: models, gazetteer, lexicons

    started = time.perf_counter()
    list(baseline_ex.extract_many(docs))
    base_s = time.perf_counter() - started
    started = time.perf_counter()
    found = list(tocsin_ex.extract_many(docs))
    extract_s = time.perf_counter() - started
    reports = sourced(docs, found)
    started = time.perf_counter()
    events = merge_reports(reports)
    merge_s = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"baseline, extraction without events: {len(docs) / base_s:,.1f} docs/s ({base_s:.1f} s)")
    print(
        f"Tocsin, extraction with events:      {len(docs) / extract_s:,.1f} docs/s "
        f"({extract_s:.1f} s; {len(reports)} reports)"
    )
    print(f"merging those reports:               {merge_s:.2f} s -> {len(events)} events")
    total = extract_s + merge_s
    print(f"Tocsin, events extracted and merged: {len(docs) / total:,.1f} docs/s")
    print(f"ratio Tocsin / baseline:             {base_s / total:.2f}")
    print(f"peak memory:                         {peak:,.0f} MB")

    times = {}
    for n in (1_000, 10_000):
        sample = scaled(reports, n)
        started = time.perf_counter()
        merged = merge_reports(sample)
        times[n] = time.perf_counter() - started
        print(f"merge {n:>6,} reports: {times[n]:.2f} s -> {len(merged):,} events")
    print(f"ratio 10,000 / 1,000: {times[10_000] / times[1_000]:.1f} (linear: 10)")


if __name__ == "__main__":
    main()
