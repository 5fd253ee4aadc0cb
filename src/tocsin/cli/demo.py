"""``tocsin demo``: ingest the bundled demo corpus and show each stage's findings. A
thin shell over ``tocsin.app.demo``, registered on the main app by ``tocsin.cli.main``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tocsin.app.pipeline import Hints, Pipeline
from tocsin.cli.common import Context, out, say
from tocsin.cli.documents import ingest_summary, run_ingest


def demo(
    ctx: typer.Context,
    fresh: Annotated[bool, typer.Option(help="Start from an empty database.")] = True,
    out_dir: Annotated[
        Path | None,
        typer.Option("--output", help="Where the brief and the feed go (default: demo-output/)."),
    ] = None,
) -> None:
    """Ingest the bundled demo corpus and show what Tocsin found: documents, extraction,
    assessment, events; then a fictional organisation's risk levels, alerts, a brief
    written to files and the weekly digest."""
    from tocsin.app.demo import (
        corpus_files,
        corpus_path,
        demo_annotations,
        demo_assessment,
        demo_events,
        demo_summary,
    )
    from tocsin.app.demo.act import (
        DEMO_NOW,
        demo_alerts,
        demo_brief,
        demo_digest,
        demo_risk,
        load_organisation,
    )

    context: Context = ctx.obj
    corpus = corpus_path()
    settings = context.settings(sources_file=str(corpus / "sources.toml"))
    url = settings.db if "://" in settings.db else f"sqlite:///{settings.db}"
    if fresh and url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
    store = context.store(settings)
    load_organisation(store, out)
    pipeline = Pipeline(store, settings, now=lambda: DEMO_NOW)
    say(f"Ingesting the demo corpus from {corpus}")
    counts, _ids = run_ingest(
        pipeline, [str(p) for p in corpus_files()], hints=Hints(), as_json=False
    )
    say(f"\n{ingest_summary(counts)}\n")
    say("Extracting actors, places, times, attributions, judgments and events…")
    extracted = list(pipeline.extract_stale())
    pipeline.close()
    demo_summary(store, out)
    demo_annotations([r.annotations for r in extracted if r.annotations], out)
    demo_assessment(store, out)
    demo_events(store, out)
    folder = out_dir or Path("demo-output")
    folder.mkdir(parents=True, exist_ok=True)
    demo_risk(store, out)
    demo_alerts(store, out, settings=settings, out_dir=folder)
    demo_brief(store, out, out_dir=folder)
    demo_digest(store, out, settings=settings)
    if counts["failed"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``tocsin demo`` to the main ``tocsin`` app."""
    app.command("demo")(demo)
