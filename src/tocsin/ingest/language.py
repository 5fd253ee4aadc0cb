"""Language of a text, from a restricted and configurable set (lingua, offline)."""

from __future__ import annotations

from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from tocsin.errors import ConfigError

# Below this, the detector is not sure enough and we say so (or fall back to a hint).
MIN_CONFIDENCE = 0.6
# Characters looked at: 800 tell French from English as well as 3,000 do (the cost grows
# with length: 0.3 ms against 3 ms a page), and bound the time on a 50 MB page.
_SAMPLE = 800


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError) as exc:
            raise ConfigError(
                f"language {code!r}: unknown ISO 639-1 code; use e.g. fr, en, ar"
            ) from exc
    if len(languages) < 2:
        raise ConfigError("languages: give at least two ISO 639-1 codes, e.g. fr,en,ar")
    return (
        LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
    )


def detect_language(
    text: str, *, languages: tuple[str, ...], hint: str | None = None
) -> str | None:
    """ISO 639-1 code, or ``hint`` when the text is too short or mixed to tell, else None."""
    sample = text[:_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < 3:
        return hint
    values = _detector(languages).compute_language_confidence_values(sample)
    if not values:
        return hint
    best = values[0]
    if best.value < MIN_CONFIDENCE:
        return hint
    return best.language.iso_code_639_1.name.lower()


def normalise_code(value: str | None) -> str | None:
    """``fr-FR``, ``FR``, ``fr_ML`` -> ``fr``; nonsense -> None."""
    if not value:
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isalpha() else None
