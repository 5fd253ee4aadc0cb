"""The words of alerts: titles and summaries in the rule's language, from
``knowledge/alerts.toml`` (which also holds the matching parameters).

Short and factual: "Attaque à 12 km de Corridor Dakar–Bamako : 12 morts (confirmé)".
Names and quotes come from documents written by strangers; they are put in as plain
text here and escaped where they are shown (HTML templates, the CLI).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.knowledge.names import RISK_CATEGORY_NAMES, RISK_LEVEL_NAMES
from tocsin.models import AlertRule, Asset, Event, RiskLevel
from tocsin.text.plain import one_line

LANGS: tuple[str, ...] = ("fr", "en")
_TABLES = ("status", "labels", "what", "tags")
_VOWELS = frozenset("aeiouyhàâäéèêëîïôöùûüÿœæAEIOUYHÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆ")


@dataclass(frozen=True, slots=True)
class MatchParams:
    """The [match] table of ``knowledge/alerts.toml``."""

    window_days: int
    inside_raise: int
    far_fraction: float
    far_drop: int
    quotes: int
    quote_chars: int
    forecast_severity: tuple[tuple[float, int], ...]  # (probability at least, severity)
    generic_sub_types: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class AlertWords:
    """Matching parameters and the words of each language (``text[lang][key]``)."""

    match: MatchParams
    text: Mapping[str, Mapping[str, Any]]

    def lang(self, lang: str) -> Mapping[str, Any]:
        return self.text.get(lang) or self.text["en"]


def load_alert_words(path: Path | None = None) -> AlertWords:
    """The bundled file (with the knowledge folder's), or the file at ``path`` (same
    format, complete)."""
    return _bundled() if path is None else _load(path)


@per_knowledge_dir
def _bundled() -> AlertWords:
    return _build(load_knowledge("alerts"), knowledge_source("alerts"))


@lru_cache(maxsize=4)
def _load(path: Path) -> AlertWords:
    return _build(read_toml(path, what="alert wording file"), path)


def _build(data: dict[str, Any], path: Path) -> AlertWords:
    try:
        raw = data["match"]
        bands = tuple((float(p), int(s)) for p, s in raw["forecast_severity"])
        match = MatchParams(
            window_days=int(raw["window_days"]),
            inside_raise=int(raw["inside_raise"]),
            far_fraction=float(raw["far_fraction"]),
            far_drop=int(raw["far_drop"]),
            quotes=int(raw["quotes"]),
            quote_chars=int(raw["quote_chars"]),
            forecast_severity=tuple(sorted(bands, reverse=True)),
            generic_sub_types=frozenset(str(s) for s in raw.get("generic_sub_types", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"{path}: [match] is incomplete or wrong ({exc}); see knowledge/alerts.toml"
        ) from None
    if match.window_days < 1 or not all(1 <= s <= 5 for _, s in bands):
        raise ConfigError(f"{path}: [match] window_days must be 1 or more, severities 1-5")
    reference = data.get("en")
    if not isinstance(reference, dict):
        raise ConfigError(f"{path}: no [en] table; every language needs the same keys as [en]")
    for lang in LANGS:
        table = data.get(lang)
        if not isinstance(table, dict) or (missing := sorted(set(reference) - set(table))):
            what = f"lacks {missing[0]}" if isinstance(table, dict) else "is missing"
            raise ConfigError(f"{path}: [{lang}] {what}; give every key of [en]")
        if bad := [t for t in _TABLES if not isinstance(table.get(t), dict)]:
            raise ConfigError(
                f"{path}: [{lang}.{bad[0]}] must be a table, as in knowledge/alerts.toml"
            )
    return AlertWords(match, {lang: data[lang] for lang in LANGS})


# ---------------------------------------------------------------- pieces


def clean(text: str | None, limit: int = 200) -> str:
    """Text on one line, at most ``limit`` characters (``tocsin.text.plain.one_line``)."""
    return one_line(text, limit)


def day_text(day: date, w: Mapping[str, Any]) -> str:
    number = w["first_day"] if day.day == 1 else str(day.day)
    return f"{number} {w['months'][day.month - 1]} {day.year}"


def _when(event: Event, w: Mapping[str, Any]) -> str:
    if event.event_date is None:
        return str(w["no_date"])
    if event.time_precision == 3:
        return f"{w['months'][event.event_date.month - 1]} {event.event_date.year}"
    if event.time_precision == 2:
        return str(w["week_of"]).format(day=day_text(event.event_date, w))
    return day_text(event.event_date, w)


def _km(distance: float) -> int:
    return max(1, round(distance))


def _figures(event: Event, w: Mapping[str, Any], *, ranged: bool) -> str | None:
    low, high, best = event.fatalities_low, event.fatalities_high, event.fatalities
    if ranged and low is not None and high is not None and low != high:
        return str(w["killed_range"]).format(low=low, high=high)
    if best is None:
        return None
    if best == 0:
        return str(w["killed_none"])
    return str(w["killed_one"] if best == 1 else w["killed_many"]).format(n=best)


def _what(event: Event, w: Mapping[str, Any], generic: frozenset[str]) -> str:
    """The event's name: its sub-type's, or a tag's when the sub-type says little."""
    if event.sub_event_type in generic or event.sub_event_type not in w["what"]:
        for tag in event.tags:
            if tag in w["tags"]:
                return str(w["tags"][tag])
    names = w["what"]
    return str(names.get(event.sub_event_type) or names.get("Other") or event.sub_event_type)


def _of(name: str, w: Mapping[str, Any]) -> str:
    """ "de Corridor", "d'Entrepôt" (the language's form before a vowel)."""
    key = "of_vowel" if name[:1] in _VOWELS else "of"
    return str(w[key]).format(name=name)


