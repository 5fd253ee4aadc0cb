"""The words of a brief: phrasing per language from ``knowledge/brief_phrases.toml``.

Code says what a sentence is about; the data file says how it reads in French or in
English. Each phrase has one or more variants; :meth:`Phrases.say` picks one from a hash
of the phrase key and the sentence's content (a "seed"), so the same facts always give
the same words and different facts do not all read alike. Dates, numbers (in words below
ten where a writer would), counted nouns, lists, ICD 203 likelihood terms and quotation
marks follow the language's conventions; French text gets its non-breaking spaces
(before ``: ; ? !`` and inside « »), its contractions (« de le » → « du ») and
elisions (« de Agence » → « d'Agence »).

Quoted words of a source are never rewritten: pass them as :class:`Quoted` values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tocsin.config import read_toml
from tocsin.errors import ConfigError
from tocsin.knowledge.files import knowledge_source, load_knowledge, per_knowledge_dir
from tocsin.models import ICD_203

LANGUAGES = ("en", "fr")
NBSP = "\u00a0"  # before a French colon, inside « »
THIN_NBSP = "\u202f"  # before ; ? ! in French, between thousands
_PROTECT_OPEN, _PROTECT_CLOSE = "\ue000", "\ue001"


@dataclass(frozen=True, slots=True)
class Quoted:
    """Text that goes into a sentence as is (a source's words): no typography, no
    contraction, no capital letter added."""

    text: str


def seed_of(*parts: object) -> str:
    """A stable seed from the content a sentence is about."""
    return "|".join(str(p) for p in parts)


def _pick(variants: list[str], key: str, seed: str) -> str:
    digest = hashlib.sha256(f"{key}|{seed}".encode()).hexdigest()
    return variants[int(digest[:12], 16) % len(variants)]


class Phrases:
    """The phrasing of one language, with the shared settings of briefs."""

    def __init__(self, lang: str, data: dict[str, Any], settings: dict[str, Any]) -> None:
        self.lang = lang
        self.data = data
        self.settings = settings

    @classmethod
    def load(cls, lang: str, path: Path | None = None) -> Phrases:
        if lang not in LANGUAGES:
            raise ConfigError(
                f"brief language {lang!r}: not supported; use one of {', '.join(LANGUAGES)}"
            )
        data = _read(path) if path is not None else _bundled()
        if lang not in data:
            where = path or knowledge_source("brief_phrases")
            raise ConfigError(f"{where}: no [{lang}] table; add the phrases")
        return cls(lang, data[lang], data.get("settings", {}))

    # -- raw access ------------------------------------------------------------
    def entry(self, key: str) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ConfigError(
                    f"{knowledge_source('brief_phrases')}: no phrase [{self.lang}].{key}; add it"
                )
            node = node[part]
        return node

    def has(self, key: str) -> bool:
        try:
            self.entry(key)
        except ConfigError:
            return False
        return True

    def word(self, key: str, default: str | None = None) -> str:
        """A single word or fixed phrase (the first variant when there are several)."""
        if default is not None and not self.has(key):
            return default
        value = self.entry(key)
        return str(value[0] if isinstance(value, list) else value)

    def setting(self, key: str) -> Any:
        if key not in self.settings:
            raise ConfigError(f"{knowledge_source('brief_phrases')}: no [settings].{key}; add it")
        return self.settings[key]

    # -- sentences -------------------------------------------------------------
    def say(self, key: str, seed: str, *, avoid: str | None = None, **values: object) -> str:
        """A finished sentence (or clause): a variant of ``key`` filled with ``values``;
        not the ``avoid`` variant when there is another (two sentences in a row)."""
        return self.fill(self.variant(key, seed, avoid=avoid), **values).strip()

    def variant(self, key: str, seed: str, *, avoid: str | None = None) -> str:
        value = self.entry(key)
        variants = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        if avoid in variants and len(variants) > 1:
            variants.remove(avoid)
        return _pick(variants, key, seed)

    def fill(self, template: str, **values: object) -> str:
        protected: list[str] = []
        plain: dict[str, str] = {}
        for name, val in values.items():
            if isinstance(val, Quoted):
                protected.append(val.text)
                plain[name] = f"{_PROTECT_OPEN}{len(protected) - 1}{_PROTECT_CLOSE}"
            else:
                plain[name] = "" if val is None else str(val)
        try:
            text = template.format(**plain)
        except (KeyError, IndexError) as exc:
            raise ConfigError(
                f"{knowledge_source('brief_phrases')}: phrase {template!r} uses {exc} "
                "which the code does not give; use only the documented fields"
            ) from exc
        text = self.typography(text)
        for i, original in enumerate(protected):
            text = text.replace(f"{_PROTECT_OPEN}{i}{_PROTECT_CLOSE}", original)
        return text

    def typography(self, text: str) -> str:
        """Spaces made single; in French, contractions, elisions and non-breaking
        spaces. Leading and trailing spaces are kept (a fragment such as " by 8 May"
        goes inside a sentence)."""
        text = re.sub(r"[ \t]+", " ", text)
        text = re.sub(r"(?<=\S) +([,.])", r"\1", text)
        if self.lang != "fr":
            return text
        for pattern, repl in _FR_CONTRACTIONS:
            text = pattern.sub(repl, text)
        text = re.sub(r"[ \u00a0\u202f]*:(?=\s|$)", NBSP + ":", text)
        text = re.sub(r"[ \u00a0\u202f]*([;?!])", THIN_NBSP + r"\1", text)
        text = re.sub(r"(\d)[ \u00a0\u202f]*(%|km\b)", r"\1" + NBSP + r"\2", text)
        text = re.sub(r"«[ \u00a0]*", "«" + NBSP, text)
        text = re.sub(r"[ \u00a0]*»", NBSP + "»", text)
        return text

    @staticmethod
    def sentence(text: str) -> str:
        """Capital first letter and a full stop, unless it ends with one already."""
        text = text.strip()
        if not text:
            return text
        if text[0].islower():
            text = text[0].upper() + text[1:]
        if text[-1] not in ".!?…" and not text.endswith(("».", "”.")):
            text += "."
        return text

    # -- numbers, nouns, lists ---------------------------------------------------
    def number(self, n: int, *, feminine: bool = False) -> str:
        """A count: in words below ten, in figures from ten on (with the language's
        thousands separator)."""
        words = self.entry("numbers.feminine" if feminine else "numbers.masculine")
        if 0 <= n < len(words):
            return str(words[n])
        return self.figure(n)

    def figure(self, n: int | float) -> str:
        sep = str(self.entry("numbers.thousands"))
        if isinstance(n, float) and not n.is_integer():
            whole = f"{n:,.1f}".replace(",", "\0")
            return whole.replace(".", str(self.entry("numbers.decimal"))).replace("\0", sep)
        return f"{int(n):,}".replace(",", sep)

    def count(self, n: int, noun: str) -> str:
        """``n`` and a noun of ``nouns.<noun>`` ("zero", "one", "other" forms)."""
        forms = self.entry(f"nouns.{noun}")
        feminine = forms.get("gender") == "f"
        form = "zero" if n == 0 and "zero" in forms else "one" if n == 1 else "other"
        return self.fill(str(forms[form]), n=self.number(n, feminine=feminine))

    def bare(self, n: int, noun: str) -> str:
        """The number alone, for a noun already named ("against six", « contre six »;
        zero: the noun's ``none`` form, "none" / « aucun »)."""
        forms = self.entry(f"nouns.{noun}")
        if n == 0 and "none" in forms:
            return str(forms["none"])
        return self.number(n, feminine=forms.get("gender") == "f")

    def join(self, items: list[str]) -> str:
        """ "a, b and c" / « a, b et c »."""
        items = [i for i in items if i]
        if len(items) <= 1:
            return items[0] if items else ""
        return f"{', '.join(items[:-1])} {self.word('and')} {items[-1]}"

    def percent(self, share: float) -> str:
        return self.fill(str(self.entry("percent")), n=round(share * 100))

    # -- dates -------------------------------------------------------------------
    def day(self, d: dt.date) -> str:
        return str(self.entry("first_day")) if d.day == 1 else str(d.day)

    def month(self, d: dt.date) -> str:
        return str(self.entry("months")[d.month - 1])

    def date(self, d: dt.date, *, year: bool = True) -> str:
        key = "date" if year else "date_no_year"
        return self.fill(str(self.entry(key)), day=self.day(d), month=self.month(d), year=d.year)

    def period(self, start: dt.date, end: dt.date, *, form: str = "period") -> str:
        """The span of a brief: ``form`` is "period" (running text: "between 1 and 8
        December 2025") or "title" ("1–8 December 2025")."""
        if (start.year, start.month) == (end.year, end.month):
            key = "same_month"
        elif start.year == end.year:
            key = "same_year"
        else:
            key = "other"
        return self.fill(
            str(self.entry(f"{form}.{key}")),
            d1=self.day(start),
            d2=self.day(end),
            m1=self.month(start),
            m2=self.month(end),
            y1=start.year,
            y2=end.year,
            month=self.month(end),
            year=end.year,
        )

    # -- likelihood ----------------------------------------------------------------
    def term(self, label: str) -> str:
        """The language's word for an ICD 203 label ("likely" → « probable »)."""
        return self.word(f"likelihood.{label.replace(' ', '_')}", default=label)

    def band(self, low: float, high: float, label: str | None = None) -> str:
        """The percentage band: the ICD 203 band of ``label`` when it is an ICD term,
        else ``low``-``high``."""
        for term, lo, hi in ICD_203:
            if term == label:
                low, high = lo, hi
        return self.fill(str(self.entry("band")), low=round(low * 100), high=round(high * 100))

    def quote(self, text: str) -> Quoted:
        """A source's words between the language's quotation marks."""
        open_, close = (str(m) for m in self.entry("quote_marks"))
        if self.lang == "fr":
            open_, close = open_ + NBSP, NBSP + close
        return Quoted(f"{open_}{text}{close}")


_VOWEL = "aeiouàâäéèêëîïôöùûüAEIOUÀÂÄÉÈÊËÎÏÔÖÙÛÜ"
_FR_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b([Dd])e le\b"), r"\1u"),
    (re.compile(r"\b([Dd])e les\b"), r"\1es"),
    (re.compile(r"\bà le\b"), "au"),
    (re.compile(r"\bÀ le\b"), "Au"),
    (re.compile(r"\bà les\b"), "aux"),
    (re.compile(r"\bÀ les\b"), "Aux"),
    (re.compile(r"\b([Dd])e Le\b"), r"\1u"),
    (re.compile(rf"\b(d|D|qu|Qu)e ([{_VOWEL}])"), r"\1'\2"),
)


@lru_cache(maxsize=4)
def _read(path: Path) -> dict[str, Any]:
    return read_toml(path, what="brief phrase file", missing="reinstall Tocsin or fix the path")


@per_knowledge_dir
def _bundled() -> dict[str, Any]:
    """The bundled phrases with the knowledge folder's."""
    return load_knowledge("brief_phrases")
