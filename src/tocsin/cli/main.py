"""The ``tocsin`` command: a thin shell over the library (``tocsin.app``, ``tocsin.store``)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from tocsin.app.pipeline import ExtractResult, Hints, ItemResult, Pipeline
from tocsin.cli.alerts import register as register_alerts
from tocsin.cli.assess import register as register_assessment
from tocsin.cli.briefs import register as register_briefs
from tocsin.cli.comments import register as register_comments
from tocsin.cli.digest import register as register_digest
from tocsin.cli.events import register as register_events
from tocsin.cli.outbox import register as register_outbox
from tocsin.cli.render import annotations_json, print_annotations, summary
from tocsin.cli.risk import register as register_risk
from tocsin.cli.web import register as register_web
from tocsin.config import Settings, load_settings
from tocsin.errors import TocsinError
from tocsin.models import Document, Kind
from tocsin.store import Store, open_store

app = typer.Typer(
    help="Tocsin: risk intelligence from open sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
docs_app = typer.Typer(help="Browse ingested documents.", no_args_is_help=True)
app.add_typer(docs_app, name="docs")
gazetteer_app = typer.Typer(help="The offline gazetteer of places.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@dataclass
class Context:
    config: Path | None
    overrides: dict[str, Any]

    def settings(self, **more: Any) -> Settings:
        return load_settings(config_file=self.config, overrides={**self.overrides, **more})

    def store(self, settings: Settings | None = None) -> Store:
        return open_store((settings or self.settings()).db)


@app.callback()
def _main(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", help="Database: a SQLite path or SQLAlchemy URL.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Settings file (default ./tocsin.toml).")
    ] = None,
) -> None:
    ctx.obj = Context(config=config, overrides={"db": db})


def _summary(counts: Counter[str]) -> str:
    order = ("new", "near-copy", "updated", "duplicate", "failed")
    return ", ".join(f"{counts[k]} {k}" for k in order if counts[k]) or "nothing to ingest"


def _run_ingest(
    pipeline: Pipeline, sources: Iterable[str], *, hints: Hints, as_json: bool
) -> tuple[Counter[str], list[str]]:
    """Ingest and report; returns the counts and the ids of documents new or changed."""
    counts: Counter[str] = Counter()
    changed: list[str] = []
    show_progress = not as_json and err.is_terminal
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        disable=not show_progress,
        transient=True,
    ) as progress:
        task = progress.add_task("ingesting", total=None)
        for result in pipeline.ingest(sources, hints=hints):
            counts[result.status] += 1
            if result.doc_id and result.status in ("new", "near-copy", "updated"):
                changed.append(result.doc_id)
            progress.update(task, description=f"ingesting: {_summary(counts)}")
            _report(result, as_json=as_json)
    return counts, changed


def _report(result: ItemResult, *, as_json: bool) -> None:
    if as_json:
        out.print(json.dumps(result.as_dict(), ensure_ascii=False), markup=False)
    elif result.status == "failed":
        err.print(f"[red]error[/red] {escape(result.error or '')}", highlight=False)
    else:
        extra = f" (copy of {result.duplicate_of})" if result.duplicate_of else ""
        comments = f", {result.comments} comments" if result.comments else ""
        out.print(
            f"{result.status:>9}  {result.doc_id}  [{result.language or '?'}{comments}]  "
            f"{result.title or result.origin}{extra}",
            markup=False,
        )


@app.command()
def ingest(
    ctx: typer.Context,
    sources: Annotated[
        list[str], typer.Argument(help="URLs, feeds, files, folders, or - for stdin.")
    ],
    kind: Annotated[
        Kind | None, typer.Option(help="Kind of material, for every source given.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Outlet name to record.")] = None,
    sources_file: Annotated[
        Path | None, typer.Option("--sources", help="TOML registry of outlets and their kinds.")
    ] = None,
    allow_private: Annotated[
        bool, typer.Option(help="Allow fetching from private, loopback and link-local addresses.")
    ] = False,
    max_bytes: Annotated[int | None, typer.Option(help="Largest page or file read, bytes.")] = None,
    extract: Annotated[
        bool | None,
        typer.Option(help="Extract actors, places, times and attributions (default: on)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest pages, feeds, files and folders; one line per document."""
    context: Context = ctx.obj
    settings = context.settings(
        allow_private=allow_private or None,
        max_bytes=max_bytes,
        sources_file=str(sources_file) if sources_file else None,
        extract=extract,
    )
    pipeline = Pipeline(context.store(settings), settings)
    try:
        counts, ids = _run_ingest(
            pipeline, sources, hints=Hints(kind=kind, source=source), as_json=as_json
        )
        if settings.extract and ids and not as_json:
            _run_extract(pipeline, ids, as_json=False, quiet=True)
    finally:
        pipeline.close()
    if not as_json:
        err.print(_summary(counts), markup=False)
    if counts["failed"]:
        raise typer.Exit(1)


