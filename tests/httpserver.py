"""A real HTTP server on 127.0.0.1 for tests: canned responses, slow bodies, request log.

    server.route("/page", body=b"<p>hi</p>", headers={"Content-Type": "text/html"})
    server.route("/old", status=301, headers={"Location": "/page"})
    fetch(server.url("/page")); assert server.hits["/page"] == 1

Calling `route` again for the same path queues another response: each request takes the
next one and the last one repeats (503 then 200, say). Unknown paths answer 404. Every
request's headers are kept, lower-cased, in `server.requests[path]`; POST bodies in
`server.bodies[path]` (recorded when the request arrives, before any delay or hold).
A route with `hold=threading.Event()` keeps its answer until the event is set (at most
TRICKLE_LIMIT seconds); `server.wait_hits(path, n)` waits until n requests arrived.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

__all__ = ["LocalServer", "Route", "local_server"]

TRICKLE_LIMIT = 30.0  # a trickling body stops after this many seconds whatever happens
MAX_BODY = 10_000_000  # bytes of a request body read


@dataclass(frozen=True)
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    trickle: float | None = None  # bytes per second of an endless chunked body
    chunked: bool = False  # send `body` chunked, without Content-Length
    hold: threading.Event | None = None  # answer only once this is set (bounded)


class LocalServer:
    """A threaded HTTP/1.1 server in a daemon thread; use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Route]] = defaultdict(list)
        self.hits: Counter[str] = Counter()
        self.requests: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.bodies: dict[str, list[bytes]] = defaultdict(list)
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,))
        self._thread.daemon = True

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str = "/", *, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(
        self,
        path: str,
        status: int = 200,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        trickle: float | None = None,
        *,
        chunked: bool = False,
        hold: threading.Event | None = None,
    ) -> None:
        with self._lock:
            self.routes[path].append(
                Route(status, body, dict(headers or {}), delay, trickle, chunked, hold)
            )

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.route(path, status=status, headers={"Location": to})

    def wait_hits(self, path: str, count: int, timeout: float = 10.0) -> bool:
        """Wait until ``count`` requests for ``path`` arrived; False after ``timeout``."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self.hits[path] >= count, timeout)

    def _next(self, path: str, headers: dict[str, str], body: bytes | None = None) -> Route:
        with self._lock:
            self.hits[path] += 1
            self.requests[path].append(headers)
            if body is not None:
                self.bodies[path].append(body)
            self._arrived.notify_all()
            queue = self.routes.get(path)
            if not queue:
                return Route(404, b"not found", {"Content-Type": "text/plain"})
            return queue.pop(0) if len(queue) > 1 else queue[0]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hang up on slow answers on purpose


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        route = self.server.owner._next(self.path, headers)
        self._serve(route)

    def do_POST(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        length = min(int(headers.get("content-length") or 0), MAX_BODY)
        body = self.rfile.read(length) if length else b""
        route = self.server.owner._next(self.path, headers, body)
        self._serve(route)

    def _serve(self, route: Route) -> None:
        time.sleep(route.delay)
        if route.hold is not None:
            route.hold.wait(TRICKLE_LIMIT)
        try:
            self._answer(route)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _answer(self, route: Route) -> None:
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        streamed = route.chunked or route.trickle is not None
        if streamed:
            self.send_header("Transfer-Encoding", "chunked")
        elif "content-length" not in {name.lower() for name in route.headers}:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        if route.trickle is not None:
            self._trickle(route.trickle)
        elif route.chunked:
            for start in range(0, len(route.body), 65536):
                self._chunk(route.body[start : start + 65536])
            self._chunk(b"")
        elif route.status not in (204, 304):
            self.wfile.write(route.body)

    def _trickle(self, rate: float) -> None:
        end = time.monotonic() + TRICKLE_LIMIT
        while time.monotonic() < end:
            self._chunk(b"x")
            time.sleep(1 / rate)
        self._chunk(b"")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A fresh LocalServer on 127.0.0.1, shut down after the test."""
    with LocalServer() as server:
        yield server
