"""Text helpers for comments: sentences with their offsets, phrase lookup on folded words,
ISO weeks. Everything is linear in the (bounded) text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Generic, TypeVar

from tocsin.assess.claims.stance import tokens  # the words of the claims' stance reader

MAX_CHARS = 3_000  # a comment is read up to here: bounded time on a 1 MB "comment"
MAX_BODY_CHARS = 20_000  # an article body is read up to here
MIN_WORDS = 3  # a shorter fragment joins its neighbour
_END = re.compile(r"[.!?…؟]+[»”\"')\]]*(?=\s|$)|\n\s*")
_WORD = re.compile(r"[^\W_]+")

Payload = TypeVar("Payload")


def sentences(text: str, *, limit: int = MAX_CHARS, most: int = 12) -> list[tuple[int, int]]:
    """(start, end) of the sentences of ``text`` (read up to ``limit`` characters, at
    most ``most`` sentences), stripped; a fragment of fewer than three words ("Bravo !",
    "Tous dehors !") joins the sentence before it (or after it, when it opens the text)."""
    text = text[:limit]
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    for s, e in spans:
        s, e = _strip(text, s, e)
        if e <= s:
            continue
        if pending is not None:
            s, pending = pending[0], None
        if len(_WORD.findall(text[s:e])) < MIN_WORDS:
            if out:
                out[-1] = (out[-1][0], e)
            else:
                pending = (s, e)
            continue
        out.append((s, e))
    if pending is not None:
        out.append(pending)
    if len(out) > most:
        out = [*out[: most - 1], (out[most - 1][0], out[-1][1])]
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def iso_week(when: datetime | date | None) -> str | None:
    """ "2025-W45" for a date or a time, None for none."""
    if when is None:
        return None
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}"


class Phrases(Generic[Payload]):
    """Whole-word phrase lookup ignoring case, accents and apostrophe style; each phrase
    carries a payload. :meth:`find` walks the words once, the longest phrase winning at
    each position (a phrase given twice yields each payload)."""

    def __init__(self, phrases: Iterable[tuple[str, Payload]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], Payload]]] = {}
        for phrase, payload in phrases:
            words = tuple(w for w, _, _ in tokens(phrase))
            if words:
                self._by_first.setdefault(words[0], []).append((words, payload))
        for found in self._by_first.values():
            found.sort(key=lambda item: (-len(item[0]), item[0]))

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(
        self, text: str, *, toks: list[tuple[str, int, int]] | None = None
    ) -> Iterator[tuple[int, int, Payload]]:
        """(start, end, payload) of the phrases in ``text``, left to right, never
        overlapping; offsets index ``text``. ``toks``: its :func:`tokens`, when the
        caller has them already."""
        toks = tokens(text, limit=MAX_BODY_CHARS) if toks is None else toks
        words = [w for w, _, _ in toks]
        i, n = 0, len(words)
        while i < n:
            matched: tuple[str, ...] | None = None
            for phrase, payload in self._by_first.get(words[i], ()):
                if matched is not None and phrase != matched:
                    break  # every payload of the longest phrase found, then stop
                end = i + len(phrase)
                if tuple(words[i:end]) == phrase:
                    matched = phrase
                    yield toks[i][1], toks[end - 1][2], payload
            i += len(matched) if matched else 1
