"""Reader comments in a page copied as plain text, and the cues shared with the HTML splitter.

A copied page ends with a heading line ("22 commentaires", "14 Comments", "Réactions"),
then comments: an author line and a date line (either order, or "Moussa dit :"), text
paragraphs, and a "Répondre" / "Reply" marker line. Replies are indented, or begin with
"En réponse à NAME" / "In reply to NAME" / "@NAME". A reply form and the footer may follow.

Everything here is linear in the size of the text: lines are classified once with anchored
regexes bounded in length, and date lines are read by the regexes of ``dates.py`` (never by
guessing, never by dateparser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from tocsin.errors import ConfigError
from tocsin.ingest.dates import read_date_line
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.models import Comment, Precision

__all__ = ["is_heading", "split_text_comments"]

# ---------------------------------------------------------------------------------------
# Cues shared with the HTML reader (html.py, thread.py): markers, headings, form
# boilerplate. Their words are knowledge/comment_pages.toml's, every language's together.

_ARROWS = r"[↓↑→›»▼↵⤶↩]"
_KEYS = (
    "reply", "ui", "count", "heading", "responses", "about", "form", "to", "cancel", "notes",
    "says", "by", "reply_to", "cues", "marker_cues",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Cues:
    """The compiled cues of every language."""

    marker: re.Pattern[str]
    heading: re.Pattern[str]
    boiler: re.Pattern[str]
    says_tail: re.Pattern[str]
    by: re.Pattern[str]
    reply_to: re.Pattern[str]
    says: re.Pattern[str]
    language: dict[str, re.Pattern[str]]  # per language: the words that tell it
    marker_language: dict[str, re.Pattern[str]]  # per language: its words in a marker line


@per_knowledge_dir
def _cues() -> _Cues:
    data, source = load_knowledge("comment_pages"), knowledge_source("comment_pages")
    words: dict[str, list[str]] = {key: [] for key in _KEYS}
    language: dict[str, re.Pattern[str]] = {}
    marker_language: dict[str, re.Pattern[str]] = {}
    for lang, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [{lang}] must be a table of the keys {', '.join(_KEYS)}")
        if unknown := set(table) - set(_KEYS):
            raise ConfigError(
                f"{source}: [{lang}] unknown key(s) {', '.join(sorted(unknown))}; "
                f"use {', '.join(_KEYS)}"
            )
        for key, values in table.items():
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise ConfigError(f"{source}: [{lang}] {key} must be a list of expressions")
            words[key] += values
        language[lang] = _compile(source, lang, "cues", "|".join(table.get("cues", ["(?!)"])))
        marker_language[lang] = _compile(
            source, lang, "marker_cues", "|".join(table.get("marker_cues", ["(?!)"]))
        )

    def alt(key: str) -> str:
        return "|".join(words[key]) or "(?!)"

    count = rf"(?:\d{{1,6}}|{alt('count')})"
    cancel = alt("cancel")
    reply, ui = f"(?:{alt('reply')})", f"(?:{alt('ui')})"
    return _Cues(
        marker=_compile(
            source, "*", "reply",
            rf"(?:[↳↪⤷→>]\s*)?(?:{ui}\s*[·•|]\s*)*{reply}(?:\s*{_ARROWS}+)?"
            rf"(?:\s*[·•|]\s*{ui})*",
        ),
        heading=_compile(
            source, "*", "heading",
            rf"(?:{count}\s+)?(?:{alt('heading')})(?:\s*\(\d{{1,6}}\))?\s*:?"
            rf"|{count}\s+(?:{alt('heading')}|{alt('responses')})\s+(?:{alt('about')})\s+.{{1,200}}",
        ),
        boiler=_compile(  # the reply form's heading and notes, "comments are closed"
            source, "*", "form",
            rf"(?:{alt('form')})(?:\s+(?:{alt('to')})\s+.{{1,80}}?)?(?:\s+(?:{cancel}))?[\s.:*]*"
            rf"|(?:{cancel})|(?:{alt('notes')}).{{0,120}}",
        ),
        says_tail=_compile(source, "*", "says", rf"\s*(?:{alt('says')})\s*:?\s*$"),
        by=_compile(source, "*", "by", rf"^(?:{alt('by')})\s+"),
        reply_to=_compile(
            source, "*", "reply_to", rf"(?P<lead>{alt('reply_to')})\s+(?P<rest>.+)|@(?P<at>\S.*)"
        ),
        says=_compile(
            source, "*", "says",
            rf"(?P<author>\S.{{0,79}}?)\s+(?:{alt('says')})\s*:\s*(?P<rest>.*)",
        ),
        language=language,
        marker_language=marker_language,
    )  # fmt: skip


def _compile(source: object, lang: str, key: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(
            f"{source}: [{lang}] {key}: not a regular expression ({exc}); fix it"
        ) from None


def is_heading(line: str) -> bool:
    """Whether ``line`` is a comment section's heading ("22 commentaires", "Reactions")."""
    return _cues().heading.fullmatch(line) is not None


