"""HTML page -> ``ParsedPage``: main text with trafilatura, comments split off first,
metadata from the page's own markup, dates only when the page gives them."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import lxml.etree
import lxml.html
import trafilatura

from tocsin.errors import InputError
from tocsin.ingest.comments.html import split_html_comments
from tocsin.ingest.dates import find_date, parse_iso
from tocsin.ingest.language import normalise_code
from tocsin.ingest.text import clean_author, decode, refuse_binary
from tocsin.models import ParsedPage, Precision

# Machine-readable publication dates, most specific first.
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "pubdate",
    "publishdate",
    "sailthru.date",
    "parsely-pub-date",
)
_BYLINE_XPATH = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')"
    " or contains(@class, 'date') or contains(@class, 'meta') or contains(@class, 'posted')"
    " or self::time][not(ancestor::*[@id='comments'])]"
)


def _meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    return found


def _json_ld(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                items.append(item)
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
            elif isinstance(item, list):
                stack.extend(item)
    return items


def _published(
    tree: lxml.html.HtmlElement, meta: dict[str, str], lang: str | None
) -> tuple[datetime, Precision] | None:
    for key in _DATE_META:
        if key in meta and (found := parse_iso(meta[key])):
            return found
    for item in _json_ld(tree):
        value = item.get("datePublished")
        if isinstance(value, str) and (found := parse_iso(value)):
            return found
    for el in tree.xpath("//time[@datetime][not(ancestor::*[contains(@class,'comment')])]")[:3]:
        if found := parse_iso(el.get("datetime", "")):
            return found
    for el in tree.xpath(_BYLINE_XPATH)[:20]:
        text = " ".join(el.text_content().split())
        if 4 <= len(text) <= 200 and (found := find_date(text, lang=lang)):
            return found
    return None


def _author(tree: lxml.html.HtmlElement, meta: dict[str, str], fallback: str | None) -> str | None:
    for key in ("author", "article:author", "dc.creator", "byl"):
        value = meta.get(key, "")
        if value and not value.startswith("http"):
            return clean_author(value)
    for item in _json_ld(tree):
        author = item.get("author")
        if isinstance(author, list) and author:
            author = author[0]
        if isinstance(author, dict) and isinstance(author.get("name"), str):
            return clean_author(author["name"])
        if isinstance(author, str):
            return clean_author(author)
    return clean_author(fallback)


def _language(tree: lxml.html.HtmlElement, meta: dict[str, str]) -> str | None:
    return normalise_code(tree.get("lang")) or normalise_code(
        meta.get("content-language") or meta.get("og:locale") or meta.get("language")
    )


def _strip_title(text: str, title: str | None) -> str:
    lines = text.split("\n")
    if title and lines and lines[0].strip() == title.strip():
        lines = lines[1:]
    return "\n\n".join(line.strip() for line in lines if line.strip())


_SENTENCE = re.compile(r"\w[^.!?…]*\s\w[^.!?…]*[.!?…]")  # two words or more, then a stop


def _reads_as_prose(text: str, tree: lxml.html.HtmlElement) -> bool:
    """Whether a short page's text is written prose (a post, a two-sentence report), not
    the links and labels of a home, list or menu page: a sentence, and most of its words
    outside the links it shows (a menu the extraction left out does not count)."""
    flat = " ".join(text.split())
    anchors = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    linked = sum(len(anchor.split()) for anchor in anchors if anchor and anchor in flat)
    return bool(_SENTENCE.search(text)) and linked * 2 < len(flat.split())


def parse_tree(
    tree: lxml.html.HtmlElement, *, origin: str, url: str | None = None, min_words: int = 0
) -> ParsedPage:
    """Everything we keep from a parsed page. A page with no text is refused, and so is
    one of fewer than ``min_words`` words that does not read as prose (links and labels:
    a home, list or menu page); a short post or report is kept."""
    meta = _meta(tree)
    lang = _language(tree, meta)
    article, comments = split_html_comments(tree, lang_hint=lang)
    extracted = trafilatura.bare_extraction(
        article, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    text = getattr(extracted, "text", None) or ""
    title = getattr(extracted, "title", None) or meta.get("og:title")
    text = _strip_title(text, title)
    words = len(text.split())
    if words == 0 or (words < min_words and not _reads_as_prose(text, article)):
        what = "no article text" if words == 0 else f"only {words} words of links or labels"
        raise InputError(
            origin,
            f"{what} found; this does not look like an article",
            "pass an article page (or its feed), not a home, list or error page",
        )
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    page_url = (canonical[0].strip() if canonical else None) or meta.get("og:url") or url
    published = _published(tree, meta, lang)
    return ParsedPage(
        text=text,
        origin=origin,
        url=page_url if page_url and re.match(r"https?://", page_url) else url,
        title=title,
        author=_author(tree, meta, getattr(extracted, "author", None)),
        published=published[0] if published else None,
        published_precision=published[1] if published else None,
        site_name=meta.get("og:site_name") or getattr(extracted, "sitename", None),
        language=lang,
        comments=comments,
    )


def parse_html(
    data: bytes,
    *,
    origin: str,
    url: str | None = None,
    charset: str | None = None,
    min_words: int = 0,
) -> ParsedPage:
    """Parse an HTML page given as bytes (any encoding, possibly truncated)."""
    refuse_binary(data, origin)
    text = decode(data, declared=charset or _declared_charset(data))
    if not text.strip():
        raise InputError(origin, "empty page", "check the address or the file")
    text = _XML_DECL.sub("", text, count=1)
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(origin, f"not readable as HTML ({exc})", "check the file") from exc
    return parse_tree(tree, origin=origin, url=url, min_words=min_words)


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET_RE.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<head" in head
