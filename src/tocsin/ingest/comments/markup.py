"""The markup of comment sections: which elements of a parsed page are comments and
comment containers, and the text of an element with its paragraphs apart.

Comments are found by structure, not by one site's class names: comment items are
schema.org ``Comment`` microdata, elements whose class is ``comment`` (WordPress
``li.comment``, ``article.comment``, ``div.comment``...) or whose id is ``comment-N``,
nested in the order of the page. The names below are CSS class names and ids as themes
write them (French themes' ``commentaire``, ``auteur``, ``pseudo`` among them): markup,
matched against attributes only, never against the text a reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from lxml import etree
from lxml.html import HtmlElement

from tocsin.ingest.comments.text import normalise_paragraphs

__all__ = [
    "AUTHOR_PARTS",
    "DATE_PARTS",
    "SKIP_TAGS",
    "CommentItem",
    "block_text",
    "class_parts",
    "classes",
    "find_items",
    "is_container",
    "may_have_comments",
    "short_text",
    "word_set",
]


def word_set(text: str) -> frozenset[str]:
    """The words of ``text`` (a table of names written on one line)."""
    return frozenset(text.split())


# Every item class, item id, container and schema type below contains "comment" (any case),
# "disqus" or "respond": a page with none of these has no comment section we can read.
_MAY_HAVE_COMMENTS = etree.XPath(
    "boolean(//*[contains(translate(@class, 'COMENT', 'coment'), 'comment')"
    " or contains(translate(@id, 'COMENT', 'coment'), 'comment')"
    " or contains(@itemtype, 'omment') or contains(@id, 'disqus') or contains(@class, 'disqus')"
    " or @id = 'respond' or contains(@class, 'respond')])"
)
_ITEM_CLASSES = word_set("comment comment-item comment_item commentaire comments-item c-comment")
_ITEM_ID_RE = re.compile(r"(?:li-)?comment-?\d+")
_ITEM_TAGS = word_set("li article div section dd blockquote aside")
_CONTAINERS = word_set(
    "comments comments-area comment-list commentlist comments-list commentslist"
    " comments-section comment-section comments-container comments-wrapper comments-block"
    " comment-respond disqus_thread respond commentaires comment-thread comments-thread"
)
_CONTAINER_TAGS = word_set("div section aside ol ul footer article dl form")
_BLOCK_TAGS = word_set(
    "p div li ul ol blockquote section article header footer h1 h2 h3 h4 h5 h6 pre table tr"
    " td th dd dt dl figure figcaption aside main nav address hr"
)
SKIP_TAGS = word_set(
    "script style noscript template form button select textarea input svg iframe object"
    " embed img video audio canvas head title meta link"
)
_UI_CLASSES = word_set(
    "reply comment-reply-link comment-reply edit-link comment-edit-link says"
    " screen-reader-text sr-only comment-actions visually-hidden"
)
AUTHOR_PARTS = word_set("author auteur commenter username pseudo nickname")
DATE_PARTS = word_set("date time timestamp posted published meta metadata info")
_SCHEMA_COMMENT_RE = re.compile(r"/(?:Comment|UserComments)$")


def classes(el: HtmlElement) -> list[str]:
    """The class names of ``el``, lower-cased."""
    return (el.get("class") or "").lower().split()


def class_parts(token: str) -> set[str]:
    """The parts of a class name between hyphens and underscores ("comment-author")."""
    return set(re.split(r"[-_]+", token))


def is_container(el: HtmlElement) -> bool:
    """Whether ``el`` is a comment section's container (``div#comments``, ``ol.comment-list``)."""
    if el.tag not in _CONTAINER_TAGS:
        return False
    return (el.get("id") or "").lower() in _CONTAINERS or any(c in _CONTAINERS for c in classes(el))


def _is_schema_comment(el: HtmlElement) -> bool:
    return any(_SCHEMA_COMMENT_RE.search(t) for t in (el.get("itemtype") or "").split())


