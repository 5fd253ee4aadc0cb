"""Place resolution: place names in a document to gazetteer places, or to "unresolved".

For one document (its body, then its comments) the resolver

1. finds mentions: NER locations, and capitalised n-grams the gazetteer knows
   (``places_scan``), with the cues around each (``places_context``: "le fleuve Niger",
   "la région de Ségou", "à 30 km au nord de Gao", "Kati (Koulikoro)");
2. resolves each once on its own evidence (single candidate, admin context, a major
   town against tiny namesakes) to learn the document's country focus and a few anchor
   towns;
3. resolves each again with everything, narrowing the candidates step by step: the
   kind of place the cue asks for (river, region, town; a country unless a town cue),
   the admin context in parentheses, a close neighbour among the anchors (60 km), the
   places whose own name is written over places abroad that only list it as an
   alternate name ("Boni" is not Bonn), a landmark (a capital, a city of 100,000) over
   small namesakes, the area of interest (the countries where the organisation works,
   from the settings) over namesakes abroad, a major town over tiny namesakes, an admin
   area named elsewhere in the document, the country focus, the nearest to the anchors
   (150 km), importance and population, a candidate close to one of another open name
   ("between Mamba and Toye"), and duplicates within 25 km (``places_evidence``). A
   mention it cannot settle is reported unresolved, with the reason, when the text says
   it is a place (a NER location or a cue such as "le village de"); a capitalised word
   that merely looks like a village is dropped instead. A small town abroad that has the
   name only as an alternate name, with no evidence for it (the document's country, the
   area of interest, a place near), is no answer either.

A relative location ("30 km north of Gao", "près de Markoye") keeps the anchor's
coordinates, as ACLED does: ``offset_km`` and ``direction`` say where the event was, and
the precision drops to 2; the point is never moved. Precision: a town 1, near a town 2,
a region, a country or a river 3. ``reason`` says why the winner won.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from tocsin.extract.nlp import TextAnalysis
from tocsin.extract.places.context import (
    WINDOW,
    Context,
    PlaceLexicon,
    load_place_lexicon,
)
from tocsin.extract.places.evidence import (
    CLOSE_KM,
    NEAR_KM,
    Evidence,
    Item,
    by_importance,
    by_kind,
    by_name,
    distance_km,
    doc_regions,
    is_landmark,
    is_strong,
    mutual_nearest,
    narrow_to_area,
    narrow_to_focus,
    nearest,
    over_namesakes,
    same_place,
    tier,
    within_admin,
)
from tocsin.extract.places.scan import PLACE_LABELS, find_mentions
from tocsin.geo.gazetteer import Gazetteer, Place, name_key
from tocsin.models import PlaceRef, Span
from tocsin.text.fold import fold

__all__ = ["PlaceLexicon", "PlaceResolver", "distance_km", "document_focus", "load_place_lexicon"]

MAX_LOOKUPS = 3000  # new gazetteer lookups per document (a lookup costs 0.1-0.3 ms)
CACHE_SIZE = 50_000
LIMIT = 40  # candidates per name
MAX_ANCHORS = 200
MAX_CONTEXTS = 20_000  # contexts remembered per text
_PAREN = re.compile(r"\s*\(([^()\n]{1,100})\)")


_WEIGHTS = {"country": 3.0, "region": 1.0, "town": 1.0}


def document_focus(places: Sequence[PlaceRef], *, hint: str | None = None) -> str | None:
    """The document's country (ISO2): countries named weigh 3, regions and towns 1 each,
    rivers nothing (they cross borders), the outlet's country ``hint`` 1; ties go to the
    country named first."""
    weights: dict[str, float] = {}
    order: dict[str, int] = {}
    for i, ref in enumerate(places):
        if ref.resolved and ref.country:
            weights[ref.country] = weights.get(ref.country, 0.0) + _WEIGHTS.get(ref.kind or "", 0.0)
            order.setdefault(ref.country, i)
    if hint:
        weights[hint.upper()] = weights.get(hint.upper(), 0.0) + 1.0
        order.setdefault(hint.upper(), len(places))
    ranked = [c for c, w in weights.items() if w > 0]
    if not ranked:
        return None
    return min(ranked, key=lambda c: (-weights[c], order[c]))


class PlaceResolver:
    """Resolve the places of one document at a time; lookups are cached across calls."""

    def __init__(self, gazetteer: Gazetteer, *, lexicon: PlaceLexicon | None = None) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon or load_place_lexicon()
        self._cache: dict[tuple[str, str, str], list[Place]] = {}  # by name key
        self._raw: dict[tuple[str, str, str], list[Place]] = {}  # by name as written
        self._budget = MAX_LOOKUPS
        self._area: tuple[str, ...] = ()  # the current document's area of interest

    # ------------------------------------------------------------ lookups

    def _lookup(self, name: str, country: str | None = None) -> list[Place]:
        raw = (name, country or "", ",".join(self._area))
        found = self._raw.get(raw)
        if found is not None:
            return found
        found = self._fetch(name, country)
        if len(self._raw) >= CACHE_SIZE:
            self._raw.clear()
        self._raw[raw] = found
        return found

    def _fetch(self, name: str, country: str | None) -> list[Place]:
        key = (name_key(name), (country or "").upper(), ",".join(self._area))
        if not key[0]:
            return []
        found = self._cache.get(key)
        if found is None:
            if self._budget <= 0:
                return []
            self._budget -= 1
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            found = self.gazetteer.lookup(
                name, country=country or None, limit=LIMIT, area=self._area
            )
            self._cache[key] = found
        return found

    # ------------------------------------------------------------ the API

    def resolve(
        self,
        parts: Sequence[tuple[str, TextAnalysis]],
        *,
        document_id: str = "",
        exclude: Mapping[str, Sequence[tuple[int, int]]] | None = None,
        country_hint: str | None = None,
        area: Sequence[str] = (),
    ) -> list[PlaceRef]:
        """The places named in a document's parts ((part name, analysis), body first),
        in order of parts then offsets. ``exclude`` holds, per part, the character ranges
        of actor mentions (no place inside them); ``country_hint`` is the outlet's country;
        ``area`` the countries (ISO2) where the organisation works: their candidates come
        before namesakes abroad, and a name the gazetteer knows there is a place even when
        the NER reads it as a person or an organisation."""
        self._budget = MAX_LOOKUPS
        self._area = tuple(sorted({c.upper() for c in area if c}))
        hint = country_hint.upper() if country_hint else None
        items: list[Item] = []
        for part, analysis in parts:
            items.extend(self._items(part, analysis, (exclude or {}).get(part, ()), hint))
        if not items:
            return []
        area_set = frozenset(self._area)
        first: dict[tuple[object, ...], Place | None] = {}
        for item in items:
            if item.signature not in first:
                first[item.signature] = self._decide(item, Evidence(area=area_set))[0]
        evidence = _gather(items, [first[item.signature] for item in items], hint, area_set)
        refs = []
        memo: dict[tuple[object, ...], tuple[Place | None, str]] = {}
        for item in items:
            if len(item.candidates) >= LIMIT and evidence.focus and evidence.focus != hint:
                item.candidates = self._lookup(item.surface, evidence.focus)
            if item.signature not in memo:
                memo[item.signature] = self._decide(item, evidence)
            place, reason = memo[item.signature]
            if place is not None and item.weak and not _kept(place, evidence, weak=True):
                continue
            if (
                place is not None
                and item.bare
                and tier(place) > 1
                and place.feature_code not in ("PPLA", "PPLC")
                and not is_landmark(place)
                and not _kept(place, evidence)
            ):
                # a town abroad named without any cue ("Reading this from Accra", "Paix aux
                # âmes", "Coura" inside an unknown "Kalaban Coura"): kept only in the
                # document's country or near its other places
                continue
            if place is not None and place.matched_by == "variant" and not _kept(place, evidence):
                # a spelling variant is for local transliterations ("Kiddal"), not a fuzzy
                # match across the world ("Coura" is not Curra, Australia)
                if not _reportable(item):
                    continue
                reason = f"only a spelling variant far from the document: {place.name}"
                place = None
            if place is not None and _far_alternate(item, place, evidence):
                if not _reportable(item):
                    continue
                reason = f"only an alternate name of {place.name} ({place.country}), far away"
                place = None
            if place is None and not _reportable(item):
                continue
            refs.append(_ref(item, place, reason, document_id))
        return refs

    # ------------------------------------------------------------ mentions

    def _items(
        self,
        part: str,
        analysis: TextAnalysis,
        exclude: Sequence[tuple[int, int]],
        hint: str | None,
    ) -> list[Item]:
        text = analysis.text
        lexicon = self.lexicon
        cues = lexicon.cues(analysis.lang)

        def cued(offset: int) -> bool:
            context = lexicon.context(text, offset, offset, cues)
            return context.cue is not None or context.relative

        mentions = find_mentions(
            analysis,
            lexicon,
            exclude=exclude,
            known=lambda name: bool(self._lookup(name, hint)),
            cued=cued,
        )
        admin_spans: list[tuple[int, int]] = []
        items = []
        contexts: dict[tuple[str, str], Context] = {}  # repeated text reads its cues once
        for mention in mentions:
            surface = text[mention.start : mention.end]
            key = fold(surface)
            around = (
                text[max(0, mention.start - WINDOW) : mention.start],
                text[mention.end : mention.end + WINDOW],
            )
            context = contexts.get(around) or lexicon.context(
                text, mention.start, mention.end, cues
            )
            if len(contexts) < MAX_CONTEXTS:
                contexts[around] = context
            if key in lexicon.region_only and context.cue != "region":
                continue
            admin: tuple[str, ...] = ()
            paren = _PAREN.match(text, mention.end)
            if paren is not None:
                names = [n.strip() for n in re.split(r"[,;]", paren.group(1))]
                if all(n[:1].isupper() and len(n.split()) <= 4 for n in names) and all(
                    self._lookup(n, hint) for n in names
                ):
                    admin = tuple(names)
                    admin_spans.append(paren.span(1))
            candidates = self._lookup(surface, hint)
            if not candidates and _demonym(key, cues.demonym_endings):
                continue  # "les Maliens", "Nigerians": the NER model's LOC, but people
            item = Item(part, mention, surface, key, context, candidates, admin)
            item.in_admin = any(s <= mention.start < e for s, e in admin_spans)
            if self._keep(item):
                items.append(item)
        return items

    def _keep(self, item: Item) -> bool:
        """Guard against capitalised words that are not places; sets ``item.weak``."""
        mention, context = item.mention, item.context
        cued = bool(
            context.locative or context.cue or context.relative or item.admin or item.in_admin
        )
        strong = any(is_strong(p) for p in item.candidates)
        if item.key in self.lexicon.cue_required and not cued:
            return False
        item.bare = not cued  # no cue: a town abroad must prove itself (see resolve)
        if mention.shouty or mention.acronym:
            return strong or context.cue is not None or context.relative
        if mention.ner or mention.label in PLACE_LABELS or cued:
            return True
        if mention.label is not None:  # in a person, organisation, ... entity
            if not mention.whole or (mention.label == "NORP" and not strong):
                return False  # "Tuareg", "Bozo": a people, unless a cue says a place
            # "Niger's junta" (ORG), "Markoye" tagged as a person: the whole entity
            item.weak = not strong
            return True
        if strong:
            return True
        if mention.sentence_start or all(tier(p) >= 6 for p in item.candidates):
            return False
        item.weak = True
        return True

    # ------------------------------------------------------------ deciding

    def _decide(self, item: Item, evidence: Evidence) -> tuple[Place | None, str]:
        if not item.candidates:
            return None, "no candidate in the gazetteer"
        pool, reasons = by_kind(item)
        if len(pool) == 1:
            return pool[0], "; ".join(reasons or ["only candidate"])
        steps = (
            lambda p: self._admin(item, p),
            lambda p: nearest(item, p, evidence, CLOSE_KM),
            lambda p: by_name(p, evidence),
            lambda p: over_namesakes(p, landmarks=True),
            lambda p: narrow_to_area(p, evidence),
            over_namesakes,
            lambda p: doc_regions(item, p, evidence),
            lambda p: narrow_to_focus(p, evidence.focus),
            lambda p: nearest(item, p, evidence, NEAR_KM),
            by_importance,
            lambda p: mutual_nearest(item, p, evidence, CLOSE_KM),
            same_place,
        )
        for step in steps:
            narrowed, why = step(pool)
            if narrowed:
                pool = narrowed
                reasons.append(why)
                if len(pool) == 1:
                    return pool[0], "; ".join(reasons)
        countries = ", ".join(c for c, _ in Counter(p.country for p in pool).most_common(4))
        return None, f"ambiguous: {len(pool)} candidates in {countries}"

    def _admin(self, item: Item, pool: list[Place]) -> tuple[list[Place], str]:
        for loose in (False, True):
            for name in item.admin:
                if fold(name) == item.key:
                    continue
                context = self._lookup(name)
                matched = [p for p in pool if within_admin(p, name, context, loose=loose)]
                if matched and len(matched) < len(pool):
                    return matched, f"admin context {name}"
        return [], ""


def _gather(
    items: list[Item], first: list[Place | None], hint: str | None, area: frozenset[str]
) -> Evidence:
    """The first pass's sure places: the country focus, anchor towns, named regions."""
    sure = [(item, place) for item, place in zip(items, first, strict=True) if place]
    refs = [_ref(item, place, "", "") for item, place in sure if not item.weak]
    evidence = Evidence(focus=document_focus(refs, hint=hint), area=area)
    seen: set[int] = set()
    open_keys: set[str] = set()
    for item, place in zip(items, first, strict=True):
        if place is not None or item.key in open_keys:
            continue
        # a weak name (a capitalised word, or one the NER reads as a person) counts by its
        # candidates in the area of interest only
        candidates = [p for p in item.candidates if not item.weak or p.country in area]
        if candidates and len(evidence.pending) < MAX_ANCHORS:
            open_keys.add(item.key)
            evidence.pending.append((item.key, candidates[:20]))
    for item, place in sure:
        if item.weak or place.geonameid in seen:
            continue
        seen.add(place.geonameid)
        if place.kind == "town" and place.lat is not None:
            if len(evidence.anchors) < MAX_ANCHORS:
                evidence.anchors.append((item.key, place))
        elif place.kind == "region" and (item.context.cue == "region" or item.in_admin):
            evidence.regions.append((item.key, item.surface, place))
    return evidence


