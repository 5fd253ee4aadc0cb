"""The home page, the map, the timeline and the risk table (routers/map_pages.py), in
English and French, against the dashboard's test database; and the vendored browser
files they load."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import login
from tocsin.models import EventFilter, RiskContribution, RiskLevel
from tocsin.store import Store
from tocsin.web.map_view import EVENT_TYPE_COLOURS, LEVEL_COLOURS

STATIC = Path(__file__).parents[2] / "src" / "tocsin" / "web" / "static"
PAGES = ("/", "/map", "/timeline", "/risk")
VENDORED = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/layers.png",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "vendor/topojson-client/topojson-client.min.js",
    "vendor/world-atlas/countries-50m.json",
)


def store_of(client: TestClient) -> Store:
    app = client.app
    assert isinstance(app, FastAPI)
    store: Store = app.state.store
    return store


def map_config(page: str) -> dict[str, Any]:
    found = re.search(r"<div id=\"map\" class=\"map\" data-config='([^']*)'", page)
    assert found, page[:2000]
    config: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return config


def assert_no_inline_code(page: str) -> None:
    """What the CSP would block: inline scripts, style attributes, event handlers."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\sstyle\s*=", page)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", page)
    assert "javascript:" not in page


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_in_english_and_french(viewer_client: TestClient, path: str) -> None:
    english = viewer_client.get(f"{path}?lang=en")
    french = viewer_client.get(f"{path}?lang=fr")
    viewer_client.get("/login?lang=en")  # leave the shared client in English
    assert english.status_code == french.status_code == 200
    assert '<html lang="en">' in english.text and '<html lang="fr">' in french.text
    titles = {
        "/": ("Overview", "Vue d&#39;ensemble"),
        "/map": ("Map", "Carte"),
        "/timeline": ("Timeline", "Chronologie"),
        "/risk": ("Risk levels", "Niveaux de risque"),
    }[path]
    assert f"<h1>{titles[0]}</h1>" in english.text
    assert f"<h1>{titles[1]}</h1>" in french.text
    for page in (english.text, french.text):
        assert_no_inline_code(page)
        text = re.sub(r"<[^>]*>", "", page)
        assert not re.search(r"\b(?:map|home|risk|timeline)\.[a-z_]+\b", text)  # no bare key


@pytest.mark.parametrize("path", PAGES)
def test_pages_need_a_signed_in_user(anonymous_client: TestClient, path: str) -> None:
    answer = anonymous_client.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")


def test_map_page_hands_the_filters_to_the_map(viewer_client: TestClient) -> None:
    page = viewer_client.get("/map?type=Battles&country=Mali&since=2025-09-01&status=&lang=en")
    assert page.status_code == 200
    assert 'id="map-count"' in page.text and 'id="map"' in page.text
    assert 'id="map-filters"' in page.text
    config = map_config(page.text)
    assert config["urls"] == {
        "events": "/api/v1/map/events?country=ML&type=Battles&since=2025-09-01",
        "countries": "/api/v1/risk/countries?limit=500",
        "places": "/api/v1/risk/places",
        "assets": "/api/v1/assets.geojson",
        "topology": "/static/vendor/world-atlas/countries-50m.json",
    }
    assert config["typeColours"] == EVENT_TYPE_COLOURS
    assert config["levelColours"] == {str(k): v for k, v in LEVEL_COLOURS.items()}
    assert config["labels"]["events"] == "Events"
    assert config["labels"]["levels"]["4"] == "high"
    # the API answers the URL the page hands over
    events = viewer_client.get(config["urls"]["events"]).json()
    assert events["features"] and {f["properties"]["event_type"] for f in events["features"]} == {
        "Battles"
    }
    # the form keeps what was chosen
    assert '<option value="Battles" selected>Battles</option>' in page.text
    assert 'name="country" id="map-country" value="Mali"' in page.text
    for script in (
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "/static/vendor/topojson-client/topojson-client.min.js",
        "/static/js/map.js",
    ):
        assert f'<script src="{script}"></script>' in page.text


def test_map_page_in_french(viewer_client: TestClient) -> None:
    page = viewer_client.get("/map?lang=fr").text
    viewer_client.get("/login?lang=en")
    config = map_config(page)
    assert config["labels"]["events"] == "Événements"
    assert config["labels"]["types"]["Battles"] == "Combats"
    assert config["labels"]["categories"]["conflict"] == "conflit armé et terrorisme"
    assert config["urls"]["events"] == "/api/v1/map/events"
    assert "Violence contre les civils" in page  # the legend
    assert "(l&#39;année précédant le dernier événement)" in page


