"""The dashboard in a real headless Chromium (Debian's, driven by Playwright) against
the app served by uvicorn over a copy of the test database: the map shows the demo
events, filters change the event table, a document page highlights its annotations, a
hostile comment shows as text and runs nothing, login and logout work, a viewer can
neither reach the admin pages nor change data, a POST without the CSRF token is refused,
a brief is generated and downloaded. Screenshots of the main pages are saved to
test-artifacts/screenshots/ (see tests/web/browser.py).

Only correct passwords are typed here, but one: every failed login counts against
127.0.0.1 (``tocsin.app.users.MAX_FAILURES``), which all these sign-ins share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import (
    LiveServer,
    Watch,
    launch_chromium,
    require_chromium,
    screenshot,
    set_field,
    sign_in,
)
from tests.web.conftest import PASSWORDS, copy_db, web_settings
from tocsin.store import Store
from tocsin.web import create_app

HOSTILE_URL = "https://courrier-djoliba.example/2025/12/06/penurie-carburant-bamako-stations-vides/"
PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "javascript:alert(3)")
NAV_TIMEOUT_MS = 30_000


@dataclass
class Live:
    url: str
    store: Store


@pytest.fixture(scope="session")
def live(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The app on a real port over its own copy of ``web_db`` (tests here may write)."""
    require_chromium()
    app = create_app(web_settings(copy_db(web_db, tmp_path_factory.mktemp("live"))))
    server = LiveServer(app).start()
    yield Live(url=server.url, store=app.state.store)
    server.stop()
    app.state.store.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


Opener = Callable[..., tuple[Any, Watch]]


