"""Bytes to text (with lying encodings), plain text and Markdown pages, JSON-lines exports."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime

import charset_normalizer
import lxml.html
from markdown_it import MarkdownIt

from tocsin.errors import InputError
from tocsin.ingest.comments.text import split_text_comments
from tocsin.ingest.dates import find_date, parse_date, read_date_line, to_utc
from tocsin.ingest.language import normalise_code
from tocsin.models import Comment, ParsedPage, Precision

_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "a program",
    b"\xd0\xcf\x11\xe0": "an old Office file",
}
_ADVICE = (
    "Tocsin reads HTML, plain text, Markdown, JSON lines and RSS/Atom; convert it to text first"
)


def refuse_binary(data: bytes, origin: str) -> None:
    """Raise if ``data`` is not text of any kind."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(origin, f"this is {what}, not a page", _ADVICE)
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(origin, "binary content (NUL bytes), not a page", _ADVICE)


def decode(data: bytes, *, declared: str | None = None) -> str:
    """Decode bytes whatever the page claims.

    Valid UTF-8 wins even when the page declares cp1252 (the decode cannot succeed by
    accident on real cp1252 text with accents); otherwise the declared charset if it decodes
    cleanly; otherwise charset-normalizer's guess; cp1252 with replacement as a last resort.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared.lower().replace("_", "-") not in {"utf-8", "utf8"}:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding, errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


_BYLINE_RE = re.compile(r"^\s*[*_]*\s*(?:par|by|de)\s+(?P<name>[^—–|,*_\d]{2,80})", re.I)
_BLANKS = re.compile(r"\n\s*\n+")
_markdown = MarkdownIt("commonmark")


def _markdown_to_text(source: str) -> str:
    html = _markdown.render(source)
    if not html.strip():
        return ""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    blocks = [el.text_content().strip() for el in tree]
    return "\n\n".join(b for b in blocks if b)


def clean_author(value: str | None) -> str | None:
    """``Par Awa Traoré`` -> ``Awa Traoré``; empty -> None."""
    if not value:
        return None
    value = re.sub(r"^\s*(?:par|by)\s+", "", value.strip(), flags=re.I).strip(" ,;—–-")
    return value[:200] or None


# The end of a sentence: a first line that ends so is the text's first sentence, no title.
_SENTENCE_END = re.compile(r"[.!…]['\"»”’)\]]*\s*$")


_MAX_NAME_WORDS = 5  # a byline's name ("Par Awa Traoré", "By our correspondent in Gao")
_MIN_SENTENCE_WORDS = 6  # a line with a date and this many words, ending as a sentence


def _date_line(line: str, lang: str | None) -> bool:
    """Whether a line near the top is the page's date line ("3 DÉC. 2025", "Publié le 4
    novembre 2025 à 9 h 12", "BAMAKO, 3 déc. 2025 (AFP)") rather than a sentence of the
    text that names a date ("On 3 December 2025, gunmen attacked …")."""
    if read_date_line(line, lang=lang)[0]:
        return True
    return not (_SENTENCE_END.search(line) and len(line.split()) >= _MIN_SENTENCE_WORDS)


def _title_line(line: str, *, markdown: bool) -> bool:
    """Whether the first line of a text is its title: a Markdown heading, or a short line
    that does not end as a sentence does ("Note de situation", "Attaque à Boni ?")."""
    if markdown and line.lstrip().startswith("#"):
        return True
    return len(line) <= 250 and not _SENTENCE_END.search(line)


def parse_text(
    text: str, *, origin: str, markdown: bool = False, lang_hint: str | None = None
) -> ParsedPage:
    """A page kept as plain text or Markdown: the first line is the title unless it reads
    as the first sentence; a "Par X" / "By X" line and a date line near the top are read
    and removed; comments are split off. The text is never left empty for a title: a
    one-line note is its own body (and its title)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    body, comments = split_text_comments(text, lang_hint=lang_hint)
    lines = body.strip("\n").split("\n")
    title: str | None = None
    author: str | None = None
    published: tuple[datetime, Precision] | None = None
    while lines and not lines[0].strip():
        lines.pop(0)
    first = lines[0] if lines else ""
    if lines and _title_line(first, markdown=markdown):
        title = lines.pop(0).strip().lstrip("#").strip() or None
    head = 0
    header: list[str] = []  # the byline and date lines taken out of the body
    while head < len(lines) and head < 6:
        line = lines[head].strip()
        if not line:
            head += 1
            continue
        if len(line) > 120:
            break
        byline = _BYLINE_RE.match(line)
        if byline and len(byline.group("name").split()) > _MAX_NAME_WORDS:
            byline = None  # "De nombreux civils ont été tués…": a sentence, not "Par X"
        date = find_date(line, lang=lang_hint) if byline or _date_line(line, lang_hint) else None
        if not byline and not date:
            break
        if byline and author is None:
            author = clean_author(byline.group("name"))
        if date and published is None:
            published = date
        header.append(lines.pop(head))
    rest = "\n".join(lines)
    rest = _markdown_to_text(rest) if markdown else _BLANKS.sub("\n\n", rest).strip()
    if markdown and title:
        title = re.sub(r"[*_`]", "", title).strip() or None
    if not rest.split() and title:  # nothing but the title line: it is the whole note
        rest = _markdown_to_text(first) if markdown else first.strip()
    elif not rest.split() and header:  # nothing but what looked like a header: the note
        rest = "\n".join(line.strip() for line in header)
    return ParsedPage(
        text=rest,
        origin=origin,
        title=title,
        author=author,
        published=published[0] if published else None,
        published_precision=published[1] if published else None,
        language=lang_hint,
        comments=comments,
    )