def _kept(place: Place, evidence: Evidence, *, weak: bool = False) -> bool:
    """A weak mention (a capitalised word matching only small places) stays when its place
    is in the document's country or near the other places, or, by its own name (not a
    variant spelling or an alternate name: "Tuareg" is no village), in the area of interest."""
    if evidence.focus and place.country == evidence.focus:
        return True
    if place.country in evidence.area and (not weak or place.matched_by == "name"):
        return True
    gaps = [distance_km(place, a) for _, a in evidence.anchors if a.geonameid != place.geonameid]
    return any(g is not None and g <= NEAR_KM for g in gaps)


def _far_alternate(item: Item, place: Place, evidence: Evidence) -> bool:
    """Whether ``place`` is a town abroad that has the name only as an alternate, without
    evidence: "Ber" is a Malian marsh and Véroia's old name; "Boni" a village and Bonn's
    Latin name. Landmarks (capitals, big cities: "Moscou") need no evidence."""
    if place.matched_by != "alternate" or is_landmark(place) or _kept(place, evidence):
        return False
    return (
        item.weak
        or item.mention.label in ("PER", "ORG")
        or any(p.matched_by == "name" for p in item.candidates)
    )


def _demonym(key: str, endings: Sequence[str]) -> bool:
    """A single capitalised word with a demonym's ending ("maliens", "burkinabes")."""
    return " " not in key and any(key.endswith(e) for e in endings)


def _reportable(item: Item) -> bool:
    """An unresolved mention is reported only when the text says it is a place."""
    mention, context = item.mention, item.context
    if mention.shouty or item.weak:
        return False
    if mention.label in ("LOC", "GPE") and (mention.ner or mention.whole):
        return True
    return context.cue is not None or context.relative or bool(item.admin)


def _ref(item: Item, place: Place | None, reason: str, document_id: str) -> PlaceRef:
    span = Span(document_id, item.part, item.mention.start, item.mention.end)
    if place is None:
        return PlaceRef(span, item.surface, False, reason=reason)
    relative = item.context.relative and place.kind == "town"
    precision = (2 if relative else 1) if place.kind == "town" else 3
    return PlaceRef(
        span,
        item.surface,
        True,
        geonameid=place.geonameid,
        name=place.name,
        lat=place.lat,
        lon=place.lon,
        country=place.country,
        admin1=place.admin1,
        kind=place.kind,
        precision=precision,
        offset_km=item.context.offset_km if relative else None,
        direction=item.context.direction if relative else None,
        reason=reason,
    )
