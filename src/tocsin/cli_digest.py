"""The commands for the weekly digest and its subscribers (`tocsin digest`, `tocsin subscribers`).
A thin shell over the library, registered on the main app by ``tocsin.cli``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
