"""Where the organisation works: the area of interest that guides place resolution.

An area of interest is a list of countries (ISO2 codes, or country names) and regions
(ACLED's regions of ``knowledge/regions.toml``: "Western Africa"). It is set, most
specific first, per feed (``[[feed]] area_of_interest`` in the watch config), per source
(``area_of_interest`` of a ``[[source]]`` in the outlet registry), in the settings
(``area_of_interest`` in ``tocsin.toml``, ``TOCSIN_AREA_OF_INTEREST=ML,BF,NE``); when none
is set it is derived from the organisation's assets (the countries they lie in). The
extractor takes it as countries: their places come before namesakes abroad.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache

from tocsin.alert.places import asset_regions
from tocsin.errors import ConfigError
from tocsin.geo.countries import find_country
from tocsin.ingest.acled_names import load_countries
from tocsin.knowledge.outlets import OutletRegistry
from tocsin.models import Asset, Document
from tocsin.text.fold import fold

__all__ = ["area_countries", "assets_area", "document_areas"]


def area_countries(values: Iterable[str], *, where: str = "area_of_interest") -> tuple[str, ...]:
    """The ISO2 codes of an area of interest written as codes, country names or region
    names, in the order given, without repeats. Raises ``ConfigError`` naming ``where``
    for a name that is neither."""
    table = load_countries()
    regions: dict[str, list[str]] = {}
    for country in table:
        if country.region:
            regions.setdefault(fold(country.region), []).append(country.iso2)
    out: list[str] = []
    for raw in values:
        value = str(raw).strip()
        if not value:
            continue
        found = find_country(value)
        codes = [found.alpha2] if found is not None else regions.get(fold(value), [])
        if not codes:
            known = ", ".join(sorted({c.region for c in table if c.region}))
            raise ConfigError(
                f"{where}: {value!r} is neither a country (ISO2 code or name) nor a region; "
                f"write codes such as ML, BF, NE or one of the regions {known}"
            )
        out.extend(c for c in codes if c not in out)
    return tuple(out)


@cache
def _outlet_area(name: str, values: tuple[str, ...]) -> tuple[str, ...]:
    return area_countries(values, where=f"source {name!r}: area_of_interest")


def assets_area(assets: Iterable[Asset]) -> tuple[str, ...]:
    """The countries the organisation's assets lie in, most assets first."""
    counts: dict[str, int] = {}
    for asset in assets:
        for country in {country for country, _ in asset_regions(asset)}:
            counts[country] = counts.get(country, 0) + 1
    return tuple(sorted(counts, key=lambda c: (-counts[c], c)))


def document_areas(
    docs: Sequence[Document],
    *,
    default: Sequence[str],
    registry: OutletRegistry | None = None,
    feed: Sequence[str] | None = None,
) -> Mapping[str, tuple[str, ...]]:
    """Each document's area of interest: the feed's when given, else its source's in the
    registry, else ``default`` (the settings' or the assets')."""
    areas: dict[str, tuple[str, ...]] = {}
    for doc in docs:
        area: Sequence[str] = default
        if feed:
            area = feed
        elif registry is not None:
            outlet = registry.lookup(domain=doc.source.domain, name=doc.source.name)
            if outlet is not None and outlet.area_of_interest:
                area = _outlet_area(outlet.name, outlet.area_of_interest)
        areas[doc.id] = tuple(area)
    return areas
