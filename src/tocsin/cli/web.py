"""The commands for the web dashboard and its users (`tocsin serve`, `tocsin users`).
A thin shell over ``tocsin.web`` and ``tocsin.app.users``, registered on the main app by
``tocsin.cli.main``.

``tocsin serve`` runs the dashboard and the JSON API with uvicorn; ``--demo-login``
(re)creates the analyst ``demo`` with a fresh random password and prints it once (what
``make demo`` does after the demo job). ``tocsin users`` adds, lists, changes and removes
users and their API tokens. A password comes from ``--password-stdin`` (its first line),
else from a hidden prompt typed twice when stdin is a terminal, else it is generated and
printed once. A new API token is printed once, alone on stdout (``TOKEN=$(tocsin users
token ci)``), with what it is on stderr. Refusals are one line (``AuthError``) and exit 2.
"""

from __future__ import annotations

import ipaddress
import secrets
import sys
from datetime import datetime
from typing import Annotated

import typer
from rich.text import Text

from tocsin.app import users
from tocsin.cli.common import JsonOpt, err, list_table, out, print_json
from tocsin.errors import AuthError
from tocsin.models import ROLES, User
from tocsin.report.records import token_plain, user_plain
from tocsin.store import Store

users_app = typer.Typer(
    help="Users of the dashboard and the JSON API, and their API tokens.", no_args_is_help=True
)
PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of stdin (else: prompted on a "
        "terminal, or generated and printed once).",
    ),
]
NameArg = Annotated[str, typer.Argument(help="The user name.", show_default=False)]


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    demo_login: Annotated[
        bool,
        typer.Option(
            "--demo-login",
            help="(Re)create the analyst 'demo' with a fresh one-time password and print it.",
        ),
    ] = False,
) -> None:
    """Serve the dashboard and the JSON API (Ctrl-C stops)."""
    import uvicorn

    from tocsin.store import open_store
    from tocsin.web import create_app

    settings = ctx.obj.settings()
    store = open_store(settings.db)
    url = f"http://{_url_host(host)}:{port}/"
    if not _is_loopback(host) and not settings.base_url.startswith("https://"):
        err.print(
            f"warning: serving on {host} over plain HTTP: passwords and session cookies cross "
            "the network unencrypted; put a TLS proxy in front and set base_url to https://…",
            markup=False,
        )
    if demo_login:
        username, password = users.demo_login(store)
        out.print(f"Dashboard: {url}", markup=False)
        out.print(f"Sign in as {username} with the password {password}", markup=False)
        out.print("(a new password is made each time; Ctrl-C stops the server)", markup=False)
    else:
        out.print(f"Dashboard: {url} (Ctrl-C stops)", markup=False)
    try:
        uvicorn.run(create_app(settings, store=store), host=host, port=port, log_level="info")
    finally:
        store.close()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


# passwords ------------------------------------------------------------------


def _password(from_stdin: bool) -> tuple[str, bool]:
    """The new password and whether it was generated (and must be printed)."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise AuthError("password: nothing on stdin; pipe the password as the first line")
        return users.check_password(line), False
    if sys.stdin.isatty():
        typed: str = typer.prompt(
            "Password", hide_input=True, confirmation_prompt=True, err=True, show_default=False
        )
        return users.check_password(typed), False
    return secrets.token_urlsafe(15), True


def _print_generated(password: str) -> None:
    out.print(f"password: {password}", markup=False)
    err.print("(generated; shown once: give it to the user now)", markup=False)


# users ----------------------------------------------------------------------


def _store(ctx: typer.Context) -> Store:
    store: Store = ctx.obj.store()
    return store


def _known(store: Store, username: str) -> User:
    user = store.get_user_by_name(username)
    if user is None:
        raise AuthError(f"user {username!r}: no such user; see `tocsin users list`")
    return user


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    username: NameArg,
    role: Annotated[
        str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.", show_default=True)
    ] = "viewer",
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """Add a user."""
    users.check_username(username)
    users.check_role(role)
    store = _store(ctx)
    if store.get_user_by_name(username) is not None:
        raise AuthError(f"user {username!r}: exists already; choose another name or remove it")
    password, generated = _password(password_stdin)
    user = users.add_user(store, username, password, role=role)
    out.print(f"added {user.username} ({user.role})", markup=False)
    if generated:
        _print_generated(password)


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the users, their role and how many live API tokens they have."""
    store = _store(ctx)
    live: dict[str, int] = {}
    for token in store.list_api_tokens():
        if not token.revoked:
            live[token.user_id] = live.get(token.user_id, 0) + 1
    found = store.list_users()
    if as_json:
        print_json([user_plain(u, tokens=live.get(u.id, 0)) for u in found], indent=2)
        return
    if not found:
        err.print("no users yet; add one with `tocsin users add NAME --role admin`", markup=False)
        return
    table = list_table("user", "role", "status", "created", "last sign-in", "tokens")
    for u in found:
        table.add_row(
            Text(u.username),
            Text(u.role),
            Text("active" if u.active else "deactivated"),
            Text(_day(u.created)),
            Text(_day(u.last_login) or "never"),
            Text(str(live.get(u.id, 0))),
        )
    out.print(table)