def _run_extract(
    pipeline: Pipeline,
    doc_ids: Iterable[str],
    *,
    as_json: bool,
    quiet: bool = False,
    force: bool = False,
    origins: dict[str, str] | None = None,
) -> Counter[str]:
    counts: Counter[str] = Counter()
    ids = list(doc_ids)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        disable=as_json or not err.is_terminal,
        transient=True,
    ) as progress:
        task = progress.add_task(f"extracting {len(ids)} documents (loading models)", total=None)
        for result in pipeline.extract(ids, force=force):
            counts[result.status] += 1
            progress.update(task, description=f"extracting: {sum(counts.values())}/{len(ids)}")
            _report_extract(result, as_json=as_json, quiet=quiet, origins=origins or {})
    if not as_json and not quiet:
        done = ", ".join(f"{n} {k}" for k, n in counts.most_common()) or "nothing to extract"
        err.print(done, markup=False)
    merged = pipeline.events_update
    if merged is not None and not as_json:
        err.print(
            f"events: {merged.after} after merging {merged.reports} reports "
            f"({merged.new} new, {merged.changed_status} changed status)",
            markup=False,
        )
    return counts


def _report_extract(
    result: ExtractResult, *, as_json: bool, quiet: bool, origins: dict[str, str]
) -> None:
    origin = origins.get(result.doc_id, result.doc_id)
    if as_json:
        line: dict[str, Any] = {"input": origin, "doc_id": result.doc_id, "status": result.status}
        if result.error:
            line["error"] = result.error
        if result.annotations is not None:
            line.update(annotations_json(result.annotations))
        out.print(json.dumps(line, ensure_ascii=False), markup=False)
    elif result.status in ("failed", "missing"):
        err.print(f"[red]error[/red] {escape(result.error or '')}", highlight=False)
    elif not quiet:
        what = summary(result.annotations) if result.annotations else "already extracted"
        where = f"{origin}  " if origin != result.doc_id else ""
        out.print(f"{result.status:>9}  {result.doc_id}  {where}{what}", markup=False)


def _report_failed(origin: str, problem: str, *, as_json: bool) -> None:
    if as_json:
        line = {"input": origin, "status": "failed", "error": problem}
        out.print(json.dumps(line, ensure_ascii=False), markup=False)
    else:
        err.print(f"[red]error[/red] {escape(problem)}", highlight=False)


