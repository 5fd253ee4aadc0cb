"""Toxicity, hate and incitement per comment, offline, with the groups hate aims at.

:func:`classify_texts` scores comments with the linear model trained by
``scripts/train_comments.py`` (weights in ``comments/model/comments.npz``; training
data, licences and figures in ``comments/model/MODEL.md``): one logistic regression per
label over hashed word and character n-grams (:mod:`tocsin.comments.features`) and the
comment's vector from the multilingual sentence encoder that ships with Tocsin
(:mod:`tocsin.assess.encoder`, shared with the rest of the process, so that a comment
encoded for its narratives is not encoded twice). The runtime needs numpy only; the
model loads once per process, on first use. ``fast=True`` uses the n-gram model alone
(trained the same way, shipped in the same file): no encoder, about ten times faster.

Scores are probabilities shifted so that 0.5 is the decision threshold tuned for each
label: a label is on when its score is 0.5 or more. ``hateful`` and ``incitement``
comments are ``toxic`` too (toxic is the umbrella label: its score is the largest of
the three). ``targets`` are the categories of the group words a hateful or inciting
comment contains (:mod:`tocsin.comments.targets`). The model reads French and English;
a comment with no word in the Latin script (an emoji, Arabic only) is not read: its
scores are 0 and its labels ``("none",)``, with its language when the script tells it.

Bounded: each comment is read from its first ``MAX_CHARS`` characters, a batch is
scored in chunks, and identical comments are scored once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from tocsin.assess.encoder import shared_encoder
from tocsin.comments.features import MAX_CHARS, fold, rows_from_tokens, tokens
from tocsin.comments.targets import load_targets
from tocsin.errors import ConfigError
from tocsin.models import COMMENT_LABELS, CommentScores

__all__ = ["MODEL_FILE", "classify_texts", "model_version"]

MODEL_FILE = Path(__file__).resolve().parent / "model" / "comments.npz"
CHUNK = 2_048
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_FR_WORDS = frozenset(
    (  # noqa: SIM905 - a list of words, easier to read this way
        "le la les des du un une et est sont pas que qui ce cette ces pour avec dans sur au "
        "aux nous vous ils elles on mais ou donc leur leurs tout tous plus tres sans par comme"
    ).split()
)
_EN_WORDS = frozenset(
    (  # noqa: SIM905
        "the a an and is are not that who this these for with in on to of we you they it "
        "but or so their all more very without by like was were have has be will"
    ).split()
)


class _Model(NamedTuple):
    weights: npt.NDArray[np.float32]  # (labels, DIM)
    encoder_weights: npt.NDArray[np.float32] | None  # (labels, 512), None: n-grams only
    bias: npt.NDArray[np.float64]  # (labels,)
    shift: npt.NDArray[np.float64]  # logit of each label's threshold
    version: str


_lock = threading.Lock()
_loaded: list[dict[str, _Model]] = []


def _models() -> dict[str, _Model]:
    with _lock:
        if not _loaded:
            _loaded.append(_load(MODEL_FILE))
        return _loaded[0]


def _load(path: Path) -> dict[str, _Model]:
    """The full model ("full": n-grams and encoder) and, when the file has it, the
    n-gram model ("fast")."""
    try:
        with np.load(path, allow_pickle=False) as data:
            labels = tuple(str(x) for x in data["labels"])
            if labels != COMMENT_LABELS:
                raise ConfigError(
                    f"{path}: labels {labels} are not {COMMENT_LABELS}; retrain with "
                    "scripts/train_comments.py"
                )
            version = str(data["version"])
            models = {"full": _read_model(data, "", version)}
            if "fast_weights" in data:
                models["fast"] = _read_model(data, "fast_", version + "-fast")
            return models
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(
            f"{path}: cannot read the comment model ({exc}); reinstall tocsin or retrain "
            "with scripts/train_comments.py"
        ) from exc


def _read_model(data: Mapping[str, npt.NDArray[Any]], prefix: str, version: str) -> _Model:
    thresholds = np.clip(data[prefix + "thresholds"].astype(np.float64), 1e-6, 1 - 1e-6)
    name = prefix + "encoder_weights"
    return _Model(
        weights=data[prefix + "weights"].astype(np.float32),
        encoder_weights=data[name].astype(np.float32) if name in data else None,
        bias=data[prefix + "bias"].astype(np.float64),
        shift=np.log(thresholds / (1 - thresholds)),
        version=version,
    )


def model_version(*, fast: bool = False) -> str:
    """The trained model's version string (recorded with derived data)."""
    return _pick(fast).version


