"""Hostile input: the page and text parsers raise nothing but ``InputError``, and comment
text never leaks into the article body."""

from __future__ import annotations

import contextlib
import html

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import article_html, article_text
from tocsin.errors import InputError
from tocsin.ingest.pages import parse_html
from tocsin.ingest.text import parse_jsonl, parse_text

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçABCDEFGHIJ", min_size=3, max_size=12)
COMMENT = st.lists(WORDS, min_size=4, max_size=20).map(lambda ws: "zq " + " ".join(ws) + " qz")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _wp(comments: list[str]) -> str:
    items = "".join(
        f'<li id="comment-{i}" class="comment"><article class="comment-body"><footer '
        f'class="comment-meta"><b class="fn">Lecteur {i}</b></footer><div class="comment-content">'
        f"<p>{html.escape(text)}</p></div></article></li>"
        for i, text in enumerate(comments)
    )
    heading = f"<h2>{len(comments)} commentaires</h2>"
    return f'<div id="comments">{heading}<ol class="comment-list">{items}</ol></div>'


@FUZZ
@given(st.binary(max_size=3000))
def test_html_parser_on_arbitrary_bytes(data: bytes) -> None:
    try:
        parse_html(data, origin="fuzz.html", min_words=5)
    except InputError as exc:
        assert str(exc).startswith("fuzz.html: ") and "\n" not in str(exc)


@FUZZ
@given(st.text(max_size=3000))
def test_html_parser_on_arbitrary_markup(text: str) -> None:
    page = "<html><body><article><p>" + text + "</p></article></body></html>"
    with contextlib.suppress(InputError):
        parse_html(page.encode("utf-8", "surrogatepass"), origin="fuzz.html")


@FUZZ
@given(st.lists(COMMENT, min_size=1, max_size=12), st.integers(0, 10_000))
def test_html_comments_never_in_body(comments: list[str], seed: int) -> None:
    page = parse_html(article_html(seed, comments_html=_wp(comments)).encode(), origin="p.html")
    assert "zq " not in page.text
    assert [c.text for c in page.comments] == comments


@FUZZ
@given(st.lists(COMMENT, min_size=1, max_size=12), st.integers(0, 10_000))
def test_text_comments_never_in_body(comments: list[str], seed: int) -> None:
    thread = "\n\n".join(
        f"Lecteur {i}\n4 novembre 2025 à 9 h {10 + i} min\n\n{text}\n\nRépondre"
        for i, text in enumerate(comments)
    )
    heading = f"{len(comments)} Commentaires"
    source = f"Titre\nPar Awa Traoré\n\n{article_text(seed)}\n\n{heading}\n\n{thread}\n"
    page = parse_text(source, origin="p.txt")
    assert "zq " not in page.text and "Répondre" not in page.text
    assert [c.text for c in page.comments] == comments


@FUZZ
@given(st.text(max_size=3000))
def test_text_and_jsonl_parsers_on_arbitrary_text(text: str) -> None:
    parse_text(text, origin="fuzz.txt")
    for item in parse_jsonl(text, origin="fuzz.jsonl"):
        if isinstance(item, InputError):
            assert "\n" not in str(item)
