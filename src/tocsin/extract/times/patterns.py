"""The pattern language of the time lexicon: a pattern as written in ``times.toml``
("le {day} {month} [{year}]") compiled to one regular expression, with the words a
match can start with.

A pattern is words, ``{slots}`` (filled from the language's month names, weekdays,
numbers and units), ``[optional parts]``, ``(choices|...)`` and a leading ``<context|...>``
that must come before the match but is not part of its span. The regular expressions
have no nested quantifiers and bounded whitespace, so matching is linear.
:mod:`tocsin.extract.times.grammar` reads the files and files each compiled pattern
under its first words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from tocsin.text.fold import fold

__all__ = ["DIGIT", "SLOTS", "PatternError", "SlotNames", "compile_pattern", "word_key"]

DIGIT = "#"  # the dispatch key of a token that starts with an ASCII digit
SLOTS = frozenset({"day", "mm", "month", "year", "weekday", "n", "unit"})
_WS = r",?\s{1,6}"  # a space in a pattern: bounded, so that no match can run away
_HYPHEN = "[-\u2010\u2011\u2013]"
_APOSTROPHES = "['\u2019\u02bc\u2018]"
_LEADING_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"[\W_]+")

# A pattern parses into nodes: ("lit", text), ("ws", ""), ("slot", name),
# ("opt", [branches]), ("alt", [branches]); a leading <a|b> is the context.

Node = tuple[str, Any]


@dataclass(frozen=True, slots=True)
class SlotNames:
    """What a language's slots match: its words as written, per slot, with the day
    suffixes ("1er") and whether month and weekday names keep their case."""

    cased: bool
    suffixes: tuple[str, ...]
    raw: dict[str, list[str]]


class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says what is wrong with it."""


def compile_pattern(pattern: str, names: SlotNames) -> tuple[re.Pattern[str], frozenset[str]]:
    """The regular expression of ``pattern`` and the folded words (or :data:`DIGIT`) a
    match can start with; :class:`PatternError` when the pattern is not well formed."""
    context, nodes = _parse(pattern.strip())
    if not nodes:
        raise PatternError("empty pattern")
    keys, nullable = _first(nodes, names)
    if context is not None:
        keys, nullable = set(), False
        for branch in context:
            branch_keys, branch_nullable = _first(branch, names)
            keys |= branch_keys
            nullable = nullable or branch_nullable
    if nullable or "" in keys:
        raise PatternError("it must start with a word, a number or a slot")
    body = f"(?P<span>{_seq(nodes, names)})(?!\\w)"
    if context is not None:
        body = f"(?:{'|'.join(_seq(b, names) for b in context)}){_WS}{body}"
    try:
        return re.compile(body, re.IGNORECASE), frozenset(keys)
    except re.error as exc:
        raise PatternError(str(exc)) from exc


def _parse(text: str) -> tuple[list[list[Node]] | None, list[Node]]:
    context = None
    pos = 0
    if text.startswith("<"):
        context, pos = _parse_alts(text, 1, ">")
        while pos < len(text) and text[pos].isspace():
            pos += 1
    nodes, pos = _parse_seq(text, pos, "")
    if pos != len(text):
        raise PatternError(f"unexpected {text[pos]!r}")
    return context, nodes


def _parse_alts(text: str, pos: int, closer: str) -> tuple[list[list[Node]], int]:
    branches = []
    while True:
        seq, pos = _parse_seq(text, pos, closer)
        branches.append(seq)
        if pos >= len(text):
            raise PatternError(f"missing {closer!r}")
        if text[pos] == closer:
            return branches, pos + 1
        pos += 1  # "|"


def _parse_seq(text: str, pos: int, closer: str) -> tuple[list[Node], int]:
    nodes: list[Node] = []
    while pos < len(text):
        ch = text[pos]
        if ch in closer or (closer and ch == "|"):
            break
        if ch in "])>|" or ch == "<":
            raise PatternError(f"unexpected {ch!r}")
        if ch == "{":
            end = text.find("}", pos)
            name = text[pos + 1 : end] if end > 0 else ""
            if name not in SLOTS:
                raise PatternError(f"unknown slot {{{name}}}; use one of {sorted(SLOTS)}")
            if any(n == ("slot", name) for n in nodes):
                raise PatternError(f"slot {{{name}}} twice")
            nodes.append(("slot", name))
            pos = end + 1
        elif ch in "[(":
            branches, pos = _parse_alts(text, pos + 1, "]" if ch == "[" else ")")
            nodes.append(("opt" if ch == "[" else "alt", branches))
        elif ch.isspace():
            while pos < len(text) and text[pos].isspace():
                pos += 1
            nodes.append(("ws", ""))
        else:
            if nodes and nodes[-1][0] == "lit":
                nodes[-1] = ("lit", nodes[-1][1] + ch)
            else:
                nodes.append(("lit", ch))
            pos += 1
    return nodes, pos


