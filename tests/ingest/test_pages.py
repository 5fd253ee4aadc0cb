from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import article_html
from tocsin.errors import InputError
from tocsin.ingest.pages import parse_html
from tocsin.models import Precision


def test_article_metadata_and_text() -> None:
    html = article_html(1, url="https://www.lesahellibre.example/a/1").encode()
    page = parse_html(html, origin="a.html", min_words=25)
    assert page.title == "Blocus de Bamako : point de situation n°1"
    assert page.author == "Awa Traoré"
    assert page.site_name == "Le Sahel Libre"
    assert page.url == "https://www.lesahellibre.example/a/1"
    assert page.language == "fr"
    assert page.published == datetime(2025, 11, 4, 9, tzinfo=UTC)
    assert page.published_precision is Precision.DAY
    assert "Articles similaires" not in page.text and "Accueil" not in page.text
    assert "tous droits réservés" not in page.text
    assert page.text.count("\n\n") >= 3


@pytest.mark.parametrize(
    ("byline", "lang", "expected"),
    [
        ("Par Awa Traoré — 3 DÉC. 2025", "fr", datetime(2025, 12, 3, tzinfo=UTC)),
        ("Publié le 05/11/2025 à 10h30", "fr", datetime(2025, 11, 5, 10, 30, tzinfo=UTC)),
        ("By John Keita, Nov. 5, 2025", "en", datetime(2025, 11, 5, tzinfo=UTC)),
        ("Posted 11/05/2025", "en", datetime(2025, 11, 5, tzinfo=UTC)),
    ],
)
def test_visible_dates_french_and_english(byline: str, lang: str, expected: datetime) -> None:
    html = article_html(2, lang=lang, date_meta=None, byline=byline).encode()
    page = parse_html(html, origin="p.html")
    assert page.published == expected
    assert page.published_precision is Precision.DAY


@pytest.mark.parametrize(
    ("byline", "lang", "expected"),
    [
        ("Publié le 4 novembre 2025 à 9 h 12 min", "fr", datetime(2025, 11, 4, 9, 12, tzinfo=UTC)),
        ("Par Awa Traoré, 1er décembre 2025", "fr", datetime(2025, 12, 1, tzinfo=UTC)),
        ("mardi 2 décembre 2025 - 10:45", "fr", datetime(2025, 12, 2, 10, 45, tzinfo=UTC)),
        ("November 7, 2025 at 3:41 pm", "en", datetime(2025, 11, 7, 15, 41, tzinfo=UTC)),
        ("Publié le 25/11/2025", None, datetime(2025, 11, 25, tzinfo=UTC)),  # unambiguous
    ],
)
def test_more_visible_dates(byline: str, lang: str | None, expected: datetime) -> None:
    page = parse_html(_page(5, byline, lang), origin="p.html")
    assert page.published == expected
    assert page.published_precision is Precision.DAY


def _page(seed: int, byline: str, lang: str | None) -> bytes:
    """An article with no machine-readable date; ``lang=None``: no language declared."""
    html = article_html(seed, lang=lang or "fr", date_meta=None, byline=byline)
    return (html if lang else html.replace('<html lang="fr">', "<html>")).encode()


def test_month_only_date_keeps_its_precision() -> None:
    html = article_html(3, date_meta="2025-11", byline="Par la rédaction").encode()
    page = parse_html(html, origin="p.html")
    assert page.published == datetime(2025, 11, 1, tzinfo=UTC)
    assert page.published_precision is Precision.MONTH
    page = parse_html(_page(3, "Par la rédaction — novembre 2025", "fr"), origin="p.html")
    assert page.published == datetime(2025, 11, 1, tzinfo=UTC)
    assert page.published_precision is Precision.MONTH


@pytest.mark.parametrize(
    ("byline", "lang"),
    [
        ("Par la rédaction", "fr"),
        ("Publié il y a deux jours", "fr"),  # we do not know the page's "now"
        ("Mis à jour hier à 10h30", "fr"),
        ("Updated 2 hours ago", "en"),
        ("Publié le 05/11/2025", None),  # ambiguous, and the page gives no language
    ],
)
def test_no_date_is_invented(byline: str, lang: str | None) -> None:
    page = parse_html(_page(4, byline, lang), origin="p.html")
    assert page.published is None and page.published_precision is None


def test_cp1252_declared_as_utf8_and_the_reverse() -> None:
    text = article_html(5, date_meta=None)
    lying_cp1252 = text.encode("cp1252", errors="replace")  # declares utf-8
    page = parse_html(lying_cp1252, origin="a.html")
    assert "sécuritaire" in page.text or "à" in page.text
    assert "\ufffd" not in page.text
    lying_utf8 = article_html(5, date_meta=None, charset="windows-1252").encode("utf-8")
    page2 = parse_html(lying_utf8, origin="b.html")
    assert "Ã©" not in page2.text and "\ufffd" not in page2.text
    assert page.text == page2.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
        (b"", "empty"),
        (b"   \n  ", "empty"),
        (
            b"<html><body><nav><a href='/'>Accueil</a></nav></body></html>",
            "not look like an article",
        ),
    ],
)
def test_bad_pages_get_one_clear_line(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_html(data, origin="bad.html", min_words=25)
    text = str(caught.value)
    assert text.startswith("bad.html: ") and message in text and "\n" not in text


def test_truncated_html_still_yields_the_article() -> None:
    html = article_html(6).encode()
    cut = html[: int(len(html) * 0.7)]
    page = parse_html(cut, origin="cut.html", min_words=10)
    assert page.title and len(page.text.split()) > 20
