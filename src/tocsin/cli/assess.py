"""The assessment commands: ``tocsin judgments``, ``tocsin forecasts list|resolve|score``,
``tocsin claims``, ``tocsin sources``, ``tocsin quality``.

A thin shell over ``tocsin.store`` and ``tocsin.assess``; registered on the main app by
``tocsin.cli.main``. Text written by strangers is printed with ``markup=False``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.text import Text

from tocsin.assess.forecasts import holder_of, scorecards
from tocsin.cli.common import JsonOpt, list_table, out, print_json
from tocsin.errors import TocsinError
from tocsin.models import Judgment
from tocsin.report.records import (
    forecast_plain,
    graded_claim_plain,
    graded_source_plain,
    judgment_plain,
)

forecasts_app = typer.Typer(help="Forecasts registered from judgments, and their scores.")


def _today() -> date:
    return datetime.now(UTC).date()


def _snippet(text: str, start: int, end: int, width: int = 90) -> str:
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= width else piece[: width - 1] + "…"


def judgments(
    ctx: typer.Context,
    doc: Annotated[str | None, typer.Option("--doc", help="One document's judgments.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Estimative judgments found by extraction: cue, likelihood band, holder, deadline."""
    store = ctx.obj.store()
    found = [
        j for j in store.list_annotations("judgment", document_id=doc) if isinstance(j, Judgment)
    ]
    texts: dict[tuple[str, str], str] = {}

    def text_of(j: Judgment) -> str:
        key = (j.span.document_id, j.span.part)
        if key not in texts:
            document = store.get_document(j.span.document_id)
            parts = {"body": document.text} if document else {}
            if document:
                parts |= {c.id: c.text for c in document.comments}
            for part, value in parts.items():
                texts[(j.span.document_id, part)] = value
        return texts.get(key, "")

    if as_json:
        for j in found:
            print_json(judgment_plain(j, text_of(j)))
        return
    if not found:
        out.print("no judgments stored (run `tocsin extract` first)", markup=False)
        return
    table = list_table("document", "likelihood", "holder", "by", "judgment")
    for j in found:
        text = text_of(j)
        band = f"{j.label} {j.low:.0%}–{j.high:.0%}"
        holder = j.holder or j.holder_kind
        table.add_row(
            Text(j.span.document_id),
            Text(band),
            Text(holder, overflow="fold"),
            Text(j.deadline.isoformat() if j.deadline else "—"),
            Text(_snippet(text, j.span.start, j.span.end), overflow="fold"),
        )
    out.print(table)
    out.print(f"{len(found)} judgments", markup=False)


