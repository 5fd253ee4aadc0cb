"""The document list, the document page (highlights, legend, annotations, comment tree),
escaping of hostile text, and the documents API."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import login
from tocsin.models import (
    ActorRef,
    Annotations,
    Attribution,
    Comment,
    Document,
    EventReport,
    Judgment,
    Kind,
    PlaceRef,
    Source,
    Span,
    annotation_to_plain,
)
from tocsin.report.highlights import every_ref
from tocsin.store import Store
from tocsin.web.routers import document_pages
from tocsin.web.routers.document_pages import MAX_DEPTH, safe_href, thread_layout, thread_order

ROW = re.compile(r'<tr class="document-row" data-document-id="([^"]+)">')


def _store(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def _by_title(store: Store, start: str) -> Document:
    for row in store.list_document_rows(limit=500):
        if (row.title or "").startswith(start):
            doc = store.get_document(row.id)
            assert doc is not None
            return doc
    raise AssertionError(f"no demo document titled {start!r}")


class _Page(HTMLParser):
    """Reads #document-text (its text and the classes over each character) and the
    comment tree (each li.comment's nearest enclosing li.comment)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.classes: list[frozenset[str]] = []
        self.titles: dict[str, list[str]] = {}
        self.parents: dict[str, str | None] = {}
        self.depths: dict[str, int] = {}
        self._in_text = 0  # open divs since #document-text
        self._mark: frozenset[str] = frozenset()
        self._mark_text = ""
        self._title = ""
        self._stack: list[str | None] = []  # open <li>: comment id or None
        self._lists = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and (self._in_text or a.get("id") == "document-text"):
            self._in_text += 1
        if tag == "mark" and self._in_text:
            self._mark = frozenset((a.get("class") or "").split())
            self._title, self._mark_text = a.get("title") or "", ""
        if tag == "ul" and "comment-tree" in (a.get("class") or ""):
            self._lists += 1
        if tag == "li":
            cid = a.get("data-comment-id") if "comment" in (a.get("class") or "") else None
            if cid is not None:
                enclosing = [c for c in self._stack if c is not None]
                self.parents[cid] = enclosing[-1] if enclosing else None
                self.depths[cid] = self._lists - 1
            self._stack.append(cid)

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._in_text:
            self._in_text -= 1
        if tag == "mark" and self._in_text:
            self.titles.setdefault(self._mark_text, []).append(self._title)
            self._mark = frozenset()
        if tag == "ul" and self._lists:
            self._lists -= 1
        if tag == "li" and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_text:
            self.text += data
            self.classes.extend([self._mark] * len(data))
            if self._mark:
                self._mark_text += data


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_the_list_of_documents_newest_first(viewer_client: TestClient) -> None:
    store = _store(viewer_client)
    every = store.list_documents(limit=1000)  # the CLI's list: same order
    page = viewer_client.get("/documents")
    assert page.status_code == 200
    assert ROW.findall(page.text) == [r.id for r in every][: document_pages.PAGE_SIZE]
    assert f'<span id="documents-count">{store.count_documents()}</span>' in page.text
    first = every[0]
    assert f'<a href="/documents/{first.id}">' in page.text
    english = viewer_client.get("/documents?language=en")
    assert ROW.findall(english.text) == [r.id for r in every if r.language == "en"]
    source = next(r for r in every if r.comments).id
    doc = store.get_document(source)
    assert doc is not None
    by_source = viewer_client.get(f"/documents?source={doc.source.id}")
    same = [r.id for r in every if (d := store.get_document(r.id)) and d.source == doc.source]
    assert ROW.findall(by_source.text) == same
    assert f'<option value="{doc.source.id}">' in page.text
    assert ROW.findall(viewer_client.get("/documents?language=xx").text) == []


def test_pages_of_documents(viewer_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document_pages, "PAGE_SIZE", 5)
    ids = [r.id for r in _store(viewer_client).list_documents(limit=1000)]
    assert len(ids) > 10
    first = viewer_client.get("/documents").text
    assert ROW.findall(first) == ids[:5]
    assert '<a rel="next" href="/documents?offset=5">' in first
    assert ROW.findall(viewer_client.get("/documents?offset=5").text) == ids[5:10]


def test_a_demo_document_highlights_its_annotations(viewer_client: TestClient) -> None:
    store = _store(viewer_client)
    doc = _by_title(store, "Le blocus de Bamako : une stratégie")
    ann = store.load_annotations(doc.id)
    assert ann is not None and ann.actors and ann.places and ann.judgments and ann.times
    page = viewer_client.get(f"/documents/{doc.id}")
    assert page.status_code == 200
    html = page.text
    assert f'<h1 id="document-title">{_esc(doc.title or "")}</h1>' in html
    parsed = _parse(html)
    assert parsed.text == doc.text  # the whole text, once, in order
    expected = [
        *(("ann-actor", a.span) for a in ann.actors),
        *(("ann-place", p.span) for p in ann.places),
        *(("ann-time", t.span) for t in ann.times),
        *(("ann-cue", a.cue) for a in ann.attributions if a.cue is not None),
        *(("ann-judgment", j.cue) for j in ann.judgments),
        *(("ann-event", e.trigger) for e in ann.events),
    ]
    for css, span in expected:
        if span.part != "body":
            continue
        covered = parsed.classes[span.start : span.end]
        assert all(css in c and "ann" in c for c in covered), (css, span)
    marked = {i for i, c in enumerate(parsed.classes) if c}
    spans = {i for _css, s in expected if s.part == "body" for i in range(s.start, s.end)}
    assert marked == spans  # nothing else is marked
    jnim = next(a for a in ann.actors if a.actor_id == "jnim")
    assert f"actor: jnim · {jnim.acled or jnim.name}" in parsed.titles["JNIM"]
    for judgment in ann.judgments:
        assert any(
            t.startswith(f"judgment: {judgment.label}")
            for t in parsed.titles.get(judgment.cue_text, [])
        )
    for kind in ("actor", "place", "unresolved", "time", "cue", "judgment", "event"):
        assert f'<mark class="ann ann-{kind}' in html.split('id="legend"')[1].split("</p>")[0]
    assert '<table id="annotations-table">' in html
    assert html.count('<tr class="annotation-row">') == len(every_ref(ann))
    assert "<dd>fr</dd>" in html


def test_the_comment_thread_is_a_nested_tree(viewer_client: TestClient) -> None:
    store = _store(viewer_client)
    doc = _by_title(store, "Blocus du carburant : Bamako à l'agonie")
    replies = [c for c in doc.comments if c.parent_id]
    assert len(doc.comments) > 10 and replies
    html = viewer_client.get(f"/documents/{doc.id}").text
    section = html.split('<section id="comments">')[1].split("</section>")[0]
    assert section.count("<ul") == section.count("</ul>")
    assert section.count("<li") == section.count("</li>") == len(doc.comments)
    assert section.lstrip().split("\n", 1)[1].startswith('<ul class="comment-tree">')
    parsed = _parse(html)
    known = {c.id for c in doc.comments}
    assert parsed.parents == {
        c.id: c.parent_id if c.parent_id in known else None for c in doc.comments
    }
    assert max(parsed.depths.values()) >= 1
    for comment in doc.comments:
        assert f'<li class="comment depth-{parsed.depths[comment.id]}"' in section
        assert f'data-comment-id="{comment.id}"' in section
    assert html.count('<div class="comment-text">') == len(doc.comments)


def _hostile_document() -> tuple[Document, Annotations]:
    text = (
        "Selon <script>alert('x')</script> le JNIM a attaqué Kati. "
        "<img src=x onerror=alert(1)> Une reprise est peu probable."
    )
    comment_text = "Réponse <b>gras</b> & <a href='javascript:alert(2)'>lien</a> à Kati."

    def at(needle: str, part: str = "body", within: str = text) -> Span:
        start = within.index(needle)
        return Span("dxss", part, start, start + len(needle))

    doc = Document(
        id="dxss",
        source=Source(id="evil-example", name="<b>Evil</b> Source", kind=Kind.NEWS),
        text=text,
        content_hash="h-dxss",
        fetched_at=datetime(2025, 12, 1, tzinfo=UTC),
        url="javascript:alert('url')",
        title="<script>alert('title')</script> Titre",
        author='"><svg onload=alert(3)>',
        published=datetime(2025, 12, 1, 8, tzinfo=UTC),
        language="fr",
        comments=(
            Comment(id="c-1", text=comment_text, author="<i>Awa</i>"),
            Comment(id='c-2"><script>', text="Oui <script>alert(4)</script>", parent_id="c-1"),
            Comment(id="c-3", text="Troisième", parent_id='c-2"><script>'),
        ),
        origin="test",
    )
    clause = at("le JNIM a attaqué Kati")
    ann = Annotations(
        document_id="dxss",
        extractor_version="test",
        actors=(ActorRef(at("JNIM"), "JNIM", "jnim", '<script>alert("n")</script>', 2),),
        places=(
            PlaceRef(at("Kati"), "Kati", True, 1, "Kati", 12.7, -8.1, "ML", "Koulikoro", "town", 1),
            PlaceRef(at("Kati", "c-1", comment_text), "Kati", False, reason='"><img src=y>'),
        ),
        times=(),
        attributions=(
            Attribution(
                clause, "person", cue=at("Selon <script>"), source="\"><script>alert('a')</script>"
            ),
        ),
        judgments=(
            Judgment(
                span=at("Une reprise est peu probable"),
                proposition=at("Une reprise"),
                cue=at("peu probable"),
                cue_text="peu probable",
                low=0.2,
                high=0.45,
                label="unlikely",
            ),
        ),
        events=(
            EventReport(
                span=clause,
                trigger=at("a attaqué"),
                trigger_text="a attaqué",
                event_type="Battles",
                sub_event_type="Armed clash",
                location="Kati",
                event_date=date(2025, 12, 1),
            ),
        ),
    )
    return doc, ann


def test_hostile_text_is_shown_as_text(web_app: FastAPI) -> None:
    doc, ann = _hostile_document()
    store: Store = web_app.state.store
    assert store.save_document(doc, minhash=None)
    store.save_annotations(ann)
    client = TestClient(web_app)
    login(client, "viewer")
    page = client.get("/documents/dxss")
    assert page.status_code == 200
    html = page.text
    main = html.split('<main id="main">')[1]
    for raw in ("<script", "<img", "<svg", "<b>", "<i>", "<a href='javascript", 'href="javascript'):
        assert raw not in main, raw
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Titre · Tocsin</title>" in html
    assert '<span class="muted">javascript:alert(&#39;url&#39;)</span>' in main  # not a link
    assert "&lt;img src=x onerror=alert(1)&gt;" in main
    assert (
        '<mark class="ann ann-cue" title="claim: person: &#34;&gt;&lt;script&gt;'
        'alert(&#39;a&#39;)&lt;/script&gt;">Selon &lt;script&gt;</mark>' in main
    )
    assert (
        '<mark class="ann ann-unresolved ann-place" title="place: unresolved: '
        '&#34;&gt;&lt;img src=y&gt;">Kati</mark>' in main
    )
    assert 'data-comment-id="c-2&#34;&gt;&lt;script&gt;"' in main
    parsed = _parse(html)
    assert parsed.text == doc.text
    assert parsed.parents == {"c-1": None, 'c-2"><script>': "c-1", "c-3": 'c-2"><script>'}
    found = client.get("/search?q=alert+script").text.split('<main id="main">')[1]
    assert "<script" not in found and "<mark>script</mark>" in found
    api = client.get("/api/v1/documents/dxss").json()
    assert api["title"] == doc.title and api["comments"][1]["text"] == doc.comments[1].text


def test_document_api_gives_text_comments_and_annotations(viewer_client: TestClient) -> None:
    store = _store(viewer_client)
    doc = _by_title(store, "Blocus du carburant : Bamako à l'agonie")
    ann = store.load_annotations(doc.id)
    assert ann is not None
    answer = viewer_client.get(f"/api/v1/documents/{doc.id}").json()
    assert answer["id"] == doc.id and answer["text"] == doc.text and answer["title"] == doc.title
    assert answer["source"]["id"] == doc.source.id
    assert answer["source"]["reliability"] == doc.source.reliability
    assert [(c["id"], c["parent_id"], c["text"]) for c in answer["comments"]] == [
        (c.id, c.parent_id, c.text) for c in doc.comments
    ]
    assert answer["extractor_version"] == ann.extractor_version
    assert answer["annotations"] == [annotation_to_plain(r) for r in every_ref(ann)]
    assert viewer_client.get("/api/v1/documents/nope").status_code == 404


def test_documents_api_pages_and_filters(viewer_client: TestClient) -> None:
    every = _store(viewer_client).list_documents(limit=1000)
    first = viewer_client.get("/api/v1/documents?limit=3").json()
    assert first["total"] == len(every)
    assert [i["id"] for i in first["items"]] == [r.id for r in every[:3]]
    item, row = first["items"][0], every[0]
    assert item["title"] == row.title and item["source"] == row.source
    assert item["comments"] == row.comments and item["language"] == row.language
    assert item["published"] == (row.published.isoformat() if row.published else None)
    second = viewer_client.get(first["next"]).json()
    assert [i["id"] for i in second["items"]] == [r.id for r in every[3:6]]
    french = viewer_client.get("/api/v1/documents?language=fr&limit=500").json()
    assert [i["id"] for i in french["items"]] == [r.id for r in every if r.language == "fr"]
    assert french["total"] == len(french["items"])


def test_only_web_links_are_links() -> None:
    assert safe_href("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_href(" http://example.org/ ") == "http://example.org/"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>",
        "//evil.example/",
        "/local",
        "ftp://example.org/",
        "http:///nohost",
        "http://[::1",
        None,
        "",
    ):
        assert safe_href(bad) is None, bad


def test_thread_order_survives_orphans_cycles_and_depth() -> None:
    comments = [
        Comment("a", "A"),
        Comment("b", "B", parent_id="a"),
        Comment("c", "C", parent_id="missing"),  # orphan: a thread of its own
        Comment("d", "D", parent_id="b"),
        Comment("e", "E", parent_id="a"),
        Comment("x", "X", parent_id="y"),  # x and y: a cycle
        Comment("y", "Y", parent_id="x"),
        Comment("s", "S", parent_id="s"),  # its own parent
    ]
    assert [(c.id, depth) for c, depth in thread_order(comments)] == [
        ("a", 0),
        ("b", 1),
        ("d", 2),
        ("e", 1),
        ("c", 0),
        ("s", 0),
        ("x", 0),
        ("y", 1),
    ]
    items, tail = thread_layout(comments)
    assert [(i.comment.id, i.depth, i.opens, i.closes) for i in items] == [
        ("a", 0, False, 0),
        ("b", 1, True, 0),
        ("d", 2, True, 0),
        ("e", 1, False, 1),
        ("c", 0, False, 1),
        ("s", 0, False, 0),
        ("x", 0, False, 0),
        ("y", 1, True, 0),
    ]
    assert tail == 1


def test_a_very_deep_thread_is_shown_flat_below_the_bound() -> None:
    chain = [Comment("c0", "root")] + [
        Comment(f"c{i}", f"reply {i}", parent_id=f"c{i - 1}") for i in range(1, 20_000)
    ]
    started = time.perf_counter()
    items, tail = thread_layout(chain)
    assert time.perf_counter() - started < 5
    assert len(items) == 20_000 and tail == MAX_DEPTH
    assert [i.depth for i in items[: MAX_DEPTH + 3]] == [
        *range(MAX_DEPTH + 1),
        MAX_DEPTH,
        MAX_DEPTH,
    ]
    assert not items[MAX_DEPTH].deeper and items[MAX_DEPTH + 1].deeper
    assert sum(i.opens for i in items) == MAX_DEPTH


def test_a_deep_thread_renders_balanced(web_app: FastAPI) -> None:
    store: Store = web_app.state.store
    chain = tuple(
        Comment(f"deep-{i}", f"niveau {i}", parent_id=f"deep-{i - 1}" if i else None)
        for i in range(40)
    )
    doc = Document(
        id="ddeep",
        source=Source(id="deep-example", name="Deep"),
        text="Un fil de discussion très profond.",
        content_hash="h-ddeep",
        fetched_at=datetime(2025, 12, 1, tzinfo=UTC),
        comments=chain,
        origin="test",
    )
    assert store.save_document(doc, minhash=None)
    client = TestClient(web_app)
    login(client, "viewer")
    html = client.get("/documents/ddeep").text
    section = html.split('<section id="comments">')[1].split("</section>")[0]
    assert section.count("<ul") == section.count("</ul>") == MAX_DEPTH + 1
    assert section.count("<li") == section.count("</li>") == 40
    parsed = _parse(html)
    assert max(parsed.depths.values()) == MAX_DEPTH
    assert "reply nested deeper" in section
    assert parsed.text == doc.text  # no annotations: the plain text


def _esc(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
