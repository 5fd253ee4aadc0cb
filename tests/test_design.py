"""The design document (docs/DESIGN.md) describes the house as it is: every module of the
package, every bundled knowledge file and every CLI command is named there, so that a
module, a file or a command added without a word in the design fails the suite."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer.main

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "tocsin"
DESIGN = ROOT / "docs" / "DESIGN.md"


def _design() -> str:
    return DESIGN.read_text(encoding="utf-8")


def modules() -> list[str]:
    """Every module of the package as a path under src/tocsin/ ("extract/places/resolve.py"),
    migrations' revision files and package markers (``__init__.py``) apart."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if "/migrations/" in f"/{rel}" or path.name == "__init__.py":
            continue
        found.append(rel)
    return found


def packages() -> list[str]:
    """Every package folder under src/tocsin/ ("extract/places/")."""
    return sorted(
        p.parent.relative_to(PACKAGE).as_posix() + "/"
        for p in PACKAGE.rglob("__init__.py")
        if p.parent != PACKAGE and "migrations" not in p.parts
    )


def knowledge_files() -> list[str]:
    folder = PACKAGE / "knowledge"
    return sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in {".toml", ".gz", ".tsv"}
    )


def commands() -> list[str]:
    """Every command line a user can type: "tocsin ingest", "tocsin events list", ..."""
    from tocsin.cli.main import app

    def walk(command: Any, words: list[str]) -> Iterator[str]:
        subcommands = getattr(command, "commands", None)  # a group (Typer vendors click)
        if subcommands is not None:
            for name, sub in sorted(subcommands.items()):
                yield from walk(sub, [*words, name])
        else:
            yield " ".join(words)

    return list(walk(typer.main.get_command(app), ["tocsin"]))


def _missing(names: list[str], text: str) -> list[str]:
    return [n for n in names if not re.search(rf"(?<![\w/.]){re.escape(n)}(?![\w])", text)]


def test_every_module_is_described() -> None:
    missing = _missing(modules(), _design())
    assert not missing, f"modules not described in docs/DESIGN.md: {missing}"


def test_every_package_is_described() -> None:
    missing = [p for p in packages() if f"`{p}`" not in _design()]
    assert not missing, f"packages not described in docs/DESIGN.md: {missing}"


def test_every_knowledge_file_is_described() -> None:
    missing = _missing(knowledge_files(), _design())
    assert not missing, f"knowledge files not described in docs/DESIGN.md: {missing}"


def test_every_command_is_described() -> None:
    found = commands()
    assert "tocsin ingest" in found and "tocsin events list" in found
    missing = [c for c in found if f"`{c}`" not in _design()]
    assert not missing, f"CLI commands not described in docs/DESIGN.md: {missing}"


def test_nothing_described_that_is_gone() -> None:
    """A module path the design names (``something/x.py`` under a package folder) exists."""
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.py)`", _design()))
    gone = sorted(n for n in named if not (PACKAGE / n).exists() and not (ROOT / n).exists())
    assert not gone, f"docs/DESIGN.md names modules that do not exist: {gone}"