def is_boiler(line: str) -> bool:
    return len(line) <= 200 and _cues().boiler.fullmatch(line.strip()) is not None


def is_marker(line: str) -> bool:
    return len(line) <= 80 and _cues().marker.fullmatch(line.strip()) is not None


def normalise_paragraphs(raw: str) -> str:
    """Blank lines separate paragraphs; whitespace inside one collapses; markers go."""
    out = []
    for para in re.split(r"\n[^\S\n]*\n", raw):
        flat = " ".join(para.split())
        if flat and not is_marker(flat):
            out.append(flat)
    return "\n\n".join(out)


def new_comment(
    cid: str, text: str, parent: str | None, author: str | None, posted: datetime | None
) -> Comment:
    """A comment; a full date is day precision (language is detected later)."""
    precision = Precision.DAY if posted is not None else None
    return Comment(cid, text, parent, author, posted, precision)


def clean_author(name: str) -> str | None:
    """'Moussa says:' -> 'Moussa'; empty or implausibly long names -> None."""
    cues = _cues()
    name = cues.says_tail.sub("", " ".join(name.split()))
    name = cues.by.sub("", name).strip(" :,|·•-–")
    return name if 0 < len(name) <= 120 else None


_NAME_PUNCT = " .,:;!?»«\"'“”()"


class ReplyIndex:
    """Latest comment by each author name, to resolve "@NAME" and "En réponse à NAME"."""

    def __init__(self) -> None:
        self._full: dict[str, str] = {}
        self._first: dict[str, str] = {}

    def add(self, author: str | None, comment_id: str) -> None:
        if not author:
            return
        key = author.casefold()
        self._full[key] = comment_id
        self._full[key.replace(" ", "")] = comment_id
        self._first[key.split()[0]] = comment_id

    def resolve(self, line: str) -> tuple[str | None, bool]:
        """(parent id or None, whether the whole line is only a "reply to NAME" notice)."""
        m = _cues().reply_to.fullmatch(line.strip())
        if not m:
            return None, False
        rest = m.group("rest") if m.group("lead") else m.group("at")
        words = rest.split()[:6]
        for k in range(len(words), 0, -1):
            key = " ".join(words[:k]).strip(_NAME_PUNCT).casefold()
            found = self._full.get(key) or (self._first.get(key) if k == 1 else None)
            if found:
                notice = bool(m.group("lead")) and k == len(rest.split())
                return found, notice
        return None, bool(m.group("lead")) and len(rest.split()) <= 4


# ---------------------------------------------------------------------------------------
# Plain text.


@dataclass(slots=True)
class _Line:
    indent: int
    text: str
    blank_before: bool
    kind: str  # marker | date | says | text
    posted: datetime | None = None
    author: str | None = None
    rest: str = ""


@dataclass(slots=True)
class _Block:
    indent: int
    header: bool = False
    author: str | None = None
    posted: datetime | None = None
    marker: bool = False
    lines: list[tuple[bool, str]] = field(default_factory=list)  # (blank before, text)


def _author_like(line: _Line) -> bool:
    text = line.text
    return (
        line.kind == "text"
        and len(text) <= 80
        and len(text.split()) <= 8
        and text[-1] not in "!?…;,"
    )


def _classify(raw: str, blank_before: bool, hint: str | None) -> _Line:
    expanded = raw.expandtabs(8)
    text = expanded.strip()
    line = _Line(len(expanded) - len(expanded.lstrip()), text, blank_before, "text")
    if is_marker(text):
        line.kind = "marker"
        return line
    is_date, posted = read_date_line(text, lang=hint)
    if is_date:
        line.kind, line.posted = "date", posted
        return line
    m = _cues().says.fullmatch(text) if len(text) <= 400 else None
    if m:
        line.kind, line.author, line.rest = "says", clean_author(m.group("author")), m.group("rest")
        is_date, line.posted = read_date_line(line.rest, lang=hint) if line.rest else (False, None)
        if is_date:
            line.rest = ""
    return line


def _find_heading(lines: list[str], hint: str | None) -> int | None:
    """Index of the comment heading: a heading line followed within four lines by a comment
    header, a reply marker or the reply form; or, if a reply marker comes first, the last
    heading line above that marker. No marker of the section is ever left in the body."""
    last_heading: int | None = None
    for i, raw in enumerate(lines):
        text = raw.strip()
        if is_marker(text):
            if last_heading is not None:
                return last_heading
            continue
        if len(text) > 260 or not is_heading(text):
            continue
        last_heading = i
        seen = 0
        for follow in lines[i + 1 : i + 40]:
            text = follow.strip()
            if not text:
                continue
            kind = _classify(follow, False, hint)
            if is_boiler(text) or kind.kind in ("marker", "date"):
                return i
            if kind.kind == "says" and not kind.rest:
                return i
            seen += 1
            if seen >= 4:
                break
    return None


