"""Text written by strangers made safe to put on one line: in a title, an email header,
a table cell. Escaping for HTML is the templates' job (Jinja2 autoescape)."""

from __future__ import annotations

import re

# Control characters, bidi overrides and isolates, line and paragraph separators,
# lone surrogates and non-characters.
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def one_line(text: str | None, limit: int | None = None) -> str:
    """``text`` on one line: control and bidi characters dropped, every run of white
    space one space, at most ``limit`` characters (cut with "…")."""
    flat = " ".join(_CONTROL.sub(" ", text or "").split())
    if limit is None or len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"
