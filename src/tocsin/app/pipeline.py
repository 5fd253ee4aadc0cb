"""The one path a document takes: source -> parse -> Document -> copies -> store.

The CLI, ``watch`` and (later) the web app call :class:`Pipeline`; stages never touch the
database themselves.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal
from urllib.parse import urlsplit

from tocsin.assess.forecasts import forecasts_from
from tocsin.config import Settings
from tocsin.errors import FetchError, InputError, TocsinError
from tocsin.ingest.comments.disqus import looks_like_disqus, parse_disqus_export
from tocsin.ingest.dates import to_utc
from tocsin.ingest.dedup import NearDuplicateIndex, content_hash, normalise
from tocsin.ingest.feeds import FEED_TYPES, entry_page, looks_like_feed, parse_feed
from tocsin.ingest.fetch import Fetcher, FetchLimits
from tocsin.ingest.language import detect_language
from tocsin.ingest.pages import looks_like_html, parse_html
from tocsin.ingest.text import decode, parse_jsonl, parse_text, refuse_binary
from tocsin.knowledge import OutletRegistry
from tocsin.models import Annotations, Comment, Document, Kind, ParsedPage
from tocsin.store import Store
from tocsin.store.queries import FeedState

if TYPE_CHECKING:
    from tocsin.app.alerts import AlertRun
    from tocsin.app.events import EventUpdate
    from tocsin.extract.annotate import Extractor

Status = Literal["new", "near-copy", "duplicate", "updated", "failed"]
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
_FILE_SUFFIXES = {
    ".html",
    ".htm",
    ".xhtml",
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".jsonl",
    ".ndjson",
    ".xml",
    ".rss",
    ".atom",
}


@dataclass(frozen=True, slots=True)
class ItemResult:
    """What happened to one input (or one item of a feed or export)."""

    origin: str
    status: Status
    doc_id: str | None = None
    title: str | None = None
    language: str | None = None
    comments: int = 0
    duplicate_of: str | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class Hints:
    """What the user says about a batch: the kind of material and the outlet's name."""

    kind: Kind | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractResult:
    """What extraction did for one stored document."""

    doc_id: str
    status: Literal["extracted", "current", "missing", "failed"]
    annotations: Annotations | None = None
    error: str | None = None


