"""Documents: the list (``/documents``, filtered by language and source), one document
(``/documents/{id}``: its text with what extraction found highlighted, a legend, a
table of the annotations and the comment thread as a tree) and full-text search
(``/search?q=``).

Text written by strangers (documents, comments, their authors and ids) only reaches the
page through Jinja2's autoescaping, piece by piece: highlights are segments
(:mod:`tocsin.report.highlights`), the comment tree is a flat list of items with how many
levels to open or close before each one (:func:`thread_layout`, iterative: a thread
20,000 replies deep neither recurses nor nests 20,000 lists), and a document's URL is a
link only when it is http(s).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from tocsin.models import AnnotationRef, Annotations, Comment, Document
from tocsin.report.highlights import Segment, describe, every_ref, highlight
from tocsin.web.deps import StoreDep, Viewer
from tocsin.web.templating import render

router = APIRouter()

PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20
MAX_DEPTH = 6  # replies deeper than this are shown at this depth
MAX_TABLE_ROWS = 2_000  # annotations listed in the table
LEGEND: tuple[str, ...] = ("actor", "place", "unresolved", "time", "cue", "judgment", "event")


def _offset(request: Request) -> int:
    raw = request.query_params.get("offset", "0")
    return max(0, min(int(raw), 10_000_000)) if raw.isdigit() else 0


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL (a link may be made of it), else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url.strip()


# ---------------------------------------------------------------- comment threads


@dataclass(frozen=True, slots=True)
class ThreadItem:
    """One comment in reading order. Before it, the page closes ``closes`` levels
    (``</li></ul>`` each) after closing the previous item, or opens a reply list inside
    the previous item (``opens``); ``depth`` is its shown depth (0: top level);
    ``deeper`` is true when its real depth is more than shown."""

    comment: Comment
    depth: int
    opens: bool
    closes: int
    first: bool
    deeper: bool
    segments: tuple[Segment, ...] = ()


def thread_order(comments: Sequence[Comment]) -> list[tuple[Comment, int]]:
    """Comments in thread order (each followed by its replies, in their stored order)
    with their depth. A reply to an unknown comment, or a comment caught in a cycle of
    parents, starts a thread of its own; each comment appears once."""
    known = {c.id for c in comments}
    children: dict[str, list[Comment]] = defaultdict(list)
    roots: list[Comment] = []
    for comment in comments:
        parent = comment.parent_id
        if parent is None or parent not in known or parent == comment.id:
            roots.append(comment)
        else:
            children[parent].append(comment)
    order: list[tuple[Comment, int]] = []
    seen: set[str] = set()
    # Top-level comments first; then any comment not reached yet (caught in a cycle).
    for start in [*roots, *comments]:
        stack: list[tuple[Comment, int]] = [(start, 0)]
        while stack:
            comment, depth = stack.pop()
            if comment.id in seen:
                continue
            seen.add(comment.id)
            order.append((comment, depth))
            stack.extend((child, depth + 1) for child in reversed(children.get(comment.id, ())))
    return order


def thread_layout(
    comments: Sequence[Comment],
    *,
    max_depth: int = MAX_DEPTH,
    parts: dict[str, list[Segment]] | None = None,
) -> tuple[list[ThreadItem], int]:
    """The items of the comment tree and how many levels to close after the last one."""
    items: list[ThreadItem] = []
    previous = -1
    for comment, depth in thread_order(comments):
        shown = min(depth, max_depth)
        segments = tuple(parts.get(comment.id, ())) if parts else ()
        first = previous < 0
        opens = not first and shown > previous
        shown = previous + 1 if opens else shown
        closes = 0 if first or opens else previous - shown
        items.append(ThreadItem(comment, shown, opens, closes, first, depth > shown, segments))
        previous = shown
    return items, max(previous, 0)


# ---------------------------------------------------------------- pages


@router.get("/documents", include_in_schema=False)
def documents_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    language: str | None = Query(None, max_length=20),
    source: str | None = Query(None, max_length=200),
) -> Response:
    offset = _offset(request)
    lang = (language or "").strip() or None
    src = (source or "").strip() or None
    rows = store.list_document_rows(language=lang, source=src, limit=PAGE_SIZE, offset=offset)
    total = store.count_document_rows(language=lang, source=src)
    return render(
        request,
        "documents.html.j2",
        {
            "rows": rows,
            "total": total,
            "offset": offset,
            "page_size": PAGE_SIZE,
            "values": {"language": lang or "", "source": src or ""},
            "sources": store.list_sources(),
        },
    )


def _annotation_rows(doc: Document, ann: Annotations | None) -> list[dict[str, str]]:
    if ann is None:
        return []
    texts = {"body": doc.text, **{c.id: c.text for c in doc.comments}}
    refs: list[AnnotationRef] = sorted(
        every_ref(ann), key=lambda r: (r.span.part != "body", r.span.part, r.span.start)
    )
    rows = []
    for ref in refs[:MAX_TABLE_ROWS]:
        kind, surface, value = describe(ref, texts.get(ref.span.part, ""))
        rows.append({"part": ref.span.part, "kind": kind, "surface": surface, "value": value})
    return rows


@router.get("/documents/{doc_id}", include_in_schema=False)
def document_page(request: Request, doc_id: str, user: Viewer, store: StoreDep) -> Response:
    doc = store.get_document(doc_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    ann = store.load_annotations(doc.id)
    parts = {c.id: highlight(c.text, c.id, ann) for c in doc.comments}
    thread, tail = thread_layout(doc.comments, parts=parts)
    rows = _annotation_rows(doc, ann)
    context: dict[str, Any] = {
        "doc": doc,
        "href": safe_href(doc.url),
        "body": highlight(doc.text, "body", ann),
        "annotations": ann,
        "rows": rows,
        "more_rows": ann is not None and len(every_ref(ann)) > len(rows),
        "thread": thread,
        "tail": tail,
        "legend": LEGEND,
    }
    return render(request, "document.html.j2", context)


@router.get("/search", include_in_schema=False)
def search_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    q: str = Query("", max_length=500),
) -> Response:
    offset = _offset(request)
    found = store.search_documents(q, limit=SEARCH_PAGE_SIZE, offset=offset) if q else None
    return render(
        request,
        "search.html.j2",
        {
            "q": q,
            "result": found,
            "offset": offset,
            "page_size": SEARCH_PAGE_SIZE,
        },
    )
