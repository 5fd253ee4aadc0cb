"""Check the gold paragraph files (eval/gold/paragraphs_*.jsonl) against the gold format,
and the gold comments (eval/gold/comments.jsonl) against theirs.

Usage: .venv/bin/python eval/validate_gold.py [FILE ...]

Without arguments every eval/gold/paragraphs_*.jsonl and eval/gold/comments.jsonl is
checked (a file named comments*.jsonl is checked as gold comments). Prints one line per
problem ("FILE:LINE id: problem") and exits 1 if there is any, 0 otherwise.

Checks: valid JSON objects with the required fields; every annotated "text", "claim" and
"cue" is an exact substring of the paragraph (the "n"-th occurrence when "n" is given;
"claim_n"/"cue_n" for attributions); actor ids exist in the knowledge base
(tocsin.knowledge.actors.load_actors()) or are generic ids named the way ActorMatcher
names them (a country's role actor, or the slug of the ACLED name: "civilians-mali");
place kinds, precisions, coordinates and offsets; time values parse as an ISO day, week,
month, year or interval; attribution kinds. An actor deliberately absent from the
knowledge base is marked "missing_from_kb": true and only its id's shape is checked.

Gold comments: one JSON object a line with ``id`` (unique), ``lang`` (fr or en),
``text`` (non-empty), ``labels`` (a list, a subset of toxic / hateful / incitement;
empty for none; hateful or incitement must come with toxic), ``targets`` (target
categories of knowledge/comment_targets.toml; required, and only, when the comment is
hateful or targets a group in an incitement), ``narratives`` (ids of
knowledge/narratives.toml) and an optional ``kind``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.knowledge.actors import ActorKnowledge, load_actors
from tocsin.text.fold import fold

GOLD_DIR = Path(__file__).resolve().parent / "gold"
GENRES = frozenset({"news", "analysis", "ngo", "official", "partisan", "comment"})
LANGS = frozenset({"fr", "en"})
PLACE_KINDS = frozenset({"country", "region", "town", "natural"})
DIRECTIONS = frozenset({"N", "NE", "E", "SE", "S", "SW", "W", "NW"})
TIME_KINDS = frozenset({"date", "horizon"})
ATTRIBUTION_KINDS = frozenset(
    {
        "person",
        "organisation",
        "anonymous",
        "unnamed_experts",
        "unnamed_sources",
        "official_statement",
        "author",
    }
)
NEEDS_SOURCE = frozenset({"person", "organisation"})
REQUIRED = ("id", "lang", "genre", "published", "text", "actors", "places", "times", "attributions")
OPTIONAL = frozenset({"country"})

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^\d{4}$")


def slugify(text: str) -> str:
    """An ACLED name as the matcher's generic id: "Civilians (Mali)" -> "civilians-mali"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def collect_generic_ids(knowledge: ActorKnowledge) -> set[str]:
    """Every id the ActorMatcher can give a generic phrase, for any known country."""
    ids = {kind.kind for kind in knowledge.generics.values()}  # no country known
    for kind in knowledge.generics.values():
        for country in knowledge.countries.values():
            if kind.role and (ref := country.role(kind.role)):
                ids.add(ref)
                continue
            period = f" ({country.period})" if country.period else ""
            ids.add(slugify(kind.acled.format(country=country.name_en, period=period)))
    return ids


def parse_day(value: str) -> date | None:
    if not _DAY.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def check_time_value(value: str) -> str | None:
    """None when value is an ISO day, week, month, year or day interval; else the problem."""
    if "/" in value:
        start_text, _, end_text = value.partition("/")
        start, end = parse_day(start_text), parse_day(end_text)
        if start is None or end is None:
            return f"interval {value!r} must be two ISO days, START/END"
        if end < start:
            return f"interval {value!r} ends before it starts"
        return None
    if parse_day(value) is not None or _YEAR.match(value):
        return None
    if m := _MONTH.match(value):
        return None if 1 <= int(m.group(2)) <= 12 else f"bad month in {value!r}"
    if m := _WEEK.match(value):
        year, week = int(m.group(1)), int(m.group(2))
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            return f"no ISO week {value!r}"
        return None
    return f"time value {value!r} is not an ISO day, week, month, year or interval"


