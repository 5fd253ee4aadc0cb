"""Reading an input: where its bytes come from (a file, a URL, stdin), what they are
(a feed, an HTML page, a Disqus export, JSON lines, plain text or Markdown) and the
parsed values they hold.

Each reader yields :data:`Read` values and holds nothing: what is already stored, and
what to do with each value, is the application's business (``app/pipeline.py``). A
page that cannot be parsed is an :class:`Unreadable` value (the other items of the same
input go on); an input that cannot be read at all raises ``InputError``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from tocsin.config import Settings
from tocsin.errors import InputError
from tocsin.ingest.comments.disqus import looks_like_disqus, parse_disqus_export
from tocsin.ingest.feeds import FEED_TYPES, FeedEntry, entry_page, looks_like_feed, parse_feed
from tocsin.ingest.fetch import Fetcher, FetchLimits
from tocsin.ingest.pages import looks_like_html, parse_html
from tocsin.ingest.text import decode, parse_jsonl, parse_text, refuse_binary
from tocsin.models import Comment, ParsedPage

__all__ = [
    "PAGE_TYPES",
    "FeedItem",
    "Page",
    "Read",
    "Thread",
    "Unreadable",
    "folder_files",
    "is_url",
    "open_fetcher",
    "read_bytes",
    "read_entry",
    "read_feed",
    "read_file",
    "read_input",
    "read_page",
    "read_stdin",
    "read_url",
]

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
_PLAIN_SUFFIXES = (".txt", ".text", ".md", ".markdown")
_FEED_SUFFIXES = (".xml", ".rss", ".atom")
_JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True, slots=True)
class Page:
    """A page read and parsed, to become a document. ``outlet`` is the title of the feed
    that carried its text, the outlet's name when the user gives none."""

    page: ParsedPage
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class FeedItem:
    """An item of a feed, not read yet: a link already stored needs no more work, else
    :func:`read_entry` reads it (the feed's text, or the page at its link)."""

    origin: str
    entry: FeedEntry
    outlet: str | None = None

    @property
    def link(self) -> str | None:
        return self.entry.link

    @property
    def title(self) -> str | None:
        return self.entry.title


@dataclass(frozen=True, slots=True)
class Thread:
    """The comments of a Disqus export's thread, for the stored article at ``link``."""

    origin: str
    link: str
    comments: tuple[Comment, ...]


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An item that could not be read; ``error`` says why, for the user."""

    origin: str
    error: str


Read = Page | FeedItem | Thread | Unreadable


def is_url(raw: str) -> bool:
    return raw.startswith(("http://", "https://"))


def open_fetcher(settings: Settings) -> Fetcher:
    """A fetcher with the settings' timeouts, size limit, pace, retries and courtesy;
    close it when done."""
    return Fetcher(
        limits=FetchLimits(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            max_bytes=settings.max_bytes,
            min_interval=settings.min_interval,
            retries=settings.retries,
            allow_private=settings.allow_private,
            respect_robots=settings.respect_robots,
        )
    )


def folder_files(path: Path) -> list[Path]:
    """The files of a folder that can be read (by suffix; hidden ones left out), sorted."""
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and p.suffix.lower() in _FILE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )
    if not files:
        raise InputError(str(path), "no HTML, text, Markdown, JSONL or feed files", "")
    return files


def _check_size(size: int, origin: str, *, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(
            origin,
            f"larger than the {max_bytes / 1e6:g} MB limit",
            "raise it with --max-bytes or TOCSIN_MAX_BYTES if you trust this input",
        )


def read_input(
    raw: str,
    *,
    fetcher: Callable[[], Fetcher],
    stdin: BinaryIO | None = None,
    max_bytes: int,
    min_words: int,
) -> Iterator[Read]:
    """One input that is not a folder (see :func:`folder_files`): ``-`` for ``stdin``
    (default: the process's), a URL (fetched with ``fetcher()``) or a file."""
    if raw == "-":
        stream = stdin or sys.stdin.buffer
        return read_stdin(stream, max_bytes=max_bytes, min_words=min_words)
    if is_url(raw):
        return read_url(raw, fetcher=fetcher, min_words=min_words)
    return read_file(Path(raw), max_bytes=max_bytes, min_words=min_words)


def read_stdin(stream: BinaryIO, *, max_bytes: int, min_words: int) -> Iterator[Read]:
    data = stream.read(max_bytes + 1)
    _check_size(len(data), "stdin", max_bytes=max_bytes)
    yield from read_bytes(data, origin="stdin", min_words=min_words)


def read_file(path: Path, *, max_bytes: int, min_words: int) -> Iterator[Read]:
    if not path.exists():
        raise InputError(str(path), "no such file, folder or URL", "check the path")
    try:
        _check_size(path.stat().st_size, str(path), max_bytes=max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})", "check permissions") from exc
    yield from read_bytes(data, origin=str(path), suffix=path.suffix, min_words=min_words)