def _pick(fast: bool) -> _Model:
    models = _models()
    return models.get("fast", models["full"]) if fast else models["full"]


def classify_texts(texts: Sequence[str], *, fast: bool = False) -> list[CommentScores]:
    """One :class:`CommentScores` per text, in the same order. ``fast=True`` uses the
    n-gram model alone (no sentence encoder): about ten times faster, a little less
    accurate (figures in comments/model/MODEL.md)."""
    model = _pick(fast)
    out: list[CommentScores] = []
    for start in range(0, len(texts), CHUNK):
        out.extend(_classify_chunk(model, texts[start : start + CHUNK]))
    return out


def _classify_chunk(model: _Model, texts: Sequence[str]) -> list[CommentScores]:
    unique: dict[str, int] = {}
    for text in texts:
        unique.setdefault(str(text) if text is not None else "", len(unique))
    texts_read = [text for text in unique if _LATIN.search(text[:MAX_CHARS])]
    folded = [fold(text) for text in texts_read]
    words = [tokens(f) for f in folded]
    logits = _logits(model, texts_read, folded, words)
    probs = 1.0 / (1.0 + np.exp(-(logits - model.shift[:, None])))
    lexicon = load_targets()
    read = {text: j for j, text in enumerate(texts_read)}
    scored: list[CommentScores] = []
    for text in unique:
        j = read.get(text, -1)
        if j < 0:
            language = _language(text, tokens(fold(text)))
            scored.append(CommentScores(0.0, 0.0, 0.0, ("none",), (), language))
            continue
        language = _language(text, words[j])
        toxic, hateful, incitement = (float(p) for p in probs[:, j])
        toxic = max(toxic, hateful, incitement)
        labels = tuple(
            name
            for name, p in zip(COMMENT_LABELS, (toxic, hateful, incitement), strict=True)
            if p >= 0.5
        )
        targets = lexicon.find(words[j]) if (hateful >= 0.5 or incitement >= 0.5) else ()
        scored.append(
            CommentScores(
                round(toxic, 4),
                round(hateful, 4),
                round(incitement, 4),
                labels or ("none",),
                targets,
                language,
            )
        )
    return [scored[unique[str(text) if text is not None else ""]] for text in texts]


def _logits(
    model: _Model, texts: list[str], folded: list[str], words: list[list[str]]
) -> npt.NDArray[np.float64]:
    """(labels, texts) logits: the n-gram part, the encoder part, the bias."""
    rows = rows_from_tokens(folded, words)
    contrib = model.weights[:, rows.indices] * rows.values  # (labels, nnz)
    sums = np.zeros((contrib.shape[0], contrib.shape[1] + 1), dtype=np.float64)
    np.cumsum(contrib, axis=1, dtype=np.float64, out=sums[:, 1:])
    logits = sums[:, rows.indptr[1:]] - sums[:, rows.indptr[:-1]] + model.bias[:, None]
    if model.encoder_weights is not None and texts:
        vectors = shared_encoder().encode([text[:MAX_CHARS] for text in texts])
        logits += (model.encoder_weights @ vectors.T).astype(np.float64)
    return logits


def _language(text: str, words: list[str]) -> str | None:
    """ "fr", "en" or "ar" when the words or the script say so, else None (cheap: the
    function words of French and English, and the share of Arabic letters)."""
    sample = text[:400]
    arabic = len(_ARABIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    if arabic and arabic >= latin:
        return "ar"
    fr = sum(1 for w in words if w in _FR_WORDS)
    en = sum(1 for w in words if w in _EN_WORDS)
    if fr == en:
        return None
    return "fr" if fr > en else "en"
