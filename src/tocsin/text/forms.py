"""Whether a text reads as an article or as a short report: a property of the document
(``Document.form``), never a reason to drop it.

A short report is a one-line note, a post, an ACLED-style event note, a two-sentence
report: fewer than :data:`ARTICLE_WORDS` words, unless it is set out as an article is,
in :data:`ARTICLE_PARAGRAPHS` paragraphs or more of :data:`PARAGRAPHED_WORDS` words in
all. Read by ``ingest/documents.py`` for each new document and by the migration that
gave the stored ones their form.
"""

from __future__ import annotations

import re

from tocsin.models import Form

__all__ = ["ARTICLE_PARAGRAPHS", "ARTICLE_WORDS", "PARAGRAPHED_WORDS", "text_form"]

ARTICLE_WORDS = 150
ARTICLE_PARAGRAPHS = 3
PARAGRAPHED_WORDS = 80
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def text_form(text: str) -> Form:
    """``Form.ARTICLE`` for a long or paragraphed text, else ``Form.REPORT``."""
    words = len(text.split())
    if words >= ARTICLE_WORDS:
        return Form.ARTICLE
    if words >= PARAGRAPHED_WORDS:
        paragraphs = sum(1 for block in _PARAGRAPH_BREAK.split(text) if block.strip())
        if paragraphs >= ARTICLE_PARAGRAPHS:
            return Form.ARTICLE
    return Form.REPORT
