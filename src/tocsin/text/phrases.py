"""Phrase lists made into one regular expression, for every lexicon of the stages.

A lexicon's phrases ("selon", "de source sûre", "peu probable") are folded with
:func:`phrase_key` and compiled by :func:`phrase_pattern` into one pattern, written as a
trie: matching costs the length of the text times the length of the longest phrase,
not the number of phrases, and at each place the longest phrase wins. The pattern runs
on :func:`tocsin.text.fold.fold_same` text, so its matches are spans of the original.

Whole words: a phrase that starts with a letter or digit does not start inside a word
(nor right after a hyphen); one that ends with a letter or digit does not end inside
one. A phrase ending in an apostrophe ("l'", "qu'") is glued to the next word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypedDict, Unpack

from tocsin.text.fold import fold_same

__all__ = [
    "NEVER",
    "WORD_START",
    "PhraseOptions",
    "phrase_alternation",
    "phrase_key",
    "phrase_pattern",
]

NEVER = "(?!)"  # the alternation of no phrase: matches nothing
WORD_START = r"(?<![\w-])"  # a word starts here, not inside another or after a hyphen


def phrase_key(phrase: str) -> str:
    """``phrase`` as the patterns read it: :func:`~tocsin.text.fold.fold_same`, single
    spaces, none at either end."""
    return " ".join(fold_same(phrase).split())


class PhraseOptions(TypedDict, total=False):
    """The options of :func:`phrase_alternation`, for :func:`phrase_pattern`."""

    space: str
    apostrophe: str
    wildcard: bool
    start: str
    stems: bool


def phrase_pattern(phrases: Iterable[str], **options: Unpack[PhraseOptions]) -> re.Pattern[str]:
    """One compiled pattern matching any of ``phrases`` (already folded); the options
    are those of :func:`phrase_alternation`."""
    return re.compile(phrase_alternation(phrases, **options))


def phrase_alternation(
    phrases: Iterable[str],
    *,
    space: str = r"\s+",
    apostrophe: str = "'",
    wildcard: bool = False,
    start: str = WORD_START,
    stems: bool = False,
) -> str:
    """The regular expression (a group, to embed in a larger one) matching any of
    ``phrases`` (already folded), longest first; :data:`NEVER` when there is none.

    ``space``: what a space of a phrase matches (``r"\\s+"``; a looser one lets a
    hyphen stand for it); ``apostrophe``: what an apostrophe matches ("'"; ``r"'\\s?"``
    lets a space follow); ``wildcard``: "*" in a phrase is any letters ("massacre*");
    ``start``: put before a phrase that starts with a letter ("" where the caller puts
    its own boundary); ``stems``: phrases are starts of words, which may go on."""
    trie: dict[str, Any] = {}
    for phrase in phrases:
        if not phrase:
            continue
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = stems or not _wordy(phrase[-1])  # True: no boundary after the phrase
    if not trie:
        return NEVER
    steps = {" ": space, "'": apostrophe}
    if wildcard:
        steps["*"] = r"\w*"

    def build(node: dict[str, Any], root: bool) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            step = steps.get(ch) or re.escape(ch)
            if root and start and _wordy(ch):
                step = start + step
            branches.append(step + build(node[ch], root=False))
        if "" in node:
            branches.append("" if node[""] else r"(?!\w)")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return "(?:" + build(trie, root=True) + ")"


def _wordy(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
