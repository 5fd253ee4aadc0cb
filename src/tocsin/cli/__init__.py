"""The command line (Typer): ``tocsin ...``, a thin shell over ``tocsin.app``.

``main`` runs the Typer app of :mod:`tocsin.cli.main`; each module registers the
commands of one area (documents, gazetteer, demo, assessment, events, risk, alerts,
outbox, briefs, digest, comments, users and the web server). :mod:`tocsin.cli.common`
holds what they share (consoles, ``--json``, the context, printing and small parsers);
:mod:`tocsin.cli.render` prints annotations, :mod:`tocsin.cli.event_render` events.
"""

from tocsin.cli.main import main

__all__ = ["main"]
