from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.factories import article_text
from tests.httpserver import LocalServer
from tocsin.app.pipeline import ItemResult, Pipeline
from tocsin.app.watch import WatchedFeed, load_watch_config, run_watch
from tocsin.config import Settings
from tocsin.errors import ConfigError
from tocsin.store import open_store


def _feed(title: str, n: int, offset: int = 0) -> bytes:
    items = "".join(
        f"<item><title>{title} {i}</title><link>https://feed.example/{title}/{i}</link>"
        f"<pubDate>Tue, 04 Nov 2025 08:00:00 GMT</pubDate>"
        f"<description><![CDATA[<p>{article_text(sum(map(ord, title)) * 100 + i)}</p>]]>"
        "</description></item>"
        for i in range(offset, offset + n)
    )
    channel = f"<channel><title>{title}</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def test_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "w.toml"
    cfg.write_text(
        '[[feed]]\nurl = "https://a.example/rss"\ninterval = "15m"\nkind = "news"\n'
        '[[feed]]\nurl = "https://b.example/rss"\ninterval = 3600\nsource = "B"\n'
    )
    feeds = load_watch_config(cfg)
    assert [f.interval for f in feeds] == [900.0, 3600.0]
    assert feeds[1].source == "B"
    cfg.write_text('[[feed]]\nurl = "https://a.example/rss"\ninterval = "soon"\n')
    with pytest.raises(ConfigError, match="interval 'soon' not understood"):
        load_watch_config(cfg)
    cfg.write_text("")
    with pytest.raises(ConfigError, match="no \\[\\[feed\\]\\] entries"):
        load_watch_config(cfg)


@pytest.mark.timeout(30)
def test_failing_feed_is_retried_and_others_go_on(
    tmp_path: Path, local_server: LocalServer
) -> None:
    local_server.route(
        "/good.xml", body=_feed("good", 2), headers={"Content-Type": "application/rss+xml"}
    )
    local_server.route(
        "/good.xml",
        body=_feed("good", 2, offset=2),
        headers={"Content-Type": "application/rss+xml"},
    )
    local_server.route("/flaky.xml", status=500)
    local_server.route("/flaky.xml", body=_feed("flaky", 1), headers={"Content-Type": "text/xml"})
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    pipeline = Pipeline(
        store, Settings(allow_private=True, min_interval=0.0, retries=0, extract=False)
    )
    feeds = [
        WatchedFeed(url=local_server.url("/good.xml"), interval=1.0),
        WatchedFeed(url=local_server.url("/flaky.xml"), interval=1.0),
    ]
    results: list[ItemResult] = []
    errors: list[str] = []
    stop = threading.Event()
    worker = threading.Thread(
        target=run_watch,
        args=(pipeline, feeds),
        kwargs={
            "on_result": results.append,
            "on_error": errors.append,
            "stop": stop,
            "retry_first": 0.2,
        },
    )
    worker.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and sum(r.status == "new" for r in results) < 5:
        time.sleep(0.05)
    stop.set()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert len(errors) >= 1 and "HTTP 500" in errors[0] and "retrying in" in errors[0]
    titles = sorted(r.title or "" for r in results if r.status == "new")
    assert titles == ["flaky 0", "good 0", "good 1", "good 2", "good 3"]
    assert store.feed_state(local_server.url("/flaky.xml")) is not None
