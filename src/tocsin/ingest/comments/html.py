"""Reader comments, kept apart from the article: HTML pages (here), plain text
(``comments_text.py``), Disqus exports (``comments_disqus.py``).

HTML comments are found by structure, not by one site's class names: comment items are
schema.org ``Comment`` microdata, elements whose class is ``comment`` (WordPress ``li.comment``,
``article.comment``, ``div.comment``...) or whose id is ``comment-N``; replies come from
nesting or from a ``data-parent`` attribute. The comment section (list, heading, reply form)
is removed from a copy of the tree, so the article body holds no comment.

``split_text_comments`` is re-exported here. Dates are read by ``dates.py``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Iterable
from datetime import datetime

from lxml import etree
from lxml.html import HtmlElement

from tocsin.ingest.comments.text import (
    ReplyIndex,
    clean_author,
    is_boiler,
    is_heading,
    new_comment,
    normalise_paragraphs,
    split_text_comments,
)
from tocsin.ingest.dates import find_date, parse_iso, read_date_line
from tocsin.models import Comment, Precision

__all__ = ["block_text", "split_html_comments", "split_text_comments"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Every item class, item id, container and schema type below contains "comment" (any case),
# "disqus" or "respond": a page with none of these has no comment section we can read.
_MAY_HAVE_COMMENTS = etree.XPath(
    "boolean(//*[contains(translate(@class, 'COMENT', 'coment'), 'comment')"
    " or contains(translate(@id, 'COMENT', 'coment'), 'comment')"
    " or contains(@itemtype, 'omment') or contains(@id, 'disqus') or contains(@class, 'disqus')"
    " or @id = 'respond' or contains(@class, 'respond')])"
)
_ITEM_CLASSES = _words("comment comment-item comment_item commentaire comments-item c-comment")
_ITEM_ID_RE = re.compile(r"(?:li-)?comment-?\d+")
_ITEM_TAGS = _words("li article div section dd blockquote aside")
_CONTAINERS = _words(
    "comments comments-area comment-list commentlist comments-list commentslist"
    " comments-section comment-section comments-container comments-wrapper comments-block"
    " comment-respond disqus_thread respond commentaires comment-thread comments-thread"
)
_CONTAINER_TAGS = _words("div section aside ol ul footer article dl form")
_BLOCK_TAGS = _words(
    "p div li ul ol blockquote section article header footer h1 h2 h3 h4 h5 h6 pre table tr"
    " td th dd dt dl figure figcaption aside main nav address hr"
)
_SKIP_TAGS = _words(
    "script style noscript template form button select textarea input svg iframe object"
    " embed img video audio canvas head title meta link"
)
_MEDIA_TAGS = _words("img video audio iframe picture svg object embed")
_UI_CLASSES = _words(
    "reply comment-reply-link comment-reply edit-link comment-edit-link says"
    " screen-reader-text sr-only comment-actions visually-hidden"
)
_TEXT_CLASS_RE = re.compile(
    r"(?:comments?[-_]{1,2}|commentaire[-_])?(?:content|text|message|body-text|contenu|texte)"
    r"|post-message|comment-entry|commentcontent|commenttext"
)
_AUTHOR_PARTS = _words("author auteur commenter username pseudo nickname")
_NOT_AUTHOR_PARTS = _words("avatar img photo badge role url")
_DATE_PARTS = _words("date time timestamp posted published meta metadata info")
_META_PARTS = (
    _DATE_PARTS
    | _AUTHOR_PARTS
    | _words(
        "reply avatar vcard says edit permalink actions footer header byline fn likes votes"
        " rating report share user"
    )
)
_PARENT_ATTRS = ("data-parent", "data-parent-id", "data-parentid", "data-reply-to")
_KEY_ATTRS = ("id", "data-id", "data-comment-id", "data-commentid")
_DATE_PROPS = _words("datecreated datepublished commenttime uploaddate")
_SCHEMA_COMMENT_RE = re.compile(r"/(?:Comment|UserComments)$")


def _classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").lower().split()


def _parts(token: str) -> set[str]:
    return set(re.split(r"[-_]+", token))


def _props(el: HtmlElement) -> list[str]:
    return (el.get("itemprop") or "").lower().split()


def _is_container(el: HtmlElement) -> bool:
    if el.tag not in _CONTAINER_TAGS:
        return False
    return (el.get("id") or "").lower() in _CONTAINERS or any(
        c in _CONTAINERS for c in _classes(el)
    )


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
        if any(_parts(c) & (_AUTHOR_PARTS | _DATE_PARTS | {"fn"}) for c in _classes(sub)):
            return True
    return False


def _short_text(el: HtmlElement, limit: int = 300) -> str | None:
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
            or tag in _SKIP_TAGS
            or any(c in _UI_CLASSES for c in _classes(el))
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


class _Item:
    """One comment element, the elements it owns (not those of nested replies), its parent."""

    __slots__ = ("el", "own", "parent")

    def __init__(self, el: HtmlElement, parent: _Item | None) -> None:
        self.el = el
        self.parent = parent
        self.own: list[HtmlElement] = []


def _is_item(el: HtmlElement, in_comments: bool) -> bool:
    """Schema.org Comment; or a comment class / WordPress ``li#comment-N`` that sits in a
    comment container, in a list, or shows an author or a date."""
    if _is_schema_comment(el):
        return True
    tokens = set(_classes(el))
    if el.tag not in _ITEM_TAGS or tokens & {"pingback", "trackback"}:
        return False
    is_li = el.tag == "li" and getattr(el.getparent(), "tag", "") in ("ol", "ul")
    if not (tokens & _ITEM_CLASSES or (is_li and _ITEM_ID_RE.fullmatch(el.get("id") or ""))):
        return False
    return in_comments or is_li or _has_comment_markup(el)


def _find_items(root: HtmlElement) -> tuple[list[_Item], list[HtmlElement]]:
    """Comment items in document order, and the comment containers seen (one walk)."""
    items: list[_Item] = []
    containers: list[HtmlElement] = []
    open_items: list[_Item] = []
    open_containers = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "end":
            if open_items and open_items[-1].el is el:
                open_items.pop()
            if _is_container(el):
                open_containers -= 1
            continue
        is_container = _is_container(el)
        if is_container:
            containers.append(el)
            open_containers += 1
        if el.tag in ("html", "body"):
            continue
        if not is_container and _is_item(el, open_containers > 0 or bool(open_items)):
            item = _Item(el, open_items[-1] if open_items else None)
            items.append(item)
            open_items.append(item)
        elif open_items:
            open_items[-1].own.append(el)
    return items, containers


def _find_author(own: list[HtmlElement]) -> tuple[HtmlElement | None, str | None]:
    for el in own:
        if "author" in _props(el):
            names = [e for e in el.iter() if "name" in _props(e)]
            return el, clean_author((names[0] if names else el).text_content())
    for el in own:
        if "fn" in _classes(el):
            return el, clean_author(el.text_content())
    for el in own:
        tokens = _classes(el)
        if (
            el.tag == "cite"
            or "author" in (el.get("rel") or "").lower().split()
            or any(_parts(c) & _AUTHOR_PARTS and not _parts(c) & _NOT_AUTHOR_PARTS for c in tokens)
        ):
            return el, clean_author(block_text(el).replace("\n\n", " "))
    return None, None


def _find_date(own: list[HtmlElement], hint: str | None) -> datetime | None:
    """``time[datetime]`` or microdata first, then the visible text of date-like elements.
    A comment's date needs a full day."""
    for el in own:
        machine = el.get("datetime") if el.tag == "time" else None
        if set(_props(el)) & _DATE_PROPS:
            machine = el.get("datetime") or el.get("content") or el.text_content()
        found = parse_iso(machine) if machine else None
        if found is not None and found[1] is Precision.DAY:
            return found[0]
    for el in own:
        if el.tag == "time" or any(_parts(c) & _DATE_PARTS for c in _classes(el)):
            found = find_date(_short_text(el) or "", lang=hint, need_day=True)
            if found is not None:
                return found[0]
    return None


