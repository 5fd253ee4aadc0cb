"""ACLED CSV exports: the column layout, and a reader that turns an export into events
of the reference layer ("acled").

Imported events are ``confirmed``: ACLED curates and reviews what it publishes. An
actor keeps its ACLED name (``actor1_name``); its id comes from
:class:`~tocsin.ingest.acled_names.AcledActors`, else None. Associated actors without
an id keep their name. Countries are read with :mod:`tocsin.ingest.acled_names`.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tocsin.errors import InputError
from tocsin.ingest.acled_names import AcledActors, AcledCountries, load_countries
from tocsin.models import EVENT_TYPES, LAYER_ACLED, Event
from tocsin.text.fold import fold

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
REQUIRED_COLUMNS: tuple[str, ...] = ("event_id_cnty", "event_date", "event_type")
# ACLED's actor categories; recent exports write the label instead of the digit.
INTER_LABELS: dict[int, str] = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
MAX_PROBLEMS = 1000  # problem lines kept; the rest are counted in one last line

_HEAD_BYTES = 65536
_DELIMITERS = (",", ";", "\t", "|")
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y", "%Y/%m/%d")
_INTER_BY_LABEL = {fold(label): code for code, label in INTER_LABELS.items()} | {
    "external forces": 8,
    "other forces": 8,
    "external/other forces": 8,
}

# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class AcledImport:
    """The events read from an export and one line for each row that was left out."""

    events: list[Event]
    problems: list[str]


class _RowError(Exception):
    pass


def read_acled_csv(path: Path | str, *, actors: AcledActors | None = None) -> AcledImport:
    """Events (layer "acled", status "confirmed") from an ACLED CSV export.

    Columns may come in any order, with extra columns, a BOM, and "," ";" tab or "|"
    between cells; only event_id_cnty, event_date and event_type must be there. A bad
    row becomes one line in ``problems`` ("FILE:LINE: what is wrong; what to do") and
    the others go on. A file that is not an ACLED export raises :class:`InputError`.
    Rows are read one at a time.
    """
    path = Path(path)
    actors = actors or AcledActors.default()
    countries = load_countries()
    encoding, delimiter = _probe(path)
    events: list[Event] = []
    problems: list[str] = []
    extra = 0
    seen: dict[str, int] = {}
    try:
        with path.open(encoding=encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            header = _header(reader, path)
            index = {name: i for i, name in reversed(list(enumerate(header)))}
            while True:
                line = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    problems.append(
                        f"{path}:{line}: the CSV cannot be read from here on ({_one_line(exc)}); "
                        "fix the quoting of this row and import again"
                    )
                    break
                if not row or not any(cell.strip() for cell in row):
                    continue
                try:
                    if len(row) != len(header):
                        raise _RowError(
                            f"has {len(row)} cells where the header has {len(header)}; "
                            "check the quoting of this row"
                        )
                    cells = {name: row[i].strip() for name, i in index.items()}
                    event = _event(cells, actors, countries)
                    if (first := seen.get(event.id)) is not None:
                        raise _RowError(
                            f"event_id_cnty {_show(event.id)} appears again (first on line "
                            f"{first}); keep one row per event"
                        )
                    seen[event.id] = line
                    events.append(event)
                except _RowError as exc:
                    if len(problems) < MAX_PROBLEMS:
                        problems.append(f"{path}:{line}: {exc}")
                    else:
                        extra += 1
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({_one_line(exc)})", "check the file") from exc
    if extra:
        problems.append(
            f"{path}: {extra} more rows with problems are not listed; fix the rows above "
            "and import again"
        )
    return AcledImport(events, problems)


def _probe(path: Path) -> tuple[str, str]:
    """The encoding and the delimiter of an export, from its first bytes; InputError when
    the file is not an ACLED CSV."""
    where = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise InputError(where, f"cannot be read ({_one_line(exc)})", "check the path") from exc
    advice = "export events from ACLED as CSV and import that file"
    if not head.strip():
        raise InputError(where, "is empty", advice)
    if b"\x00" in head:
        raise InputError(where, "is a binary file, not a CSV", advice)
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        text, encoding = head.decode("latin-1"), "latin-1"
    first = text.lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    for delimiter in _DELIMITERS:
        try:
            columns = {_column(c) for c in next(csv.reader([first], delimiter=delimiter))}
        except (csv.Error, StopIteration):
            continue
        if all(name in columns for name in REQUIRED_COLUMNS):
            return encoding, delimiter
    raise InputError(
        where,
        "is not an ACLED export: its first line has no event_id_cnty, event_date and "
        "event_type columns",
        "export from ACLED with the column names kept",
    )


def _header(reader: Iterator[list[str]], path: Path) -> list[str]:
    """The first row that is not blank, as lower-case column names."""
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                return [_column(c) for c in row]
    except csv.Error as exc:
        raise InputError(
            str(path), f"its header cannot be read ({_one_line(exc)})", "fix the first line"
        ) from exc
    raise InputError(str(path), "has no header", "export from ACLED with the column names kept")


def _column(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().strip('"').lower()


def _event(cells: dict[str, str], actors: AcledActors, countries: AcledCountries) -> Event:
    get = cells.get
    event_id = get("event_id_cnty", "")
    if not event_id:
        raise _RowError("no event_id_cnty; give every row its ACLED event id")
    event_type = get("event_type", "")
    if not event_type:
        raise _RowError("no event_type; give one of the six ACLED event types")
    if event_type not in EVENT_TYPES:
        raise _RowError(
            f"event_type {_show(event_type)} is not an ACLED event type; use one of "
            + ", ".join(EVENT_TYPES)
        )
    sub_event_type = get("sub_event_type", "")
    if sub_event_type and sub_event_type not in EVENT_TYPES[event_type]:
        raise _RowError(
            f"sub_event_type {_show(sub_event_type)} is not a sub-type of {event_type}; use "
            + ", ".join(EVENT_TYPES[event_type])
        )
    lat, lon = _coordinates(get("latitude", ""), get("longitude", ""))
    actor1_name = get("actor1") or None
    actor2_name = get("actor2") or None
    sources = [s.strip() for s in get("source", "").split(";") if s.strip()]
    fatalities = _number(get("fatalities", ""), "fatalities", 0, 1_000_000)
    return Event(
        id=event_id,
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_date=_date(get("event_date", "")),
        time_precision=_number(get("time_precision", ""), "time_precision", 1, 3),
        actor1=actors.actor_id(actor1_name) if actor1_name else None,
        actor1_name=actor1_name,
        inter1=_inter(get("inter1", ""), "inter1"),
        actor2=actors.actor_id(actor2_name) if actor2_name else None,
        actor2_name=actor2_name,
        inter2=_inter(get("inter2", ""), "inter2"),
        assoc_actor_1=_assoc(get("assoc_actor_1", ""), actors),
        assoc_actor_2=_assoc(get("assoc_actor_2", ""), actors),
        location=get("location") or None,
        lat=lat,
        lon=lon,
        country=_country(get("iso", ""), get("country", ""), countries),
        admin1=get("admin1") or None,
        admin2=get("admin2") or None,
        geo_precision=_number(get("geo_precision", ""), "geo_precision", 1, 3),
        fatalities=fatalities,
        fatalities_low=fatalities,
        fatalities_high=fatalities,
        tags=tuple(t.strip() for t in get("tags", "").split(";") if t.strip()),
        status="confirmed",
        independent=max(1, len({fold(s) for s in sources})),
        notes=get("notes", ""),
        layer=LAYER_ACLED,
        source=get("source", ""),
    )


def _date(text: str) -> date:
    if not text:
        raise _RowError("no event_date; give the date of the event as YYYY-MM-DD")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _RowError(f"event_date {_show(text)} is not a date; write it as YYYY-MM-DD")


def _number(text: str, column: str, low: int, high: int) -> int | None:
    if not text:
        return None
    try:
        value = float(text) if re.fullmatch(r"[0-9]+(?:\.0+)?", text) else None
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise _RowError(f"{column} {_show(text)} is not a whole number from {low} to {high}")
    return int(value)


def _inter(text: str, column: str) -> int | None:
    if not text:
        return None
    if re.fullmatch(r"[0-9]", text):
        code = int(text)
    elif (found := _INTER_BY_LABEL.get(fold(text))) is not None:
        code = found
    else:
        code = -1
    if not 0 <= code <= 8:
        raise _RowError(
            f"{column} {_show(text)} is not an ACLED actor category; write 1 to 8 or its label"
        )
    return code or None  # ACLED writes 0 where there is no such actor


def _coordinates(lat_text: str, lon_text: str) -> tuple[float | None, float | None]:
    if not lat_text and not lon_text:
        return None, None
    lat = _float(lat_text, "latitude")
    lon = _float(lon_text, "longitude")
    if not -90 <= lat <= 90:
        raise _RowError(f"latitude {_show(lat_text)} is out of range; give -90 to 90")
    if not -180 <= lon <= 180:
        raise _RowError(f"longitude {_show(lon_text)} is out of range; give -180 to 180")
    return lat, lon


def _float(text: str, column: str) -> float:
    if not text:
        raise _RowError(f"{column} is missing; give both latitude and longitude or neither")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma
    try:
        value = float(text) if re.fullmatch(r"[-+]?[0-9]+(?:\.[0-9]*)?", text) else math.nan
    except ValueError:
        value = math.nan
    if math.isnan(value):
        raise _RowError(f"{column} {_show(text)} is not a number; write decimal degrees")
    return value


def _country(iso: str, name: str, countries: AcledCountries) -> str | None:
    if re.fullmatch(r"[0-9]{1,3}", iso) and (found := countries.by_numeric(int(iso))):
        return found.iso2
    if not name:
        return None
    if (found := countries.find(name)) is not None:
        return found.iso2
    raise _RowError(
        f"country {_show(name)} is not a known country; use ACLED's country name or "
        "fill the iso column"
    )


def _assoc(text: str, actors: AcledActors) -> tuple[str, ...]:
    names = [n.strip() for n in text.split(";") if n.strip()]
    return tuple(actors.actor_id(n) or n for n in names)


def _show(value: str) -> str:
    """A cell quoted on one line, cut when long."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _one_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
