"""The DOCX writer: walk the letter's HTML and write the same letter with Word styles.

Each HTML class maps to a named Word style whose sizes mirror templates/letter.css,
lists become real Word numbering, and footnote spans become real Word footnotes.
``docx_walk`` turns HTML into a ``Fragment`` of WordprocessingML; ``docx_parts.Package``
assembles fragments into a file. A campaign's shared enclosure is walked once
and its fragment joined to every cover letter.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from typing import Any

import docx
import lxml.html
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from advocacy import i18n
from advocacy.compose.document import LetterDocument
from advocacy.writers.docx_parts import CoreProperties, Fragment, Package, footer_xml
from advocacy.writers.docx_walk import MONOSPACE, Walker

PAPER = {"letter": (Mm(215.9), Mm(279.4)), "a4": (Mm(210), Mm(297))}
MARGIN = Mm(25.4)
FONT = "Times New Roman"  # LibreOffice and the PDF use the metric-compatible Liberation Serif

# Word style name -> (size pt, bold, alignment, space before pt, space after pt), as the
# CSS gives each class. Word adds one paragraph's space after to the next one's space
# before, where CSS margins collapse to the larger: the walk (docx_walk) makes up the
# difference paragraph by paragraph.
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
    "Contact": (12, False, "left", 14, 10),
    "Heading 1": (14, True, "center", 0, 14),
    "Heading 2": (12, True, "left", 14, 8),
    "Heading 3": (12, True, "left", 10, 6),
    "List Number": (12, False, "left", 0, 4),
    "List Bullet": (12, False, "left", 0, 4),
    "footnote text": (9, False, "left", 0, 0),  # Word's built-in name (styleId FootnoteText)
    "Footer": (9, False, "center", 0, 0),
}
# Word's built-in names and ids, which python-docx's default template lacks: Word and
# LibreOffice treat them as the footnote styles (dialogs, "Footnote Text" in the UI).
BUILT_IN = {"footnote text": ("paragraph", "FootnoteText"),
            "footnote reference": ("character", "FootnoteReference")}

LINE_HEIGHT = 1.25  # html { line-height } in letter.css
LINE_HEIGHTS = {"footnote text": 1.2}  # .footnote { line-height }: in every language
LIST_INDENT = 720  # twips: ol, ul { padding-left: 0.5in }
MARKER_GAP = 60  # twips: the space after "1." of an outside CSS list marker
ITALIC_STYLES = {"Signatories Group"}
# CSS headings avoid a break after them and inside them (WeasyPrint's user-agent sheet),
# and the signatory list's headings stay with its first entries (letter.css).
KEEP_WITH_NEXT = {"Signatories Heading", "Signatories Group"}
ReadImage = Callable[[str], bytes]  # an image's bytes by its URL, checked (see ProjectFetcher)
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}


ENCLOSURE_IDS = 10_000  # DOCX ids of a shared enclosure start here, above any cover's


def write_letter(document: LetterDocument, pages: int, read_image: ReadImage | None = None,
                 enclosure: Fragment | None = None) -> bytes:
    """Return the DOCX bytes of a letter: its cover, then its enclosure's fragment if any.

    ``pages`` is the letter's length as laid out for the PDF: the footer says "Page N
    of M" only on longer letters.
    """
    writer = writer_for(document.paper, document.language)
    fragments = [writer.fragment(document.cover_tree, read_image=read_image)]
    if enclosure is not None:
        fragments.append(enclosure)
    return writer.write(fragments, core_properties(document), pages)


def enclosure_fragment(document: LetterDocument, read_image: ReadImage | None) -> Fragment:
    """Walk a letter's enclosure once; the fragment joins every cover that shares it."""
    assert document.enclosure is not None
    writer = writer_for(document.paper, document.language)
    return writer.fragment(lxml.html.document_fromstring(document.enclosure), ENCLOSURE_IDS,
                           read_image)


def core_properties(document: LetterDocument) -> CoreProperties:
    """Return the document properties Word shows: the letter's title, author, language, date."""
    return CoreProperties(
        title=document.title,
        author=document.author,
        language=i18n.WORD_LANGUAGES.get(document.language, document.language),
        date=document.date,
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
                          for name in (*STYLES, "footnote reference")}
        self.spacing = {name: (before, after)
                        for name, (_, _, _, before, after) in STYLES.items()}
        self.language = language
        numbering = self.document.part.numbering_part.element
        self.abstract_ids = {
            name: numbering.num_having_numId(
                self.document.styles[name].element.pPr.numPr.numId.val).abstractNumId.val
            for name in ("List Number", "List Bullet")
        }
        output = io.BytesIO()
        self.document.save(output)
        words = i18n.words(language)
        complex_font = i18n.COMPLEX_SCRIPT_FONTS.get(i18n.base_language(language))
        # Bullets are drawn in Symbol (the template's list numbering).
        fonts = (FONT, *([complex_font] if complex_font else []), MONOSPACE, "Symbol")
        self.package = Package(output.getvalue(), footer_xml((words["page"], words["of"])), fonts)
        self.body = self.document.element.body

    def fragment(self, tree: Any, id_base: int = 0,
                 read_image: Callable[[str], bytes] | None = None) -> Fragment:
        """Walk an HTML document's body into a fragment; ids start above id_base."""
        fragment = Fragment()
        body = tree.find("body") if tree.tag == "html" else tree
        if body is not None:
            Walker(self, fragment, id_base, read_image).walk(body)
        return fragment

    def write(self, fragments: list[Fragment], core: CoreProperties, pages: int) -> bytes:
        """Assemble a DOCX file of a letter of so many pages from its fragments.

        The fragments are a cover letter, then its enclosures.
        """
        return self.package.build(fragments, core, pages)


