"""Comment sections over the store: the summary of one document's, one outlet's or every
comment section, and the weekly "information environment" series per country. Reads
documents and their annotations from the store and hands them to the comments stage
(``tocsin.comments.reading`` reads the parts, ``tocsin.comments.summary`` sums them up);
the CLI and the benchmarks call it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime

from tocsin.assess.encoder import Encoder
from tocsin.comments.reading import Classify, Part, Thread, parts_of, read_parts
from tocsin.comments.summary import EnvironmentRow, EnvironmentTally, Summary, summarise
from tocsin.errors import InputError
from tocsin.models import Document
from tocsin.store import Store
from tocsin.store.queries import DocumentRow
from tocsin.text.fold import slug

__all__ = [
    "commented_documents",
    "document_summary",
    "information_environment",
    "outlet_summary",
    "overall_summary",
]

PAGE = 500  # documents listed at a time
BATCH_COMMENTS = 20_000  # comments read together by the weekly series


def document_summary(
    store: Store,
    doc_id: str,
    *,
    classify: Classify | None = None,
    encoder: Encoder | None = None,
    lang: str = "en",
) -> Summary:
    """The summary of one document's comment section (its article body counts for the
    narratives, as an article)."""
    doc = store.get_document(doc_id.strip())
    if doc is None:
        raise InputError(doc_id, "no such document", "list them with `tocsin docs list`")
    thread = _read([doc], store, classify=classify, encoder=encoder, lang=lang)
    return summarise(thread, scope="document", key=doc.id, title=doc.title, lang=lang)


def outlet_summary(
    store: Store,
    outlet: str,
    *,
    classify: Classify | None = None,
    encoder: Encoder | None = None,
    lang: str = "en",
) -> Summary:
    """The summary of the comment sections of one outlet (by name, any case or accents,
    or by source id)."""
    wanted = slug(outlet)
    rows = list(commented_documents(store))
    docs = [d for r in rows if slug(r.source) == wanted and (d := store.get_document(r.id))]
    if not docs:  # by source id ("lesahellibre-example")
        docs = [d for r in rows if (d := store.get_document(r.id)) and d.source.id == wanted]
    if not docs:
        known = sorted({r.source for r in rows})
        hint = f"outlets with comments: {', '.join(known)}" if known else "no document has comments"
        raise InputError(outlet, "no outlet of that name has comments", hint)
    name = docs[0].source.name
    thread = _read(docs, store, classify=classify, encoder=encoder, lang=lang)
    return summarise(thread, scope="outlet", key=name, lang=lang)


def overall_summary(
    store: Store,
    *,
    classify: Classify | None = None,
    encoder: Encoder | None = None,
    lang: str = "en",
) -> Summary:
    """The summary of every comment section of the store."""
    docs = [d for r in commented_documents(store) if (d := store.get_document(r.id)) is not None]
    thread = _read(docs, store, classify=classify, encoder=encoder, lang=lang)
    return summarise(thread, scope="all", key="all", lang=lang)


def commented_documents(
    store: Store, *, since: date | None = None, until: date | None = None
) -> Iterator[DocumentRow]:
    """The stored documents that have comments, newest first (published between
    ``since`` and ``until`` inclusive when given; a document with no date is kept)."""
    offset = 0
    while True:
        rows = store.list_documents(limit=PAGE, offset=offset, language=None)
        for row in rows:
            if row.comments and _within(row.published, since, until):
                yield row
        if len(rows) < PAGE:
            return
        offset += PAGE


def _within(when: datetime | None, since: date | None, until: date | None) -> bool:
    if when is None:
        return True
    day = when.astimezone(UTC).date() if when.tzinfo else when.date()
    return (since is None or day >= since) and (until is None or day <= until)


def _read(
    docs: Sequence[Document],
    store: Store,
    *,
    classify: Classify | None,
    encoder: Encoder | None,
    lang: str,
    body: bool = True,
    groups: bool = True,
) -> Thread:
    parts: list[Part] = []
    for doc in docs:
        parts += parts_of(doc, store.load_annotations(doc.id), body=body)
    return read_parts(parts, classify=classify, encoder=encoder, groups=groups, lang=lang)


# ------------------------------------------------------------------ weekly series


def information_environment(
    store: Store,
    *,
    since: date | None = None,
    until: date | None = None,
    countries: Sequence[str] | None = None,
    classify: Classify | None = None,
    encoder: Encoder | None = None,
    top: int = 3,
) -> list[EnvironmentRow]:
    """One row per country and ISO week of the comments posted between ``since`` and
    ``until`` (inclusive; documents are picked by publication date, comments by their
    own date), oldest week first. ``countries``: ISO2 codes to keep (default all).
    Documents are read ``BATCH_COMMENTS`` comments at a time: memory stays bounded
    however many there are. See ``tocsin.comments.summary`` for how the risk stage can use it."""
    wanted = {c.upper() for c in countries} if countries else None
    tally = EnvironmentTally()
    batch: list[Part] = []
    for row in commented_documents(store, since=since, until=until):
        doc = store.get_document(row.id)
        if doc is None:
            continue
        parts = [
            p
            for p in parts_of(doc, store.load_annotations(doc.id), body=False)
            if p.country and p.week and (wanted is None or p.country in wanted)
            and _within(p.posted, since, until)
        ]  # fmt: skip
        batch += parts
        if len(batch) >= BATCH_COMMENTS:
            tally.add(read_parts(batch, classify=classify, encoder=encoder, groups=False))
            batch = []
    if batch:
        tally.add(read_parts(batch, classify=classify, encoder=encoder, groups=False))
    return tally.rows(top=top)
