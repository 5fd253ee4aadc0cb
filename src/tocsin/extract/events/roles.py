"""Who did it and to whom: the two sides of a clause's event, read without a parser.

Active verbs: the actors before the trigger act, those after it undergo ("JNIM attacked
soldiers"). Passive verbs ("were killed by", "ont été tués par") and bare participles
("trois soldats tués") turn this round: those before undergo, those after "by"/"par"
act; so does a verb with its agent mark right after it ("found and defused by the
army"). Nouns: "the attack by X on Y", "l'attaque du X contre Y"; actors before a noun
act ("JNIM's ambush", "les jihadistes ont mené une attaque"). Whatever the trigger, the
actors before it undergo when "by"/"par" stands between them and it ("a vehicle was
struck by an IED"). Civilians act only in protests, riots and mob violence (ACLED codes
them as victims otherwise): elsewhere a side of civilians alone undergoes.
On each side the first named actor leads (a named actor before a generic one) and the
rest are associated.

spaCy's dependency parser was measured for this (issue 16, demo corpus, 2026-12-08): it
takes the bare pipelines from about 10,500 to 8,200 words/s and the extractor from 6,500
to 5,500 before any rule uses it. What it would gain on the sides is not measured yet
(no rule reads a parse), so the sides stay read from word order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tocsin.extract.events.lexicon import LanguageRules, Trigger
from tocsin.models import ActorRef

# a trigger that is a bare participle reads as passive ("tués", "enlevées")
_PARTICIPLE = re.compile(r"(?:e|ee|es|ees|is|ise|ises|it|ite|its|ites|u|ue|us|ues|t|ts)$")
# classes in which civilians act: they demonstrate, riot, lynch
_CIVILIANS_ACT = frozenset({"protest", "riot", "mob"})
# "was struck by an IED": the agent mark within this many characters of the trigger,
# the last actor before it within _BY_GAP
_BY_NEAR = 30
_BY_GAP = 90


@dataclass(frozen=True, slots=True)
class Sides:
    agent: ActorRef | None = None
    agent_assoc: tuple[ActorRef, ...] = ()
    target: ActorRef | None = None
    target_assoc: tuple[ActorRef, ...] = ()


def assign_sides(
    trigger: Trigger,
    actors: Sequence[ActorRef],
    folded: str,
    start: int,
    end: int,
    rules: LanguageRules,
) -> Sides:
    """The sides of ``trigger``'s event among ``actors`` of the clause ``[start, end)``."""
    before = [a for a in actors if a.span.end <= trigger.start]
    after = [a for a in actors if a.span.start >= trigger.end]
    agents: list[ActorRef]
    targets: list[ActorRef]
    if trigger.noun:
        agents, targets = _noun_sides(trigger, before, after, folded, rules)
        if rules.undergo is not None and rules.undergo.search(folded, start, trigger.start):
            # "un véhicule de l'armée a sauté lundi sur un engin explosif"
            agents, targets = [a for a in agents if a not in before], before + targets
    elif rules.undergo is not None and rules.undergo.match(folded, trigger.start):
        # "the vehicle hit a mine", "les VDP ont repoussé une attaque": the subject undergoes
        by = _agent_mark(rules.agent, folded, trigger.end, end)
        agents = [a for a in after if by is not None and a.span.start >= by]
        targets = before
    elif _passive(trigger, folded, start, rules) or _by_follows(rules, folded, trigger.end):
        by = _agent_mark(rules.agent, folded, trigger.end, end)
        agents = [a for a in after if by is not None and a.span.start >= by]
        targets = before + [
            a for a in after if a not in agents and by is not None and a.span.start < by
        ]
    else:
        agents, targets = before, after
    if before and _struck_by(rules, folded, before[-1].span.end, trigger.start):
        # "a Malian army vehicle was struck by an IED", "three civilians were wounded by
        # the explosion of a mine which struck...": those before undergo what follows "by"
        agents, targets = (
            [a for a in agents if a not in before],
            before + [t for t in targets if t not in before],
        )
    if trigger.cls.name not in _CIVILIANS_ACT:
        # ACLED codes civilians on the victims' side only: a side of civilians alone
        # does not act in a violent event ("civilians were killed in an attack")
        civilians = [a for a in agents if a.inter == 7]
        if civilians and len(civilians) == len(agents):
            agents, targets = [], civilians + [t for t in targets if t not in civilians]
    agents = _leading(_civilians_last(agents))
    targets = [t for t in _leading(targets) if all(t.actor_id != a.actor_id for a in agents)]
    return Sides(
        agent=agents[0] if agents else None,
        agent_assoc=tuple(_unique(agents[1:], agents[:1])),
        target=targets[0] if targets else None,
        target_assoc=tuple(_unique(targets[1:], targets[:1])),
    )


