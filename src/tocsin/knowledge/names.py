"""The names of risk categories and levels per language, from
``knowledge/risk_names.toml`` (and the user's file of that name, through the one loader):
:data:`RISK_CATEGORY_NAMES` and :data:`RISK_LEVEL_NAMES` read like
``{"fr": {"crime": "..."}}``; the categories themselves and the 1-5 scale are central
objects (``tocsin.models.RISK_CATEGORIES``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.models import RISK_CATEGORIES

__all__ = ["RISK_CATEGORY_NAMES", "RISK_LEVEL_NAMES", "RiskNames"]

_PARTS = ("categories", "levels")
_LEVELS = (1, 2, 3, 4, 5)
Key = TypeVar("Key", str, int)


@per_knowledge_dir
def _names() -> dict[str, dict[str, dict[Any, str]]]:
    """The names of the bundled file merged with the user's, checked once per folder."""
    return _checked(load_knowledge("risk_names"), knowledge_source("risk_names"))


def _checked(data: dict[str, Any], source: Path | str) -> dict[str, dict[str, dict[Any, str]]]:
    out: dict[str, dict[str, dict[Any, str]]] = {part: {} for part in _PARTS}
    for lang, table in data.items():
        for part, keys in (("categories", RISK_CATEGORIES), ("levels", _LEVELS)):
            names = table.get(part) if isinstance(table, dict) else None
            given = {str(k): v for k, v in names.items()} if isinstance(names, dict) else {}
            missing = [str(k) for k in keys if not isinstance(given.get(str(k)), str)]
            if missing:
                raise ConfigError(
                    f"{source}: [{lang}.{part}] has no name for {', '.join(missing)}; "
                    f"give each of {', '.join(str(k) for k in keys)} a text"
                )
            out[part][lang] = {k: given[str(k)] for k in keys}
    return out


class RiskNames(Mapping[str, dict[Key, str]], Generic[Key]):
    """Language code -> {category or level: its name}, read when first used."""

    def __init__(self, part: str) -> None:
        self._part = part

    def __getitem__(self, lang: str) -> dict[Key, str]:
        return _names()[self._part][lang]

    def __iter__(self) -> Iterator[str]:
        return iter(_names()[self._part])

    def __len__(self) -> int:
        return len(_names()[self._part])


RISK_CATEGORY_NAMES: Mapping[str, dict[str, str]] = RiskNames("categories")
RISK_LEVEL_NAMES: Mapping[str, dict[int, str]] = RiskNames("levels")