def _record_date(
    value: object, lang: str | None, *, need_day: bool = False
) -> tuple[datetime, Precision] | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return parse_date(value, lang=lang, need_day=need_day)


def _record_comments(items: object, origin: str, lang: str | None) -> tuple[Comment, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise InputError(origin, "'comments' must be a list of objects", "fix the export")
    local: dict[str, str] = {}
    out: list[Comment] = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not str(item.get("text") or "").strip():
            raise InputError(origin, f"comment {i} has no text", "give each comment a 'text'")
        local[str(item.get("id", f"c{i}"))] = f"c{i}"
    for i, item in enumerate(items, 1):
        parent = item.get("parent_id")
        posted = _record_date(item.get("posted"), lang, need_day=True)  # a comment: full day
        out.append(
            Comment(
                id=f"c{i}",
                text=str(item["text"]).strip(),
                parent_id=local.get(str(parent)) if parent not in (None, "") else None,
                author=str(item["author"]) if item.get("author") else None,
                posted=to_utc(posted[0]) if posted else None,
                posted_precision=posted[1] if posted else None,
            )
        )
    return tuple(out)


def parse_jsonl(text: str, *, origin: str) -> Iterator[ParsedPage | InputError]:
    """One article per line: url, title, author, published, source, language, text, comments.
    A bad line yields an ``InputError`` naming the line; the other lines go on."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise InputError(where, "not a JSON object", "write one article object per line")
            body = record.get("text")
            if not isinstance(body, str) or not body.strip():
                raise InputError(where, "no 'text'", "give each article its full text")
            lang = normalise_code(record.get("language"))
            published = _record_date(record.get("published"), lang)
            hints = {k: str(record[k]) for k in ("source", "kind") if record.get(k)}
            yield ParsedPage(
                text=_BLANKS.sub("\n\n", body.replace("\r\n", "\n")).strip(),
                origin=where,
                url=str(record["url"]) if record.get("url") else None,
                title=str(record["title"]) if record.get("title") else None,
                author=clean_author(str(record["author"])) if record.get("author") else None,
                published=published[0] if published else None,
                published_precision=published[1] if published else None,
                language=lang,
                comments=_record_comments(record.get("comments"), where, lang),
                hints=hints,
            )
        except json.JSONDecodeError as exc:
            yield InputError(where, f"not valid JSON ({exc.msg})", "fix or remove this line")
        except InputError as exc:
            yield exc
