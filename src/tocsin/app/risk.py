"""Risk levels over the whole store: Tocsin's events and the stored forecasts (located at
the places their sentences name) through ``assess.risk.compute_risk``, saved, and
compared with the levels stored before. Composes the stage with the store, as
``events.py`` does for events; the CLI and ``assessment.py`` (before matching alerts)
call it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tocsin.assess.risk.levels import RiskChange, compute_risk
from tocsin.assess.risk.params import RiskParams, load_risk_params
from tocsin.assess.risk.weights import LocatedForecast, forecast_open_on, locate_forecast
from tocsin.config import Settings
from tocsin.models import LAYER_TOCSIN, RISK_CATEGORIES, EventFilter, RiskLevel
from tocsin.store import Store

__all__ = [
    "LocatedForecast",
    "RiskChange",
    "RiskUpdate",
    "locate_forecast",
    "located_forecasts",
    "store_risk",
    "update_risk",
]


@dataclass(frozen=True, slots=True)
class RiskUpdate:
    """What ``update_risk`` computed and saved, and the levels that changed."""

    levels: tuple[RiskLevel, ...]
    changes: tuple[RiskChange, ...]


def located_forecasts(store: Store, *, open_on: date | None = None) -> list[LocatedForecast]:
    """Every stored forecast (or those open on ``open_on``: made by then, deadline not
    passed, not resolved) with the place its sentence names; soonest deadline first."""
    places = store.forecast_places()
    found = []
    for forecast in store.list_forecasts():
        if open_on is not None and not (
            forecast.status == "open" and forecast_open_on(forecast, open_on)
        ):
            continue
        found.append(locate_forecast(forecast, places.get(forecast.id, [])))
    return found


def _order(level: RiskLevel) -> tuple[int, str, int]:
    scope = ("country", "admin1", "town", "point").index(level.scope)
    return scope, level.place_key, RISK_CATEGORIES.index(level.category)


def store_risk(
    store: Store,
    *,
    asof: date,
    settings: Settings | None = None,
    params: RiskParams | None = None,
) -> list[RiskLevel]:
    """The levels of the period ending ``asof`` from Tocsin's events and the located
    forecasts of the store, computed and not saved (``update_risk`` saves them)."""
    period = (settings or Settings()).risk_period_days
    params = params or load_risk_params()
    reach = max(period, params.window_days) + period  # both windows, this one and before
    events = store.list_events(
        EventFilter(layer=LAYER_TOCSIN, since=asof - timedelta(days=reach), until=asof)
    )
    return compute_risk(
        events, asof=asof, period_days=period, forecasts=located_forecasts(store), params=params
    )


def update_risk(
    store: Store,
    *,
    asof: date,
    settings: Settings | None = None,
    params: RiskParams | None = None,
) -> RiskUpdate:
    """Compute the levels of the period ending ``asof`` (settings.risk_period_days long)
    from Tocsin's events and the located forecasts, save them, and return them with the
    changes against the last stored levels. A place and category stored with a score
    that has nothing left now falls to minimal (score 0; its previous level is the last
    stored one, the trend "down" or "steady"), so that the latest stored level of every
    place is current. A new place at minimal is not a change."""
    settings = settings or Settings()
    period = settings.risk_period_days
    levels = store_risk(store, asof=asof, settings=settings, params=params)
    stored = {(lv.place_key, lv.category): lv for lv in store.latest_risk_levels(asof=asof)}
    fresh = {(lv.place_key, lv.category) for lv in levels}
    start = asof - timedelta(days=period - 1)
    for key, old in sorted(stored.items()):
        if key in fresh or old.score <= 0.0 or old.scope == "point":
            continue
        levels.append(
            RiskLevel(
                place_key=old.place_key, scope=old.scope, name=old.name, category=old.category,
                level=1, score=0.0, period_start=start, period_end=asof, country=old.country,
                admin1=old.admin1, geonameid=old.geonameid, lat=old.lat, lon=old.lon,
                previous_level=old.level, previous_score=old.score,
                trend="down" if old.level > 1 else "steady",
            )
        )  # fmt: skip
    levels.sort(key=_order)
    store.save_risk_levels(levels)
    changes = []
    for level in levels:
        before = stored.get((level.place_key, level.category))
        was = before.level if before is not None else None
        if was != level.level and not (was is None and level.level == 1):
            changes.append(RiskChange(level, was))
    return RiskUpdate(levels=tuple(levels), changes=tuple(changes))
