"""The commands for comment sections (`tocsin comments classify|summary`). A thin shell
over ``tocsin.comments``, registered on the main app by ``tocsin.cli``. (Being written
this session.)"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
