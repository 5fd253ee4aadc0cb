"""Summaries of comment sections: per document, per outlet, over everything; and the
weekly "information environment" series per country.

A :class:`Summary` counts the comments (and how many different texts), the share of
them that the classifier finds toxic, hateful and inciting, the groups targeted, the
languages mixed in the thread, the top narratives with their quotes and whom they
blame, the stance towards the actors named, and the texts posted again and again
(brigading or spam). :func:`document_summary`, :func:`outlet_summary` and
:func:`overall_summary` read the store; :func:`summarise` works on a
:class:`~tocsin.comments.reading.Thread` already read.

:func:`information_environment` gives one :class:`EnvironmentRow` per country and ISO
week: comments, the shares toxic, hateful and inciting, and the top named narratives.
A document's country is the focus of its stored extraction (the places it names,
``extract.places.document_focus``); documents never extracted, and comments with no
date (neither their own nor the article's), are left out of the series.

Wiring into the risk stage (not done yet): ``assess/risk/levels.py`` could read
``information_environment(store, since=period_start, until=asof)`` and, per country,
add a contribution to the "political" (or a civil unrest) category for the weeks in
the period, e.g. weight ``incitement * log1p(comments)`` with the summary "comment
sections: N comments, X% inciting, top narrative ..."; the row's ``country`` is the
ISO2 code the risk levels use for ``country:XX`` places. A floor on ``comments``
(say 20 a week) keeps one angry thread from moving a country.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tocsin.assess.encoder import Encoder
from tocsin.comments.narrative_knowledge import NarrativeKnowledge, load_narratives
from tocsin.comments.narratives import NarrativeCount, aggregate_narratives
from tocsin.comments.reading import Classify, Part, Reading, Thread, parts_of, read_parts
from tocsin.comments.stance import StanceCount, aggregate_stances
from tocsin.errors import InputError
from tocsin.knowledge import slug
from tocsin.models import Document
from tocsin.store import Store
from tocsin.store.queries import DocumentRow

REPEATED = 3  # a text posted this many times or more is listed as repeated
TOP = 5
PAGE = 500
BATCH_COMMENTS = 20_000  # comments read together by the weekly series


@dataclass(frozen=True, slots=True)
class Summary:
    """What a comment section (or many) says; see the module's text. Shares are of the
    ``scored`` comments (0 when none was scored)."""

    scope: str  # "document", "outlet" or "all"
    key: str  # the document id, the outlet's name, or "all"
    title: str | None
    documents: int
    comments: int
    distinct: int
    scored: int
    toxic: float
    hateful: float
    incitement: float
    targets: tuple[tuple[str, int], ...] = ()
    languages: tuple[tuple[str, int], ...] = ()
    narratives: tuple[NarrativeCount, ...] = ()
    stances: tuple[StanceCount, ...] = ()
    repeated: tuple[tuple[str, int], ...] = ()
    outlets: tuple[tuple[str, int], ...] = field(default=())

    @property
    def mixed(self) -> bool:
        """Whether the thread mixes languages (two or more known languages)."""
        return sum(1 for lang, _ in self.languages if lang != "?") >= 2


@dataclass(frozen=True, slots=True)
class EnvironmentRow:
    """One country and ISO week of comment sections. ``narratives``: (id, name,
    comments) of the top named narratives."""

    country: str
    week: str
    documents: int
    comments: int
    toxic: float
    hateful: float
    incitement: float
    narratives: tuple[tuple[str, str, int], ...] = ()


def summarise(
    thread: Thread,
    *,
    scope: str,
    key: str,
    title: str | None = None,
    knowledge: NarrativeKnowledge | None = None,
    lang: str = "en",
    top: int = TOP,
    quotes: int = 3,
) -> Summary:
    """The summary of the parts read in ``thread``."""
    knowledge = knowledge or load_narratives()
    comments = [r for r in thread.readings if r.part.comment]
    scored = [r.scores for r in comments if r.scores is not None]
    targets: Counter[str] = Counter()
    for s in scored:
        if "hateful" in s.labels:
            targets.update(dict.fromkeys(s.targets, 1))
    languages = Counter(r.part.language or "?" for r in comments)
    outlets = Counter(r.part.outlet for r in comments)
    texts = Counter(r.part.text.strip() for r in comments)

    def name_of(narrative_id: str) -> tuple[str, bool]:
        if (n := knowledge.narrative(narrative_id)) is not None:
            return n.name(lang), True
        group = thread.groups.get(narrative_id)
        return (group.label if group else narrative_id), False

    narratives = aggregate_narratives(
        [s for r in thread.readings for s in r.said], name_of, quotes=quotes
    )
    stances = aggregate_stances((r.part.week, r.stances, 1) for r in comments)
    return Summary(
        scope=scope,
        key=key,
        title=title,
        documents=len({r.part.document_id for r in thread.readings}),
        comments=len(comments),
        distinct=len(texts),
        scored=len(scored),
        toxic=_share("toxic" in s.labels for s in scored),
        hateful=_share("hateful" in s.labels for s in scored),
        incitement=_share("incitement" in s.labels for s in scored),
        targets=tuple(sorted(targets.items(), key=lambda kv: (-kv[1], kv[0]))),
        languages=tuple(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        narratives=tuple(narratives[:top]),
        stances=tuple(stances[:top]),
        repeated=tuple(
            (text, n)
            for text, n in sorted(texts.items(), key=lambda kv: (-kv[1], kv[0]))
            if n >= REPEATED and text
        )[:top],
        outlets=tuple(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def _share(flags: Any) -> float:
    values = list(flags)
    return round(sum(values) / len(values), 4) if values else 0.0


# ------------------------------------------------------------------ from the store


def document_summary(
    store: Store,
    doc_id: str,
    *,
    classify: Classify | None = None,
    encoder: Encoder | None = None,
    lang: str = "en",
) -> Summary:
    """The summary of one document's comment section (its article body counts for the
    narratives, as an article)."""
    doc = store.get_document(doc_id.strip())
    if doc is None:
        raise InputError(doc_id, "no such document", "list them with `tocsin docs list`")
    thread = _read([doc], store, classify=classify, encoder=encoder, lang=lang)
    return summarise(thread, scope="document", key=doc.id, title=doc.title, lang=lang)


def outlet_summary(
    store: Store,
    outlet: str,
    *,
    classify: Classify | None = None,
    encoder: Encoder | None = None,
    lang: str = "en",
) -> Summary:
    """The summary of the comment sections of one outlet (by name, any case or accents,
    or by source id)."""
    wanted = slug(outlet)
    rows = list(commented_documents(store))
    docs = [d for r in rows if slug(r.source) == wanted and (d := store.get_document(r.id))]
    if not docs:  # by source id ("lesahellibre-example")
        docs = [d for r in rows if (d := store.get_document(r.id)) and d.source.id == wanted]
    if not docs:
        known = sorted({r.source for r in rows})
        hint = f"outlets with comments: {', '.join(known)}" if known else "no document has comments"
        raise InputError(outlet, "no outlet of that name has comments", hint)
    name = docs[0].source.name
    thread = _read(docs, store, classify=classify, encoder=encoder, lang=lang)
    return summarise(thread, scope="outlet", key=name, lang=lang)


def overall_summary(
    store: Store,
    *,
    classify: Classify | None = None,
    encoder: Encoder | None = None,
    lang: str = "en",
) -> Summary:
    """The summary of every comment section of the store."""
    docs = [d for r in commented_documents(store) if (d := store.get_document(r.id)) is not None]
    thread = _read(docs, store, classify=classify, encoder=encoder, lang=lang)
    return summarise(thread, scope="all", key="all", lang=lang)


def commented_documents(
    store: Store, *, since: date | None = None, until: date | None = None
) -> Iterator[DocumentRow]:
    """The stored documents that have comments, newest first (published between
    ``since`` and ``until`` inclusive when given; a document with no date is kept)."""
    offset = 0
    while True:
        rows = store.list_documents(limit=PAGE, offset=offset, language=None)
        for row in rows:
            if row.comments and _within(row.published, since, until):
                yield row
        if len(rows) < PAGE:
            return
        offset += PAGE


def _within(when: datetime | None, since: date | None, until: date | None) -> bool:
    if when is None:
        return True
    day = when.astimezone(UTC).date() if when.tzinfo else when.date()
    return (since is None or day >= since) and (until is None or day <= until)


def _read(
    docs: Sequence[Document],
    store: Store,
    *,
    classify: Classify | None,
    encoder: Encoder | None,
    lang: str,
    body: bool = True,
    groups: bool = True,
) -> Thread:
    parts: list[Part] = []
    for doc in docs:
        parts += parts_of(doc, store.load_annotations(doc.id), body=body)
    return read_parts(parts, classify=classify, encoder=encoder, groups=groups, lang=lang)


# ------------------------------------------------------------------ weekly series


def information_environment(
    store: Store,
    *,
    since: date | None = None,
    until: date | None = None,
    countries: Sequence[str] | None = None,
    classify: Classify | None = None,
    encoder: Encoder | None = None,
    top: int = 3,
) -> list[EnvironmentRow]:
    """One row per country and ISO week of the comments posted between ``since`` and
    ``until`` (inclusive; documents are picked by publication date, comments by their
    own date), oldest week first. ``countries``: ISO2 codes to keep (default all).
    Documents are read ``BATCH_COMMENTS`` comments at a time: memory stays bounded
    however many there are. See the module's text for how the risk stage can use it."""
    wanted = {c.upper() for c in countries} if countries else None
    tally = _Tally()
    batch: list[Part] = []
    for row in commented_documents(store, since=since, until=until):
        doc = store.get_document(row.id)
        if doc is None:
            continue
        parts = [
            p
            for p in parts_of(doc, store.load_annotations(doc.id), body=False)
            if p.country and p.week and (wanted is None or p.country in wanted)
            and _within(p.posted, since, until)
        ]  # fmt: skip
        batch += parts
        if len(batch) >= BATCH_COMMENTS:
            tally.add(read_parts(batch, classify=classify, encoder=encoder, groups=False))
            batch = []
    if batch:
        tally.add(read_parts(batch, classify=classify, encoder=encoder, groups=False))
    return tally.rows(top=top)


