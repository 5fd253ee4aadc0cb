"""Reader comments in HTML pages, kept apart from the article: the comments of a page,
and a copy of the page with its comment section (list, heading, reply form) removed, so
that the article body holds no comment.

Which elements are comments is :mod:`tocsin.ingest.comments.markup`'s; how they make a
thread, :mod:`tocsin.ingest.comments.thread`'s. Plain text is read by
:mod:`tocsin.ingest.comments.text`, Disqus exports by :mod:`tocsin.ingest.comments.disqus`.
"""

from __future__ import annotations

import copy
import re

from lxml.html import HtmlElement

from tocsin.ingest.comments.markup import (
    SKIP_TAGS,
    CommentItem,
    classes,
    find_items,
    is_container,
    may_have_comments,
    short_text,
    word_set,
)
from tocsin.ingest.comments.text import is_boiler, is_heading
from tocsin.ingest.comments.thread import build_thread
from tocsin.models import Comment

__all__ = ["split_html_comments"]

_MEDIA_TAGS = word_set("img video audio iframe picture svg object embed")


def _section_part(el: HtmlElement, on_path: set[HtmlElement]) -> bool:
    """Can ``el`` sit in a comment section: comments, their heading, the reply form, chrome?"""
    if not isinstance(el.tag, str) or el in on_path:
        return True
    if el.tag in SKIP_TAGS or el.tag in ("hr", "br", "nav"):
        return el.tag != "nav" or _comment_named(el)
    if _comment_named(el) or el.find(".//textarea") is not None:
        return True
    text = short_text(el, 200)
    if text is None:
        return False
    if not text:
        return not any(isinstance(e.tag, str) and e.tag in _MEDIA_TAGS for e in el.iter())
    return is_heading(text) or is_boiler(text)


def _comment_named(el: HtmlElement) -> bool:
    names = [(el.get("id") or "").lower(), *classes(el)]
    return any(w in n for n in names for w in ("comment", "respond", "reply", "disqus", "reaction"))


def _section_roots(items: list[CommentItem], containers: list[HtmlElement]) -> list[HtmlElement]:
    """Outermost elements to remove: each top-level item's comment container, or the
    largest ancestor made only of comment parts, or the item itself; and every comment
    container (reply form, Disqus placeholder) that does not hold the page's title."""
    tops = [item.el for item in items if item.parent is None]
    on_path: set[HtmlElement] = set()
    for el in tops:
        node: HtmlElement | None = el
        while node is not None and node not in on_path:
            on_path.add(node)
            node = node.getparent()
    safe: dict[HtmlElement, bool] = {}
    parts_ok: dict[HtmlElement, bool] = {}

    def is_safe_container(el: HtmlElement) -> bool:
        if el not in safe:
            safe[el] = is_container(el) and el.find(".//h1") is None and el.find(".//main") is None
        return safe[el]

    def climb(el: HtmlElement) -> HtmlElement:
        best = None
        for anc in el.iterancestors():
            if anc.tag in ("body", "html"):
                break
            best = anc if is_safe_container(anc) else best
        if best is not None:
            return best
        while (parent := el.getparent()) is not None and parent.tag not in ("body", "html", "main"):
            if parent not in parts_ok:
                parts_ok[parent] = all(_section_part(child, on_path) for child in parent)
            if not parts_ok[parent]:
                break
            el = parent
        return el

    return [climb(el) for el in tops] + [el for el in containers if is_safe_container(el)]


def _remove_sections(roots: list[HtmlElement]) -> None:
    """Drop each root not inside another, with the comment heading just above it."""
    chosen = set(roots)
    for root in roots:
        if root.getparent() is None or any(anc in chosen for anc in root.iterancestors()):
            continue
        while (prev := root.getprevious()) is not None and isinstance(prev.tag, str):
            text = short_text(prev, 200)
            if not text or not (is_heading(text) or is_boiler(text)):
                break
            _drop(prev)
        _drop(root)


_XML_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _drop(el: HtmlElement) -> None:
    """Remove ``el`` and its subtree, keeping its tail text (lxml's drop_tree, but safe with
    control characters that the parser let through)."""
    parent = el.getparent()
    if parent is None:
        return
    tail, prev = el.tail, el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = _XML_UNSAFE_RE.sub("", (prev.tail or "") + tail)
        else:
            parent.text = _XML_UNSAFE_RE.sub("", (parent.text or "") + tail)
    parent.remove(el)


def _page_language(tree: HtmlElement) -> str | None:
    root = tree.getroottree().getroot()
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    return lang.strip().lower() or None if lang else None


def split_html_comments(
    tree: HtmlElement, *, lang_hint: str | None = None
) -> tuple[HtmlElement, tuple[Comment, ...]]:
    """Find the comment section(s) in a parsed page, return (a COPY of the tree with the
    comment sections removed, the comments in document order); a page with no comment
    markup at all comes back as is, not copied.

    ``lang_hint`` (else the page's ``lang``) decides how 05/11/2025 reads: day-first for
    French; with no language such a date is left out rather than guessed.
    """
    if not may_have_comments(tree):
        return tree, ()  # most pages: one XPath instead of a walk and a copy
    page = copy.deepcopy(tree)
    hint = lang_hint or _page_language(tree)
    items, containers = find_items(page)
    comments = build_thread(items, hint)
    _remove_sections(_section_roots(items, containers))
    return page, comments
