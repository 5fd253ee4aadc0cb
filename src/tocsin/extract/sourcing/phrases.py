"""Reading source phrases: where a source phrase starts and ends, and what it names.

:class:`Reader` holds one text, its folded copy (same offsets), the language's cues,
the entities and the quotations, and answers the questions ``sourcing.py`` asks about
spans of it. Every scan is bounded by ``WINDOW`` characters or by one pass over the
text, so a hostile text costs linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from tocsin.extract.nlp import Entity
from tocsin.extract.sourcing.lexicon import LanguageCues

WINDOW = 300  # the most characters a source phrase may reach from its cue
MAX_QUOTE = 3000  # a quotation longer than this is a stray mark
MAX_APPOSITION_WORDS = 10

_WORD = re.compile(r"\w+")
_QUOTE_MARKS = re.compile(r"[«»“”\"]")
_OPENERS = {"»": "«", "”": "“"}
_BOUNDARY = frozenset(',;:«»"“”()[]—–')
_PHRASE_END = frozenset(',;:«»"“”()[]—–!?…')
_INVERTED_END = frozenset(';:«»"“”()[]—–!?…')
_SPACE = frozenset(" \t\r\n\u00a0\u202f\u2009")
_STRIP = _SPACE | frozenset(",;:—–-")
_DOTS = frozenset(".!?…")
_SOURCE_KEYS = (
    "unnamed_experts",
    "unnamed_sources",
    "anonymous_sources",
    "spokespeople",
    "state_bodies",
    "organisations",
    "roles",
    "statements",
)
_BUCKETS = ("according", "reporting_verbs", "anonymity", "statements")


@dataclass(frozen=True, slots=True)
class Source:
    """A source phrase and what it names: ``kind`` is one of the attribution kinds, or
    "pronoun" (the previous speaker) or "self" (the author)."""

    start: int
    end: int
    kind: str
    text: str = ""  # the source as reported: a name, an organisation, the phrase
    label: str = ""  # the phrase without its describing clauses
    role: str | None = None
    named: bool = False


class Reader:
    def __init__(
        self, text: str, folded: str, cues: LanguageCues, entities: Iterable[Entity]
    ) -> None:
        self.text = text
        self.folded = folded
        self.cues = cues
        n = len(text)
        self.entities = sorted(
            (x for x in entities if 0 <= x.start < x.end <= n), key=lambda x: x.start
        )
        self._entity_starts = [x.start for x in self.entities]
        self.quotes = _quotations(text)
        self._quote_starts = [q[0] for q in self.quotes]
        self._buckets = {
            key: [m.span() for m in cues.pattern(key).finditer(folded)] for key in _BUCKETS
        }
        self._bucket_starts = {key: [a for a, _ in spans] for key, spans in self._buckets.items()}

    # ---------------------------------------------------------------- matching

    def matches(self, key: str, a: int, b: int) -> list[tuple[int, int]]:
        """Matches of a bucketed key starting in [a, b)."""
        starts = self._bucket_starts[key]
        return self._buckets[key][bisect_left(starts, a) : bisect_left(starts, b)]

    def first(self, key: str, a: int, b: int) -> tuple[int, int] | None:
        if key in self._buckets:
            found = self.matches(key, a, b)
            return found[0] if found else None
        m = self.cues.pattern(key).search(self.folded, a, b)
        return m.span() if m else None

    def starts_with(self, key: str, a: int, b: int) -> bool:
        a = self.skip_spaces(a, b)
        return self.cues.pattern(key).match(self.folded, a, b) is not None

    def is_phrase(self, key: str, a: int, b: int) -> bool:
        a, b = self.strip(a, b, dots=True)
        return 0 < b - a < 200 and self.cues.has(key, self.folded[a:b])

    def previous_word_is(self, key: str, s: int, at: int) -> bool:
        i = at
        low = max(s, at - 40)
        while i > low and self.folded[i - 1] in _SPACE:
            i -= 1
        j = i
        while j > low and (self.folded[j - 1].isalnum() or self.folded[j - 1] == "'"):
            j -= 1
        return j < i and self.cues.has(key, self.folded[j:i])

    def before_clitics(self, a: int, b: int) -> int:
        """``b`` moved before the object pronouns that end [a, b): "X nous | a confié"."""
        for _ in range(3):
            end = b
            while end > a and self.text[end - 1] in _SPACE:
                end -= 1
            start = end
            while start > a and (self.folded[start - 1].isalnum() or self.folded[start - 1] == "'"):
                start -= 1
            if start == end or not self.cues.has("clitics", self.folded[start:end]):
                break
            b = start
        return b

    def is_inverted_pronoun(self, vs: int, ve: int) -> bool:
        head = self.folded[vs:ve].split(maxsplit=1)
        return bool(head) and self.cues.has("inverted_auxiliaries", head[0])

    # ---------------------------------------------------------------- measuring

    def words(self, a: int, b: int, limit: int) -> int:
        """How many words in [a, b), counting no further than ``limit``."""
        count = 0
        for _ in _WORD.finditer(self.folded, a, b):
            count += 1
            if count >= limit:
                break
        return count

    def after_words(self, a: int, b: int, n: int) -> int:
        end = a
        for i, m in enumerate(_WORD.finditer(self.folded, a, b)):
            end = m.end()
            if i + 1 >= n:
                break
        return end

    def skip_spaces(self, a: int, b: int) -> int:
        while a < b and self.text[a] in _SPACE:
            a += 1
        return a

    def strip(
        self, a: int, b: int, *, spaces_only: bool = False, dots: bool = False
    ) -> tuple[int, int]:
        """[a, b) without spaces (and commas, colons, dashes) at either end."""
        lead = _SPACE if spaces_only else _STRIP
        trail = lead | _DOTS if dots else lead
        text = self.text
        while a < b and text[a] in lead:
            a += 1
        while b > a and text[b - 1] in trail:
            b -= 1
        return a, b

    def only_determiners(self, a: int, b: int) -> bool:
        for i, m in enumerate(_WORD.finditer(self.folded, a, b)):
            word = m.group()
            if i >= 4 or not (
                self.cues.has("determiners", word) or self.cues.has("determiners", word + "'")
            ):
                return False
        return True

    def in_quote(self, pos: int) -> bool:
        i = bisect_right(self._quote_starts, pos) - 1
        return i >= 0 and self.quotes[i][0] < pos < self.quotes[i][1] - 1

    # ---------------------------------------------------------------- phrase ends

    def left_boundary(self, s: int, at: int) -> int:
        """Just after the last clause mark before ``at`` (or the sentence start)."""
        low = max(s, at - WINDOW)
        i = at
        while i > low:
            ch = self.text[i - 1]
            if ch == ")":  # "Le Front de libération de l'Azawad (FLA) a déclaré": one subject
                opening = self.text.rfind("(", low, i - 1)
                if opening > low and ")" not in self.text[opening + 1 : i - 1]:
                    i = opening
                    continue
            if ch in _BOUNDARY:
                return i
            i -= 1
        return low

    def phrase_end(self, a: int, e: int, marks: frozenset[str] = _PHRASE_END) -> int:
        """The first clause mark or sentence end after ``a``."""
        high = min(e, a + WINDOW)
        text = self.text
        for i in range(a, high):
            ch = text[i]
            if ch in marks:
                return i
            if ch == "." and (i + 1 >= e or text[i + 1] in _SPACE) and not self._abbrev(a, i):
                return i
        return high

    def _abbrev(self, a: int, dot: int) -> bool:
        j = dot
        while j > a and self.text[j - 1].isalpha():
            j -= 1
        word = self.text[j:dot]
        return 0 < len(word) <= 3 and word[0].isupper() and word not in ("ONU", "UN")

    def appositions_right(self, ss: int, se: int, e: int, *, tail: bool) -> int:
        """Extend a source phrase over the comma-separated descriptions that follow it
        ("Abdoulaye Diop, ministre des Affaires étrangères,"). A description that ends
        the sentence counts only where ``tail`` says the claim is before the cue."""
        while se < e and self.text[se] == ",":
            nxt = self.phrase_end(se + 1, e)
            closed = nxt < e and self.text[nxt] == ","
            at_end = not self.words(nxt, e, 1)
            if not (closed or (tail and at_end)) or not self._apposition(se + 1, nxt):
                break
            se = nxt
        return se

    def appositions_left(self, s: int, ls: int, lb: int, vs: int) -> tuple[int, int]:
        """Extend a subject leftwards over descriptions: "Un responsable, sous couvert
        d'anonymat, a déclaré"; "Le ministre, Abdoulaye Diop, a déclaré"."""
        cur_s, cur_e = ls, vs
        while lb > s and self.text[lb - 1] == ",":
            prev_lb = self.left_boundary(s, lb - 1)
            ps = self.skip_spaces(prev_lb, lb - 1)
            if not 0 < self.words(ps, lb - 1, MAX_APPOSITION_WORDS + 1) <= MAX_APPOSITION_WORDS:
                break
            kind = self._apposition(cur_s, cur_e)
            ok = kind == "clause" or (
                (kind == "name" and self.first("roles", ps, lb - 1) is not None)
                or (kind == "role" and self._entity(ps, lb - 1, "PER") is not None)
            )
            if not ok:
                break
            cur_s, cur_e, lb = ps, lb - 1, prev_lb
        return cur_s, lb

    def _apposition(self, a: int, b: int) -> str:
        """What a comma-separated piece adds to a source: "clause" (anonymity or a
        relative clause), "name" (a person's name), "role", or "" (nothing: not one)."""
        a, b = self.strip(a, b, dots=True)
        if a >= b:
            return ""
        if self.starts_with("anonymity", a, b) or self.starts_with("relatives", a, b):
            return "clause"
        n = self.words(a, b, MAX_APPOSITION_WORDS + 1)
        per = self._entity(a, b, "PER")
        if per is not None and n <= self.words(per.start, per.end, 8) + 2:
            return "name"
        if n <= 8 and self.starts_with("roles", self._after_determiners(a, b), b):
            return "role"
        return ""

    def inverted_end(self, ss: int, e: int) -> tuple[int, int]:
        """The end of a source written after its verb: "a déclaré | le ministre des
        Affaires étrangères, Abdoulaye Diop | lors d'une conférence de presse", and the
        end of its last comma-separated piece."""
        limit = self.phrase_end(ss, e, _INVERTED_END)
        end = self.text.find(",", ss, limit)
        end = limit if end < 0 else end
        while end < limit:
            nxt = self.text.find(",", end + 1, limit)
            nxt = limit if nxt < 0 else nxt
            if not self._apposition(end + 1, nxt):
                break
            end = nxt
        raw = end
        first_word = self.after_words(ss, end, 1)
        stop = self.first("source_stops", first_word, end)
        if stop is not None and self._entity(stop[0], stop[1], "PER") is None:
            end = stop[0]
        for x in self._entities(ss, end):
            if x.label in ("DATE", "TIME") and x.start > ss:
                end = min(end, x.start)
        return self.strip(ss, end, dots=True)[1], raw

    # ---------------------------------------------------------------- entities

    def _entities(self, a: int, b: int) -> list[Entity]:
        out = []
        for i in range(max(0, bisect_left(self._entity_starts, a)), len(self.entities)):
            x = self.entities[i]
            if x.start >= b:
                break
            if x.end <= b:
                out.append(x)
        return out

    def _entity(self, a: int, b: int, label: str) -> Entity | None:
        return next((x for x in self._entities(a, b) if x.label == label), None)

    # ---------------------------------------------------------------- sources

    def _after_determiners(self, a: int, b: int) -> int:
        for _ in range(3):
            a = self.skip_spaces(a, b)
            m = _WORD.match(self.folded, a, b)
            if m is None:
                break
            word = m.group()
            if (
                m.end() < b
                and self.folded[m.end()] == "'"
                and self.cues.has("determiners", word + "'")
            ):
                a = m.end() + 1
            elif self.cues.has("determiners", word):
                a = m.end()
            else:
                break
        return a

    def label(self, ss: int, se: int) -> str:
        """The source without its describing clauses: "une source sécuritaire"."""
        cut = self.text.find(",", ss, se)
        end = se if cut < 0 else cut
        first_word = self.after_words(ss, end, 1)
        for key in ("anonymity", "relatives"):
            found = self.first(key, first_word, end)
            if found is not None:
                end = found[0]
        a, b = self.strip(ss, end, dots=True)
        return self.text[a:b]

    def _role(self, a: int, b: int) -> str | None:
        a, b = self.strip(self._after_determiners(a, b), b, dots=True)
        return self.text[a:b] or None

    def _role_near(self, ss: int, se: int, per: Entity) -> str | None:
        before = self.text[ss : per.start].split(",")
        pieces: list[tuple[int, int]] = []
        pos = per.start
        for piece in reversed(before):
            pieces.append((pos - len(piece), pos))
            pos -= len(piece) + 1
        pos = per.end
        for piece in self.text[per.end : se].split(","):
            pieces.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        best: tuple[int, int] | None = None
        for a, b in pieces:  # nearest first; the fullest description wins
            if self.first("roles", a, b) is not None and (
                best is None or self.words(a, b, 12) > self.words(*best, 12)
            ):
                best = (a, b)
        return self._role(*best) if best else None

    def source(self, ss: int, se: int, *, pronoun: bool = False) -> Source:
        """What the source phrase [ss, se) names."""
        if pronoun:
            return Source(ss, se, "pronoun")
        label = self.label(ss, se)
        if self.is_phrase("pronouns", ss, se):
            return Source(ss, se, "pronoun", label, label)
        if self.is_phrase("self", ss, se):
            return Source(ss, se, "self", label, label)
        content = self._after_determiners(ss, se)
        if self.starts_with("state_bodies", content, se):  # "le gouvernement de X"
            return Source(ss, se, "official_statement", label, label)
        if self.starts_with("organisations", content, se):  # "la milice Dan Na Ambassagou"
            org = self._entity(ss, se, "ORG")
            return Source(ss, se, "organisation", org.text if org else label, label)
        for key in ("unnamed_experts", "unnamed_sources"):  # "Analysts in Dakar", the head
            if self.starts_with(key, content, se):
                return Source(ss, se, key, label, label)
        per = self._entity(ss, se, "PER")
        if per is not None:
            return Source(ss, se, "person", per.text, label, self._role_near(ss, se, per), True)
        for key, kind in (
            ("unnamed_experts", "unnamed_experts"),
            ("unnamed_sources", "unnamed_sources"),
            ("anonymous_sources", "anonymous"),
        ):
            if self.first(key, ss, se) is not None:
                return Source(ss, se, kind, label, label)
        if self.first("spokespeople", ss, se) is not None:  # speaks for the body
            state = self.first("state_bodies", ss, se) is not None
            return Source(ss, se, "official_statement" if state else "organisation", label, label)
        head = _WORD.match(self.folded, self.skip_spaces(ss, se), se)
        if head is not None and (
            self.cues.has("singular_indefinite", head.group())
            or self.cues.has("plural_indefinite", head.group())
        ):
            return Source(ss, se, "unnamed_sources", label, label)
        if self.starts_with("roles", content, se):
            return Source(ss, se, "person", label, label, self._role(ss, ss + len(label)))
        if self.first("state_bodies", ss, se) is not None:
            return Source(ss, se, "official_statement", label, label)
        org = self._entity(ss, se, "ORG")
        if org is not None:
            return Source(ss, se, "organisation", org.text, label)
        if self.first("organisations", ss, se) is not None:
            return Source(ss, se, "organisation", label, label)
        if self.first("roles", ss, se) is not None:
            return Source(ss, se, "person", label, label, self._role(ss, ss + len(label)))
        return Source(ss, se, self._by_capitals(content, se), label, label)

    def source_like(self, ss: int, se: int) -> bool:
        """Whether a subject or an inverted phrase can name a source at all (so that
        "l'essentiel de l'appui aérien" after "assure" is not one)."""
        if self._entities(ss, se) and any(
            x.label in ("PER", "ORG") for x in self._entities(ss, se)
        ):
            return True
        if self.is_phrase("pronouns", ss, se) or self.is_phrase("self", ss, se):
            return True
        for key in _SOURCE_KEYS:
            if self.first(key, ss, se) is not None:
                return True
        head = _WORD.match(self.folded, self.skip_spaces(ss, se), se)
        if head is not None and (
            self.cues.has("singular_indefinite", head.group())
            or self.cues.has("plural_indefinite", head.group())
        ):
            return True
        content = self._after_determiners(ss, se)
        if self.words(content, se, 7) > 6:
            return False
        return any(m.group()[0].isupper() for m in _WORD.finditer(self.text, content, se))

    def _by_capitals(self, a: int, b: int) -> str:
        """Last resort: two capitalised words in a row are a name, else a body."""
        run = 0
        for m in _WORD.finditer(self.text, a, b):
            if m.group()[0].isupper():
                run += 1
                if run >= 2:
                    return "person"
            else:
                run = 0
        return "organisation"


def _quotations(text: str) -> list[tuple[int, int]]:
    """Quotations as (start, end) spans, outermost only: « », “ ” and paired straight
    quotes within a line; a mark left open for ``MAX_QUOTE`` characters is dropped."""
    found: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight = -1
    for m in _QUOTE_MARKS.finditer(text):
        ch, pos = m.group(), m.start()
        if ch in ("«", "“"):
            stack.append((ch, pos))
            del stack[:-8]
        elif ch in _OPENERS:
            while stack and stack[-1][0] != _OPENERS[ch]:
                stack.pop()
            if stack:
                start = stack.pop()[1]
                if pos - start <= MAX_QUOTE:
                    found.append((start, pos + 1))
        elif straight >= 0 and pos - straight <= MAX_QUOTE and "\n" not in text[straight:pos]:
            found.append((straight, pos + 1))
            straight = -1
        else:
            straight = pos
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
