"""The command line (Typer): ``tocsin ...``, a thin shell over ``tocsin.app``.

``main`` builds the Typer app of :mod:`tocsin.cli.main`; each module registers the
commands of one area (events, assessment, risk, alerts, briefs, digest, outbox,
comments, users and the web server); :mod:`tocsin.cli.render` prints annotations.
"""

from tocsin.cli.main import main

__all__ = ["main"]
