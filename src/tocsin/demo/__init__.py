"""The bundled demo corpus (written for the project) and what ``make demo`` prints."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console

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