def test_map_page_shows_the_default_window(viewer_client: TestClient) -> None:
    every = store_of(viewer_client).list_events(EventFilter())
    newest = max(e.event_date for e in every if e.event_date)
    page = viewer_client.get("/map?lang=en").text
    since = newest - timedelta(days=364)
    assert f"Events from {since} to {newest} (the year up to the newest event)" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=yesterday", "since &#39;yesterday&#39;: not a date; write YYYY-MM-DD"),
        ("country=Atlantis", "country &#39;Atlantis&#39;: not a country code or name"),
    ],
)
def test_map_page_says_what_is_wrong_with_a_filter(
    viewer_client: TestClient, query: str, message: str
) -> None:
    page = viewer_client.get(f"/map?{query}&lang=en")
    assert page.status_code == 400
    assert 'id="error-message"' in page.text and message in page.text


def test_home_has_the_headline_counts_and_the_map(viewer_client: TestClient) -> None:
    store = store_of(viewer_client)
    page = viewer_client.get("/?lang=en").text
    counts = store.headline()
    assert counts.events == store.count_events() > 0
    assert counts.documents == store.count_documents() > 0
    assert counts.alerts > 0
    for anchor, number in (
        ("count-events", counts.events),
        ("count-documents", counts.documents),
        ("count-alerts", counts.alerts),
        ("count-high-risk", counts.high_risk_places),
    ):
        assert re.search(rf'id="{anchor}"><span class="headline-number">{number}</span>', page), (
            anchor
        )
    levels = store.latest_risk_levels()
    top = sorted(levels, key=lambda x: (-x.level, -x.score, x.place_key, x.category))[:5]
    shown = re.findall(
        r'<li class="top-risk">.*?<a href="/risk\?area=[^"]*">([^<]*)</a>', page, re.S
    )
    assert shown == [html.escape(x.name) for x in top]
    assert 'id="map"' in page and 'id="map-count"' in page
    assert map_config(page)["urls"]["events"] == "/api/v1/map/events"


def _bars(page: str) -> list[tuple[str, str]]:
    """(type slug, title) of every bar of the timeline's chart."""
    chart = re.search(r'<svg id="timeline-chart".*?</svg>', page, re.S)
    assert chart, page[:2000]
    return re.findall(r'<rect class="bar type-([a-z-]+)"[^>]*><title>([^<]*)</title>', chart[0])


def test_timeline_draws_a_bar_segment_per_week_and_type(viewer_client: TestClient) -> None:
    store = store_of(viewer_client)
    dated = [e for e in store.list_events(EventFilter()) if e.event_date]
    newest = max(e.event_date for e in dated if e.event_date)
    in_window = [e for e in dated if e.event_date and e.event_date > newest - timedelta(days=365)]
    cells: dict[tuple[date, str], int] = {}
    for event in in_window:
        assert event.event_date
        monday = event.event_date - timedelta(days=event.event_date.weekday())
        cells[(monday, event.event_type)] = cells.get((monday, event.event_type), 0) + 1
    page = viewer_client.get("/timeline?lang=en").text
    bars = _bars(page)
    assert len(bars) == len(cells)
    drawn = {}
    for slug, title in bars:
        found = re.fullmatch(r"\d{4}-W\d\d \((\d{4}-\d\d-\d\d)\): (.+) (\d+)", html.unescape(title))
        assert found, title
        drawn[(date.fromisoformat(found[1]), found[2])] = int(found[3])
        assert slug == re.sub(r"[^a-z0-9]+", "-", found[2].lower()).strip("-")
    assert drawn == cells
    # the table beneath: one row per week with events, totals as in the chart
    rows = re.findall(r'<tr class="week-row" data-week="([^"]+)">', page)
    weeks = sorted({monday for monday, _ in cells})
    assert rows == [f"{w.isocalendar()[0]}-W{w.isocalendar()[1]:02d}" for w in weeks]
    assert f"{len(in_window)} events over" in page
    first = weeks[0]
    link = f'/events?since={first}&amp;until={first + timedelta(days=6)}"'
    assert link in page


def test_timeline_filters_and_french(viewer_client: TestClient) -> None:
    page = viewer_client.get("/timeline?type=Battles&lang=fr").text
    viewer_client.get("/login?lang=en")
    bars = _bars(page)
    assert bars and {slug for slug, _ in bars} == {"battles"}
    assert all(" Combats " in html.unescape(title) for _, title in bars)
    assert "Événements par semaine et par type" in page
    empty = viewer_client.get("/timeline?since=1990-01-01&until=1990-12-31&lang=en").text
    assert 'id="timeline-empty"' in empty and "timeline-chart" not in empty


