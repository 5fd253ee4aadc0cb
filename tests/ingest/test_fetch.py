"""Fetching against a real HTTP server on 127.0.0.1: no mock of the network."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.httpserver import LocalServer
from tocsin.errors import FetchError
from tocsin.ingest.fetch import Fetcher, FetchLimits, Response, check_address

pytestmark = pytest.mark.timeout(20)

# Loopback is the test network: most tests allow it, and wait for no one.
LOCAL = FetchLimits(allow_private=True, respect_robots=False, min_interval=0.0, retries=0)
HTML = {"Content-Type": "text/html; charset=utf-8"}


@dataclass
class Clock:
    """A fake monotonic clock; `sleep` records the delay and moves time on."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def fetcher(clock: Clock | None = None, **changes: object) -> Fetcher:
    clock = clock or Clock()
    limits = replace(LOCAL, **changes)  # type: ignore[arg-type]
    return Fetcher(limits=limits, clock=clock, sleep=clock.sleep)


def fetch_error(fetcher: Fetcher, url: str, **kwargs: object) -> str:
    with fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(url + ": ")
    return message


# -- normal fetch and conditional GET --------------------------------------------------


def test_fetch_returns_body_type_charset_and_validators(local_server: LocalServer) -> None:
    headers = {**HTML, "ETag": '"v1"', "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT"}
    local_server.route("/page", body=b"<p>hello</p>", headers=headers)
    with fetcher() as f:
        response = f.fetch(local_server.url("/page"), accept={"text/html"})
    assert response == Response(
        url=local_server.url("/page"),
        status=200,
        content=b"<p>hello</p>",
        content_type="text/html",
        charset="utf-8",
        etag='"v1"',
        last_modified="Wed, 21 Oct 2015 07:28:00 GMT",
    )
    sent = local_server.requests["/page"][0]
    assert sent["user-agent"] == FetchLimits().user_agent
    assert sent["accept"] == "text/html"


def test_conditional_get_sends_validators_and_returns_not_modified(
    local_server: LocalServer,
) -> None:
    local_server.route("/feed", status=304, headers={"ETag": '"v1"'})
    with fetcher() as f:
        response = f.fetch(
            local_server.url("/feed"), etag='"v1"', last_modified="Wed, 21 Oct 2015 07:28:00 GMT"
        )
    assert response.not_modified
    assert (response.status, response.content, response.etag) == (304, b"", '"v1"')
    sent = local_server.requests["/feed"][0]
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Wed, 21 Oct 2015 07:28:00 GMT"


def test_plain_get_sends_no_validators(local_server: LocalServer) -> None:
    local_server.route("/feed", body=b"x")
    with fetcher() as f:
        f.fetch(local_server.url("/feed"))
    assert "if-none-match" not in local_server.requests["/feed"][0]
    assert "if-modified-since" not in local_server.requests["/feed"][0]


# -- redirects -------------------------------------------------------------------------


def test_redirect_is_followed_to_the_final_url(local_server: LocalServer) -> None:
    local_server.redirect("/old", "new", status=301)  # relative Location
    local_server.route("/new", body=b"moved here")
    with fetcher() as f:
        response = f.fetch(local_server.url("/old"))
    assert (response.url, response.content) == (local_server.url("/new"), b"moved here")


@pytest.mark.parametrize(("hops", "ok"), [(5, True), (6, False)])
def test_redirect_chain_limit(local_server: LocalServer, hops: int, ok: bool) -> None:
    for i in range(hops):
        local_server.redirect(f"/r{i}", f"/r{i + 1}")
    local_server.route(f"/r{hops}", body=b"end")
    if ok:
        with fetcher(max_redirects=5) as f:
            assert f.fetch(local_server.url("/r0")).content == b"end"
    else:
        message = fetch_error(fetcher(max_redirects=5), local_server.url("/r0"))
        assert "more than 5 redirects" in message
        assert local_server.hits[f"/r{hops}"] == 0


def test_redirect_loop_is_refused(local_server: LocalServer) -> None:
    local_server.redirect("/a", "/b")
    local_server.redirect("/b", "/a")
    message = fetch_error(fetcher(), local_server.url("/a"))
    assert "redirect loop" in message
    assert local_server.hits == {"/a": 1, "/b": 1}