def find_occurrence(text: str, needle: Any, n: Any) -> str | None:
    """None when the n-th (0-based) occurrence of needle exists in text; else the problem."""
    if not isinstance(needle, str) or not needle:
        return "must be a non-empty string"
    if n is None:
        n = 0
    elif not isinstance(n, int) or isinstance(n, bool) or n < 0:
        return f"'n' for {needle!r} must be a non-negative integer"
    count = text.count(needle)  # non-overlapping, like str.find stepping past each match
    if count == 0:
        return f"{needle!r} is not a substring of the text"
    if n >= count:
        return f"{needle!r} occurs {count} time(s); n={n} is out of range"
    return None


class Checker:
    def __init__(self, knowledge: ActorKnowledge) -> None:
        self.actor_ids = set(knowledge.actors)
        self.generic_ids = collect_generic_ids(knowledge)

    def check_paragraph(self, para: Any, lang_hint: str | None) -> Iterator[str]:
        if not isinstance(para, dict):
            yield "line is not a JSON object"
            return
        for key in REQUIRED:
            if key not in para:
                yield f"missing field {key!r}"
        unknown = set(para) - set(REQUIRED) - OPTIONAL
        if unknown:
            yield f"unknown field(s) {', '.join(sorted(unknown))}"
        text = para.get("text")
        if not isinstance(text, str) or not text.strip():
            yield "'text' must be a non-empty string"
            return
        yield from self.check_header(para, lang_hint)
        published = parse_day(str(para.get("published", "")))
        for key in ("actors", "places", "times", "attributions"):
            items = para.get(key, [])
            if not isinstance(items, list):
                yield f"{key!r} must be a list"
                continue
            seen: set[tuple[Any, Any]] = set()
            for i, item in enumerate(items):
                where = f"{key}[{i}]"
                if not isinstance(item, dict):
                    yield f"{where}: must be an object"
                    continue
                if key != "attributions":
                    surface = item.get("text")
                    if problem := find_occurrence(text, surface, item.get("n")):
                        yield f"{where}: text {problem}"
                    elif (mark := (surface, item.get("n") or 0)) in seen:
                        yield f"{where}: {surface!r} (n={mark[1]}) is annotated twice; add 'n'"
                    else:
                        seen.add(mark)
                if key == "actors":
                    yield from (f"{where}: {p}" for p in self.check_actor(item))
                elif key == "places":
                    yield from (f"{where}: {p}" for p in check_place(item))
                elif key == "times":
                    yield from (f"{where}: {p}" for p in check_time(item, published))
                else:
                    yield from (f"{where}: {p}" for p in check_attribution(item, text))

    def check_header(self, para: dict[str, Any], lang_hint: str | None) -> Iterator[str]:
        pid = para.get("id")
        if not isinstance(pid, str) or not pid:
            yield "'id' must be a non-empty string"
        lang = para.get("lang")
        if lang not in LANGS:
            yield f"'lang' {lang!r} must be one of {sorted(LANGS)}"
        elif lang_hint and lang != lang_hint:
            yield f"'lang' {lang!r} does not match the file (paragraphs_{lang_hint}.jsonl)"
        if para.get("genre") not in GENRES:
            yield f"'genre' {para.get('genre')!r} must be one of {sorted(GENRES)}"
        if parse_day(str(para.get("published", ""))) is None:
            yield f"'published' {para.get('published')!r} must be an ISO day, YYYY-MM-DD"
        if "country" in para and not (
            isinstance(para["country"], str) and _ISO2.match(para["country"])
        ):
            yield f"'country' {para['country']!r} must be an ISO 3166-1 alpha-2 code"

    def check_actor(self, item: dict[str, Any]) -> Iterator[str]:
        actor_id = item.get("id")
        if not isinstance(actor_id, str) or not _ID.match(actor_id):
            yield f"actor id {actor_id!r} must be lower case letters, digits and '-'"
            return
        if item.get("missing_from_kb") is True:
            if actor_id in self.actor_ids:
                yield f"actor id {actor_id!r} is in the knowledge base; drop 'missing_from_kb'"
            return
        if actor_id not in self.actor_ids and actor_id not in self.generic_ids:
            yield f"actor id {actor_id!r} is neither in actors.toml nor a generic id"
        if extra := set(item) - {"text", "id", "n", "missing_from_kb"}:
            yield f"unknown key(s) {', '.join(sorted(extra))}"


