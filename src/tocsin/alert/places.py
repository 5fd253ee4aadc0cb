"""Which country and first-level region an asset lies in, for risk levels and forecasts
that name a region or a country rather than a point.

Assets carry coordinates only. Each point of the asset (its centre; a route every
``STEP_KM`` along its length) takes the country and region of the nearest populated
place of the bundled gazetteer within ``WITHIN_KM``; farther from any known town, the
point's country is unknown and it touches no region (the bundled gazetteer covers West
Africa; elsewhere only town-level places can touch an asset).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from tocsin.alert.geometry import KM_PER_DEGREE, PointGrid, asset_shape, haversine_np
from tocsin.geo.gazetteer import BUNDLED, name_key, read_bundled
from tocsin.models import Asset

STEP_KM = 10.0
WITHIN_KM = 60.0

Region = tuple[str, str | None]  # (country ISO2, admin1 name or None)


@lru_cache(maxsize=1)
def _towns() -> tuple[PointGrid, tuple[Region, ...]]:
    lats: list[float] = []
    lons: list[float] = []
    regions: list[Region] = []
    for row in read_bundled(BUNDLED):
        if row.fclass != "P" or row.lat is None or row.lon is None:
            continue
        lats.append(row.lat)
        lons.append(row.lon)
        regions.append((row.country, row.admin1))
    return PointGrid(np.array(lats), np.array(lons)), tuple(regions)


def locate(lat: float, lon: float) -> Region | None:
    """(country, admin1) of the nearest populated place within WITHIN_KM (the region of
    the nearest town of that country whose region is known), or None."""
    grid, regions = _towns()
    dlat = WITHIN_KM / KM_PER_DEGREE
    dlon = dlat / max(0.01, float(np.cos(np.radians(min(89.0, abs(lat) + dlat)))))
    picked = grid.within_box(lat - dlat, lon - dlon, lat + dlat, lon + dlon)
    if not len(picked):
        return None
    distances = haversine_np(lat, lon, grid.lats[picked], grid.lons[picked])
    order = np.argsort(distances, kind="stable")
    if distances[order[0]] > WITHIN_KM:
        return None
    country = regions[int(picked[order[0]])][0]
    for index in order.tolist():  # the nearest town of that country whose region is known
        if distances[index] > WITHIN_KM:
            break
        town_country, admin1 = regions[int(picked[index])]
        if town_country == country and admin1:
            return country, admin1
    return country, None


@lru_cache(maxsize=4096)
def asset_regions(asset: Asset) -> frozenset[Region]:
    """Every (country, admin1) the asset's points lie in."""
    found = set()
    for lat, lon in asset_shape(asset).samples(STEP_KM):
        if (region := locate(lat, lon)) is not None:
            found.add(region)
    return frozenset(found)


def in_region(asset: Asset, country: str | None, admin1: str | None = None) -> bool:
    """Whether the asset lies (at least partly) in the country, or in its region when
    ``admin1`` is given."""
    if not country:
        return False
    code = country.upper()
    wanted = name_key(admin1) if admin1 else None
    for region_country, region_admin1 in asset_regions(asset):
        if region_country != code:
            continue
        if wanted is None or (region_admin1 and name_key(region_admin1) == wanted):
            return True
    return False
