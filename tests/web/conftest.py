"""The web app over a copy of the demo store: the demo corpus (extracted, events
merged), the fictional organisation (assets, rules, subscribers), risk levels and
alerts as of the demo day, a saved brief, the hostile documents of
tests/fixtures/web/ (extracted too), and three users, one per role.

    def test_page(viewer_client): assert viewer_client.get("/events").status_code == 200
    def test_write(web_app): client = TestClient(web_app); csrf = login(client, "analyst")

``web_db`` is built once per session and only read; ``web_app`` is an app over a fresh
copy of it for tests that write; the ``*_client`` fixtures are signed-in clients over one
shared read-only app (session-scoped; do not change data through them).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.demostore import DEMO_NOW
from tocsin.app import users
from tocsin.app.assessment import update_alerts
from tocsin.app.briefs import build_brief
from tocsin.app.demo import corpus_path
from tocsin.app.demo.act import DEMO_ASOF, organisation_path
from tocsin.app.events import update_events
from tocsin.app.pipeline import Pipeline
from tocsin.assess.forecasts import forecasts_from
from tocsin.config import Settings
from tocsin.extract.annotate import Extractor
from tocsin.geo.areas import resolve_area
from tocsin.report.brief.render import render_brief
from tocsin.store import Store, open_store
from tocsin.web import create_app

FIXTURES = Path(__file__).parent.parent / "fixtures" / "web"
PASSWORDS = {
    "admin": "admin-password-1",
    "analyst": "analyst-password-1",
    "viewer": "viewer-password-1",
}


def web_settings(db: Path) -> Settings:
    return Settings(db=str(db), sources_file=str(corpus_path() / "sources.toml"), extract=False)


def _add_hostile(store: Store, settings: Settings) -> None:
    files = sorted(str(p) for p in FIXTURES.glob("*") if p.is_file() and p.suffix != ".md")
    if not files:
        return
    pipeline = Pipeline(store, settings, now=lambda: DEMO_NOW)
    results = list(pipeline.ingest(files))
    assert not [r.error for r in results if r.status == "failed"]
    docs = [d for i in store.stale_documents(None) if (d := store.get_document(i))]
    by_id = {doc.id: doc for doc in docs}
    for ann in Extractor().extract_many(docs):
        store.save_extraction(ann, forecasts_from(by_id[ann.document_id], ann))
    update_events(store)


def build_web_db(demo: Store, path: Path) -> Path:
    """Copy the demo store to ``path`` and add what the dashboard shows."""
    from tocsin.alert.rule_files import read_rules
    from tocsin.report.digest.messages import read_subscribers

    source = demo.engine.url.database
    assert source
    with demo.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(source, path)
    settings = web_settings(path)
    store = open_store(str(path))
    try:
        _add_hostile(store, settings)
        store.save_rules(read_rules(organisation_path() / "rules.toml"), now=DEMO_NOW)
        subscribers, _problems = read_subscribers(organisation_path() / "subscribers.toml")
        for subscriber in subscribers:
            store.add_subscriber(subscriber)
        update_alerts(store, settings=settings, now=DEMO_NOW, asof=DEMO_ASOF)
        brief = build_brief(
            store,
            area=resolve_area("Bamako"),
            period_end=DEMO_ASOF,
            period_days=30,
            lang="en",
            now=DEMO_NOW,
        )
        store.save_brief(brief, render_brief(brief, "md").decode("utf-8"))
        for role, password in PASSWORDS.items():
            users.add_user(store, role, password, role=role)
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def web_db(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dashboard's test database (read only; copy it to write)."""
    return build_web_db(demo_store, tmp_path_factory.mktemp("web") / "web.db")


def copy_db(web_db: Path, folder: Path) -> Path:
    target = folder / "web-copy.db"
    shutil.copyfile(web_db, target)
    return target


@pytest.fixture
def web_app(web_db: Path, tmp_path: Path) -> Iterator[FastAPI]:
    """An app over a fresh copy of ``web_db``: tests may change data through it."""
    app = create_app(web_settings(copy_db(web_db, tmp_path)))
    yield app
    app.state.store.close()


@pytest.fixture(scope="session")
def shared_app(web_db: Path) -> Iterator[FastAPI]:
    app = create_app(web_settings(web_db))
    yield app
    app.state.store.close()


def login(client: TestClient, username: str, password: str | None = None) -> str:
    """Sign ``client`` in through the login form; returns the session's CSRF token."""
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token, form.text[:500]
    answer = client.post(
        "/login",
        data={
            "username": username,
            "password": password if password is not None else PASSWORDS[username],
            "csrf_token": token.group(1),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]
    return csrf_of(client)


def csrf_of(client: TestClient) -> str:
    """The signed-in session's CSRF token, read from the page's meta tag."""
    page = client.get("/login?next=/", follow_redirects=True)
    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def _client(app: FastAPI, role: str) -> TestClient:
    client = TestClient(app)
    login(client, role)
    return client


@pytest.fixture(scope="session")
def viewer_client(shared_app: FastAPI) -> TestClient:
    return _client(shared_app, "viewer")


@pytest.fixture(scope="session")
def analyst_client(shared_app: FastAPI) -> TestClient:
    return _client(shared_app, "analyst")


@pytest.fixture(scope="session")
def admin_client(shared_app: FastAPI) -> TestClient:
    return _client(shared_app, "admin")


@pytest.fixture(scope="session")
def anonymous_client(shared_app: FastAPI) -> TestClient:
    return TestClient(shared_app)


@pytest.fixture(autouse=True)
def _forget_language(request: pytest.FixtureRequest) -> Iterator[None]:
    """A ``?lang=fr`` request sets a cookie on a shared client: forget it after each test
    so that the next test starts in the default language."""
    yield
    for name in ("viewer_client", "analyst_client", "admin_client", "anonymous_client"):
        if name in request.fixturenames:
            client: TestClient = request.getfixturevalue(name)
            client.cookies.delete("tocsin_lang")