def check_place(item: dict[str, Any]) -> Iterator[str]:
    if item.get("unresolved") is True:
        if extra := set(item) - {"text", "n", "unresolved"}:
            yield f"an unresolved place has no {', '.join(sorted(extra))}"
        return
    kind = item.get("kind")
    if kind not in PLACE_KINDS:
        yield f"kind {kind!r} must be one of {sorted(PLACE_KINDS)} (or unresolved: true)"
    precision = item.get("precision")
    if precision not in (1, 2, 3) or isinstance(precision, bool):
        yield f"precision {precision!r} must be 1, 2 or 3"
    elif kind in ("country", "region", "natural") and precision != 3:
        yield f"a {kind} has precision 3"
    country = item.get("country")
    if not isinstance(country, str) or not _ISO2.match(country):
        yield f"country {country!r} must be an ISO2 code"
    lat, lon = item.get("lat"), item.get("lon")
    if (lat is None) != (lon is None):
        yield "give both lat and lon, or neither"
    elif lat is None or lon is None:
        if kind != "country":
            yield "lat/lon are required except for a country"
    elif not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        yield "lat/lon must be numbers"
    elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
        yield f"lat/lon {lat}, {lon} out of range"
    offset, direction = item.get("offset_km"), item.get("direction")
    if offset is not None and (
        not isinstance(offset, int | float) or isinstance(offset, bool) or offset <= 0
    ):
        yield f"offset_km {offset!r} must be a positive number"
    if direction is not None and direction not in DIRECTIONS:
        yield f"direction {direction!r} must be one of {sorted(DIRECTIONS)}"
    if (offset is not None or direction is not None) and precision != 2:
        yield "a relative location (offset_km/direction) has precision 2"
    known = {"text", "n", "kind", "precision", "country", "lat", "lon", "offset_km", "direction"}
    if extra := set(item) - known - {"geonameid", "admin1", "name"}:
        yield f"unknown key(s) {', '.join(sorted(extra))}"


def check_time(item: dict[str, Any], published: date | None) -> Iterator[str]:
    kind = item.get("kind")
    if kind not in TIME_KINDS:
        yield f"kind {kind!r} must be one of {sorted(TIME_KINDS)}"
    value = item.get("value")
    if not isinstance(value, str):
        yield "value must be a string"
        return
    if problem := check_time_value(value):
        yield problem
        return
    if kind == "horizon":
        if "/" not in value:
            yield f"a horizon is an interval PUBLISHED/DEADLINE, not {value!r}"
        elif published is not None and parse_day(value.partition("/")[0]) != published:
            yield f"horizon {value!r} must start on the publication date {published}"
    if extra := set(item) - {"text", "n", "kind", "value"}:
        yield f"unknown key(s) {', '.join(sorted(extra))}"


def check_attribution(item: dict[str, Any], text: str) -> Iterator[str]:
    kind = item.get("kind")
    if kind not in ATTRIBUTION_KINDS:
        yield f"kind {kind!r} must be one of {sorted(ATTRIBUTION_KINDS)}"
    if problem := find_occurrence(text, item.get("claim"), item.get("claim_n")):
        yield f"claim {problem}"
    cue = item.get("cue")
    if kind == "author":
        if cue is not None:
            yield "an author attribution has no cue"
    elif cue is None:
        yield f"a {kind} attribution needs a cue"
    elif problem := find_occurrence(text, cue, item.get("cue_n")):
        yield f"cue {problem}"
    if kind in NEEDS_SOURCE and not (isinstance(item.get("source"), str) and item["source"]):
        yield f"a {kind} attribution needs a 'source'"
    for key in ("source", "role"):
        if key in item and not isinstance(item[key], str):
            yield f"{key!r} must be a string"
    known = {"claim", "kind", "cue", "source", "role", "claim_n", "cue_n"}
    if extra := set(item) - known:
        yield f"unknown key(s) {', '.join(sorted(extra))}"


def check_file(path: Path, checker: Checker) -> list[str]:
    problems: list[str] = []
    match = re.match(r"^paragraphs_([a-z]{2})\.jsonl$", path.name)
    lang_hint = match.group(1) if match else None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}: cannot read ({exc})"]
    ids: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            para = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: invalid JSON ({exc.msg})")
            continue
        pid = para.get("id", "?") if isinstance(para, dict) else "?"
        if isinstance(pid, str) and pid in ids:
            problems.append(f"{path}:{number} {pid}: duplicate id (first on line {ids[pid]})")
        elif isinstance(pid, str):
            ids[pid] = number
        problems.extend(
            f"{path}:{number} {pid}: {p}" for p in checker.check_paragraph(para, lang_hint)
        )
    if not ids:
        problems.append(f"{path}: no paragraphs")
    return problems