@app.command()
def extract(
    ctx: typer.Context,
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders (ingested first), or stored document ids."),
    ] = None,
    stale: Annotated[
        bool,
        typer.Option(
            "--all", help="Every stored document not extracted by this version (with --force: all)."
        ),
    ] = False,
    force: Annotated[bool, typer.Option(help="Extract again even if up to date.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Actors, places, times and attributions: one model load for every input.

    Files and folders are ingested first (like `tocsin ingest`), then extracted; the
    annotations are stored with the extractor version.
    """
    context: Context = ctx.obj
    # a file named on the command line is read even when it is short (a note, a comment)
    settings = context.settings(extract=False, min_words=1)
    store = context.store(settings)
    pipeline = Pipeline(store, settings)
    ids: list[str] = []
    origins: dict[str, str] = {}
    failed = 0
    try:
        for raw in inputs or []:
            if Path(raw).exists() or raw == "-":
                for result in pipeline.ingest([raw]):
                    if result.doc_id:
                        ids.append(result.doc_id)
                        origins[result.doc_id] = result.origin
                    else:
                        failed += 1
                        _report_failed(result.origin, result.error or "", as_json=as_json)
            elif store.get_document(raw) is not None:
                ids.append(raw)
            else:
                failed += 1
                problem = f"{raw}: neither a file nor a stored document id; see `tocsin docs list`"
                _report_failed(raw, problem, as_json=as_json)
        if stale:
            version = None if force else pipeline.extractor.version
            ids.extend(i for i in store.stale_documents(version) if i not in ids)
        if not ids and not failed:
            raise TocsinError("nothing to extract: give files, folders or document ids, or --all")
        counts = _run_extract(pipeline, ids, as_json=as_json, force=force, origins=origins)
    finally:
        pipeline.close()
    if failed or counts["failed"] or counts["missing"]:
        raise typer.Exit(1)


@app.command()
def watch(
    ctx: typer.Context,
    config_file: Annotated[Path, typer.Argument(help="TOML file listing [[feed]] entries.")],
    once: Annotated[bool, typer.Option(help="Poll every feed once, then stop.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Poll the feeds of CONFIG at their intervals until Ctrl-C; after each round, send
    the digest when `digest_schedule` is due and deliver the outbox."""
    from tocsin.app.watch import load_watch_config, run_watch

    context: Context = ctx.obj
    settings = context.settings()
    feeds = load_watch_config(config_file)
    pipeline = Pipeline(context.store(settings), settings)
    try:
        run_watch(
            pipeline,
            feeds,
            once=once,
            on_result=lambda r: None if r.status == "duplicate" else _report(r, as_json=as_json),
            on_error=lambda msg: err.print(f"[yellow]warning[/yellow] {msg}", highlight=False),
            on_note=lambda msg: err.print(msg, markup=False, highlight=False),
        )
    except KeyboardInterrupt:
        err.print("stopped", markup=False)
    finally:
        pipeline.close()


def _document_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "origin": doc.origin,
        "source": {"id": doc.source.id, "name": doc.source.name, "domain": doc.source.domain},
        "kind": doc.kind.value,
        "author": doc.author,
        "published": doc.published.isoformat() if doc.published else None,
        "published_precision": doc.published_precision,
        "language": doc.language,
        "duplicate_of": doc.duplicate_of,
        "content_hash": doc.content_hash,
        "fetched_at": doc.fetched_at.isoformat(),
        "text": doc.text,
        "comments": [
            {
                "id": c.id,
                "parent_id": c.parent_id,
                "author": c.author,
                "posted": c.posted.isoformat() if c.posted else None,
                "language": c.language,
                "text": c.text,
            }
            for c in doc.comments
        ],
    }


@docs_app.command("list")
def docs_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    lang: Annotated[str | None, typer.Option(help="Only this language (fr, en, ar...).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Documents, newest first."""
    rows = ctx.obj.store().list_documents(limit=limit, offset=offset, language=lang)
    if as_json:
        for r in rows:
            item = {k: getattr(r, k) for k in r.__slots__}
            item["published"] = r.published.isoformat() if r.published else None
            out.print(json.dumps(item, ensure_ascii=False), markup=False)
        return
    table = Table("id", "published", "lang", "kind", "source", "title", "comments", "copy of")
    for r in rows:
        table.add_row(
            r.id,
            r.when,
            r.language or "?",
            r.kind,
            r.source,
            (r.title or r.origin)[:70],
            str(r.comments),
            r.duplicate_of or "",
        )
    out.print(table)


@docs_app.command("show")
def docs_show(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(help="Document id (from docs list).")],
    annotations: Annotated[
        bool,
        typer.Option("--annotations", help="Highlight actors, places, times and attributions."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """One document: metadata, text and the comment thread as a tree."""
    store = ctx.obj.store()
    doc = store.get_document(doc_id)
    if doc is None:
        raise TocsinError(f"{doc_id}: no such document; list them with `tocsin docs list`")
    ann = store.load_annotations(doc_id) if annotations else None
    if annotations and ann is None:
        raise TocsinError(f"{doc_id}: not extracted yet; run `tocsin extract {doc_id}`")
    if as_json:
        shown = _document_json(doc)
        if ann is not None:
            shown["annotations"] = annotations_json(ann)
        out.print(json.dumps(shown, ensure_ascii=False, indent=2), markup=False)
        return
    if ann is not None:
        print_document(doc, text=False)
        print_annotations(out, doc, ann)
        return
    print_document(doc)


def print_document(doc: Document, *, text: bool = True) -> None:
    meta = [
        ("source", f"{doc.source.name} ({doc.kind.value})"),
        ("url", doc.url or doc.origin),
        ("author", doc.author or "—"),
        (
            "published",
            f"{doc.published.isoformat()} ({doc.published_precision})"
            if doc.published
            else "unknown",
        ),
        ("language", doc.language or "unknown"),
    ]
    if doc.duplicate_of:
        meta.append(("copy of", doc.duplicate_of))
    out.print(doc.title or doc.id, style="bold", markup=False)
    for key, value in meta:
        out.print(f"  {key:<10} {value}", markup=False)
    if not text:
        return
    out.print()
    out.print(doc.text, markup=False)
    if not doc.comments:
        return
    out.print()
    tree = Tree(f"{len(doc.comments)} comments", highlight=False)
    nodes: dict[str, Tree] = {}
    for c in doc.comments:
        when = c.posted.strftime("%Y-%m-%d %H:%M") if c.posted else "no date"
        label = f"{c.author or 'anonymous'} · {when} · {c.language or '?'}\n{c.text}"
        parent = nodes.get(c.parent_id or "", tree)
        # rich markup must never interpret what strangers wrote
        nodes[c.id] = parent.add(Text(label, overflow="fold"))
    out.print(tree, soft_wrap=False)


@gazetteer_app.command("import")
def gazetteer_import(
    files: Annotated[list[Path], typer.Argument(help="GeoNames country dumps (XX.txt or XX.zip).")],
) -> None:
    """Add GeoNames country dumps you downloaded (other regions) to the local gazetteer."""
    from tocsin.geo.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    failed = 0
    for path in files:
        try:
            count = gazetteer.add_geonames_dump(path)
        except TocsinError as exc:
            err.print(f"[red]error[/red] {escape(str(exc))}", highlight=False)
            failed += 1
            continue
        out.print(f"{path}: {count} places imported", markup=False)
    out.print(f"{len(gazetteer)} places in {gazetteer.path}", markup=False)
    if failed:
        raise typer.Exit(1)


@gazetteer_app.command("lookup")
def gazetteer_lookup(
    name: Annotated[str, typer.Argument(help="A place name, in any usual spelling.")],
    country: Annotated[str | None, typer.Option(help="Country focus, ISO code (ML).")] = None,
    limit: Annotated[int, typer.Option(help="How many candidates.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Candidates for a place name, best first (the first use builds the index)."""
    from dataclasses import asdict

    from tocsin.geo.gazetteer import Gazetteer

    places = Gazetteer.load().lookup(name, country=country, limit=limit)
    for place in places:
        if as_json:
            out.print(json.dumps(asdict(place), ensure_ascii=False), markup=False)
        else:
            where = (
                f"{place.lat:.4f}, {place.lon:.4f}" if place.lat is not None else "no coordinates"
            )
            out.print(
                f"{place.geonameid:>10}  {place.name}  ({place.kind}, {place.feature_code}, "
                f"{place.admin1 or '—'}, {place.country})  {where}  pop. {place.population}",
                markup=False,
            )
    if not places and not as_json:
        out.print(f"{name}: not in the gazetteer", markup=False)


@app.command()
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
    out.print(f"Ingesting the demo corpus from {corpus}", markup=False)
    counts, _ids = _run_ingest(
        pipeline, [str(p) for p in corpus_files()], hints=Hints(), as_json=False
    )
    out.print(f"\n{_summary(counts)}\n", markup=False)
    out.print("Extracting actors, places, times, attributions, judgments and events…", markup=False)
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


register_assessment(app)
register_events(app)
register_risk(app)
register_alerts(app)
register_outbox(app)
register_briefs(app)
register_digest(app)
register_web(app)
register_comments(app)


def main() -> None:
    """Entry point: user errors are one line on stderr, never a traceback.

    Typer handles --help, usage errors (exit 2) and exit codes; a ``TocsinError`` raised by
    the library ends the command with its one-line message and exit code 2.
    """
    try:
        app()
    except TocsinError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        sys.exit(130)


if __name__ == "__main__":
    main()