def test_redirect_to_another_scheme_is_refused(local_server: LocalServer) -> None:
    local_server.redirect("/a", "file:///etc/passwd")
    message = fetch_error(fetcher(), local_server.url("/a"))
    assert "unsupported scheme 'file'" in message
    assert "(redirected to file:" in message


# -- private addresses -----------------------------------------------------------------


def fake_dns(table: dict[str, list[str]]) -> Callable[[str], list[str]]:
    def resolve(host: str) -> list[str]:
        if host not in table:
            raise socket.gaierror(f"unknown host {host}")
        return table[host]

    return resolve


def test_loopback_refused_before_any_request(local_server: LocalServer) -> None:
    url = local_server.url("/")
    message = fetch_error(fetcher(allow_private=False), url)
    assert message == (
        f"{url}: refused, the address 127.0.0.1 is loopback; "
        "pass --allow-private to fetch from private networks"
    )
    assert sum(local_server.hits.values()) == 0


def test_loopback_allowed_when_told(local_server: LocalServer) -> None:
    local_server.route("/", body=b"ok")
    with fetcher(allow_private=True) as f:
        assert f.fetch(local_server.url("/")).content == b"ok"


def test_name_resolving_to_a_private_address_is_refused() -> None:
    resolver = fake_dns({"evil.example": ["10.1.2.3"]})
    f = Fetcher(limits=replace(LOCAL, allow_private=False), resolver=resolver)
    message = fetch_error(f, "http://evil.example/x")
    assert "refused, the address 10.1.2.3 is private" in message


def test_peer_address_is_checked_after_connecting(local_server: LocalServer) -> None:
    """DNS rebinding: the check saw a public address, the connection went to loopback."""
    resolver = fake_dns({"localhost": ["93.184.216.34"]})
    limits = replace(LOCAL, allow_private=False)
    url = local_server.url("/", host="localhost")
    message = fetch_error(Fetcher(limits=limits, resolver=resolver), url)
    assert "refused, the address 127.0.0.1 is loopback" in message
    assert sum(local_server.hits.values()) == 0


class PublicAlias(httpx.BaseTransport):
    """Routes public.example to the local server, as if the public DNS pointed there."""

    def __init__(self, server: LocalServer) -> None:
        self.port = server.port
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == "public.example", "no other host may be reached"
        url = request.url.copy_with(host="127.0.0.1", port=self.port)
        return self.inner.handle_request(httpx.Request("GET", url, headers=request.headers))


def test_redirect_to_a_private_address_is_refused(local_server: LocalServer) -> None:
    local_server.redirect("/go", "http://evil.example/secret")
    dns = fake_dns({"public.example": ["93.184.216.34"], "evil.example": ["10.1.2.3"]})
    limits = replace(LOCAL, allow_private=False)
    transport = PublicAlias(local_server)
    with (
        Fetcher(limits=limits, resolver=dns, transport=transport) as f,
        pytest.raises(FetchError) as info,
    ):
        f.fetch("http://public.example/go")
    assert str(info.value) == (
        "http://public.example/go: refused, the address 10.1.2.3 is private "
        "(redirected to http://evil.example/secret); "
        "pass --allow-private to fetch from private networks"
    )
    assert local_server.hits == {"/go": 1}


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.5/x", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://127.0.0.1:8080/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://240.0.0.1/", "reserved"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[fc00::1]/", "private"),
        ("http://100.64.0.1/", "not public"),
        ("http://[2002:a00:1::]/", "private"),  # 6to4 wrapping 10.0.0.1
    ],
)
def test_check_address_refuses_non_public_addresses(url: str, reason: str) -> None:
    with pytest.raises(FetchError, match=f"is {reason}; pass --allow-private"):
        check_address(url, allow_private=False, resolver=fake_dns({}))
    check_address(url, allow_private=True)