@pytest.fixture
def open_page(browser: Any, live: Live) -> Iterator[Opener]:
    """``open_page(role)``: a page in a fresh browser context (English), signed in as
    ``role`` unless None, with a ``Watch`` attached."""
    contexts: list[Any] = []

    def opener(role: str | None = "analyst", *, downloads: bool = False) -> tuple[Any, Watch]:
        context = browser.new_context(
            locale="en-US", viewport={"width": 1280, "height": 900}, accept_downloads=downloads
        )
        context.set_default_timeout(NAV_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch = Watch().attach(page)
        if role is not None:
            sign_in(page, live.url, role, PASSWORDS[role])
            assert role in page.locator("#who").inner_text()
        return page, watch

    yield opener
    for context in contexts:
        context.close()


def _hostile_id(live: Live) -> str:
    doc_id = live.store.find_by_url(HOSTILE_URL)
    assert doc_id, "tests/fixtures/web/hostile-comments.html was not ingested"
    return doc_id


def _post_status(page: Any, path: str, *, csrf: bool) -> int:
    """POST a form from inside the page (same origin, the session cookie goes along),
    with or without the page's CSRF token; the answer's status."""
    status: int = page.evaluate(
        """async ([path, csrf]) => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const headers = {'Content-Type': 'application/x-www-form-urlencoded'};
            if (csrf) headers['X-CSRF-Token'] = token;
            const answer = await fetch(path, {method: 'POST', headers, body: 'x=1',
                                              redirect: 'manual'});
            return answer.status;
        }""",
        [path, csrf],
    )
    return status


# sign-in ----------------------------------------------------------------------


def test_login_and_logout(open_page: Opener, live: Live) -> None:
    page, watch = open_page(None)
    page.goto(f"{live.url}/account")
    assert page.url.startswith(f"{live.url}/login?next=")
    screenshot(page, "login")
    page.fill("#username", "viewer")
    page.fill("#password", "not the password")
    page.click("#login-submit")
    assert page.locator("#login-error").is_visible()
    page.fill("#username", "viewer")
    page.fill("#password", PASSWORDS["viewer"])
    with page.expect_navigation():
        page.click("#login-submit")
    assert page.url == f"{live.url}/account"  # back where the sign-in was asked
    assert page.locator("#who").inner_text().startswith("viewer")
    with page.expect_navigation():
        page.click("#logout")
    assert page.url.startswith(f"{live.url}/login")
    assert page.locator("#who").count() == 0
    page.goto(f"{live.url}/account")
    assert page.url.startswith(f"{live.url}/login?next=")
    watch.check()


# the map, the table, a document ------------------------------------------------


def test_map_shows_the_demo_events(open_page: Opener, live: Live) -> None:
    page, watch = open_page("analyst")
    page.goto(f"{live.url}/map")
    page.wait_for_function(
        "() => parseInt(document.querySelector('#map-count')?.textContent || '0', 10) > 0"
    )
    count = int(re.sub(r"\D", "", page.locator("#map-count").inner_text()))
    assert count >= 20  # the demo's events (28 in the test database, some without a place)
    page.wait_for_selector("#map .event-marker, #map .marker-cluster")
    drawn = page.locator("#map .event-marker, #map .marker-cluster").count()
    assert drawn > 0
    assert page.locator("#map .leaflet-control-layers").count() == 1
    screenshot(page, "map")
    page.goto(f"{live.url}/")
    page.wait_for_selector("#map .event-marker, #map .marker-cluster")
    screenshot(page, "home")
    watch.check()


def test_filters_change_the_event_table(open_page: Opener, live: Live) -> None:
    page, watch = open_page("viewer")
    page.goto(f"{live.url}/events")
    everything = page.locator("#events-table tr.event-row").count()
    assert everything >= 20
    screenshot(page, "events")
    set_field(page, "#event-filters [name=country]", "SN")
    with page.expect_navigation():
        page.click("#filter-submit")
    assert "country=SN" in page.url
    rows = page.locator("#events-table tr.event-row")
    assert 0 < rows.count() < everything
    assert page.locator("#events-count").inner_text().strip().startswith(str(rows.count()))
    for event_id in rows.evaluate_all("rows => rows.map(r => r.dataset.eventId)"):
        assert event_id
    screenshot(page, "events-filtered")
    watch.check()


def test_a_document_page_highlights_its_annotations(open_page: Opener, live: Live) -> None:
    page, watch = open_page("viewer")
    page.goto(f"{live.url}/documents/{_hostile_id(live)}")
    assert "Pénurie de carburant" in page.locator("h1#document-title").inner_text()
    marks = page.locator("#document-text mark.ann")
    assert marks.count() >= 3
    kinds = set(
        marks.evaluate_all(
            "ms => ms.flatMap(m => [...m.classList].filter(c => c.startsWith('ann-')))"
        )
    )
    assert {"ann-actor", "ann-place"} <= kinds, kinds
    assert marks.first.get_attribute("title")  # says what was recognised
    jnim = page.locator("#document-text mark.ann-actor", has_text="JNIM")
    assert jnim.count() >= 1
    screenshot(page, "document")
    watch.check()


def test_a_hostile_comment_shows_as_text_and_runs_nothing(open_page: Opener, live: Live) -> None:
    page, watch = open_page("viewer")
    answer = page.goto(f"{live.url}/documents/{_hostile_id(live)}")
    assert answer is not None and answer.status == 200
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)  # time for an onerror handler to fire, if one got in
    comments = page.locator("section#comments")
    shown = comments.inner_text()
    for payload in PAYLOADS:
        assert payload in shown
    # the thread as a tree: 7 comments, two of them replies
    assert page.locator("section#comments li.comment").count() == 7
    assert page.locator("section#comments li.comment li.comment").count() == 2
    # nothing the strangers wrote became markup
    assert page.locator("section#comments script").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("[onerror], [onload], [onclick]").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert "alert(4)" not in page.content()  # the <script> element itself was dropped
    screenshot(page, "document-hostile-comments")
    assert watch.dialogs == []
    watch.check()


# roles and CSRF -----------------------------------------------------------------


def test_a_viewer_cannot_reach_admin_pages_nor_change_data(open_page: Opener, live: Live) -> None:
    page, watch = open_page("viewer")
    assert page.locator("nav.mainnav a[href='/admin/users']").count() == 0
    answer = page.goto(f"{live.url}/admin/users")
    assert answer is not None and answer.status == 403
    assert page.locator("#error-message").is_visible()
    assert page.locator("#users-table").count() == 0
    watch.clear()  # the 403 itself is logged by Chromium as a failed resource
    for path in ("/briefs", "/rules", "/forecasts", "/alerts"):
        page.goto(f"{live.url}{path}")
        forms = page.locator("main form[method=post]")
        assert forms.count() == 0, f"{path}: a viewer is offered a form that changes data"
    # even a well-formed POST with the session's CSRF token is refused to a viewer
    for path in ("/briefs", "/admin/users", "/rules"):
        assert _post_status(page, path, csrf=True) == 403, path
    watch.clear()


def test_a_post_without_the_csrf_token_is_refused(open_page: Opener, live: Live) -> None:
    page, watch = open_page("admin")
    page.goto(f"{live.url}/admin/users")
    before = page.locator("#users-table tr.user-row").count()
    assert _post_status(page, "/admin/users", csrf=False) == 403
    assert _post_status(page, "/briefs", csrf=False) == 403
    page.reload()
    assert page.locator("#users-table tr.user-row").count() == before
    watch.clear()


