"""Claim grouping speed: 1,000 and 10,000 statements, in one run, and their ratio.

Statements are composed from templates written for this benchmark: actors × places ×
events × dates, each event in two French and two English wordings. A "fact" (one
actor, place, event and date) is reported by one to five statements from different
sources, in either language; about one fact in twenty is also denied by one source
("... n'a pas attaqué ...", "... did not attack ..."). Every statement carries the
actor id, the geonameid and the date that extraction would give it.

Per size, the run prints:

- read + encode: reading the stance of every text and encoding its neutral text with
  a fresh encoder (the sentence encoder is the costly part, and it is linear);
- grouping: ``ClaimIndex.add`` with the vectors given (encoding excluded), the pairs
  compared and the claims found, with their purity (claims holding one fact only) and
  the facts split over several claims;
- the ratio of the grouping times (near-linear: about 10 for ten times the data), and
  peak memory (ru_maxrss) at the end.

    .venv/bin/python bench/claims.py [--sizes 1000 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from tocsin.assess.claims.register import ClaimIndex
from tocsin.assess.claims.relation import reading_of
from tocsin.assess.encoder import Encoder
from tocsin.models import Span, Statement

ACTORS = [
    ("jnim", "le JNIM", "JNIM"),
    ("isgs", "l'État islamique au Sahel", "Islamic State Sahel"),
    ("fama", "l'armée malienne", "the Malian army"),
    ("fds-bf", "l'armée burkinabè", "the Burkinabe army"),
    ("fds-ne", "l'armée nigérienne", "the Nigerien army"),
    ("wagner", "les combattants de Wagner", "Wagner fighters"),
    ("csp", "les rebelles du CSP", "CSP rebels"),
    ("vdp", "les VDP", "VDP militiamen"),
    ("dozos", "des chasseurs dozos", "Dozo hunters"),
    ("ansarul", "Ansarul Islam", "Ansarul Islam"),
    ("boko", "Boko Haram", "Boko Haram"),
    ("iswap", "l'ISWAP", "ISWAP"),
]
PLACES = (  # noqa: SIM905 - a list of names, easier to read this way
    "Gao Kidal Tombouctou Ménaka Mopti Ségou Tessalit Aguelhok Ansongo Bourem Douentza "
    "Djenné Nioro Kayes Sikasso Bandiagara Niono Léré Boni Hombori Djibo Dori Kaya Fada "
    "Ouahigouya Arbinda Gorom-Gorom Sebba Titao Diapaga Tillabéri Ayorou Téra Diffa Tahoua "
    "Agadez Ouallam Banibangou Makalondi Torodi Bosso Kolofata Mora Fotokol Kousseri"
).split()
EVENTS = [
    (
        (
            "{a} a attaqué un poste militaire à {p} le {d}.",
            "Un poste militaire a été attaqué par {a} à {p} le {d}.",
        ),
        (
            "{a} attacked a military post in {p} on {d}.",
            "A military post in {p} was attacked by {a} on {d}.",
        ),
        (
            "{a} n'a pas attaqué le poste militaire de {p} le {d}.",
            "{a} did not attack the military post in {p} on {d}.",
        ),
    ),
    (
        ("{a} a pris le contrôle de {p} le {d}.", "{a} s'est emparé de {p} le {d}."),
        ("{a} took control of {p} on {d}.", "{a} seized {p} on {d}."),
        ("{a} n'a pas pris le contrôle de {p} le {d}.", "{a} did not take control of {p} on {d}."),
    ),
    (
        (
            "{a} a enlevé plusieurs civils près de {p} le {d}.",
            "Plusieurs civils ont été enlevés par {a} près de {p} le {d}.",
        ),
        (
            "{a} abducted several civilians near {p} on {d}.",
            "Several civilians were kidnapped by {a} near {p} on {d}.",
        ),
        (
            "{a} n'a enlevé aucun civil près de {p} le {d}.",
            "{a} did not abduct any civilians near {p} on {d}.",
        ),
    ),
    (
        (
            "{a} a posé des mines sur la route de {p} le {d}.",
            "Des engins explosifs ont été posés par {a} sur l'axe de {p} le {d}.",
        ),
        (
            "{a} planted mines on the road to {p} on {d}.",
            "Explosive devices were laid by {a} on the {p} road on {d}.",
        ),
        (
            "{a} n'a pas posé de mines sur la route de {p} le {d}.",
            "{a} did not plant mines on the road to {p} on {d}.",
        ),
    ),
    (
        (
            "{a} a incendié le marché de {p} le {d}.",
            "Le marché de {p} a été incendié par {a} le {d}.",
        ),
        (
            "{a} burned down the market in {p} on {d}.",
            "The {p} market was set on fire by {a} on {d}.",
        ),
        (
            "{a} n'a pas incendié le marché de {p} le {d}.",
            "{a} did not burn the market in {p} on {d}.",
        ),
    ),
    (
        (
            "{a} a bloqué le ravitaillement de {p} le {d}.",
            "Le ravitaillement de {p} est bloqué par {a} depuis le {d}.",
        ),
        (
            "{a} blocked supplies to {p} on {d}.",
            "Supplies to {p} have been blocked by {a} since {d}.",
        ),
        (
            "{a} ne bloque pas le ravitaillement de {p} depuis le {d}.",
            "{a} has not blocked supplies to {p} since {d}.",
        ),
    ),
    (
        ("{a} s'est retiré de {p} le {d}.", "{a} a quitté {p} le {d}."),
        ("{a} withdrew from {p} on {d}.", "{a} left {p} on {d}."),
        ("{a} ne s'est pas retiré de {p} le {d}.", "{a} has not withdrawn from {p} on {d}."),
    ),
    (
        (
            "{a} a tué une dizaine de villageois à {p} le {d}.",
            "Une dizaine de villageois ont été tués par {a} à {p} le {d}.",
        ),
        (
            "{a} killed about ten villagers in {p} on {d}.",
            "About ten villagers were killed by {a} in {p} on {d}.",
        ),
        (
            "{a} n'a tué aucun villageois à {p} le {d}.",
            "{a} did not kill any villagers in {p} on {d}.",
        ),
    ),
]
MOIS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
MONTHS = "January February March April May June July August September October November December"
START = date(2025, 1, 1)
SOURCES = [f"outlet-{i}" for i in range(60)]


@dataclass(frozen=True, slots=True)
class Sample:
    statements: list[Statement]
    facts: list[int]  # the fact each statement reports


def _date_fr(day: date) -> str:
    return f"{day.day} {MOIS.split()[day.month - 1]} {day.year}"


def _date_en(day: date) -> str:
    return f"{MONTHS.split()[day.month - 1]} {day.day}, {day.year}"


def build(size: int, seed: int) -> Sample:
    """``size`` statements over about size/2.5 facts, French and English."""
    rng = random.Random(seed)
    statements: list[Statement] = []
    facts: list[int] = []
    fact = 0
    while len(statements) < size:
        actor = rng.randrange(len(ACTORS))
        place = rng.randrange(len(PLACES))
        event = rng.randrange(len(EVENTS))
        day = START + timedelta(days=rng.randrange(365))
        reports = rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
        denied = rng.random() < 0.05
        for r in range(reports + (1 if denied else 0)):
            if len(statements) >= size:
                break
            lang = rng.choice(("fr", "en"))
            fr, en, negated = EVENTS[event]
            deny = denied and r == reports
            if deny:
                template = negated[0] if lang == "fr" else negated[1]
            else:
                template = rng.choice(fr if lang == "fr" else en)
            aid, afr, aen = ACTORS[actor]
            name = afr if lang == "fr" else aen
            text = template.format(
                a=name,
                p=PLACES[place],
                d=_date_fr(day) if lang == "fr" else _date_en(day),
            )
            text = text[0].upper() + text[1:]
            sid = f"s{len(statements)}"
            statements.append(
                Statement(
                    id=sid,
                    document_id=f"d{len(statements)}",
                    source_id=rng.choice(SOURCES),
                    span=Span(f"d{len(statements)}", "body", 0, len(text)),
                    text=text,
                    lang=lang,
                    stance="denies" if deny else "affirms",
                    actors=frozenset({aid}),
                    places=frozenset({1000 + place}),
                    times=frozenset({day.isoformat()}),
                    published=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=len(statements)),
                )
            )
            facts.append(fact)
        fact += 1
    return Sample(statements, facts)


def quality(index: ClaimIndex, sample: Sample) -> tuple[int, float, float]:
    """Claims found, share of claims holding one fact, share of facts split."""
    fact_of = {s.id: f for s, f in zip(sample.statements, sample.facts, strict=True)}
    claims = index.claims()
    pure = sum(1 for c in claims if len({fact_of[s.id] for s in c.statements}) == 1)
    claims_per_fact: Counter[int] = Counter()
    for claim in claims:
        for f in {fact_of[s.id] for s in claim.statements}:
            claims_per_fact[f] += 1
    split = sum(1 for n in claims_per_fact.values() if n > 1)
    return len(claims), pure / max(1, len(claims)), split / max(1, len(claims_per_fact))


def run(sizes: Sequence[int], seed: int) -> None:
    grouping: dict[int, float] = {}
    print("grouping is timed on vectors encoded beforehand (encoding timed apart, excluded)")
    for size in sizes:
        sample = build(size, seed)
        encoder = Encoder(threads=1, cache_size=size + 10)
        encoder.encode(["warm-up"])
        t0 = time.perf_counter()
        readings = [reading_of(s.text, s.lang) for s in sample.statements]
        vectors = encoder.encode([r.neutral for r in readings])
        encode_s = time.perf_counter() - t0
        index = ClaimIndex(encoder=encoder)
        t0 = time.perf_counter()
        index.add(sample.statements, vectors=vectors)
        group_s = time.perf_counter() - t0
        grouping[size] = group_s
        n_claims, purity, split = quality(index, sample)
        contradictions = len(index.contradictions())
        facts = len(set(sample.facts))
        print(
            f"{size:>6} statements ({facts} facts): read+encode {encode_s:6.2f} s "
            f"({size / encode_s:,.0f}/s); grouping {group_s:6.2f} s "
            f"({size / group_s:,.0f}/s), {index.compared:,} pairs compared "
            f"({index.compared / size:.0f}/statement)"
        )
        print(
            f"        {n_claims} claims, {purity:.1%} hold one fact, {split:.1%} of facts "
            f"split, {contradictions} contradictions"
        )
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(
            f"grouping time ratio {large}/{small}: {grouping[large] / grouping[small]:.1f} "
            f"for {large / small:.0f}x the statements (near-linear: about {large / small:.0f})"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (ru_maxrss): {peak:.0f} MiB; numpy {np.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    run(args.sizes, args.seed)


if __name__ == "__main__":
    main()
