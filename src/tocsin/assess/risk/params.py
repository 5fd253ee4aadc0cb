"""The parameters of risk levels (``knowledge/risk.toml``) and their loader.

:func:`load_risk_params` reads the bundled file, then a user's file in the same format
that overrides it key by key (tables of names, such as ``[severity.sub_types]``, name by
name). Every value is checked; a wrong one is a one-line ``ConfigError`` naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.models import EVENT_TYPES, RISK_CATEGORIES

__all__ = ["SCOPES", "RiskParams", "load_risk_params"]

SCOPES: tuple[str, ...] = ("town", "admin1", "country")
_SUB_TYPES = frozenset(sub for subs in EVENT_TYPES.values() for sub in subs)
# Tables whose keys are names (merged name by name, any name allowed).
_NAMED = frozenset(
    {
        "severity.sub_types",
        "severity.tags",
        "severity.fatalities",
        "categories.types",
        "categories.sub_types",
        "categories.tags",
        "forecast_words",
    }
)


@dataclass(frozen=True, slots=True)
class RiskParams:
    """What ``knowledge/risk.toml`` says (see that file and docs/RISK.md)."""

    window_days: int
    half_life_days: float
    radius_km: float
    inner_km: float
    edge_weight: float
    near_weight: float
    default_severity: int
    sub_type_severity: Mapping[str, int]
    tag_severity: Mapping[str, int]
    fatality_severity: tuple[tuple[int, int], ...]  # (deaths, at least severity), by deaths
    points: Mapping[int, float]
    fatalities_weight: float
    status_credibility: Mapping[str, float]
    reliability_credibility: Mapping[str, float]
    no_reports_credibility: float
    forecast_points: float
    type_categories: Mapping[str, tuple[str, ...]]
    sub_type_categories: Mapping[str, tuple[str, ...]]
    tag_categories: Mapping[str, tuple[str, ...]]
    government_types: frozenset[str]
    government_inters: frozenset[int]
    government_categories: tuple[str, ...]
    forecast_words: Mapping[str, re.Pattern[str]]  # category -> one compiled pattern
    thresholds: Mapping[str, tuple[float, float, float, float]]  # scope -> level 2..5 starts
    top: int
    path: str = "knowledge/risk.toml"

    def level(self, score: float, scope: str) -> int:
        """1-5: how many thresholds of ``scope`` (a point reads as a town) the score reaches."""
        limits = self.thresholds.get(scope) or self.thresholds["town"]
        return 1 + sum(score >= limit for limit in limits)


def load_risk_params(path: Path | str | None = None) -> RiskParams:
    """The bundled parameters, overridden by the user's file at ``path`` (same format)."""
    if path is None:
        return _bundled()
    data = load_knowledge("risk")
    extra = Path(path)
    _overlay(data, read_toml(extra, what="risk parameters file"), extra, "")
    return _build(data, extra)


@per_knowledge_dir
def _bundled() -> RiskParams:
    return _build(load_knowledge("risk"), knowledge_source("risk"))