def _set_up(document: Any, paper: str, language: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAPER[paper]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    styles = document.styles
    complex_font = i18n.COMPLEX_SCRIPT_FONTS.get(language, FONT)
    # Styles the letter does not set (tables, Word's own) would use the template's
    # theme fonts (Calibri, MS Mincho): make the document's default font the letter's.
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_all_fonts(defaults, FONT, 12, complex_font)
    # WeasyPrint kerns letter pairs (CSS font-kerning: auto); unkerned, lines run longer.
    kerning = OxmlElement("w:kern")
    kerning.set(qn("w:val"), "2")  # from 1 pt up: every size
    defaults.find(qn("w:sz")).addprevious(kerning)
    for name, (kind, style_id) in BUILT_IN.items():
        _add_built_in(styles, name, kind, style_id)
    line_height = i18n.line_height(language, LINE_HEIGHT)
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
        _set_all_fonts(style.element.get_or_add_rPr(), FONT, size, complex_font)
        paragraph = style.paragraph_format
        paragraph.alignment = ALIGN[align]
        paragraph.space_before, paragraph.space_after = Pt(before), Pt(after)
        # CSS line boxes are line-height x font size whatever the font; "at least" keeps a
        # taller line (an image) whole, as CSS does.
        paragraph.line_spacing = Pt(size * LINE_HEIGHTS.get(name, line_height))
        paragraph.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        if name.startswith("Heading"):
            paragraph.keep_with_next = paragraph.keep_together = True
        if name in KEEP_WITH_NEXT:
            paragraph.keep_with_next = True
    # CSS's default orphans and widows (2) are Word's widow control.
    styles["Normal"].paragraph_format.widow_control = True
    _set_language(styles["Normal"].element.get_or_add_rPr(), language)
    styles["footnote reference"].font.superscript = True
    _set_up_lists(document)


def _add_built_in(styles: Any, name: str, kind: str, style_id: str) -> None:
    """Add one of Word's built-in styles under its own name and id (not a custom style)."""
    if styles.element.get_by_id(style_id) is not None:
        return
    based = "<w:basedOn w:val=\"Normal\"/>" if kind == "paragraph" else ""
    styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="{kind}" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>{based}<w:uiPriority w:val="99"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>"))


def _set_up_lists(document: Any) -> None:
    """Indent list items as the CSS does, with the space between items it gives.

    The template's list styles hang the number at the margin, 0.25 in from the text,
    and ignore the space between items of one list (contextual spacing).
    """
    numbering = document.part.numbering_part.element
    for name in ("List Number", "List Bullet"):
        properties = document.styles[name].element.pPr
        for contextual in properties.findall(qn("w:contextualSpacing")):
            properties.remove(contextual)
        abstract_id = numbering.num_having_numId(properties.numPr.numId.val).abstractNumId.val
        abstract = next(a for a in numbering.findall(qn("w:abstractNum"))
                        if a.get(qn("w:abstractNumId")) == str(abstract_id))
        level = abstract.find(qn("w:lvl"))
        # An outside CSS marker ends where the text starts: right-aligned, just before it.
        level.find(qn("w:lvlJc")).set(qn("w:val"), "right")
        level_properties = level.find(qn("w:pPr"))
        level_properties.find(qn("w:tabs")).find(qn("w:tab")).set(qn("w:pos"), str(LIST_INDENT))
        indent = level_properties.find(qn("w:ind"))
        indent.set(qn("w:left"), str(LIST_INDENT))
        indent.set(qn("w:hanging"), str(MARKER_GAP))


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
    """Declare the language of Latin text (w:val) and of complex-script text (w:bidi).

    Word and LibreOffice take a character's language from the slot of its script: in
    a Khmer letter, Khmer text is Khmer (w:bidi) and the Latin names are English (w:val).
    """
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    latin = i18n.LATIN_TEXT.get(language, language)
    lang.set(qn("w:val"), i18n.WORD_LANGUAGES.get(latin, latin))
    if language in i18n.COMPLEX_SCRIPT_FONTS:
        # The template's default complex-script language is Arabic, which makes
        # LibreOffice pick the wrong fallback font for Khmer.
        lang.set(qn("w:bidi"), i18n.WORD_LANGUAGES.get(language, language))