def _day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


@users_app.command("remove")
def users_remove(ctx: typer.Context, username: NameArg) -> None:
    """Remove a user with their sessions and API tokens."""
    store = _store(ctx)
    user = _known(store, username)
    store.remove_user(user.id)
    out.print(f"removed {username}", markup=False)


@users_app.command("role")
def users_role(
    ctx: typer.Context,
    username: NameArg,
    role: Annotated[str, typer.Argument(help=f"One of {', '.join(ROLES)}.", show_default=False)],
) -> None:
    """Change a user's role (their API tokens follow it)."""
    user = users.set_role(_store(ctx), username, role)
    out.print(f"{user.username} is now {user.role}", markup=False)


@users_app.command("passwd")
def users_passwd(
    ctx: typer.Context, username: NameArg, password_stdin: PasswordStdinOpt = False
) -> None:
    """Set a user's password (this signs them out of every browser)."""
    store = _store(ctx)
    _known(store, username)
    password, generated = _password(password_stdin)
    users.set_password(store, username, password)
    out.print(f"password of {username} changed", markup=False)
    if generated:
        _print_generated(password)


@users_app.command("token")
def users_token(
    ctx: typer.Context,
    username: NameArg,
    name: Annotated[str, typer.Option("--name", help="A label to tell tokens apart.")] = "",
) -> None:
    """Issue an API token for a user; it is printed once, alone on stdout."""
    store = _store(ctx)
    user = _known(store, username)
    issued = users.issue_token(store, username, name=name.strip())
    out.print(issued.token, markup=False)
    err.print(
        f"token {issued.api_token.id} ({issued.api_token.name!r}) for {username} ({user.role}); "
        "shown once: store it now (send it as `Authorization: Bearer <token>`)",
        markup=False,
    )


@users_app.command("tokens")
def users_tokens(
    ctx: typer.Context,
    username: Annotated[
        str | None, typer.Argument(help="Only this user's tokens.", show_default=False)
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List API tokens (never their values: only their hash is kept)."""
    store = _store(ctx)
    owner = _known(store, username) if username is not None else None
    names = {u.id: u.username for u in store.list_users()}
    tokens = store.list_api_tokens(user_id=owner.id if owner else None)
    if as_json:
        rows = [token_plain(t, username=names.get(t.user_id, "?")) for t in tokens]
        print_json(rows, indent=2)
        return
    if not tokens:
        err.print("no API tokens; issue one with `tocsin users token NAME`", markup=False)
        return
    table = list_table("id", "user", "label", "created", "last used", "status")
    for t in tokens:
        table.add_row(
            Text(t.id),
            Text(names.get(t.user_id, "?")),
            Text(t.name),
            Text(_day(t.created)),
            Text(_day(t.last_used) or "never"),
            Text("revoked" if t.revoked else "live"),
        )
    out.print(table)


@users_app.command("revoke")
def users_revoke(
    ctx: typer.Context,
    token_id: Annotated[
        str, typer.Argument(help="The token's id (see `tocsin users tokens`).", show_default=False)
    ],
) -> None:
    """Revoke an API token: it stops working at once."""
    if not _store(ctx).revoke_api_token(token_id):
        raise AuthError(f"token {token_id!r}: no such token; see `tocsin users tokens`")
    out.print(f"revoked token {token_id}", markup=False)


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``tocsin`` app."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
