"""The commands for the web dashboard and its users (`tocsin serve`, `tocsin users`).
A thin shell over ``tocsin.web`` and ``tocsin.users``, registered on the main app by
``tocsin.cli``. (Being written this session.)"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