def _find_text_el(own: list[HtmlElement]) -> HtmlElement | None:
    for el in own:
        if "text" in _props(el) or "commenttext" in _props(el):
            return el
    for el in own:
        if any(_TEXT_CLASS_RE.fullmatch(c) for c in _classes(el)):
            return el
    return None


def _is_meta(el: HtmlElement) -> bool:
    if el.tag in ("header", "footer", "time", "cite") or set(_props(el)) & (
        _DATE_PROPS | {"author"}
    ):
        return True
    return any(_parts(c) & _META_PARTS for c in _classes(el))


def _item_text(
    item: _Item,
    items: set[HtmlElement],
    author_el: HtmlElement | None,
    author: str | None,
    hint: str | None,
) -> tuple[str, datetime | None]:
    """The comment's own text. With no text element, meta parts are left out and a bare
    date paragraph, if any, is returned as the date."""
    text_el = _find_text_el(item.own)
    if text_el is not None:
        return block_text(text_el, items), None
    skip = {el for el in item.own if _is_meta(el)}
    if author_el is not None:
        skip.add(author_el)
    kept: list[str] = []
    posted: datetime | None = None
    for para in block_text(item.el, items, skip).split("\n\n"):
        if not para or (author and clean_author(para) == author):
            continue
        is_date, when = read_date_line(para, lang=hint)
        if is_date:
            posted = posted or when
            continue
        kept.append(para)
    return "\n\n".join(kept), posted


