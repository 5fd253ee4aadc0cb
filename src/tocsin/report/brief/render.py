"""A brief as Markdown, HTML or PDF.

Citations become numbered notes, one per distinct quote (the same quote cited twice
keeps its number): Markdown footnotes ``[^1]``, HTML superscript links to the notes
list, PDF superscript numbers and a "Notes" list. Each note gives the quoted words, the
source with its Admiralty grade (reliability letter and, where a claim was graded,
credibility number), the date, the document's title and id.

A sentence without citations inside a section is a sub-heading. Text from sources is
escaped for each format (Markdown punctuation, HTML through Jinja2's autoescape, the
PDF's paragraph markup); links go only to http(s) addresses. The PDF uses the Vera
fonts bundled with reportlab (Unicode TrueType), so its text can be extracted and
searched; characters Vera lacks are replaced, French thin spaces become no-break spaces.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tocsin.errors import InputError
from tocsin.models import Brief, BriefSection, Citation
from tocsin.report.brief.text import NBSP, THIN_NBSP, Phrases

FORMATS: tuple[str, ...] = ("md", "html", "pdf")
LIST_SECTIONS = frozenset(
    {"key_points", "scenarios", "indicators", "implications", "contradictions", "sources"}
)
TEMPLATES = Path(__file__).resolve().parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


@dataclass(frozen=True, slots=True)
class Note:
    number: int
    citation: Citation
    text: str  # the note, plain text


@dataclass(frozen=True, slots=True)
class Block:
    """What a renderer lays out: a heading, a paragraph of sentences or a list item; each
    sentence with the numbers of its notes."""

    kind: str  # "h2", "h3", "p", "li"
    sentences: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True, slots=True)
class Layout:
    title: str
    subtitle: str
    lang: str
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...]
    notes_title: str


def render_brief(brief: Brief, fmt: str) -> bytes:
    """The brief as ``fmt``: "md", "html" or "pdf" (UTF-8 text for the first two)."""
    if fmt not in FORMATS:
        raise InputError(
            f"format {fmt!r}", "not a brief format", f"use one of {', '.join(FORMATS)}"
        )
    layout = lay_out(brief)
    if fmt == "md":
        return _markdown(layout).encode("utf-8")
    if fmt == "html":
        return _html(layout).encode("utf-8")
    return _pdf(layout)


def lay_out(brief: Brief) -> Layout:
    """Blocks and numbered notes, in reading order."""
    phrases = Phrases.load(brief.lang)
    numbers: dict[tuple[str, str], int] = {}
    notes: list[Note] = []

    def number(c: Citation) -> int:
        key = (c.document_id, c.quote)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            notes.append(Note(numbers[key], c, _note_text(c, phrases)))
        return numbers[key]

    blocks: list[Block] = []
    for section in brief.sections:
        if section.title and not brief.empty:
            blocks.append(Block("h2", ((section.title, ()),)))
        blocks.extend(_section_blocks(section, number, listed=section.key in LIST_SECTIONS))
    subtitle = phrases.fill(phrases.word("titles.as_of"), date=phrases.date(brief.period_end))
    return Layout(
        title=brief.title,
        subtitle=subtitle,
        lang=brief.lang,
        blocks=tuple(blocks),
        notes=tuple(notes),
        notes_title=phrases.word("titles.notes"),
    )


def _section_blocks(section: BriefSection, number: object, *, listed: bool) -> list[Block]:
    out: list[Block] = []
    paragraph: list[tuple[str, tuple[int, ...]]] = []

    def flush() -> None:
        if paragraph:
            out.append(Block("p", tuple(paragraph)))
            paragraph.clear()

    for sentence in section.sentences:
        refs = tuple(number(c) for c in sentence.citations)  # type: ignore[operator]
        if not sentence.citations and len(section.sentences) > 1:
            flush()
            out.append(Block("h3", ((sentence.text, ()),)))
        elif listed:
            out.append(Block("li", ((sentence.text, refs),)))
        else:
            paragraph.append((sentence.text, refs))
    flush()
    return out


def _note_text(c: Citation, phrases: Phrases) -> str:
    open_, close = (str(m) for m in phrases.entry("quote_marks"))
    if phrases.lang == "fr":
        open_, close = open_ + NBSP, NBSP + close
    grade = c.reliability + (str(c.credibility) if c.credibility is not None else "")
    parts = [f"{open_}{c.quote}{close}", f"{c.source} ({grade})"]
    if c.published is not None:
        parts.append(phrases.date(c.published))
    if c.title and c.title != c.quote:
        parts.append(f"{open_}{c.title}{close}")
    parts.append(c.document_id)
    return " — ".join(parts[:2]) + ", " + ", ".join(parts[2:]) + "."


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address without spaces or quotes, else None: a brief
    links only to web pages (never ``javascript:``)."""
    return url if url and re.match(r"^https?://[^\s\"'<>]+$", url) else None


