"""Reader comments split from articles: golden files, properties, scale.

Golden files live next to their inputs in tests/fixtures/comments/ as NAME.expected.json.
Refresh them with ``TOCSIN_REFRESH_GOLDEN=1 pytest tests/ingest/test_comments.py``, then read
the diff by hand: a golden file is only worth what its last reading was.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tocsin.errors import InputError
from tocsin.ingest.comments.disqus import looks_like_disqus, parse_disqus_export
from tocsin.ingest.comments.html import split_html_comments
from tocsin.ingest.comments.text import is_marker, split_text_comments
from tocsin.models import Comment, Precision

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "comments"
REFRESH = os.environ.get("TOCSIN_REFRESH_GOLDEN") == "1"

HTML_CASES = [
    ("wp_blocus_bamako.html", None),
    ("en_convoys_data_parent.html", None),
    ("microdata_convoi_kayes.html", "fr"),
    ("flat_div_wrappers_fr.html", None),
    ("no_comments_fama.html", None),
]
TEXT_CASES = [
    ("text_fr_indented.txt", None),
    ("text_en_says.txt", "en"),
    ("text_fr_reply_prefix.txt", None),
    ("text_fr_dit_form.txt", "fr"),
    ("text_no_comments.txt", None),
]


def _comment_json(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": comment.author,
        "posted": comment.posted.isoformat() if comment.posted else None,
        "posted_precision": comment.posted_precision.value if comment.posted_precision else None,
        "language": comment.language,
        "text": comment.text,
    }


def _html_text(tree: lxml.html.HtmlElement) -> str:
    body = tree.find(".//body")
    return " ".join((body if body is not None else tree).text_content().split())


def _check_golden(name: str, actual: dict[str, Any]) -> None:
    path = FIXTURES / f"{Path(name).stem}.expected.json"
    if REFRESH:
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected


def _check_threads(comments: tuple[Comment, ...]) -> None:
    """Ids c1..cN in order; a parent is always an earlier comment; posted is aware UTC."""
    seen: set[str] = set()
    for n, comment in enumerate(comments, start=1):
        assert comment.id == f"c{n}"
        assert comment.parent_id is None or comment.parent_id in seen
        assert comment.text.strip()
        assert comment.language is None
        if comment.posted is None:
            assert comment.posted_precision is None
        else:
            assert comment.posted.utcoffset() == timedelta(0)
            assert comment.posted_precision is Precision.DAY
        for para in comment.text.split("\n\n"):
            assert para == para.strip() and "\n" not in para
            assert not is_marker(para)
        seen.add(comment.id)


def _assert_no_comment_in(body: str, comments: tuple[Comment, ...]) -> None:
    flat = " ".join(body.split())
    for comment in comments:
        for para in comment.text.split("\n\n"):
            assert para[:60] not in flat, (comment.id, para)


# --- golden files -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "lang_hint"), HTML_CASES)
def test_html_golden(name: str, lang_hint: str | None) -> None:
    tree = lxml.html.fromstring((FIXTURES / name).read_bytes())
    before = lxml.html.tostring(tree)
    article, comments = split_html_comments(tree, lang_hint=lang_hint)
    assert lxml.html.tostring(tree) == before, "the input tree must not be changed"
    assert article is not tree
    _check_threads(comments)
    body = _html_text(article)
    _assert_no_comment_in(body, comments)
    _check_case(name, lang_hint, body, comments)


def test_html_without_comments_is_untouched() -> None:
    tree = lxml.html.fromstring((FIXTURES / "no_comments_fama.html").read_bytes())
    article, comments = split_html_comments(tree)
    assert comments == ()
    assert lxml.html.tostring(article) == lxml.html.tostring(tree)


def _check_case(name: str, lang_hint: str | None, body: str, comments: Any) -> None:
    record = {"input": name, "lang_hint": lang_hint, "body": body}
    _check_golden(name, {**record, "comments": [_comment_json(c) for c in comments]})


@pytest.mark.parametrize(("name", "lang_hint"), TEXT_CASES)
def test_text_golden(name: str, lang_hint: str | None) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    body, comments = split_text_comments(text, lang_hint=lang_hint)
    _check_threads(comments)
    _assert_no_comment_in(body, comments)
    assert not any(is_marker(line) for line in body.splitlines())
    assert text.startswith(body)
    _check_case(name, lang_hint, body, comments)


def test_text_without_comments_is_unchanged() -> None:
    text = (FIXTURES / "text_no_comments.txt").read_text(encoding="utf-8")
    assert split_text_comments(text) == (text, ())


def test_disqus_golden() -> None:
    threads = parse_disqus_export((FIXTURES / "disqus_export.xml").read_bytes())
    for comments in threads.values():
        _check_threads(comments)
    _check_golden(
        "disqus_export.xml",
        {link: [_comment_json(c) for c in comments] for link, comments in threads.items()},
    )


# --- single behaviours --------------------------------------------------------------


def test_numeric_date_without_language_is_not_guessed() -> None:
    tree = lxml.html.fromstring((FIXTURES / "microdata_convoi_kayes.html").read_bytes())
    _, comments = split_html_comments(tree)  # no lang attribute, no hint
    assert comments[1].text.startswith("Les chauffeurs refusent")
    assert comments[1].posted is None and comments[1].posted_precision is None
    _, comments = split_html_comments(tree, lang_hint="en")
    assert comments[1].posted == datetime(2025, 5, 11, tzinfo=UTC)


def test_unambiguous_numeric_date_needs_no_language() -> None:
    text = (
        "Article.\n\n2 comments\n\nAwa\n25/11/2025\nTexte.\nReply\n\n"
        "Ben\n05/11/2025\nTexte deux.\nReply\n"
    )
    _, comments = split_text_comments(text)
    assert comments[0].posted == datetime(2025, 11, 25, tzinfo=UTC)
    assert comments[1].posted is None  # English cues do not say US or UK order: no guess
    _, comments = split_text_comments(text, lang_hint="en")
    assert comments[1].posted == datetime(2025, 5, 11, tzinfo=UTC)


def test_empty_comment_area_and_form_are_removed() -> None:
    html = (
        "<html><body><article><h1>Convoi</h1><p>Le convoi est arrivé à Kati.</p></article>"
        "<div id='comments' class='comments-area'><h2>0 commentaires</h2>"
        "<div id='respond'><h3>Laisser un commentaire</h3><form><textarea></textarea>"
        "</form></div></div><footer><p>Pied de page</p></footer></body></html>"
    )
    article, comments = split_html_comments(lxml.html.fromstring(html))
    assert comments == ()
    assert article.xpath("//*[@id='comments' or @id='respond' or self::form]") == []
    assert [p.text for p in article.iter("p")] == ["Le convoi est arrivé à Kati.", "Pied de page"]


def test_unusual_visible_date_goes_to_dateparser() -> None:
    html = (
        "<html><body><p>Article.</p><ol class='commentlist'><li class='comment'>"
        "<span class='fn'>Awa</span><span class='comment-date'>Tuesday the 4th of November 2025"
        "</span><div class='comment-content'><p>Texte.</p></div></li></ol></body></html>"
    )
    _, comments = split_html_comments(lxml.html.fromstring(html), lang_hint="en")
    assert comments[0].posted == datetime(2025, 11, 4, tzinfo=UTC)


@pytest.mark.parametrize("when", ["il y a 3 heures", "il y a deux jours", "hier à 10h30"])
def test_relative_date_is_a_date_line_but_no_date(when: str) -> None:
    text = f"Article.\n\nCommentaires\n\nAwa\n{when}\nLe convoi est passé.\nRépondre\n"
    body, comments = split_text_comments(text)
    assert body == "Article."
    assert comments == (Comment(id="c1", text="Le convoi est passé.", author="Awa"),)


@pytest.mark.parametrize(
    ("time_el", "expected"),
    [
        ("<time datetime='2025-11-04T09:12:00+01:00'>4 nov.</time>", datetime(2025, 11, 4, 8, 12)),
        ("<time>4 novembre 2025 à 9 h 12 min</time>", datetime(2025, 11, 4, 9, 12)),
        ("<time datetime='2025-11'>novembre 2025</time>", None),  # a comment needs a day
        ("<span class='comment-date'>novembre 2025</span>", None),
        ("<span class='comment-date'>il y a deux jours</span>", None),
    ],
)
def test_html_comment_dates(time_el: str, expected: datetime | None) -> None:
    html = (
        "<html><body><p>Article.</p><ol class='commentlist'><li class='comment'>"
        f"<span class='fn'>Awa</span>{time_el}<div class='comment-content'><p>Texte.</p></div>"
        "</li></ol></body></html>"
    )
    _, comments = split_html_comments(lxml.html.fromstring(html), lang_hint="fr")
    assert comments[0].posted == (expected.replace(tzinfo=UTC) if expected else None)
    assert comments[0].posted_precision is (Precision.DAY if expected else None)


def test_marker_before_text_does_not_lose_the_text() -> None:
    text = (
        "Article.\n\n2 commentaires\n\nAwa\n4 novembre 2025\nRépondre\nPremier texte.\n\n"
        "Moussa\n5 novembre 2025\nRépondre\nSecond texte.\n"
    )
    _, comments = split_text_comments(text)
    assert [(c.author, c.text) for c in comments] == [
        ("Awa", "Premier texte."),
        ("Moussa", "Second texte."),
    ]


def test_comment_without_marker_is_not_merged_with_the_next() -> None:
    text = (
        "Article.\n\n14 Comments\n\nAwa\nNovember 4, 2025\nFirst.\n\n"
        "Ben\nNovember 5, 2025\nSecond.\nReply\n"
    )
    _, comments = split_text_comments(text)
    assert [c.text for c in comments] == ["First.", "Second."]


@pytest.mark.parametrize(
    "heading", ["22 Commentaires", "1 commentaire", "One comment", "Comments (3)", "Réactions"]
)
def test_heading_forms(heading: str) -> None:
    text = f"Article.\n\n{heading}\n\nAwa\n4 novembre 2025\nTexte.\nRépondre\n"
    body, comments = split_text_comments(text)
    assert body == "Article." and len(comments) == 1


def test_disqus_rejects_what_is_not_an_export() -> None:
    with pytest.raises(InputError, match="Disqus export: not well-formed XML"):
        parse_disqus_export(b"<disqus><post>")
    with pytest.raises(InputError, match="not <disqus>"):
        parse_disqus_export(b"<rss><channel/></rss>")


def test_disqus_export_is_recognised_by_its_root() -> None:
    assert looks_like_disqus((FIXTURES / "disqus_export.xml").read_bytes())
    assert looks_like_disqus(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- export --><disqus/>")
    assert not looks_like_disqus(b"<?xml version='1.0'?><rss><channel/></rss>")
    assert not looks_like_disqus(b"<html><body>disqus</body></html>")


def test_disqus_does_not_resolve_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file://{secret}">]>'
        '<disqus><thread id="1"><link>https://x.example/a</link></thread>'
        '<post id="2"><message>avant &e; après</message><thread id="1"/></post></disqus>'
    ).encode()
    threads = parse_disqus_export(xml)
    assert "SECRET" not in json.dumps({k: [c.text for c in v] for k, v in threads.items()})


# --- properties ---------------------------------------------------------------------

_AUTHORS = ["Moussa Traoré", "Awa", "Ibrahim Keïta", "J. Mensah", "sahel_watcher"]
_DATES = [
    "4 novembre 2025 à 9 h 12 min",
    "November 7, 2025 at 3:41 pm",
    "05/11/2025",
    "2025-11-06 08:00",
    "il y a 2 jours",
]
_MARKERS = ["Répondre", "Reply", "Répondre ↓", "Reply ↓", "  Répondre", "\tReply"]
_WORDS = ["le", "convoi", "de", "citernes", "attend", "à", "Diboli", "depuis", "trois", "jours"]
_LINE_PIECES = [
    *_AUTHORS,
    *_DATES,
    *_MARKERS,
    *(f"{a} dit :" for a in _AUTHORS),
    *(f"{a} says:" for a in _AUTHORS),
    *(f"En réponse à {a}" for a in _AUTHORS),
    *(f"@{a.split()[0]} oui" for a in _AUTHORS),
    "22 commentaires",
    "Comments (3)",
    "Laisser un commentaire",
    "Leave a Reply",
    "",
    "    ",
    "Le blocus du carburant continue.",
]

_article = st.lists(
    st.text(st.characters(codec="utf-8"), max_size=80).filter(
        lambda s: not any(is_marker(line) for line in s.splitlines())
    ),
    max_size=6,
)
_indent = st.sampled_from(["", "    ", "        ", "\t", "\t\t"])
_section = st.lists(
    st.tuples(_indent, st.sampled_from(_LINE_PIECES) | st.text(max_size=40)),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_text_never_raises(text: str) -> None:
    body, comments = split_text_comments(text)
    _check_threads(comments)
    if not comments:
        assert text.startswith(body)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_article, st.sampled_from(["3 commentaires", "14 Comments", "Réactions"]), _section)
def test_comment_like_lines_leave_no_marker(
    article: list[str], heading: str, section: list[tuple[str, str]]
) -> None:
    lines = [*article, heading, *(indent + piece for indent, piece in section), "Répondre"]
    text = "\n".join(lines)
    body, comments = split_text_comments(text)
    _check_threads(comments)
    assert text.startswith(body)
    assert not any(is_marker(line) for line in body.splitlines())


@st.composite
def _threads(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, int]]]:
    """A well-formed section: (text, [(author, text, depth)])."""
    count = draw(st.integers(1, 12))
    out: list[tuple[str, str, int]] = []
    depth = 0
    for n in range(count):
        depth = draw(st.integers(0, depth + 1)) if n else 0
        author = draw(st.sampled_from(_AUTHORS))
        paras = draw(
            st.lists(
                st.lists(st.sampled_from(_WORDS), min_size=4, max_size=12).map(" ".join),
                min_size=1,
                max_size=3,
            )
        )
        out.append((author, "\n\n".join(p.capitalize() + "." for p in paras), depth))
    chunks = ["Le blocus continue.", "", f"{count} commentaires", ""]
    for author, text, depth in out:
        pad = "    " * depth
        chunks += [pad + author, pad + "4 novembre 2025 à 9 h 12 min"]
        chunks += [pad + line if line else "" for line in text.split("\n")]
        chunks += [pad + "Répondre", ""]
    return "\n".join(chunks), out


@settings(max_examples=200, deadline=None)
@given(_threads())
def test_well_formed_sections_round_trip(case: tuple[str, list[tuple[str, str, int]]]) -> None:
    text, expected = case
    body, comments = split_text_comments(text)
    assert body == "Le blocus continue."
    assert [(c.author, c.text) for c in comments] == [(a, t) for a, t, _ in expected]
    last_at_depth: dict[int, str] = {}
    for comment, (_, _, depth) in zip(comments, expected, strict=True):
        assert comment.parent_id == (last_at_depth[depth - 1] if depth else None)
        last_at_depth[depth] = comment.id


_HTML_PIECES = [
    "<div id='comments'>", "<ol class='commentlist'>", "<li class='comment' id='comment-1'>",
    "<article class='comment' data-parent='1' id='c2'>", "<div class='comment'>",
    "<div itemscope itemtype='https://schema.org/Comment'>", "<span itemprop='author'>",
    "<b class='fn'>Awa</b>", "<time datetime='2025-11-04T09:12:00Z'>", "<time datetime='x'>",
    "<div class='comment-content'>", "<ol class='children'>", "<p>", "</p>", "</div>", "</li>",
    "</ol>", "</article>", "<div id='respond'><form><textarea></textarea></form></div>",
    "<h2>3 commentaires</h2>", "Répondre", "Reply", "4 novembre 2025", "05/11/2025",
    "Le convoi est passé.", "<br>", "<!-- c -->", "<script>x</script>", "&amp;", "<",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HTML_PIECES) | st.text(max_size=20), max_size=60))
def test_html_never_raises(pieces: list[str]) -> None:
    try:
        tree = lxml.html.fromstring("".join(pieces) or " ")
    except (lxml.etree.ParserError, ValueError):
        return
    before = lxml.html.tostring(tree)
    article, comments = split_html_comments(tree)
    _check_threads(comments)
    assert lxml.html.tostring(tree) == before
    lxml.html.tostring(article)


# --- scale --------------------------------------------------------------------------


def _timed(label: str, func: Any, *args: Any) -> Any:
    start = time.perf_counter()
    result = func(*args)
    print(f"{label}: {time.perf_counter() - start:.3f} s")  # figures only; bench/ owns speed
    return result


def test_two_thousand_comments() -> None:
    items = "".join(
        f"<li class='comment' id='comment-{n}'><b class='fn'>Lecteur {n % 50}</b>"
        f"<time datetime='2025-11-04T09:{n % 60:02d}:00Z'></time>"
        f"<div class='comment-content'><p>Le convoi numéro {n} est arrivé à Kati.</p></div>"
        + "<ol class='children'><li class='comment'><b class='fn'>Awa</b>"
        f"<div class='comment-content'><p>Réponse {n}.</p></div></li></ol></li>"
        for n in range(1000)
    )  # fmt: skip
    html = f"<html><body><p>Article.</p><ol class='commentlist'>{items}</ol></body></html>"
    tree = lxml.html.fromstring(html)
    article, comments = _timed("html 2000", split_html_comments, tree)
    assert len(comments) == 2000 and _html_text(article) == "Article."

    lines = ["Article.", "", "2000 commentaires", ""]
    for n in range(2000):
        pad = "    " * (n % 4)
        day = n % 28 + 1
        lines += [f"{pad}Lecteur {n}", f"{pad}{day} novembre 2025 à 9 h {n % 60:02d} min"]
        lines += [f"{pad}Le convoi numéro {n} est arrivé.", f"{pad}Répondre", ""]
    body, text_comments = _timed("text 2000", split_text_comments, "\n".join(lines))
    assert body == "Article." and len(text_comments) == 2000
    assert text_comments[1].parent_id == "c1" and text_comments[4].parent_id is None
