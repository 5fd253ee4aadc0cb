"""Actors in text: a matcher over the knowledge base (``tocsin.knowledge.actors``).

Matching works on word tokens, not on characters: the text is cut into words (an
apostrophe after a French elided article splits it off, "l'armée" is "l" + "armée";
other apostrophes join, "Jama'at" is "jamaat"), each word is folded (case, accents,
ligatures), and a trie of alias token sequences is walked from each word. Hyphens and
spaces are both separators, so "al-Islam" and "al Islam" are the same words. The
longest alias wins; offsets always point into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tocsin.knowledge.actors import (
    Actor,
    ActorKnowledge,
    Alias,
    Country,
    GenericKind,
    apostrophe_words,
    load_actors,
)
from tocsin.text.fold import fold as _fold
from tocsin.text.fold import strip_marks

# ---------------------------------------------------------------------------
# Words

_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_APOSTROPHES = frozenset("'’ʼ‘`´′")


def _deaccent(word: str) -> str:
    """Accents and apostrophes off, case kept: for case-sensitive comparisons."""
    return "".join(ch for ch in strip_marks(word) if ch not in _APOSTROPHES)


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    key: str  # folded form


def _tokens(text: str, cache: dict[str, str] | None = None) -> list[_Token]:
    """Words with offsets; "l'armée" -> l, armée; "Jama'at" -> jamaat; "Mali's" -> mali, s."""
    fold = _fold if cache is None else (lambda w: cache.get(w) or cache.setdefault(w, _fold(w)))
    out: list[_Token] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        key = fold(m.group())
        if out and start - out[-1].end == 1 and text[start - 1] in _APOSTROPHES:
            prev = out[-1]
            elided, possessive = apostrophe_words()
            if prev.key not in elided and key not in possessive and prev.start < start - 1:
                out[-1] = _Token(prev.start, end, prev.key + key)  # Jama'at, Qa'ida
                continue
        out.append(_Token(start, end, key))
    return out


# ---------------------------------------------------------------------------
# Matching


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    surface: str
    actor_id: str
    name: str
    inter: int
    generic: bool
    descriptive: bool
    acled: str = ""


@dataclass(frozen=True, slots=True)
class _Entry:
    target: str  # an actor id, or a generic kind
    generic: bool
    descriptive: bool
    # per alias word: None (any case), "acronym" (capitals required) or the exact form
    case: tuple[str | None, ...]


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)


def _case_rules(alias: Alias) -> tuple[str | None, ...]:
    rules: list[str | None] = []
    for tok in _tokens(alias.text):
        surface = _deaccent(alias.text[tok.start : tok.end])
        letters = [ch for ch in surface if ch.isalpha()]
        if alias.cased:
            rules.append(surface)
        elif len(letters) <= 4 and sum(ch.isupper() for ch in letters) >= 2:
            rules.append("acronym:" + surface)
        else:
            rules.append(None)
    return tuple(rules)


def _case_ok(rule: str | None, word: str) -> bool:
    if rule is None:
        return True
    word = _deaccent(word)
    if rule.startswith("acronym:"):
        letters = [ch for ch in word if ch.isalpha()]
        return all(ch.isupper() for ch in letters) or word == rule[8:]
    return word == rule


class ActorMatcher:
    """Finds actor mentions in plain text with a trie of folded alias words."""

    def __init__(self, knowledge: ActorKnowledge) -> None:
        self.knowledge = knowledge
        self._root = _Node()
        for actor in knowledge.actors.values():
            for alias in actor.aliases:
                self._add(alias, actor.id, generic=False)
        for kind in knowledge.generics.values():
            for alias in kind.phrases:
                self._add(alias, kind.kind, generic=True)

    @classmethod
    def from_knowledge(cls, extra: Path | str | None = None) -> ActorMatcher:
        return cls(load_actors(extra))

    def _add(self, alias: Alias, target: str, *, generic: bool) -> None:
        words = [t.key for t in _tokens(alias.text)]
        if not words:
            return
        node = self._root
        for word in words:
            node = node.children.setdefault(word, _Node())
        entry = _Entry(target, generic, alias.descriptive, _case_rules(alias))
        if entry not in node.entries:
            node.entries.append(entry)

    def find(
        self,
        text: str,
        *,
        country: str | None = None,
        lang: str = "en",
        when: date | None = None,
    ) -> list[ActorMention]:
        """Actor mentions in ``text``, left to right, the longest alias winning.

        ``country`` (ISO2 or name) resolves generic phrases to that country's generic
        actors; without it they come back unresolved ("Civilians"). ``when`` names each
        actor as ACLED did on that day (None: today's names).
        """
        where = self.knowledge.country(country) if country else None
        return list(self._mentions(text, where, lang, when))

    def acled_name(
        self, actor_id: str, *, when: date | None = None, country: str | None = None
    ) -> str | None:
        """A known actor's ACLED name as of ``when``, its "{country}" (a communal
        militia's) filled with ``country``, else the actor's first country; None for an
        id the knowledge does not hold."""
        actor = self.knowledge.actors.get(actor_id)
        if actor is None:
            return None
        return self._named(actor, when, self._country(country))

    def coded_parent(self, actor_id: str, *, when: date | None = None) -> tuple[Actor, str] | None:
        """The parent ACLED codes with this sub-group's events as of ``when``, and how:
        "actor" (the parent is the actor, the sub-group its associate) or "associate"
        (the parent is the sub-group's associate); None where ACLED codes the group
        alone."""
        actor = self.knowledge.actors.get(actor_id)
        if actor is None or actor.acled_parent is None:
            return None
        parent = self.knowledge.actors.get(actor.parent_on(when) or "")
        return (parent, actor.acled_parent) if parent is not None else None

    def regeneric(
        self, surface: str, *, country: str, when: date | None = None
    ) -> ActorMention | None:
        """The generic phrase ``surface`` named for ``country`` (the event's, which may not
        be the document's); None when it is not one generic phrase or the country is not
        known."""
        where = self._country(country)
        if where is None:
            return None
        found = list(self._mentions(surface, where, "en", when))
        if (
            len(found) != 1
            or not found[0].generic
            or found[0].end - found[0].start < len(surface.strip())
        ):
            return None
        return found[0]

    def _country(self, country: str | None) -> Country | None:
        if not country:
            return None
        try:
            return self.knowledge.country(country)
        except ValueError:
            return None

    def _named(self, actor: Actor, when: date | None, where: Country | None) -> str:
        name = actor.acled_on(when)
        if "{country}" not in name:
            return name
        if where is None and actor.countries:
            where = self.knowledge.countries.get(actor.countries[0])
        return name.replace("{country}", where.name_en if where else "").replace(" ()", "")

    def _mentions(
        self, text: str, where: Country | None, lang: str, when: date | None = None
    ) -> Iterator[ActorMention]:
        tokens = _tokens(text, {})
        i, n = 0, len(tokens)
        named_end = -1  # end of the previous mention when it named an actor
        while i < n:
            best: tuple[int, _Entry] | None = None
            node = self._root
            j = i
            while j < n and (child := node.children.get(tokens[j].key)) is not None:
                node = child
                j += 1
                for entry in node.entries:
                    words = tokens[i:j]
                    if all(
                        _case_ok(rule, text[t.start : t.end])
                        for rule, t in zip(entry.case, words, strict=True)
                    ):
                        best = (j, entry)
                        break
            if best is None:
                named_end = -1
                i += 1
                continue
            j, entry = best
            start, end = tokens[i].start, tokens[j - 1].end
            # "IS Sahel militants", "JNIM fighters": the generic noun is the named actor's
            if not (entry.generic and named_end >= 0 and not text[named_end:start].strip(" -")):
                yield self._mention(text, start, end, entry, where, lang, when)
            named_end = -1 if entry.generic else end
            i = j

    def _mention(
        self,
        text: str,
        start: int,
        end: int,
        entry: _Entry,
        where: Country | None,
        lang: str,
        when: date | None = None,
    ) -> ActorMention:
        surface = text[start:end]
        if not entry.generic:
            actor = self.knowledge.actors[entry.target]
            return ActorMention(
                start, end, surface, actor.id, actor.name(lang), actor.inter, False,
                entry.descriptive, self._named(actor, when, where),
            )  # fmt: skip
        return self._generic(
            self.knowledge.generics[entry.target], where, start, end, surface,
            entry.descriptive, when,
        )  # fmt: skip

    def generic(
        self, kind: str, *, country: str | None, when: date | None = None
    ) -> ActorMention | None:
        """The generic actor of ``kind`` ("armed-group", "civilians", "military",
        "protesters", ...) for ``country``, as a mention without a span (start = end = 0),
        named as of ``when``; None when the kind or the country is not known."""
        found = self.knowledge.generics.get(kind)
        where = self._country(country)
        if found is None or where is None:
            return None
        return self._generic(found, where, 0, 0, "", False, when)

    def _generic(
        self,
        kind: GenericKind,
        where: Country | None,
        start: int,
        end: int,
        surface: str,
        descriptive: bool,
        when: date | None = None,
    ) -> ActorMention:
        if where is None:
            return ActorMention(
                start, end, surface, kind.kind, kind.name, kind.inter, True, descriptive,
                kind.name,
            )  # fmt: skip
        if kind.role and (ref := where.role(kind.role)):
            actor = self.knowledge.actors[ref]
            acled = self._named(actor, when, where)
            return ActorMention(
                start, end, surface, actor.id, acled, actor.inter, True, descriptive, acled
            )
        period = f" ({where.period})" if where.period else ""
        acled = kind.acled.format(country=where.name_en, period=period)
        actor_id = _slug(acled)
        return ActorMention(
            start, end, surface, actor_id, acled, kind.inter, True, descriptive, acled
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")
