"""What every command module of the CLI shares: the consoles, the ``--json`` option,
the context the global options build, and small helpers to print, count, read option
values and write files.

Text written by strangers (titles, quotes, names from a file) is printed with
``markup=False``: ``say`` and ``note`` do so; only ``print_error`` uses markup, around an
escaped message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tocsin.config import Settings, load_settings
from tocsin.errors import InputError
from tocsin.store import Store, open_store

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
JsonLinesOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON lines.")]


@dataclass
class Context:
    """What the global options (``--db``, ``--config``) give every command: ``ctx.obj``."""

    config: Path | None
    overrides: dict[str, Any]

    def settings(self, **more: Any) -> Settings:
        """The settings of the config file, with the global options and ``more`` over them."""
        return load_settings(config_file=self.config, overrides={**self.overrides, **more})

    def store(self, settings: Settings | None = None) -> Store:
        """The store of ``settings`` (default: :meth:`settings`)."""
        return open_store((settings or self.settings()).db)


def say(text: str) -> None:
    """One line of plain text on stdout (never read as markup)."""
    out.print(text, markup=False)


def note(text: str) -> None:
    """One line of plain text on stderr: a problem, a warning, a summary."""
    err.print(text, markup=False)


def print_error(message: str) -> None:
    """``error <message>`` on stderr, the word in red."""
    err.print(f"[red]error[/red] {escape(message)}", highlight=False)


def print_json(value: Any, *, indent: int | None = None) -> None:
    """``value`` as JSON on stdout: one line, or indented when ``indent`` is given."""
    out.print(json.dumps(value, ensure_ascii=False, indent=indent), markup=False)


def list_table(*columns: str) -> Table:
    """A borderless table with bold headers and these ``columns``: what the list
    commands print (add more columns, with their own justification, after)."""
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(column)
    return table


def count(n: int, word: str) -> str:
    """ "1 event", "2 events": ``n`` and ``word``, plural (with an s) unless ``n`` is 1."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def parse_day(value: str, option: str, *, example: str = "") -> date:
    """A YYYY-MM-DD option value; an ``InputError`` naming the option otherwise."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        advice = "write it as YYYY-MM-DD" + (f" ({example})" if example else "")
        raise InputError(f"{option} {value}", "not a date", advice) from None


def choice(value: str | None, option: str, allowed: tuple[str, ...]) -> str | None:
    """``value`` in lower case when it is one of ``allowed`` (None stays None)."""
    if value is None:
        return None
    text = value.strip().lower()
    if text not in allowed:
        raise InputError(f"{option} {value}", "not known", f"use one of {', '.join(allowed)}")
    return text


def write_file(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to ``path``; an ``InputError`` naming it when that
    fails."""
    try:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            str(path), f"cannot be written ({exc.strerror})", "check that the folder exists"
        ) from exc