def environment_rows(thread: Thread, *, top: int = 3) -> list[EnvironmentRow]:
    """The weekly series of parts already read (those with a country and a week)."""
    tally = _Tally()
    tally.add(thread)
    return tally.rows(top=top)


@dataclass
class _Tally:
    comments: Counter[tuple[str, str]] = field(default_factory=Counter)
    scored: Counter[tuple[str, str]] = field(default_factory=Counter)
    labels: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    narratives: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    documents: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def add(self, thread: Thread) -> None:
        for r in thread.readings:
            self._add(r)

    def _add(self, r: Reading) -> None:
        part = r.part
        if not part.comment or not part.country or not part.week:
            return
        key = (part.country, part.week)
        self.comments[key] += 1
        self.documents.setdefault(key, set()).add(part.document_id)
        if r.scores is not None:
            self.scored[key] += 1
            for label in r.scores.labels:
                self.labels[(*key, label)] += 1
        for narrative_id in dict.fromkeys(s.narrative_id for s in r.said if not s.rebuttal):
            self.narratives[(*key, narrative_id)] += 1

    def rows(self, *, top: int) -> list[EnvironmentRow]:
        knowledge = load_narratives()
        out = []
        for key in sorted(self.comments, key=lambda k: (k[1], k[0])):
            scored = self.scored[key]

            def share(label: str, key: tuple[str, str] = key, scored: int = scored) -> float:
                return round(self.labels[(*key, label)] / scored, 4) if scored else 0.0

            found = sorted(
                (
                    (n, c)
                    for (co, w, n), c in self.narratives.items()
                    if (co, w) == key and knowledge.narrative(n)
                ),
                key=lambda nc: (-nc[1], nc[0]),
            )[:top]
            out.append(
                EnvironmentRow(
                    country=key[0], week=key[1], documents=len(self.documents[key]),
                    comments=self.comments[key], toxic=share("toxic"), hateful=share("hateful"),
                    incitement=share("incitement"),
                    narratives=tuple((n, _name(knowledge, n), c) for n, c in found),
                )
            )  # fmt: skip
        return out


