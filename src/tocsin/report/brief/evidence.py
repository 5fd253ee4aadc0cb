"""The evidence a brief is written from, and the citations its sentences carry.

Plain values gathered by :mod:`tocsin.app.briefs` from the store: the documents
cited (:class:`DocInfo`), the judgments about the area's future (:class:`Outlook`), the
organisation's assets near the area (:class:`Exposure`), disagreements between sources
(:class:`Disagreement`), all held in one :class:`Material`. Quotes are the sentence of
the document that holds the evidence (the event's trigger, the judgment's cue), cleaned
of list bullets and table bars and cut to a readable length around the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from tocsin.models import Asset, Citation, Document, Event, RiskLevel, SourcedReport

QUOTE_CHARS = 240
MIN_WORDS = 8  # a shorter sentence ("Managed attrition (most likely).") takes the next one too
LETTERS = "ABCDEF"
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "col",
        "lt",
        "capt",
        "mme",
        "mgr",
        "no",
        "n°",
        "nov",
        "oct",
        "sept",
        "sep",
        "dec",
        "déc",
        "jan",
        "feb",
        "fév",
        "aug",
        "vs",
        "etc",
        "cf",
    }
)
_BREAK = re.compile(r"(?<=[.!?…])[\"»”’)]*\s+(?=[\"«“(]?[A-ZÀ-ÖØ-Þ])")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")
_BARS = re.compile(r"\s*\|\s*")


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What a citation needs of a document: its source, grade, date and text."""

    id: str
    source_id: str
    source: str
    kind: str
    reliability: str
    texts: Mapping[str, str]  # part ("body" or a comment id) -> text
    url: str | None = None
    title: str | None = None
    published: date | None = None
    lang: str | None = None
    copy_of: str | None = None

    @classmethod
    def of(cls, doc: Document, *, letter: str | None = None) -> DocInfo:
        return cls(
            id=doc.id,
            source_id=doc.source.id,
            source=doc.source.name,
            kind=str(doc.kind.value),
            reliability=letter or doc.source.reliability or "F",
            texts={"body": doc.text} | {c.id: c.text for c in doc.comments},
            url=doc.url,
            title=doc.title,
            published=doc.published.date() if doc.published else None,
            lang=doc.language,
            copy_of=doc.duplicate_of,
        )


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """Start and end of the sentence of ``text`` around ``offset``: within its line,
    between sentence ends ("M. Diop" and "Nov. 5" do not end one)."""
    offset = max(0, min(offset, len(text)))
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    line = text[start:end]
    rel = offset - start
    s0, s1 = 0, len(line)
    for m in _BREAK.finditer(line):
        before = line[: m.start()].rstrip('.!?…"»”’) ').rsplit(" ", 1)[-1].lower()
        if (len(before) == 1 and before.isalpha()) or before in _ABBREVIATIONS:
            continue
        if m.end() <= rel:
            s0 = m.end()
        elif m.start() >= rel:
            s1 = m.start()
            break
    return start + s0, start + s1


def sentence_at(text: str, offset: int, *, limit: int = QUOTE_CHARS) -> str:
    """The sentence of ``text`` around ``offset``, cleaned of list bullets and table bars
    and cut to about ``limit`` characters around the offset ("…" where it was cut)."""
    lo, hi = sentence_bounds(text, offset)
    while len(text[lo:hi].split()) < MIN_WORDS and hi < len(text) and text[hi] != "\n":
        nxt = hi + len(text[hi:]) - len(text[hi:].lstrip(" \t"))  # the next sentence, same line
        if nxt >= len(text) or text[nxt] == "\n":
            break
        hi = sentence_bounds(text, nxt)[1]  # a heading-like fragment: add the next sentence
    piece = text[lo:hi]
    rel = max(0, min(offset, hi) - lo)
    bullet = _BULLET.match(piece)
    if bullet:
        piece, rel = piece[bullet.end() :], max(0, rel - bullet.end())
    piece = _BARS.sub(" · ", piece).strip(" ·")
    return _cut(" ".join(piece.split()), rel, limit)


