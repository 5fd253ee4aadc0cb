"""Who a comment names: actors of the knowledge base and the parties of the narratives
file, with their offsets.

Actors come from the stored extraction of the comment when there is one (the
``ActorRef`` annotations whose span part is the comment's id, resolved with the
document's country), else from the actor matcher of ``tocsin.extract.actors`` run on
the comment with the document's country. The narratives file adds the parties that the
actor base does not hold (France, the Fulani, the press) and other names for its actors
("nos dirigeants": the country's government, through the party's ``role``). An actor
listed under a party (Barkhane under France) is reported as that party.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tocsin.comments.narrative_knowledge import NarrativeKnowledge, Party, load_narratives
from tocsin.comments.sentences import Phrases
from tocsin.extract.actors import ActorMatcher
from tocsin.knowledge.files import per_knowledge_dir
from tocsin.models import ActorRef


@dataclass(frozen=True, slots=True)
class Named:
    """An actor or a party named in a text: where, its id and its display name.
    ``kind`` is "actor" for an actor of the knowledge base, else the party's kind."""

    start: int
    end: int
    id: str
    name: str
    kind: str = "actor"
    inter: int | None = None  # the ACLED inter code of an actor (7: civilians)


@per_knowledge_dir
def shared_matcher() -> ActorMatcher:
    """The process-wide actor matcher over the bundled actor knowledge (with the user's
    knowledge folder's)."""
    return ActorMatcher.from_knowledge()


class Resolver:
    """Resolves the actors and parties named in comments (see the module's text)."""

    def __init__(
        self,
        knowledge: NarrativeKnowledge | None = None,
        *,
        matcher: ActorMatcher | None = None,
        lang: str = "en",
    ) -> None:
        self.knowledge = knowledge or load_narratives()
        self.matcher = matcher or shared_matcher()
        self.lang = lang
        self._rollup: dict[str, Party] = {}
        for party in self.knowledge.parties:
            for actor_id in party.actors:
                self._rollup.setdefault(actor_id, party)
        self._generics: dict[tuple[str, str], tuple[str, str, int] | None] = {}
        self._aliases: Phrases[Party] = Phrases(
            (alias, party) for party in self.knowledge.parties for alias in party.aliases
        )

    def resolve(
        self,
        text: str,
        *,
        lang: str | None,
        country: str | None,
        stored: Sequence[ActorRef] | None = None,
    ) -> list[Named]:
        """What ``text`` names, left to right. ``stored``: the comment's actor annotations
        when it was extracted (None: match now)."""
        found: list[Named] = []
        if stored is not None:
            for ref in stored:
                if 0 <= ref.span.start < ref.span.end <= len(text):
                    found.append(
                        self._actor(ref.span.start, ref.span.end, ref.actor_id, ref.name, ref.inter)
                    )
        else:
            for m in self.matcher.find(text, lang=lang or "en"):
                ident, name, inter = m.actor_id, m.name, m.inter
                if m.generic and country:  # "les terroristes": the country's generic actor
                    ident, name, inter = self._generic(ident, country) or (ident, name, inter)
                found.append(self._actor(m.start, m.end, ident, name, inter))
        taken = [(n.start, n.end) for n in found]
        for start, end, party in self._aliases.find(text):
            if any(s < end and start < e for s, e in taken):
                continue  # "Forces armées maliennes" is the actor, not "Maliens"
            if party.country and party.country == country:
                continue  # "le Mali aux Maliens": the nationals, at home, are no party
            found.append(self._party(start, end, party, country))
            taken.append((start, end))
        found.sort(key=lambda n: (n.start, n.end))
        return found

    def _generic(self, kind: str, country: str) -> tuple[str, str, int] | None:
        """(id, name, inter) of the generic actor of ``kind`` in ``country`` (cached: the
        actor base's country lookup is slow next to a short comment)."""
        key = (kind, country)
        if key not in self._generics:
            found = self.matcher.generic(kind, country=country)
            self._generics[key] = (found.actor_id, found.name, found.inter) if found else None
        return self._generics[key]

    def _actor(
        self, start: int, end: int, actor_id: str, name: str, inter: int | None = None
    ) -> Named:
        party = self._rollup.get(actor_id)
        if party is not None:
            return Named(start, end, party.id, party.name(self.lang), party.kind)
        return Named(start, end, actor_id, self.display(actor_id, name), "actor", inter)

    def _party(self, start: int, end: int, party: Party, country: str | None) -> Named:
        if party.role and country:
            kind = next(
                (k.kind for k in self.matcher.knowledge.generics.values() if k.role == party.role),
                None,
            )
            actor = self._generic(kind, country) if kind else None
            if actor is not None:
                return self._actor(start, end, *actor)
        return Named(start, end, party.id, party.name(self.lang), party.kind)

    def display(self, actor_id: str, fallback: str = "") -> str:
        """The display name of an actor id or a party id (``fallback``, or the id, when
        neither the actor base nor the narratives file knows it)."""
        actor = self.matcher.knowledge.actors.get(actor_id)
        if actor is not None:
            return actor.name(self.lang)
        party = self.knowledge.party(actor_id)
        if party is not None:
            return party.name(self.lang)
        return fallback or actor_id
