"""The event lexicon (``knowledge/events.toml``): trigger classes and their ACLED codes,
trigger patterns per language, tags, target words, voice words and modality cues,
compiled once.

Every pattern runs on :func:`tocsin.text.fold.fold_same` text with ``keep=KEPT_LETTERS``:
lower case, accents and curly apostrophes removed ("à" kept), the same length as the
original so that offsets carry over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.models import EVENT_TAGS, EVENT_TYPES

WHAT = "event lexicon"
MODALITY_KEYS = (
    "future",
    "conditional",
    "negation",
    "denial",
    "question",
    "attempt",
    "past",
    "habitual",
)


# Letters the patterns tell apart from their bare form: French "à" (to) is not "a" (has).
KEPT_LETTERS = "à"


@dataclass(frozen=True, slots=True)
class TriggerClass:
    """A kind of happening and how it is coded."""

    name: str
    event_type: str
    sub_event_type: str
    priority: int
    civilian: tuple[str, str] | None = None
    armed: tuple[str, str] | None = None
    default_target: str | None = None  # "civilian" or "armed" when no target is told
    tags: tuple[str, ...] = ()
    joins: bool = False
    means: bool = False  # a weapon or means (IED, shelling): codes an attack or a killing


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger found in a clause (offsets in the clause's text)."""

    cls: TriggerClass
    start: int
    end: int
    noun: bool


@dataclass(frozen=True)
class LanguageRules:
    """The compiled patterns of one language."""

    verbs: tuple[tuple[str, re.Pattern[str]], ...]
    nouns: tuple[tuple[str, re.Pattern[str]], ...]
    tags: tuple[tuple[str, re.Pattern[str]], ...]
    civilian_targets: re.Pattern[str] | None
    armed_targets: re.Pattern[str] | None
    passive: re.Pattern[str] | None
    agent: re.Pattern[str] | None
    together: re.Pattern[str] | None
    noun_agent: re.Pattern[str] | None
    noun_target: re.Pattern[str] | None
    undergo: re.Pattern[str] | None
    anaphor: re.Pattern[str] | None
    air: re.Pattern[str] | None
    combat: re.Pattern[str] | None  # fighting told besides a means: a battle
    harm: re.Pattern[str] | None  # people hurt: an attack that took things is still an attack
    modality: dict[str, re.Pattern[str]]
    intervention: re.Pattern[str] | None
    excessive: re.Pattern[str] | None


@dataclass(frozen=True)
class EventLexicon:
    classes: dict[str, TriggerClass]
    languages: dict[str, LanguageRules]
    background_days: int
    clause_cut: re.Pattern[str]  # where a sentence is cut into clauses ([clauses])

    def for_language(self, lang: str | None) -> LanguageRules | None:
        """A language's rules; a language without its own patterns gets none (no events
        are coded from words Tocsin cannot read)."""
        return self.languages.get(lang or "")


