"""Understanding, the extract stage: actors, places, times, attributions (who says so),
estimative judgments and event reports in French and English text, each with its span.

``extract(doc)`` is the entry point; :class:`Extractor` keeps the models for a batch.
Submodules are imported on demand so that importing one extractor stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tocsin.extract.annotate import Extractor, extract

__all__ = ["Extractor", "extract"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from tocsin.extract import annotate

        return getattr(annotate, name)
    raise AttributeError(name)
