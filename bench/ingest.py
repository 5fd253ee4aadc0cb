"""Ingestion speed: documents per second for extraction plus storage, on one core.

1,000 pages are built from the demo corpus's HTML pages: each page keeps its template
(head, navigation, comment section, footer) and gets its article paragraphs drawn from
the whole corpus plus a unique line, so no two pages are copies of each other. The
baseline is the bare extractor (trafilatura.bare_extraction, same options) on the same
pages in the same run. Prints both rates and their ratio.

    .venv/bin/python bench/ingest.py [--pages 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import tempfile
import time
from pathlib import Path

import lxml.html
import trafilatura

from tocsin.app.demo import corpus_path
from tocsin.app.pipeline import Pipeline
from tocsin.config import Settings
from tocsin.store import open_store


def build_pages(count: int, seed: int = 7) -> list[bytes]:
    templates = [p.read_text(encoding="utf-8") for p in sorted(corpus_path().glob("*.html"))]
    pool: list[str] = []
    for html in templates:
        tree = lxml.html.fromstring(html)
        pool += [
            " ".join(p.text_content().split())
            for p in tree.xpath("//article//p[not(ancestor::*[contains(@class,'comment')])]")
            if len(p.text_content().split()) > 12
        ]
    rng = random.Random(seed)
    pages = []
    for i in range(count):
        html = templates[i % len(templates)]
        paras = [*rng.sample(pool, 8), f"Note de la rédaction n°{i} : mise à jour {rng.random()}."]
        body = "".join(f"<p>{p}</p>" for p in paras)
        # replace the first article's paragraphs with the new ones, keep everything else
        html = re.sub(
            r"(<article[^>]*>)(.*?)(</article>)",
            rf"\1<h1>Page {i}</h1>{body}\3",
            html,
            count=1,
            flags=re.S,
        )
        pages.append(html.encode("utf-8"))
    return pages


def bare_rate(pages: list[bytes]) -> float:
    start = time.perf_counter()
    for page in pages:
        trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    return len(pages) / (time.perf_counter() - start)


def tocsin_rate(pages: list[bytes], folder: Path) -> tuple[float, int]:
    for i, page in enumerate(pages):
        (folder / f"page{i:05d}.html").write_bytes(page)
    store = open_store(f"sqlite:///{folder / 'bench.db'}")
    pipeline = Pipeline(store, Settings())
    start = time.perf_counter()
    results = list(pipeline.ingest([str(folder)]))
    elapsed = time.perf_counter() - start
    stored = sum(r.status in ("new", "near-copy") for r in results)
    return len(pages) / elapsed, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    pages = build_pages(args.pages)
    warm = build_pages(20, seed=1)
    with tempfile.TemporaryDirectory() as tmp:  # warm both paths (imports, models)
        bare_rate(warm)
        tocsin_rate(warm, Path(tmp))
    baseline = bare_rate(pages)
    with tempfile.TemporaryDirectory() as tmp:
        rate, stored = tocsin_rate(pages, Path(tmp))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pages: {len(pages)} (demo templates, varied), one core")
    print(f"bare extractor (trafilatura):       {baseline:7.1f} pages/s")
    print(f"tocsin ingest (extract+dedup+store): {rate:7.1f} pages/s ({stored} stored)")
    print(f"ratio tocsin / bare extractor:      {rate / baseline:7.2f}")
    print(f"peak memory (RSS):                  {peak:7.0f} MB")


if __name__ == "__main__":
    main()
