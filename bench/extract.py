"""Extraction speed and memory: words per second on one core, against bare spaCy.

Documents are built from the demo corpus (French and English articles and comments) and,
when present, the eval gold paragraphs: each synthetic document draws paragraphs of one
language at random plus a unique line, about 300 words each. Three runs on the same
documents, in the same process, after one warm-up:

- baseline: the bare spaCy pipelines exactly as Tocsin loads them (tok2vec, senter, ner)
  through ``nlp.pipe`` — the cost Tocsin cannot avoid;
- Tocsin: the whole extraction (models + actors + gazetteer places + times + sourcing),
  and its model stage alone, which tells the share of time spent outside the models;
- for information, the packages' full default pipelines (parser, tagger, lemmatizer...)
  through ``nlp.pipe``.

Peak memory (ru_maxrss) is read after the Tocsin run, with both languages and the
gazetteer loaded, before the full pipelines are loaded. BLAS threads are pinned to one.

    .venv/bin/python bench/extract.py [--docs 200]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

from tocsin.app.demo import corpus_files, corpus_path  # noqa: E402
from tocsin.app.pipeline import Pipeline  # noqa: E402
from tocsin.config import Settings  # noqa: E402
from tocsin.extract.annotate import Extractor  # noqa: E402
from tocsin.extract.nlp import MODELS, shared_models  # noqa: E402
from tocsin.models import Document, Precision, Source  # noqa: E402
from tocsin.store import open_store  # noqa: E402

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold"


def paragraphs() -> dict[str, list[str]]:
    """Paragraphs by language from the demo corpus (ingested into a scratch database)
    and the gold paragraphs."""
    pool: dict[str, list[str]] = {"fr": [], "en": []}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(sources_file=str(corpus_path() / "sources.toml"), extract=False)
        pipeline = Pipeline(open_store(str(Path(tmp) / "b.db")), settings)
        ids = [r.doc_id for r in pipeline.ingest([str(p) for p in corpus_files()]) if r.doc_id]
        for doc_id in dict.fromkeys(ids):
            doc = pipeline.store.get_document(doc_id)
            if doc is None or doc.language not in pool:
                continue
            pool[doc.language] += [p for p in doc.text.split("\n") if len(p.split()) > 12]
            for c in doc.comments:
                if (c.language or doc.language) in pool and len(c.text.split()) > 5:
                    pool[c.language or doc.language].append(c.text)
        pipeline.store.close()
    for path in sorted(GOLD.glob("paragraphs_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if item.get("lang") in pool:
                    pool[item["lang"]].append(item["text"])
    return pool


def build_docs(count: int, seed: int = 11) -> list[Document]:
    pool = paragraphs()
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        lang = "fr" if i % 2 == 0 else "en"
        text, words = [], 0
        while words < 300:
            para = rng.choice(pool[lang])
            text.append(para)
            words += len(para.split())
        text.append(f"Document {i} ({rng.random():.6f}).")
        docs.append(
            Document(
                id=f"bench-{i}",
                source=Source(id="bench", name="bench"),
                text="\n\n".join(text),
                content_hash=str(i),
                fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
                published=datetime(2025, 10, 15, tzinfo=UTC),
                published_precision=Precision.DAY,
                language=lang,
            )
        )
    return docs


def words(docs: list[Document]) -> int:
    return sum(len(d.text.split()) for d in docs)


def bare_rate(docs: list[Document], *, full: bool = False) -> float:
    import spacy

    by_lang: dict[str, list[str]] = {}
    for d in docs:
        by_lang.setdefault(d.language or "en", []).append(d.text)
    pipes = {}
    for lang in by_lang:
        pipes[lang] = spacy.load(MODELS[lang]) if full else shared_models().pipeline(lang)
        list(pipes[lang].pipe(by_lang[lang][:4]))  # warm-up
    started = time.perf_counter()
    for lang, texts in by_lang.items():
        for _doc in pipes[lang].pipe(texts, batch_size=64):
            pass
    return words(docs) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    args = parser.parse_args()
    docs = build_docs(args.docs)
    total = words(docs)
    print(f"{len(docs)} documents, {total} words (half French, half English), one core")

    started = time.perf_counter()
    extractor = Extractor()
    list(extractor.extract_many(docs[:4]))  # loads both models, the gazetteer, the lexicons
    print(f"load (both models, gazetteer, lexicons): {time.perf_counter() - started:.1f} s")

    baseline = bare_rate(docs)
    started = time.perf_counter()
    found = list(extractor.extract_many(docs))
    tocsin = total / (time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = {
        "actors": sum(len(a.actors) for a in found),
        "places": sum(len(a.places) for a in found),
        "times": sum(len(a.times) for a in found),
        "attributions": sum(len(a.attributions) for a in found),
    }
    started = time.perf_counter()
    list(extractor.models.analyse_many([(d.text, d.language) for d in docs]))
    models_only = total / (time.perf_counter() - started)
    print(f"bare spaCy (tok2vec+senter+ner, as loaded): {baseline:,.0f} words/s")
    print(f"Tocsin's model stage alone (chunks, pipe):  {models_only:,.0f} words/s")
    print(f"Tocsin extraction:                          {tocsin:,.0f} words/s")
    print(f"ratio Tocsin / bare spaCy:                  {tocsin / baseline:.2f}")
    print(f"share of Tocsin's time outside the models: {1 - tocsin / models_only:.0%}")
    print(f"found: {counts}")
    print(f"peak memory, both languages loaded:         {peak:,.0f} MB")
    full = bare_rate(docs, full=True)
    print(f"for information, full default pipelines:    {full:,.0f} words/s")


if __name__ == "__main__":
    main()
