"""Stance of comments towards the actors they name: support or hostility, or nothing.

A comment is cut into clauses (sentences, then at contrast words: "mais", "but"). In a
clause, each cue of ``knowledge/actor_stance.toml`` ("bravo", "traîtres", "à bas")
goes to the actor named nearest before it in the clause ("la junte, ces incapables"),
or, when none is before it, nearest after it ("honte à la junte"). A negated clause
(the claims' negators of ``knowledge/stance.toml``, the cue's own words left out, so
"ils ne font rien" stays hostile) turns the cue's polarity over: "je ne soutiens pas la
junte" is hostile, "nos soldats ne sont pas des lâches" supportive. An actor that gets
cues of both kinds in one comment, and a comment with no cue or no actor, get no stance:
abstaining is an answer. Civilians (drivers, villagers) are not actors a stance is read
towards: "nobody protects these drivers" attacks whoever should protect them.

:func:`aggregate_stances` counts support and hostility per actor and week over many
comments (a document, an outlet).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tocsin.assess.claims.stance import read_stance
from tocsin.comments.resolve import Named
from tocsin.comments.sentences import MAX_CHARS, Phrases, sentences
from tocsin.knowledge.lexicon import (
    PerLanguage,
    PhraseLexiconLoader,
)

KEYS = ("support", "hostility", "contrast")
SUPPORT, HOSTILE = "support", "hostile"
CIVILIANS = 7  # ACLED inter code: no stance is read towards civilians ("nobody protects them")


@dataclass(frozen=True, slots=True)
class StanceCues:
    """One language's cues."""

    polar: Phrases[str]  # phrase -> SUPPORT or HOSTILE
    contrast: Phrases[str]

    @classmethod
    def build(cls, raw: dict[str, tuple[str, ...]]) -> StanceCues:
        polar = [(p, SUPPORT) for p in raw.get("support", ())]
        polar += [(p, HOSTILE) for p in raw.get("hostility", ())]
        return cls(Phrases(polar), Phrases((p, "") for p in raw.get("contrast", ())))


StanceLexicon = PerLanguage[StanceCues]


@dataclass(frozen=True, slots=True)
class ActorStance:
    """One comment's stance towards one actor: ``stance`` is "support" or "hostile";
    ``start``/``end`` the clause that says it (offsets into the comment)."""

    actor_id: str
    name: str
    stance: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class StanceCount:
    """Support and hostility towards one actor over many comments, in all and per week
    (``weeks``: (ISO week, support, hostile), oldest first)."""

    actor_id: str
    name: str
    support: int
    hostile: int
    weeks: tuple[tuple[str, int, int], ...] = ()

    @property
    def net(self) -> float:
        """(support - hostile) / (support + hostile): -1 all hostile, +1 all support."""
        total = self.support + self.hostile
        return (self.support - self.hostile) / total if total else 0.0


def stances_of(
    text: str,
    named: Sequence[Named],
    *,
    lang: str | None,
    lexicon: StanceLexicon | None = None,
) -> tuple[ActorStance, ...]:
    """The stances of one comment towards the actors ``named`` in it (see the module)."""
    named = [n for n in named if n.inter != CIVILIANS]
    if not named:
        return ()
    cues = (lexicon or load_actor_stance_lexicon()).for_language(lang)
    found: dict[str, list[ActorStance]] = {}
    for start, end in _clauses(text, cues):
        inside = [n for n in named if n.start >= start and n.end <= end]
        if not inside:
            continue
        clause = text[start:end]
        hits = list(cues.polar.find(clause))
        if not hits:
            continue
        blanked = list(clause)
        for s, e, _ in hits:
            blanked[s:e] = " " * (e - s)
        flip = read_stance("".join(blanked), lang).negative
        for s, e, polarity in hits:
            target = _nearest(inside, start + s, start + e)
            stance = polarity if not flip else (HOSTILE if polarity == SUPPORT else SUPPORT)
            found.setdefault(target.id, []).append(
                ActorStance(target.id, target.name, stance, start, end)
            )
    out: list[ActorStance] = []
    for readings in found.values():
        if len({r.stance for r in readings}) == 1:
            out.append(readings[0])
    return tuple(out)


def _clauses(text: str, cues: StanceCues) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sentences(text, limit=MAX_CHARS, most=24):
        cut = start
        for s, _, _ in cues.contrast.find(text[start:end]):
            if start + s > cut:
                out.append((cut, start + s))
                cut = start + s
        out.append((cut, end))
    return out


def _nearest(named: Sequence[Named], start: int, end: int) -> Named:
    before = [n for n in named if n.end <= start]
    if before:
        return max(before, key=lambda n: n.end)
    after = [n for n in named if n.start >= end]
    if after:
        return min(after, key=lambda n: n.start)
    return named[0]  # the cue is inside a name ("Honte à ...")


def aggregate_stances(
    items: Iterable[tuple[str | None, Iterable[ActorStance], int]],
) -> list[StanceCount]:
    """Support and hostility per actor over ``items`` ((ISO week or None, the stances of
    one comment, how many times that comment was posted)), the most discussed first."""
    names: dict[str, str] = {}
    totals: Counter[tuple[str, str]] = Counter()
    weekly: Counter[tuple[str, str, str]] = Counter()
    for week, found, weight in items:
        for s in found:
            names.setdefault(s.actor_id, s.name)
            totals[(s.actor_id, s.stance)] += weight
            if week:
                weekly[(s.actor_id, week, s.stance)] += weight
    out = []
    for actor_id, name in names.items():
        weeks = sorted({w for a, w, _ in weekly if a == actor_id})
        out.append(
            StanceCount(
                actor_id=actor_id,
                name=name,
                support=totals[(actor_id, SUPPORT)],
                hostile=totals[(actor_id, HOSTILE)],
                weeks=tuple(
                    (w, weekly[(actor_id, w, SUPPORT)], weekly[(actor_id, w, HOSTILE)])
                    for w in weeks
                ),
            )
        )
    out.sort(key=lambda c: (-(c.support + c.hostile), c.actor_id))
    return out


# ------------------------------------------------------------------------ loading


_LOADER = PhraseLexiconLoader(
    StanceCues.build,
    knowledge="actor_stance",
    what="actor stance lexicon",
    keys=KEYS,
    key_hint="see the keys at the top of knowledge/actor_stance.toml",
)


def load_actor_stance_lexicon(extra: Path | str | None = None) -> StanceLexicon:
    """The bundled cues, then the user's file (same format) added on top."""
    return _LOADER.load(extra)