COMMENT_LABELS = ("toxic", "hateful", "incitement")
COMMENT_FIELDS = frozenset({"id", "lang", "text", "labels", "targets", "narratives", "kind"})
KNOWLEDGE = Path(__file__).resolve().parent.parent / "src" / "tocsin" / "knowledge"
# The narratives agreed for issue 8, used when knowledge/narratives.toml is absent.
AGREED_NARRATIVES = frozenset(
    {
        "foreign_hand",
        "close_borders",
        "government_failure",
        "fuel_shortage_blame",
        "outsiders_blamed",
        "peace_talks",
    }
)


def narrative_ids() -> frozenset[str]:
    """The narrative ids of knowledge/narratives.toml (the agreed ones without it)."""
    path = KNOWLEDGE / "narratives.toml"
    if not path.exists():
        return AGREED_NARRATIVES
    entries = read_toml(path, what="narrative file").get("narrative", [])
    return frozenset(str(e["id"]) for e in entries if isinstance(e, dict) and "id" in e)


def target_categories() -> frozenset[str]:
    """Every category named in knowledge/comment_targets.toml."""
    data = read_toml(KNOWLEDGE / "comment_targets.toml", what="comment target lexicon")
    return frozenset(c for table in data.values() if isinstance(table, dict) for c in table)


def check_comment(
    item: Any, narratives: frozenset[str], categories: frozenset[str]
) -> Iterator[str]:
    if not isinstance(item, dict):
        yield "line is not a JSON object"
        return
    for key in sorted(COMMENT_FIELDS - {"kind"} - set(item)):
        yield f"missing field {key!r}"
    if unknown := set(item) - COMMENT_FIELDS:
        yield f"unknown field(s) {', '.join(sorted(unknown))}"
    if not isinstance(item.get("id"), str) or not _ID.match(item.get("id", "")):
        yield f"'id' {item.get('id')!r} must be lower case letters, digits and '-'"
    if item.get("lang") not in LANGS:
        yield f"'lang' {item.get('lang')!r} must be one of {sorted(LANGS)}"
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        yield "'text' must be a non-empty string"
    lists = {}
    for key in ("labels", "targets", "narratives"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            yield f"{key!r} must be a list of strings"
            value = []
        elif len(set(value)) != len(value):
            yield f"{key!r} repeats a value"
        lists[key] = set(value)
    labels = lists["labels"]
    if bad := labels - set(COMMENT_LABELS):
        yield f"label(s) {sorted(bad)} must be among {list(COMMENT_LABELS)} (none: [])"
    if labels & {"hateful", "incitement"} and "toxic" not in labels:
        yield "a hateful or inciting comment is toxic too: add 'toxic'"
    if bad := lists["targets"] - categories:
        yield f"target(s) {sorted(bad)} are not categories of comment_targets.toml"
    if "hateful" in labels and not lists["targets"]:
        yield "a hateful comment names its target categories"
    if lists["targets"] and not labels & {"hateful", "incitement"}:
        yield "targets are given for hateful or inciting comments only"
    if bad := lists["narratives"] - narratives:
        yield f"narrative(s) {sorted(bad)} are not ids of knowledge/narratives.toml"
    if "kind" in item and not isinstance(item["kind"], str):
        yield "'kind' must be a string"


def check_comments_file(path: Path) -> list[str]:
    """Problems of a gold comments file, one line each ("FILE:LINE id: problem")."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}: cannot read ({exc})"]
    narratives, categories = narrative_ids(), target_categories()
    problems: list[str] = []
    ids: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: invalid JSON ({exc.msg})")
            continue
        cid = item.get("id", "?") if isinstance(item, dict) else "?"
        if isinstance(cid, str) and cid in ids:
            problems.append(f"{path}:{number} {cid}: duplicate id (first on line {ids[cid]})")
        elif isinstance(cid, str):
            ids[cid] = number
        problems.extend(
            f"{path}:{number} {cid}: {p}" for p in check_comment(item, narratives, categories)
        )
    if len(ids) < 100:
        problems.append(f"{path}: {len(ids)} comments; the gold set needs at least 100")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or [
        *sorted(GOLD_DIR.glob("paragraphs_*.jsonl")),
        *sorted(GOLD_DIR.glob("comments.jsonl")),
    ]
    if not paths:
        print(f"no gold files in {GOLD_DIR}")
        return 1
    checker = Checker(load_actors())
    problems = [
        p
        for path in paths
        for p in (
            check_comments_file(path)
            if path.name.startswith("comments")
            else check_file(path, checker)
        )
    ]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
