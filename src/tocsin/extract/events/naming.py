"""ACLED's naming conventions, applied to the sides of one event report.

The sides come from ``roles.py`` as the actors the text names; ACLED names them by rules
that depend on the event, not on the words (all of them are data in
``knowledge/actors.toml``, read through :class:`~tocsin.extract.actors.ActorMatcher`):

- an actor bears the name it had on the event's date: a regime period ("Military Forces
  of Mali (2013-2020)" for a 2018 event) or a group's former name;
- a sub-group that ACLED codes under its parent (a katiba of JNIM) gives its side to the
  parent, and stands first among that side's associates (or, where ACLED codes the group
  itself with its parent as associate, the parent joins the associates);
- a generic actor ("gunmen", "civilians", "Dozo hunters") is named for the country of
  the event's place, which may not be the document's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from tocsin.extract.actors import ActorMatcher
from tocsin.models import ActorRef


@dataclass(frozen=True, slots=True)
class NamedSide:
    """One side of a report as ACLED codes it."""

    actor: ActorRef | None
    assoc: tuple[ActorRef, ...] = ()


def name_side(
    actor: ActorRef | None,
    assoc: tuple[ActorRef, ...],
    naming: ActorMatcher,
    *,
    when: date | None,
    country: str | None,
) -> NamedSide:
    """``actor`` and its associates named as of ``when`` for ``country`` (the event's)."""
    if actor is None:
        return NamedSide(None, tuple(_named(a, naming, when, country) for a in assoc))
    lead = _named(actor, naming, when, country)
    rest = [_named(a, naming, when, country) for a in assoc]
    coded = naming.coded_parent(lead.actor_id, when=when)
    if coded is not None:
        parent, how = coded
        acled = naming.acled_name(parent.id, when=when, country=country) or parent.acled
        as_ref = replace(
            lead, actor_id=parent.id, name=parent.name_en, inter=parent.inter, generic=False,
            descriptive=False, acled=acled,
        )  # fmt: skip
        if how == "actor":
            lead, rest = as_ref, [lead, *rest]
        else:
            rest = [as_ref, *rest]
    seen = {lead.actor_id}
    kept = []
    for a in rest:
        if a.actor_id not in seen:
            seen.add(a.actor_id)
            kept.append(a)
    return NamedSide(lead, tuple(kept))


def _named(ref: ActorRef, naming: ActorMatcher, when: date | None, country: str | None) -> ActorRef:
    if ref.generic and ref.surface and country:
        found = naming.regeneric(ref.surface, country=country, when=when)
        if found is not None:
            return replace(
                ref, actor_id=found.actor_id, name=found.name, inter=found.inter,
                acled=found.acled,
            )  # fmt: skip
    acled = naming.acled_name(ref.actor_id, when=when, country=country)
    return replace(ref, acled=acled) if acled is not None and acled != ref.acled else ref
