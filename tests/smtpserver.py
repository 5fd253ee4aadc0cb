"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd in a thread): collects messages,
refuses chosen recipients, answers chosen DATA replies, holds a reply on demand.

    with SmtpServer() as smtp:                    # or the `smtp_server` fixture
        settings = Settings(smtp_host=smtp.host, smtp_port=smtp.port)
        ... send ...
        smtp.wait_for(1)
        [received] = smtp.messages                # .message is an EmailMessage

`refuse["x@y"] = "550 5.1.1 no such user"` refuses a recipient; `data_replies` is a
queue of replies to the next DATA commands ("451 4.3.0 try later"), after which
messages are accepted; `hold_at = {3}` makes the 3rd DATA wait (at most HOLD_LIMIT
seconds) for `release()` before answering, after the message has been recorded in
`arrivals` (what the server got) but before it is in `messages` (what it accepted).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

__all__ = ["HOLD_LIMIT", "Received", "SmtpServer", "smtp_server"]

HOLD_LIMIT = 30.0  # a held reply goes out after this many seconds whatever happens


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Handler:
    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        refusal = self.owner.refuse.get(address)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        owner = self.owner
        data = bytes(envelope.original_content or envelope.content or b"")
        parsed = message_from_bytes(data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        received = Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), data, parsed)
        with owner._lock:
            owner.arrivals.append(received)
            number = len(owner.arrivals)
            reply = owner.data_replies.pop(0) if owner.data_replies else None
            owner._changed.notify_all()
        if number in owner.hold_at:
            end = time.monotonic() + HOLD_LIMIT
            while not owner._release.is_set() and time.monotonic() < end:
                await asyncio.sleep(0.02)
        if reply is not None:
            return reply
        with owner._lock:
            owner.messages.append(received)
            owner._changed.notify_all()
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1 and a free port; a context manager (start, stop)."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.messages: list[Received] = []  # accepted (250 after DATA)
        self.arrivals: list[Received] = []  # every DATA the server got, accepted or not
        self.refuse: dict[str, str] = {}
        self.data_replies: list[str] = []
        self.hold_at: set[int] = set()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._release = threading.Event()
        self._stopped = False
        self._controller = Controller(
            _Handler(self), hostname=self.host, port=self.port, ready_timeout=10.0
        )

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop listening (again is fine)."""
        self._release.set()
        if not self._stopped:
            self._stopped = True
            self._controller.stop()

    def release(self) -> None:
        """Let held replies go."""
        self._release.set()

    def wait_for(self, count: int, *, timeout: float = 10.0, arrivals: bool = False) -> bool:
        """Wait until ``count`` messages were accepted (``arrivals``: arrived)."""
        seen = self.arrivals if arrivals else self.messages
        with self._changed:
            return self._changed.wait_for(lambda: len(seen) >= count, timeout)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A fresh SmtpServer on 127.0.0.1, stopped after the test."""
    with SmtpServer() as server:
        yield server