def test_check_address_checks_every_resolved_address() -> None:
    dns = fake_dns({"mixed.example": ["93.184.216.34", "10.9.9.9"], "ok.example": ["1.1.1.1"]})
    with pytest.raises(FetchError, match=re.escape("10.9.9.9 is private")):
        check_address("https://mixed.example/", resolver=dns)
    check_address("https://ok.example/", resolver=dns)
    check_address("http://[::ffff:8.8.8.8]/")
    with pytest.raises(FetchError, match=re.escape("cannot resolve nowhere.example")):
        check_address("http://nowhere.example/", resolver=dns)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)", "example.org"]
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match=r"unsupported scheme .*; give an http:// or https://"):
        check_address(url, allow_private=True)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60) | st.text(max_size=40).map(lambda s: "http://" + s))
def test_hostile_urls_raise_only_fetch_error(url: str) -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no network in this test")

    limits = replace(LOCAL, allow_private=False)
    transport = httpx.MockTransport(unreachable)
    with (
        Fetcher(limits=limits, resolver=fake_dns({}), transport=transport) as f,
        pytest.raises(FetchError) as info,
    ):
        f.fetch(url)
    assert "\n" not in str(info.value)


# -- time and size -----------------------------------------------------------------------


def test_slow_server_times_out_quickly(local_server: LocalServer) -> None:
    local_server.route("/slow", body=b"late", delay=3.0)
    started = time.monotonic()
    message = fetch_error(fetcher(read_timeout=0.3), local_server.url("/slow"))
    assert "timed out (" in message
    assert "the server is too slow; raise TOCSIN_READ_TIMEOUT" in message
    assert time.monotonic() - started < 2.0


def test_trickling_body_is_cut_by_the_total_deadline(local_server: LocalServer) -> None:
    local_server.route("/drip", headers=HTML, trickle=50)  # one byte every 20 ms, for 30 s
    started = time.monotonic()
    message = fetch_error(fetcher(read_timeout=0.6), local_server.url("/drip"))
    assert "timed out (no complete response within 0.6 s)" in message
    assert time.monotonic() - started < 2.0


def test_deadline_holds_on_a_transport_that_keeps_connections(local_server: LocalServer) -> None:
    local_server.route("/ok", body=b"ok")
    local_server.route("/drip", trickle=50)
    limits = replace(LOCAL, read_timeout=0.6)
    with Fetcher(limits=limits, transport=httpx.HTTPTransport()) as f:
        assert f.fetch(local_server.url("/ok")).content == b"ok"
        with pytest.raises(FetchError, match="timed out"):
            f.fetch(local_server.url("/drip"))
    assert local_server.requests["/ok"][0]["connection"] == "close"


def test_body_too_large_by_content_length(local_server: LocalServer) -> None:
    local_server.route("/big", body=b"x" * 2000)
    message = fetch_error(fetcher(max_bytes=1000), local_server.url("/big"))
    assert "body larger than 1,000 bytes; raise it with --max-bytes or TOCSIN_MAX_BYTES" in message


def test_body_too_large_while_streaming(local_server: LocalServer) -> None:
    local_server.route("/big", body=b"x" * 3_000_000, chunked=True)
    message = fetch_error(fetcher(max_bytes=1_000_000), local_server.url("/big"))
    assert "body larger than 1 MB" in message
    assert "content-length" not in local_server.requests["/big"][0]


def test_body_at_the_limit_is_accepted(local_server: LocalServer) -> None:
    local_server.route("/exact", body=b"x" * 1000, chunked=True)
    with fetcher(max_bytes=1000) as f:
        assert len(f.fetch(local_server.url("/exact")).content) == 1000


def test_unwanted_content_type_is_refused(local_server: LocalServer) -> None:
    local_server.route("/page", body=b"<html></html>", headers=HTML)
    message = fetch_error(
        fetcher(), local_server.url("/page"), accept={"application/rss+xml", "application/xml"}
    )
    assert "got text/html, expected application/rss+xml, application/xml" in message
    with fetcher() as f:
        assert f.fetch(local_server.url("/page"), accept=["TEXT/*"]).content_type == "text/html"


# -- retries ---------------------------------------------------------------------------


def test_503_is_retried_with_back_off(local_server: LocalServer) -> None:
    local_server.route("/flaky", status=503)
    local_server.route("/flaky", status=503)
    local_server.route("/flaky", body=b"at last")
    clock = Clock()
    with fetcher(clock, retries=2, backoff=0.5) as f:
        assert f.fetch(local_server.url("/flaky")).content == b"at last"
    assert clock.sleeps == [0.5, 1.0]
    assert local_server.hits["/flaky"] == 3


