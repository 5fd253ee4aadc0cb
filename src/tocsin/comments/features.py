"""Text to hashed n-gram features, shared by the training script and the classifier.

A comment is folded (lower case, accents stripped: MLMA's French is stored that way,
and commenters drop accents anyway), addresses and user handles become one token each,
digits become ``0``, a letter repeated more than twice is cut to two ("nuuuul" ->
"nuul") and lookalike digits inside words are read as letters ("d3teste" ->
"deteste"). The features are word unigrams and bigrams, character 2- to 5-grams
inside each word (with a space on each side), the words in the scope of a negation
(the four words after "ne", "pas", "jamais", "not", "never", "n't" ... get a second
feature of their own instead of their plain word and character features), and the
words between quotation marks (read as quoted words only: quoting hateful words in
order to reject them is not hate), hashed into ``DIM``
buckets with CRC-32
(stable across processes and platforms, unlike ``hash``), weighted ``1 + log(count)``
and scaled to unit length. Only the first ``MAX_CHARS`` characters are read: time and
memory per comment are bounded.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tocsin.text.fold import strip_marks

__all__ = [
    "DIM",
    "MAX_CHARS",
    "SparseRows",
    "fold",
    "hash_rows",
    "marked",
    "rows_from_tokens",
    "tokens",
]

DIM = 1 << 18
MAX_CHARS = 1_000
_URL = re.compile(r"(?:https?://|www\.)\S+")
_HANDLE = re.compile(r"@\w+")
_REPEAT = re.compile(r"(\w)\1{2,}")
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
_LEET_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*[013457])\w+\b")
_QUOTED = re.compile(r"[«\"“”„»]([^«\"“”„»]{1,300})[«\"“”„»]")
NEGATORS = frozenset(
    (  # noqa: SIM905 - a list of words, easier to read this way
        "ne n pas jamais aucun aucune rien nullement non ni sans not no never nobody nothing "
        "neither nor none t cannot without"
    ).split()
)
NEGATION_SCOPE = 4


def fold(text: str) -> str:
    """The text the features are read from (see the module's docstring)."""
    text = str(text)[:MAX_CHARS]
    text = strip_marks(text).lower()  # not fold(): the trained model reads these features
    text = _URL.sub(" xurl ", text)
    text = _HANDLE.sub(" xuser ", text)
    text = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), text)
    text = _REPEAT.sub(r"\1\1", text)
    return _DIGITS.sub("0", text)


def tokens(folded: str) -> list[str]:
    """Word tokens of a folded text (letters and digits of any script)."""
    return _WORD.findall(folded)


def marked(folded: str, words: list[str]) -> list[str]:
    """The extra features of a folded text: "n:WORD" for the words in the scope of a
    negation, "q:WORD" for the words between quotation marks, and "q!" once when
    there is a quotation."""
    return _scoped(folded, words)[0]


def _scoped(folded: str, words: list[str]) -> tuple[list[str], list[str], set[int]]:
    """The extra features, the words read plainly (quotations replaced by one token) and
    the positions among them of the words in the scope of a negation (read as "n:WORD"
    only, not as plain words)."""
    extra: list[str] = []
    quoted = _QUOTED.findall(folded)
    if quoted:
        extra.append("q!")
        extra.extend("q:" + w for part in quoted for w in tokens(part))
        words = tokens(_QUOTED.sub(" xquote ", folded))
    negated: set[int] = set()
    left = 0
    for i, word in enumerate(words):
        if word in NEGATORS:
            left = NEGATION_SCOPE
        elif left:
            negated.add(i)
            left -= 1
    extra[:0] = ["n:" + words[i] for i in sorted(negated)]
    return extra, words, negated


@dataclass(frozen=True, slots=True)
class SparseRows:
    """Feature rows in compressed-row form: row ``i`` holds ``indices[indptr[i]:indptr[i+1]]``
    with ``values`` at the same positions (unit length per row, or all zeros)."""

    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    values: npt.NDArray[np.float32]

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1


def _grams(words: list[str], extra: list[str], negated: set[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    crc = zlib.crc32
    mask = DIM - 1
    for feature in extra:
        key = crc(feature.encode()) & mask
        counts[key] = counts.get(key, 0) + 1
    for i, word in enumerate(words):
        if i in negated:
            continue
        key = crc(("w " + word).encode()) & mask
        counts[key] = counts.get(key, 0) + 1
        padded = " " + word + " "
        size = len(padded)
        for n in (2, 3, 4, 5):
            if n > size:
                break
            for start in range(size - n + 1):
                key = crc(padded[start : start + n].encode()) & mask
                counts[key] = counts.get(key, 0) + 1
    for first, second in itertools.pairwise(words):
        key = crc(("b " + first + " " + second).encode()) & mask
        counts[key] = counts.get(key, 0) + 1
    return counts


def hash_rows(texts: Sequence[str]) -> SparseRows:
    """The hashed features of each text, one unit-length row per text."""
    folded = [fold(text) for text in texts]
    return rows_from_tokens(folded, [tokens(f) for f in folded])


def rows_from_tokens(folded: Sequence[str], token_lists: Sequence[list[str]]) -> SparseRows:
    """The hashed features of texts already folded and split into tokens."""
    indptr = np.zeros(len(token_lists) + 1, dtype=np.int64)
    all_indices: list[npt.NDArray[np.int32]] = []
    all_values: list[npt.NDArray[np.float32]] = []
    for i, (text, words) in enumerate(zip(folded, token_lists, strict=True)):
        extra, plain, negated = _scoped(text, words)
        counts = _grams(plain, extra, negated)
        if counts:
            idx = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
            val = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
            val /= np.float32(np.sqrt(float(val @ val)))
            all_indices.append(idx)
            all_values.append(val.astype(np.float32))
            indptr[i + 1] = indptr[i] + len(idx)
        else:
            indptr[i + 1] = indptr[i]
    indices = np.concatenate(all_indices) if all_indices else np.zeros(0, dtype=np.int32)
    values = np.concatenate(all_values) if all_values else np.zeros(0, dtype=np.float32)
    return SparseRows(indptr, indices, values)
