"""Central objects of the web dashboard and the JSON API: users with roles, their API
tokens and their browser sessions.

Frozen dataclasses, plain values, no I/O. Secrets are never held here: a session or an
API token is stored and looked up by the SHA-256 of its value, a password by its
argon2 hash (``tocsin.app.users``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Roles, weakest first: a viewer reads; an analyst also changes data (rules, briefs,
# forecasts); an admin also manages users.
ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")


def role_allows(role: str, needed: str) -> bool:
    """True when ``role`` is ``needed`` or stronger (unknown roles allow nothing)."""
    if role not in ROLES or needed not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(needed)


@dataclass(frozen=True, slots=True)
class User:
    id: str
    username: str
    role: str
    active: bool = True
    created: datetime | None = None
    last_login: datetime | None = None


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A token for scripts (``Authorization: Bearer <token>``); only its hash is kept."""

    id: str
    user_id: str
    name: str
    created: datetime | None = None
    last_used: datetime | None = None
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in browser: the cookie holds a random token, the store its hash."""

    id: str  # SHA-256 hex of the cookie's token
    user_id: str
    csrf: str
    created: datetime
    expires: datetime
