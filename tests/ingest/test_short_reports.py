"""Short reports are documents (issue 16): a one-line note, a post, a two-sentence
report is read whole from a file, a folder, JSON lines, stdin or a feed, and its form
says it is a report; only a text with no words, or a page of links, is refused."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.factories import article_text
from tocsin.errors import InputError
from tocsin.ingest.documents import build_document
from tocsin.ingest.feeds import FeedEntry
from tocsin.ingest.fetch import Fetcher
from tocsin.ingest.pages import parse_html
from tocsin.ingest.read import (
    FeedItem,
    Page,
    Read,
    Unreadable,
    folder_files,
    read_entry,
    read_file,
    read_stdin,
)
from tocsin.ingest.text import parse_text
from tocsin.knowledge.outlets import OutletRegistry
from tocsin.models import Form
from tocsin.text.forms import text_form

NOW = datetime(2025, 10, 5, 8, 0, tzinfo=UTC)
ONE_LINE = "Le JNIM a attaqué un convoi de camions-citernes près de Ségou."
TWO_SENTENCES = (
    "Des hommes armés ont incendié trois camions près de Kati (Koulikoro) mardi. "
    "Deux chauffeurs ont été tués, selon une source sécuritaire."
)


def _no_fetcher() -> Fetcher:
    raise AssertionError("nothing to fetch")


def _pages(reads: list[Read]) -> list[Page]:
    assert all(isinstance(r, Page) for r in reads), reads
    return [r for r in reads if isinstance(r, Page)]


def _form(page: Page) -> Form:
    registry, langs = OutletRegistry.load(), ("fr", "en")
    return build_document(page.page, registry=registry, languages=langs, fetched_at=NOW).form


@pytest.mark.parametrize("note", [ONE_LINE, TWO_SENTENCES], ids=["one-line", "two-sentences"])
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_note_in_a_file_is_its_own_body(tmp_path: Path, note: str, suffix: str) -> None:
    path = tmp_path / f"note{suffix}"
    path.write_text(note + "\n", encoding="utf-8")
    [page] = _pages(list(read_file(path, max_bytes=10**6, min_words=25)))
    assert page.page.text == note and _form(page) is Form.REPORT


# One-line reports that start like a page's header (a date, "De …", "By …") are sentences.
HEADER_LIKE = [
    "On 3 December 2025, gunmen killed three herders near Boni.",
    "Le 3 décembre 2025, des hommes armés ont tué trois bergers près de Boni.",
    "3 December 2025: gunmen killed three herders near Boni.",
    "De nombreux civils ont été tués à Boni le 3 décembre.",
    "By nightfall, gunmen had killed three herders near Boni.",
]


@pytest.mark.parametrize("note", HEADER_LIKE)
def test_a_one_line_report_that_names_a_date_or_starts_like_a_byline_is_kept(
    tmp_path: Path, note: str
) -> None:
    path = tmp_path / "note.txt"
    path.write_text(note, encoding="utf-8")
    [page] = _pages(list(read_file(path, max_bytes=10**6, min_words=25)))
    assert page.page.text == note and _form(page) is Form.REPORT


def test_header_date_and_byline_lines_of_a_page_copy_are_still_read() -> None:
    text = "Attaque près de Boni\nPar Awa Traoré\n3 DÉC. 2025\n\n" + TWO_SENTENCES + "\n"
    page = parse_text(text, origin="copy.txt", lang_hint="fr")
    assert (page.title, page.author, page.text) == (
        "Attaque près de Boni",
        "Awa Traoré",
        TWO_SENTENCES,
    )
    assert page.published is not None and page.published.date().isoformat() == "2025-12-03"


def test_two_sentences_on_two_lines_are_one_body(tmp_path: Path) -> None:
    first, second = TWO_SENTENCES.split(". ", 1)
    path = tmp_path / "note.txt"
    path.write_text(f"{first}.\n{second}\n", encoding="utf-8")
    [page] = _pages(list(read_file(path, max_bytes=10**6, min_words=25)))
    # a first line that ends as a sentence does is the first sentence, not a title
    assert page.page.title is None and page.page.text == f"{first}.\n{second}"


def test_a_title_line_stays_a_title_and_a_lone_title_is_the_body() -> None:
    titled = parse_text("Attaque près de Kati\n\n" + TWO_SENTENCES, origin="a.txt")
    assert (titled.title, titled.text) == ("Attaque près de Kati", TWO_SENTENCES)
    alone = parse_text("Explosion entendue à Gao\nPar Awa Traoré\n", origin="b.txt")
    assert (alone.title, alone.text, alone.author) == (
        "Explosion entendue à Gao", "Explosion entendue à Gao", "Awa Traoré",
    )  # fmt: skip
    heading = parse_text("# Explosion entendue à Gao\n", origin="c.md", markdown=True)
    assert (heading.title, heading.text) == ("Explosion entendue à Gao",) * 2


def test_a_folder_of_notes_and_json_lines_of_notes(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text(ONE_LINE, encoding="utf-8")
    (folder / "b.md").write_text(TWO_SENTENCES, encoding="utf-8")
    (folder / "c.jsonl").write_text(
        "\n".join(json.dumps({"text": t}) for t in (ONE_LINE, TWO_SENTENCES)), encoding="utf-8"
    )
    texts = []
    for file in folder_files(folder):
        for page in _pages(list(read_file(file, max_bytes=10**6, min_words=25))):
            assert _form(page) is Form.REPORT
            texts.append(page.page.text)
    assert texts == [ONE_LINE, TWO_SENTENCES, ONE_LINE, TWO_SENTENCES]  # one per line


@pytest.mark.parametrize("note", [ONE_LINE, TWO_SENTENCES], ids=["one-line", "two-sentences"])
def test_a_note_on_stdin(note: str) -> None:
    [page] = _pages(list(read_stdin(io.BytesIO(note.encode()), max_bytes=10**6, min_words=25)))
    assert page.page.text == note and page.page.origin == "stdin"
    assert _form(page) is Form.REPORT


def test_empty_text_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text(" \n\n\t\n")
    [blank] = read_file(tmp_path / "blank.txt", max_bytes=10**6, min_words=25)
    assert isinstance(blank, Unreadable) and "\n" not in blank.error
    assert blank.error == f"{tmp_path / 'blank.txt'}: no text; check the file: it is empty or blank"


def test_a_short_post_page_is_kept_and_a_page_of_links_is_not() -> None:
    post = f"<html><body><article><p>{TWO_SENTENCES}</p></article></body></html>"
    assert parse_html(post.encode(), origin="post.html", min_words=25).text == TWO_SENTENCES
    menu = (
        "<html><body><ul><li><a href='/1'>Mali : attaque près de Kati.</a></li>"
        "<li><a href='/2'>Niger : Niamey</a></li></ul></body></html>"
    )
    with pytest.raises(InputError, match="does not look like an article"):
        parse_html(menu.encode(), origin="home.html", min_words=25)


def _entry(text: str | None, link: str | None) -> FeedItem:
    html = "".join(f"<p>{p}</p>" for p in text.split("\n\n")) if text else None
    entry = FeedEntry(
        link=link, title="Note", author=None, published=None, published_precision=None,
        content_html=html, language="fr",
    )  # fmt: skip
    return FeedItem(link or "feed.xml#1", entry, outlet="Le Fil")


def test_a_short_feed_item_is_kept() -> None:
    [alone] = _pages(list(read_entry(_entry(ONE_LINE, None), fetcher=_no_fetcher, min_words=25)))
    assert alone.page.text == ONE_LINE and alone.outlet == "Le Fil"
    long = article_text(3)
    [full] = _pages(list(read_entry(_entry(long, "https://x.example/a"), fetcher=_no_fetcher,
                                    min_words=25)))  # fmt: skip
    assert full.page.text == long and _form(full) is Form.ARTICLE


def test_text_form() -> None:
    assert text_form(ONE_LINE) is Form.REPORT and text_form(TWO_SENTENCES) is Form.REPORT
    assert text_form(article_text(1)) is Form.ARTICLE
    assert text_form(" ".join(["mot"] * 150)) is Form.ARTICLE
    assert text_form("\n\n".join([" ".join(["mot"] * 30)] * 3)) is Form.ARTICLE
    assert text_form("\n\n".join([" ".join(["mot"] * 20)] * 3)) is Form.REPORT
