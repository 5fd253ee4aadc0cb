"""Signing in and out, and the trivial endpoint ``/healthz`` (no store, no user: the
baseline of ``bench/web.py`` and a liveness probe).

The login form is protected against login CSRF by a double-submit token: a random value
in a short-lived cookie and in the form, compared on POST. Failed logins are
rate-limited per user name and per client address (``tocsin.app.users.authenticate``).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from tocsin.app import users
from tocsin.errors import AuthError
from tocsin.web.deps import SESSION_COOKIE, Viewer, caller, check_csrf, get_store, optional_user
from tocsin.web.templating import render

router = APIRouter()
LOGIN_CSRF_COOKIE = "tocsin_login_csrf"


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.app.state.settings.base_url.startswith(
        "https://"
    )


@router.get("/healthz", include_in_schema=False)
def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok")


def _login_form(request: Request, *, next_url: str, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html.j2",
        {"next_url": next_url, "login_csrf": token, "error": error},
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/login",
    )
    return response


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    if optional_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_form(request, next_url=safe_next(next))


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    username: str = Form("", max_length=100),
    password: str = Form("", max_length=1000),
    csrf_token: str = Form(""),
    next: str = Form("/"),
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    t_next = safe_next(next)
    if not expected or not hmac.compare_digest(expected.encode(), csrf_token.encode()):
        return _login_form(request, next_url=t_next, error="login.csrf", status=403)
    client = request.client.host if request.client else None
    try:
        user = users.authenticate(get_store(request), username, password, client=client)
    except AuthError as exc:
        key = "login.too_many" if "too many" in str(exc) else "login.wrong"
        return _login_form(request, next_url=t_next, error=key, status=401)
    started = users.start_session(get_store(request), user)
    response = RedirectResponse(t_next, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        started.token,
        max_age=users.SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request, _user: Viewer) -> Response:
    found = caller(request)
    if found is not None:
        await check_csrf(request, found)
    users.end_session(get_store(request), request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