def test_small_retry_after_is_honoured_and_large_one_ignored(local_server: LocalServer) -> None:
    local_server.route("/busy", status=429, headers={"Retry-After": "7"})
    local_server.route("/busy", status=503, headers={"Retry-After": "3600"})
    local_server.route("/busy", body=b"ok")
    clock = Clock()
    with fetcher(clock, retries=2, backoff=0.5) as f:
        assert f.fetch(local_server.url("/busy")).content == b"ok"
    assert clock.sleeps == [7.0, 1.0]


def test_persistent_503_fails_after_the_last_retry(local_server: LocalServer) -> None:
    local_server.route("/down", status=503)
    clock = Clock()
    message = fetch_error(fetcher(clock, retries=2, backoff=0.5), local_server.url("/down"))
    assert message.endswith(
        ": HTTP 503 Service Unavailable after 3 attempts; the site is failing; try later"
    )
    assert local_server.hits["/down"] == 3
    assert clock.sleeps == [0.5, 1.0]


def test_404_is_not_retried(local_server: LocalServer) -> None:
    clock = Clock()
    message = fetch_error(fetcher(clock, retries=2), local_server.url("/missing"))
    assert message == f"{local_server.url('/missing')}: HTTP 404 Not Found; check the address"
    assert local_server.hits["/missing"] == 1
    assert clock.sleeps == []


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as sock:  # a port where nobody listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    clock = Clock()
    message = fetch_error(fetcher(clock, retries=1, backoff=0.25), f"http://127.0.0.1:{port}/")
    assert "could not connect" in message
    assert "after 2 attempts" in message
    assert clock.sleeps == [0.25]


# -- robots.txt and rate limit -----------------------------------------------------------

ROBOTS = [
    b"User-agent: *\nDisallow: /private\n",
    # Only the group naming us applies (RFC 9309), not the one for everyone else.
    b"User-agent: *\nDisallow: /\n\nUser-agent: tocsin\nDisallow: /private\n",
]


@pytest.mark.parametrize("robots", ROBOTS)
def test_robots_txt_is_respected_and_read_once(local_server: LocalServer, robots: bytes) -> None:
    local_server.route("/robots.txt", body=robots, headers={"Content-Type": "text/plain"})
    local_server.route("/public", body=b"ok")
    with fetcher(respect_robots=True) as f:
        assert f.fetch(local_server.url("/public")).content == b"ok"
        url = local_server.url("/private/x")
        with pytest.raises(FetchError) as info:
            f.fetch(url)
    assert str(info.value) == (
        f"{url}: disallowed by the site's robots.txt; "
        "set TOCSIN_RESPECT_ROBOTS=0 only if you are entitled to fetch it anyway"
    )
    assert local_server.hits == {"/robots.txt": 1, "/public": 1}


def test_robots_txt_not_found_allows_everything(local_server: LocalServer) -> None:
    local_server.route("/page", body=b"ok")
    with fetcher(respect_robots=True) as f:
        assert f.fetch(local_server.url("/page")).content == b"ok"
    assert local_server.hits == {"/robots.txt": 1, "/page": 1}


def test_robots_txt_server_error_disallows(local_server: LocalServer) -> None:
    local_server.route("/robots.txt", status=500)
    local_server.route("/page", body=b"ok")
    message = fetch_error(fetcher(respect_robots=True), local_server.url("/page"))
    assert "robots.txt could not be read (HTTP 500 Internal Server Error)" in message
    assert local_server.hits["/page"] == 0


def test_rate_limit_spaces_requests_to_one_host(local_server: LocalServer) -> None:
    local_server.route("/a", body=b"a")
    local_server.route("/b", body=b"b")
    clock = Clock()
    with fetcher(clock, min_interval=1.0, respect_robots=True) as f:
        f.fetch(local_server.url("/a"))  # robots.txt first, then /a one second later
        clock.now += 0.25
        f.fetch(local_server.url("/b"))
        f.fetch(local_server.url("/a", host="localhost"))  # another host: no wait for robots
    assert clock.sleeps == [1.0, 0.75, 1.0]
    assert local_server.hits["/robots.txt"] == 2
