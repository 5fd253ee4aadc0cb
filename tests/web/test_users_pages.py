"""Managing users at /admin/users (admins only) and one's own API tokens at /account."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORDS, login
from tocsin.app import users


@pytest.fixture
def admin(web_app: FastAPI) -> tuple[TestClient, str]:
    client = TestClient(web_app)
    return client, login(client, "admin")


def _rows(html: str) -> list[str]:
    """User names in the users table, in order."""
    return re.findall(r'<tr class="user-row[^"]*" data-username="([^"]+)"', html)


def _notice(html: str) -> str:
    found = re.search(r'<p class="notice" id="admin-notice" role="status">([^<]*)</p>', html)
    return found.group(1) if found else ""


def _id(app: FastAPI, username: str) -> str:
    user = app.state.store.get_user_by_name(username)
    assert user is not None
    return str(user.id)


def _new_token(html: str) -> str:
    found = re.search(r'<code id="new-token" class="secret">(tcn_[A-Za-z0-9_-]+)</code>', html)
    assert found, html[:2000]
    return found.group(1)


def test_the_users_page_lists_users_with_their_controls(admin_client: TestClient) -> None:
    page = admin_client.get("/admin/users")
    assert page.status_code == 200
    assert _rows(page.text) == ["admin", "analyst", "viewer"]
    assert 'id="users-table"' in page.text and 'id="add-user-form"' in page.text
    # no control that would let an admin demote, deactivate or remove themselves
    own_id = re.search(r'data-username="admin">.*?/admin/users/([0-9a-f]+)/tokens', page.text, re.S)
    assert own_id
    for action in ("role", "active", "remove"):
        assert f"/admin/users/{own_id.group(1)}/{action}" not in page.text
    # every form carries the CSRF token
    forms = re.findall(r'<form method="post".*?</form>', page.text, re.S)
    assert len(forms) >= 10
    assert all('name="csrf_token" value="' in form for form in forms)
    assert 'name="csrf_token" value=""' not in page.text


def test_the_users_page_in_french(admin_client: TestClient) -> None:
    page = admin_client.get("/admin/users?lang=fr")
    assert "<h1>Utilisateurs</h1>" in page.text
    assert "Ajouter un utilisateur" in page.text and "Désactiver" in page.text
    admin_client.get("/admin/users?lang=en")


def test_only_admins_reach_the_users_page(
    viewer_client: TestClient, analyst_client: TestClient, anonymous_client: TestClient
) -> None:
    assert viewer_client.get("/admin/users").status_code == 403
    assert analyst_client.get("/admin/users").status_code == 403
    answer = anonymous_client.get("/admin/users", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fadmin%2Fusers"
    # the link is in the navigation of admins only
    assert 'href="/admin/users"' not in analyst_client.get("/account").text


def test_add_a_user_then_sign_in_as_them(web_app: FastAPI, admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    form = {"username": "amadou", "role": "analyst", "password": "amadou-password-1"}
    answer = client.post("/admin/users", data={**form, "csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/users?done=added&user=amadou"
    page = client.get(answer.headers["location"])
    assert _rows(page.text) == ["admin", "amadou", "analyst", "viewer"]
    assert _notice(page.text) == "User amadou added."
    newcomer = TestClient(web_app)
    login(newcomer, "amadou", "amadou-password-1")
    assert "amadou (analyst)" in newcomer.get("/account").text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {"username": "viewer", "role": "viewer", "password": "long-enough-1"},
            "A user with that name exists already.",
        ),
        (
            {"username": "a b", "role": "viewer", "password": "long-enough-1"},
            "That user name is not allowed",
        ),
        (
            {"username": "awa", "role": "viewer", "password": "pw-9"},
            "The password is too short: give at least 10 characters.",
        ),
        (
            {"username": "awa", "role": "superuser", "password": "long-enough-1"},
            "Unknown role.",
        ),
    ],
    ids=["taken", "bad-name", "short-password", "bad-role"],
)
def test_a_refused_user_says_why_and_keeps_the_form(
    web_app: FastAPI, admin: tuple[TestClient, str], form: dict[str, str], message: str
) -> None:
    client, csrf = admin
    answer = client.post("/admin/users", data={**form, "csrf_token": csrf})
    assert answer.status_code == 400
    error = re.search(
        r'<p class="error-message" id="admin-error" role="alert">([^<]*)</p>', answer.text
    )
    assert error and error.group(1).replace("&#39;", "'").startswith(message)
    assert f'id="new-username" value="{form["username"]}"' in answer.text
    assert form["password"] not in answer.text  # a password is never sent back
    assert not re.search(r'id="new-password"[^>]*value=', answer.text)
    assert _rows(answer.text) == ["admin", "analyst", "viewer"]


def test_change_a_role(web_app: FastAPI, admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    user_id = _id(web_app, "viewer")
    answer = client.post(
        f"/admin/users/{user_id}/role", data={"role": "analyst", "csrf_token": csrf}
    )
    assert answer.status_code == 200
    assert _notice(answer.text) == "Role of viewer changed."
    assert web_app.state.store.get_user_by_name("viewer").role == "analyst"
    bad = client.post(f"/admin/users/{user_id}/role", data={"role": "root", "csrf_token": csrf})
    assert bad.status_code == 400
    assert web_app.state.store.get_user_by_name("viewer").role == "analyst"


def test_deactivate_signs_out_and_refuses_then_reactivate(
    web_app: FastAPI, admin: tuple[TestClient, str]
) -> None:
    client, csrf = admin
    analyst = TestClient(web_app)
    login(analyst, "analyst")
    token = users.issue_token(web_app.state.store, "analyst").token
    user_id = _id(web_app, "analyst")
    answer = client.post(f"/admin/users/{user_id}/active", data={"active": "0", "csrf_token": csrf})
    assert _notice(answer.text).startswith("analyst deactivated")
    assert "badge off" in answer.text
    assert analyst.get("/account", follow_redirects=False).status_code == 303  # signed out
    bearer = {"Authorization": f"Bearer {token}"}
    assert TestClient(web_app).get("/api/v1/me", headers=bearer).status_code == 401
    with pytest.raises(AssertionError):
        login(TestClient(web_app), "analyst")
    answer = client.post(f"/admin/users/{user_id}/active", data={"active": "1", "csrf_token": csrf})
    assert _notice(answer.text) == "analyst reactivated."
    login(TestClient(web_app), "analyst")
    assert TestClient(web_app).get("/api/v1/me", headers=bearer).status_code == 200


def test_remove_a_user_with_their_tokens(web_app: FastAPI, admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    store = web_app.state.store
    token = users.issue_token(store, "viewer").token
    answer = client.post(f"/admin/users/{_id(web_app, 'viewer')}/remove", data={"csrf_token": csrf})
    assert _notice(answer.text) == "viewer removed, with their sessions and tokens."
    assert _rows(answer.text) == ["admin", "analyst"]
    assert store.list_api_tokens() == []
    assert users.token_user(store, token) is None


def test_an_admin_cannot_change_themselves(web_app: FastAPI, admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    own = _id(web_app, "admin")
    for action, form in (("remove", {}), ("role", {"role": "viewer"}), ("active", {"active": "0"})):
        answer = client.post(f"/admin/users/{own}/{action}", data={**form, "csrf_token": csrf})
        assert answer.status_code == 400, action
        assert "ask another admin" in answer.text
    me = web_app.state.store.get_user_by_name("admin")
    assert me.role == "admin" and me.active
    unknown = client.post("/admin/users/no-such-user/remove", data={"csrf_token": csrf})
    assert unknown.status_code == 404


def test_issue_a_token_for_a_user_shown_once(
    web_app: FastAPI, admin: tuple[TestClient, str]
) -> None:
    client, csrf = admin
    answer = client.post(
        f"/admin/users/{_id(web_app, 'viewer')}/tokens",
        data={"name": "dashboard kiosk", "csrf_token": csrf},
    )
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    token = _new_token(answer.text)
    assert "Token “dashboard kiosk” for viewer (viewer):" in answer.text
    assert "it is shown only once" in answer.text
    me = TestClient(web_app).get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {"username": "viewer", "role": "viewer"}
    listing = client.get("/admin/users").text
    assert token not in listing
    assert "dashboard kiosk" in listing
    assert token not in client.get("/account").text


def test_revoke_any_token(web_app: FastAPI, admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    store = web_app.state.store
    issued = users.issue_token(store, "analyst", name="old script")
    answer = client.post(f"/admin/tokens/{issued.api_token.id}/revoke", data={"csrf_token": csrf})
    assert _notice(answer.text) == "Token revoked."
    assert users.token_user(store, issued.token) is None
    row = re.search(rf'data-token-id="{issued.api_token.id}">.*?</tr>', answer.text, re.S)
    assert row and "revoked" in row.group(0) and "/revoke" not in row.group(0)
    missing = client.post("/admin/tokens/nope/revoke", data={"csrf_token": csrf})
    assert missing.status_code == 404


# /account -----------------------------------------------------------------------


def test_a_viewer_makes_a_read_only_token_and_revokes_it(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    csrf = login(client, "viewer")
    page = client.get("/account")
    assert page.status_code == 200
    assert "Signed in as viewer (viewer)." in page.text
    assert 'id="no-tokens"' in page.text
    answer = client.post("/account/tokens", data={"name": "my notebook", "csrf_token": csrf})
    assert answer.status_code == 200
    token = _new_token(answer.text)
    assert "Token “my notebook” for viewer (viewer):" in answer.text
    # the token reads, as the viewer, and changes nothing
    bearer = TestClient(web_app, headers={"Authorization": f"Bearer {token}"})
    assert bearer.get("/api/v1/me").json() == {"username": "viewer", "role": "viewer"}
    assert bearer.post("/admin/users", data={"username": "x"}).status_code == 403
    # listed without its value, then revoked
    page = client.get("/account")
    assert token not in page.text
    token_id = re.search(r'<tr class="token-row" data-token-id="([0-9a-f]+)">', page.text)
    assert token_id
    revoked = client.post(f"/account/tokens/{token_id.group(1)}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 200
    assert "Token revoked: it no longer works." in revoked.text
    assert bearer.get("/api/v1/me").status_code == 401


def test_nobody_revokes_another_users_token_from_their_account(web_app: FastAPI) -> None:
    store = web_app.state.store
    theirs = users.issue_token(store, "analyst", name="theirs")
    client = TestClient(web_app)
    csrf = login(client, "viewer")
    answer = client.post(f"/account/tokens/{theirs.api_token.id}/revoke", data={"csrf_token": csrf})
    assert answer.status_code == 404
    assert users.token_user(store, theirs.token) is not None
    assert "theirs" not in client.get("/account").text


def test_account_in_french(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    login(client, "analyst")
    page = client.get("/account?lang=fr")
    assert "<h1>Mon compte</h1>" in page.text
    assert "Connecté : analyst (analyste)." in page.text
    assert PASSWORDS["analyst"] not in page.text
