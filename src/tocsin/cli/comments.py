"""The commands for comment sections (`tocsin comments classify|summary`). A thin shell
over ``tocsin.comments``, registered on the main app by ``tocsin.cli.main``.

``tocsin comments classify FILE|-`` reads one comment per line (a file, or stdin) and
writes one line per comment, in the same order: its labels and scores (``--json``: one
JSON object per line). ``tocsin comments summary`` summarises the stored comment
sections: one document (``--doc``), one outlet (``--outlet``) or all of them. Comments
are written by strangers: they are printed as plain text on one line, never as markup.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from tocsin.cli.common import JsonOpt, count, print_json, say
from tocsin.errors import InputError
from tocsin.models import CommentScores
from tocsin.text.plain import one_line

if TYPE_CHECKING:
    from tocsin.comments.summary import Summary

comments_app = typer.Typer(
    help="Comment sections: toxicity, hate, incitement, narratives and stance.",
    no_args_is_help=True,
)
BATCH = 2_048  # lines classified at a time: memory stays bounded on a large file
MAX_LINE = 100_000  # characters kept of one line (the classifier reads far fewer)
QUOTE = 160  # characters of a quote shown in the text summary


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
    app.add_typer(comments_app, name="comments")


@comments_app.command("classify")
def classify(
    source: Annotated[
        str, typer.Argument(help="A text file, one comment per line, or - for stdin.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Label each line: toxic, hateful (with the groups targeted), incitement, or none."""
    from tocsin.comments.classify import classify_texts

    stream = _open(source)
    try:
        batch: list[str] = []
        for line in _lines(stream):
            batch.append(line)
            if len(batch) >= BATCH:
                _print_scores(batch, classify_texts(batch), as_json)
                batch = []
        if batch:
            _print_scores(batch, classify_texts(batch), as_json)
    finally:
        if stream is not sys.stdin:
            stream.close()


def _open(source: str) -> TextIO:
    if source == "-":
        return sys.stdin
    path = Path(source)
    if not path.is_file():
        raise InputError(
            source, "no such file", "give a text file with one comment per line, or - for stdin"
        )
    try:
        return path.open(encoding="utf-8", errors="replace", newline=None)
    except OSError as exc:
        raise InputError(source, f"cannot read it ({exc.strerror})", "check the path") from exc


def _lines(stream: TextIO) -> Iterator[str]:
    """Each line without its end; a line longer than ``MAX_LINE`` is cut there (the rest
    is skipped, not read into memory)."""
    while True:
        line = stream.readline(MAX_LINE)
        if not line:
            return
        if not line.endswith("\n"):
            rest = line
            while rest and not rest.endswith("\n"):
                rest = stream.readline(MAX_LINE)
        yield line.rstrip("\r\n")


def _print_scores(texts: list[str], scores: list[CommentScores], as_json: bool) -> None:
    for text, s in zip(texts, scores, strict=True):
        if as_json:
            plain = {
                "labels": list(s.labels), "toxic": round(s.toxic, 4),
                "hateful": round(s.hateful, 4), "incitement": round(s.incitement, 4),
                "targets": list(s.targets), "language": s.language,
            }  # fmt: skip
            print_json(plain)
            continue
        labels = ",".join(s.labels)
        targets = f" [{', '.join(s.targets)}]" if s.targets else ""
        scores_text = f"toxic {s.toxic:.2f} hateful {s.hateful:.2f} incitement {s.incitement:.2f}"
        say(f"{labels:<26} {scores_text}{targets}  {one_line(text, 80)}")


@comments_app.command("summary")
def summary(
    ctx: typer.Context,
    doc: Annotated[str | None, typer.Option("--doc", help="One document's id.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="One outlet's name.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """What comment sections say: toxic, hateful, inciting; narratives, quotes, stance."""
    from tocsin.app.comments import document_summary, outlet_summary, overall_summary
    from tocsin.comments.summary import summary_to_plain

    if doc and outlet:
        raise InputError("--doc and --outlet", "give one of them, not both")
    store = ctx.obj.store()
    try:
        if doc:
            found = document_summary(store, doc)
        elif outlet:
            found = outlet_summary(store, outlet)
        else:
            found = overall_summary(store)
    finally:
        store.close()
    if as_json:
        print_json(summary_to_plain(found))
        return
    for line in summary_lines(found):
        say(line)


def summary_lines(s: Summary) -> list[str]:
    """The text form of a summary, one line of plain text per item."""
    head = {
        "document": f"document {s.key}",
        "outlet": f"outlet {s.key}",
        "all": "all comment sections",
    }
    lines = [head.get(s.scope, s.key) + (f": {one_line(s.title, 100)}" if s.title else "")]
    if not s.comments:
        lines.append("no comments")
        return lines
    langs = ", ".join(f"{lang} {n}" for lang, n in s.languages)
    where = f" under {count(s.documents, 'document')}" if s.documents > 1 else ""
    mixed = " (mixed)" if s.mixed else ""
    lines.append(
        f"{count(s.comments, 'comment')}{where} ({count(s.distinct, 'different text')}); "
        f"languages: {langs}{mixed}"
    )
    lines.append(
        f"toxic {s.toxic:.0%} · hateful {s.hateful:.0%} · inciting {s.incitement:.0%}"
        + (f" (of {s.scored} scored)" if s.scored != s.comments else "")
    )
    if s.targets:
        lines.append("targets: " + ", ".join(f"{t} {n}" for t, n in s.targets))
    if s.narratives:
        lines.append("narratives:")
    for n in s.narratives:
        extra = [count(n.articles, "article")] if n.articles else []
        extra += [count(n.rebuttals, "rebuttal")] if n.rebuttals else []
        more = f" ({', '.join(extra)})" if extra else ""
        label = n.id if n.named else "unnamed"
        lines.append(f"  {label}: {one_line(n.name, 100)} — {count(n.comments, 'comment')}{more}")
        if n.blamed:
            lines.append("    blames: " + ", ".join(f"{name} {c}" for _, name, c in n.blamed[:5]))
        for q in n.quotes:
            where = f"{q.document_id} body" if q.part == "body" else q.part
            lines.append(f"    « {one_line(q.text, QUOTE)} » ({where} {q.start}-{q.end})")
    if s.stances:
        lines.append("stance:")
        for st in s.stances:
            lines.append(f"  {st.name}: {st.support} support, {st.hostile} hostile")
    if s.repeated:
        lines.append("posted again and again:")
        for text, times in s.repeated:
            lines.append(f"  {times}× « {one_line(text, QUOTE)} »")
    return lines