def _alternation(patterns: list[str], path: Path, where: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise ConfigError(f"{path}: {where}: bad pattern {p!r} ({exc}); fix the regex") from exc
    body = "|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


def _strings(value: Any, path: Path, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {where} must be a list of strings")
    return list(value)


def _pair(value: Any, path: Path, where: str) -> tuple[str, str] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or value[0] not in EVENT_TYPES
        or value[1] not in EVENT_TYPES[value[0]]
    ):
        raise ConfigError(f"{path}: {where} must be [event type, sub-event type] from ACLED")
    return (value[0], value[1])


def _classes(raw: dict[str, Any], path: Path) -> dict[str, TriggerClass]:
    classes = {}
    for name, table in raw.items():
        where = f"[class.{name}]"
        etype, sub = table.get("type"), table.get("sub")
        if etype not in EVENT_TYPES or sub not in EVENT_TYPES[etype]:
            raise ConfigError(f"{path}: {where}: type/sub must be an ACLED type and sub-type")
        tags = tuple(_strings(table.get("tags", []), path, f"{where} tags"))
        if bad := [t for t in tags if t not in EVENT_TAGS]:
            raise ConfigError(f"{path}: {where}: unknown tag(s) {bad}; use {EVENT_TAGS}")
        classes[name] = TriggerClass(
            name=name,
            event_type=etype,
            sub_event_type=sub,
            priority=int(table.get("priority", 0)),
            civilian=_pair(table.get("civilian"), path, f"{where} civilian"),
            armed=_pair(table.get("armed"), path, f"{where} armed"),
            default_target=table.get("default_target"),
            tags=tags,
            joins=bool(table.get("joins", False)),
            means=bool(table.get("means", False)),
        )
    return classes


def _language(
    lang: str, data: dict[str, Any], classes: dict[str, TriggerClass], path: Path
) -> LanguageRules:
    def table(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        found = (
            value.get(lang, {})
            if name in ("tags", "targets", "modality", "refine", "air", "combat", "harm")
            else value
        )
        return found if isinstance(found, dict) else {}

    def triggers(key: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
        out = []
        for name, patterns in data.get(lang, {}).get(key, {}).items():
            if name not in classes:
                raise ConfigError(f"{path}: [{lang}.{key}] {name}: no [class.{name}] table")
            pattern = _alternation(_strings(patterns, path, f"[{lang}.{key}] {name}"), path, name)
            if pattern is not None:
                out.append((name, pattern))
        return tuple(out)

    voice = data.get("voice", {})

    def voice_words(key: str) -> re.Pattern[str] | None:
        return _alternation(
            _strings(voice.get(f"{lang}_{key}", []), path, f"[voice] {lang}_{key}"), path, key
        )

    tags = []
    for tag, patterns in table("tags").items():
        if tag not in EVENT_TAGS:
            raise ConfigError(f"{path}: [tags.{lang}] unknown tag {tag}; use {EVENT_TAGS}")
        if (
            pattern := _alternation(_strings(patterns, path, f"[tags.{lang}] {tag}"), path, tag)
        ) is not None:
            tags.append((tag, pattern))
    targets = table("targets")
    modality = {}
    for key, patterns in table("modality").items():
        if key not in MODALITY_KEYS:
            raise ConfigError(f"{path}: [modality.{lang}] unknown key {key}; use {MODALITY_KEYS}")
        if (
            pattern := _alternation(_strings(patterns, path, f"[modality.{lang}] {key}"), path, key)
        ) is not None:
            modality[key] = pattern
    refine = table("refine")
    return LanguageRules(
        verbs=triggers("verbs"),
        nouns=triggers("nouns"),
        tags=tuple(tags),
        civilian_targets=_alternation(
            _strings(targets.get("civilian", []), path, "civilian"), path, "civilian"
        ),
        armed_targets=_alternation(
            _strings(targets.get("armed", []), path, "armed"), path, "armed"
        ),
        passive=voice_words("passive"),
        agent=voice_words("agent"),
        together=voice_words("together"),
        noun_agent=voice_words("noun_agent"),
        noun_target=voice_words("noun_target"),
        undergo=voice_words("undergo"),
        anaphor=voice_words("anaphor"),
        air=_alternation(
            _strings(table("air").get("words", []), path, f"[air.{lang}]"), path, "air"
        ),
        combat=_alternation(
            _strings(table("combat").get("words", []), path, f"[combat.{lang}]"), path, "combat"
        ),
        harm=_alternation(
            _strings(table("harm").get("words", []), path, f"[harm.{lang}]"), path, "harm"
        ),
        modality=modality,
        intervention=_alternation(
            _strings(refine.get("intervention", []), path, "intervention"), path, "intervention"
        ),
        excessive=_alternation(
            _strings(refine.get("excessive", []), path, "excessive"), path, "excessive"
        ),
    )


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = value + base[key]
        else:
            base[key] = value


def load_event_lexicon(extra: Path | str | None = None) -> EventLexicon:
    """The bundled lexicon, with a user's file in the same format added."""
    if extra is None:
        return _bundled()
    data = load_knowledge("events")
    _merge(data, read_toml(Path(extra), what=WHAT))
    return _build(data, Path(extra))


@per_knowledge_dir
def _bundled() -> EventLexicon:
    return _build(load_knowledge("events"), knowledge_source("events"))


def _build(data: dict[str, Any], path: Path) -> EventLexicon:
    classes = _classes(data.get("class", {}), path)
    languages = {
        lang: _language(lang, data, classes, path)
        for lang in data
        if re.fullmatch(r"[a-z]{2,3}", lang)
        and isinstance(data[lang], dict)
        and ("verbs" in data[lang] or "nouns" in data[lang])
    }
    days = data.get("background", {}).get("days", 120)
    if not isinstance(days, int) or days < 1:
        raise ConfigError(f"{path}: [background] days must be a positive whole number")
    return EventLexicon(
        classes=classes,
        languages=languages,
        background_days=days,
        clause_cut=_clause_cut(data.get("clauses", {}), path),
    )


def _clause_cut(table: Any, path: Path) -> re.Pattern[str]:
    """Cuts at ";", " : " and the [clauses.LANG] words of every language."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [clauses] must hold tables per language, [clauses.fr]")
    between: list[str] = []
    after_comma: list[str] = []
    for lang, words in table.items():
        where = f"[clauses.{lang}]"
        if not isinstance(words, dict) or set(words) - {"between", "after_comma"}:
            raise ConfigError(f"{path}: {where} must be a table of between and after_comma")
        between += _strings(words.get("between", []), path, f"{where} between")
        after_comma += _strings(words.get("after_comma", []), path, f"{where} after_comma")
    parts = [";", r"\s:\s"]
    if between:
        parts.append(rf"\s(?:{'|'.join(re.escape(w) for w in between)})\s")
    if after_comma:
        parts.append(rf",\s(?:{'|'.join(re.escape(w) for w in after_comma)})\s")
    return re.compile("|".join(parts))
