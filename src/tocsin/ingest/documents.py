"""Building a Document from a parsed page: its id and content hash, its source (from the
outlet registry), its language, its form (an article or a short report, read from the
text by ``text/forms.py``), and its comments' stable ids and languages.

Values in, values out: whether the document is a copy of one stored, and storing it,
are the application's business (``app/pipeline.py``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from tocsin.ingest.dates import to_utc
from tocsin.ingest.dedup import content_hash, normalise
from tocsin.ingest.language import detect_language
from tocsin.knowledge.outlets import OutletRegistry
from tocsin.models import Comment, Document, Kind, ParsedPage
from tocsin.text.forms import text_form

__all__ = ["Hints", "build_document", "settle_comments"]


@dataclass(frozen=True, slots=True)
class Hints:
    """What the user says about a batch: the kind of material and the outlet's name."""

    kind: Kind | None = None
    source: str | None = None


def build_document(
    page: ParsedPage,
    *,
    registry: OutletRegistry,
    languages: tuple[str, ...],
    fetched_at: datetime,
    hints: Hints = Hints(),
    outlet: str | None = None,
) -> Document:
    """Settle identity, source, language, form and comment ids of a parsed page. The
    outlet's name is the user's (``hints``), else ``outlet`` (a feed's title), else the
    page's. A short text is a document like any other: its form says it is a report."""
    language = detect_language(page.text, languages=languages, hint=page.language)
    digest = content_hash(page.text)
    doc_id = "d" + digest[:16]
    domain = urlsplit(page.url).hostname if page.url else None
    kind = hints.kind or (Kind(page.hints["kind"]) if page.hints.get("kind") in set(Kind) else None)
    source = registry.source(
        domain=domain,
        name=hints.source or outlet or page.hints.get("source") or page.site_name,
        kind=kind,
        language=language,
        origin=page.origin,
    )
    return Document(
        id=doc_id,
        source=source,
        text=page.text,
        content_hash=digest,
        fetched_at=fetched_at,
        url=page.url,
        title=page.title,
        author=page.author,
        published=to_utc(page.published) if page.published else None,
        published_precision=page.published_precision if page.published else None,
        language=language,
        kind=source.kind,
        comments=settle_comments(doc_id, page.comments, languages=languages, hint=language),
        origin=page.origin,
        form=text_form(page.text),
    )


def settle_comments(
    doc_id: str, comments: tuple[Comment, ...], *, languages: tuple[str, ...], hint: str | None
) -> tuple[Comment, ...]:
    """Stable ids from content (so a re-fetched thread only adds what is new), parents
    re-pointed to those ids, and each comment's own language."""
    final: dict[str, str] = {}
    seen: dict[str, int] = {}
    out = []
    for comment in comments:
        parent = final.get(comment.parent_id) if comment.parent_id else None
        posted = comment.posted.isoformat() if comment.posted else ""
        key = "\x1f".join((comment.author or "", posted, normalise(comment.text), parent or ""))
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256(f"{key}\x1f{seen[key]}".encode()).hexdigest()[:12]
        final[comment.id] = f"{doc_id}-{digest}"
        out.append(
            replace(
                comment,
                id=final[comment.id],
                parent_id=parent,
                posted=to_utc(comment.posted) if comment.posted else None,
                language=comment.language
                or detect_language(comment.text, languages=languages, hint=hint),
            )
        )
    return tuple(out)