@forecasts_app.command("list")
def forecasts_list(
    ctx: typer.Context,
    due_before: Annotated[
        datetime | None,
        typer.Option("--due-before", formats=["%Y-%m-%d"], help="Deadline before this day."),
    ] = None,
    holder: Annotated[
        str | None, typer.Option("--holder", help="Holder's name (part of it) or kind.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source (outlet) id.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Registered forecasts, soonest deadline first: open, true, false or expired."""
    today = _today()
    found = ctx.obj.store().list_forecasts(
        due_before=due_before.date() if due_before else None, holder=holder, source=source
    )
    if as_json:
        for f in found:
            print_json(forecast_plain(f, today))
        return
    if not found:
        out.print("no forecasts match", markup=False)
        return
    table = list_table("id", "deadline", "state", "likelihood", "holder", "source", "proposition")
    for f in found:
        table.add_row(
            Text(f.id),
            Text(f.deadline.isoformat()),
            Text(f.state(today)),
            Text(f"{f.label} ({f.probability:.0%})"),
            Text(holder_of(f), overflow="fold"),
            Text(f.source_id, overflow="fold"),
            Text(f.proposition, overflow="fold"),
        )
    out.print(table)
    out.print(f"{len(found)} forecasts", markup=False)


@forecasts_app.command("resolve")
def forecasts_resolve(
    ctx: typer.Context,
    forecast_id: Annotated[str, typer.Argument(help="Forecast id (from forecasts list).")],
    outcome: Annotated[str, typer.Argument(help="true or false: did it happen?")],
    evidence: Annotated[
        str, typer.Option("--evidence", help="URL or document id showing the outcome.")
    ],
) -> None:
    """Record whether a forecast came true, with the evidence."""
    value = outcome.strip().lower()
    if value not in ("true", "false"):
        raise TocsinError(f"{outcome!r}: say `true` or `false` (did the forecast come true?)")
    if not evidence.strip():
        raise TocsinError("--evidence is empty; give the URL or document id that settles it")
    store = ctx.obj.store()
    if not store.resolve_forecast(
        forecast_id, outcome=value == "true", evidence=evidence.strip(), on=_today()
    ):
        raise TocsinError(f"{forecast_id}: no such forecast; see `tocsin forecasts list`")
    out.print(f"{forecast_id} resolved {value}", markup=False)


@forecasts_app.command("score")
def forecasts_score(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="source or holder")] = "source",
    as_json: JsonOpt = False,
) -> None:
    """Brier score and calibration per source or per holder, over resolved forecasts."""
    if by not in ("source", "holder"):
        raise TocsinError(f"--by {by}: use `source` or `holder`")
    found = ctx.obj.store().list_forecasts()
    cards = scorecards(found, by=(lambda f: f.source_id) if by == "source" else holder_of)
    if as_json:
        for card in cards:
            line = {
                by: card.key,
                "forecasts": card.total,
                "resolved": card.resolved,
                "came_true": card.came_true,
                "brier": card.brier,
                "calibration": [
                    {
                        "label": row.label,
                        "resolved": row.resolved,
                        "promised": round(row.promised, 3),
                        "observed": row.observed,
                    }
                    for row in card.calibration
                ],
            }
            print_json(line)
        return
    if not cards:
        out.print("no forecasts registered yet", markup=False)
        return
    for card in cards:
        score = f"Brier {card.brier:.3f}" if card.brier is not None else "none resolved yet"
        out.print(
            f"{card.key}: {card.total} forecasts, {card.resolved} resolved, "
            f"{card.came_true} came true; {score}",
            markup=False,
        )
        for row in card.calibration:
            out.print(
                f"    {row.label:<20} {row.resolved:>3} resolved  promised {row.promised:.0%}"
                f"  came true {row.observed:.0%}",
                markup=False,
            )


def register(app: typer.Typer) -> None:
    """Add the assessment commands to the main ``tocsin`` app."""
    app.command("judgments")(judgments)
    app.add_typer(forecasts_app, name="forecasts")
    app.command("claims")(claims)
    app.command("sources")(sources)
    app.command("quality")(quality)


def claims(
    ctx: typer.Context,
    contradicted: Annotated[
        bool, typer.Option("--contradicted", help="Only claims whose sources disagree.")
    ] = False,
    singles: Annotated[
        bool, typer.Option("--all", help="Also claims made by a single statement.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Claims grouped across documents and languages, graded 1–6 with the reasons."""
    from tocsin.app.review import review

    found = [
        g
        for g in review(ctx.obj.store()).claims
        if (singles or len(g.claim.statements) > 1) and (not contradicted or g.claim.contradicted)
    ]
    if as_json:
        for g in found:
            line = graded_claim_plain(g)
            print_json(line)
        return
    if not found:
        out.print("no claims match (extract documents first; --all shows single ones)")
        return
    for g in found:
        flag = " · CONTRADICTED" if g.claim.contradicted else ""
        out.print(
            f"{g.claim.id}  credibility {g.grade.number} ({g.grade.words}), "
            f"{g.claim.independent} independent source(s){flag}",
            style="bold",
            markup=False,
        )
        for reason in g.grade.reasons:
            out.print(f"    why: {reason}", markup=False)
        for s in g.claim.statements:
            quote = s.text if len(s.text) <= 160 else s.text[:159] + "…"
            out.print(f"    {s.stance:<9} {s.source_id} ({s.document_id}): {quote}", markup=False)
    out.print(f"{len(found)} claims", markup=False)


def sources(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Sources graded A–F: registry letter adjusted by forecasts and claims, with reasons."""
    from tocsin.app.review import review

    graded = review(ctx.obj.store()).sources
    if as_json:
        for g in graded:
            line = graded_source_plain(g)
            print_json(line)
        return
    if not graded:
        out.print("no extracted documents yet", markup=False)
        return
    for g in graded:
        out.print(
            f"{g.grade.letter}  {g.source.name} ({g.source.id}) — {g.grade.words}, "
            f"{g.documents} documents",
            markup=False,
        )
        for reason in g.grade.reasons:
            out.print(f"     {reason}", markup=False)


def quality(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(help="Document id (from docs list).")],
    as_json: JsonOpt = False,
) -> None:
    """How a document sources its claims: unnamed sources, opinion, loaded words and
    accusations made without any source, each with its quotes."""
    from tocsin.app.review import document_quality
    from tocsin.extract.quality.scores import excerpts

    found = document_quality(ctx.obj.store(), doc_id)
    if found is None:
        raise TocsinError(f"{doc_id}: no such extracted document; run `tocsin extract {doc_id}`")
    doc, q = found
    shown = {
        "opinion": excerpts(doc.text, q.opinion),
        "loaded": excerpts(doc.text, q.loaded),
        "accusations": excerpts(doc.text, q.accusations),
    }
    if as_json:
        line = {
            "document_id": doc.id,
            "claims": q.claims,
            "anonymous_share": q.anonymous_share,
            "unattributed_share": q.unattributed_share,
            "score": q.score,
            **shown,
        }
        print_json(line)
        return
    out.print(f"{doc.title or doc.id}", style="bold", markup=False)
    out.print(f"sourcing score {q.score:.2f} (1 = clean): {q.summary}", markup=False)
    for key, quotes in shown.items():
        for quote in quotes:
            out.print(f"  {key:<11} «{quote}»", markup=False)
