"""Alerting over a real store: saved events matched against stored assets and rules,
alerts saved and their messages queued once; an event corroborated later gives the next
version; assets, rules and alerts on a real PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

from tests.store.test_events_store import fill
from tocsin.app.alerts import AlertRun
from tocsin.app.assessment import update_alerts
from tocsin.app.events import update_events
from tocsin.config import Settings
from tocsin.models import (
    Alert,
    AlertQuote,
    AlertRule,
    Annotations,
    Asset,
    Document,
    EventFilter,
    Source,
    Span,
)
from tocsin.store import Store, open_store

OFFICE = Asset("office", "Bureau de Bamako", "site", "point", ((12.6392, -8.0029),), 1.0)
NEAR = AlertRule(
    id="near",
    name="Sites",
    kinds=("event", "risk"),
    distance_km=40.0,
    min_severity=2,
    channels=("email:security@example.org",),
    lang="fr",
)
BURKINA = AlertRule(
    id="bf",
    name="Burkina",
    area="BF",
    kinds=("event", "risk"),
    channels=("webhook:http://127.0.0.1:9/hook",),
)
ASOF = date(2025, 10, 5)
NOW = datetime(2025, 10, 5, 8, 0, tzinfo=UTC)
LATER = datetime(2025, 10, 6, 8, 0, tzinfo=UTC)
KATI_A = "des combattants du JNIM ont attaqué un convoi de camions-citernes près de Kati"
KATI_B = "une attaque terroriste contre un convoi près de Kati a fait dix morts"


def _store(tmp_path: Path) -> Store:
    """The store tests' four documents merged into two events: an attack near Kati
    (confirmed, 12 km from the office) and an abduction in Djibo (reported, no point)."""
    store = open_store(str(tmp_path / "t.db"))
    fill(store)
    update_events(store)
    store.save_assets([OFFICE], now=NOW)
    store.save_rules([NEAR, BURKINA], now=NOW)
    return store


def _ids(store: Store) -> tuple[str, str]:
    djibo, kati = store.list_events(EventFilter())
    return kati.id, djibo.id


def _corroborate_djibo(store: Store) -> None:
    """An independent radio reports the Djibo abduction too."""
    radio = Source(id="radio-example", name="Radio Sahel", reliability="C")
    body = "À Djibo, des hommes armés ont enlevé trois commerçants jeudi 2 octobre."
    store.save_document(
        Document(
            id="dE", source=radio, text=body, content_hash="h-dE",
            fetched_at=datetime(2025, 10, 5, tzinfo=UTC),
            published=datetime(2025, 10, 3, 7, tzinfo=UTC), origin="test",
        ),
        minhash=None,
    )  # fmt: skip
    djibo = store.event_reports(document_ids=["dD"])[0].report
    clause = body.index("des hommes")
    report = replace(
        djibo,
        span=Span("dE", "body", clause, len(body) - 1),
        trigger=Span("dE", "body", body.index("ont enlevé"), body.index(" trois")),
    )
    store.save_annotations(Annotations("dE", "v1", events=(report,)))
    update_events(store)


def test_alerts_are_saved_queued_once_and_updated_on_corroboration(tmp_path: Path) -> None:
    store = _store(tmp_path)
    kati, djibo = _ids(store)
    run = update_alerts(store, settings=Settings(), now=NOW, asof=ASOF)
    assert (run.new, run.updated, run.queued, run.events, run.problems) == (2, 0, 2, 2, ())
    near, burkina = sorted(run.alerts, key=lambda a: a.rule_id, reverse=True)
    assert near == Alert(
        id=near.id,
        key=f"near|office|event|{kati}",
        rule_id="near",
        kind="event",
        subject_id=kati,
        severity=4,
        title=(
            "Attaque à Kati, 14 septembre 2025, à 13 km de Bureau de Bamako : 10 morts (confirmé)"
        ),
        summary=(
            "14 septembre 2025, Kati, Koulikoro, ML : JNIM contre Civilians (Mali). "
            "Bilan : 10 à 15 morts. Statut : confirmé (2 sources indépendantes). "
            "Règle « Sites »."
        ),
        fingerprint=near.fingerprint,
        asset_id="office",
        category="conflict",
        distance_km=12.856,
        lat=12.744,
        lon=-8.072,
        quotes=(
            AlertQuote("dB", "Ministère", "B", KATI_B),
            AlertQuote("dA", "Le Sahel Libre", "C", KATI_A),
        ),
        created=NOW,
        updated=NOW,
    )
    assert (burkina.key, burkina.title, burkina.asset_id) == (
        f"bf|*|event|{djibo}",
        "Abduction in Djibo (reported)",
        None,
    )
    assert store.known_alerts() == {near.key: near, burkina.key: burkina}
    outbox = store.list_outbox()
    assert sorted((m.channel, m.target, m.alert_id) for m in outbox) == [
        ("email", "security@example.org", near.id),
        ("webhook", "http://127.0.0.1:9/hook", burkina.id),
    ]

    # nothing new: nothing said, nothing queued
    again = update_alerts(store, settings=Settings(), now=LATER, asof=ASOF)
    assert again == AlertRun(0, 0, 0, (), events=2, risk_changes=0)
    assert len(store.list_outbox()) == 2

    # a second, independent source: the Djibo alert's next version, queued once
    _corroborate_djibo(store)
    moved = update_alerts(store, settings=Settings(), now=LATER, asof=ASOF)
    assert (moved.new, moved.updated, moved.queued) == (0, 1, 1)
    (update,) = moved.alerts
    assert (update.id, update.version, update.created, update.updated) == (
        burkina.id, 2, NOW, LATER,
    )  # fmt: skip
    assert update.title == "Abduction in Djibo (corroborated)"
    assert [q.source for q in update.quotes] == ["Faso Matin", "Radio Sahel"]
    assert store.get_alert(burkina.id) == update
    assert len(store.list_outbox()) == 3
    assert [a.id for a in store.list_alerts()] == [burkina.id, near.id]  # newest first
    assert store.list_alerts(asset_id="office") == [near]
    assert store.list_alerts(since=LATER, kind="event") == [update]


def test_an_event_outside_the_window_is_not_alerted(tmp_path: Path) -> None:
    store = _store(tmp_path)
    late = update_alerts(store, settings=Settings(), now=NOW, asof=date(2025, 12, 31))
    assert (late.new, late.events) == (0, 0)
    early = update_alerts(store, settings=Settings(), now=NOW, asof=date(2025, 9, 1))
    assert (early.new, early.events) == (0, 0)  # the events had not happened yet


def test_rules_that_cannot_be_used_are_reported(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.save_rules(
        [
            AlertRule(id="ghost", name="Ghost", asset_id="nowhere"),
            AlertRule(id="moon", name="Moon", area="country:ZZ"),
        ]
    )
    run = update_alerts(store, settings=Settings(), now=NOW, asof=ASOF)
    assert run.problems == (
        "rule moon: area country:ZZ: not an ISO 3166 country code; "
        "give a code such as ML or a name",
        "rule ghost: asset 'nowhere' is not in the store; "
        "add it with `tocsin assets add` or remove the rule",
    )
    assert run.new == 2  # the other rules still work


def test_no_rules_no_alerts(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "t.db"))
    fill(store)
    update_events(store)
    run = update_alerts(store, settings=Settings(), now=NOW, asof=ASOF)
    assert (run.new, run.alerts, store.list_outbox()) == (0, (), [])


def test_assets_rules_and_alerts_on_postgres(postgres_url: str) -> None:
    store = open_store(postgres_url)
    with store.transaction() as conn:
        for table in ("alerts", "alert_rules", "assets"):
            conn.execute(text(f"delete from {table}"))
    road = Asset(
        "road", "Route", "route", "line", ((14.0, -17.0), (14.0, -12.0)), 10.0, ("fuel", "ù")
    )
    assert store.save_assets([OFFICE, road], now=NOW) == 2
    assert store.list_assets() == [
        replace(OFFICE, created=NOW),
        replace(road, created=NOW),
    ]
    # replacing keeps the creation time
    store.save_assets([replace(OFFICE, name="Bureau")], now=LATER)
    assert store.get_asset("office") == replace(OFFICE, name="Bureau", created=NOW)
    store.save_rules([NEAR, BURKINA], now=NOW)
    assert store.list_rules() == [replace(BURKINA, created=NOW), replace(NEAR, created=NOW)]
    alert = Alert(
        id="al1", key="near|office|event|e1", rule_id="near", kind="event", subject_id="e1",
        severity=3, title="Attaque « test »", summary="…", fingerprint="f1", asset_id="office",
        distance_km=1.5, lat=12.7, lon=-8.0,
        quotes=(AlertQuote("d1", "Radio", "C", "«quote»", credibility=2, url="https://x"),),
        created=NOW, updated=NOW,
    )  # fmt: skip
    store.save_alerts([alert])
    second = replace(alert, version=2, fingerprint="f2", updated=LATER, created=LATER)
    store.save_alerts([second])
    assert store.known_alerts() == {alert.key: replace(second, created=NOW)}
    assert store.list_alerts(since=LATER, rule_id="near", asset_id="office", kind="event",
                             limit=5) == [replace(second, created=NOW)]  # fmt: skip
    assert store.remove_rule("bf") and not store.remove_rule("bf")
    assert store.remove_asset("road") and store.get_asset("road") is None
    assert store.get_alert("al1") is not None and store.get_alert("nope") is None