def _name(knowledge: NarrativeKnowledge, narrative_id: str) -> str:
    found = knowledge.narrative(narrative_id)
    return found.name("en") if found else narrative_id


# ------------------------------------------------------------------ plain values


def summary_to_plain(summary: Summary) -> dict[str, Any]:
    """A summary as JSON-ready values."""
    plain = asdict(summary)
    plain["mixed_languages"] = summary.mixed
    plain["targets"] = [{"target": t, "comments": n} for t, n in summary.targets]
    plain["languages"] = [{"language": t, "comments": n} for t, n in summary.languages]
    plain["outlets"] = [{"outlet": t, "comments": n} for t, n in summary.outlets]
    plain["repeated"] = [{"text": t, "times": n} for t, n in summary.repeated]
    plain["narratives"] = [_narrative_plain(n) for n in summary.narratives]
    plain["stances"] = [
        {
            "actor": s.actor_id, "name": s.name, "support": s.support, "hostile": s.hostile,
            "weeks": [{"week": w, "support": a, "hostile": b} for w, a, b in s.weeks],
        }
        for s in summary.stances
    ]  # fmt: skip
    return plain


def _narrative_plain(n: NarrativeCount) -> dict[str, Any]:
    return {
        "id": n.id,
        "name": n.name,
        "named": n.named,
        "comments": n.comments,
        "distinct": n.distinct,
        "articles": n.articles,
        "rebuttals": n.rebuttals,
        "weeks": [{"week": w, "comments": c} for w, c in n.weeks],
        "blamed": [{"id": i, "name": name, "comments": c} for i, name, c in n.blamed],
        "quotes": [
            {
                "document_id": q.document_id,
                "part": q.part,
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "language": q.language,
                "week": q.week,
            }
            for q in n.quotes
        ],
    }


def environment_to_plain(row: EnvironmentRow) -> dict[str, Any]:
    plain = asdict(row)
    plain["narratives"] = [{"id": i, "name": n, "comments": c} for i, n, c in row.narratives]
    return plain
