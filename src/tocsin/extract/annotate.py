"""Extraction of one document: actors, places, times and attributions, body and comments.

:class:`Extractor` holds what is costly to load (spaCy pipelines, the gazetteer index,
the lexicons) and loads each on first use, so one extractor serves a whole batch:
``extract_many`` sends every part of every document through the models together
(``nlp.pipe``), then runs the lexicon-based extractors part by part.

Order inside a document: actors are matched first so that their words are not read as
places ("Front de libération de l'Azawad", "Forces armées nigériennes"); places next,
resolved together over the body and the comments, which gives the document's country
focus; generic actors ("des civils", "soldiers") are then named for that country.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata

from tocsin.extract.actors import ActorMatcher, ActorMention
from tocsin.extract.estimative.judgments import extract_judgments
from tocsin.extract.estimative.lexicon import EstimativeLexicon, load_estimative_lexicon
from tocsin.extract.events.coding import PartContext
from tocsin.extract.events.fatality_lexicon import FatalityLexicon, load_fatality_lexicon
from tocsin.extract.events.lexicon import EventLexicon, load_event_lexicon
from tocsin.extract.events.reports import extract_events
from tocsin.extract.nlp import Models, TextAnalysis, model_versions, route, shared_models
from tocsin.extract.places.resolve import PlaceResolver, document_focus
from tocsin.extract.sourcing.attributions import (
    SourcingLexicon,
    extract_attributions,
    load_sourcing_lexicon,
)
from tocsin.extract.times.resolve import TimeLexicon, extract_times, load_time_lexicon
from tocsin.geo.gazetteer import Gazetteer
from tocsin.models import (
    ActorRef,
    Annotations,
    Attribution,
    Document,
    EventReport,
    Judgment,
    PlaceRef,
    Span,
    TimeRef,
)

# Bump when extraction logic changes in a way that changes output: stored annotations
# whose version differs are re-extracted by `tocsin extract --stale`.
LOGIC_VERSION = "3"  # 2: judgments; 3: event reports


def extractor_version() -> str:
    """``tocsin-<package>.<logic>+<fr model>+<en model>``: recorded with every annotation."""
    try:
        package = metadata.version("tocsin")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare tree
        package = "0"
    models = "+".join(model_versions().values())
    return f"tocsin-{package}.{LOGIC_VERSION}+{models}"


@dataclass(frozen=True, slots=True)
class _Part:
    name: str  # "body" or a comment id
    text: str
    lang: str | None
    published: datetime | None


def _parts(doc: Document) -> list[_Part]:
    parts = [_Part("body", doc.text, doc.language, doc.published)]
    for comment in doc.comments:
        posted = comment.posted or doc.published
        parts.append(_Part(comment.id, comment.text, comment.language or doc.language, posted))
    return parts


class Extractor:
    """Everything extraction needs, loaded once and lazily."""

    def __init__(
        self,
        *,
        models: Models | None = None,
        gazetteer: Gazetteer | None = None,
        actors: ActorMatcher | None = None,
        events: bool = True,
        area_of_interest: Sequence[str] = (),
    ) -> None:
        self._models = models
        # where the organisation works (ISO2 codes): place candidates there come before
        # namesakes abroad; ``extract_many(areas=...)`` overrides it per document
        self.area_of_interest = tuple(area_of_interest)
        self.events = events  # False: leave event reports out (the benchmark's baseline)
        self._gazetteer = gazetteer
        self._actors = actors
        self._places: PlaceResolver | None = None
        self._time_lexicon: TimeLexicon | None = None
        self._sourcing_lexicon: SourcingLexicon | None = None
        self._estimative_lexicon: EstimativeLexicon | None = None
        self._event_lexicon: EventLexicon | None = None
        self._fatality_lexicon: FatalityLexicon | None = None
        self.version = extractor_version()

    # lazily loaded -------------------------------------------------------------
    @property
    def models(self) -> Models:
        if self._models is None:
            self._models = shared_models()
        return self._models

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.load()
        return self._gazetteer

    @property
    def actors(self) -> ActorMatcher:
        if self._actors is None:
            self._actors = ActorMatcher.from_knowledge()
        return self._actors

    @property
    def places(self) -> PlaceResolver:
        if self._places is None:
            self._places = PlaceResolver(self.gazetteer)
        return self._places

    @property
    def time_lexicon(self) -> TimeLexicon:
        if self._time_lexicon is None:
            self._time_lexicon = load_time_lexicon()
        return self._time_lexicon

    @property
    def estimative_lexicon(self) -> EstimativeLexicon:
        if self._estimative_lexicon is None:
            self._estimative_lexicon = load_estimative_lexicon()
        return self._estimative_lexicon

    @property
    def event_lexicon(self) -> EventLexicon:
        if self._event_lexicon is None:
            self._event_lexicon = load_event_lexicon()
        return self._event_lexicon

    @property
    def fatality_lexicon(self) -> FatalityLexicon:
        if self._fatality_lexicon is None:
            self._fatality_lexicon = load_fatality_lexicon()
        return self._fatality_lexicon

    @property
    def sourcing_lexicon(self) -> SourcingLexicon:
        if self._sourcing_lexicon is None:
            self._sourcing_lexicon = load_sourcing_lexicon()
        return self._sourcing_lexicon

    # extraction ----------------------------------------------------------------
    def extract(
        self,
        doc: Document,
        *,
        country_hint: str | None = None,
        area: Sequence[str] | None = None,
    ) -> Annotations:
        """Annotations for one document (body and comments); ``area``: its area of
        interest (ISO2 codes) when not the extractor's."""
        areas = {doc.id: area} if area is not None else None
        return next(self.extract_many([doc], country_hints={doc.id: country_hint}, areas=areas))

    def extract_many(
        self,
        docs: Iterable[Document],
        *,
        country_hints: dict[str, str | None] | None = None,
        areas: Mapping[str, Sequence[str]] | None = None,
        batch_docs: int = 32,
    ) -> Iterator[Annotations]:
        """Annotations for many documents, in order; the models see them in batches.
        ``areas``: a document's own area of interest (its feed's or its source's), by id."""
        hints = country_hints or {}
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_docs:
                yield from self._extract_batch(batch, hints, areas or {})
                batch = []
        if batch:
            yield from self._extract_batch(batch, hints, areas or {})

    def _extract_batch(
        self,
        docs: Sequence[Document],
        hints: dict[str, str | None],
        areas: Mapping[str, Sequence[str]],
    ) -> Iterator[Annotations]:
        all_parts = [_parts(doc) for doc in docs]
        flat = [(part.text, part.lang) for parts in all_parts for part in parts]
        analyses = iter(self.models.analyse_many(flat))
        for doc, parts in zip(docs, all_parts, strict=True):
            analysed = [next(analyses) for _ in parts]
            area = areas.get(doc.id, self.area_of_interest)
            yield self._annotate(doc, parts, analysed, hints.get(doc.id), area)

    def _annotate(
        self,
        doc: Document,
        parts: list[_Part],
        analyses: list[TextAnalysis],
        country_hint: str | None,
        area: Sequence[str] = (),
    ) -> Annotations:
        matcher = self.actors
        named: dict[str, list[ActorMention]] = {}
        for part, analysis in zip(parts, analyses, strict=True):
            named[part.name] = matcher.find(part.text, lang=analysis.lang)
        exclude = {
            name: [(m.start, m.end) for m in found if not m.generic]
            for name, found in named.items()
        }
        places = self.places.resolve(
            [(part.name, analysis) for part, analysis in zip(parts, analyses, strict=True)],
            document_id=doc.id,
            exclude=exclude,
            country_hint=country_hint,
            area=area,
        )
        # the caller's word on the story's country comes first for naming generic actors
        focus = country_hint or document_focus(places) or (area[0] if len(area) == 1 else None)
        actors: list[ActorRef] = []
        times: list[TimeRef] = []
        attributions: list[Attribution] = []
        judgments: list[Judgment] = []
        events: list[EventReport] = []
        country = next((p for p in places if p.kind == "country" and p.country == focus), None)
        for part, analysis in zip(parts, analyses, strict=True):
            found = named[part.name]
            if focus and any(m.generic for m in found):
                # a focus no knowledge describes leaves the generics unnamed
                with contextlib.suppress(ValueError):
                    found = matcher.find(part.text, country=focus, lang=analysis.lang)
            part_actors = [_actor_ref(doc.id, part.name, m) for m in found]
            actors.extend(part_actors)
            part_times = extract_times(
                analysis,
                published=part.published,
                document_id=doc.id,
                part=part.name,
                lexicon=self.time_lexicon,
            )
            part_attributions = extract_attributions(
                analysis, document_id=doc.id, part=part.name, lexicon=self.sourcing_lexicon
            )
            times.extend(part_times)
            attributions.extend(part_attributions)
            part_judgments = extract_judgments(
                analysis,
                attributions=part_attributions,
                times=part_times,
                document_id=doc.id,
                part=part.name,
                lexicon=self.estimative_lexicon,
            )
            judgments.extend(part_judgments)
            if not self.events:
                continue
            context = PartContext(
                document_id=doc.id,
                part=part.name,
                published=part.published,
                actors=part_actors,
                places=[p for p in places if p.span.part == part.name],
                times=part_times,
                attributions=part_attributions,
                judgments=part_judgments,
                generic=_generic_of(matcher, doc.id, part.name, focus),
                naming=matcher,
                focus=country,
                country=focus,
            )
            events.extend(
                extract_events(
                    analysis,
                    context,
                    lexicon=self.event_lexicon,
                    fatalities=self.fatality_lexicon,
                )
            )
        return Annotations(
            document_id=doc.id,
            extractor_version=self.version,
            languages={part.name: route(part.lang) for part in parts},
            actors=tuple(actors),
            places=tuple(_ordered(places, [part.name for part in parts])),
            times=tuple(times),
            attributions=tuple(attributions),
            judgments=tuple(judgments),
            events=tuple(events),
        )


