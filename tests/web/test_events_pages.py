"""The event table, its filters, pages and downloads; the event page; the events API.

Expected rows are computed here from every stored event (``Store.list_events`` with no
filter) filtered in Python, so a filter that the store applies wrongly shows up."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from tocsin.ingest.acled_csv import ACLED_COLUMNS
from tocsin.models import Event, EventFilter
from tocsin.report.exports import event_to_plain
from tocsin.store import Store, open_store
from tocsin.store.event_queries import _matching, event_conditions
from tocsin.store.tables import documents, events
from tocsin.web.routers import event_pages

ROW = re.compile(r'<tr class="event-row" data-event-id="([^"]+)">')


def _store(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def _all(client: TestClient) -> list[Event]:
    return _store(client).list_events(EventFilter())


def _count(html: str) -> int:
    found = re.search(r'<span id="events-count">(\d+)</span>', html)
    assert found, html[:2000]
    return int(found.group(1))


def _names(e: Event) -> str:
    return " ".join(
        [e.actor1_name or "", e.actor2_name or "", *e.assoc_actor_1, *e.assoc_actor_2]
    ).lower()


FILTERS: list[tuple[str, Callable[[Event], bool]]] = [
    ("country=ML", lambda e: e.country == "ML"),
    ("country=S%C3%A9n%C3%A9gal", lambda e: e.country == "SN"),
    ("admin1=koulikoro", lambda e: (e.admin1 or "").lower() == "koulikoro"),
    ("type=Attack", lambda e: "attack" in (e.event_type.lower(), e.sub_event_type.lower())),
    ("type=battles", lambda e: e.event_type == "Battles"),
    ("actor=jnim", lambda e: "jnim" in (e.actor1, e.actor2) or "jnim" in _names(e)),
    (
        "since=2025-11-01&until=2025-11-30",
        lambda e: (
            e.event_date is not None and date(2025, 11, 1) <= e.event_date <= date(2025, 11, 30)
        ),
    ),
    ("status=reported", lambda e: e.status == "reported"),
    (
        "country=ML&status=confirmed&since=2025-10-01&type=Attack",
        lambda e: (
            e.country == "ML"
            and e.status == "confirmed"
            and e.event_date is not None
            and e.event_date >= date(2025, 10, 1)
            and "attack" in (e.event_type.lower(), e.sub_event_type.lower())
        ),
    ),
]


def test_the_table_lists_every_event_newest_first(viewer_client: TestClient) -> None:
    every = _all(viewer_client)
    assert len(every) > 10
    page = viewer_client.get("/events")
    assert page.status_code == 200
    assert ROW.findall(page.text) == [e.id for e in every][: event_pages.PAGE_SIZE]
    assert _count(page.text) == len(every)
    for needle in (
        '<form method="get" action="/events" id="event-filters"',
        'id="filter-submit"',
        '<table id="events-table">',
        '<a id="download-csv" href="/events.csv"',
        '<a id="download-geojson" href="/events.geojson"',
    ):
        assert needle in page.text
    for name in ("country", "admin1", "type", "actor", "since", "until", "status"):
        assert f'<input name="{name}"' in page.text
    first = every[0]
    assert f'<a href="/events/{first.id}">{first.event_date}</a>' in page.text


@pytest.mark.parametrize(("query", "keep"), FILTERS, ids=[q for q, _ in FILTERS])
def test_filters_change_the_rows(
    viewer_client: TestClient, query: str, keep: Callable[[Event], bool]
) -> None:
    every = _all(viewer_client)
    expected = [e.id for e in every if keep(e)]
    assert 0 < len(expected) < len(every)  # the filter matters on the demo data
    page = viewer_client.get(f"/events?{query}")
    assert page.status_code == 200
    assert ROW.findall(page.text) == expected
    assert _count(page.text) == len(expected)
    answer = viewer_client.get(f"/api/v1/events?{query}&limit=500").json()
    assert [item["id"] for item in answer["items"]] == expected
    assert answer["total"] == len(expected)


def test_filters_show_in_the_form_and_the_download_links(viewer_client: TestClient) -> None:
    page = viewer_client.get("/events?country=ML&actor=jnim&since=2025-10-01&admin1=")
    assert '<input name="country" id="filter-country" value="ML"' in page.text
    assert 'id="filter-since" type="date" value="2025-10-01"' in page.text
    assert 'href="/events.csv?country=ML&amp;actor=jnim&amp;since=2025-10-01"' in page.text
    assert 'href="/events.geojson?country=ML&amp;actor=jnim&amp;since=2025-10-01"' in page.text


def test_pages_of_the_table(viewer_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(event_pages, "PAGE_SIZE", 10)
    ids = [e.id for e in _all(viewer_client)]
    assert len(ids) > 20
    first = viewer_client.get("/events").text
    assert ROW.findall(first) == ids[:10]
    assert '<a rel="next" href="/events?offset=10">' in first
    assert 'rel="prev"' not in first
    third = viewer_client.get("/events?offset=20").text
    assert ROW.findall(third) == ids[20:30]
    assert '<a rel="prev" href="/events?offset=10">' in third
    assert f"21–{min(30, len(ids))} of {len(ids)}" in third
    second = viewer_client.get("/events?offset=10").text
    assert '<a rel="prev" href="/events">' in second
    assert ROW.findall(viewer_client.get("/events?offset=nonsense").text) == ids[:10]
    assert ROW.findall(viewer_client.get(f"/events?offset={len(ids)}").text) == []


def test_bad_filters_say_what_to_give(viewer_client: TestClient) -> None:
    for query, words in (
        ("country=Atlantide", "not a country code or name"),
        ("since=2025-13-01", "since '2025-13-01': not a date; write YYYY-MM-DD"),
        ("status=rumoured", "status 'rumoured': not one of reported, corroborated, confirmed"),
    ):
        page = viewer_client.get(f"/events?{query}")
        assert page.status_code == 400
        assert 'id="events-error"' in page.text and _esc(words) in page.text
        assert 'id="event-filters"' in page.text  # the form is there to fix it
        api = viewer_client.get(f"/api/v1/events?{query}")
        assert api.status_code == 400 and words in api.json()["error"]
        assert viewer_client.get(f"/events.csv?{query}").status_code == 400
    too_long = viewer_client.get("/api/v1/events?actor=" + "x" * 300)
    assert too_long.status_code == 422


def test_csv_download_is_the_filtered_set(viewer_client: TestClient) -> None:
    expected = [e for e in _all(viewer_client) if e.country == "ML"]
    answer = viewer_client.get("/events.csv?country=ML")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="tocsin-events.csv"'
    assert answer.headers["x-tocsin-truncated"] == "false"
    assert answer.headers["x-tocsin-total"] == str(len(expected))
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert tuple(rows[0].keys()) == ACLED_COLUMNS
    assert [r["event_id_cnty"] for r in rows] == [e.id for e in expected]
    assert {r["country"] for r in rows} == {"Mali"}
    first = expected[0]
    assert rows[0]["event_date"] == (first.event_date.isoformat() if first.event_date else "")
    assert rows[0]["sub_event_type"] == first.sub_event_type


def test_geojson_download_is_the_filtered_set(viewer_client: TestClient) -> None:
    expected = [e for e in _all(viewer_client) if e.status == "confirmed"]
    answer = viewer_client.get("/events.geojson?status=confirmed")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/geo+json"
    collection = json.loads(answer.text)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["id"] for f in features] == [e.id for e in expected]
    for feature, event in zip(features, expected, strict=True):
        assert feature["properties"]["report_count"] == len(event.reports)
        if event.lat is not None and event.lon is not None:
            assert feature["geometry"] == {"type": "Point", "coordinates": [event.lon, event.lat]}


def test_downloads_stop_at_the_cap_and_say_so(
    viewer_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(event_pages, "DOWNLOAD_CAP", 5)
    monkeypatch.setattr(event_pages, "_BATCH", 2)  # several batches
    every = _all(viewer_client)
    answer = viewer_client.get("/events.geojson")
    assert answer.headers["x-tocsin-truncated"] == "true"
    assert answer.headers["x-tocsin-total"] == str(len(every))
    assert [f["id"] for f in json.loads(answer.text)["features"]] == [e.id for e in every[:5]]
    rows = list(csv.DictReader(io.StringIO(viewer_client.get("/events.csv").text)))
    assert [r["event_id_cnty"] for r in rows] == [e.id for e in every[:5]]
    assert "at most 5 events" in viewer_client.get("/events").text


def test_event_page_shows_reports_quotes_sources_and_grades(viewer_client: TestClient) -> None:
    store = _store(viewer_client)
    event = max(_all(viewer_client), key=lambda e: len(e.reports))
    assert len(event.reports) >= 2
    page = viewer_client.get(f"/events/{event.id}")
    assert page.status_code == 200
    html = page.text
    assert f'<h1 id="event-title">{event.event_type} — {event.sub_event_type}</h1>' in html
    assert f"<code>{event.id}</code>" in html
    sources = store.sources_by_id([r.source_id for r in event.reports])
    docs = store.document_labels([r.document_id for r in event.reports])
    assert re.findall(r'data-report-id="([^"]+)"', html) == [r.id for r in event.reports]
    for sourced in event.reports:
        span, trigger = sourced.report.span, sourced.report.trigger
        cut = trigger.start - span.start
        before, marked = sourced.quote[:cut], sourced.quote[cut : cut + trigger.end - trigger.start]
        assert marked == sourced.report.trigger_text
        assert f'{_esc(before)}<mark class="ann ann-event">{_esc(marked)}</mark>' in html
        source = sources[sourced.source_id]
        assert f"<strong>{_esc(source.name)}</strong>" in html
        assert f'<span class="grade grade-{sourced.reliability}"' in html
        title = docs[sourced.document_id].title or sourced.document_id
        assert f'<a href="/documents/{sourced.document_id}' in html
        assert _esc(title) in html
    assert "usually reliable" in html or "reliability cannot be judged" in html
    french = viewer_client.get(f"/events/{event.id}?lang=fr").text
    assert "Récits (" in french
    viewer_client.get("/events?lang=en")  # back to English for the other tests


def test_unknown_event_is_a_404_page(viewer_client: TestClient) -> None:
    page = viewer_client.get("/events/no-such-event")
    assert page.status_code == 404
    assert '<p class="error-message" id="error-message">no such event</p>' in page.text
    api = viewer_client.get("/api/v1/events/no-such-event")
    assert api.status_code == 404 and api.json() == {"error": "no such event"}


def test_events_api_pages_with_a_total(viewer_client: TestClient) -> None:
    every = _all(viewer_client)
    first = viewer_client.get("/api/v1/events?limit=5").json()
    assert first["total"] == len(every) and first["limit"] == 5 and first["offset"] == 0
    assert [i["id"] for i in first["items"]] == [e.id for e in every[:5]]
    assert first["next"].endswith("/api/v1/events?limit=5&offset=5")
    for item, event in zip(first["items"], every[:5], strict=True):
        plain = event_to_plain(event)
        del plain["reports"]
        assert item == {**plain, "report_count": len(event.reports)}
    last = viewer_client.get(f"/api/v1/events?limit=5&offset={len(every) - 2}").json()
    assert [i["id"] for i in last["items"]] == [e.id for e in every[-2:]]
    assert last["next"] is None
    assert viewer_client.get("/api/v1/events?limit=501").status_code == 422
    assert viewer_client.get("/api/v1/events?layer=acled").json()["total"] == 0


def test_one_event_from_the_api(viewer_client: TestClient) -> None:
    event = max(_all(viewer_client), key=lambda e: len(e.reports))
    answer = viewer_client.get(f"/api/v1/events/{event.id}").json()
    plain = event_to_plain(event)
    names = _store(viewer_client).sources_by_id([r.source_id for r in event.reports])
    for report in answer["reports"]:
        assert report.pop("source_name") == names[report["source_id"]].name
        assert report.pop("document_title")
    assert answer == plain


def test_pages_and_api_need_a_user(anonymous_client: TestClient) -> None:
    for path in ("/events", "/events.csv", "/events.geojson", "/events/x"):
        assert anonymous_client.get(path, follow_redirects=False).status_code == 303
    for path in ("/api/v1/events", "/api/v1/events/x"):
        assert anonymous_client.get(path).status_code == 401


def _esc(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_the_table_and_its_filters_use_indexes(tmp_path: Path) -> None:
    """On SQLite, a page of the newest events walks ix_events_listing and the filters'
    counts use indexes of their own (bench/web.py has 100,000 events)."""
    store = open_store(str(tmp_path / "plan.db"))
    try:
        with store.engine.connect() as conn:

            def plan(query: Any) -> str:
                sql = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
                return " | ".join(r[3] for r in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))

            def count_plan(flt: EventFilter) -> str:
                return plan(select(func.count()).select_from(events).where(*event_conditions(flt)))

            assert "ix_events_listing" in plan(_matching(EventFilter(limit=50, offset=100)))
            assert "ix_events_admin1_lower" in count_plan(EventFilter(admin1="Kayes"))
            assert "ix_events_sub_type_lower" in count_plan(EventFilter(event_type="attack"))
            # a covering index (ix_events_event_type or ix_events_week): no table scan
            assert "USING COVERING INDEX ix_events_" in count_plan(
                EventFilter(event_type="Battles")
            )
            assert "ix_events_status" in count_plan(EventFilter(status="reported"))
            assert "COVERING INDEX ix_documents_listing" in plan(
                select(documents.c.id)
                .order_by(documents.c.published.desc().nulls_last(), documents.c.id)
                .limit(50)
                .offset(1000)
            )
    finally:
        store.close()
