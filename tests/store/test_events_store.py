"""Events in the store: reports with their provenance, events saved per layer (whole or
nothing), filtered reads. Every test runs on SQLite and, where the server is installed,
on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tocsin.errors import InputError
from tocsin.models import (
    Annotations,
    Comment,
    Document,
    Event,
    EventFilter,
    EventReport,
    Kind,
    Source,
    SourcedReport,
    Span,
)
from tocsin.store import Store, open_store

SAHEL = Source(id="lesahellibre-example", name="Le Sahel Libre", reliability="C")
MINISTRY = Source(id="ministry-example", name="Ministère", kind=Kind.OFFICIAL, reliability="B")
ECHO = Source(id="echo-example", name="L'Écho du Sahel", reliability="D")
FASO = Source(id="faso-example", name="Faso Matin", reliability="C")

TEXT_A = (
    "Le 14 septembre, des combattants du JNIM ont attaqué un convoi de camions-citernes "
    "près de Kati. Douze chauffeurs ont été tués, selon une source sécuritaire."
)
TEXT_B = (
    "Communiqué. Le 14 septembre 2025, une attaque terroriste contre un convoi près de "
    "Kati a fait dix morts parmi les chauffeurs."
)
TEXT_D = "Des hommes armés ont enlevé trois commerçants à Djibo le 2 octobre."
COMMENT_A = "J'étais à Kati ce jour-là, il y a eu quinze morts."


def _doc(doc_id: str, source: Source, body: str, day: int, **kw: object) -> Document:
    return Document(
        id=doc_id,
        source=source,
        text=body,
        content_hash="h-" + doc_id,
        fetched_at=datetime(2025, 10, 20, tzinfo=UTC),
        published=datetime(2025, 9, day, 9, tzinfo=UTC),
        kind=source.kind,
        origin="test",
        **kw,  # type: ignore[arg-type]
    )


def _report(
    doc_id: str, body: str, clause: str, trigger: str, *, part: str = "body", **kw: object
) -> EventReport:
    start = body.index(clause)
    at = body.index(trigger, start)
    return EventReport(
        span=Span(doc_id, part, start, start + len(clause)),
        trigger=Span(doc_id, part, at, at + len(trigger)),
        trigger_text=trigger,
        **kw,  # type: ignore[arg-type]
    )


KATI = dict(
    event_type="Violence against civilians",
    sub_event_type="Attack",
    actor1="jnim",
    actor1_name="JNIM",
    inter1=2,
    actor2="civilians-mali",
    actor2_name="Civilians (Mali)",
    inter2=7,
    location="Kati",
    geonameid=2455067,
    lat=12.744,
    lon=-8.072,
    country="ML",
    admin1="Koulikoro",
    geo_precision=2,
    event_date=date(2025, 9, 14),
    time_precision=1,
    tags=("convoy", "supplies"),
)
CLAUSE_A = "des combattants du JNIM ont attaqué un convoi de camions-citernes près de Kati"
CLAUSE_B = "une attaque terroriste contre un convoi près de Kati a fait dix morts"
CLAUSE_D = "Des hommes armés ont enlevé trois commerçants à Djibo le 2 octobre"


def corpus() -> tuple[list[Document], list[Annotations]]:
    """Four documents: an article, an official statement and a copy of the article about
    one attack near Kati (plus a reader comment on it), and an abduction in Djibo."""
    docs = [
        _doc("dA", SAHEL, TEXT_A, 15, comments=(Comment(id="dA-c1", text=COMMENT_A),)),
        _doc("dB", MINISTRY, TEXT_B, 16),
        _doc("dC", ECHO, TEXT_A, 17, duplicate_of="dA"),
        _doc("dD", FASO, TEXT_D, 18),
    ]
    kati = {**KATI}
    annotations = [
        Annotations(
            "dA",
            "v1",
            events=(
                _report("dA", TEXT_A, CLAUSE_A, "ont attaqué", fatalities=12, **kati),
                _report(
                    "dA",
                    COMMENT_A,
                    "il y a eu quinze morts",
                    "morts",
                    part="dA-c1",
                    fatalities=15,
                    **{**kati, "actor1": None, "actor1_name": None},
                ),
            ),
        ),
        Annotations(
            "dB", "v1", events=(_report("dB", TEXT_B, CLAUSE_B, "attaque", fatalities=10, **kati),)
        ),
        Annotations(
            "dC",
            "v1",
            events=(_report("dC", TEXT_A, CLAUSE_A, "ont attaqué", fatalities=12, **kati),),
        ),
        Annotations(
            "dD",
            "v1",
            events=(
                _report(
                    "dD",
                    TEXT_D,
                    CLAUSE_D,
                    "ont enlevé",
                    event_type="Violence against civilians",
                    sub_event_type="Abduction/forced disappearance",
                    actor1="unidentified-armed-group-burkina-faso",
                    actor1_name="Unidentified Armed Group (Burkina Faso)",
                    inter1=3,
                    actor2="civilians-burkina-faso",
                    actor2_name="Civilians (Burkina Faso)",
                    inter2=7,
                    location="Djibo",
                    country="BF",
                    admin1="Sahel",
                    geo_precision=1,
                    event_date=date(2025, 10, 2),
                    time_precision=1,
                ),
            ),
        ),
    ]
    return docs, annotations


def fill(store: Store) -> None:
    docs, annotations = corpus()
    for doc in docs:
        assert store.save_document(doc, minhash=None)
    for ann in annotations:
        store.save_annotations(ann)


def _sourced(store: Store) -> dict[str, SourcedReport]:
    return {s.id: s for s in store.event_reports()}


def events_of(store: Store) -> list[Event]:
    """Three hand-merged events over the stored reports: Kati (four reports), Djibo (one)
    and an undated clash in Niger with no stored report."""
    found = _sourced(store)
    kati = Event(
        id="ev-kati",
        **KATI,  # type: ignore[arg-type]
        fatalities=12,
        fatalities_low=10,
        fatalities_high=15,
        status="confirmed",
        independent=2,
        reports=(
            found["dA:body:17"],
            found["dB:body:34"],
            found["dC:body:17"],
            found["dA:dA-c1:27"],
        ),
        source="Le Sahel Libre; Ministère",
    )
    djibo_report = found["dD:body:0"]
    djibo = Event(
        id="ev-djibo",
        event_type="Violence against civilians",
        sub_event_type="Abduction/forced disappearance",
        event_date=date(2025, 10, 2),
        time_precision=1,
        actor1="unidentified-armed-group-burkina-faso",
        actor1_name="Unidentified Armed Group (Burkina Faso)",
        inter1=3,
        actor2="civilians-burkina-faso",
        actor2_name="Civilians (Burkina Faso)",
        inter2=7,
        location="Djibo",
        country="BF",
        admin1="Sahel",
        geo_precision=1,
        reports=(djibo_report,),
        notes="Trois commerçants enlevés.",
    )
    clash = Event(
        id="ev-clash",
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=None,
        time_precision=None,
        actor1="military-ne",
        actor1_name="Military Forces of Niger",
        inter1=1,
        assoc_actor_1=("africa-corps",),
        actor2="issp",
        actor2_name="Islamic State Sahel Province",
        inter2=2,
        country="NE",
        status="corroborated",
        independent=2,
    )
    return [kati, djibo, clash]


_TABLES = (
    "event_reports", "events", "forecasts", "annotations", "extractions", "comments",
    "documents", "sources", "feeds",
)  # fmt: skip


def _empty(store: Store) -> None:
    with store.transaction() as conn:
        for table in _TABLES:
            conn.execute(text(f"delete from {table}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened = open_store(str(tmp_path / "t.db"))
        yield opened
        opened.close()
        return
    opened = open_store(request.getfixturevalue("postgres_url"))
    _empty(opened)
    yield opened
    _empty(opened)  # the other PostgreSQL tests share this server
    opened.close()


def test_reports_carry_source_copy_date_and_quote(store: Store) -> None:
    fill(store)
    _docs, annotations = corpus()
    by_doc = {a.document_id: a.events for a in annotations}
    when = lambda day: datetime(2025, 9, day, 9, tzinfo=UTC)  # noqa: E731
    assert store.event_reports() == [
        SourcedReport(
            "dA:body:17", by_doc["dA"][0], SAHEL.id, Kind.NEWS, "C", None, when(15), CLAUSE_A
        ),
        SourcedReport(
            "dA:dA-c1:27",
            by_doc["dA"][1],
            SAHEL.id,
            Kind.COMMENT,
            "F",
            None,
            when(15),
            "il y a eu quinze morts",
        ),
        SourcedReport(
            "dB:body:34", by_doc["dB"][0], MINISTRY.id, Kind.OFFICIAL, "B", None, when(16), CLAUSE_B
        ),
        SourcedReport(
            "dC:body:17", by_doc["dC"][0], ECHO.id, Kind.NEWS, "D", "dA", when(17), CLAUSE_A
        ),
        SourcedReport(
            "dD:body:0", by_doc["dD"][0], FASO.id, Kind.NEWS, "C", None, when(18), CLAUSE_D
        ),
    ]
    assert [s.id for s in store.event_reports(document_ids=["dB", "dD", "nope"])] == [
        "dB:body:34",
        "dD:body:0",
    ]


def test_events_round_trip_with_their_reports(store: Store) -> None:
    fill(store)
    events = events_of(store)
    assert store.save_events(events) == 3
    assert store.list_events(EventFilter()) == [events[1], events[0], events[2]]
    assert store.get_event("ev-kati") == events[0]
    assert store.get_event("ev-none") is None
    assert store.count_events("tocsin") == 3 and store.count_events("acled") == 0
    assert store.event_assignments() == {
        "dA:body:17": "ev-kati",
        "dB:body:34": "ev-kati",
        "dC:body:17": "ev-kati",
        "dA:dA-c1:27": "ev-kati",
        "dD:body:0": "ev-djibo",
    }
    assert store.event_statuses() == {
        "ev-kati": "confirmed",
        "ev-djibo": "reported",
        "ev-clash": "corroborated",
    }
    # saving again replaces the layer: one event left, its links only
    assert store.save_events([events[1]]) == 1
    assert store.list_events(EventFilter()) == [events[1]]
    assert store.event_assignments() == {"dD:body:0": "ev-djibo"}


def test_layers_are_kept_apart(store: Store) -> None:
    fill(store)
    events = events_of(store)
    store.save_events(events)
    reference = replace(events[2], id="NIG1234", layer="acled", source="Local media")
    same_id = replace(events[1], id="ev-kati", layer="acled", reports=())
    assert store.save_events([reference, same_id], layer="acled") == 2
    assert store.list_events(EventFilter(layer="acled")) == [same_id, reference]
    assert store.list_events(EventFilter()) == [events[1], events[0], events[2]]
    assert store.get_event("NIG1234") == reference
    assert store.get_event("ev-kati") == events[0]  # Tocsin's own first
    assert store.event_assignments(layer="acled") == {}
    with pytest.raises(ValueError, match="ev-kati is in layer 'tocsin', not 'acled'"):
        store.save_events([events[0]], layer="acled")


def test_save_events_is_whole_or_nothing(store: Store) -> None:
    fill(store)
    events = events_of(store)
    store.save_events(events)
    dangling = replace(
        events[0].reports[0],
        id="dZ:body:0",
        report=replace(events[0].reports[0].report, span=Span("dZ", "body", 0, 5)),
    )
    broken = replace(events[1], reports=(*events[1].reports, dangling))  # no document dZ
    with pytest.raises(IntegrityError):
        store.save_events([events[0], broken])
    assert store.list_events(EventFilter()) == [events[1], events[0], events[2]]
    assert store.event_assignments()["dD:body:0"] == "ev-djibo"
    twice = replace(events[2], reports=events[1].reports)
    with pytest.raises(ValueError, match="report dD:body:0 belongs to more than one event"):
        store.save_events([events[1], twice])
    assert store.count_events() == 3


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (EventFilter(country="ML"), ["ev-kati"]),
        (EventFilter(country="mali"), ["ev-kati"]),
        (EventFilter(country="Burkina Faso"), ["ev-djibo"]),
        (EventFilter(country="Niger"), ["ev-clash"]),
        (EventFilter(country="Tchad"), []),
        (EventFilter(admin1="koulikoro"), ["ev-kati"]),
        (EventFilter(since=date(2025, 10, 1)), ["ev-djibo"]),
        (EventFilter(until=date(2025, 9, 14)), ["ev-kati"]),
        (EventFilter(since=date(2025, 9, 14), until=date(2025, 10, 2)), ["ev-djibo", "ev-kati"]),
        (EventFilter(event_type="Violence against civilians"), ["ev-djibo", "ev-kati"]),
        (EventFilter(event_type="attack"), ["ev-kati"]),
        (EventFilter(actor="jnim"), ["ev-kati"]),
        (EventFilter(actor="Civilians"), ["ev-djibo", "ev-kati"]),
        (EventFilter(actor="africa-corps"), ["ev-clash"]),
        (EventFilter(actor="50%_"), []),
        (EventFilter(status="corroborated"), ["ev-clash"]),
        (EventFilter(limit=2), ["ev-djibo", "ev-kati"]),
        (EventFilter(country="ML", layer="acled"), []),
    ],
)
def test_filters(store: Store, flt: EventFilter, expected: list[str]) -> None:
    fill(store)
    store.save_events(events_of(store))
    assert [e.id for e in store.list_events(flt)] == expected


def test_unknown_country_says_what_to_give(store: Store) -> None:
    with pytest.raises(InputError) as caught:
        store.list_events(EventFilter(country="Atlantide"))
    assert str(caught.value) == (
        "country Atlantide: not a country code or name known to ISO 3166; "
        "give an ISO code (ML) or a name in English or French (Mali, Tchad)"
    )


def test_re_extraction_drops_a_vanished_report_and_splits_a_shared_clause(store: Store) -> None:
    fill(store)
    events = events_of(store)
    store.save_events(events)
    _docs, annotations = corpus()
    first = annotations[0].events[0]
    second = replace(first, trigger=Span("dA", "body", 97, 102), trigger_text="Douze")
    store.save_annotations(replace(annotations[0], events=(first, second)))
    assert [s.id for s in store.event_reports(document_ids=["dA"])] == [
        "dA:body:17:41",
        "dA:body:17:97",
    ]
    kati = store.get_event("ev-kati")
    assert kati is not None
    assert [s.id for s in kati.reports] == ["dB:body:34", "dC:body:17"]
