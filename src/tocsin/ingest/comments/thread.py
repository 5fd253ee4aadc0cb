"""The thread of an HTML comment section: each comment element found by
:mod:`tocsin.ingest.comments.markup` made a comment with its author, date, text and the
comment it replies to.

Replies come from a ``data-parent`` attribute, else from nesting, else from an "@NAME" /
"En réponse à NAME" opening. Dates are read by :mod:`tocsin.ingest.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from lxml.html import HtmlElement

from tocsin.ingest.comments.markup import (
    AUTHOR_PARTS,
    DATE_PARTS,
    CommentItem,
    block_text,
    class_parts,
    classes,
    short_text,
    word_set,
)
from tocsin.ingest.comments.text import ReplyIndex, clean_author, new_comment
from tocsin.ingest.dates import find_date, parse_iso, read_date_line
from tocsin.models import Comment, Precision

__all__ = ["build_thread"]

_TEXT_CLASS_RE = re.compile(
    r"(?:comments?[-_]{1,2}|commentaire[-_])?(?:content|text|message|body-text|contenu|texte)"
    r"|post-message|comment-entry|commentcontent|commenttext"
)
_NOT_AUTHOR_PARTS = word_set("avatar img photo badge role url")
_META_PARTS = (
    DATE_PARTS
    | AUTHOR_PARTS
    | word_set(
        "reply avatar vcard says edit permalink actions footer header byline fn likes votes"
        " rating report share user"
    )
)
_PARENT_ATTRS = ("data-parent", "data-parent-id", "data-parentid", "data-reply-to")
_KEY_ATTRS = ("id", "data-id", "data-comment-id", "data-commentid")
_DATE_PROPS = word_set("datecreated datepublished commenttime uploaddate")


def _props(el: HtmlElement) -> list[str]:
    return (el.get("itemprop") or "").lower().split()


def _find_author(own: list[HtmlElement]) -> tuple[HtmlElement | None, str | None]:
    for el in own:
        if "author" in _props(el):
            names = [e for e in el.iter() if "name" in _props(e)]
            return el, clean_author((names[0] if names else el).text_content())
    for el in own:
        if "fn" in classes(el):
            return el, clean_author(el.text_content())
    for el in own:
        tokens = classes(el)
        if (
            el.tag == "cite"
            or "author" in (el.get("rel") or "").lower().split()
            or any(
                class_parts(c) & AUTHOR_PARTS and not class_parts(c) & _NOT_AUTHOR_PARTS
                for c in tokens
            )
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
        if el.tag == "time" or any(class_parts(c) & DATE_PARTS for c in classes(el)):
            found = find_date(short_text(el) or "", lang=hint, need_day=True)
            if found is not None:
                return found[0]
    return None


def _find_text_el(own: list[HtmlElement]) -> HtmlElement | None:
    for el in own:
        if "text" in _props(el) or "commenttext" in _props(el):
            return el
    for el in own:
        if any(_TEXT_CLASS_RE.fullmatch(c) for c in classes(el)):
            return el
    return None


def _is_meta(el: HtmlElement) -> bool:
    if el.tag in ("header", "footer", "time", "cite") or set(_props(el)) & (
        _DATE_PROPS | {"author"}
    ):
        return True
    return any(class_parts(c) & _META_PARTS for c in classes(el))


def _item_text(
    item: CommentItem,
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


def _has_own_text(item: CommentItem, nested: set[HtmlElement]) -> bool:
    if (item.el.text or "").strip():
        return True
    for el in item.own:
        if (el.text or "").strip() or (el.tail or "").strip():
            return True
    return any((e.tail or "").strip() for e in item.el.iter() if e in nested and e is not item.el)


def build_thread(items: list[CommentItem], hint: str | None) -> tuple[Comment, ...]:
    """Comments with local ids; parents from data-parent attributes, else nesting, else
    an "@NAME" / "En réponse à NAME" opening. A wrapper item with no text of its own
    (``li.comment`` around ``div.comment``) is stood for by its first comment."""
    item_els = {item.el for item in items}
    keys: dict[str, str] = {}  # id / data-id values -> local id
    eff: dict[int, str | None] = {}  # id(item) -> parent for replies nested in that item
    waiting: dict[int, CommentItem] = {}  # wrappers whose first comment is still to come
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
