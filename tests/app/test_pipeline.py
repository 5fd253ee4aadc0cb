from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest

from tests.factories import article_html, article_text
from tests.httpserver import LocalServer
from tocsin.app.pipeline import Hints, ItemResult, Pipeline
from tocsin.config import Settings
from tocsin.models import Kind
from tocsin.store import Store, open_store

WP_COMMENTS = """<div id="comments"><h2 class="comments-title">2 commentaires</h2>
<ol class="comment-list"><li id="comment-1" class="comment"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Moussa</b></div>
<div class="comment-metadata"><time datetime="2025-11-04T10:00:00+00:00">4 novembre 2025</time>
</div></footer><div class="comment-content"><p>Les escortes ne suffisent plus.</p></div>
</article><ol class="children"><li id="comment-2" class="comment"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Awa</b></div>
</footer><div class="comment-content"><p>Tout à fait d'accord avec vous.</p></div></article>
</li></ol></li></ol></div>"""


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'tocsin.db'}")


@pytest.fixture
def pipeline(store: Store) -> Pipeline:
    settings = Settings(min_interval=0.0, retries=0, allow_private=True, read_timeout=5.0)
    return Pipeline(store, settings)


def _statuses(results: list[ItemResult]) -> Counter[str]:
    return Counter(r.status for r in results)


