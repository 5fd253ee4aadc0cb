"""Reading and building without a store: inputs sniffed into values, pages into
documents with stable ids, copies told by the fingerprint index."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.factories import article_html, article_text
from tocsin.errors import InputError
from tocsin.ingest.dedup import CopyIndex, came_first
from tocsin.ingest.documents import Hints, build_document, settle_comments
from tocsin.ingest.fetch import Fetcher
from tocsin.ingest.read import (
    FeedItem,
    Page,
    Unreadable,
    folder_files,
    read_bytes,
    read_entry,
    read_file,
)
from tocsin.knowledge.outlets import OutletRegistry
from tocsin.models import Comment, Kind

NOW = datetime(2025, 10, 5, 8, 0, tzinfo=UTC)
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Le Fil</title>
<item><title>Sans texte</title></item>
<item><title>Lien</title><link>https://example.org/a</link></item>
</channel></rss>"""


def _no_fetcher() -> Fetcher:
    raise AssertionError("nothing to fetch")


def test_bytes_are_sniffed_into_values(tmp_path: Path) -> None:
    [page] = read_bytes(article_html(1).encode(), origin="a.html", min_words=20)
    assert isinstance(page, Page) and page.page.origin == "a.html" and page.outlet is None
    [text] = read_bytes(article_text(2).encode(), origin="a", min_words=20)
    assert isinstance(text, Page)
    # a short text is a document (issue 16): it used to be refused as "too little text"
    [short] = read_bytes(b"trop court", origin="b.txt", suffix=".txt", min_words=20)
    assert isinstance(short, Page) and short.page.text == "trop court"
    [blank] = read_bytes(b" \n\n ", origin="e.txt", suffix=".txt", min_words=20)
    assert (
        isinstance(blank, Unreadable)
        and blank.error == "e.txt: no text; check the file: it is empty or blank"
    )
    lines = read_bytes(b'{"text": "x"}\nnot json\n', origin="c.jsonl", min_words=1)
    assert all(isinstance(item, Page | Unreadable) for item in lines)
    with pytest.raises(InputError):
        list(read_bytes(b"\x00\x01\x02" * 100, origin="d.bin", min_words=1))


def test_feed_items_are_read_lazily() -> None:
    blank, linked = read_bytes(FEED, origin="feed.xml", min_words=20)
    assert isinstance(blank, FeedItem) and isinstance(linked, FeedItem)
    assert (blank.origin, linked.origin, linked.link, linked.outlet) == (
        "feed.xml#1", "https://example.org/a", "https://example.org/a", "Le Fil",
    )  # fmt: skip
    [skipped] = read_entry(blank, fetcher=_no_fetcher, min_words=20)
    assert skipped == Unreadable(
        "feed.xml#1", "feed.xml#1: feed item has no text and no link; skipped"
    )


def test_folders_and_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no HTML"):
        folder_files(tmp_path)
    (tmp_path / "a.html").write_text(article_html(1))
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "b.html").write_text(article_html(2))
    (tmp_path / "c.bin").write_bytes(b"x")
    assert folder_files(tmp_path) == [tmp_path / "a.html"]
    with pytest.raises(InputError, match="no such file"):
        list(read_file(tmp_path / "nope.html", max_bytes=10**6, min_words=20))
    with pytest.raises(InputError, match="MB limit"):
        list(read_file(tmp_path / "a.html", max_bytes=10, min_words=20))


def test_documents_are_built_with_stable_ids() -> None:
    [item] = read_bytes(article_html(3).encode(), origin="a.html", min_words=20)
    assert isinstance(item, Page)
    registry, langs = OutletRegistry.load(), ("fr", "en")
    doc = build_document(item.page, registry=registry, languages=langs, fetched_at=NOW)
    hints = Hints(kind=Kind.ANALYSIS, source="X")
    again = build_document(
        item.page, registry=registry, languages=langs, fetched_at=NOW, hints=hints, outlet="Y"
    )
    assert doc.id == again.id == "d" + doc.content_hash[:16] and doc.fetched_at == NOW
    assert (again.kind, again.source.name) == (Kind.ANALYSIS, "X")
    thread = (
        Comment(id="1", text="Premier commentaire sur la situation", author="a"),
        Comment(id="2", text="Une réponse au premier", author="b", parent_id="1"),
    )
    first, reply = settle_comments(doc.id, thread, languages=langs, hint="fr")
    assert first.id.startswith(f"{doc.id}-") and reply.parent_id == first.id
    assert settle_comments(doc.id, thread, languages=langs, hint="fr") == (first, reply)
    assert first.language == "fr"


def test_copy_index_tells_exact_and_near_copies() -> None:
    text = article_text(4)
    copies = CopyIndex([], threshold=0.8)
    sig, original = copies.near_copy(text)
    assert original is None and copies.exact("h") is None
    copies.add("d1", "h", sig, duplicate_of=None)
    assert copies.exact("h") == "d1"
    assert copies.near_copy(text + " Fin.")[1] == "d1"
    assert came_first(NOW.replace(year=2024), NOW) and not came_first(None, NOW)
