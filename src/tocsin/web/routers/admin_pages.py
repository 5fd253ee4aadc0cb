"""Managing users (``/admin/users``, admins only) and one's own API tokens
(``/account``, anyone signed in).

An admin adds users, changes their role, deactivates, reactivates and removes them
(never themselves: an admin cannot lock themselves out), issues API tokens for them and
revokes tokens. Any signed-in user sees, creates and revokes their own tokens: a token
acts with its user's role, so a viewer's token only reads.

A new token is shown once, on the page that answers the POST that created it, and never
again (only its SHA-256 is stored). Tokens are only created from a signed-in browser
session: a token cannot mint more tokens.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from tocsin.app import users
from tocsin.errors import AuthError
from tocsin.models import ROLES, ApiToken, User
from tocsin.store import Store
from tocsin.web.deps import Admin, AdminWrite, StoreDep, Viewer, caller, require
from tocsin.web.templating import render

router = APIRouter()

# Any signed-in user changing their own things (API tokens): a write, so CSRF-checked.
SelfWrite = Annotated[User, Depends(require("viewer", write=True))]

TOKEN_NAME_MAX = 100
# What a redirect after a change may announce (?done=…): fixed keys, never free text.
_DONE = ("added", "role", "deactivated", "reactivated", "removed", "revoked")


def _done(request: Request) -> tuple[str, str]:
    done = request.query_params.get("done", "")
    who = request.query_params.get("user", "")[:100]
    return (done, who) if done in _DONE else ("", "")


def _after(path: str, done: str, username: str = "") -> RedirectResponse:
    query = {"done": done, **({"user": username} if username else {})}
    return RedirectResponse(f"{path}?{urlencode(query)}", status_code=303)


def _browser_only(request: Request) -> None:
    found = caller(request)
    if found is None or found.session is None:
        raise HTTPException(403, "API tokens are created from a signed-in browser session")


def _token_rows(store: Store, *, user_id: str | None = None) -> list[dict[str, Any]]:
    names = {u.id: u.username for u in store.list_users()}
    return [
        {"token": token, "username": names.get(token.user_id, "?")}
        for token in sorted(
            store.list_api_tokens(user_id=user_id),
            key=lambda t: (t.revoked, names.get(t.user_id, ""), t.name, t.id),
        )
    ]


# /admin/users ---------------------------------------------------------------


def _users_page(
    request: Request,
    store: Store,
    me: User,
    *,
    error: str = "",
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    done, done_user = _done(request)
    tokens = _token_rows(store)
    live: dict[str, int] = {}
    for row in tokens:
        if not row["token"].revoked:
            live[row["token"].user_id] = live.get(row["token"].user_id, 0) + 1
    return render(
        request,
        "admin_users.html.j2",
        {
            "users": store.list_users(),
            "me": me,
            "roles": ROLES,
            "live_tokens": live,
            "tokens": tokens,
            "error": error,
            "done": done,
            "done_user": done_user,
            "form": form or {"username": "", "role": "viewer"},
            "min_password": users.MIN_PASSWORD,
        },
        status=status,
    )


def _other_user(store: Store, me: User, user_id: str) -> User:
    """The user ``user_id`` (404 when unknown), who must not be the admin asking."""
    target = store.get_user(user_id)
    if target is None:
        raise HTTPException(404, "no such user")
    if target.id == me.id:
        raise HTTPException(400, "you cannot change your own account here; ask another admin")
    return target


@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request, me: Admin, store: StoreDep) -> Response:
    return _users_page(request, store, me)


@router.post("/admin/users", include_in_schema=False)
def add_user(
    request: Request,
    me: AdminWrite,
    store: StoreDep,
    username: Annotated[str, Form(max_length=100)] = "",
    role: Annotated[str, Form(max_length=20)] = "viewer",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    username = username.strip()
    form = {"username": username, "role": role if role in ROLES else "viewer"}
    error = ""
    try:
        users.check_username(username)
    except AuthError:
        error = "admin.error.username"
    if not error and role not in ROLES:
        error = "admin.error.role"
    if not error and len(password) < users.MIN_PASSWORD:
        error = "admin.error.password"
    if not error and store.get_user_by_name(username) is not None:
        error = "admin.error.exists"
    if not error:
        try:
            users.add_user(store, username, password, role=role)
        except AuthError:  # taken between the check and the insert
            error = "admin.error.exists"
    if error:
        return _users_page(request, store, me, error=error, form=form, status=400)
    return _after("/admin/users", "added", username)


@router.post("/admin/users/{user_id}/role", include_in_schema=False)
def change_role(
    user_id: str,
    me: AdminWrite,
    store: StoreDep,
    role: Annotated[str, Form(max_length=20)],
) -> Response:
    target = _other_user(store, me, user_id)
    if role not in ROLES:
        raise HTTPException(400, f"unknown role; choose one of {', '.join(ROLES)}")
    users.set_role(store, target.username, role)
    return _after("/admin/users", "role", target.username)


@router.post("/admin/users/{user_id}/active", include_in_schema=False)
def change_active(
    user_id: str,
    me: AdminWrite,
    store: StoreDep,
    active: Annotated[str, Form(max_length=5)],
) -> Response:
    """Deactivate (``active=0``: signs the user out everywhere, refuses logins and
    tokens) or reactivate (``active=1``)."""
    target = _other_user(store, me, user_id)
    if active not in ("0", "1"):
        raise HTTPException(400, "active must be 0 or 1")
    store.update_user(target.id, active=active == "1")
    return _after(
        "/admin/users", "reactivated" if active == "1" else "deactivated", target.username
    )


@router.post("/admin/users/{user_id}/remove", include_in_schema=False)
def remove_user(user_id: str, me: AdminWrite, store: StoreDep) -> Response:
    target = _other_user(store, me, user_id)
    store.remove_user(target.id)
    return _after("/admin/users", "removed", target.username)


@router.post("/admin/users/{user_id}/tokens", include_in_schema=False)
def issue_user_token(
    request: Request,
    user_id: str,
    _me: AdminWrite,
    store: StoreDep,
    name: Annotated[str, Form(max_length=TOKEN_NAME_MAX)] = "",
) -> Response:
    _browser_only(request)
    target = store.get_user(user_id)
    if target is None:
        raise HTTPException(404, "no such user")
    issued = users.issue_token(store, target.username, name=name.strip())
    return _token_page(request, issued, owner=target, back="/admin/users")


@router.post("/admin/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_any_token(token_id: str, _me: AdminWrite, store: StoreDep) -> Response:
    if not store.revoke_api_token(token_id):
        raise HTTPException(404, "no such token")
    return _after("/admin/users", "revoked")


# /account -------------------------------------------------------------------


def _token_page(request: Request, issued: users.NewToken, *, owner: User, back: str) -> Response:
    return render(
        request,
        "account_token.html.j2",
        {
            "new_token": issued.token,
            "api_token": issued.api_token,
            "owner": owner,
            "back": back,
            "base_url": str(request.base_url).rstrip("/"),
        },
    )


@router.get("/account", include_in_schema=False)
def account_page(request: Request, me: Viewer, store: StoreDep) -> Response:
    done, _who = _done(request)
    return render(
        request,
        "account.html.j2",
        {
            "me": me,
            "tokens": [row["token"] for row in _token_rows(store, user_id=me.id)],
            "done": done,
        },
    )


@router.post("/account/tokens", include_in_schema=False)
def issue_own_token(
    request: Request,
    me: SelfWrite,
    store: StoreDep,
    name: Annotated[str, Form(max_length=TOKEN_NAME_MAX)] = "",
) -> Response:
    _browser_only(request)
    issued = users.issue_token(store, me.username, name=name.strip())
    return _token_page(request, issued, owner=me, back="/account")


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_own_token(token_id: str, me: SelfWrite, store: StoreDep) -> Response:
    own: list[ApiToken] = store.list_api_tokens(user_id=me.id)
    if not any(token.id == token_id for token in own):
        raise HTTPException(404, "no such token")
    store.revoke_api_token(token_id)
    return _after("/account", "revoked")
