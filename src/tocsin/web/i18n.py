"""The interface in English and French: strings live in ``i18n/*.toml``, one file per
area of the dashboard, each with an ``[en]`` and an ``[fr]`` table of keys (nested tables
give dotted keys). ``translator(lang)`` returns ``t(key, **values)``; a key missing in
French falls back to English, then to the key itself (so a gap shows, never crashes).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"
_FOLDER = Path(__file__).parent / "i18n"

Translator = Callable[..., str]


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def strings() -> dict[str, dict[str, str]]:
    """Every key per language, from every file of ``i18n/``."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for path in sorted(_FOLDER.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for lang in LANGUAGES:
            merged[lang].update(_flatten(data.get(lang, {})))
    return merged


def translator(lang: str) -> Translator:
    table = strings()
    own = table.get(lang, {})
    fallback = table[DEFAULT_LANGUAGE]

    def t(key: str, /, **values: Any) -> str:
        text = own.get(key) or fallback.get(key) or key
        return text.format(**values) if values else text

    return t


def choose_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """``?lang=`` first, then the cookie, then the browser's Accept-Language."""
    for value in (query, cookie):
        if value in LANGUAGES:
            return value
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
