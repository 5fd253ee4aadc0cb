"""The commands for risk levels (`tocsin risk`).
A thin shell over the library, registered on the main app by ``tocsin.cli``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
