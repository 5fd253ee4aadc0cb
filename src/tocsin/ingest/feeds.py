"""RSS and Atom feeds (feedparser): entries with their links, and full text when the feed
carries it."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser
import lxml.etree
import lxml.html

from tocsin.errors import InputError
from tocsin.ingest.dates import parse_date
from tocsin.ingest.language import normalise_code
from tocsin.ingest.text import clean_author, refuse_binary
from tocsin.models import ParsedPage, Precision

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
        "application/feed+json",
    }
)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str | None
    title: str | None
    author: str | None
    published: datetime | None
    published_precision: Precision | None
    content_html: str | None
    language: str | None


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return bool(
        re.match(rb"(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", head, re.S)
    )


def _entry_date(
    entry: feedparser.FeedParserDict, lang: str | None
) -> tuple[datetime, Precision] | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC), Precision.DAY
    for key in ("published", "updated"):
        raw = entry.get(key)
        if isinstance(raw, str) and (found := parse_date(raw, lang=lang)):
            return found
    return None


def parse_feed(data: bytes, *, origin: str) -> tuple[str | None, list[FeedEntry]]:
    """(feed title, entries). A page that is not a feed gets a clear error."""
    refuse_binary(data, origin)
    if not looks_like_feed(data):
        got = "HTML" if b"<html" in data[:4096].lower() else "something else"
        raise InputError(
            origin,
            f"not an RSS or Atom feed (got {got})",
            "pass the page URL to `tocsin ingest` instead, or the site's feed address",
        )
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no entries"
        raise InputError(origin, f"unreadable feed ({reason})", "check the feed address")
    feed_lang = normalise_code(parsed.feed.get("language"))
    entries = []
    for entry in parsed.entries:
        contents = entry.get("content") or []
        html = max((c.get("value", "") for c in contents), key=len, default="") or entry.get(
            "summary"
        )
        date = _entry_date(entry, feed_lang)
        entries.append(
            FeedEntry(
                link=entry.get("link"),
                title=entry.get("title"),
                author=clean_author(entry.get("author")),
                published=date[0] if date else None,
                published_precision=date[1] if date else None,
                content_html=html or None,
                language=feed_lang,
            )
        )
    return parsed.feed.get("title"), entries


def html_fragment_text(html: str) -> str:
    """Text of an HTML fragment, one paragraph per block."""
    if not html.strip():
        return ""
    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    blocks: list[str] = []
    if root.text and root.text.strip():
        blocks.append(root.text.strip())
    for child in root:
        if isinstance(child.tag, str) and child.tag not in {"script", "style"}:
            blocks.append(" ".join(child.text_content().split()))
        if child.tail and child.tail.strip():
            blocks.append(child.tail.strip())
    return "\n\n".join(b for b in blocks if b)


def entry_page(entry: FeedEntry, *, origin: str, min_words: int) -> ParsedPage | None:
    """The entry as a page when the feed carries its full text, else None (fetch the link)."""
    text = html_fragment_text(entry.content_html or "")
    if len(text.split()) < max(min_words, 1):
        return None
    return ParsedPage(
        text=text,
        origin=origin,
        url=entry.link,
        title=entry.title,
        author=entry.author,
        published=entry.published,
        published_precision=entry.published_precision,
        language=entry.language,
    )
