"""HTTP fetching within safety limits: the one place where Tocsin touches the network.

Every URL goes through `check_address` (http/https only, no private addresses unless
allowed), the site's robots.txt, a per-host rate limit, bounded time and size, and retries
with back-off. Redirects are followed here, one hop at a time, so that each hop is checked.
Whatever goes wrong, `Fetcher.fetch` raises a one-line `FetchError` naming the URL.

A `_Watchdog` hooked into httpcore's trace extension checks the address actually connected
to (DNS may answer differently the second time) and shuts the socket down when the whole
response has not arrived within `read_timeout`, so a server trickling bytes cannot hold us.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.robotparser import RobotFileParser

import httpx

from tocsin.errors import FetchError

__all__ = ["FetchLimits", "Fetcher", "Response", "check_address"]

Resolver = Callable[[str], list[str]]
_Accept = frozenset[str] | None  # allowed media types ("text/*" allowed), None for any
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_STATUS_ADVICE = {
    401: "the site refuses access; Tocsin does not log in",
    403: "the site refuses access; Tocsin does not log in",
    429: "the site is rate-limiting us; raise TOCSIN_MIN_INTERVAL or try later",
}
_IGNORE_ROBOTS = "set TOCSIN_RESPECT_ROBOTS=0 only if you are entitled to fetch it anyway"


@dataclass(frozen=True, slots=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0  # also a total wall-clock cap on each response
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    min_interval: float = 1.0  # seconds between the starts of two requests to one host
    retries: int = 2  # on 5xx, 429, network errors and timeouts
    backoff: float = 0.5  # first back-off in seconds, doubled at each retry
    allow_private: bool = False
    respect_robots: bool = True
    user_agent: str = "Tocsin/0.1 (+https://github.com/tocsin-project/tocsin)"


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # final URL, after redirects
    status: int
    content: bytes
    content_type: str  # media type, lower case, without parameters; "" if missing
    charset: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool = False  # a 304 after a conditional GET; content is b""


class _Retryable(Exception):
    """One attempt failed in a way that may pass on a later attempt."""

    def __init__(self, problem: str, advice: str, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.problem, self.advice, self.retry_after = problem, advice, retry_after


def check_address(
    url: str, *, allow_private: bool = False, resolver: Resolver | None = None
) -> None:
    """Raise FetchError unless `url` is http(s) and every address of its host is public."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError(url, f"not a valid address ({_one_line(exc)})", "check the URL") from None
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "none"
        raise FetchError(url, f"unsupported scheme {scheme!r}", "give an http:// or https:// URL")
    if not parsed.host:
        raise FetchError(url, "no host in the address", "give a full URL like https://example.org/")
    if allow_private:
        return
    host = parsed.raw_host.decode("ascii")
    for address in _addresses(url, host, resolver or _resolve):
        _refuse_private(url, address)


def _addresses(url: str, host: str, resolver: Resolver) -> list[str]:
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    try:
        addresses = resolver(host)
    except (OSError, UnicodeError) as exc:
        problem = f"cannot resolve {host} ({_one_line(exc)})"
        raise FetchError(url, problem, "check the address") from None
    if not addresses:
        raise FetchError(url, f"{host} has no address", "check the address")
    return addresses


def _refuse_private(url: str, address: str) -> None:
    reason = _non_public(address)
    if reason:
        advice = "pass --allow-private to fetch from private networks"
        raise FetchError(url, f"refused, the address {address} is {reason}", advice)


def _non_public(address: str) -> str | None:
    """Why `address` is not a public unicast address, or None if it is one."""
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address)
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    for kind in ("loopback", "unspecified", "link_local", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "not public"


def _resolve(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]).split("%")[0] for info in infos]


class _Watchdog:
    """Checks the peer of a new connection, and cuts its socket when time is up."""

    def __init__(self, url: str, seconds: float, allow_private: bool) -> None:
        self.url, self.seconds, self.allow_private = url, seconds, allow_private
        self.fired = False
        self._sock: socket.socket | None = None
        self._timer: threading.Timer | None = None

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        stream = info["return_value"]
        self._sock = stream.get_extra_info("socket")  # TLS wraps the socket in a new one
        if self._timer is not None:
            return
        if not self.allow_private and self._sock is not None:
            try:
                _refuse_private(self.url, str(self._sock.getpeername()[0]).split("%")[0])
            except FetchError:
                stream.close()
                raise
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        if self._sock is not None:
            with contextlib.suppress(OSError):  # the base method: leave the TLS state alone
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