def _has_comment_markup(el: HtmlElement) -> bool:
    """A class-only candidate must show an author, a date or meta to count as a comment."""
    for n, sub in enumerate(el.iter()):
        if n > 400:
            break
        if sub is el or not isinstance(sub.tag, str):
            continue
        if sub.tag in ("time", "cite") or sub.get("itemprop"):
            return True
        if any(class_parts(c) & (AUTHOR_PARTS | DATE_PARTS | {"fn"}) for c in classes(sub)):
            return True
    return False


def short_text(el: HtmlElement, limit: int = 300) -> str | None:
    """Normalised text of ``el`` if it is short, else None."""
    pieces: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece)
        if size > limit * 4:
            return None
        pieces.append(piece)
    text = " ".join("".join(pieces).split())
    return text if len(text) <= limit else None


def _flat(text: str) -> str:
    """HTML source line breaks are spaces; only elements make lines and paragraphs."""
    return text.replace("\r", " ").replace("\n", " ")


def block_text(root: HtmlElement, *skips: Collection[HtmlElement]) -> str:
    """Text of ``root`` with paragraphs apart, leaving out ``skips`` subtrees and UI chrome."""
    parts: list[str] = []
    stack: list[tuple[HtmlElement, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag
        if closing:
            if tag in _BLOCK_TAGS:
                parts.append("\n\n")
            if el is not root and el.tail:
                parts.append(_flat(el.tail))
            continue
        if el is not root and (
            not isinstance(tag, str)
            or any(el in skip for skip in skips)
            or tag in SKIP_TAGS
            or any(c in _UI_CLASSES for c in classes(el))
        ):
            if el.tail:
                parts.append(_flat(el.tail))
            continue
        if tag == "br":
            parts.append("\n")
        elif tag in _BLOCK_TAGS:
            parts.append("\n\n")
        if el.text and isinstance(tag, str):
            parts.append(el.text if tag == "pre" else _flat(el.text))
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    return normalise_paragraphs("".join(parts))


class CommentItem:
    """One comment element, the elements it owns (not those of nested replies), its parent."""

    __slots__ = ("el", "own", "parent")

    def __init__(self, el: HtmlElement, parent: CommentItem | None) -> None:
        self.el = el
        self.parent = parent
        self.own: list[HtmlElement] = []


def _is_item(el: HtmlElement, in_comments: bool) -> bool:
    """Schema.org Comment; or a comment class / WordPress ``li#comment-N`` that sits in a
    comment container, in a list, or shows an author or a date."""
    if _is_schema_comment(el):
        return True
    tokens = set(classes(el))
    if el.tag not in _ITEM_TAGS or tokens & {"pingback", "trackback"}:
        return False
    is_li = el.tag == "li" and getattr(el.getparent(), "tag", "") in ("ol", "ul")
    if not (tokens & _ITEM_CLASSES or (is_li and _ITEM_ID_RE.fullmatch(el.get("id") or ""))):
        return False
    return in_comments or is_li or _has_comment_markup(el)


def find_items(root: HtmlElement) -> tuple[list[CommentItem], list[HtmlElement]]:
    """Comment items in document order, and the comment containers seen (one walk)."""
    items: list[CommentItem] = []
    containers: list[HtmlElement] = []
    open_items: list[CommentItem] = []
    open_containers = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "end":
            if open_items and open_items[-1].el is el:
                open_items.pop()
            if is_container(el):
                open_containers -= 1
            continue
        container = is_container(el)
        if container:
            containers.append(el)
            open_containers += 1
        if el.tag in ("html", "body"):
            continue
        if not container and _is_item(el, open_containers > 0 or bool(open_items)):
            item = CommentItem(el, open_items[-1] if open_items else None)
            items.append(item)
            open_items.append(item)
        elif open_items:
            open_items[-1].own.append(el)
    return items, containers


def may_have_comments(tree: HtmlElement) -> bool:
    """Whether the page has any comment markup at all (one XPath; most pages have none)."""
    return bool(_MAY_HAVE_COMMENTS(tree))