def test_folder_ingested_once_and_copies_linked(pipeline: Pipeline, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.html").write_text(article_html(i, comments_html=WP_COMMENTS))
    text = article_text(0)
    (folder / "copy.txt").write_text("Blocus : la reprise\nPar Agence X\n\n" + text + " Fin.")
    (folder / "notes.bin").write_bytes(b"\x00\x01")  # not a known extension: ignored
    first = list(pipeline.ingest([str(folder)]))
    assert _statuses(first) == {"new": 5, "near-copy": 1}
    copy = next(r for r in first if r.status == "near-copy")
    assert copy.duplicate_of == next(r.doc_id for r in first if r.origin.endswith("a0.html"))
    assert all(r.comments == 2 for r in first if r.origin.endswith(".html"))
    again = list(pipeline.ingest([str(folder)]))
    assert _statuses(again) == {"duplicate": 6}
    assert pipeline.store.count_documents() == 6


def test_threads_are_kept_with_stable_ids(pipeline: Pipeline, tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(article_html(7, comments_html=WP_COMMENTS))
    [result] = list(pipeline.ingest([str(page)]))
    doc = pipeline.store.get_document(result.doc_id or "")
    assert doc is not None
    assert [c.author for c in doc.comments] == ["Moussa", "Awa"]
    assert doc.comments[1].parent_id == doc.comments[0].id
    assert all(c.language == "fr" for c in doc.comments)
    assert "escortes ne suffisent" not in doc.text


def test_same_article_with_more_comments_adds_them(pipeline: Pipeline, tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(article_html(8))
    list(pipeline.ingest([str(page)]))
    page.write_text(article_html(8, comments_html=WP_COMMENTS))
    [result] = list(pipeline.ingest([str(page)]))
    assert result.status == "updated" and result.comments == 2
    assert pipeline.store.count_documents() == 1


def test_bad_inputs_fail_alone_with_one_line(pipeline: Pipeline, tmp_path: Path) -> None:
    good = tmp_path / "good.html"
    good.write_text(article_html(9))
    pdf = tmp_path / "report.html"
    pdf.write_bytes(b"%PDF-1.4 \x00\x01")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2_000)
    small = Pipeline(pipeline.store, Settings(max_bytes=1_000))
    results = list(pipeline.ingest([str(tmp_path / "missing.txt"), str(pdf), str(good)]))
    results += list(small.ingest([str(big)]))
    assert [r.status for r in results] == ["failed", "failed", "new", "failed"]
    for r in results:
        if r.error:
            assert "\n" not in r.error and r.error.startswith(r.origin.split(":")[0])
    assert "no such file" in (results[0].error or "")
    assert "PDF" in (results[1].error or "")
    assert "--max-bytes" in (results[3].error or "")


def test_jsonl_bad_lines_do_not_stop_the_others(pipeline: Pipeline, tmp_path: Path) -> None:
    lines = [
        {
            "url": "https://a.example/1",
            "title": "Un",
            "source": "Agence A",
            "language": "fr",
            "published": "2025-11-04",
            "text": article_text(10),
            "kind": "news",
            "comments": [
                {"id": "x", "text": "Premier"},
                {"id": "y", "parent_id": "x", "text": "Non"},
            ],
        },
        "not json",
        {"title": "no text"},
        {"url": "https://b.example/2", "title": "Two", "text": article_text(11, lang="en")},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines))
    results = list(pipeline.ingest([str(path)]))
    assert [r.status for r in results] == ["new", "failed", "failed", "new"]
    assert results[1].origin.endswith("export.jsonl:2")
    assert results[3].language == "en"
    doc = pipeline.store.get_document(results[0].doc_id or "")
    assert doc is not None and doc.source.name == "Agence A" and doc.kind is Kind.NEWS
    assert doc.comments[1].parent_id == doc.comments[0].id


def test_stdin_and_hints(pipeline: Pipeline) -> None:
    data = ("Communiqué n°12\n\n" + article_text(12)).encode()
    results = list(
        pipeline.ingest(
            ["-"], stdin=io.BytesIO(data), hints=Hints(kind=Kind.OFFICIAL, source="Gouv")
        )
    )
    assert results[0].status == "new"
    doc = pipeline.store.get_document(results[0].doc_id or "")
    assert doc is not None and doc.kind is Kind.OFFICIAL and doc.source.name == "Gouv"
    assert doc.title == "Communiqué n°12"


def _rss(server: LocalServer, n: int) -> bytes:
    items = "".join(
        f"<item><title>Article {i}</title><link>{server.url(f'/a/{i}')}</link>"
        f"<pubDate>Tue, 04 Nov 2025 0{i}:00:00 GMT</pubDate><description>court</description></item>"
        for i in range(n)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel Veille</title>'
        f"<language>fr</language>{items}</channel></rss>"
    ).encode()


def test_feed_over_http_fetches_links_and_uses_conditional_get(
    pipeline: Pipeline, local_server: LocalServer
) -> None:
    for i in range(3):
        local_server.route(
            f"/a/{i}",
            body=article_html(20 + i).encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
    local_server.route(
        "/feed.xml",
        body=_rss(local_server, 3),
        headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'},
    )
    local_server.route("/feed.xml", status=304, headers={"ETag": '"v1"'})  # next answer
    url = local_server.url("/feed.xml")
    first = list(pipeline.poll_feed(url))
    assert _statuses(first) == {"new": 3}
    assert list(pipeline.poll_feed(url)) == []
    assert local_server.requests["/feed.xml"][-1].get("if-none-match") == '"v1"'


def test_html_given_as_feed_says_so(pipeline: Pipeline, local_server: LocalServer) -> None:
    local_server.route(
        "/notfeed", body=article_html(30).encode(), headers={"Content-Type": "text/html"}
    )
    with pytest.raises(Exception) as caught:
        list(pipeline.poll_feed(local_server.url("/notfeed")))
    assert "not an RSS or Atom feed (got HTML)" in str(caught.value)
    assert "tocsin ingest" in str(caught.value)


def test_private_address_refused_without_the_flag(store: Store, local_server: LocalServer) -> None:
    local_server.route("/a", body=article_html(31).encode(), headers={"Content-Type": "text/html"})
    strict = Pipeline(store, Settings(min_interval=0.0, retries=0))
    [result] = list(strict.ingest([local_server.url("/a")]))
    assert result.status == "failed" and "--allow-private" in (result.error or "")
    assert local_server.hits["/a"] == 0


def test_disqus_export_joins_stored_articles(pipeline: Pipeline, tmp_path: Path) -> None:
    link = "https://veilleur-sahel.example/2025/11/blocus-carburant-bamako/"
    page = tmp_path / "article.html"
    page.write_text(article_html(40, url=link))
    [article] = list(pipeline.ingest([str(page)]))
    export = Path(__file__).parents[1] / "fixtures" / "comments" / "disqus_export.xml"
    results = list(pipeline.ingest([str(export)]))
    by_link = {r.origin: r for r in results}
    assert by_link[link].status == "updated" and by_link[link].doc_id == article.doc_id
    expected = json.loads(export.with_name("disqus_export.expected.json").read_text())
    doc = pipeline.store.get_document(article.doc_id or "")
    assert doc is not None and len(doc.comments) == by_link[link].comments > 0
    assert [c.text for c in doc.comments] == [c["text"] for c in expected[link]]
    orphan = by_link["https://veilleur-sahel.example/2025/11/convois-kayes/"]
    assert orphan.status == "failed" and "ingest the article first" in (orphan.error or "")
    again = list(pipeline.ingest([str(export)]))
    assert {r.status for r in again} == {"duplicate", "failed"}
