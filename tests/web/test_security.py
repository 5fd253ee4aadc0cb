"""The app is safe by construction: every change needs a role and the session's CSRF
token, templates escape what strangers wrote, pages obey the CSP (no inline script or
style, no event-handler attributes), error pages leak nothing, logins are rate-limited,
cookies carry their flags, API tokens authenticate until revoked.

Every route that changes something (POST, PUT, PATCH, DELETE) is found in the app
itself, so a route added later is checked too. Two are exempt from the CSRF token,
each with its own protection: ``/login`` (a double-submit token, tested here) and
``/unsubscribe`` (the one-click POST of RFC 8058 from mail clients, authorised by the
token in its URL).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.web.conftest import PASSWORDS, copy_db, csrf_of, login, web_settings
from tocsin.app import users
from tocsin.web import create_app
from tocsin.web.app import CSP
from tocsin.web.deps import SESSION_COOKIE, AnalystWrite, Viewer
from tocsin.web.routers import ROUTERS
from tocsin.web.templating import ENV

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# No CSRF token: their own protection instead (tested below).
EXEMPT = frozenset({"/login", "/unsubscribe"})
# Any signed-in user (a viewer too) changes their own things here, with the CSRF token.
SELF_SERVICE = frozenset({"/logout", "/account/tokens", "/account/tokens/{token_id}/revoke"})
TEMPLATES = Path(ENV.loader.searchpath[0])  # type: ignore[union-attr]


def _flat(routes: list[Any]) -> Iterator[APIRoute]:
    """The API routes of an app, into included routers (FastAPI keeps those whole)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _flat(route.original_router.routes)


def write_routes() -> list[tuple[str, str]]:
    """(method, path) of every change route of every router, as registered."""
    found = {
        (method, route.path)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods & WRITE_METHODS
    }
    return sorted(found, key=lambda pair: (pair[1], pair[0]))


WRITES = write_routes()
GUARDED = [(m, p) for m, p in WRITES if p not in EXEMPT]


def concrete(path: str) -> str:
    """A path with its parameters filled (no such id: the check must refuse first)."""
    return re.sub(r"\{[^}]+\}", "no-such-id", path)