# ---------------------------------------------------------------- alerts


def event_title(
    event: Event,
    *,
    rule: AlertRule,
    words: AlertWords,
    asset: Asset | None = None,
    distance_km: float | None = None,
) -> str:
    """The title of an event alert: what, how far from which asset (or where), the
    toll and the status."""
    w = words.lang(rule.lang)
    what = _what(event, w, words.match.generic_sub_types)
    place = clean(event.location, 80)
    where = place or str(w["unknown_place"])
    when = _when(event, w)
    if asset is not None and distance_km is not None and distance_km > 0:
        head = str(w["near"]).format(
            what=what,
            place=where,
            when=when,
            km=_km(distance_km),
            asset=asset.name,
            of_asset=_of(asset.name, w),
        )
    elif asset is not None:
        head = str(w["inside"]).format(
            what=what, place=where, when=when, asset=asset.name, of_asset=_of(asset.name, w)
        )
    elif place:
        head = str(w["at_place"]).format(what=what, place=place)
    else:
        head = str(w["no_place"]).format(what=what, area=rule.area or "")
    status = str(w["status"].get(event.status, event.status))
    figures = _figures(event, w, ranged=False)
    if figures is None:
        return str(w["title_no_figures"]).format(head=head, status=status)
    return str(w["title"]).format(head=head, figures=figures, status=status)


def event_summary(event: Event, *, rule: AlertRule, words: AlertWords) -> str:
    """The summary of an event alert (the same for every asset of a rule): when,
    where, who, the toll, the status and its sources, the rule."""
    w = words.lang(rule.lang)
    first = clean(event.actor1_name or event.actor1, 80) or str(w["unknown_actor"])
    actors = first
    if event.actor2_name or event.actor2:
        second = clean(event.actor2_name or event.actor2, 80)
        actors = str(w["against"]).format(actor1=first, actor2=second)
    place, region = clean(event.location, 80), clean(event.admin1, 60)
    where = ", ".join(p for p in (place, region if region != place else "", event.country) if p)
    ranged = _figures(event, w, ranged=True)
    toll = (
        str(w["figures_unknown"])
        if ranged is None
        else str(w["figures_sentence"]).format(figures=ranged)
    )
    sources = str(w["sources_one"] if event.independent == 1 else w["sources_many"])
    return str(w["summary"]).format(
        when=_when(event, w),
        place=where or w["unknown_place"],
        actors=actors,
        figures=toll,
        status=str(w["status"].get(event.status, event.status)),
        sources=sources.format(n=event.independent),
        rule=rule.name,
    )


def event_text(
    event: Event,
    *,
    rule: AlertRule,
    words: AlertWords,
    asset: Asset | None = None,
    distance_km: float | None = None,
) -> tuple[str, str]:
    """(title, summary) of an event alert."""
    title = event_title(event, rule=rule, words=words, asset=asset, distance_km=distance_km)
    return title, event_summary(event, rule=rule, words=words)


def risk_text(
    level: RiskLevel,
    before: int | None,
    *,
    rule: AlertRule,
    words: AlertWords,
    asset: Asset | None = None,
) -> tuple[str, str]:
    """(title, summary) of a risk-change alert."""
    lang = rule.lang if rule.lang in RISK_LEVEL_NAMES else "en"
    w = words.lang(lang)
    names = RISK_LEVEL_NAMES[lang]
    category = RISK_CATEGORY_NAMES[lang].get(level.category, level.category)
    place = clean(level.name, 80)
    now = names.get(level.level, str(level.level))
    if before is None or before == level.level:
        title = str(w["risk_title_new"]).format(category=category, place=place, level=now)
        previous = ""
    else:
        was = names.get(before, str(before))
        title = str(w["risk_title"]).format(category=category, place=place, before=was, level=now)
        previous = str(w["risk_previous"]).format(before=was)
    reasons = "; ".join(clean(c.summary, 120) for c in level.contributions[:3] if c.summary)
    summary = str(w["risk_summary"]).format(
        level=now,
        start=day_text(level.period_start, w),
        end=day_text(level.period_end, w),
        previous=previous,
        concerns=str(w["risk_concerns"]).format(asset=asset.name) if asset else "",
        reasons=str(w["risk_reasons"]).format(reasons=reasons) if reasons else "",
        rule=rule.name,
    )
    return title, summary


def forecast_text(
    proposition: str,
    *,
    label: str,
    probability: float,
    deadline: date,
    holder: str | None,
    place: str | None,
    rule: AlertRule,
    words: AlertWords,
    asset: Asset | None = None,
    distance_km: float | None = None,
) -> tuple[str, str]:
    """(title, summary) of a forecast alert."""
    w = words.lang(rule.lang)
    if asset is not None and distance_km is not None and distance_km > 0:
        head = str(w["forecast_near"]).format(
            km=_km(distance_km), asset=asset.name, of_asset=_of(asset.name, w)
        )
    elif asset is not None:
        head = str(w["forecast_inside"]).format(asset=asset.name, of_asset=_of(asset.name, w))
    else:
        head = str(w["forecast_area"]).format(place=clean(place, 80) or rule.area or "")
    said = str(w["labels"].get(label, label))
    percent = round(probability * 100)
    due = day_text(deadline, w)
    title = str(w["forecast_title"]).format(head=head, label=said, percent=percent, deadline=due)
    summary = str(w["forecast_summary"]).format(
        proposition=clean(proposition, 240),
        holder=clean(holder, 80) or w["author"],
        label=said,
        percent=percent,
        deadline=due,
        rule=rule.name,
    )
    return title, summary
