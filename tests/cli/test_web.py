"""`tocsin users` and `tocsin serve` as a user runs them.

Most commands run in this process through ``tocsin.cli.main.main`` (argv, stdin, stdout and
the exit code as a real run has them, without 1.5 s of start-up each); two run as real
processes: a refusal (one line, exit 2) and `serve --demo-login`, signed into over HTTP.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tocsin import cli
from tocsin.app import users
from tocsin.store import open_store


class Run:
    """``tocsin --db DB ARGS`` in this process: exit code, stdout, stderr."""

    def __init__(self, db: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
        self.db = db
        self.monkeypatch = monkeypatch
        self.capsys = capsys
        monkeypatch.setenv("COLUMNS", "200")

    def __call__(self, *args: str, stdin: str | io.StringIO = "") -> tuple[int, str, str]:
        self.monkeypatch.setattr(sys, "argv", ["tocsin", "--db", str(self.db), *args])
        self.monkeypatch.setattr(
            sys, "stdin", io.StringIO(stdin) if isinstance(stdin, str) else stdin
        )
        with pytest.raises(SystemExit) as done:
            cli.main()
        out, err = self.capsys.readouterr()
        code = done.value.code
        return (code if isinstance(code, int) else 0), out, err


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Run:
    return Run(tmp_path / "users.db", monkeypatch, capsys)


def _check(run: Run, username: str, password: str) -> str:
    store = open_store(str(run.db))
    try:
        return users.authenticate(store, username, password).role
    finally:
        store.close()


def test_add_users_with_a_given_or_generated_password(run: Run) -> None:
    assert run(
        "users", "add", "alice", "--role", "analyst", "--password-stdin", stdin="alice-password-1\n"
    ) == (
        0,
        "added alice (analyst)\n",
        "",
    )
    assert _check(run, "alice", "alice-password-1") == "analyst"
    code, out, err = run("users", "add", "bob")  # stdin is no terminal: generated
    assert code == 0
    generated = re.fullmatch(r"added bob \(viewer\)\npassword: (\S{20})\n", out)
    assert generated, out
    assert err == "(generated; shown once: give it to the user now)\n"
    assert _check(run, "bob", generated.group(1)) == "viewer"


def test_a_password_typed_twice_on_a_terminal(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[dict[str, Any]] = []

    def prompt(text: str, **options: Any) -> str:
        asked.append({"text": text, **options})
        return "typed-password-1"

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("typer.prompt", prompt)
    assert run("users", "add", "carla", "--role", "admin", stdin=Terminal()) == (
        0,
        "added carla (admin)\n",
        "",
    )
    assert asked == [
        {
            "text": "Password",
            "hide_input": True,
            "confirmation_prompt": True,
            "err": True,
            "show_default": False,
        }
    ]
    assert _check(run, "carla", "typed-password-1") == "admin"


def test_list_change_and_remove_users(run: Run) -> None:
    run("users", "add", "alice", "--role", "analyst", "--password-stdin", stdin="alice-password-1")
    run("users", "add", "bob", "--password-stdin", stdin="bob-password-12\n")
    code, out, _err = run("users", "list", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [
        (u["username"], u["role"], u["active"], u["last_login"], u["tokens"]) for u in listed
    ] == [
        ("alice", "analyst", True, None, 0),
        ("bob", "viewer", True, None, 0),
    ]
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*\+00:00", u["created"]) for u in listed
    )
    assert run("users", "role", "bob", "admin") == (0, "bob is now admin\n", "")
    assert run("users", "passwd", "alice", "--password-stdin", stdin="a-new-password-1\n") == (
        0,
        "password of alice changed\n",
        "",
    )
    assert _check(run, "alice", "a-new-password-1") == "analyst"
    code, out, _err = run("users", "list")
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == ["user", "role", "status", "created", "last", "sign-in", "tokens"]
    assert [(r[0], r[1], r[2], r[-1]) for r in rows[1:]] == [
        ("alice", "analyst", "active", "0"),
        ("bob", "admin", "active", "0"),
    ]
    assert re.fullmatch(r"\d\d:\d\d", rows[1][-2])  # alice signed in (_check) ...
    assert rows[2][-2] == "never"  # ... bob never did
    assert run("users", "remove", "bob") == (0, "removed bob\n", "")
    assert [u["username"] for u in json.loads(run("users", "list", "--json")[1])] == ["alice"]


def test_tokens_printed_once_listed_and_revoked(run: Run) -> None:
    run("users", "add", "ci", "--password-stdin", stdin="ci-password-123")
    code, out, err = run("users", "token", "ci", "--name", "nightly export")
    assert code == 0
    token = out.strip()
    assert re.fullmatch(r"tcn_[A-Za-z0-9_-]{43}", token) and out == token + "\n"
    found = re.fullmatch(
        r"token ([0-9a-f]{16}) \('nightly export'\) for ci \(viewer\); shown once: store it now "
        r"\(send it as `Authorization: Bearer <token>`\)\n",
        err,
    )
    assert found, err
    token_id = found.group(1)
    listed = json.loads(run("users", "tokens", "--json")[1])
    assert [(t["id"], t["username"], t["name"], t["revoked"], t["last_used"]) for t in listed] == [
        (token_id, "ci", "nightly export", False, None)
    ]
    assert token not in json.dumps(listed)
    code, out, _err = run("users", "tokens", "ci")
    assert out.splitlines()[1].split()[:4] == [token_id, "ci", "nightly", "export"]
    assert out.splitlines()[1].split()[-2:] == ["never", "live"]
    assert json.loads(run("users", "list", "--json")[1])[0]["tokens"] == 1
    assert run("users", "revoke", token_id) == (0, f"revoked token {token_id}\n", "")
    assert json.loads(run("users", "tokens", "ci", "--json")[1])[0]["revoked"] is True
    assert run("users", "tokens", "--json")[0] == 0


def test_nothing_yet(run: Run) -> None:
    assert run("users", "list") == (
        0,
        "",
        "no users yet; add one with `tocsin users add NAME --role admin`\n",
    )
    assert run("users", "tokens") == (
        0,
        "",
        "no API tokens; issue one with `tocsin users token NAME`\n",
    )
    assert run("users", "list", "--json") == (0, "[]\n", "")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ("users", "add", "alice"),
            "",
            "user 'alice': exists already; choose another name or remove it",
        ),
        (
            ("users", "add", "a b"),
            "",
            "user name 'a b': not allowed; use 1-100 letters, digits, '.', '_', "
            "'@' or '-', starting with a letter or digit",
        ),
        (
            ("users", "add", "zoe", "--role", "root"),
            "",
            "role 'root': unknown; choose one of viewer, analyst, admin",
        ),
        (
            ("users", "add", "zoe", "--password-stdin"),
            "short\n",
            "password: too short; give at least 10 characters",
        ),
        (
            ("users", "add", "zoe", "--password-stdin"),
            "",
            "password: nothing on stdin; pipe the password as the first line",
        ),
        (
            ("users", "passwd", "nobody", "--password-stdin"),
            "x-long-password",
            "user 'nobody': no such user; see `tocsin users list`",
        ),
        (
            ("users", "role", "alice", "root"),
            "",
            "role 'root': unknown; choose one of viewer, analyst, admin",
        ),
        (
            ("users", "role", "nobody", "admin"),
            "",
            "user 'nobody': no such user; see `tocsin users list`",
        ),
        (("users", "remove", "nobody"), "", "user 'nobody': no such user; see `tocsin users list`"),
        (("users", "token", "nobody"), "", "user 'nobody': no such user; see `tocsin users list`"),
        (("users", "tokens", "nobody"), "", "user 'nobody': no such user; see `tocsin users list`"),
        (("users", "revoke", "nope"), "", "token 'nope': no such token; see `tocsin users tokens`"),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, tuple) else None,
)
def test_refusals_are_one_line_with_exit_2(
    run: Run, args: tuple[str, ...], stdin: str, message: str
) -> None:
    run("users", "add", "alice", "--password-stdin", stdin="alice-password-1")
    assert run(*args, stdin=stdin) == (2, "", f"error: {message}\n")
    assert [u["username"] for u in json.loads(run("users", "list", "--json")[1])] == ["alice"]


# real processes --------------------------------------------------------------------


def _env() -> dict[str, str]:
    return {**os.environ, "COLUMNS": "200", "PYTHONUNBUFFERED": "1"}


def test_a_refusal_in_a_real_process(tmp_path: Path) -> None:
    db = tmp_path / "users.db"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tocsin",
            "--db",
            str(db),
            "users",
            "add",
            "zoe",
            "--password-stdin",
        ],
        input="short\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=_env(),
    )
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == "error: password: too short; give at least 10 characters\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_with_a_one_time_demo_login(tmp_path: Path) -> None:
    db = tmp_path / "serve.db"
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tocsin",
            "--db",
            str(db),
            "serve",
            "--port",
            str(port),
            "--demo-login",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(3)]
        assert lines[0] == f"Dashboard: http://127.0.0.1:{port}/\n"
        found = re.fullmatch(r"Sign in as demo with the password (\S+)\n", lines[1])
        assert found, lines
        assert lines[2] == "(a new password is made each time; Ctrl-C stops the server)\n"
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).text == "ok":
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=10) as browser:
            form = browser.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token
            signed_in = browser.post(
                "/login",
                data={
                    "username": "demo",
                    "password": found.group(1),
                    "csrf_token": token.group(1),
                    "next": "/account",
                },
            )
            assert signed_in.status_code == 303 and signed_in.headers["location"] == "/account"
            account = browser.get("/account")
            assert account.status_code == 200 and "demo (analyst)" in account.text
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        finally:
            server.kill()
    stderr = server.stderr.read() if server.stderr else ""
    assert server.returncode in (0, 130), stderr
    assert "Traceback" not in stderr
