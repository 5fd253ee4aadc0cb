"""Search words and snippets: a query cut into the words a full-text index would cut,
and a piece of text around the first match with the matched words marked by offsets
(never markup; a renderer escapes each piece). Used by the store's search and anything
that shows its hits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tocsin.text.fold import fold

__all__ = ["MAX_TERM", "MAX_TERMS", "Snippet", "fold", "snippet", "words"]

_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
MAX_TERMS = 16
MAX_TERM = 64


def words(query: str) -> tuple[str, ...]:
    """The words of a search query, as a full-text index cuts text (letters and
    digits; punctuation, quotes, operators' symbols and "_" separate): at most
    :data:`MAX_TERMS` distinct words of at most :data:`MAX_TERM` characters."""
    found: dict[str, str] = {}
    for match in _WORD.finditer(query[: MAX_TERMS * (MAX_TERM + 1) * 4]):
        word = match.group()[:MAX_TERM]
        found.setdefault(fold(word), word)
        if len(found) == MAX_TERMS:
            break
    return tuple(found.values())


@dataclass(frozen=True, slots=True)
class Snippet:
    """A piece of a text around the first match, with the matched words as offsets
    into ``text``; ``clipped_start``/``clipped_end`` say whether text was cut there."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()
    clipped_start: bool = False
    clipped_end: bool = False

    def pieces(self) -> list[tuple[str, bool]]:
        """(text, matched) runs: for a renderer that escapes each one."""
        out: list[tuple[str, bool]] = []
        at = 0
        for start, end in self.marks:
            if start > at:
                out.append((self.text[at:start], False))
            out.append((self.text[start:end], True))
            at = end
        if at < len(self.text):
            out.append((self.text[at:], False))
        return out


def snippet(text: str, terms: Sequence[str], *, width: int = 240, scan: int = 200_000) -> Snippet:
    """About ``width`` characters of ``text`` around the first word matching one of
    ``terms`` (compared without case or diacritics), every matching word in it marked.
    Only the first ``scan`` characters are searched; without a match, the start."""
    wanted = {fold(t) for t in terms}
    first = None
    for match in _WORD.finditer(text, 0, min(len(text), scan)):
        if fold(match.group()) in wanted:
            first = match.start()
            break
    start = 0 if first is None else max(0, first - width // 3)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space != -1 else end
    piece = text[start:end]
    found = tuple((m.start(), m.end()) for m in _WORD.finditer(piece) if fold(m.group()) in wanted)
    lead = len(piece) - len(piece.lstrip())
    trimmed = piece.strip()
    found = tuple((s - lead, e - lead) for s, e in found if s >= lead and e - lead <= len(trimmed))
    return Snippet(trimmed, found, clipped_start=start > 0, clipped_end=end < len(text))