def _seq(nodes: list[Node], names: SlotNames) -> str:
    out: list[str] = []
    i = 0
    while i < len(nodes):
        kind, value = nodes[i]
        if kind == "ws":
            out.append(_WS)
        elif kind == "lit":
            out.append(_literal(value))
        elif kind == "slot":
            out.append(_slot(value, names))
        else:
            inner = "|".join(_seq(b, names) for b in value)
            if kind == "alt":
                out.append(f"(?:{inner})")
            elif out and out[-1] == _WS and (i + 1 == len(nodes) or nodes[i + 1][0] == "ws"):
                out[-1] = f"(?:{_WS}(?:{inner}))?"  # "hier [soir]": the space goes too
            else:
                out.append(f"(?:{inner})?")
        i += 1
    return "".join(out)


def _literal(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        if ch in "'\u2019":
            out.append(_APOSTROPHES)
        elif ch == "-":
            after_letter = i > 0 and text[i - 1].isalpha()
            out.append(f"(?:{_HYPHEN}|\\s{{1,3}})" if after_letter else _HYPHEN)
        elif ch.isspace():
            out.append(_WS)
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(f"[{ch}{base}]" if base != ch and base.isalpha() else re.escape(ch))
    return "".join(out)


def _words(words: list[str], *, cased: bool) -> str:
    alts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        stem = word[:-1] if word.endswith(".") else word
        regex = "".join(_literal(part) if part else "" for part in re.split(r"(\s+)", stem))
        dot = r"\.?" if word.endswith(".") else ""
        if cased:
            upper = "".join(_literal(part) for part in re.split(r"(\s+)", stem.upper()))
            alts.append(f"(?-i:{regex}|{upper}){dot}")
        else:
            alts.append(f"{regex}{dot}")
    return "|".join(alts) or "(?!)"


def _slot(name: str, names: SlotNames) -> str:
    if name == "day":
        suffix = "|".join(re.escape(s) for s in names.suffixes)
        return f"(?P<day>[0-3]?[0-9])(?:{suffix})?" if suffix else "(?P<day>[0-3]?[0-9])"
    if name == "mm":
        return "(?P<mm>[01]?[0-9])"
    if name == "year":
        return "(?P<year>(?:1[89]|20)[0-9]{2})(?![0-9])"
    if name == "n":
        words = _words(names.raw["numbers"], cased=False)
        return f"(?P<n>[0-9]{{1,3}}|{words})(?!\\w)"
    table = {"month": "months", "weekday": "weekdays", "unit": "units"}[name]
    cased = names.cased and name != "unit"
    return f"(?P<{name}>{_words(names.raw[table], cased=cased)})(?!\\w)"


def _first(nodes: list[Node], names: SlotNames) -> tuple[set[str], bool]:
    keys: set[str] = set()
    for kind, value in nodes:
        if kind == "ws":
            continue
        if kind == "lit":
            lead = _LEADING_WORD.match(value)
            keys.add(_key(lead.group()) if lead else "")
            return keys, False
        if kind == "slot":
            if value in ("day", "mm", "year", "n"):
                keys.add(DIGIT)
            table = {"month": "months", "weekday": "weekdays", "unit": "units", "n": "numbers"}
            for word in names.raw.get(table.get(value, ""), []):
                if found := _LEADING_WORD.match(word):
                    keys.add(_key(found.group()))
            return keys, False
        nullable = kind == "opt"
        for branch in value:
            branch_keys, branch_nullable = _first(branch, names)
            keys |= branch_keys
            nullable = nullable or branch_nullable
        if not nullable:
            return keys, False
    return keys, True


def word_key(text: str) -> str:
    """How a slot's word is looked up: folded, without spaces, hyphens or dots."""
    return _NON_WORD.sub("", fold(text))


def _key(word: str) -> str:
    return DIGIT if "0" <= word[:1] <= "9" else fold(word)
