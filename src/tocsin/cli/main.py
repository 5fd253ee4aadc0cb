"""The ``tocsin`` command: a thin shell over the library (``tocsin.app``, ``tocsin.store``).

This module builds the Typer app, reads the global options (``--db``, ``--config``) into
the :class:`~tocsin.cli.common.Context` every command gets as ``ctx.obj``, and lets each
command module register its commands; ``main`` runs it. The order of the registrations
is the order of ``tocsin --help``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tocsin.cli import (
    alerts,
    assess,
    briefs,
    comments,
    demo,
    digest,
    documents,
    events,
    gazetteer,
    outbox,
    risk,
    web,
)
from tocsin.cli.common import Context, err
from tocsin.errors import TocsinError
from tocsin.knowledge.files import configure_knowledge

app = typer.Typer(
    help="Tocsin: risk intelligence from open sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _main(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", help="Database: a SQLite path or SQLAlchemy URL.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Settings file (default ./tocsin.toml).")
    ] = None,
    knowledge_dir: Annotated[
        Path | None,
        typer.Option("--knowledge-dir", help="Folder of your own knowledge files (actors.toml…)."),
    ] = None,
) -> None:
    folder = str(knowledge_dir) if knowledge_dir else None
    ctx.obj = Context(config=config, overrides={"db": db, "knowledge_dir": folder})
    configure_knowledge(ctx.obj.settings())


documents.register(app)
gazetteer.register(app)
demo.register(app)
assess.register(app)
events.register(app)
risk.register(app)
alerts.register(app)
outbox.register(app)
briefs.register(app)
digest.register(app)
web.register(app)
comments.register(app)


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