def _cut(text: str, rel: int, limit: int) -> str:
    if len(text) <= limit:
        return text
    if rel == 0:  # from the start: end at a clause boundary when one is close enough
        for mark in (". ", "; ", " : ", ": ", ", ", " – ", " — "):
            at = text.rfind(mark, int(limit * 0.6), limit)
            if at > 0:
                return text[:at].rstrip(" ,;:") + "…"
    lo = max(0, min(rel - limit // 3, len(text) - limit))
    hi = lo + limit
    if lo > 0:
        lo = text.find(" ", lo) + 1 or lo
    if hi < len(text):
        cut = text.rfind(" ", lo, hi)
        hi = cut if cut > lo else hi
    piece = text[lo:hi].strip(" ,;:")
    return ("…" if lo > 0 else "") + piece + ("…" if hi < len(text) else "")


def letter_rank(letter: str) -> int:
    return LETTERS.find(letter) if letter in LETTERS else len(LETTERS)


@dataclass(frozen=True, slots=True)
class CredibilityIndex:
    """The review's claims by document and character span: (part, start, end, claim
    credibility 1-6, claim id) per document."""

    spans: Mapping[str, Sequence[tuple[str, int, int, int, str]]] = field(default_factory=dict)

    def _at(self, document_id: str, part: str, offset: int) -> tuple[int, str] | None:
        best: tuple[int, int, str] | None = None
        for p, start, end, number, claim in self.spans.get(document_id, ()):
            if p == part and start <= offset < end and (best is None or end - start < best[0]):
                best = (end - start, number, claim)
        return (best[1], best[2]) if best else None

    def at(self, document_id: str, part: str, offset: int) -> int | None:
        """The credibility of the claim whose statement holds ``offset``, if any."""
        found = self._at(document_id, part, offset)
        return found[0] if found else None

    def claim_at(self, document_id: str, part: str, offset: int) -> str | None:
        found = self._at(document_id, part, offset)
        return found[1] if found else None


def cite(
    doc: DocInfo,
    part: str,
    offset: int,
    *,
    credibility: CredibilityIndex,
    ref_id: str | None = None,
    limit: int = QUOTE_CHARS,
) -> Citation:
    """A citation of the sentence of ``doc`` (``part``) around ``offset``."""
    text = doc.texts.get(part, "")
    quote = sentence_at(text, offset, limit=limit) if text else ""
    return Citation(
        document_id=doc.id,
        quote=quote or (doc.title or doc.id),
        source=doc.source,
        reliability=doc.reliability,
        credibility=credibility.at(doc.id, part, offset),
        url=doc.url,
        title=doc.title,
        published=doc.published,
        ref_id=ref_id,
    )


def cite_title(doc: DocInfo) -> Citation:
    """A citation of a document as a whole: its title."""
    return Citation(
        document_id=doc.id,
        quote=doc.title or doc.id,
        source=doc.source,
        reliability=doc.reliability,
        url=doc.url,
        title=doc.title,
        published=doc.published,
    )


def best_reports(
    event: Event, docs: Mapping[str, DocInfo], *, most: int = 2
) -> list[SourcedReport]:
    """The reports to cite for an event: the best graded first, originals before copies,
    earliest first; one per source."""
    usable = [r for r in event.reports if r.document_id in docs]
    usable.sort(
        key=lambda r: (
            not _coded_like(r, event),
            letter_rank(docs[r.document_id].reliability),
            r.copy_of is not None,
            docs[r.document_id].published or date.max,
            r.id,
        )
    )
    chosen: list[SourcedReport] = []
    seen: set[str] = set()
    for r in usable:
        if docs[r.document_id].source_id in seen:
            continue
        seen.add(docs[r.document_id].source_id)
        chosen.append(r)
        if len(chosen) >= most:
            break
    return chosen


def _coded_like(report: SourcedReport, event: Event) -> bool:
    """Whether a report says what the event's coded fields say (its type, place and
    date): the report that reads as the event, rather than one merged into it."""
    r = report.report
    return (
        r.sub_event_type == event.sub_event_type
        and r.geonameid == event.geonameid
        and r.event_date == event.event_date
    )


def cite_report(
    report: SourcedReport, docs: Mapping[str, DocInfo], credibility: CredibilityIndex, ref: str
) -> Citation:
    trigger = report.report.trigger
    return cite(
        docs[report.document_id], trigger.part, trigger.start, credibility=credibility, ref_id=ref
    )


@dataclass(frozen=True, slots=True)
class Outlook:
    """A judgment about the area's future: the sentence that holds it, its ICD 203 label
    and band, its deadline, who holds it, the actors it names, how dangerous its content
    reads (``danger``: words of the ``danger`` list found in it) and its citation."""

    key: str
    doc: DocInfo
    text: str
    label: str
    low: float
    high: float
    citation: Citation
    deadline: date | None = None
    made_on: date | None = None
    holder: str | None = None
    holder_kind: str = "author"
    actors: tuple[str, ...] = ()
    forecast_id: str | None = None
    danger: int = 0
    claim: str | None = None  # the review's claim holding the sentence (same claim: same scenario)

    @property
    def probability(self) -> float:
        return (self.low + self.high) / 2


@dataclass(frozen=True, slots=True)
class Exposure:
    """One of the organisation's assets near the area: the nearest event of the period
    and its distance, the events of the period within reach, and the asset's highest
    point risk (None when none was computed)."""

    asset: Asset
    nearest: Event | None = None
    distance_km: float | None = None
    near: tuple[Event, ...] = ()
    risk: RiskLevel | None = None


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Sources that disagree: on an event's toll (``kind`` "toll", ``event`` set), or on
    a claim (``kind`` "claim"). Each side is a position (a figure or a stance) with the
    citation that holds it."""

    kind: str
    sides: tuple[tuple[str, Citation], ...]
    event: Event | None = None


@dataclass(frozen=True, slots=True)
class Indication:
    """Evidence behind an indicator to watch: an event, or a sentence of a document."""

    key: str
    citation: Citation
    event: Event | None = None


@dataclass(frozen=True, slots=True)
class Material:
    """Everything a brief is written from (see :func:`tocsin.app.briefs.build_brief`)."""

    area_name: str
    area_scope: str
    area_key: str  # "town:2460596", "country:ML", ... ("" for everywhere)
    lang: str
    period_start: date
    period_end: date
    days: int
    events: tuple[Event, ...] = ()  # this period, in the area, newest first
    previous: tuple[Event, ...] = ()  # the period before, same length
    citations: Mapping[str, tuple[Citation, ...]] = field(default_factory=dict)  # event id ->
    outlooks: tuple[Outlook, ...] = ()
    new_judgments: int = 0  # judgments about the area made in the period
    mentions: Mapping[str, int] = field(default_factory=dict)  # actor id -> documents naming it
    risks: tuple[RiskLevel, ...] = ()
    exposures: tuple[Exposure, ...] = ()
    near_km: float = 50.0
    disagreements: tuple[Disagreement, ...] = ()
    indications: tuple[Indication, ...] = ()
    docs: Mapping[str, DocInfo] = field(default_factory=dict)
    severity: Mapping[str, int] = field(default_factory=dict)  # event id -> 1..5

    @property
    def empty(self) -> bool:
        return not self.events and self.new_judgments == 0
