"""The dashboard's home (headline counts and the map), the map with its filters, the
timeline of events per week and type (an SVG drawn here, no JavaScript) and the table
of risk levels.

The map itself is drawn in the browser by ``static/js/map.js`` from the JSON API
(``routers/api_map.py``); the page hands it the API's URLs, the colours and its strings
in one ``data-config`` attribute (JSON, escaped by Jinja2's ``tojson``).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from tocsin.geo.countries import country_name
from tocsin.knowledge.names import RISK_CATEGORY_NAMES, RISK_LEVEL_NAMES
from tocsin.models import EVENT_STATUSES, RISK_CATEGORIES
from tocsin.web.deps import StoreDep, Viewer
from tocsin.web.event_cache import cached
from tocsin.web.filters import EventQuery, event_query, with_default_window
from tocsin.web.i18n import translator
from tocsin.web.map_view import (
    EVENT_TYPE_COLOURS,
    LEVEL_COLOURS,
    OTHER_COLOUR,
    area_matcher,
    timeline_chart,
    type_colour,
    type_slug,
    weeks_of,
)
from tocsin.web.templating import render

router = APIRouter(include_in_schema=False)

TOPOLOGY = "/static/vendor/world-atlas/countries-50m.json"
RISK_PAGE = 100  # rows per page of /risk
TOP_RISKS = 5  # highest risks on the home page
SCOPES = ("country", "admin1", "town")
Text = Annotated[str | None, Query(max_length=200)]


def _lang(request: Request) -> str:
    lang: str = getattr(request.state, "lang", "en")
    return lang


def type_names(lang: str) -> dict[str, str]:
    """ACLED's event types in ``lang`` (the type itself when there is no translation)."""
    t = translator(lang)
    return {kind: t(f"map.type.{type_slug(kind)}") for kind in EVENT_TYPE_COLOURS}


def _legend(lang: str) -> list[dict[str, str]]:
    names = type_names(lang)
    return [{"type": k, "name": names[k], "colour": c} for k, c in EVENT_TYPE_COLOURS.items()]


def _levels_legend(lang: str) -> list[dict[str, Any]]:
    names = RISK_LEVEL_NAMES.get(lang, RISK_LEVEL_NAMES["en"])
    return [{"level": n, "name": names[n], "colour": c} for n, c in LEVEL_COLOURS.items()]


def map_config(lang: str, query: EventQuery) -> dict[str, Any]:
    """What map.js needs: the API's URLs (the page's filters in the events URL), the
    colours and the strings of popups, toggles and the count."""
    t = translator(lang)
    params = query.params()
    events_url = "/api/v1/map/events" + (f"?{urlencode(params)}" if params else "")
    return {
        "urls": {
            "events": events_url,
            "countries": "/api/v1/risk/countries?limit=500",
            "places": "/api/v1/risk/places",
            "assets": "/api/v1/assets.geojson",
            "topology": TOPOLOGY,
        },
        "typeColours": EVENT_TYPE_COLOURS,
        "otherColour": OTHER_COLOUR,
        "levelColours": {str(k): v for k, v in LEVEL_COLOURS.items()},
        "labels": {
            "events": t("map.layer.events"),
            "riskCountries": t("map.layer.risk_countries"),
            "riskPlaces": t("map.layer.risk_places"),
            "assets": t("map.layer.assets"),
            "level": t("map.popup.level"),
            "fatalities": t("map.popup.fatalities"),
            "status": t("map.popup.status"),
            "openEvent": t("map.popup.open_event"),
            "openRisk": t("map.popup.open_risk"),
            "radius": t("map.popup.radius"),
            "buffer": t("map.popup.buffer"),
            "total": t("map.total"),
            "loading": t("map.loading"),
            "failed": t("map.failed"),
            "types": type_names(lang),
            "statuses": {s: t(f"map.status.{s}") for s in EVENT_STATUSES},
            "kinds": {k: t(f"map.kind.{k}") for k in ("site", "staff", "route")},
            "categories": RISK_CATEGORY_NAMES.get(lang, RISK_CATEGORY_NAMES["en"]),
            "levels": {
                str(k): v for k, v in RISK_LEVEL_NAMES.get(lang, RISK_LEVEL_NAMES["en"]).items()
            },
        },
    }


def _map_context(request: Request, store: StoreDep, query: EventQuery) -> dict[str, Any]:
    lang = _lang(request)
    window = with_default_window(query, cached(store, "newest", store.latest_event_date))
    return {
        "map_config": map_config(lang, query),
        "legend": _legend(lang),
        "levels_legend": _levels_legend(lang),
        "window": window,
    }


@router.get("/")
def home(request: Request, _user: Viewer, store: StoreDep) -> HTMLResponse:
    """Headline counts, the highest latest risks and the map."""
    counts = store.headline()
    levels = store.latest_risk_levels()
    top = sorted(levels, key=lambda x: (-x.level, -x.score, x.place_key, x.category))
    context = _map_context(request, store, event_query())
    context.update(counts=counts, top_risks=top[:TOP_RISKS], **_risk_names(_lang(request)))
    return render(request, "home.html.j2", context)


