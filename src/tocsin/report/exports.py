"""Events written out: an ACLED-style CSV, GeoJSON, or JSON lines.

Writers stream: one event at a time goes to ``out``; nothing holds the whole text.
Give ``out`` a text stream opened with ``encoding="utf-8", newline=""``.
"""

from __future__ import annotations

import calendar
import csv
import json
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, TextIO

from tocsin.errors import ConfigError, InputError
from tocsin.ingest.acled_csv import ACLED_COLUMNS
from tocsin.ingest.acled_names import AcledActors, AcledCountries, load_countries
from tocsin.models import Event, EventReport, Kind, SourcedReport, Span
from tocsin.report.records import event_to_plain

EXPORT_FORMATS: tuple[str, ...] = ("acled-csv", "geojson", "jsonl")

_DATES = frozenset({"event_date"})
_TUPLES = frozenset({"assoc_actor_1", "assoc_actor_2", "tags"})


def write_events(events: Iterable[Event], out: TextIO, *, fmt: str) -> int:
    """Write ``events`` to ``out`` in ``fmt`` (one of :data:`EXPORT_FORMATS`); the number
    of events written."""
    writers: dict[str, Callable[[Iterable[Event], TextIO], int]] = {
        "acled-csv": _write_acled_csv,
        "geojson": _write_geojson,
        "jsonl": _write_jsonl,
    }
    if fmt not in writers:
        raise ConfigError(
            f"export format {fmt!r} is not known; use one of {', '.join(EXPORT_FORMATS)}"
        )
    return writers[fmt](events, out)


# ---------------------------------------------------------------- ACLED CSV


def acled_row(
    event: Event, *, actors: AcledActors | None = None, countries: AcledCountries | None = None
) -> dict[str, str | int]:
    """One event as a row of an ACLED export, keyed by the ACLED column names."""
    actors = actors or AcledActors.default()
    countries = countries or load_countries()
    country = countries.get(event.country)
    disorder = event.disorder_type
    targeting = event.inter2 == 7 and "Political violence" in disorder
    return {
        "event_id_cnty": event.id,
        "event_date": event.event_date.isoformat() if event.event_date else "",
        "year": event.event_date.year if event.event_date else "",
        "time_precision": _text(event.time_precision),
        "disorder_type": disorder,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1_name or actors.name(event.actor1 or ""),
        "assoc_actor_1": "; ".join(actors.name(a) for a in event.assoc_actor_1),
        "inter1": _inter(event.inter1, event.actor1_name or event.actor1),
        "actor2": event.actor2_name or actors.name(event.actor2 or ""),
        "assoc_actor_2": "; ".join(actors.name(a) for a in event.assoc_actor_2),
        "inter2": _inter(event.inter2, event.actor2_name or event.actor2),
        "interaction": _interaction(event.inter1, event.inter2),
        "civilian_targeting": "Civilian targeting" if targeting else "",
        "iso": country.numeric if country and country.numeric is not None else "",
        "region": country.region if country else "",
        "country": country.name if country else (event.country or ""),
        "admin1": event.admin1 or "",
        "admin2": event.admin2 or "",
        "admin3": "",
        "location": event.location or "",
        "latitude": _degrees(event.lat),
        "longitude": _degrees(event.lon),
        "geo_precision": _text(event.geo_precision),
        "source": event.source,
        "source_scale": "",
        "notes": event.notes,
        "fatalities": event.fatalities or 0,
        "tags": "; ".join(event.tags),
        "timestamp": _timestamp(event.reports),
    }


def _write_acled_csv(events: Iterable[Event], out: TextIO) -> int:
    actors, countries = AcledActors.default(), load_countries()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(acled_row(event, actors=actors, countries=countries))
        count += 1
    return count


def _text(value: int | None) -> str | int:
    return "" if value is None else value


def _inter(inter: int | None, actor: str | None) -> str | int:
    """The inter code; 0 where there is no such actor, as ACLED writes it."""
    if inter is not None:
        return inter
    return "" if actor else 0


def _interaction(inter1: int | None, inter2: int | None) -> str | int:
    """ACLED's interaction code: the two inter digits, the lower first (12); a lone
    actor's is ten times its inter (10)."""
    if not inter1:
        return ""
    if not inter2:
        return 10 * inter1
    low, high = sorted((inter1, inter2))
    return 10 * low + high


def _degrees(value: float | None) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.4f}"


def _timestamp(reports: Iterable[SourcedReport]) -> int:
    """Unix seconds of the latest report's publication (naive times are UTC); 0 if none."""
    times = [calendar.timegm(r.published.utctimetuple()) for r in reports if r.published]
    return max(times, default=0)


# ---------------------------------------------------------------- JSON


def event_from_plain(plain: Mapping[str, Any]) -> Event:
    """The inverse of :func:`tocsin.report.records.event_to_plain`. Reports come back
    with the coded fields of the event and their own fatalities; the rest of each
    report's coding is not in the plain form. Unknown keys are ignored; a malformed
    object is an :class:`InputError`."""
    try:
        values: dict[str, Any] = {}
        for name in Event.__slots__:
            if name not in plain:
                continue
            value = plain[name]
            if name in _DATES and isinstance(value, str):
                value = date.fromisoformat(value)
            elif name in _TUPLES:
                value = tuple(str(v) for v in value or ())
            values[name] = value
        values["reports"] = tuple(
            _report_from_plain(r, values) for r in values.get("reports") or ()
        )
        return Event(**values)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        where = f"event {plain.get('id')!r}" if isinstance(plain, Mapping) else "event"
        raise InputError(
            where, f"cannot be read ({exc})", "give an object written by event_to_plain"
        ) from exc


def _report_from_plain(plain: Mapping[str, Any], event: Mapping[str, Any]) -> SourcedReport:
    span = Span(str(plain["document_id"]), str(plain["part"]), plain["start"], plain["end"])
    published = plain.get("published")
    return SourcedReport(
        id=str(plain["id"]),
        report=EventReport(
            span=span,
            trigger=span,
            trigger_text="",
            event_type=str(event.get("event_type", "")),
            sub_event_type=str(event.get("sub_event_type", "")),
            fatalities=plain.get("fatalities"),
        ),
        source_id=str(plain["source_id"]),
        kind=Kind(plain.get("kind", Kind.NEWS)),
        reliability=str(plain.get("reliability", "F")),
        copy_of=plain.get("copy_of"),
        published=datetime.fromisoformat(published) if published else None,
        quote=str(plain.get("quote", "")),
    )


def _write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    count = 0
    for event in events:
        out.write(json.dumps(event_to_plain(event), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def _write_geojson(events: Iterable[Event], out: TextIO) -> int:
    out.write('{"type": "FeatureCollection", "features": [')
    count = 0
    for event in events:
        out.write(",\n" if count else "\n")
        json.dump(_feature(event), out, ensure_ascii=False)
        count += 1
    out.write("\n]}\n")
    return count


def _feature(event: Event) -> dict[str, Any]:
    """A GeoJSON Feature: a Point [lon, lat], or no geometry without coordinates;
    the event's fields, its disorder type and its number of reports as properties."""
    properties = event_to_plain(event, report_count=len(event.reports))
    located = properties["lat"] is not None and properties["lon"] is not None
    geometry = {"type": "Point", "coordinates": [event.lon, event.lat]} if located else None
    return {"type": "Feature", "id": event.id, "geometry": geometry, "properties": properties}