# ------------------------------------------------------------------------ Markdown


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _markdown(layout: Layout) -> str:
    if _is_empty(layout):  # the one-line "nothing new" brief
        return f"{_md(layout.blocks[0].sentences[0][0])}\n"
    out = [f"# {_md(layout.title)}", "", f"*{_md(layout.subtitle)}*"]
    previous = ""
    for block in layout.blocks:
        text = " ".join(_md(t) + "".join(f"[^{n}]" for n in refs) for t, refs in block.sentences)
        if block.kind == "li":
            if previous != "li":
                out.append("")
            out.append(f"- {text}")
        else:
            out += ["", {"h2": "## ", "h3": "### "}.get(block.kind, "") + text]
        previous = block.kind
    out.append("")
    for note in layout.notes:
        text = _md(note.text)
        if url := safe_url(note.citation.url):
            text += f" <{url}>"
        out.append(f"[^{note.number}]: {text}")
    return "\n".join(out) + "\n"


def _is_empty(layout: Layout) -> bool:
    return not layout.notes and len(layout.blocks) == 1 and layout.blocks[0].kind == "p"


# ---------------------------------------------------------------------------- HTML


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _html(layout: Layout) -> str:
    template = _environment().get_template("brief.html.j2")
    empty = _is_empty(layout)
    notes = [
        {"number": n.number, "text": n.text, "url": safe_url(n.citation.url)} for n in layout.notes
    ]
    return template.render(layout=layout, notes=notes, empty=empty)


# ----------------------------------------------------------------------------- PDF

_FONT = "TocsinVera"


@lru_cache(maxsize=1)
def _fonts() -> frozenset[int]:
    """Register the Vera family (bundled with reportlab); the code points it covers."""
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(reportlab.__file__).parent / "fonts"
    faces = {
        "": "Vera.ttf",
        "-Bold": "VeraBd.ttf",
        "-Italic": "VeraIt.ttf",
        "-BoldItalic": "VeraBI.ttf",
    }
    for suffix, name in faces.items():
        pdfmetrics.registerFont(TTFont(_FONT + suffix, str(folder / name)))
    addMapping(_FONT, 0, 0, _FONT)
    addMapping(_FONT, 1, 0, _FONT + "-Bold")
    addMapping(_FONT, 0, 1, _FONT + "-Italic")
    addMapping(_FONT, 1, 1, _FONT + "-BoldItalic")
    face = pdfmetrics.getFont(_FONT).face
    return frozenset(face.charToGlyph)


def _pdf_text(text: str) -> str:
    covered = _fonts()
    text = text.replace(THIN_NBSP, NBSP)
    text = "".join(c if ord(c) in covered or c in "\n\t" else "?" for c in text)
    return xml_escape(text)


def _pdf(layout: Layout) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    _fonts()
    body = ParagraphStyle("body", fontName=_FONT, fontSize=10, leading=14, spaceAfter=6)
    styles = {
        "title": ParagraphStyle(
            "title", parent=body, fontName=_FONT + "-Bold", fontSize=17, leading=21, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=body,
            fontName=_FONT + "-Italic",
            textColor=colors.HexColor("#555555"),
            spaceAfter=10,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=_FONT + "-Bold",
            fontSize=13,
            leading=17,
            spaceBefore=10,
            spaceAfter=4,
            textColor=colors.HexColor("#7a1f1f"),
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=body,
            fontName=_FONT + "-Bold",
            fontSize=10.5,
            leading=14,
            spaceBefore=6,
            spaceAfter=2,
        ),
        "p": body,
        "li": ParagraphStyle("li", parent=body, spaceAfter=3),
        "note": ParagraphStyle("note", parent=body, fontSize=8, leading=10.5, spaceAfter=2),
    }

    def para(sentences: tuple[tuple[str, tuple[int, ...]], ...], style: str) -> Paragraph:
        text = " ".join(
            _pdf_text(t) + (f"<super>{','.join(map(str, refs))}</super>" if refs else "")
            for t, refs in sentences
        )
        return Paragraph(text, styles[style])

    story: list[object] = [
        Paragraph(_pdf_text(layout.title), styles["title"]),
        Paragraph(_pdf_text(layout.subtitle), styles["subtitle"]),
    ]
    items: list[ListItem] = []

    def flush() -> None:
        if items:
            story.append(
                ListFlowable(
                    list(items),
                    bulletType="bullet",
                    start="•",
                    leftIndent=12,
                    bulletFontName=_FONT,
                    bulletFontSize=9,
                )
            )
            items.clear()

    for block in layout.blocks:
        if block.kind == "li":
            items.append(ListItem(para(block.sentences, "li"), leftIndent=12))
            continue
        flush()
        story.append(para(block.sentences, block.kind))
    flush()
    if layout.notes:
        story += [Spacer(1, 4 * mm), Paragraph(_pdf_text(layout.notes_title), styles["h2"])]
        for note in layout.notes:
            story.append(Paragraph(f"{note.number}. {_pdf_text(note.text)}", styles["note"]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=layout.title,
        author="Tocsin",
        creator="Tocsin",
        invariant=1,
        lang=layout.lang,
    )
    doc.build(story)
    return buffer.getvalue()
