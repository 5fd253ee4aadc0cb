"""What the browser tests run on: the app served by a real uvicorn on 127.0.0.1 (a free
port, in a background thread, over a copy of ``web_db``) and Debian's headless Chromium
driven by Playwright.

Without /usr/bin/chromium the browser tests skip, saying why, unless
``TOCSIN_BROWSER_REQUIRED=1`` (set by ``.ci/run``): then they fail. Screenshots go to
``test-artifacts/screenshots/`` (gitignored) for a person to look at.

``Watch`` records what must never happen on a page showing stranger text: a JavaScript
error, a console error (a CSP refusal is one) and a dialog (``alert()`` run by an
injected payload; dismissed so the page goes on).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
REQUIRED_ENV = "TOCSIN_BROWSER_REQUIRED"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def require_chromium() -> Path:
    """Debian's chromium, or skip (fail when the browser tests are required)."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = (
        f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
        "(apt-get install chromium; .ci/run installs it)"
    )
    if os.environ.get(REQUIRED_ENV) == "1":
        pytest.fail(f"{reason}, and {REQUIRED_ENV}=1 says they must run")
    pytest.skip(reason)


class LiveServer:
    """``app`` served by uvicorn on 127.0.0.1 in a daemon thread; ``stop()`` ends it."""

    def __init__(self, app: FastAPI) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def start(self, *, timeout: float = 30.0) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the test server did not start on {self.url}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.socket.close()


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium browser (Playwright ``Browser``) from Debian's binary."""
    return playwright.chromium.launch(
        executable_path=str(require_chromium()), headless=True, args=list(CHROMIUM_ARGS)
    )


@dataclass
class Watch:
    """JavaScript errors, console errors, failed subresources (a missing script or
    style, a refused fetch) and dialogs seen on a page. A page's own error status is
    not one of them: tests check the status they expect."""

    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> Watch:
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        page.on("dialog", self._dialog)
        return self

    def _console(self, message: Any) -> None:
        # Chromium logs every HTTP error as "Failed to load resource"; _response
        # records those of subresources with their address.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            where = (message.location or {}).get("url", "")
            self.console.append(f"{message.text} [{where}]")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed.append(f"{response.status} {response.url}")

    def _request_failed(self, request: Any) -> None:
        if request.resource_type != "document":
            self.failed.append(f"{request.failure} {request.url}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def clear(self) -> None:
        for found in (self.errors, self.console, self.failed, self.dialogs):
            found.clear()

    def problems(self) -> list[str]:
        return (
            [f"page error: {e}" for e in self.errors]
            + [f"console error: {c}" for c in self.console]
            + [f"failed resource: {f}" for f in self.failed]
            + [f"dialog: {d}" for d in self.dialogs]
        )

    def check(self, where: str = "") -> None:
        """Fail with everything seen, one per line."""
        found = self.problems()
        assert not found, f"{where}: " + "\n".join(found)


def screenshot(page: Any, name: str) -> Path:
    """Save the whole page as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def set_field(page: Any, selector: str, value: str) -> None:
    """Type into an input or choose in a select, whichever the page uses."""
    element = page.locator(selector)
    if element.evaluate("e => e.tagName") == "SELECT":
        element.select_option(value)
    else:
        element.fill(value)


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Sign in through the login form; lands on /account (a light page)."""
    page.goto(f"{base_url}/login?next=/account")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("#login-submit")
