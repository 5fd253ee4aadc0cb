"""Users of the dashboard and the JSON API: adding and removing them, checking a
password (with a rate limit on failures), browser sessions and API tokens.

Callable from Python, the CLI (``tocsin users``) and the web app. Passwords are hashed
with argon2id (argon2-cffi's defaults); a session cookie and an API token are random
URL-safe strings of 32 bytes, stored only as their SHA-256.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError

from tocsin.errors import AuthError
from tocsin.models import ROLES, ApiToken, User, WebSession
from tocsin.store import Store

SESSION_DAYS = 7
# Login rate limit: at most this many failures per user name, and per client address,
# in a sliding window; further attempts are refused without checking the password.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 10
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")

_hasher = PasswordHasher()


def digest(secret: str) -> str:
    """SHA-256 hex of a session or token value: what the store keeps."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_username(username: str) -> str:
    if not _USERNAME.match(username):
        raise AuthError(
            f"user name {username!r}: not allowed; use 1-100 letters, digits, '.', '_', '@' "
            "or '-', starting with a letter or digit"
        )
    return username


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(f"role {role!r}: unknown; choose one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"password: too short; give at least {MIN_PASSWORD} characters")
    return password


def add_user(store: Store, username: str, password: str, *, role: str = "viewer") -> User:
    """Create a user; AuthError when the name is taken or a value is not allowed."""
    check_username(username)
    check_role(role)
    check_password(password)
    user = User(id=secrets.token_hex(8), username=username, role=role)
    try:
        return store.add_user(user, hash_password(password))
    except IntegrityError as exc:
        raise AuthError(
            f"user {username!r}: exists already; choose another name or remove it first"
        ) from exc


def remove_user(store: Store, username: str) -> bool:
    user = store.get_user_by_name(username)
    return user is not None and store.remove_user(user.id)


def set_password(store: Store, username: str, password: str) -> None:
    check_password(password)
    user = _known(store, username)
    store.update_user(user.id, password_hash=hash_password(password))


def set_role(store: Store, username: str, role: str) -> User:
    check_role(role)
    user = _known(store, username)
    store.update_user(user.id, role=role)
    return _known(store, username)


def _known(store: Store, username: str) -> User:
    user = store.get_user_by_name(username)
    if user is None:
        raise AuthError(f"user {username!r}: no such user; see `tocsin users list`")
    return user


def failure_keys(username: str, client: str | None) -> tuple[str, ...]:
    keys = [f"user:{username.lower()}"]
    if client:
        keys.append(f"ip:{client}")
    return tuple(keys)


def authenticate(
    store: Store,
    username: str,
    password: str,
    *,
    client: str | None = None,
    now: datetime | None = None,
) -> User:
    """The user whose name and password these are. AuthError (one message for an
    unknown name and a wrong password) when refused; too many recent failures for the
    name or the client address refuse further attempts for a while."""
    now = now or datetime.now(UTC)
    keys = failure_keys(username, client)
    since = now - FAILURE_WINDOW
    if any(store.count_login_failures(key, since=since) >= MAX_FAILURES for key in keys):
        raise AuthError(
            "login: too many failed attempts; wait "
            f"{int(FAILURE_WINDOW.total_seconds() // 60)} minutes and try again"
        )
    found = store.password_hash_of(username)
    ok = False
    if found is not None and found[0].active:
        try:
            ok = _hasher.verify(found[1], password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    else:
        # Spend the same time as a real check, so timing does not tell names apart.
        with contextlib.suppress(VerifyMismatchError, VerificationError, InvalidHashError):
            _hasher.verify(_DUMMY_HASH, password)
    if not ok or found is None:
        store.record_login_failure(keys, at=now)
        raise AuthError("login: wrong user name or password; check both and try again")
    user = found[0]
    store.clear_login_failures(keys[0])
    store.update_user(user.id, last_login=now)
    if _hasher.check_needs_rehash(found[1]):
        store.update_user(user.id, password_hash=hash_password(password))
    return user


_DUMMY_HASH = _hasher.hash("not a password of anyone's")


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str  # what the cookie holds; never stored
    session: WebSession


def start_session(store: Store, user: User, *, now: datetime | None = None) -> NewSession:
    now = now or datetime.now(UTC)
    token = new_secret()
    session = WebSession(
        id=digest(token),
        user_id=user.id,
        csrf=secrets.token_urlsafe(24),
        created=now,
        expires=now + timedelta(days=SESSION_DAYS),
    )
    store.save_session(session)
    return NewSession(token=token, session=session)


def session_user(
    store: Store, token: str, *, now: datetime | None = None
) -> tuple[WebSession, User] | None:
    if not token:
        return None
    return store.get_session(digest(token), now=now or datetime.now(UTC))


def end_session(store: Store, token: str) -> None:
    if token:
        store.delete_session(digest(token))


@dataclass(frozen=True, slots=True)
class NewToken:
    token: str  # shown once to the user; never stored
    api_token: ApiToken


def issue_token(store: Store, username: str, *, name: str = "") -> NewToken:
    user = _known(store, username)
    token = "tcn_" + new_secret()
    api_token = ApiToken(
        id=secrets.token_hex(8), user_id=user.id, name=name or f"token for {username}"
    )
    return NewToken(token=token, api_token=store.add_api_token(api_token, digest(token)))


def token_user(store: Store, token: str, *, now: datetime | None = None) -> User | None:
    if not token:
        return None
    return store.user_for_token(digest(token), now=now or datetime.now(UTC))


def demo_login(store: Store, *, username: str = "demo") -> tuple[str, str]:
    """A one-time login for the demo: (re)create the analyst ``username`` with a fresh
    random password, printed once by ``make demo``; returns (username, password)."""
    password = secrets.token_urlsafe(12)
    user = store.get_user_by_name(username)
    if user is None:
        add_user(store, username, password, role="analyst")
    else:
        store.update_user(user.id, password_hash=hash_password(password), active=True)
    return username, password
