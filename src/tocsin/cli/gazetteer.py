"""The gazetteer commands: ``tocsin gazetteer import|lookup``. A thin shell over
``tocsin.geo.gazetteer``, registered on the main app by ``tocsin.cli.main``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from tocsin.cli.common import JsonOpt, print_error, print_json, say
from tocsin.errors import TocsinError

gazetteer_app = typer.Typer(help="The offline gazetteer of places.", no_args_is_help=True)


@gazetteer_app.command("import")
def gazetteer_import(
    files: Annotated[list[Path], typer.Argument(help="GeoNames country dumps (XX.txt or XX.zip).")],
) -> None:
    """Add GeoNames country dumps you downloaded (other regions) to the local gazetteer."""
    from tocsin.geo.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    failed = 0
    for path in files:
        try:
            count = gazetteer.add_geonames_dump(path)
        except TocsinError as exc:
            print_error(str(exc))
            failed += 1
            continue
        say(f"{path}: {count} places imported")
    say(f"{len(gazetteer)} places in {gazetteer.path}")
    if failed:
        raise typer.Exit(1)


@gazetteer_app.command("lookup")
def gazetteer_lookup(
    name: Annotated[str, typer.Argument(help="A place name, in any usual spelling.")],
    country: Annotated[str | None, typer.Option(help="Country focus, ISO code (ML).")] = None,
    limit: Annotated[int, typer.Option(help="How many candidates.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Candidates for a place name, best first (the first use builds the index)."""
    from tocsin.geo.gazetteer import Gazetteer

    places = Gazetteer.load().lookup(name, country=country, limit=limit)
    for place in places:
        if as_json:
            print_json(asdict(place))
        else:
            where = (
                f"{place.lat:.4f}, {place.lon:.4f}" if place.lat is not None else "no coordinates"
            )
            say(
                f"{place.geonameid:>10}  {place.name}  ({place.kind}, {place.feature_code}, "
                f"{place.admin1 or '—'}, {place.country})  {where}  pop. {place.population}"
            )
    if not places and not as_json:
        say(f"{name}: not in the gazetteer")


def register(app: typer.Typer) -> None:
    """Add the gazetteer commands to the main ``tocsin`` app."""
    app.add_typer(gazetteer_app, name="gazetteer")