def read_url(url: str, *, fetcher: Callable[[], Fetcher], min_words: int) -> Iterator[Read]:
    """A page or a feed at ``url``; a fetch that fails raises (``FetchError``)."""
    response = fetcher().fetch(url, accept=(*PAGE_TYPES, *FEED_TYPES))
    if response.content_type in FEED_TYPES or looks_like_feed(response.content):
        yield from read_feed(response.content, origin=url)
        return
    yield read_page(
        response.content,
        origin=url,
        url=response.url,
        charset=response.charset,
        plain=response.content_type in ("text/plain", "text/markdown"),
        min_words=min_words,
    )


def read_bytes(data: bytes, *, origin: str, suffix: str = "", min_words: int) -> Iterator[Read]:
    """Sniff what ``data`` is (the file's ``suffix`` first, if any, then the bytes) and
    read it; binary data is refused (``InputError``)."""
    suffix = suffix.lower()
    refuse_binary(data, origin)
    if suffix in _JSONL_SUFFIXES or (not suffix and data.lstrip()[:1] == b"{"):
        for item in parse_jsonl(decode(data), origin=origin):
            if isinstance(item, InputError):
                yield Unreadable(item.source, str(item))
            else:
                yield Page(item)
        return
    if looks_like_disqus(data):
        for link, comments in parse_disqus_export(data).items():
            yield Thread(origin, link, comments)
        return
    if suffix in _FEED_SUFFIXES or looks_like_feed(data):
        yield from read_feed(data, origin=origin)
        return
    plain = suffix in _PLAIN_SUFFIXES or (not suffix and not looks_like_html(data))
    yield read_page(
        data,
        origin=origin,
        url=None,
        charset=None,
        plain=plain,
        markdown=suffix in (".md", ".markdown"),
        min_words=min_words,
    )


def read_page(
    data: bytes,
    *,
    origin: str,
    url: str | None,
    charset: str | None,
    plain: bool,
    markdown: bool = False,
    min_words: int,
) -> Page | Unreadable:
    """An HTML page, or with ``plain`` a text (Markdown with ``markdown``) page.

    A text is kept however short (a one-line note is a document: its form says it is a
    report); only a text with no words is refused. An HTML page under ``min_words``
    words must read as prose, not as links or labels (a home or list page is not an
    article): see :func:`~tocsin.ingest.pages.parse_tree`."""
    try:
        if plain:
            page = parse_text(decode(data, declared=charset), origin=origin, markdown=markdown)
            if not page.text.split():
                raise InputError(origin, "no text", "check the file: it is empty or blank")
            page = replace(page, url=url)
        else:
            page = parse_html(data, origin=origin, url=url, charset=charset, min_words=min_words)
    except InputError as exc:
        return Unreadable(origin, str(exc))
    return Page(page)


def read_feed(data: bytes, *, origin: str) -> Iterator[FeedItem]:
    """The items of an RSS or Atom feed, each to read with :func:`read_entry`."""
    feed_title, entries = parse_feed(data, origin=origin)
    for number, entry in enumerate(entries, 1):
        yield FeedItem(entry.link or f"{origin}#{number}", entry, outlet=feed_title)


def read_entry(item: FeedItem, *, fetcher: Callable[[], Fetcher], min_words: int) -> Iterator[Read]:
    """A feed item: its text when the feed carries it in full (``min_words`` words or
    more), else the page (or feed) at its link. A short text is a document too: kept
    when the item has no link, or when the page at the link holds no article. A link
    that cannot be fetched is :class:`Unreadable` (the next poll tries it again)."""
    own = entry_page(item.entry, origin=item.origin, min_words=1)
    linked = bool(item.link and is_url(item.link))
    if own is not None and (not linked or len(own.text.split()) >= max(min_words, 1)):
        yield Page(own, outlet=item.outlet)
    elif item.link and linked:
        try:
            for read in read_url(item.link, fetcher=fetcher, min_words=min_words):
                # the linked page is no article (a post's page, a script): the feed's text is
                yield (
                    Page(own, outlet=item.outlet) if own and isinstance(read, Unreadable) else read
                )
        except InputError as exc:
            yield Unreadable(item.origin, str(exc))
    else:
        yield Unreadable(item.origin, f"{item.origin}: feed item has no text and no link; skipped")
