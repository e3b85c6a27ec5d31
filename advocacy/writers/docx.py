"""The DOCX writer: walk the letter's HTML and write the same letter with Word styles.

Each HTML class maps to a named Word style whose sizes mirror templates/letter.css,
lists become real Word numbering, and footnote spans become real Word footnotes.
``docx_walk`` turns HTML into a ``Fragment`` of WordprocessingML; ``docx_parts.Package``
assembles fragments into a file. A campaign's shared enclosure is walked once
and its fragment joined to every cover letter.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import docx
import lxml.html
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from advocacy import i18n
from advocacy.writers.docx_parts import CoreProperties, Fragment, Package, footer_xml
from advocacy.writers.docx_walk import Walker

PAPER = {"letter": (Mm(215.9), Mm(279.4)), "a4": (Mm(210), Mm(297))}
MARGIN = Mm(25.4)
FONT = "Times New Roman"  # LibreOffice and the PDF use the metric-compatible Liberation Serif

# Word style name -> (size pt, bold, alignment, space before pt, space after pt)
STYLES: dict[str, tuple[float, bool, str, float, float]] = {
    "Normal": (12, False, "left", 0, 10),
    "Letterhead": (16, True, "center", 0, 0),
    "Letterhead Line": (9.5, False, "center", 0, 0),
    "Sender": (12, False, "left", 0, 18),
    "Letter Date": (12, False, "left", 0, 14),
    "Recipient": (12, False, "left", 0, 14),
    "Subject": (12, False, "left", 0, 14),
    "Salutation": (12, False, "left", 0, 10),
    "Closing": (12, False, "left", 14, 28),
    "Signature": (12, False, "left", 0, 10),
    "Signatories Heading": (12, True, "left", 14, 10),
    "Signatories Group": (12, False, "left", 10, 6),
    "Signatory": (12, False, "left", 0, 4),
    "Enclosure Date": (12, False, "left", 0, 8),
    "Heading 1": (14, True, "center", 0, 14),
    "Heading 2": (12, True, "left", 14, 8),
    "Heading 3": (12, True, "left", 10, 6),
    "List Number": (12, False, "left", 0, 4),
    "List Bullet": (12, False, "left", 0, 4),
    "Footnote Text": (9, False, "left", 0, 2),
    "Footer": (9, False, "center", 0, 0),
}

ITALIC_STYLES = {"Signatories Group"}
KEEP_WITH_NEXT = {"Signatories Group"}  # like headings: never last on a page
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}


@dataclass(frozen=True)
class DocxMeta:
    """What the DOCX writer needs besides the HTML."""

    paper: str
    language: str
    date: datetime.date
    pages: int  # from the PDF layout: the footer says "Page N of M" only on longer letters
    read_image: Callable[[str], bytes] | None = None  # image bytes by URL; None: no images


def write_docx(html: str, meta: DocxMeta) -> bytes:
    """Return the DOCX bytes of a letter's whole HTML document."""
    tree = lxml.html.document_fromstring(html)
    writer = writer_for(meta.paper, meta.language)
    fragment = writer.fragment(tree, read_image=meta.read_image)
    return writer.write([fragment], core_properties(tree, meta), meta.pages > 1)


def core_properties(tree: Any, meta: DocxMeta) -> CoreProperties:
    """Read the title and author a letter's HTML head declares."""
    title = tree.find(".//title")
    author = tree.find(".//meta[@name='author']")
    return CoreProperties(
        title=title.text_content().strip() if title is not None else "",
        author=author.get("content", "") if author is not None else "",
        language=i18n.WORD_LANGUAGES.get(meta.language, meta.language),
        date=meta.date,
    )


@cache
def writer_for(paper: str, language: str) -> DocxWriter:
    """Return the (per-process) writer for one paper size and language."""
    return DocxWriter(paper, language)


class DocxWriter:
    """Write letters on one styled prototype: its styles are set up once, not per letter."""

    def __init__(self, paper: str, language: str) -> None:
        self.document = docx.Document()
        _set_up(self.document, paper, i18n.base_language(language))
        self.style_ids = {name: self.document.styles[name].style_id
                          for name in (*STYLES, "Footnote Reference")}
        numbering = self.document.part.numbering_part.element
        self.abstract_ids = {
            name: numbering.num_having_numId(
                self.document.styles[name].element.pPr.numPr.numId.val).abstractNumId.val
            for name in ("List Number", "List Bullet")
        }
        output = io.BytesIO()
        self.document.save(output)
        words = i18n.words(language)
        self.package = Package(output.getvalue(), footer_xml((words["page"], words["of"])))
        self.body = self.document.element.body

    def fragment(self, tree: Any, id_base: int = 0,
                 read_image: Callable[[str], bytes] | None = None) -> Fragment:
        """Walk an HTML document's body into a fragment; ids start above id_base."""
        fragment = Fragment()
        body = tree.find("body") if tree.tag == "html" else tree
        if body is not None:
            Walker(self, fragment, id_base, read_image).blocks(body)
        return fragment

    def write(self, fragments: list[Fragment], core: CoreProperties, numbered: bool) -> bytes:
        """Assemble a DOCX file from fragments (a cover letter, then its enclosures)."""
        return self.package.build(fragments, core, numbered)


def _set_up(document: Any, paper: str, language: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAPER[paper]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    styles = document.styles
    for name, (size, bold, align, before, after) in STYLES.items():
        style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if name != "Normal":
            style.base_style = styles["Normal"]
        font = style.font
        font.name, font.size, font.bold = FONT, Pt(size), bold
        font.italic = name in ITALIC_STYLES
        # Complex scripts (Khmer) take their own bold and italic (w:bCs, w:iCs).
        font.cs_bold, font.cs_italic = bold, name in ITALIC_STYLES
        font.color.rgb = RGBColor(0x11, 0x11, 0x11)
        _set_all_fonts(style.element.get_or_add_rPr(), FONT, size,
                       i18n.COMPLEX_SCRIPT_FONTS.get(language, FONT))
        paragraph = style.paragraph_format
        paragraph.alignment = ALIGN[align]
        paragraph.space_before, paragraph.space_after = Pt(before), Pt(after)
        paragraph.line_spacing = 1.08
        if name.startswith("Heading") or name in KEEP_WITH_NEXT:
            paragraph.keep_with_next = True
    _set_language(styles["Normal"].element.get_or_add_rPr(), language)
    styles["Footnote Text"].paragraph_format.line_spacing = 1.0
    if "Footnote Reference" not in styles:
        reference = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        reference.font.superscript = True


def _set_all_fonts(run_properties: Any, font: str, size: float, complex_font: str) -> None:
    """Name the font of every script slot, and the size of complex scripts (w:szCs).

    python-docx's font.name only reaches the Latin slots: Khmer text is a complex
    script, which Word and LibreOffice draw with the w:cs font at the w:szCs size.
    """
    fonts = run_properties.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(slot), font)
    fonts.set(qn("w:cs"), complex_font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    size_cs = run_properties.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        run_properties.append(size_cs)
    size_cs.set(qn("w:val"), str(round(size * 2)))


def _set_language(run_properties: Any, language: str) -> None:
    """Declare the language (w:val) and the complex-script language (w:bidi) of the text."""
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    word = i18n.WORD_LANGUAGES.get(language, language)
    lang.set(qn("w:val"), word)
    if language in i18n.COMPLEX_SCRIPT_FONTS:
        # The template's default complex-script language is Arabic, which makes
        # LibreOffice pick the wrong fallback font for Khmer.
        lang.set(qn("w:bidi"), word)
