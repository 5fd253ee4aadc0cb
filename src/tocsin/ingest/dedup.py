"""Copies: exact duplicates by a normalised content hash, near-copies by MinHash + LSH.

An exact duplicate is not stored twice. A near-copy (syndicated, lightly edited) is stored
and linked to the document it copies with ``duplicate_of``, so that later stages do not
count it as an independent source.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # datasketch pulls in SciPy (0.4 s): imported when an index is built
    from datasketch import MinHash

NUM_PERM = 128
SHINGLE = 3  # words per shingle
_SEED = 1
_SCHEME = "affine32"  # stored signatures depend on it: change only with a migration
_WORD = re.compile(r"\w+")


def _hash32(data: bytes) -> int:
    """Shingle hash: CRC-32 is ten times cheaper than datasketch's SHA-1 and spreads word
    shingles well enough for MinHash. Stored signatures depend on it."""
    return zlib.crc32(data)


def normalise(text: str) -> str:
    """Case, accents' composition, punctuation and spacing do not make a different text."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def _shingles(normalised: str) -> list[bytes]:
    words = normalised.split()
    if len(words) <= SHINGLE:
        return [" ".join(words).encode("utf-8")] if words else [b""]
    return list(
        {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}
    )


class NearDuplicateIndex:
    """In-memory LSH over MinHash signatures; the store keeps the signatures as bytes."""

    def __init__(self, *, threshold: float) -> None:
        from datasketch import MinHash, MinHashLSH

        self._minhash = MinHash
        self.threshold = threshold
        # Candidates come from a slightly lower LSH threshold, then the estimate decides.
        self._lsh = MinHashLSH(threshold=max(0.05, threshold - 0.1), num_perm=NUM_PERM)
        self._sigs: dict[str, MinHash] = {}
        self._root: dict[str, str] = {}
        self._order: dict[str, int] = {}
        self._permutations = MinHash(
            num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, hashfunc=_hash32
        ).permutations

    def __len__(self) -> int:
        return len(self._sigs)

    def signature(self, text: str) -> MinHash:
        sig = self._minhash(
            num_perm=NUM_PERM,
            seed=_SEED,
            permutations=self._permutations,
            scheme=_SCHEME,
            hashfunc=_hash32,
        )
        sig.update_batch(_shingles(normalise(text)))
        return sig

    @staticmethod
    def to_bytes(sig: MinHash) -> bytes:
        return np.asarray(sig.hashvalues, dtype=np.uint64).tobytes()

    def from_bytes(self, data: bytes) -> MinHash:
        values = np.frombuffer(data, dtype=np.uint64).copy()
        return self._minhash(
            seed=_SEED,
            hashvalues=values,
            permutations=self._permutations,
            scheme=_SCHEME,
            hashfunc=_hash32,
        )

    def add(self, doc_id: str, sig: MinHash, *, duplicate_of: str | None = None) -> None:
        if doc_id in self._sigs:
            return
        self._sigs[doc_id] = sig
        self._root[doc_id] = duplicate_of or doc_id
        self._order[doc_id] = len(self._order)
        self._lsh.insert(doc_id, sig)

    def reroot(self, old_root: str, new_root: str) -> None:
        """An older document joined the chain: it becomes the root of every member."""
        for key, root in self._root.items():
            if root == old_root:
                self._root[key] = new_root
        self._root[new_root] = new_root

    def find_original(self, sig: MinHash) -> str | None:
        """The document this one copies (the root of its copy chain), or None."""
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(sig):
            score = sig.jaccard(self._sigs[key])
            if score < self.threshold:
                continue
            rank = (score, -self._order[key], key)
            if best is None or rank > best:
                best = rank
        return self._root[best[2]] if best else None


class CopyIndex:
    """The fingerprints of what is stored, to tell a new document's copies: exact ones by
    content hash, near-copies by signature. Loaded once from the store's fingerprints
    (id, content hash, original, signature bytes) and kept up to date with :meth:`add`."""

    def __init__(
        self,
        fingerprints: Iterable[tuple[str, str, str | None, bytes | None]],
        *,
        threshold: float,
    ) -> None:
        self.near = NearDuplicateIndex(threshold=threshold)
        self._hashes: dict[str, str] = {}  # content hash -> document id
        for doc_id, digest, duplicate_of, blob in fingerprints:
            self._hashes[digest] = doc_id
            if blob:
                self.near.add(doc_id, self.near.from_bytes(blob), duplicate_of=duplicate_of)

    def exact(self, digest: str) -> str | None:
        """The stored document with this content hash, if any."""
        return self._hashes.get(digest)

    def near_copy(self, text: str) -> tuple[MinHash, str | None]:
        """The text's signature and the original it nearly copies (None: not a copy)."""
        sig = self.near.signature(text)
        return sig, self.near.find_original(sig)

    def add(
        self,
        doc_id: str,
        digest: str,
        sig: MinHash,
        *,
        duplicate_of: str | None,
        replaces: str | None = None,
    ) -> None:
        """A document just stored; ``replaces``: the stored copy it is the original of."""
        self._hashes[digest] = doc_id
        self.near.add(doc_id, sig, duplicate_of=duplicate_of)
        if replaces:
            self.near.reroot(replaces, doc_id)


def came_first(mine: datetime | None, theirs: datetime | None) -> bool:
    """Strictly older by publication date, when both are known: a near-copy published
    before its original is the original."""
    return mine is not None and theirs is not None and mine < theirs