def test_risk_table_lists_the_latest_levels(viewer_client: TestClient) -> None:
    store = store_of(viewer_client)
    levels = store.latest_risk_levels()
    page = viewer_client.get("/risk?lang=en").text
    rows = re.findall(
        r'<tr class="risk-row" data-place="([^"]+)" data-category="([^"]+)" data-level="(\d)">',
        page,
    )
    assert rows == [(x.place_key, x.category, str(x.level)) for x in levels]
    assert f'<span id="risk-count">{len(levels)}</span>' in page
    for level in levels:
        for c in level.contributions:
            if c.kind == "event":
                assert f'<a href="/events/{c.ref_id}">' in page
            else:
                assert f'<a href="/forecasts#forecast-{c.ref_id}">' in page
    ups = [x for x in levels if x.trend == "up"]
    assert page.count('class="trend trend-up"') == len(ups) > 0
    assert '<a href="/events?country=ML&amp;admin1=Kayes">Kayes</a>' in page

    mali = viewer_client.get("/risk?area=mali&category=supply&lang=en").text
    picked = re.findall(r'data-place="([^"]+)" data-category="([^"]+)"', mali)
    assert picked == [
        (x.place_key, x.category) for x in levels if x.country == "ML" and x.category == "supply"
    ]
    french = viewer_client.get("/risk?scope=town&lang=fr").text
    viewer_client.get("/login?lang=en")
    assert "infrastructures et des approvisionnements" in french
    assert '<th scope="col">Tendance</th>' in french
    towns = re.findall(r'data-place="([^"]+)"', french)
    assert towns and all(key.startswith("town:") for key in towns)


def test_risk_table_pages(web_app: FastAPI) -> None:
    store: Store = web_app.state.store
    levels = [
        RiskLevel(
            place_key=f"town:{9000000 + i}",
            scope="town",
            name=f"Town {i:03d}",
            category="crime",
            level=1 + i % 5,
            score=float(i),
            period_start=date(2025, 12, 2),
            period_end=date(2025, 12, 8),
            country="ML",
            lat=12.0,
            lon=-8.0,
        )
        for i in range(150)
    ]
    store.save_risk_levels(levels)
    total = len(store.latest_risk_levels())
    client = TestClient(web_app)
    login(client, "viewer")
    first = client.get("/risk?lang=en").text
    assert len(re.findall(r'class="risk-row"', first)) == 100
    assert f"1–100 of {total}" in first
    nxt = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert nxt and "offset=100" in nxt[1]
    second = client.get(html.unescape(nxt[1])).text
    assert len(re.findall(r'class="risk-row"', second)) == total - 100
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_risk_and_home_escape_stranger_text(web_app: FastAPI) -> None:
    """A place name or a reason quoted from a page shows as text, never as markup."""
    store: Store = web_app.state.store
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    store.save_risk_levels(
        [
            RiskLevel(
                place_key="town:9999999",
                scope="town",
                name=hostile,
                category="conflict",
                level=5,
                score=99.0,
                period_start=date(2025, 12, 2),
                period_end=date(2025, 12, 8),
                country="ML",
                admin1=hostile,
                lat=12.0,
                lon=-8.0,
                contributions=(
                    RiskContribution(kind="event", ref_id='"><b>x', weight=1.0, summary=hostile),
                ),
            )
        ]
    )
    client = TestClient(web_app)
    login(client, "viewer")
    for path in ("/risk?lang=en", "/?lang=en", "/risk?area=%3Cscript%3E"):
        page = client.get(path).text
        assert hostile not in page and "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
        assert_no_inline_code(page)
    places = client.get("/api/v1/risk/places").json()["features"]
    assert any(f["properties"]["name"] == hostile for f in places)  # JSON carries it as data


@pytest.mark.parametrize("name", VENDORED)
def test_vendored_files_are_served(viewer_client: TestClient, name: str) -> None:
    """`make install` (the vendor step) puts them there; the map needs every one."""
    assert (STATIC / name).is_file(), f"{name}: missing; run `make vendor`"
    answer = viewer_client.get(f"/static/{name}")
    assert answer.status_code == 200
    assert answer.content == (STATIC / name).read_bytes()
    kind = {"js": "javascript", "css": "text/css", "png": "image/png", "json": "json"}
    assert kind[name.rsplit(".", 1)[1]] in answer.headers["content-type"]


def test_every_static_file_a_map_page_loads_is_served(viewer_client: TestClient) -> None:
    page = viewer_client.get("/map").text
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert len(links) >= 8
    for link in links:
        assert viewer_client.get(link).status_code == 200, link
    topology = viewer_client.get(map_config(page)["urls"]["topology"]).json()
    ids = {g.get("id") for g in topology["objects"]["countries"]["geometries"]}
    assert {"466", "686", "854"} <= ids  # Mali, Senegal, Burkina Faso
