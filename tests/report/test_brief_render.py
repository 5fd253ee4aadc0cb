"""Rendering briefs: Markdown footnotes, HTML with escaped sources' words and inline
style only, a PDF whose text a reader library extracts, and ``tocsin brief`` run as a
command (Markdown to stdout, PDF to a file)."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest

from tocsin.app.briefs import build_brief
from tocsin.errors import InputError
from tocsin.geo.areas import resolve_area
from tocsin.models import Brief, BriefSection, Citation, Sentence
from tocsin.report.brief.render import render_brief
from tocsin.store import Store

NOW = datetime(2025, 12, 8, 18, 0, tzinfo=UTC)
HOSTILE = 'Il a dit <script>alert("x")</script> & *rien* [lien](javascript:alert(1))'
WIRE = Citation(
    document_id="d9e8", quote="Au moins 12 chauffeurs ont été tués.", source="Agence Sahel Presse",
    reliability="B", credibility=2, url="https://www.asp.example/kati", title="Kati : 12 morts",
    published=date(2025, 11, 4), ref_id="ev50",
)  # fmt: skip
TROLL = Citation(
    document_id="dc01", quote=HOSTILE, source="Le Sahel Libre", reliability="D",
    url="javascript:alert(1)", title=None, published=date(2025, 11, 4),
)  # fmt: skip


def _brief() -> Brief:
    return Brief(
        id="b1", area="Bamako", lang="fr",
        title="Bamako : note de situation du 2 au 8 décembre 2025",
        period_start=date(2025, 12, 2), period_end=date(2025, 12, 8),
        sections=(
            BriefSection("key_points", "Points clés", (
                Sentence("Une attaque près de Kati a fait au moins 12 morts.", (WIRE,)),
                Sentence("Le bilan est contesté.", (WIRE, TROLL)),
            )),
            BriefSection("actors", "Acteurs", (
                Sentence("JNIM"),
                Sentence("Aucun événement n'est attribué au JNIM.", (WIRE,)),
                Sentence("Un second constat.", (TROLL,)),
            )),
        ),
        created=NOW,
    )  # fmt: skip


def test_markdown_numbers_each_quote_once_as_a_footnote() -> None:
    n = "\u00a0"  # French quotation marks take no-break spaces
    assert render_brief(_brief(), "md").decode("utf-8") == (
        "# Bamako : note de situation du 2 au 8 décembre 2025\n"
        "\n"
        "*Situation au 8 décembre 2025*\n"
        "\n"
        "## Points clés\n"
        "\n"
        "- Une attaque près de Kati a fait au moins 12 morts.[^1]\n"
        "- Le bilan est contesté.[^1][^2]\n"
        "\n"
        "## Acteurs\n"
        "\n"
        "### JNIM\n"
        "\n"
        "Aucun événement n'est attribué au JNIM.[^1] Un second constat.[^2]\n"
        "\n"
        f"[^1]: «{n}Au moins 12 chauffeurs ont été tués.{n}» — Agence Sahel Presse (B2), "
        f"4 novembre 2025, «{n}Kati : 12 morts{n}», d9e8. <https://www.asp.example/kati>\n"
        f'[^2]: «{n}Il a dit \\<script\\>alert("x")\\</script\\> & \\*rien\\* '
        f"\\[lien\\](javascript:alert(1)){n}» — Le Sahel Libre (D), 4 novembre 2025, dc01.\n"
    )


def test_html_escapes_sources_words_and_uses_inline_style_only() -> None:
    html = render_brief(_brief(), "html").decode("utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; *rien*" in html
    assert 'href="javascript' not in html
    assert "<style" not in html and "<link" not in html and "src=" not in html
    assert html.count('<li id="note-') == 2
    assert '<a href="#note-1" style="color:#7a1f1f;text-decoration:none">1</a>,' in html
    assert '<a href="https://www.asp.example/kati" style="color:#7a1f1f">' in html
    assert '<h3 style="font-size:16px;margin:18px 0 6px 0">JNIM</h3>' in html


def test_unknown_format_is_a_one_line_error() -> None:
    with pytest.raises(InputError, match="format 'docx': not a brief format; use one of md"):
        render_brief(_brief(), "docx")


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_text_is_extractable_with_accents(demo_store: Store) -> None:
    brief = build_brief(
        demo_store, area=resolve_area("Bamako"), period_end=date(2025, 12, 8), period_days=30,
        lang="fr", now=NOW,
    )  # fmt: skip
    data = render_brief(brief, "pdf")
    assert data.startswith(b"%PDF-") and render_brief(brief, "pdf") == data  # reproducible
    text = " ".join(_pdf_text(data).split())
    assert "Bamako : note de situation du 9 novembre au 8 décembre 2025" in text
    first_point = brief.sections[0].sentences[0].text
    assert " ".join(first_point.split())[:60] in text
    assert "événements" in text and "Scénarios" in text and "Notes" in text


def test_pdf_of_a_hand_built_brief_keeps_hostile_text_as_text() -> None:
    text = " ".join(_pdf_text(render_brief(_brief(), "pdf")).split())
    assert '<script>alert("x")</script> & *rien*' in text
    assert "Aucun événement n'est attribué au JNIM." in text


# ---------------------------------------------------------------------- CLI


def _copy(store: Store, path: Path) -> Path:
    url = str(store.engine.url)
    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    return path


def _run(db: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tocsin", "--db", str(db), *args],
        capture_output=True, text=True, timeout=120, cwd=cwd, env={**os.environ},
        check=False,
    )  # fmt: skip


def test_cli_brief_markdown_to_stdout_and_pdf_to_a_file(demo_store: Store, tmp_path: Path) -> None:
    db = _copy(demo_store, tmp_path / "demo.db")
    done = _run(db, "brief", "--area", "Bamako", "--period", "7d", "--until", "2025-12-08",
                "--lang", "en", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Bamako: situation brief, 2–8 December 2025\n")
    assert "## Key points" in done.stdout and "[^1]: " in done.stdout
    done = _run(db, "brief", "--area", "Bamako", "--period", "30d", "--until", "2025-12-08",
                "--lang", "fr", "--format", "pdf", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    path = tmp_path / "brief-bamako-2025-12-08.fr.pdf"
    assert done.stdout == f"brief written to {path.name}\n"
    assert "Points clés" in _pdf_text(path.read_bytes())
    listed = _run(db, "briefs", "list", cwd=tmp_path)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and "2025-12-08  en  Bamako: situation brief" in lines[0] + lines[1]
    shown = _run(db, "briefs", "show", lines[0].split()[0], cwd=tmp_path)
    assert shown.stdout.startswith("# Bamako")


def test_cli_brief_errors_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    for args, message in (
        (("--period", "soon"), "error: --period soon: not a period; write a number of days"),
        (("--until", "8/12/2025"), "error: --until 8/12/2025: not a date; write it as YYYY-MM-DD"),
        (("--lang", "de"), "error: --lang de: not a brief language; use one of en, fr"),
        (("--format", "docx"), "error: --format docx: not a brief format; use one of md, html"),
    ):
        done = _run(db, "brief", "--area", "Bamako", *args, cwd=tmp_path)
        assert done.returncode == 2 and done.stderr.startswith(message), done.stderr
        assert "Traceback" not in done.stderr