def send(client: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    """A change request with a body of the kind the route reads (JSON under /api/)."""
    form = kwargs.pop("form", {})
    if path.startswith("/api/"):
        kwargs.setdefault("json", form)
    else:
        kwargs.setdefault("data", {"x": "1", **form})
    return client.request(method, concrete(path), follow_redirects=False, **kwargs)


@pytest.fixture(scope="module")
def sec_app(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """One app over its own copy (a route that forgot its guard would write here)."""
    app = create_app(web_settings(copy_db(web_db, tmp_path_factory.mktemp("security"))))
    yield app
    app.state.store.close()


@pytest.fixture(scope="module")
def signed_in(sec_app: FastAPI) -> dict[str, tuple[TestClient, str]]:
    """A signed-in client and its CSRF token per role."""
    clients = {}
    for role in ("viewer", "analyst", "admin"):
        client = TestClient(sec_app)
        clients[role] = (client, login(client, role))
    return clients


# every change route ---------------------------------------------------------------


def test_the_change_routes_are_found(sec_app: FastAPI) -> None:
    in_app = {
        (method, route.path)
        for route in _flat(sec_app.routes)
        for method in route.methods & WRITE_METHODS
    }
    assert in_app == set(WRITES)  # none added outside the routers, unchecked
    assert ("POST", "/admin/users") in WRITES
    assert ("POST", "/logout") in WRITES
    assert ("POST", "/login") in WRITES
    assert len(GUARDED) >= 5


@pytest.mark.parametrize(("method", "path"), GUARDED, ids=[f"{m} {p}" for m, p in GUARDED])
def test_a_change_needs_the_csrf_token(
    signed_in: dict[str, tuple[TestClient, str]], method: str, path: str
) -> None:
    client, csrf = signed_in["admin"]
    missing = send(client, method, path)
    assert missing.status_code == 403, f"{method} {path} without CSRF: {missing.status_code}"
    wrong = send(client, method, path, headers={"X-CSRF-Token": csrf[::-1]})
    assert wrong.status_code == 403
    in_form = send(client, method, path, form={"csrf_token": "forged"})
    assert in_form.status_code == 403
    if not path.startswith("/api/"):
        assert "CSRF" in missing.text and "Traceback" not in missing.text


@pytest.mark.parametrize(("method", "path"), GUARDED, ids=[f"{m} {p}" for m, p in GUARDED])
def test_a_viewer_changes_nothing(
    signed_in: dict[str, tuple[TestClient, str]], method: str, path: str
) -> None:
    if path in SELF_SERVICE:
        pytest.skip(f"{path}: a viewer's own session or tokens")
    client, csrf = signed_in["viewer"]
    answer = send(client, method, path, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 403, f"{method} {path} as viewer: {answer.status_code}"


@pytest.mark.parametrize(("method", "path"), GUARDED, ids=[f"{m} {p}" for m, p in GUARDED])
def test_anonymous_changes_nothing(sec_app: FastAPI, method: str, path: str) -> None:
    answer = send(TestClient(sec_app), method, path)
    if path.startswith("/api/"):
        assert answer.status_code == 401, f"{method} {path}: {answer.status_code}"
        assert "Bearer" in answer.json()["error"]
    else:
        assert answer.status_code == 303, f"{method} {path}: {answer.status_code}"
        assert answer.headers["location"].startswith("/login?next=")


def test_a_viewer_token_changes_nothing(sec_app: FastAPI) -> None:
    """A bearer token needs no CSRF token, but still the role."""
    token = users.issue_token(sec_app.state.store, "viewer", name="security test").token
    client = TestClient(sec_app, headers={"Authorization": f"Bearer {token}"})
    for method, path in GUARDED:
        if path not in SELF_SERVICE:
            answer = send(client, method, path)
            assert answer.status_code == 403, f"{method} {path} with a viewer token"
    # and a token cannot mint tokens: that needs a signed-in browser
    assert send(client, "POST", "/account/tokens").status_code == 403


def test_login_has_its_double_submit_token(sec_app: FastAPI) -> None:
    client = TestClient(sec_app)
    form = {"username": "admin", "password": PASSWORDS["admin"], "next": "/"}
    no_cookie = client.post("/login", data={**form, "csrf_token": "guess"})
    assert no_cookie.status_code == 403
    assert SESSION_COOKIE not in no_cookie.cookies
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    wrong = client.post("/login", data={**form, "csrf_token": token.group(1)[::-1]})
    assert wrong.status_code == 403
    assert SESSION_COOKIE not in wrong.cookies
    # the refusal gives a new form with a new token (and cookie): that one works
    token = re.search(r'name="csrf_token" value="([^"]+)"', wrong.text)
    assert token
    right = client.post(
        "/login", data={**form, "csrf_token": token.group(1)}, follow_redirects=False
    )
    assert right.status_code == 303
    assert SESSION_COOKIE in right.cookies


def test_unsubscribe_needs_its_token(sec_app: FastAPI) -> None:
    assert ("POST", "/unsubscribe") in WRITES, "POST /unsubscribe (RFC 8058) is missing"
    client = TestClient(sec_app)
    for query in ("", "?token=", "?token=not-a-real-token"):
        answer = client.post(f"/unsubscribe{query}", follow_redirects=False)
        assert 400 <= answer.status_code < 500, f"/unsubscribe{query}: {answer.status_code}"


# templates and pages -------------------------------------------------------------


def test_every_template_escapes() -> None:
    assert ENV.autoescape is True
    names = sorted(p.name for p in TEMPLATES.glob("*.j2"))
    assert "base.html.j2" in names and "admin_users.html.j2" in names
    for name in names:
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b", source), f"{name}: |safe"
        assert not re.search(r"autoescape\s+false", source, re.I), f"{name}: autoescape off"
        assert not re.search(r"<script(?![^>]*\bsrc=)", source, re.I), f"{name}: inline script"
        assert not re.search(r"\sstyle\s*=", source, re.I), f"{name}: style attribute"
        assert not re.search(r"\son[a-z]+\s*=", source, re.I), f"{name}: event handler"
        hostile = ENV.from_string("{{ x }}").render(x="<script>alert(1)</script>")
        assert hostile == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_stranger_text_is_escaped_on_the_login_page(sec_app: FastAPI) -> None:
    page = TestClient(sec_app).get('/login?next=/"><script>alert(1)</script>')
    assert "<script>alert(1)" not in page.text
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_stranger_text_is_escaped_on_the_user_pages(
    sec_app: FastAPI, signed_in: dict[str, tuple[TestClient, str]]
) -> None:
    store = sec_app.state.store
    label = '<img src=x onerror=alert(1)>"'
    users.issue_token(store, "admin", name=label)
    for path in ("/admin/users", "/account"):
        page = signed_in["admin"][0].get(path)
        assert page.status_code == 200
        assert "<img src=x" not in page.text
        assert "&lt;img src=x onerror=alert(1)&gt;&#34;" in page.text


def test_a_hostile_comment_is_escaped(viewer_client: TestClient, web_db: Path) -> None:
    from tocsin.store import open_store

    store = open_store(str(web_db))
    try:
        doc_id = store.find_by_url(
            "https://courrier-djoliba.example/2025/12/06/penurie-carburant-bamako-stations-vides/"
        )
    finally:
        store.close()
    assert doc_id
    page = viewer_client.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    for escaped in (
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(2)&gt;",
        "javascript:alert(3)",
    ):
        assert escaped in page.text
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", page.text, re.I)
    assert "alert(4)" not in page.text  # the page's own <script> element was dropped


def _page_paths() -> list[str]:
    paths = set()
    for router in ROUTERS:
        for route in router.routes:
            if (
                isinstance(route, APIRoute)
                and "GET" in route.methods
                and "{" not in route.path
                and not route.path.startswith(("/api/", "/static/"))
                and route.path not in ("/healthz", "/login", "/unsubscribe")
                and not route.path.endswith((".csv", ".geojson", ".pdf", ".md", ".json"))
            ):
                paths.add(route.path)
    return sorted(paths)


PAGE_PATHS = _page_paths()
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
_SCRIPT_SRC = re.compile(r"<script[^>]*\bsrc=\"([^\"]*)\"", re.I)
_STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)
_HANDLER_ATTR = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_pages_obey_the_csp(admin_client: TestClient, path: str) -> None:
    page = admin_client.get(path)
    assert page.status_code == 200, f"{path}: {page.status_code}"
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert not _INLINE_SCRIPT.search(html), f"{path}: inline <script>"
    assert not _STYLE_ATTR.search(html), f"{path}: style attribute"
    assert not _HANDLER_ATTR.search(html), f"{path}: event-handler attribute"
    for src in _SCRIPT_SRC.findall(html):
        assert src.startswith("/static/"), f"{path}: script from {src}"


# errors ------------------------------------------------------------------------


@pytest.fixture
def failing_app(web_app: FastAPI) -> FastAPI:
    """The app with two routes, added only here, that fail inside a query."""

    def boom(request: Request) -> None:
        with request.app.state.store.engine.connect() as conn:
            conn.execute(text("SELECT secret_column FROM users WHERE password_hash = 'x'"))

    web_app.add_api_route("/boom", boom, methods=["GET"])
    web_app.add_api_route("/api/v1/boom", boom, methods=["GET"])
    return web_app


def test_error_pages_leak_nothing(failing_app: FastAPI) -> None:
    client = TestClient(failing_app, raise_server_exceptions=False)
    page = client.get("/boom")
    assert page.status_code == 500
    assert 'id="error-message"' in page.text and "internal error" in page.text
    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.json() == {"error": "internal error"}
    for answer in (page, api):
        for leak in ("Traceback", "SELECT", "secret_column", "password_hash", "sqlite", 'File "'):
            assert leak not in answer.text, leak
    missing = client.get("/documents/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert "<script>alert(1)" not in missing.text


def test_a_500_keeps_the_security_headers(failing_app: FastAPI) -> None:
    client = TestClient(failing_app, raise_server_exceptions=False)
    for path in ("/boom", "/api/v1/boom"):
        answer = client.get(path)
        assert answer.status_code == 500
        assert answer.headers.get("content-security-policy") == CSP, path
        assert answer.headers.get("x-content-type-options") == "nosniff", path


# sign-in, sessions, tokens ---------------------------------------------------------


def _login_form(client: TestClient) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    return token.group(1)


def test_the_sixth_failure_is_refused_even_with_the_right_password(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    statuses = []
    for attempt in range(users.MAX_FAILURES + 1):
        password = "wrong-password" if attempt < users.MAX_FAILURES else PASSWORDS["analyst"]
        answer = client.post(
            "/login",
            data={"username": "analyst", "password": password, "csrf_token": _login_form(client)},
            follow_redirects=False,
        )
        statuses.append(answer.status_code)
    assert statuses == [401] * (users.MAX_FAILURES + 1)
    assert "Too many failed attempts" in answer.text
    assert SESSION_COOKIE not in client.cookies
    # another user from the same address is refused too (the limit is also per client)
    answer = client.post(
        "/login",
        data={
            "username": "admin",
            "password": PASSWORDS["admin"],
            "csrf_token": _login_form(client),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 401


def _cookie_header(answer: Any, name: str) -> str:
    found = [h for h in answer.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(found) == 1, answer.headers.get_list("set-cookie")
    return found[0]


def test_session_cookie_flags(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    answer = client.post(
        "/login",
        data={
            "username": "viewer",
            "password": PASSWORDS["viewer"],
            "csrf_token": _login_form(client),
        },
        follow_redirects=False,
    )
    cookie = _cookie_header(answer, SESSION_COOKIE)
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    assert f"Max-Age={users.SESSION_DAYS * 86400}" in cookie
    assert "Secure" not in cookie  # plain HTTP on loopback
    stolen = client.cookies[SESSION_COOKIE]
    out = client.post("/logout", data={"csrf_token": csrf_of(client)}, follow_redirects=False)
    assert out.status_code == 303
    assert _cookie_header(out, SESSION_COOKIE).startswith(f'{SESSION_COOKIE}="";')
    replay = TestClient(web_app, cookies={SESSION_COOKIE: stolen})
    assert replay.get("/account", follow_redirects=False).status_code == 303


def test_session_cookie_is_secure_over_tls(web_app: FastAPI) -> None:
    client = TestClient(web_app, base_url="https://testserver")
    answer = client.post(
        "/login",
        data={
            "username": "viewer",
            "password": PASSWORDS["viewer"],
            "csrf_token": _login_form(client),
        },
        follow_redirects=False,
    )
    cookie = _cookie_header(answer, SESSION_COOKIE)
    assert "Secure" in cookie and "HttpOnly" in cookie


@pytest.fixture
def token_app(web_app: FastAPI) -> FastAPI:
    """The app with a read and a write route, added only here, that say who asked."""

    def whoami(user: Viewer) -> dict[str, str]:
        return {"username": user.username, "role": user.role}

    def write(user: AnalystWrite) -> dict[str, str]:
        return {"written_by": user.username}

    web_app.add_api_route("/api/v1/test-whoami", whoami, methods=["GET"])
    web_app.add_api_route("/api/v1/test-write", write, methods=["POST"])
    return web_app


def test_api_tokens_authenticate_until_revoked(token_app: FastAPI) -> None:
    store = token_app.state.store
    viewer = users.issue_token(store, "viewer", name="script")
    analyst = users.issue_token(store, "analyst", name="script")

    def as_(token: str) -> TestClient:
        return TestClient(token_app, headers={"Authorization": f"Bearer {token}"})

    me = as_(viewer.token).get("/api/v1/test-whoami")
    assert me.status_code == 200
    assert me.json() == {"username": "viewer", "role": "viewer"}
    # a token writes without a CSRF token, with its user's role
    assert as_(viewer.token).post("/api/v1/test-write").status_code == 403
    written = as_(analyst.token).post("/api/v1/test-write")
    assert written.status_code == 200 and written.json() == {"written_by": "analyst"}
    # revoked: refused at once
    assert store.revoke_api_token(viewer.api_token.id)
    refused = as_(viewer.token).get("/api/v1/test-whoami")
    assert refused.status_code == 401
    assert refused.json() == {"error": "invalid or revoked API token"}
    # a deactivated user's token is refused too; a made-up one never worked
    analyst_user = store.get_user_by_name("analyst")
    store.update_user(analyst_user.id, active=False)
    assert as_(analyst.token).get("/api/v1/test-whoami").status_code == 401
    assert as_("tcn_" + "A" * 43).get("/api/v1/test-whoami").status_code == 401
    # the token's last use is recorded; its value is nowhere in the store
    used = [t for t in store.list_api_tokens() if t.id == analyst.api_token.id]
    assert used[0].last_used is not None
    with store.engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(text("SELECT token_hash FROM api_tokens"))]
    assert analyst.token not in hashes and users.digest(analyst.token) in hashes
