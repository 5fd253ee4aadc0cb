"""The documents API: ``/api/v1/documents`` (the list, by language and source),
``/api/v1/documents/{id}`` (text, metadata, comments with their parent ids, and every
annotation as plain JSON) and ``/api/v1/search?q=`` (full-text search over titles,
texts and comments).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from tocsin.report.records import annotations_plain, document_plain, document_row_plain
from tocsin.store.search_queries import SearchHit
from tocsin.web.api import PageParams, page
from tocsin.web.deps import StoreDep, Viewer

router = APIRouter(prefix="/api/v1", tags=["documents"])


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def hit_plain(hit: SearchHit) -> dict[str, Any]:
    return {
        "document_id": hit.document_id,
        "title": hit.title,
        "source_id": hit.source_id,
        "source": hit.source,
        "published": _iso(hit.published),
        "part": hit.part,
        "snippet": hit.snippet.text,
        "marks": [list(m) for m in hit.snippet.marks],
        "clipped_start": hit.snippet.clipped_start,
        "clipped_end": hit.snippet.clipped_end,
    }


@router.get("/documents", summary="Documents, newest first")
def list_documents(
    request: Request,
    user: Viewer,
    store: StoreDep,
    params: Annotated[PageParams, Depends()],
    language: Annotated[
        str | None, Query(max_length=20, description="Language code (fr, en, …).")
    ] = None,
    source: Annotated[str | None, Query(max_length=200, description="Source id.")] = None,
) -> dict[str, Any]:
    """Documents (metadata, no text) of one language and/or one source, newest first;
    ``comments`` counts each one's reader comments."""
    lang = (language or "").strip() or None
    src = (source or "").strip() or None
    rows = store.list_document_rows(
        language=lang, source=src, limit=params.limit, offset=params.offset
    )
    total = store.count_document_rows(language=lang, source=src)
    return page(request, [document_row_plain(r) for r in rows], params=params, total=total)


@router.get("/documents/{doc_id}", summary="One document with its comments and annotations")
def get_document(doc_id: str, user: Viewer, store: StoreDep) -> dict[str, Any]:
    """The document's metadata and text, its comments (``parent_id`` builds the reply
    tree), and what extraction found: each annotation with ``type`` (actor, place, time,
    attribution, judgment, event), ``part`` ("body" or a comment id) and its spans as
    [start, end] character offsets into that part's text. ``annotations`` is null when
    the document was never extracted."""
    doc = store.get_document(doc_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    plain = document_plain(doc)
    ann = store.load_annotations(doc.id)
    plain["extractor_version"] = ann.extractor_version if ann else None
    plain["annotations"] = annotations_plain(ann)["annotations"] if ann else None
    return plain


@router.get("/search", summary="Full-text search over documents and comments")
def search(
    request: Request,
    user: Viewer,
    store: StoreDep,
    q: Annotated[str, Query(max_length=500, description="Words to find (all of them).")],
    params: Annotated[PageParams, Depends()],
) -> dict[str, Any]:
    """Document bodies (title and text) and comments holding every word of ``q``,
    without case or accents ("Segou" finds "Ségou"); punctuation and operators are
    plain text. Newest document first, the body before its comments. Each hit has a
    ``snippet`` with the matched words at ``marks`` ([start, end] offsets into the
    snippet). ``terms`` lists the words searched for."""
    found = store.search_documents(q, limit=params.limit, offset=params.offset)
    answer = page(request, [hit_plain(h) for h in found.hits], params=params, total=found.total)
    answer["terms"] = list(found.terms)
    return answer
