"""Central objects of the information environment (comment sections): the scores and
labels of one comment. Frozen dataclasses, plain values, no I/O.

Label definitions (full text in docs/COMMENTS.md):
- ``toxic``: insulting, demeaning, obscene or aggressive language towards anyone.
- ``hateful``: attacks or dehumanises a group for who they are (nationality, ethnicity,
  religion, …); ``targets`` names the groups. Counter-speech, quoting hateful words in
  order to reject them, and negations are not hate.
- ``incitement``: calls for violence against people or their expulsion.
- ``none``: none of the above (heated but legitimate criticism included).
"""

from __future__ import annotations

from dataclasses import dataclass

COMMENT_LABELS: tuple[str, ...] = ("toxic", "hateful", "incitement")


@dataclass(frozen=True, slots=True)
class CommentScores:
    """Probabilities (0-1) per label, the labels above their thresholds (``("none",)``
    when none is), and the targeted groups when ``hateful`` (e.g. "nationality",
    "ethnicity", "religion", "migrants", "gender")."""

    toxic: float
    hateful: float
    incitement: float
    labels: tuple[str, ...]
    targets: tuple[str, ...] = ()
    language: str | None = None