class _PageFilters:
    """The event filters of the map's and the timeline's query string (a FastAPI
    dependency): ``form``, the values as given, fills the page's form again;
    :meth:`query` parses them (a :class:`FilterError` for a value it cannot use)."""

    def __init__(
        self,
        country: Text = None,
        admin1: Text = None,
        type: Text = None,
        actor: Text = None,
        status: Text = None,
        since: Text = None,
        until: Text = None,
    ) -> None:
        given = {
            "country": country,
            "admin1": admin1,
            "type": type,
            "actor": actor,
            "status": status,
            "since": since,
            "until": until,
        }
        self.form = {name: value or "" for name, value in given.items()}
        self._given = given

    def query(self, *, actor: bool = True) -> EventQuery:
        """The filters, parsed; ``actor`` False: without the actor (the timeline has none)."""
        g = self._given
        return event_query(
            country=g["country"],
            admin1=g["admin1"],
            event_type=g["type"],
            actor=g["actor"] if actor else None,
            status=g["status"],
            since=g["since"],
            until=g["until"],
        )


PageFilters = Annotated[_PageFilters, Depends()]


@router.get("/map")
def map_page(
    request: Request, _user: Viewer, store: StoreDep, filters: PageFilters
) -> HTMLResponse:
    """The map: events (filtered by the query string), risk levels, assets."""
    context = _map_context(request, store, filters.query())
    context.update(
        filters=filters.form,
        types=_legend(_lang(request)),
        statuses=EVENT_STATUSES,
    )
    return render(request, "map.html.j2", context)


@router.get("/timeline")
def timeline_page(
    request: Request, _user: Viewer, store: StoreDep, filters: PageFilters
) -> HTMLResponse:
    """Events per ISO week and type: a stacked bar chart (SVG) and the same as a table."""
    lang = _lang(request)
    query = filters.query(actor=False)
    window = with_default_window(query, cached(store, "newest", store.latest_event_date))
    flt = window.event_filter()
    weeks, types, cut = weeks_of(cached(store, ("weeks", flt), lambda: store.week_counts(flt)))
    names = type_names(lang)
    for kind in types:
        names.setdefault(kind, kind)
    shown = [w for w in weeks if w.total]
    return render(
        request,
        "timeline.html.j2",
        {
            "filters": {k: v for k, v in filters.form.items() if k != "actor"},
            "window": window,
            "weeks": shown,
            "week_count": len(weeks),
            "total": sum(w.total for w in weeks),
            "types": [
                {"type": k, "name": names[k], "colour": type_colour(k), "slug": type_slug(k)}
                for k in types
            ],
            "all_types": _legend(lang),
            "statuses": EVENT_STATUSES,
            "chart": timeline_chart(weeks, names) if weeks else None,
            "cut": cut,
            "event_params": window.params(),
            "urlencode": urlencode,
        },
    )


def _risk_names(lang: str) -> dict[str, Any]:
    return {
        "category_names": RISK_CATEGORY_NAMES.get(lang, RISK_CATEGORY_NAMES["en"]),
        "level_names": RISK_LEVEL_NAMES.get(lang, RISK_LEVEL_NAMES["en"]),
    }


def events_link(level: Any) -> str:
    """The events page filtered to a risk level's place (its country, and its region
    for a region or a town)."""
    params = {"country": level.country}
    if level.scope in ("admin1", "town") and level.admin1:
        params["admin1"] = level.admin1
    return "/events?" + urlencode({k: v for k, v in params.items() if v})


@router.get("/risk")
def risk_page(
    request: Request,
    _user: Viewer,
    store: StoreDep,
    area: Text = None,
    category: Text = None,
    scope: Text = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    """The latest level of each place and category, with trend and reasons."""
    lang = _lang(request)
    chosen_category = category if category in RISK_CATEGORIES else None
    chosen_scope = scope if scope in SCOPES else None
    matches = area_matcher(area)
    levels = [
        x
        for x in store.latest_risk_levels(category=chosen_category, scope=chosen_scope)
        if matches(x)
    ]
    shown = levels[offset : offset + RISK_PAGE]
    return render(
        request,
        "risk.html.j2",
        {
            "filters": {
                "area": area or "",
                "category": chosen_category or "",
                "scope": chosen_scope or "",
            },
            "levels": shown,
            "total": len(levels),
            "offset": offset,
            "page_size": RISK_PAGE,
            "categories": RISK_CATEGORIES,
            "scopes": SCOPES,
            "level_colours": LEVEL_COLOURS,
            "events_link": events_link,
            "country_name": lambda code: country_name(code, lang),
            **_risk_names(lang),
        },
    )
