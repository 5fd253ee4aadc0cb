"""``tocsin.app.users``: users, passwords, the login rate limit, sessions and API tokens,
over a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from tocsin.app import users
from tocsin.errors import AuthError
from tocsin.store import Store, open_store

NOW = datetime(2025, 12, 8, 18, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "users.db"))
    yield opened
    opened.close()


def test_add_and_authenticate(store: Store) -> None:
    added = users.add_user(store, "awa.diallo@example.org", "a-long-password", role="analyst")
    assert (added.username, added.role, added.active) == ("awa.diallo@example.org", "analyst", True)
    user = users.authenticate(store, "awa.diallo@example.org", "a-long-password", now=NOW)
    assert user.id == added.id
    assert store.get_user(added.id).last_login == NOW  # type: ignore[union-attr]
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$") and "a-long-password" not in stored


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        ("", "a-long-password", "viewer", "user name '': not allowed"),
        ("-x", "a-long-password", "viewer", "user name '-x': not allowed"),
        ("a b", "a-long-password", "viewer", "user name 'a b': not allowed"),
        ("x" * 101, "a-long-password", "viewer", "not allowed"),
        ("awa", "short", "viewer", "password: too short; give at least 10 characters"),
        (
            "awa",
            "a-long-password",
            "root",
            "role 'root': unknown; choose one of viewer, analyst, admin",
        ),
    ],
)
def test_refused_users_say_why(
    store: Store, name: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(AuthError) as refused:
        users.add_user(store, name, password, role=role)
    assert message in str(refused.value)
    assert store.count_users() == 0


def test_a_taken_name_is_refused(store: Store) -> None:
    users.add_user(store, "awa", "a-long-password")
    with pytest.raises(AuthError, match="user 'awa': exists already"):
        users.add_user(store, "awa", "another-password")


def test_wrong_name_and_wrong_password_read_the_same(store: Store) -> None:
    users.add_user(store, "awa", "a-long-password")
    messages = set()
    for name, password in (("awa", "not-the-password"), ("nobody", "a-long-password")):
        with pytest.raises(AuthError) as refused:
            users.authenticate(store, name, password, now=NOW)
        messages.add(str(refused.value))
    assert messages == {"login: wrong user name or password; check both and try again"}


def test_the_rate_limit_counts_per_name_and_per_address(store: Store) -> None:
    users.add_user(store, "awa", "a-long-password")
    users.add_user(store, "moussa", "another-long-one")
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthError, match="wrong user name"):
            users.authenticate(store, "awa", "guess", client="10.0.0.7", now=NOW)
    too_many = "login: too many failed attempts; wait 15 minutes and try again"
    with pytest.raises(AuthError, match=too_many):  # right password, refused
        users.authenticate(store, "awa", "a-long-password", client="10.0.0.8", now=NOW)
    with pytest.raises(AuthError, match=too_many):  # another name from that address
        users.authenticate(store, "moussa", "another-long-one", client="10.0.0.7", now=NOW)
    # elsewhere, another name is fine; later, the window has passed
    users.authenticate(store, "moussa", "another-long-one", client="10.0.0.9", now=NOW)
    later = NOW + users.FAILURE_WINDOW + timedelta(seconds=1)
    users.authenticate(store, "awa", "a-long-password", client="10.0.0.7", now=later)


def test_a_success_clears_the_failures_of_the_name(store: Store) -> None:
    users.add_user(store, "awa", "a-long-password")
    for _ in range(users.MAX_FAILURES - 1):
        with pytest.raises(AuthError):
            users.authenticate(store, "awa", "guess", now=NOW)
    users.authenticate(store, "awa", "a-long-password", now=NOW)
    for _ in range(users.MAX_FAILURES - 1):
        with pytest.raises(AuthError):
            users.authenticate(store, "awa", "guess", now=NOW)
    users.authenticate(store, "awa", "a-long-password", now=NOW)


def test_sessions_end_on_logout_expiry_deactivation_and_new_password(store: Store) -> None:
    user = users.add_user(store, "awa", "a-long-password")
    started = users.start_session(store, user, now=NOW)
    live = users.session_user(store, started.token, now=NOW)
    assert live is not None and live[1].username == "awa"
    assert started.session.id == users.digest(started.token) != started.token
    expiry = NOW + timedelta(days=users.SESSION_DAYS)
    assert users.session_user(store, started.token, now=expiry) is None
    users.end_session(store, started.token)
    assert users.session_user(store, started.token, now=NOW) is None
    again = users.start_session(store, user, now=NOW)
    store.update_user(user.id, active=False)
    assert users.session_user(store, again.token, now=NOW) is None
    store.update_user(user.id, active=True)
    third = users.start_session(store, user, now=NOW)
    users.set_password(store, "awa", "a-new-long-password")
    assert users.session_user(store, third.token, now=NOW) is None
    assert users.session_user(store, "", now=NOW) is None


def test_tokens_act_as_their_user_until_revoked(store: Store) -> None:
    users.add_user(store, "ci", "a-long-password", role="viewer")
    issued = users.issue_token(store, "ci", name="nightly")
    assert issued.token.startswith("tcn_") and len(issued.token) >= 40
    assert issued.api_token.name == "nightly"
    user = users.token_user(store, issued.token, now=NOW)
    assert user is not None and (user.username, user.role) == ("ci", "viewer")
    users.set_role(store, "ci", "analyst")
    assert users.token_user(store, issued.token, now=NOW).role == "analyst"  # type: ignore[union-attr]
    assert store.list_api_tokens()[0].last_used == NOW
    assert store.revoke_api_token(issued.api_token.id)
    assert users.token_user(store, issued.token, now=NOW) is None
    assert users.token_user(store, "", now=NOW) is None
    with pytest.raises(AuthError, match="user 'nobody': no such user"):
        users.issue_token(store, "nobody")


def test_demo_login_is_new_each_time(store: Store) -> None:
    name, first = users.demo_login(store)
    assert name == "demo" and len(first) >= 12
    assert users.authenticate(store, "demo", first).role == "analyst"
    _name, second = users.demo_login(store)
    assert second != first
    with pytest.raises(AuthError):
        users.authenticate(store, "demo", first)
    assert users.authenticate(store, "demo", second).username == "demo"
