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
from tocsin.extract.annotate import Extractor
from tocsin.extract.nlp import Models
from tocsin.geo.gazetteer import Gazetteer
from tocsin.models import Form, Kind
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


# ---------------------------------------------------------------- short reports (issue 16)

ONE_LINE = "Le JNIM a attaqué un convoi de camions-citernes près de Ségou."
TWO_SENTENCES = (
    "Des hommes armés ont incendié trois camions près de Kati (Koulikoro) mardi. "
    "Deux chauffeurs ont été tués, selon une source sécuritaire."
)
OTHER_NOTE = "Des militaires ont été déployés à Kayes après une attaque contre un poste."


@pytest.fixture(scope="module")
def extractor(models: Models, gazetteer: Gazetteer) -> Extractor:
    return Extractor(models=models, gazetteer=gazetteer)


def _short_input(path: str, note: str, tmp_path: Path) -> tuple[str, io.BytesIO | None]:
    """``note`` given the way ``path`` says, with another note beside it where the input
    holds several (a folder of notes, JSON lines)."""
    if path == "file":
        (tmp_path / "note.txt").write_text(note + "\n", encoding="utf-8")
        return str(tmp_path / "note.txt"), None
    if path == "folder":
        folder = tmp_path / "notes"
        folder.mkdir()
        (folder / "a.txt").write_text(note, encoding="utf-8")
        (folder / "b.md").write_text(OTHER_NOTE + "\n", encoding="utf-8")
        return str(folder), None
    if path == "jsonl":
        lines = [{"text": note, "language": "fr"}, {"text": OTHER_NOTE}]
        (tmp_path / "notes.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
        return str(tmp_path / "notes.jsonl"), None
    return "-", io.BytesIO(note.encode())


@pytest.mark.parametrize("note", [ONE_LINE, TWO_SENTENCES], ids=["one-line", "two-sentences"])
@pytest.mark.parametrize("path", ["file", "folder", "jsonl", "stdin"])
def test_short_reports_are_stored_and_extracted_by_every_path(
    tmp_path: Path, extractor: Extractor, path: str, note: str
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'tocsin.db'}")
    pipeline = Pipeline(store, Settings(), extractor=extractor)
    raw, stdin = _short_input(path, note, tmp_path)
    results = list(pipeline.ingest([raw], stdin=stdin))
    assert [r.status for r in results] == ["new"] * (2 if path in ("folder", "jsonl") else 1)
    docs = {d.text: d for r in results if (d := store.get_document(r.doc_id or ""))}
    doc = docs[note]  # the body is the whole note, never emptied for a title
    assert doc.form is Form.REPORT and doc.language == "fr"
    if path in ("folder", "jsonl"):
        assert docs[OTHER_NOTE].form is Form.REPORT
    extracted = {r.doc_id: r for r in pipeline.extract([r.doc_id or "" for r in results])}
    ann = extracted[doc.id].annotations
    assert extracted[doc.id].status == "extracted" and ann is not None
    assert ann.places and ann.events, (ann.places, ann.events)
    assert store.load_annotations(doc.id) == ann


def test_articles_keep_their_form_and_navigation_pages_are_refused(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    (tmp_path / "a.html").write_text(article_html(50))
    (tmp_path / "post.html").write_text(
        f"<html><body><article><p>{TWO_SENTENCES}</p></article></body></html>"
    )
    (tmp_path / "home.html").write_text(
        "<html><body><nav><a href='/'>Accueil</a></nav><ul><li><a href='/1'>Mali : Kati</a>"
        "</li><li><a href='/2'>Niger : Niamey</a></li></ul></body></html>"
    )
    (tmp_path / "blank.txt").write_text("\n  \n")
    results = {Path(r.origin).name: r for r in pipeline.ingest([str(tmp_path)])}
    assert {k: r.status for k, r in results.items()} == {
        "a.html": "new", "post.html": "new", "home.html": "failed", "blank.txt": "failed",
    }  # fmt: skip
    assert "does not look like an article" in (results["home.html"].error or "")
    assert (
        results["blank.txt"].error
        == f"{tmp_path / 'blank.txt'}: no text; check the file: it is empty or blank"
    )
    article = pipeline.store.get_document(results["a.html"].doc_id or "")
    post = pipeline.store.get_document(results["post.html"].doc_id or "")
    assert article is not None and article.form is Form.ARTICLE
    assert post is not None and post.form is Form.REPORT and post.text == TWO_SENTENCES


def test_a_short_feed_post_is_kept_when_its_page_holds_no_article(
    pipeline: Pipeline, local_server: LocalServer
) -> None:
    local_server.route(
        "/post/1",
        body=b"<html><body><nav><a href='/'>Accueil</a></nav></body></html>",
        headers={"Content-Type": "text/html"},
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Posts</title>'
        f"<item><title>Post</title><link>{local_server.url('/post/1')}</link>"
        f"<description>{ONE_LINE}</description></item></channel></rss>"
    ).encode()
    local_server.route("/posts.xml", body=feed, headers={"Content-Type": "application/rss+xml"})
    [result] = list(pipeline.poll_feed(local_server.url("/posts.xml")))
    assert result.status == "new" and local_server.hits["/post/1"] == 1
    doc = pipeline.store.get_document(result.doc_id or "")
    assert doc is not None and doc.text == ONE_LINE and doc.form is Form.REPORT
