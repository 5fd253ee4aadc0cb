"""The one path a document takes, composed with the store in one place:

read (``ingest/read.py``) -> build (``ingest/documents.py``) -> deduplicate
(``ingest/dedup.py``) -> store -> extract (``extract/annotate.py``) -> assess and alert
(``app/assessment.py``).

The stages take and return values and never hold the store; this module composes them
with it. The CLI, ``watch`` and the demo call :class:`Pipeline`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from tocsin.config import Settings
from tocsin.errors import FetchError, InputError, TocsinError
from tocsin.ingest.dedup import CopyIndex, came_first, content_hash
from tocsin.ingest.documents import Hints, build_document, settle_comments
from tocsin.ingest.fetch import Fetcher
from tocsin.ingest.read import (
    FeedItem,
    Page,
    Read,
    Thread,
    folder_files,
    is_url,
    open_fetcher,
    read_entry,
    read_feed,
    read_input,
)
from tocsin.knowledge.outlets import OutletRegistry
from tocsin.models import Annotations, Document
from tocsin.store import Store
from tocsin.store.queries import FeedState

if TYPE_CHECKING:
    from tocsin.app.assessment import Assessment
    from tocsin.app.events import EventUpdate
    from tocsin.extract.annotate import Extractor

__all__ = ["ExtractResult", "Hints", "ItemResult", "Pipeline", "Status"]

Status = Literal["new", "near-copy", "duplicate", "updated", "failed"]
_NO_HINTS = Hints()


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
        self._copies: CopyIndex | None = None  # loaded on the first page to store
        self._now = now
        self._extractor = extractor
        self.assessment: Assessment | None = None  # the last assessment after extraction
        self._area: tuple[str, ...] | None = None  # see area_of_interest()

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = open_fetcher(self.settings)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    # -- read -> build -> deduplicate -> store --------------------------------
    def ingest(
        self, inputs: Iterable[str], *, hints: Hints = _NO_HINTS, stdin: BinaryIO | None = None
    ) -> Iterator[ItemResult]:
        """Each input is a URL, a feed, a file, a folder or ``-``; one result per document."""
        for raw in inputs:
            yield from _guarded(raw, self._ingest_one(raw, hints=hints, stdin=stdin))

    def poll_feed(self, url: str, *, hints: Hints = _NO_HINTS) -> Iterator[ItemResult]:
        """One poll of a feed URL with a conditional GET; new items only."""
        state = self.store.feed_state(url) or FeedState(url=url)
        try:
            response = self.fetcher.fetch(url, etag=state.etag, last_modified=state.last_modified)
        except FetchError as exc:
            failures, now = state.failures + 1, self._now()
            self.store.save_feed_state(
                replace(state, last_polled=now, last_error=str(exc), failures=failures)
            )
            raise
        etag, modified = response.etag or state.etag, response.last_modified or state.last_modified
        self.store.save_feed_state(
            FeedState(url=url, etag=etag, last_modified=modified, last_polled=self._now())
        )
        if response.not_modified:
            return
        yield from self._take(read_feed(response.content, origin=url), hints=hints)

    def _ingest_one(
        self, raw: str, *, hints: Hints, stdin: BinaryIO | None
    ) -> Iterator[ItemResult]:
        if raw != "-" and not is_url(raw) and Path(raw).is_dir():
            for file in folder_files(Path(raw)):  # one failing file never stops the others
                yield from _guarded(str(file), self._ingest_one(str(file), hints=hints, stdin=None))
            return
        read = read_input(
            raw,
            fetcher=lambda: self.fetcher,
            stdin=stdin,
            max_bytes=self.settings.max_bytes,
            min_words=self.settings.min_words,
        )
        yield from self._take(read, hints=hints)

    def _take(self, items: Iterable[Read], *, hints: Hints) -> Iterator[ItemResult]:
        """Each thing read, stored as it should be: one result each."""
        for item in items:
            if isinstance(item, Page):
                yield self._store_page(item, hints=hints)
            elif isinstance(item, FeedItem):
                if item.link and (known := self.store.find_by_url(item.link)):
                    # seen on an earlier poll: no new fetch of the article
                    yield ItemResult(item.origin, "duplicate", doc_id=known, title=item.title)
                    continue
                read = read_entry(
                    item, fetcher=lambda: self.fetcher, min_words=self.settings.min_words
                )
                yield from self._take(read, hints=hints)
            elif isinstance(item, Thread):
                yield self._add_thread(item)
            else:
                yield ItemResult(origin=item.origin, status="failed", error=item.error)

    def _add_thread(self, thread: Thread) -> ItemResult:
        """A Disqus export's thread: its comments join the stored article at its link."""
        link = thread.link
        doc_id = self.store.find_by_url(link) or self.store.find_by_url(link.rstrip("/"))
        if doc_id is None:
            return ItemResult(
                origin=link,
                status="failed",
                error=f"{thread.origin}: thread {link} matches no stored article; "
                "ingest the article first, then the export again",
            )
        langs = self.settings.languages
        settled = settle_comments(doc_id, thread.comments, languages=langs, hint=None)
        added = self.store.add_comments(doc_id, settled)
        status: Status = "updated" if added else "duplicate"
        return ItemResult(origin=link, status=status, doc_id=doc_id, comments=added)

    def _copy_index(self) -> CopyIndex:
        """The fingerprints of what is stored, loaded once, kept up to date as it grows."""
        if self._copies is None:
            threshold = self.settings.near_duplicate_threshold
            self._copies = CopyIndex(self.store.iter_fingerprints(), threshold=threshold)
        return self._copies

    def _store_page(self, item: Page, *, hints: Hints) -> ItemResult:
        """Build the page's document and store it, unless it copies one stored exactly
        (its new comments join that one); a near-copy is stored, linked to its original."""
        page, copies = item.page, self._copy_index()
        if not page.comments and (seen := copies.exact(content_hash(page.text))):
            # a copy we already hold, with no comments to add: no language detection
            return ItemResult(
                page.origin, "duplicate", doc_id=seen, title=page.title, language=page.language
            )
        doc = build_document(
            page,
            registry=self.registry,
            languages=self.settings.languages,
            fetched_at=self._now(),
            hints=hints,
            outlet=item.outlet,
        )
        known = copies.exact(doc.content_hash)
        if known is None:
            sig, original = copies.near_copy(doc.text)
            replaces = None
            if original and came_first(doc.published, self.store.published_of(original)):
                replaces, original = original, None  # the copy came first; this is the original
            doc = replace(doc, duplicate_of=original)
            if self.store.save_document(doc, minhash=copies.near.to_bytes(sig), replaces=replaces):
                copies.add(doc.id, doc.content_hash, sig, duplicate_of=original, replaces=replaces)
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

    # -- extract -> assess and alert ------------------------------------------
    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            from tocsin.extract.annotate import Extractor

            self._extractor = Extractor()
        return self._extractor

    def extract(
        self,
        doc_ids: Iterable[str],
        *,
        force: bool = False,
        area: Sequence[str] | None = None,
    ) -> Iterator[ExtractResult]:
        """Extract stored documents and store their annotations and forecasts, one
        transaction each; documents already extracted by this extractor version are
        skipped unless ``force``. A document that fails is reported and the others go
        on. When any was extracted, the assessment runs once after them all. ``area``:
        a feed's area of interest (ISO2), before the source's and the settings'."""
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
                extracted += yield from self._extract_batch(todo, area)
                todo = []
        if todo:
            extracted += yield from self._extract_batch(todo, area)
        if extracted:
            self.assess()

    def extract_stale(self) -> Iterator[ExtractResult]:
        """Extract every stored document not yet extracted by this extractor version."""
        yield from self.extract(self.store.stale_documents(self.extractor.version), force=True)

    def area_of_interest(self) -> tuple[str, ...]:
        """The settings' area of interest (ISO2 codes), else the countries of the
        organisation's assets (``app/area.py``); read once per pipeline."""
        if self._area is None:
            from tocsin.app.area import area_countries, assets_area

            self._area = area_countries(self.settings.area_of_interest) or assets_area(
                self.store.list_assets()
            )
        return self._area

    def _extract_batch(
        self, docs: list[Document], area: Sequence[str] | None = None
    ) -> Generator[ExtractResult, None, int]:
        from tocsin.app.area import document_areas
        from tocsin.app.assessment import store_extraction

        areas = document_areas(
            docs, default=self.area_of_interest(), registry=self.registry, feed=area
        )
        try:
            found = list(self.extractor.extract_many(docs, areas=areas))
        except TocsinError:
            raise  # a missing model or a broken lexicon: nothing will work, say so once
        except Exception:  # one bad document must not sink the batch: retry one by one
            found = []
            for doc in docs:
                try:
                    found.append(self.extractor.extract(doc, area=areas[doc.id]))
                except Exception as exc:
                    yield ExtractResult(doc.id, "failed", error=f"{doc.id}: {exc!r}")
        by_id = {doc.id: doc for doc in docs}
        for ann in found:
            store_extraction(self.store, by_id[ann.document_id], ann)
            yield ExtractResult(ann.document_id, "extracted", ann)
        return len(found)

    def assess(self) -> Assessment:
        """Merge the events, update the risk levels as of now and match the alerts
        (``app/assessment.py``); run after each extraction batch. The result stays in
        ``assessment``."""
        from tocsin.app.assessment import assess_batch

        self.assessment = assess_batch(self.store, settings=self.settings, now=self._now())
        return self.assessment

    @property
    def events_update(self) -> EventUpdate | None:
        """The events merged by the last assessment."""
        return self.assessment.events if self.assessment else None


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
