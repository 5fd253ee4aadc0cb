"""Case and accents taken out of text, one way for every stage, so that a word matched
in one stage is matched in the next.

Which to use:

- :func:`fold` for keys and comparisons, where the length does not matter: a lexicon
  word, a country or region name, a query word ("Côte d’Ivoire" -> "cote d'ivoire",
  "ŒUVRE" -> "oeuvre"). Lower case (``casefold``), no accents, ligatures spelt out,
  every apostrophe straight, every run of white space one space.
- :func:`fold_same` for text that patterns run on and whose matches are spans of the
  original: one character for one, so offsets into the result are offsets into the
  text. Lower case, no accents, every apostrophe straight, a ligature kept ("œ" has no
  one-letter spelling). Phrases matched against it are folded with it too
  (:func:`tocsin.text.phrases.phrase_key`).
- :func:`strip_marks` where case must stay (an alias that only matches in capitals)
  or where a caller lowers the text itself (the comment classifier's features, which a
  trained model depends on): accents off, nothing else.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["APOSTROPHES", "DASHES", "fold", "fold_same", "strip_marks"]

APOSTROPHES = "’‘ʼʹ`´′ʻ"  # read as "'"
DASHES = "\u2010\u2011\u2012\u2013\u2014"  # read as "-" by fold_same(dashes=True)
MAX_FOLDED = 20_000  # characters whose fold_same is remembered, per set of options

_STRAIGHT = str.maketrans({c: "'" for c in APOSTROPHES})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})
_ONE_LETTER = {"ø": "o", "đ": "d", "ł": "l", "ı": "i"}  # the ligatures of one letter
_TABLES: dict[tuple[str, bool], dict[int, str]] = {}

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def strip_marks(text: str) -> str:
    """``text`` without its accents and other combining marks, case kept ("Ségou" ->
    "Segou"); compatibility characters spelt out ("ﬁ" -> "fi")."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """The key of ``text``: lower case, no accents, ligatures spelt out ("œ" -> "oe"),
    every apostrophe straight, white space runs as one space, no space at either end.
    The length may change: use :func:`fold_same` where offsets matter."""
    if text.isascii():
        folded = text.lower().replace("`", "'")
    else:
        bare = strip_marks(text.translate(_STRAIGHT))  # then case: "ᴬ" is "A", then "a"
        folded = strip_marks(bare.casefold()).translate(_LIGATURES)
    return " ".join(folded.split())


def fold_same(text: str, *, keep: str = "", dashes: bool = False) -> str:
    """``text`` lower case, without accents, every apostrophe straight, and of the same
    length: offsets into the result are offsets into ``text``. ``keep``: lower-case
    letters left as they are (in lower case), such as "à", which French keeps apart
    from "a"; ``dashes``: every hyphen and dash as "-" (number words, "vingt‑trois")."""
    if text.isascii() and "`" not in text:
        return text.lower()
    options = (keep, dashes)
    table = _TABLES.setdefault(options, {})
    missing = [ch for ch in set(text) if ord(ch) not in table]
    if len(table) + len(missing) > MAX_FOLDED:  # a flood of rare characters
        return text.translate({ord(ch): _fold_char(ch, keep, dashes) for ch in set(text)})
    for ch in missing:
        table[ord(ch)] = _fold_char(ch, keep, dashes)
    return text.translate(table)


def _fold_char(ch: str, keep: str, dashes: bool) -> str:
    """One character's :func:`fold_same`: always one character."""
    if ch in APOSTROPHES:
        return "'"
    if dashes and ch in DASHES:
        return "-"
    low = ch.lower()
    if len(low) == 1 and low in keep:
        return low
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    if unicodedata.combining(base):  # a mark on its own stays
        base = ch
    folded = base.lower()
    if len(folded) != 1:
        folded = low if len(low) == 1 else ch
    return _ONE_LETTER.get(folded, folded)


def slug(text: str) -> str:
    """``text`` as an ASCII id ("Studio Tamani" -> "studio-tamani"): accents and other
    letters outside ASCII dropped, runs of anything else one hyphen, at most 120
    characters, "unknown" when nothing is left. Source and asset ids are made with it;
    stored ids depend on it, so it never changes."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:120] or "unknown"
