"""The labelled comments the classifier is trained and measured on, and their split.

Three sources, each read into :class:`Example` values with the three labels of
:data:`~tocsin.models.comments.COMMENT_LABELS` (1, 0, or None where the source does
not say):

- MLMA hate speech tweets, French and English (Ousidhoum et al., EMNLP 2019; MIT):
  ``toxic`` when an annotator called the tweet offensive, abusive, hateful or
  disrespectful; ``hateful`` when hateful and aimed at a group (not an individual
  and not "other"); ``incitement`` unknown.
- Multilingual HateCheck, French (Röttger et al., WOAH 2022; CC BY 4.0): ``hateful``
  from ``label_gold``; ``incitement`` for the threat functionalities; ``toxic`` for
  every hateful case and for abuse aimed at individuals or at non-protected groups.
- The project's own comments (``data/comments/train.jsonl``): labels as written.

The split is fixed by a hash, so that training and evaluation agree without a file of
ids: ``heldout`` (20 %, never trained on), ``dev`` (10 %, to tune the thresholds) and
``train``. HateCheck is split by template, so that no held-out sentence has a sibling
from the same template in training; the project's comments by their ``group`` (the
variants of one comment stay together).

The third-party files are read from ``../shared/data`` (never copied into the
repository); :func:`shared_data_dir` finds it or returns None.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tocsin.models import COMMENT_LABELS

__all__ = [
    "OWN_TRAIN",
    "Example",
    "hatecheck",
    "mlma",
    "own_comments",
    "shared_data_dir",
    "split_of",
]

ROOT = Path(__file__).resolve().parents[3]
OWN_TRAIN = ROOT / "data" / "comments" / "train.jsonl"
_HOSTILE = frozenset({"offensive", "abusive", "hateful", "disrespectful"})
_NOT_GROUPS = frozenset({"individual", "other", ""})
_THREATS = frozenset({"threat_dir_h", "threat_norm_h"})
_TOXIC_NOT_HATEFUL = frozenset({"target_indiv_nh", "target_group_nh"})


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled comment. ``labels`` holds 1, 0 or None (unknown) per label of
    COMMENT_LABELS; ``split`` is train, dev or heldout."""

    text: str
    lang: str
    labels: tuple[int | None, int | None, int | None]
    source: str  # mlma, hatecheck, own
    split: str
    kind: str = ""  # HateCheck functionality, or the own comment's kind
    targets: tuple[str, ...] = ()


def split_of(key: str) -> str:
    """heldout (2 in 10), dev (1 in 10) or train, from a stable hash of ``key``."""
    bucket = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "heldout" if bucket < 2 else "dev" if bucket == 2 else "train"


def shared_data_dir() -> Path | None:
    """``../shared/data`` beside the repository, when it is there."""
    path = ROOT.parent / "shared" / "data"
    return path if (path / "mlma_hate").is_dir() and (path / "hatecheck_fr").is_dir() else None


def mlma(data_dir: Path) -> Iterator[Example]:
    for lang in ("fr", "en"):
        path = data_dir / "mlma_hate" / f"{lang}_dataset.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = (row.get("tweet") or "").strip()
                if not text:
                    continue
                tags = set((row.get("sentiment") or "").split("_"))
                toxic = int(bool(tags & _HOSTILE))
                hateful = int("hateful" in tags and (row.get("group") or "") not in _NOT_GROUPS)
                yield Example(
                    text,
                    lang,
                    (toxic, hateful, None),
                    "mlma",
                    split_of(f"mlma:{lang}:{row.get('HITId')}"),
                    kind=row.get("group") or "",
                )


def hatecheck(data_dir: Path) -> Iterator[Example]:
    path = data_dir / "hatecheck_fr" / "hatecheck_cases_final_french.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = (row.get("test_case") or "").strip()
            func = row.get("functionality") or ""
            if not text or not func:
                continue
            hateful = int(row.get("label_gold") == "hateful")
            toxic = int(hateful or func in _TOXIC_NOT_HATEFUL)
            yield Example(
                text,
                "fr",
                (toxic, hateful, int(func in _THREATS)),
                "hatecheck",
                split_of(f"hatecheck:{row.get('templ_id') or text}"),
                kind=func,
            )


def own_comments(path: Path = OWN_TRAIN) -> Iterator[Example]:
    """The project's own comments: one JSON object a line with ``id``, ``lang``,
    ``text``, ``labels`` (a subset of COMMENT_LABELS; empty for none), ``targets``,
    ``kind`` and optionally ``group`` (variants of one comment share it)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
        labels = set(item.get("labels") or ())
        if unknown := labels - set(COMMENT_LABELS):
            raise ValueError(f"{path}:{number}: unknown label(s) {sorted(unknown)}")
        if labels & {"hateful", "incitement"}:
            labels.add("toxic")
        yield Example(
            str(item["text"]),
            str(item.get("lang") or ""),
            (int("toxic" in labels), int("hateful" in labels), int("incitement" in labels)),
            "own",
            split_of(f"own:{item.get('group') or item['id']}"),
            kind=str(item.get("kind") or ""),
            targets=tuple(item.get("targets") or ()),
        )
