"""Who is asking, and may they: FastAPI dependencies for every router.

A request is authenticated by an API token (``Authorization: Bearer tcn_…``, for
scripts) or by the session cookie (browsers). Pages and the API need at least a viewer;
``require("analyst", write=True)`` guards every change. A write made with the session
cookie must carry the session's CSRF token, in the form field ``csrf_token`` or the
``X-CSRF-Token`` header; a write made with a bearer token needs none (no cookie is
involved, so no other site can forge it).

Use in a router::

    @router.get("/events")
    def events_page(request: Request, user: Viewer) -> Response: ...

    @router.post("/rules/{rule_id}/delete")
    def delete_rule(request: Request, rule_id: str, user: AnalystWrite) -> Response: ...
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from tocsin.app import users
from tocsin.config import Settings
from tocsin.models import User, WebSession, role_allows
from tocsin.store import Store

SESSION_COOKIE = "tocsin_session"
LANG_COOKIE = "tocsin_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class LoginRequired(Exception):
    """Raised for a page without a signed-in user: the app redirects to /login."""


@dataclass(frozen=True, slots=True)
class Caller:
    user: User
    session: WebSession | None  # None: authenticated by an API token


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def caller(request: Request) -> Caller | None:
    """The signed-in user of this request (memoised on ``request.state``), or None."""
    if hasattr(request.state, "caller"):
        known: Caller | None = request.state.caller
        return known
    store = get_store(request)
    found: Caller | None = None
    token = _bearer(request)
    if token:
        user = users.token_user(store, token)
        if user is None:
            raise HTTPException(401, "invalid or revoked API token")
        found = Caller(user=user, session=None)
    else:
        live = users.session_user(store, request.cookies.get(SESSION_COOKIE, ""))
        if live is not None:
            found = Caller(user=live[1], session=live[0])
    request.state.caller = found
    return found


def optional_user(request: Request) -> User | None:
    found = caller(request)
    return found.user if found is not None else None


async def check_csrf(request: Request, found: Caller) -> None:
    """Refuse (403) a cookie-authenticated write without the session's CSRF token."""
    if found.session is None:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else ""
    if not sent or not hmac.compare_digest(sent.encode(), found.session.csrf.encode()):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")


def require(role: str, *, write: bool = False) -> Callable[[Request], Awaitable[User]]:
    """A dependency: the user, when signed in with at least ``role`` (and, for a write,
    a valid CSRF token); else a redirect to /login (pages), 401 (API) or 403."""

    async def dependency(request: Request) -> User:
        found = caller(request)
        if found is None:
            if is_api(request):
                raise HTTPException(401, "sign in or send an API token (Authorization: Bearer …)")
            raise LoginRequired()
        if not role_allows(found.user.role, role):
            raise HTTPException(403, f"this needs the {role} role")
        if write:
            await check_csrf(request, found)
        return found.user

    return dependency


viewer = require("viewer")
analyst = require("analyst")
admin = require("admin")
analyst_write = require("analyst", write=True)
admin_write = require("admin", write=True)

# Annotated parameter types for routes: ``def page(request: Request, user: Viewer)``.
Viewer = Annotated[User, Depends(viewer)]
Analyst = Annotated[User, Depends(analyst)]
Admin = Annotated[User, Depends(admin)]
AnalystWrite = Annotated[User, Depends(analyst_write)]
AdminWrite = Annotated[User, Depends(admin_write)]
StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
