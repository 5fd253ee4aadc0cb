"""How a brief names things: events, places, dates, actors, sources, grades, distances.

:class:`Wording` wraps the language's :class:`~tocsin.report.brief.text.Phrases` with
the brief's :class:`~tocsin.report.brief.evidence.Material`, so that the section writers
say "an attack on a convoy near Kati on 4 November" or « une attaque contre un convoi
près de Kati, le 4 novembre » without knowing the language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from tocsin.knowledge.actors import ActorKnowledge, load_actors
from tocsin.knowledge.files import per_knowledge_dir
from tocsin.models import Asset, Citation, Event, Sentence
from tocsin.report.brief.evidence import Material, _cut
from tocsin.report.brief.text import Phrases, Quoted

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("_", text.lower()).strip("_")


@per_knowledge_dir
def _actors() -> ActorKnowledge:
    return load_actors()


def unique(citations: Iterable[Citation]) -> tuple[Citation, ...]:
    """Citations without repeats (same document and quote), in order."""
    seen: set[tuple[str, str]] = set()
    out = []
    for c in citations:
        if (c.document_id, c.quote) not in seen:
            seen.add((c.document_id, c.quote))
            out.append(c)
    return tuple(out)


class Wording:
    """The words of one brief (one language, one area, one period)."""

    def __init__(self, phrases: Phrases, material: Material) -> None:
        self.p = phrases
        self.m = material
        self.lang = phrases.lang
        self._last: dict[str, str] = {}  # phrase key -> the variant used last

    # -- sentences ------------------------------------------------------------
    def sentence(
        self, key: str, seed: str, citations: Iterable[Citation], **values: Any
    ) -> Sentence:
        """A sentence of ``key`` with its citations; two sentences of one key in a row
        take different variants where there are several."""
        template = self.p.variant(key, seed, avoid=self._last.get(key))
        self._last[key] = template
        text = self.p.fill(template, **values).strip()
        return Sentence(self.p.sentence(text), unique(citations))

    # -- the area and the period ----------------------------------------------------
    def area(self, form: str = "name") -> str:
        scope = self.m.area_scope
        country = self.m.area_key.split(":")[1] if scope == "country" else None
        if country and self.p.has(f"countries.{country}.{form}"):
            return self.p.word(f"countries.{country}.{form}")
        return self.p.fill(self.p.word(f"area.{scope}.{form}"), name=self.m.area_name)

    def days(self) -> str:
        return self.p.count(self.m.days, "day")

    # -- events -------------------------------------------------------------------
    def noun(self, event: Event) -> str:
        """The noun key of an event (``[settings.event_kinds]``, else its sub-type)."""
        rules = self.p.settings.get("event_kinds", [])
        for rule in rules if isinstance(rules, list) else []:
            subs = rule.get("sub_types", [])
            tags = set(rule.get("tags", []))
            if event.sub_event_type in subs and (not tags or tags & set(event.tags)):
                return str(rule["noun"])
        key = slug(event.sub_event_type or event.event_type or "other")
        return key if self.p.has(f"nouns.{key}") else "other"

    def kind(self, event: Event) -> str:
        return self.p.count(1, self.noun(event))

    def kinds(self, events: Sequence[Event]) -> str:
        """ "two attacks on convoys and a strategic development": most frequent first."""
        counts = Counter(self.noun(e) for e in events)
        order = sorted(counts, key=lambda k: (-counts[k], k))
        return self.p.join([self.p.count(counts[k], k) for k in order])

    def when(self, event: Event) -> str:
        d = event.event_date
        if d is None:
            return self.p.word("when.unknown")
        year = d.year != self.m.period_end.year
        if event.time_precision == 3:
            month = self.p.month(d) + (f" {d.year}" if year else "")
            return self.p.fill(self.p.word("when.month"), month=month)
        key = "when.week" if event.time_precision == 2 else "when.day"
        return self.p.fill(self.p.word(key), date=self.p.date(d, year=year))

    def where(self, event: Event) -> str:
        town = event.location
        if event.geo_precision == 3 and event.admin1:
            town = None
        if not town:
            if event.admin1:
                return self.p.fill(self.p.word("place.region"), admin1=event.admin1)
            if event.country:
                return self.p.fill(
                    self.p.word("place.country"), country=self.country(event.country)
                )
            return self.p.word("place.unknown")
        key = "place.near" if event.geo_precision == 2 else "place.town"
        place = self.p.fill(self.p.word(key), town=town)
        if (
            self.m.area_scope in ("country", "all")
            and event.admin1
            and slug(event.admin1) != slug(town)
        ):
            place = self.p.fill(self.p.word("place.with_region"), place=place, admin1=event.admin1)
        return place

    def town(self, event: Event) -> str:
        return event.location or event.admin1 or self.country(event.country or "")

    def country(self, code: str) -> str:
        known = _actors().countries.get(code.upper())
        if known is None:
            return code
        return known.name_fr if self.lang == "fr" else known.name_en

    def dead(self, events: Sequence[Event]) -> tuple[int, bool]:
        """The deaths reported over ``events`` (best figures) and whether some source
        gave more (so the total is "at least")."""
        total = sum(e.fatalities or 0 for e in events)
        more = any(
            e.fatalities is not None and (e.fatalities_high or 0) > e.fatalities for e in events
        )
        return total, more

    def toll(self, dead: int, more: bool) -> str:
        figure = self.p.count(dead, "dead")
        if more and dead:
            return self.p.fill(self.p.word("contradictions.figure_at_least"), dead=figure)
        return figure

    def event_toll(self, event: Event, key: str) -> str:
        """ ", leaving at least 12 dead" (``key``.toll_some), ``key``.toll_none, or ""."""
        if event.fatalities is None:
            return ""
        if event.fatalities == 0:
            return self.p.word(f"{key}.toll_none")
        dead, more = self.dead([event])
        return self.p.fill(self.p.word(f"{key}.toll_some"), dead=self.toll(dead, more))

    # -- actors ---------------------------------------------------------------------
    def actor(self, actor_id: str, fallback: str | None = None, form: str = "name") -> str:
        entry = None
        if self.p.has(f"actors.{actor_id}"):
            entry = self.p.entry(f"actors.{actor_id}")
        else:
            generics = self.p.entry("generic_actors")
            for prefix in sorted(generics, key=len, reverse=True):
                if actor_id == prefix or actor_id.startswith(prefix + "-"):
                    entry = generics[prefix]
                    break
        if entry is None:
            known = _actors().actors.get(actor_id)
            entry = known.name(self.lang) if known else (fallback or actor_id)
        if isinstance(entry, dict):
            name = str(entry.get("name", actor_id))
            if form in entry:
                return str(entry[form])
        else:
            name = str(entry)
        if form == "of":
            return self.p.fill(
                self.p.word("actor_of", "de {name}" if self.lang == "fr" else "{name}"), name=name
            )
        if form == "to":
            return self.p.fill(
                self.p.word("actor_to", "à {name}" if self.lang == "fr" else "to {name}"), name=name
            )
        return name

    def heading(self, name: str) -> str:
        """A name as a sub-heading: without its article, capital first ("JNIM",
        « Forces armées maliennes (FAMa) »)."""
        bare = re.sub(r"^(?:(?:the|les|le|la|des)\s+|l['’])", "", name, flags=re.IGNORECASE)
        return bare[:1].upper() + bare[1:]

    def asset_ref(self, asset: Asset) -> str:
        """An asset named with its kind: "the route Corridor Dakar–Bamako"."""
        return self.p.fill(self.p.word(f"asset_kinds.{asset.kind}", "{asset}"), asset=asset.name)

    def is_victim(self, actor_id: str) -> bool:
        victims = self.p.settings.get("actors", {}).get("victims", [])
        return any(actor_id == v or actor_id.startswith(v + "-") for v in victims)

    # -- sources, grades, quotes -------------------------------------------------
    def source(self, name: str) -> str:
        """A source's name in running text (French takes an article where it needs
        one: ``[fr.sources]``)."""
        table = self.p.data.get("sources", {})
        return str(table.get(name, name)) if isinstance(table, dict) else name

    @staticmethod
    def grade(citation: Citation) -> str:
        number = "" if citation.credibility is None else str(citation.credibility)
        return f"{citation.reliability}{number}"

    def inline(self, text: str) -> Quoted:
        """A source's words for running text: cut, final stop dropped, quotation marks."""
        limit = int(self.p.settings.get("inline_quote_chars", 150))
        text = _cut(text, 0, limit).rstrip(" .;:,")
        return self.p.quote(text)

    def deadline(self, d: date | None) -> str:
        """ " by 3 June 2026" (to follow a likelihood term), or "" without a deadline."""
        if d is None:
            return ""
        return " " + self.p.fill(self.p.word("scenarios.deadline"), date=self.p.date(d))

    def horizon(self, d: date | None) -> str:
        """ "by 3 June 2026", or "no deadline stated"."""
        if d is None:
            return self.p.word("scenarios.no_deadline")
        return self.p.fill(self.p.word("scenarios.deadline"), date=self.p.date(d))

    def distance(self, km: float) -> str:
        if km < 1:
            return self.p.word("less_than_km")
        return self.p.fill(self.p.word("km"), n=self.p.figure(round(km)))

    def near(self) -> str:
        return self.distance(self.m.near_km)