def _struck_by(rules: LanguageRules, folded: str, start: int, end: int) -> bool:
    """Whether a passive agent mark ("by", "par") stands close before the trigger, after
    the last actor before it: that actor undergoes the trigger's event."""
    if rules.agent is None or end - start > _BY_GAP:
        return False
    marks = list(rules.agent.finditer(folded, start, end))
    found = marks[-1] if marks else None
    if found is None or end - found.end() > _BY_NEAR:
        return False
    # "soldiers backed by aircraft bombed": "by" there joins the actors
    together = rules.together
    return together is None or not any(
        m.end() == found.end() for m in together.finditer(folded, start, found.end())
    )


def _by_follows(rules: LanguageRules, folded: str, end: int) -> bool:
    """A verb with its agent mark right after it is passive whatever comes before
    ("the mine was found and defused by the army", "killed overnight by gunmen")."""
    if rules.agent is None:
        return False
    gap = folded[end : end + _BY_NEAR]
    words = gap.split()
    # one adverb at most between them: "killed overnight by"
    return any(rules.agent.match(" ".join(words[i:])) for i in range(min(len(words), 2)))


def _passive(trigger: Trigger, folded: str, start: int, rules: LanguageRules) -> bool:
    words = folded[trigger.start : trigger.end]
    head = folded[max(start, trigger.start - 20) : trigger.start].rstrip()
    if rules.passive is not None:
        for m in rules.passive.finditer(head):
            if head[m.end() :].strip() in ("", "tous", "toutes", "all", "reportedly"):
                return True
    # "trois soldats tués", "12 drivers killed in the attack": a bare participle with no
    # auxiliary and no subject verb before it
    first = words.split(" ")[0]
    return " " not in words and bool(_PARTICIPLE.search(first)) and _bare(head)


def _bare(head: str) -> bool:
    """No auxiliary right before: the participle stands alone."""
    last = head.split(" ")[-1] if head else ""
    return last not in (
        "a", "ont", "avait", "avaient", "avoir", "d'avoir", "has", "have", "had", "having"
    )  # fmt: skip


def _agent_mark(pattern: re.Pattern[str] | None, folded: str, start: int, end: int) -> int | None:
    if pattern is None:
        return None
    m = pattern.search(folded, start, end)
    return m.end() if m else None


def _noun_sides(
    trigger: Trigger,
    before: list[ActorRef],
    after: list[ActorRef],
    folded: str,
    rules: LanguageRules,
) -> tuple[list[ActorRef], list[ActorRef]]:
    agents = list(before)
    targets: list[ActorRef] = []
    target_at = _agent_mark(rules.noun_target, folded, trigger.end, trigger.end + 60)
    for actor in after:
        gap = folded[trigger.end : actor.span.start]
        if target_at is not None and actor.span.start >= target_at:
            targets.append(actor)
        elif rules.noun_agent is not None and rules.noun_agent.fullmatch(
            gap.strip().removesuffix("l'").removesuffix("la").strip()
        ):
            agents.insert(0, actor)
        else:
            targets.append(actor)
    if not agents and len(targets) > 1:
        # "des affrontements ont opposé X à Y": the first named acts
        agents.append(targets.pop(0))
    return agents, targets


def _leading(side: list[ActorRef]) -> list[ActorRef]:
    """The side in reading order, a named actor first when the first is generic."""
    if side and side[0].generic:
        named = [a for a in side if not a.generic]
        if named:
            side = [named[0]] + [a for a in side if a is not named[0]]
    return side


def _civilians_last(side: list[ActorRef]) -> list[ActorRef]:
    """Civilians rarely act in a violent event: on a side with armed actors they come last
    ("des villageois accusent des militaires d'avoir exécuté...")."""
    armed = [a for a in side if a.inter != 7]
    return armed + [a for a in side if a.inter == 7] if armed else side


def _unique(items: Sequence[ActorRef], seen: Sequence[ActorRef]) -> list[ActorRef]:
    ids = {a.actor_id for a in seen}
    out = []
    for a in items:
        if a.actor_id not in ids:
            ids.add(a.actor_id)
            out.append(a)
    return out
