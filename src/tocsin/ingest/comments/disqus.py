"""Disqus XML exports: each thread's comments, keyed by the thread's link.

The XML is parsed with entities, DTDs and the network off (an export is hostile input like
any page). ``looks_like_disqus`` sniffs the bytes so that a caller can route an export here.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from tocsin.errors import InputError
from tocsin.ingest.comments.markup import block_text
from tocsin.ingest.comments.text import clean_author, new_comment, normalise_paragraphs
from tocsin.ingest.dates import parse_iso
from tocsin.models import Comment, Precision

__all__ = ["looks_like_disqus", "parse_disqus_export"]

_DSQ = "{http://disqus.com/disqus-internals}id"


def _local(el: etree._Element) -> str:
    tag = el.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child(el: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in el if _local(c) == name), None)


def _child_text(el: etree._Element, name: str) -> str:
    found = _child(el, name)
    return (found.text or "").strip() if found is not None else ""


def _dsq_id(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return el.get(_DSQ) or el.get("dsq:id") or el.get("id") or ""


_SNIFF_RE = re.compile(
    rb"(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?disqus\b",
    re.S,
)


def looks_like_disqus(data: bytes) -> bool:
    """Do these bytes start like a Disqus export (``<disqus>`` root, after the XML
    declaration, comments or a doctype)?"""
    head = data[:4096].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    return _SNIFF_RE.match(head) is not None


def _disqus_root(xml: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    source, advice = "Disqus export", "pass the XML file from Disqus (Moderation > Export)"
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(source, f"not well-formed XML ({exc})", advice) from exc
    if root is None or _local(root) != "disqus":
        name = _local(root) if root is not None else ""
        raise InputError(source, f"root element is <{name}>, not <disqus>", advice)
    return root


def parse_disqus_export(xml: bytes) -> dict[str, tuple[Comment, ...]]:
    """Disqus XML export -> {thread link: comments in export order}.

    Deleted and spam posts are skipped; a reply to a skipped post goes to the nearest kept
    post above it. A thread with no link is keyed ``disqus-thread:<id>``; threads without a
    kept post are left out. Raises InputError when the bytes are not a Disqus export.
    """
    root = _disqus_root(xml)
    links = {_dsq_id(el): _child_text(el, "link") for el in root if _local(el) == "thread"}
    posts = [el for el in root if _local(el) == "post"]
    skipped = {  # deleted or spam post -> its parent
        _dsq_id(post): _dsq_id(_child(post, "parent"))
        for post in posts
        if "true" in (_child_text(post, "isDeleted"), _child_text(post, "isSpam"))
    }
    grouped: dict[str, list[Comment]] = {}
    local: dict[str, tuple[str, str]] = {}  # dsq id -> (link, local id)
    for post in posts:
        if _dsq_id(post) in skipped:
            continue
        tid = _dsq_id(_child(post, "thread"))
        link = links.get(tid) or f"disqus-thread:{tid}"
        message = _child_text(post, "message")
        try:
            text = block_text(lxml.html.fragment_fromstring(message, create_parent="div"))
        except (etree.ParserError, ValueError):
            text = normalise_paragraphs(message)
        if not text:
            continue
        ref, seen = _dsq_id(_child(post, "parent")), set()
        while ref in skipped and ref not in seen:
            seen.add(ref)
            ref = skipped[ref]
        parent = local.get(ref)
        who = _child(post, "author")
        author = who is not None and (_child_text(who, "name") or _child_text(who, "username"))
        thread = grouped.setdefault(link, [])
        cid = f"c{len(thread) + 1}"
        parent_id = parent[1] if parent and parent[0] == link else None
        created = parse_iso(_child_text(post, "createdAt"))
        posted = created[0] if created and created[1] is Precision.DAY else None
        thread.append(new_comment(cid, text, parent_id, clean_author(author or ""), posted))
        local.setdefault(_dsq_id(post) or f"#{cid}", (link, cid))
    return {link: tuple(comments) for link, comments in grouped.items()}