def _overlay(base: dict[str, Any], extra: dict[str, Any], path: Path, prefix: str) -> None:
    for key, value in extra.items():
        name = f"{prefix}{key}"
        if key not in base and prefix.rstrip(".") not in _NAMED:
            raise ConfigError(
                f"{path}: {name} is not a setting of knowledge/risk.toml; see docs/RISK.md"
            )
        if isinstance(base.get(key), dict) and name not in _NAMED | {"score.points"}:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: {name} must be a table, as in knowledge/risk.toml")
            _overlay(base[key], value, path, f"{name}.")
        elif isinstance(base.get(key), dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: {name} must be a table, as in knowledge/risk.toml")
            base[key] = {**base[key], **value}
        else:
            base[key] = value


def _build(data: dict[str, Any], path: Path) -> RiskParams:
    def get(dotted: str) -> Any:
        node: Any = data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ConfigError(f"{path}: {dotted} is missing; see knowledge/risk.toml")
            node = node[part]
        return node

    def number(dotted: str, *, low: float = 0.0, high: float | None = None) -> float:
        value = get(dotted)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{path}: {dotted} must be a number")
        if value < low or (high is not None and value > high):
            bound = f"between {low:g} and {high:g}" if high is not None else f">= {low:g}"
            raise ConfigError(f"{path}: {dotted} = {value!r} must be {bound}")
        return float(value)

    def table(dotted: str) -> dict[str, Any]:
        value = get(dotted)
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: {dotted} must be a table")
        return value

    def severity_of(dotted: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ConfigError(f"{path}: {dotted} = {value!r} must be a severity from 1 to 5")
        return value

    def factors(dotted: str, keys: tuple[str, ...]) -> dict[str, float]:
        raw = table(dotted)
        if missing := [k for k in keys if k not in raw]:
            raise ConfigError(f"{path}: {dotted} lacks {', '.join(missing)}")
        return {k: number(f"{dotted}.{k}", high=1.0) for k in raw}

    def categories(dotted: str, known: frozenset[str] | None) -> dict[str, tuple[str, ...]]:
        out = {}
        for name, cats in table(dotted).items():
            if known is not None and name not in known:
                raise ConfigError(
                    f"{path}: {dotted}: {name!r} is not an ACLED name; see models.EVENT_TYPES"
                )
            out[name] = _category_list(path, f"{dotted}.{name}", cats)
        return out

    sub_types = table("severity.sub_types")
    for name in sub_types:
        if name not in _SUB_TYPES:
            raise ConfigError(
                f"{path}: severity.sub_types: {name!r} is not an ACLED sub-event type; "
                "see models.EVENT_TYPES"
            )
    deaths = []
    for key, value in table("severity.fatalities").items():
        sev = severity_of(f"severity.fatalities.{key}", int(key) if str(key).isdigit() else 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{path}: severity.fatalities.{key} must be a number of deaths")
        deaths.append((value, sev))
    points = {}
    for key in ("1", "2", "3", "4", "5"):
        if key not in table("score.points"):
            raise ConfigError(f"{path}: score.points lacks severity {key}")
        points[int(key)] = number(f"score.points.{key}")
    thresholds: dict[str, tuple[float, float, float, float]] = {}
    for scope in SCOPES:
        raw = get(f"levels.{scope}")
        ok = isinstance(raw, list) and len(raw) == 4
        ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)
        if not ok or any(b <= a for a, b in pairwise(raw)) or raw[0] <= 0:
            raise ConfigError(
                f"{path}: levels.{scope} must be four ascending scores above 0 "
                "(where low, moderate, high and extreme start)"
            )
        thresholds[scope] = (float(raw[0]), float(raw[1]), float(raw[2]), float(raw[3]))
    words: dict[str, re.Pattern[str]] = {}
    for category, patterns in table("forecast_words").items():
        if category not in RISK_CATEGORIES:
            raise ConfigError(
                f"{path}: forecast_words.{category} is not a risk category "
                f"({', '.join(RISK_CATEGORIES)})"
            )
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise ConfigError(f"{path}: forecast_words.{category} must be a list of patterns")
        if patterns:
            try:
                words[category] = re.compile(r"\b(?:" + "|".join(patterns) + r")\b")
            except re.error as exc:
                raise ConfigError(f"{path}: forecast_words.{category}: {exc}") from exc
    inters = get("categories.government.inters")
    if not isinstance(inters, list) or not all(isinstance(i, int) for i in inters):
        raise ConfigError(f"{path}: categories.government.inters must be a list of inter codes")
    gov_types = get("categories.government.types")
    if not isinstance(gov_types, list) or not set(gov_types) <= set(EVENT_TYPES):
        raise ConfigError(f"{path}: categories.government.types must list ACLED event types")
    tags = table("severity.tags")
    return RiskParams(
        window_days=int(number("window.days", low=1)),
        half_life_days=number("window.half_life_days", low=0.1),
        radius_km=number("area.radius_km", low=0.1),
        inner_km=min(number("area.inner_km"), number("area.radius_km")),
        edge_weight=number("area.edge_weight", high=1.0),
        near_weight=number("area.near_weight", high=1.0),
        default_severity=severity_of("severity.default", get("severity.default")),
        sub_type_severity={
            k: severity_of(f"severity.sub_types.{k}", v) for k, v in sub_types.items()
        },
        tag_severity={k: severity_of(f"severity.tags.{k}", v) for k, v in tags.items()},
        fatality_severity=tuple(sorted(deaths)),
        points=points,
        fatalities_weight=number("score.fatalities_weight"),
        status_credibility=factors("credibility.status", ("reported", "corroborated", "confirmed")),
        reliability_credibility=factors("credibility.reliability", tuple("ABCDEF")),
        no_reports_credibility=number("credibility.no_reports", high=1.0),
        forecast_points=number("forecast.points"),
        type_categories=categories("categories.types", frozenset(EVENT_TYPES)),
        sub_type_categories=categories("categories.sub_types", _SUB_TYPES),
        tag_categories=categories("categories.tags", None),
        government_types=frozenset(str(t) for t in gov_types),
        government_inters=frozenset(inters),
        government_categories=_category_list(
            path, "categories.government.categories", get("categories.government.categories")
        ),
        forecast_words=words,
        thresholds=thresholds,
        top=int(number("explain.top", low=1)),
        path=str(path),
    )


def _category_list(path: Path, dotted: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(v in RISK_CATEGORIES for v in value):
        raise ConfigError(
            f"{path}: {dotted} must be a list of risk categories ({', '.join(RISK_CATEGORIES)})"
        )
    return tuple(value)