def _key_variants(value: str) -> Iterable[str]:
    value = value.strip().lower()
    yield value
    digits = re.sub(r"^\D+", "", value)
    if digits and digits != value:
        yield digits


def _has_own_text(item: _Item, nested: set[HtmlElement]) -> bool:
    if (item.el.text or "").strip():
        return True
    for el in item.own:
        if (el.text or "").strip() or (el.tail or "").strip():
            return True
    return any((e.tail or "").strip() for e in item.el.iter() if e in nested and e is not item.el)


def _comments_from_items(items: list[_Item], hint: str | None) -> tuple[Comment, ...]:
    """Comments with local ids; parents from data-parent attributes, else nesting, else
    an "@NAME" / "En réponse à NAME" opening. A wrapper item with no text of its own
    (``li.comment`` around ``div.comment``) is stood for by its first comment."""
    item_els = {item.el for item in items}
    keys: dict[str, str] = {}  # id / data-id values -> local id
    eff: dict[int, str | None] = {}  # id(item) -> parent for replies nested in that item
    waiting: dict[int, _Item] = {}  # wrappers whose first comment is still to come
    index = ReplyIndex()
    comments: list[Comment] = []
    for item in items:
        anc = item.parent
        inherited = eff.get(id(anc)) if anc is not None else None
        author_el, author = _find_author(item.own)
        text, para_date = _item_text(item, item_els, author_el, author, hint)
        if not text:
            eff[id(item)] = inherited
            if not _has_own_text(item, item_els):
                waiting[id(item)] = item
            continue
        cid = f"c{len(comments) + 1}"
        parent = inherited
        for attr in _PARENT_ATTRS:
            value = item.el.get(attr)
            if value is not None:
                found = next((keys[k] for k in _key_variants(value) if k in keys), None)
                if found is not None or value.strip() in ("", "0"):
                    parent = found
                break
        if parent is None:
            parent = index.resolve(text.split("\n\n", 1)[0])[0]
        posted = _find_date(item.own, hint) or para_date
        comments.append(new_comment(cid, text, parent, author, posted))
        eff[id(item)] = cid
        wrapper = waiting.pop(id(anc), None) if anc is not None else None
        if wrapper is not None:
            eff[id(wrapper)] = cid
            _add_keys(keys, wrapper.el, cid)
        _add_keys(keys, item.el, cid)
        index.add(author, cid)
    return tuple(comments)


def _add_keys(keys: dict[str, str], el: HtmlElement, cid: str) -> None:
    for attr in _KEY_ATTRS:
        for key in _key_variants(el.get(attr) or ""):
            if key:
                keys.setdefault(key, cid)


# ---------------------------------------------------------------------------------------
# Removing the comment section from the copy.


def _section_part(el: HtmlElement, on_path: set[HtmlElement]) -> bool:
    """Can ``el`` sit in a comment section: comments, their heading, the reply form, chrome?"""
    if not isinstance(el.tag, str) or el in on_path:
        return True
    if el.tag in _SKIP_TAGS or el.tag in ("hr", "br", "nav"):
        return el.tag != "nav" or _comment_named(el)
    if _comment_named(el) or el.find(".//textarea") is not None:
        return True
    text = _short_text(el, 200)
    if text is None:
        return False
    if not text:
        return not any(isinstance(e.tag, str) and e.tag in _MEDIA_TAGS for e in el.iter())
    return is_heading(text) or is_boiler(text)


def _comment_named(el: HtmlElement) -> bool:
    names = [(el.get("id") or "").lower(), *_classes(el)]
    return any(w in n for n in names for w in ("comment", "respond", "reply", "disqus", "reaction"))


def _section_roots(items: list[_Item], containers: list[HtmlElement]) -> list[HtmlElement]:
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
            safe[el] = _is_container(el) and el.find(".//h1") is None and el.find(".//main") is None
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
            text = _short_text(prev, 200)
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
    if not _MAY_HAVE_COMMENTS(tree):
        return tree, ()  # most pages: one XPath instead of a walk and a copy
    page = copy.deepcopy(tree)
    hint = lang_hint or _page_language(tree)
    items, containers = _find_items(page)
    comments = _comments_from_items(items, hint)
    _remove_sections(_section_roots(items, containers))
    return page, comments