class Pipeline:
    """Ingest sources into the store and extract what they say. One instance per batch
    or per ``watch`` process."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        fetcher: Fetcher | None = None,
        registry: OutletRegistry | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        extractor: Extractor | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.registry = registry or OutletRegistry.load(settings.sources_file)
        self._fetcher = fetcher
        self._index: NearDuplicateIndex | None = None
        self._hashes: dict[str, str] = {}  # content hash -> document id
        self._now = now
        self._extractor = extractor
        self.events_update: EventUpdate | None = None  # the last merge of event reports
        self.alert_run: AlertRun | None = None  # the last risk update and alert matching

    # -- fetching ------------------------------------------------------------
    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            s = self.settings
            self._fetcher = Fetcher(
                limits=FetchLimits(
                    connect_timeout=s.connect_timeout,
                    read_timeout=s.read_timeout,
                    max_bytes=s.max_bytes,
                    min_interval=s.min_interval,
                    retries=s.retries,
                    allow_private=s.allow_private,
                    respect_robots=s.respect_robots,
                )
            )
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    # -- entry points --------------------------------------------------------
    def ingest(
        self, inputs: Iterable[str], *, hints: Hints = Hints(), stdin: BinaryIO | None = None
    ) -> Iterator[ItemResult]:
        """Each input is a URL, a feed, a file, a folder or ``-``; one result per document."""
        for raw in inputs:
            yield from _guarded(raw, self._ingest_one(raw, hints=hints, stdin=stdin))

    def _ingest_one(
        self, raw: str, *, hints: Hints, stdin: BinaryIO | None
    ) -> Iterator[ItemResult]:
        if raw == "-":
            stream = stdin or sys.stdin.buffer
            data = stream.read(self.settings.max_bytes + 1)
            self._check_size(len(data), "stdin")
            yield from self._ingest_bytes(data, origin="stdin", hints=hints)
        elif raw.startswith(("http://", "https://")):
            yield from self._ingest_url(raw, hints=hints)
        else:
            yield from self._ingest_path(Path(raw), hints=hints)

    # -- extraction ----------------------------------------------------------
    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            from tocsin.extract.annotate import Extractor

            self._extractor = Extractor()
        return self._extractor

    def extract(self, doc_ids: Iterable[str], *, force: bool = False) -> Iterator[ExtractResult]:
        """Extract stored documents and store their annotations, one transaction each;
        documents already extracted by this extractor version are skipped unless ``force``.
        A document that fails is reported and the others go on."""
        version = self.extractor.version
        todo: list[Document] = []
        extracted = 0
        for doc_id in doc_ids:
            if not force and self.store.extractor_version_of(doc_id) == version:
                yield ExtractResult(doc_id, "current")
                continue
            doc = self.store.get_document(doc_id)
            if doc is None:
                yield ExtractResult(doc_id, "missing", error=f"{doc_id}: no such document")
                continue
            todo.append(doc)
            if len(todo) >= 32:
                extracted += yield from self._extract_batch(todo)
                todo = []
        if todo:
            extracted += yield from self._extract_batch(todo)
        if extracted:
            self.update_events()
            self.update_alerts()

    def update_events(self) -> EventUpdate:
        """Merge every stored event report into events again (ids kept) and save them;
        run after each extraction batch. The result stays in ``events_update``."""
        from tocsin.app.events import update_events

        self.events_update = update_events(self.store)
        return self.events_update

    def update_alerts(self) -> AlertRun:
        """Recompute the risk levels as of now, match events, risk changes and forecasts
        against the alert rules, and queue the new alerts in the outbox; run after each
        extraction batch, after the events. The result stays in ``alert_run``."""
        from tocsin.app.alerts import update_alerts

        self.alert_run = update_alerts(self.store, settings=self.settings, now=self._now())
        return self.alert_run

    def extract_stale(self) -> Iterator[ExtractResult]:
        """Extract every stored document not yet extracted by this extractor version."""
        yield from self.extract(self.store.stale_documents(self.extractor.version), force=True)

    def _extract_batch(self, docs: list[Document]) -> Generator[ExtractResult, None, int]:
        try:
            found = list(self.extractor.extract_many(docs))
        except TocsinError:
            raise  # a missing model or a broken lexicon: nothing will work, say so once
        except Exception:  # one bad document must not sink the batch: retry one by one
            found = []
            for doc in docs:
                try:
                    found.append(self.extractor.extract(doc))
                except Exception as exc:
                    yield ExtractResult(doc.id, "failed", error=f"{doc.id}: {exc!r}")
        by_id = {doc.id: doc for doc in docs}
        for ann in found:
            self.store.save_extraction(ann, forecasts_from(by_id[ann.document_id], ann))
            yield ExtractResult(ann.document_id, "extracted", ann)
        return len(found)

    def poll_feed(self, url: str, *, hints: Hints = Hints()) -> Iterator[ItemResult]:
        """One poll of a feed URL with a conditional GET; new items only."""
        state = self.store.feed_state(url) or FeedState(url=url)
        try:
            response = self.fetcher.fetch(url, etag=state.etag, last_modified=state.last_modified)
        except FetchError as exc:
            self.store.save_feed_state(
                replace(
                    state, last_polled=self._now(), last_error=str(exc), failures=state.failures + 1
                )
            )
            raise
        self.store.save_feed_state(
            FeedState(
                url=url,
                etag=response.etag or state.etag,
                last_modified=response.last_modified or state.last_modified,
                last_polled=self._now(),
            )
        )
        if response.not_modified:
            return
        yield from self._ingest_feed(response.content, origin=url, hints=hints)

    # -- dispatch ------------------------------------------------------------
    def _check_size(self, size: int, origin: str) -> None:
        if size > self.settings.max_bytes:
            limit = self.settings.max_bytes / 1e6
            raise InputError(
                origin,
                f"larger than the {limit:g} MB limit",
                "raise it with --max-bytes or TOCSIN_MAX_BYTES if you trust this input",
            )

    def _ingest_path(self, path: Path, *, hints: Hints) -> Iterator[ItemResult]:
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in _FILE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                raise InputError(str(path), "no HTML, text, Markdown, JSONL or feed files", "")
            for file in files:
                yield from _guarded(str(file), self._ingest_path(file, hints=hints))
            return
        if not path.exists():
            raise InputError(str(path), "no such file, folder or URL", "check the path")
        try:
            self._check_size(path.stat().st_size, str(path))
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(
                str(path), f"cannot read ({exc.strerror})", "check permissions"
            ) from exc
        yield from self._ingest_bytes(data, origin=str(path), hints=hints, suffix=path.suffix)

    def _ingest_url(self, url: str, *, hints: Hints) -> Iterator[ItemResult]:
        response = self.fetcher.fetch(url, accept=(*PAGE_TYPES, *FEED_TYPES))
        if response.content_type in FEED_TYPES or looks_like_feed(response.content):
            yield from self._ingest_feed(response.content, origin=url, hints=hints)
            return
        yield self._ingest_page_bytes(
            response.content,
            origin=url,
            url=response.url,
            charset=response.charset,
            hints=hints,
            plain=response.content_type in ("text/plain", "text/markdown"),
        )

    def _ingest_bytes(
        self, data: bytes, *, origin: str, hints: Hints, suffix: str = ""
    ) -> Iterator[ItemResult]:
        suffix = suffix.lower()
        refuse_binary(data, origin)
        if suffix in (".jsonl", ".ndjson") or (not suffix and data.lstrip()[:1] == b"{"):
            for item in parse_jsonl(decode(data), origin=origin):
                if isinstance(item, InputError):
                    yield ItemResult(origin=item.source, status="failed", error=str(item))
                else:
                    yield self._store_page(item, hints=hints)
            return
        if looks_like_disqus(data):
            yield from self._ingest_disqus(data, origin=origin)
            return
        if suffix in (".xml", ".rss", ".atom") or looks_like_feed(data):
            yield from self._ingest_feed(data, origin=origin, hints=hints)
            return
        plain = suffix in (".txt", ".text", ".md", ".markdown") or (
            not suffix and not looks_like_html(data)
        )
        yield self._ingest_page_bytes(
            data,
            origin=origin,
            url=None,
            charset=None,
            hints=hints,
            plain=plain,
            markdown=suffix in (".md", ".markdown"),
        )

    def _ingest_page_bytes(
        self,
        data: bytes,
        *,
        origin: str,
        url: str | None,
        charset: str | None,
        hints: Hints,
        plain: bool,
        markdown: bool = False,
    ) -> ItemResult:
        try:
            if plain:
                page = parse_text(decode(data, declared=charset), origin=origin, markdown=markdown)
                if len(page.text.split()) < max(self.settings.min_words, 1):
                    raise InputError(origin, "too little text to be an article", "check the file")
                page = replace(page, url=url)
            else:
                page = parse_html(
                    data, origin=origin, url=url, charset=charset, min_words=self.settings.min_words
                )
        except InputError as exc:
            return ItemResult(origin=origin, status="failed", error=str(exc))
        return self._store_page(page, hints=hints)

    def _ingest_feed(self, data: bytes, *, origin: str, hints: Hints) -> Iterator[ItemResult]:
        feed_title, entries = parse_feed(data, origin=origin)
        feed_hints = replace(hints, source=hints.source or feed_title)
        for number, entry in enumerate(entries, 1):
            where = entry.link or f"{origin}#{number}"
            if entry.link and (known := self.store.find_by_url(entry.link)):
                # seen on an earlier poll: no new fetch of the article
                yield ItemResult(origin=where, status="duplicate", doc_id=known, title=entry.title)
                continue
            page = entry_page(entry, origin=where, min_words=self.settings.min_words)
            if page is not None:
                yield self._store_page(page, hints=feed_hints)
            elif entry.link and entry.link.startswith(("http://", "https://")):
                try:
                    yield from self._ingest_url(entry.link, hints=hints)
                except InputError as exc:
                    yield ItemResult(origin=where, status="failed", error=str(exc))
            else:
                yield ItemResult(
                    origin=where,
                    status="failed",
                    error=f"{where}: feed item has no text and no link; skipped",
                )

    def _ingest_disqus(self, data: bytes, *, origin: str) -> Iterator[ItemResult]:
        """A Disqus XML export: each thread's comments join the stored article at its link."""
        for link, comments in parse_disqus_export(data).items():
            doc_id = self.store.find_by_url(link) or self.store.find_by_url(link.rstrip("/"))
            if doc_id is None:
                yield ItemResult(
                    origin=link,
                    status="failed",
                    error=f"{origin}: thread {link} matches no stored article; "
                    "ingest the article first, then the export again",
                )
                continue
            settled = _settle_comments(
                doc_id, comments, languages=self.settings.languages, hint=None
            )
            added = self.store.add_comments(doc_id, settled)
            yield ItemResult(
                origin=link,
                status="updated" if added else "duplicate",
                doc_id=doc_id,
                comments=added,
            )

    # -- documents -----------------------------------------------------------
    def _near_index(self) -> NearDuplicateIndex:
        """Fingerprints of what is stored, loaded once: content hashes and signatures."""
        if self._index is None:
            index = NearDuplicateIndex(threshold=self.settings.near_duplicate_threshold)
            for doc_id, digest, duplicate_of, blob in self.store.iter_fingerprints():
                self._hashes[digest] = doc_id
                if blob:
                    index.add(doc_id, index.from_bytes(blob), duplicate_of=duplicate_of)
            self._index = index
        return self._index

    def build_document(self, page: ParsedPage, *, hints: Hints = Hints()) -> Document:
        """Settle identity, source, language and comment ids of a parsed page."""
        langs = self.settings.languages
        language = detect_language(page.text, languages=langs, hint=page.language)
        digest = content_hash(page.text)
        doc_id = "d" + digest[:16]
        domain = urlsplit(page.url).hostname if page.url else None
        kind = hints.kind or (
            Kind(page.hints["kind"]) if page.hints.get("kind") in set(Kind) else None
        )
        source = self.registry.source(
            domain=domain,
            name=hints.source or page.hints.get("source") or page.site_name,
            kind=kind,
            language=language,
            origin=page.origin,
        )
        return Document(
            id=doc_id,
            source=source,
            text=page.text,
            content_hash=digest,
            fetched_at=self._now(),
            url=page.url,
            title=page.title,
            author=page.author,
            published=to_utc(page.published) if page.published else None,
            published_precision=page.published_precision if page.published else None,
            language=language,
            kind=source.kind,
            comments=_settle_comments(doc_id, page.comments, languages=langs, hint=language),
            origin=page.origin,
        )

    def _store_page(self, page: ParsedPage, *, hints: Hints) -> ItemResult:
        index = self._near_index()
        if not page.comments and (seen := self._hashes.get(content_hash(page.text))):
            # a copy we already hold, with no comments to add: no language detection
            return ItemResult(
                origin=page.origin,
                status="duplicate",
                doc_id=seen,
                title=page.title,
                language=page.language,
            )
        doc = self.build_document(page, hints=hints)
        known = self._hashes.get(doc.content_hash)
        if known is None:
            sig = index.signature(doc.text)
            original = index.find_original(sig)
            replaces = None
            if original is not None and _older(doc.published, self.store.published_of(original)):
                replaces, original = original, None  # the copy came first; this is the original
            doc = replace(doc, duplicate_of=original)
            if self.store.save_document(doc, minhash=index.to_bytes(sig), replaces=replaces):
                self._hashes[doc.content_hash] = doc.id
                index.add(doc.id, sig, duplicate_of=original)
                if replaces:
                    index.reroot(replaces, doc.id)
                return ItemResult(
                    origin=page.origin,
                    status="near-copy" if original else "new",
                    doc_id=doc.id,
                    title=doc.title,
                    language=doc.language,
                    comments=len(doc.comments),
                    duplicate_of=original,
                )
            known = self.store.find_by_hash(doc.content_hash) or doc.id
        added = self.store.add_comments(known, doc.comments) if doc.comments else 0
        return ItemResult(
            origin=page.origin,
            status="updated" if added else "duplicate",
            doc_id=known,
            title=doc.title,
            language=doc.language,
            comments=added,
        )


def _older(mine: datetime | None, theirs: datetime | None) -> bool:
    """Strictly older by publication date, when both are known."""
    return mine is not None and theirs is not None and mine < theirs


def _guarded(origin: str, results: Iterator[ItemResult]) -> Iterator[ItemResult]:
    """Results of one input; whatever goes wrong becomes one failed result, never a crash,
    and the other inputs go on."""
    try:
        yield from results
    except InputError as exc:
        yield ItemResult(origin=exc.source or origin, status="failed", error=str(exc))
    except Exception as exc:  # a bug on hostile input must not stop the batch
        name = type(exc).__name__
        yield ItemResult(
            origin=origin,
            status="failed",
            error=f"{origin}: could not be read ({name}: {exc}); please report this input",
        )


def _settle_comments(
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