def test_admin_adds_a_user_and_issues_a_token_shown_once(open_page: Opener, live: Live) -> None:
    page, watch = open_page("admin")
    page.goto(f"{live.url}/admin/users")
    page.fill("#add-user-form [name=username]", "browser-user")
    set_field(page, "#add-user-form [name=role]", "viewer")
    page.fill("#add-user-form [name=password]", "browser-password-1")
    with page.expect_navigation():
        page.click("#add-user-submit")
    row = page.locator("#users-table tr.user-row[data-username='browser-user']")
    assert row.count() == 1
    assert "browser-user" in page.locator("#admin-notice").inner_text()
    screenshot(page, "admin-users")
    row.locator("input[name=name]").fill("nightly export")
    with page.expect_navigation():
        row.locator(".token-form button").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("tcn_") and len(token) > 30
    screenshot(page, "admin-token-once")
    page.goto(f"{live.url}/admin/users")
    assert token not in page.content()
    assert "nightly export" in page.locator("#tokens-table").inner_text()
    watch.check()


# briefs -----------------------------------------------------------------------


def test_a_brief_is_generated_and_downloaded(open_page: Opener, live: Live) -> None:
    page, watch = open_page("analyst", downloads=True)
    page.goto(f"{live.url}/briefs")
    set_field(page, "#brief-form [name=area]", "Bamako")
    set_field(page, "#brief-form [name=period]", "30d")
    set_field(page, "#brief-form [name=until]", "2025-12-08")
    set_field(page, "#brief-form [name=lang]", "fr")
    with page.expect_navigation(timeout=120_000):
        page.click("#brief-submit")
    assert re.search(r"/briefs/[^/?#]+$", page.url), page.url
    assert page.locator("article#brief").inner_text().strip()
    screenshot(page, "brief")
    with page.expect_download(timeout=120_000) as pending:
        page.click("a#download-pdf")
    download = pending.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    assert page.locator("a#download-md").count() == 1
    watch.check()


# screenshots of the main pages ------------------------------------------------------


PAGES = (
    ("/", "home-admin"),
    ("/map", "map-admin"),
    ("/timeline", "timeline"),
    ("/events", "events-admin"),
    ("/documents", "documents"),
    ("/search?q=carburant", "search"),
    ("/sources", "sources"),
    ("/claims", "claims"),
    ("/forecasts", "forecasts"),
    ("/risk", "risk"),
    ("/assets", "assets"),
    ("/rules", "rules"),
    ("/alerts", "alerts"),
    ("/briefs", "briefs"),
    ("/api", "api"),
    ("/admin/users", "admin-users-list"),
    ("/account", "account"),
)


@pytest.fixture(scope="module")
def admin_page(browser: Any, live: Live) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(NAV_TIMEOUT_MS)
    page = context.new_page()
    watch = Watch().attach(page)
    sign_in(page, live.url, "admin", PASSWORDS["admin"])
    yield page, watch
    context.close()


@pytest.mark.parametrize(("path", "name"), PAGES, ids=[name for _path, name in PAGES])
def test_main_pages_render_cleanly(
    admin_page: tuple[Any, Watch], live: Live, path: str, name: str
) -> None:
    page, watch = admin_page
    watch.clear()
    answer = page.goto(f"{live.url}{path}")
    assert answer is not None and answer.status == 200, f"{path}: {answer and answer.status}"
    page.wait_for_load_state("networkidle")
    screenshot(page, name)
    assert page.locator("#who").count() == 1
    watch.check(path)


def test_pages_of_one_thing_render_cleanly(admin_page: tuple[Any, Watch], live: Live) -> None:
    page, watch = admin_page
    brief = live.store.list_briefs()[-1]
    alert = live.store.list_alerts()[0]
    documents = live.store.list_documents(limit=5)
    pages = {
        f"/briefs/{brief.id}": "brief-saved",
        f"/alerts/{alert.id}": "alert",
        f"/documents/{documents[0].id}": "document-demo",
    }
    for path, name in pages.items():
        watch.clear()
        answer = page.goto(f"{live.url}{path}")
        assert answer is not None and answer.status == 200, path
        page.wait_for_load_state("networkidle")
        screenshot(page, name)
        watch.check(path)
    watch.clear()
    page.goto(f"{live.url}/events")
    first = page.locator("#events-table tr.event-row").first
    event_id = first.get_attribute("data-event-id")
    answer = page.goto(f"{live.url}/events/{event_id}")
    assert answer is not None and answer.status == 200
    screenshot(page, "event")
    watch.check()
