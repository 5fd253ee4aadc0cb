"""The document commands: ``tocsin ingest``, ``tocsin extract``, ``tocsin watch`` (ingest
feeds on a schedule) and ``tocsin docs list|show``.

A thin shell over ``tocsin.app.pipeline`` and the store, registered on the main app by
``tocsin.cli.main``; ``tocsin.cli.demo`` reuses the ingest report. Titles, texts and
comments are written by strangers: they are printed with ``markup=False`` or as ``Text``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from tocsin.app.pipeline import ExtractResult, Hints, ItemResult, Pipeline
from tocsin.cli.common import Context, JsonOpt, err, note, out, print_error, print_json, say
from tocsin.cli.render import print_annotations, summary
from tocsin.errors import TocsinError
from tocsin.models import Document, Kind
from tocsin.report.records import annotations_plain, document_plain, document_row_plain

docs_app = typer.Typer(help="Browse ingested documents.", no_args_is_help=True)


def ingest_summary(counts: Counter[str]) -> str:
    """ "3 new, 1 duplicate, 1 failed": what an ingest run did."""
    order = ("new", "near-copy", "updated", "duplicate", "failed")
    return ", ".join(f"{counts[k]} {k}" for k in order if counts[k]) or "nothing to ingest"


def run_ingest(
    pipeline: Pipeline,
    sources: Iterable[str],
    *,
    hints: Hints,
    as_json: bool,
    origins: dict[str, str] | None = None,
) -> tuple[Counter[str], list[str]]:
    """Ingest and report; returns the counts and the ids of documents new or changed
    (and fills ``origins``, when given, with where each of them was read from)."""
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
                if origins is not None:
                    origins.setdefault(result.doc_id, result.origin)
            progress.update(task, description=f"ingesting: {ingest_summary(counts)}")
            report_ingested(result, as_json=as_json)
    return counts, changed


def report_ingested(result: ItemResult, *, as_json: bool) -> None:
    """One line for one input: its status, document id, language and title."""
    if as_json:
        print_json(result.as_dict())
    elif result.status == "failed":
        print_error(result.error or "")
    else:
        extra = f" (copy of {result.duplicate_of})" if result.duplicate_of else ""
        comments = f", {result.comments} comments" if result.comments else ""
        say(
            f"{result.status:>9}  {result.doc_id}  [{result.language or '?'}{comments}]  "
            f"{result.title or result.origin}{extra}"
        )


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
    """Ingest pages, feeds, files and folders; one line per document.

    What is new or changed is then extracted (unless --no-extract), the same way with
    --json, which adds one line per document extracted, as `tocsin extract --json`
    writes them."""
    context: Context = ctx.obj
    settings = context.settings(
        allow_private=allow_private or None,
        max_bytes=max_bytes,
        sources_file=str(sources_file) if sources_file else None,
        extract=extract,
    )
    pipeline = Pipeline(context.store(settings), settings)
    origins: dict[str, str] = {}
    try:
        counts, ids = run_ingest(
            pipeline,
            sources,
            hints=Hints(kind=kind, source=source),
            as_json=as_json,
            origins=origins,
        )
        if settings.extract and ids:  # with --json too: the same extraction, then assessment
            _run_extract(pipeline, ids, as_json=as_json, quiet=True, origins=origins)
    finally:
        pipeline.close()
    if not as_json:
        note(ingest_summary(counts))
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
        note(", ".join(f"{n} {k}" for k, n in counts.most_common()) or "nothing to extract")
    merged = pipeline.events_update
    if merged is not None and not as_json:
        note(
            f"events: {merged.after} after merging {merged.reports} reports "
            f"({merged.new} new, {merged.changed_status} changed status)"
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
            line.update(annotations_plain(result.annotations))
        print_json(line)
    elif result.status in ("failed", "missing"):
        print_error(result.error or "")
    elif not quiet:
        what = summary(result.annotations) if result.annotations else "already extracted"
        where = f"{origin}  " if origin != result.doc_id else ""
        say(f"{result.status:>9}  {result.doc_id}  {where}{what}")


def _report_failed(origin: str, problem: str, *, as_json: bool) -> None:
    if as_json:
        print_json({"input": origin, "status": "failed", "error": problem})
    else:
        print_error(problem)


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
    settings = context.settings(extract=False)  # read as `ingest` reads: short texts too
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
            on_result=lambda r: (
                None if r.status == "duplicate" else report_ingested(r, as_json=as_json)
            ),
            on_error=lambda msg: err.print(f"[yellow]warning[/yellow] {msg}", highlight=False),
            on_note=lambda msg: err.print(msg, markup=False, highlight=False),
        )
    except KeyboardInterrupt:
        note("stopped")
    finally:
        pipeline.close()


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
            print_json(document_row_plain(r))
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
        shown = document_plain(doc, local=True)
        if ann is not None:
            shown["annotations"] = annotations_plain(ann)
        print_json(shown, indent=2)
        return
    if ann is not None:
        print_document(doc, text=False)
        print_annotations(out, doc, ann)
        return
    print_document(doc)


def print_document(doc: Document, *, text: bool = True) -> None:
    """A document's metadata, then (``text``) its text and its comments as a tree."""
    meta = [
        ("source", f"{doc.source.name} ({doc.kind.value})"),
        ("form", doc.form.value),
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
        say(f"  {key:<10} {value}")
    if not text:
        return
    out.print()
    say(doc.text)
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


def register(app: typer.Typer) -> None:
    """Add the document commands to the main ``tocsin`` app."""
    app.command("ingest")(ingest)
    app.command("extract")(extract)
    app.command("watch")(watch)
    app.add_typer(docs_app, name="docs")
