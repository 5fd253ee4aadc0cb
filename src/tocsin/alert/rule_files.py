"""Alert rules: validation (``rules add`` and ``rules import`` share it) and the rules
file, a TOML list of ``[[rule]]`` tables whose keys are the fields of ``AlertRule``.

    [[rule]]
    id = "sites-and-road"          # optional: a slug of the name
    name = "Sites and the Dakar-Bamako road"
    asset_id = "bko-office"        # or area = "Mali" (or neither: every asset)
    kinds = ["event", "risk", "forecast"]
    categories = ["conflict", "crime"]   # empty or absent: every category
    min_severity = 2               # event alerts, 1-5
    min_level = 4                  # risk-change alerts, 1-5
    min_probability = 0.7          # forecast alerts
    distance_km = 40
    channels = ["email:security@example.org", "webhook:https://example.org/hook"]
    lang = "fr"

The area is checked against the gazetteer by the caller (``areas.resolve_area``), which
knows where the gazetteer is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from tocsin.alert.messages import parse_channel
from tocsin.config import read_toml
from tocsin.errors import ConfigError, InputError
from tocsin.models import ALERT_KINDS, RISK_CATEGORIES, AlertRule
from tocsin.text.fold import slug

LANGUAGES: tuple[str, ...] = ("fr", "en")
MAX_DISTANCE_KM = 1000.0
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_KEYS = frozenset(
    {
        "id",
        "name",
        "asset_id",
        "asset",
        "area",
        "kinds",
        "categories",
        "min_severity",
        "min_level",
        "min_probability",
        "distance_km",
        "channels",
        "lang",
    }
)


def make_rule(
    name: str,
    *,
    rule_id: str | None = None,
    asset_id: str | None = None,
    area: str | None = None,
    kinds: Iterable[str] = ALERT_KINDS,
    categories: Iterable[str] = (),
    min_severity: int = 1,
    min_level: int = 3,
    min_probability: float = 0.7,
    distance_km: float = 50.0,
    channels: Iterable[str] = (),
    lang: str = "en",
    created: datetime | None = None,
    where: str | None = None,
) -> AlertRule:
    """A checked rule; a problem raises ``InputError`` naming ``where`` (default: the
    rule). Kinds and categories keep the canonical order."""
    label = " ".join(str(name).split())
    source = where or (f"rule {label!r}" if label else "rule")

    def fail(problem: str, advice: str) -> InputError:
        return InputError(source, problem, advice)

    if not label:
        raise fail("no name", "give the rule a name")
    identifier = (rule_id or "").strip() or slug(label)[:100]
    if not _ID.match(identifier):
        raise fail(f"id {identifier!r} is not usable", "use letters, digits, dots and dashes")
    asset = (asset_id or "").strip() or None
    place = " ".join((area or "").split()) or None
    if asset and place:
        raise fail("has both an asset and an area", "give one of them (or neither: every asset)")
    wanted_kinds = _subset(kinds, ALERT_KINDS, "kind", fail)
    if not wanted_kinds:
        raise fail("no kinds", f"give at least one of {', '.join(ALERT_KINDS)}")
    wanted_categories = _subset(categories, RISK_CATEGORIES, "category", fail)
    severity = _whole(min_severity, "min_severity", fail)
    level = _whole(min_level, "min_level", fail)
    probability = _real(min_probability, "min_probability", 0.0, 1.0, fail)
    distance = _real(distance_km, "distance_km", 0.0, MAX_DISTANCE_KM, fail)
    if distance <= 0:
        raise fail("distance_km must be more than 0", "give kilometres (40)")
    language = str(lang).strip().lower()
    if language not in LANGUAGES:
        raise fail(f"lang {lang!r} is not supported", f"use {' or '.join(LANGUAGES)}")
    return AlertRule(
        id=identifier,
        name=label,
        asset_id=asset,
        area=place,
        kinds=wanted_kinds,
        categories=wanted_categories,
        min_severity=severity,
        min_level=level,
        min_probability=probability,
        distance_km=distance,
        channels=tuple(_channel(c, fail) for c in _unique(channels)),
        lang=language,
        created=created,
    )


def _unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in seen:
            seen.append(text)
    return seen


def _subset(
    items: Iterable[str], allowed: tuple[str, ...], what: str, fail: Any
) -> tuple[str, ...]:
    if isinstance(items, str):
        items = items.split(",")
    given = {str(item).strip().lower() for item in items if str(item).strip()}
    unknown = sorted(given - set(allowed))
    if unknown:
        raise fail(f"{what} {unknown[0]!r} is not known", f"use {', '.join(allowed)}")
    return tuple(item for item in allowed if item in given)


def _whole(value: Any, what: str, fail: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise fail(f"{what} {value!r} is not a number", "give 1 to 5")
    try:
        number = int(value)
    except ValueError:
        raise fail(f"{what} {value!r} is not a whole number", "give 1 to 5") from None
    if number != float(value) or not 1 <= number <= 5:
        raise fail(f"{what} {value} is out of range", "give a whole number from 1 to 5")
    return number


def _real(value: Any, what: str, low: float, high: float, fail: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise fail(f"{what} {value!r} is not a number", f"give {low:g} to {high:g}") from None
    if isinstance(value, bool) or not math.isfinite(number) or not low <= number <= high:
        raise fail(f"{what} {value} is out of range", f"give {low:g} to {high:g}")
    return number


def _channel(text: str, fail: Any) -> str:
    """The channel as the outbox reads it (one check: ``alert.messages.parse_channel``)."""
    try:
        kind, target = parse_channel(text)
    except InputError as exc:
        raise fail(exc.problem.replace("not a", f"channel {text!r}: not a", 1), exc.advice) from exc
    return f"{kind}:{target}"


def read_rules(path: Path) -> list[AlertRule]:
    """The rules of a rules file, in order. The first bad rule raises ``InputError``
    naming the file and the rule; a file that is not TOML raises ``ConfigError``."""
    data = read_toml(path, missing="check the path", what="rules file")
    tables = data.get("rule", [])
    if set(data) - {"rule"} or not isinstance(tables, list):
        raise ConfigError(
            f"{path}: expected only [[rule]] tables; see `tocsin rules import --help`"
        )
    rules: list[AlertRule] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, start=1):
        where = f"{path}: rule {number}"
        if isinstance(table.get("id"), str):
            where += f" ({table['id']})"
        unknown = sorted(set(table) - _KEYS)
        if unknown:
            raise InputError(
                where, f"unknown key {unknown[0]!r}", f"use {', '.join(sorted(_KEYS))}"
            )
        values = dict(table)
        if "asset" in values:
            values.setdefault("asset_id", values.pop("asset"))
        rule = make_rule(
            str(values.pop("name", "")),
            rule_id=values.pop("id", None),
            where=where,
            **values,
        )
        if rule.id in seen:
            raise InputError(where, f"id {rule.id!r} is given twice", "give each rule its own id")
        seen.add(rule.id)
        rules.append(rule)
    if not rules:
        raise InputError(str(path), "no [[rule]] tables", "add at least one rule")
    return rules
