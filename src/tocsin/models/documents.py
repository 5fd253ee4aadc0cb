"""Documents as Tocsin stores them: sources, documents, their reader comments, the
spans that point into them, and what a parser found before a document is built."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    """What a source publishes."""

    ANALYSIS = "analysis"
    NEWS = "news"
    OFFICIAL = "official"
    SOCIAL = "social"
    COMMENT = "comment"


class Form(StrEnum):
    """What shape a text has: a full article, or a short report (a one-line note, a post,
    a two-sentence report). Both are documents, stored and extracted alike."""

    ARTICLE = "article"
    REPORT = "report"


class Precision(StrEnum):
    """How precise a date is. No date is better than an invented one."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Source:
    """An outlet or author. Reliability is the Admiralty letter A–F (F: cannot be judged)."""

    id: str
    name: str
    domain: str | None = None
    kind: Kind = Kind.NEWS
    language: str | None = None
    reliability: str = "F"
    reliability_reason: str = "no record of this source yet"


@dataclass(frozen=True, slots=True)
class Comment:
    """A reader comment, kept apart from the article. ``parent_id`` builds reply threads."""

    id: str
    text: str
    parent_id: str | None = None
    author: str | None = None
    posted: datetime | None = None
    posted_precision: Precision | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One article, page, statement or post, with its comments.

    ``id`` is stable: derived from the normalised content hash, so ingesting the
    same content twice yields the same id. ``duplicate_of`` links a near-copy
    (syndicated or lightly edited) to the document it copies. ``form`` says whether
    the text is an article or a short report (``ingest/documents.py`` reads it from
    the text; the default only serves documents made by hand).
    """

    id: str
    source: Source
    text: str
    content_hash: str
    fetched_at: datetime
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_precision: Precision | None = None
    language: str | None = None
    kind: Kind = Kind.NEWS
    comments: tuple[Comment, ...] = ()
    duplicate_of: str | None = None
    origin: str = ""  # where it came from: URL, file path, "stdin", feed URL
    form: Form = Form.ARTICLE


@dataclass(frozen=True, slots=True)
class Span:
    """Where a fact comes from: a part of a document (``body`` or a comment id) and offsets."""

    document_id: str
    part: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """What a parser found in one input, before identity, dedup and language are settled."""

    text: str
    origin: str
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_precision: Precision | None = None
    site_name: str | None = None
    language: str | None = None
    comments: tuple[Comment, ...] = ()
    hints: dict[str, str] = field(default_factory=dict)
