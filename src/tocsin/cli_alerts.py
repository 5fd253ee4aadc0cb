"""The commands for assets, alert rules and alerts: `tocsin assets|rules|alerts`.
A thin shell over the library, registered on the main app by ``tocsin.cli``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
