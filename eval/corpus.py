"""The gold files in ``eval/gold`` as plain values, and running Tocsin on them.

Gold paragraphs (``paragraphs_fr.jsonl``, ``paragraphs_en.jsonl``) name their items by
exact substrings (with ``"n"``: the n-th occurrence, 0-based); loading turns them into
character spans. ACLED-style notes (``acled_notes.jsonl``) carry the event's gold point.
The extractor is passed in; nothing here loads a model.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from tocsin.models import Annotations, Document, Precision, Source

GOLD_DIR = Path(__file__).resolve().parent / "gold"
PARAGRAPH_FILES = ("paragraphs_fr.jsonl", "paragraphs_en.jsonl")
NOTES_FILE = "acled_notes.jsonl"


class GoldError(ValueError):
    """A gold file that cannot be read at all (bad JSON, missing required field)."""


# ---------------------------------------------------------------- gold items


@dataclass(frozen=True, slots=True)
class GoldActor:
    start: int
    end: int
    actor_id: str


@dataclass(frozen=True, slots=True)
class GoldPlace:
    start: int
    end: int
    resolved: bool
    kind: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class GoldTime:
    start: int
    end: int
    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    start: int  # the claim
    end: int
    kind: str
    cue: tuple[int, int] | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class GoldParagraph:
    id: str
    lang: str
    published: date
    text: str
    country: str | None = None
    genre: str = ""
    actors: tuple[GoldActor, ...] = ()
    places: tuple[GoldPlace, ...] = ()
    times: tuple[GoldTime, ...] = ()
    attributions: tuple[GoldAttribution, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldNote:
    id: str
    date: date
    country: str
    text: str
    location: str
    lat: float
    lon: float
    geo_precision: int
    village: bool
    admin1: str = ""
    admin2: str = ""


# ---------------------------------------------------------------- loading


def find_span(text: str, surface: str, n: int = 0) -> tuple[int, int] | None:
    """The ``n``-th (0-based) occurrence of ``surface`` in ``text``, or None."""
    if not surface or n < 0:
        return None
    start = -1
    for _ in range(n + 1):
        start = text.find(surface, start + 1)
        if start < 0:
            return None
    return start, start + len(surface)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldError(f"{path}:{number}: not JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise GoldError(f"{path}:{number}: not a JSON object")
        rows.append(row)
    return rows


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def parse_paragraph(row: Mapping[str, Any], problems: list[str]) -> GoldParagraph:
    """One gold paragraph. Items whose text is not found are left out, with a line in
    ``problems``; a paragraph without id, text or publication date raises GoldError."""
    try:
        pid, text = str(row["id"]), str(row["text"])
        published = date.fromisoformat(str(row["published"])[:10])
    except (KeyError, ValueError) as error:
        raise GoldError(f"paragraph {row.get('id', '?')}: {error}") from None

    def span(item: Mapping[str, Any], key: str, what: str) -> tuple[int, int] | None:
        surface = str(item.get(key) or "")
        found = find_span(text, surface, _int(item.get("n")) or 0)
        if found is None:
            problems.append(f"{pid} {what}: {key} {surface!r} not found in the text")
        return found

    actors, places, times, attributions = [], [], [], []
    for item in row.get("actors") or ():
        if (s := span(item, "text", "actors")) is not None:
            actors.append(GoldActor(*s, str(item.get("id", ""))))
    for item in row.get("places") or ():
        if (s := span(item, "text", "places")) is not None:
            resolved = not item.get("unresolved", False)
            places.append(
                GoldPlace(
                    *s, resolved, item.get("kind"), item.get("country"), _float(item.get("lat")),
                    _float(item.get("lon")), _int(item.get("precision")),
                    _int(item.get("geonameid")),
                )
            )  # fmt: skip
    for item in row.get("times") or ():
        if (s := span(item, "text", "times")) is not None:
            times.append(GoldTime(*s, str(item.get("kind", "")), str(item.get("value", ""))))
    for item in row.get("attributions") or ():
        if (s := span(item, "claim", "attributions")) is not None:
            cue = span(item, "cue", "attribution cue") if item.get("cue") else None
            kind, source = str(item.get("kind", "")), item.get("source")
            attributions.append(GoldAttribution(*s, kind, cue, source))
    return GoldParagraph(
        pid, str(row.get("lang", "")), published, text, row.get("country") or None,
        str(row.get("genre", "")), tuple(actors), tuple(places), tuple(times),
        tuple(attributions),
    )  # fmt: skip


def load_paragraphs(paths: Iterable[Path]) -> tuple[list[GoldParagraph], list[str]]:
    """Paragraphs from the files that exist, and the problems found in them."""
    paragraphs: list[GoldParagraph] = []
    problems: list[str] = []
    for path in paths:
        if not path.exists():
            problems.append(f"{path.name}: missing")
            continue
        paragraphs.extend(parse_paragraph(row, problems) for row in _read_jsonl(path))
    return paragraphs, problems


def load_notes(path: Path) -> list[GoldNote]:
    notes = []
    for row in _read_jsonl(path):
        try:
            notes.append(
                GoldNote(
                    str(row["id"]), date.fromisoformat(row["date"]), str(row["country"]),
                    str(row["text"]), str(row["location"]), float(row["lat"]),
                    float(row["lon"]), int(row["geo_precision"]), bool(row["village"]),
                    str(row.get("admin1", "")), str(row.get("admin2", "")),
                )
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as error:
            raise GoldError(f"{path}: note {row.get('id', '?')}: {error}") from None
    return notes


# ---------------------------------------------------------------- running Tocsin


class ExtractorLike(Protocol):
    """What eval needs of ``tocsin.extract.annotate.Extractor``."""

    def extract(self, doc: Document, *, country_hint: str | None = None) -> Annotations: ...


def make_document(doc_id: str, text: str, *, lang: str, published: date) -> Document:
    return Document(
        id=doc_id,
        source=Source(id="eval", name="eval"),
        text=text,
        content_hash="",
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
        published=datetime(published.year, published.month, published.day, 12, tzinfo=UTC),
        published_precision=Precision.DAY,
        language=lang,
    )


def annotate(
    extractor: ExtractorLike,
    doc_id: str,
    text: str,
    *,
    lang: str,
    published: date,
    country: str | None = None,
) -> Annotations:
    """Run the extractor on one text, with the country hint (ISO2) when there is one."""
    doc = make_document(doc_id, text, lang=lang, published=published)
    return extractor.extract(doc, country_hint=country)


@dataclass(frozen=True, slots=True)
class Job:
    """One text to annotate."""

    doc_id: str
    text: str
    lang: str
    published: date
    country: str | None = None
    area: tuple[str, ...] | None = None  # the user's area of interest (ISO2), if set


def paragraph_jobs(paragraphs: Iterable[GoldParagraph]) -> list[Job]:
    return [Job(p.id, p.text, p.lang, p.published, p.country) for p in paragraphs]


def note_jobs(notes: Iterable[GoldNote]) -> list[Job]:
    return [Job(n.id, n.text, "en", n.date, n.country) for n in notes]


def annotate_all(
    extractor: ExtractorLike, jobs: Sequence[Job], *, errors: list[str] | None = None
) -> list[Annotations]:
    """Annotations for every job, in order: through ``extract_many`` (batched through the
    models) when the extractor has it, else one ``extract`` call per job.

    With ``errors``, an exception does not stop the run: the jobs are redone one by one,
    a job that raises gets empty annotations and a line in ``errors``."""
    many = getattr(extractor, "extract_many", None)
    if callable(many):
        docs = [make_document(j.doc_id, j.text, lang=j.lang, published=j.published) for j in jobs]
        hints = {j.doc_id: j.country for j in jobs}
        areas = {j.doc_id: j.area for j in jobs if j.area is not None}
        try:
            if areas:
                return list(many(docs, country_hints=hints, areas=areas))
            return list(many(docs, country_hints=hints))
        except Exception:
            if errors is None:
                raise
    out = []
    for j in jobs:
        try:
            ann = annotate(
                extractor, j.doc_id, j.text, lang=j.lang, published=j.published, country=j.country
            )
        except Exception as error:
            if errors is None:
                raise
            errors.append(f"{j.doc_id}: {type(error).__name__}: {error}")
            ann = Annotations(j.doc_id, "failed")
        out.append(ann)
    return out