def _actor_ref(doc_id: str, part: str, m: ActorMention) -> ActorRef:
    return ActorRef(
        span=Span(doc_id, part, m.start, m.end),
        surface=m.surface,
        actor_id=m.actor_id,
        name=m.name,
        inter=m.inter,
        generic=m.generic,
        descriptive=m.descriptive,
        acled=m.acled,
    )


def _generic_of(
    matcher: ActorMatcher, doc_id: str, part: str, country: str | None
) -> Callable[[str], ActorRef | None]:
    """The document country's generic actor of a kind, as an actor without a span."""

    def generic(kind: str) -> ActorRef | None:
        found = matcher.generic(kind, country=country)
        return _actor_ref(doc_id, part, found) if found is not None else None

    return generic


def _ordered(places: Iterable[PlaceRef], parts: list[str]) -> list[PlaceRef]:
    """Places in reading order: body first, comments in thread order."""
    order = {name: i for i, name in enumerate(parts)}
    return sorted(places, key=lambda p: (order.get(p.span.part, len(order)), p.span.start))


_DEFAULT: Extractor | None = None


def extract(doc: Document, *, country_hint: str | None = None) -> Annotations:
    """Annotations for ``doc`` with a process-wide extractor (models load on first call)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT.extract(doc, country_hint=country_hint)