def _language_cue(heading: str, section: list[str]) -> str | None:
    """ "fr" when the heading and markers are French. English cues give no order: British
    and West African English write dates day-first, American English month-first."""
    cues = _cues()
    language = cues.language
    fr = len(language["fr"].findall(heading)) * 3 if "fr" in language else 0
    en = len(language["en"].findall(heading)) * 3 if "en" in language else 0
    fr_marker = cues.marker_language.get("fr")
    for raw in section:
        text = raw.strip()
        if is_marker(text):
            if fr_marker is not None and fr_marker.search(text):
                fr += 1
            else:
                en += 1
    return "fr" if fr > en else None


def _date_first(tokens: list[_Line]) -> bool:
    """Vote: does the date line come before the author line on this page?"""
    before = after = 0
    for i, tok in enumerate(tokens):
        if tok.kind != "date":
            continue
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if prev is not None and _author_like(prev):
            pprev = tokens[i - 2] if i >= 2 else None
            if pprev is None or pprev.kind == "marker" or prev.blank_before:
                before += 1
        if (prev is None or prev.kind == "marker") and nxt is not None and _author_like(nxt):
            after += 1
    return after > before


def _blocks(tokens: list[_Line]) -> list[_Block]:
    date_first = _date_first(tokens)
    blocks: list[_Block] = []
    cur: _Block | None = None
    boundary = True
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.kind == "marker":
            if cur is not None:
                cur.marker = True
            cur, boundary, i = None, True, i + 1
            continue
        new: _Block | None = None
        used = 1
        says = tok.kind == "says" and tok.author is not None and len(tok.author.split()) <= 6
        if says and (boundary or (not tok.rest and tok.blank_before)):
            new = _Block(tok.indent, True, tok.author, tok.posted)
            if tok.rest:
                new.lines.append((False, tok.rest))
            elif tok.posted is None and nxt is not None and nxt.kind == "date":
                new.posted, used = nxt.posted, 2
        elif tok.kind == "date":
            new = _Block(tok.indent, True, None, tok.posted)
            if date_first and nxt is not None and (_author_like(nxt) or nxt.kind == "says"):
                new.author = nxt.author if nxt.kind == "says" else clean_author(nxt.text)
                used = 2
        elif not date_first and nxt is not None and nxt.kind == "date" and _author_like(tok):
            new = _Block(tok.indent, True, clean_author(tok.text), nxt.posted)
            used = 2
        if new is not None:
            cur = new
            blocks.append(cur)
        else:
            if cur is None:
                cur = _Block(tok.indent)
                blocks.append(cur)
            cur.lines.append((tok.blank_before, tok.text))
        boundary = False
        i += used
    return blocks


def _merge_split_headers(blocks: list[_Block]) -> list[_Block]:
    """A header closed by a marker before its text ("Moussa / date / Répondre / text"):
    the headerless block that follows is its text."""
    out: list[_Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and prev.header and not prev.lines and not block.header:
            prev.lines, prev.marker = block.lines, prev.marker or block.marker
            continue
        out.append(block)
    return out


def _comments(blocks: list[_Block]) -> tuple[Comment, ...]:
    comments: list[Comment] = []
    stack: list[tuple[int, str]] = []  # (indent, id) of the open thread
    index = ReplyIndex()
    base = min((b.indent for b in blocks if b.header or b.marker), default=0)
    for block in blocks:
        if not block.header and not block.marker:
            continue  # stray lines before the first comment or after the last: not a comment
        lines = block.lines
        cid = f"c{len(comments) + 1}"
        parent: str | None = None
        while stack and stack[-1][0] >= block.indent:
            stack.pop()
        if stack and block.indent > base:
            parent = stack[-1][1]
        if lines:
            found, notice = index.resolve(lines[0][1])
            parent = parent or found
            if notice and len(lines) > 1:
                lines = [(True, lines[1][1]), *lines[2:]]
        raw = "".join(("\n\n" if blank else "\n") + text for blank, text in lines)
        text = normalise_paragraphs(raw)
        if not text:
            continue
        comments.append(new_comment(cid, text, parent, block.author, block.posted))
        stack.append((block.indent, cid))
        index.add(block.author, cid)
    return tuple(comments)


def split_text_comments(
    text: str, *, lang_hint: str | None = None
) -> tuple[str, tuple[Comment, ...]]:
    """Plain-text copy of a page: return (article text without the comment section, comments).

    The section starts at a heading line ("22 commentaires", "Comments (3)") that is followed
    within four lines by a comment header, a reply marker or the reply form. It ends at the
    reply form ("Laisser un commentaire", "Leave a Reply"); the form and any footer are
    dropped. Without such a heading the text comes back unchanged, with no comments.
    """
    lines = text.splitlines(keepends=True)
    heading = _find_heading(lines, lang_hint)
    if heading is None:
        return text, ()
    section = lines[heading + 1 :]
    hint = lang_hint or _language_cue(lines[heading], section)
    tokens: list[_Line] = []
    blank = True
    for raw in section:
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        if is_boiler(stripped):
            break  # the reply form, then the footer
        tokens.append(_classify(raw, blank, hint))
        blank = False
    body = "".join(lines[:heading]).rstrip()
    return body, _comments(_merge_split_headers(_blocks(tokens)))
