"""Summaries of comment sections: per document, per outlet, over everything; and the
weekly "information environment" series per country.

A :class:`Summary` counts the comments (and how many different texts), the share of
them that the classifier finds toxic, hateful and inciting, the groups targeted, the
languages mixed in the thread, the top narratives with their quotes and whom they
blame, the stance towards the actors named, and the texts posted again and again
(brigading or spam). :func:`summarise` works on a
:class:`~tocsin.comments.reading.Thread` already read; ``tocsin.app.comments`` reads
the store for one document, one outlet or everything.

The weekly series (``tocsin.app.comments.information_environment`` over the store,
:func:`environment_rows` over a thread already read) gives one :class:`EnvironmentRow`
per country and ISO week: comments, the shares toxic, hateful and inciting, and the top
named narratives. A document's country is the focus of its stored extraction (the
places it names, ``extract.places.document_focus``); documents never extracted, and
comments with no date (neither their own nor the article's), are left out of the series.

Wiring into the risk stage (not done yet): ``app/risk.py`` could read
``information_environment(store, since=period_start, until=asof)`` and hand the rows to
``assess/risk/levels.py``, which would, per country, add a contribution to the
"political" (or a civil unrest) category for the weeks in the period, e.g. weight
``incitement * log1p(comments)`` with the summary "comment sections: N comments, X%
inciting, top narrative ..."; the row's ``country`` is the ISO2 code the risk levels use
for ``country:XX`` places. A floor on ``comments`` (say 20 a week) keeps one angry
thread from moving a country.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from tocsin.comments.narrative_knowledge import NarrativeKnowledge, load_narratives
from tocsin.comments.narratives import NarrativeCount, aggregate_narratives
from tocsin.comments.reading import Reading, Thread
from tocsin.comments.stance import StanceCount, aggregate_stances

REPEATED = 3  # a text posted this many times or more is listed as repeated
TOP = 5


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


# ------------------------------------------------------------------ weekly series


def environment_rows(thread: Thread, *, top: int = 3) -> list[EnvironmentRow]:
    """The weekly series of parts already read (those with a country and a week)."""
    tally = EnvironmentTally()
    tally.add(thread)
    return tally.rows(top=top)


@dataclass
class EnvironmentTally:
    """The weekly series being counted: :meth:`add` threads as they are read (in
    batches if need be), then :meth:`rows`."""

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