class Fetcher:
    """Fetch URLs within `FetchLimits`. Not thread-safe: use one Fetcher per thread."""

    def __init__(
        self,
        *,
        limits: FetchLimits | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        resolver: Resolver | None = None,
    ) -> None:
        self.limits = limits or FetchLimits()
        self._sleep, self._clock, self._resolver = sleep, clock, resolver
        self._last_start: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser] = {}
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(self.limits.read_timeout, connect=self.limits.connect_timeout),
            follow_redirects=False,
            trust_env=False,
            # A new connection for each request, so the watchdog sees every one.
            headers={"User-Agent": self.limits.user_agent, "Connection": "close"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        accept: Iterable[str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Response:
        """GET `url` and return its body; raise FetchError for anything short of success."""
        if not url.isprintable():
            raise FetchError(_one_line(url), "control characters in the address", "check the URL")
        types = frozenset(t.lower() for t in accept) if accept is not None else None
        headers = {"Accept": ", ".join(sorted(types)) if types is not None else "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            response = self._follow(url, headers, types, robots=self.limits.respect_robots)
            if response.status >= 300 and not response.not_modified:
                raise FetchError(response.url, *_status_problem(response.status))
            return response
        except FetchError as exc:
            if exc.source == url:
                raise
            problem = f"{exc.problem} (redirected to {exc.source})"
            raise FetchError(url, problem, exc.advice) from None
        except Exception as exc:  # never a traceback from here
            raise FetchError(url, f"unexpected error ({_one_line(exc)})", "report this") from None

    def _follow(
        self, url: str, headers: dict[str, str], accept: _Accept, *, robots: bool
    ) -> Response:
        """Follow redirects one hop at a time, checking each hop."""
        seen = {url}
        for _ in range(self.limits.max_redirects + 1):
            check_address(url, allow_private=self.limits.allow_private, resolver=self._resolver)
            if robots and not self._robots_allow(url):
                raise FetchError(url, "disallowed by the site's robots.txt", _IGNORE_ROBOTS)
            result = self._hop(url, headers, accept)
            if isinstance(result, Response):
                return result
            url = result
            if url in seen:
                raise FetchError(url, "redirect loop", "the site is misconfigured; try later")
            seen.add(url)
        problem = f"more than {self.limits.max_redirects} redirects"
        raise FetchError(url, problem, "fetch the final address directly")

    def _hop(self, url: str, headers: dict[str, str], accept: _Accept) -> Response | str:
        """One request, retried with back-off: a Response, or where a redirect points."""
        attempts = self.limits.retries + 1
        for attempt in range(attempts):
            try:
                return self._attempt(url, headers, accept)
            except _Retryable as exc:
                if attempt + 1 == attempts:
                    tries = f" after {attempts} attempts" if attempts > 1 else ""
                    raise FetchError(url, exc.problem + tries, exc.advice) from None
                delay = self.limits.backoff * 2**attempt
                self._sleep(max(delay, exc.retry_after or 0.0))
        raise AssertionError("unreachable")

    def _attempt(self, url: str, headers: dict[str, str], accept: _Accept) -> Response | str:
        self._wait_turn(httpx.URL(url).host)
        dog = _Watchdog(url, self.limits.read_timeout, self.limits.allow_private)
        request = self._client.build_request("GET", url, headers=headers)
        request.extensions["trace"] = dog.trace
        try:
            response = self._client.send(request, stream=True)
            try:
                result = self._handle(url, response, accept)
            finally:
                response.close()
        except httpx.TransportError as exc:
            raise _network_problem(exc, self.limits.read_timeout if dog.fired else None) from None
        except httpx.HTTPError as exc:  # a DecodingError, say
            raise FetchError(url, f"bad response ({_one_line(exc)})", "skip this site") from None
        finally:
            dog.cancel()
        if dog.fired:  # a body read to the end of a cut connection is cut short
            raise _network_problem(httpx.ReadError(""), self.limits.read_timeout)
        return result

    def _handle(self, url: str, response: httpx.Response, accept: _Accept) -> Response | str:
        status = response.status_code
        if status == 429 or status >= 500:
            problem, advice = _status_problem(status)
            raise _Retryable(problem, advice, _retry_after(response.headers.get("Retry-After")))
        location = response.headers.get("Location")
        if status in _REDIRECTS and location:
            return _join(url, location)
        media, charset = _media_type(response.headers.get("Content-Type", ""))
        content = b""
        if 200 <= status < 300:
            _check_type(url, media, accept)
            content = self._read(url, response)
        etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        return Response(url, status, content, media, charset, etag, modified, status == 304)

    def _read(self, url: str, response: httpx.Response) -> bytes:
        limit = self.limits.max_bytes
        too_big = f"body larger than {_size(limit)}"
        advice = "raise it with --max-bytes or TOCSIN_MAX_BYTES if you trust this source"
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, too_big, advice)
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise FetchError(url, too_big, advice)
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_turn(self, host: str) -> None:
        last = self._last_start.get(host)
        if last is not None:
            wait = last + self.limits.min_interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_start[host] = self._clock()

    def _robots_allow(self, url: str) -> bool:
        parsed = httpx.URL(url)
        origin = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = self._robots[origin] = self._read_robots(url, origin + "/robots.txt")
        return parser.can_fetch(self.limits.user_agent, url)

    def _read_robots(self, url: str, robots_url: str) -> RobotFileParser:
        """RFC 9309: 4xx means no rules; 5xx or no answer means stay away."""
        try:
            response = self._follow(robots_url, {"Accept": "text/plain, */*"}, None, robots=False)
        except FetchError as exc:
            problem = f"robots.txt could not be read ({exc.problem})"
            raise FetchError(url, problem, "try later, or " + _IGNORE_ROBOTS) from None
        parser = RobotFileParser(robots_url)
        text = response.content.decode("utf-8", "replace") if response.status < 400 else ""
        parser.parse(text.splitlines())
        parser.modified()  # without it, the parser refuses everything
        return parser


def _network_problem(exc: httpx.TransportError, deadline: float | None) -> _Retryable:
    slow = "the server is too slow; raise TOCSIN_READ_TIMEOUT or try later"
    if deadline is not None:
        return _Retryable(f"timed out (no complete response within {deadline:g} s)", slow)
    if isinstance(exc, httpx.TimeoutException):
        return _Retryable(f"timed out ({type(exc).__name__})", slow)
    reason = _one_line(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return _Retryable(f"could not connect ({reason})", "check the address and your network")
    if isinstance(exc, httpx.NetworkError):
        return _Retryable(f"connection lost ({reason})", "try later")
    return _Retryable(f"bad response ({_one_line(exc)})", "the site is broken; try later")


def _join(url: str, location: str) -> str:
    try:
        return str(httpx.URL(url).join(location.strip()))
    except (httpx.InvalidURL, ValueError):
        problem = f"redirected to an invalid address {location[:80]!r}"
        raise FetchError(url, problem, "the site is broken") from None


def _status_problem(status: int) -> tuple[str, str]:
    problem = f"HTTP {status} {httpx.codes.get_reason_phrase(status)}".rstrip()
    advice = "the site is failing; try later" if status >= 500 else "check the address"
    return problem, _STATUS_ADVICE.get(status, advice)


def _check_type(url: str, media: str, accept: _Accept) -> None:
    if accept is None or any(
        media == pattern or (pattern.endswith("*") and media.startswith(pattern[:-1]))
        for pattern in accept
    ):
        return
    problem = f"got {media[:80] or 'no content type'}, expected {', '.join(sorted(accept))}"
    raise FetchError(url, problem, "give the address of such a document")


def _media_type(header: str) -> tuple[str, str | None]:
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower(), charset


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header in seconds, if at most 30 (a date is ignored)."""
    try:
        seconds = float(value or "")
    except ValueError:
        return None
    return max(seconds, 0.0) if seconds <= 30 else None


def _size(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n:,} bytes"


def _one_line(what: object) -> str:
    """`what` as printable text on one line, at most 200 characters."""
    text = " ".join(str(what).split())[:200]
    return "".join(c if c.isprintable() else "?" for c in text)
