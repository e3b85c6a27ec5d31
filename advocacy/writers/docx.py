"""The DOCX writer: walk the letter's HTML and write the same letter with Word styles.

Each HTML class maps to a named Word style whose sizes mirror templates/letter.css,
lists become real Word numbering, and footnote spans become real Word footnotes.
The walk produces a ``Fragment`` of WordprocessingML; ``docx_parts.Package``
assembles fragments into a file. A campaign's shared enclosure is walked once
and its fragment joined to every cover letter.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import docx
import lxml.html
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Emu, Inches, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from advocacy import i18n
from advocacy.writers.docx_parts import CoreProperties, Fragment, Package, footer_xml, num_element

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

# HTML class -> Word style
CLASS_STYLES = {
    "letterhead-name": "Letterhead",
    "letterhead-line": "Letterhead Line",
    "sender": "Sender",
    "date": "Letter Date",
    "recipient": "Recipient",
    "subject": "Subject",
    "salutation": "Salutation",
    "closing": "Closing",
    "signature": "Signature",
    "signatories-heading": "Signatories Heading",
    "signatories-group": "Signatories Group",
    "enclosure-date": "Enclosure Date",
}
ITALIC_STYLES = {"Signatories Group"}
KEEP_WITH_NEXT = {"Signatories Group"}  # like headings: never last on a page
SIGNATURE_HEIGHT = Inches(0.5)  # as .signature-image in letter.css
TAG_STYLES = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 3"}
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}
BLOCKS = {"p", "address", "h1", "h2", "h3", "h4", "ol", "ul", "li", "div", "section",
          "header", "footer", "blockquote", "hr", "body", "main", "article"}
SKIPPED = {"style", "script", "head", "title", "meta", "hr"}
FIRST_ID = 100
# Paragraphs are built as free-standing XML: python-docx needs a parent only to reach
# a part (for images and relationships), which the walker handles itself.
_NO_PARENT: Any = None


@dataclass(frozen=True)
class Format:
    """Character formatting inherited down the HTML tree."""

    bold: bool = False
    italic: bool = False
    superscript: bool = False
    monospace: bool = False


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
            _Walker(self, fragment, id_base, read_image).blocks(body)
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


class _Walker:
    """Walk HTML blocks and inlines into a fragment's paragraphs and runs."""

    def __init__(self, writer: DocxWriter, fragment: Fragment, id_base: int,
                 read_image: Callable[[str], bytes] | None) -> None:
        self.writer = writer
        self.fragment = fragment
        self.read_image = read_image
        # Footnotes, list numberings and links count from here: above the numberings the
        # prototype already has (python-docx's template defines numIds 1-9).
        self.next_id = FIRST_ID + id_base
        self.page_break = False  # set by a block that starts on a new page (an enclosure)

    def allocate(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    # --- blocks ---

    def blocks(self, element: Any, style: str = "Normal") -> None:
        for child in element:
            if isinstance(child.tag, str):  # not a comment
                self.block(child, style)

    def block(self, element: Any, style: str) -> None:
        tag = element.tag
        classes = set((element.get("class") or "").split())
        own_style = next((CLASS_STYLES[c] for c in classes if c in CLASS_STYLES), None)
        if "enclosure" in classes:
            self.page_break = True
        if tag in ("p", "address") or tag in TAG_STYLES:
            self.paragraph(element, own_style or TAG_STYLES.get(tag, style))
        elif tag in ("ol", "ul"):
            self.list(element, classes)
        elif tag in SKIPPED:
            return
        elif tag in BLOCKS:
            self.blocks(element, own_style or style)
        else:
            self.paragraph(element, own_style or style)

    def new_paragraph(self, style: str) -> Paragraph:
        p = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val='
                      f'"{self.writer.style_ids[style]}"/></w:pPr></w:p>')
        if self.page_break:
            p.pPr.append(OxmlElement("w:pageBreakBefore"))
            self.page_break = False
        return Paragraph(p, _NO_PARENT)

    def emit(self, paragraph: Paragraph) -> None:
        self.fragment.body.append(etree.tostring(paragraph._p, encoding="unicode"))

    def paragraph(self, element: Any, style: str) -> None:
        paragraph = self.new_paragraph(style)
        _Inlines(self, paragraph, self.fragment.links).children(element, Format())
        self.emit(paragraph)

    def list(self, element: Any, classes: set[str]) -> None:
        numbered = element.tag == "ol"
        plain = "plain" in classes or (not numbered and "signatory-list" in classes)
        style = "List Number" if numbered else ("Signatory" if plain else "List Bullet")
        num_id = None
        if numbered:
            num_id = self.allocate()
            self.fragment.numberings.append(
                num_element(num_id, self.writer.abstract_ids["List Number"]))
        for item in element:
            if item.tag != "li":
                continue
            paragraph = self.new_paragraph(style)
            if num_id is not None:
                numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                numbering.get_or_add_ilvl().val = 0
                numbering.get_or_add_numId().val = num_id
            inlines = _Inlines(self, paragraph, self.fragment.links)
            # A "loose" Markdown list wraps item text in <p>: join them into one paragraph.
            for index, child in enumerate(item.findall("p") or [item]):
                if index:
                    inlines.line_break()
                inlines.children(child, Format())
            self.emit(paragraph)


class _Inlines:
    """Write the inline content of one paragraph, collapsing whitespace as HTML does."""

    def __init__(self, walker: _Walker, paragraph: Paragraph, links: dict[str, str],
                 container: Any = None) -> None:
        self.walker = walker
        self.paragraph = paragraph
        self.links = links  # where hyperlinks of this paragraph are recorded
        self.container = container  # a w:hyperlink element runs go into, if any
        self.pending_space = False
        self.at_start = True

    def children(self, element: Any, fmt: Format) -> None:
        if element.text:
            self.text(element.text, fmt)
        for child in element:
            if isinstance(child.tag, str):
                self.inline(child, fmt)
            if child.tail:
                self.text(child.tail, fmt)

    def inline(self, element: Any, fmt: Format) -> None:
        tag = element.tag
        classes = (element.get("class") or "").split()
        if tag == "br":
            self.line_break()
        elif tag == "img":
            self.image(element)
        elif tag == "span" and "footnote" in classes:
            self.footnote(element, fmt)
        elif tag in ("strong", "b"):
            self.children(element, replace(fmt, bold=True))
        elif tag in ("em", "i"):
            self.children(element, replace(fmt, italic=True))
        elif tag == "sup":
            self.children(element, replace(fmt, superscript=True))
        elif tag == "code":
            self.children(element, replace(fmt, monospace=True))
        elif tag == "a" and element.get("href", "").startswith(("http://", "https://",
                                                                 "mailto:")):
            self.link(element, fmt)
        else:
            self.children(element, fmt)

    def text(self, text: str, fmt: Format) -> None:
        text = re.sub(r"\s+", " ", text)
        if text.startswith(" "):
            self.pending_space = self.pending_space or not self.at_start
            text = text.lstrip()
        if not text:
            return
        trailing = text.endswith(" ")
        text = text.rstrip()
        if self.pending_space:
            text = " " + text
        self.run(text, fmt)
        self.pending_space = trailing
        self.at_start = False

    def run(self, text: str, fmt: Format) -> Any:
        run = self.paragraph.add_run(text)
        if fmt.bold:
            run.bold = run.font.cs_bold = True
        if fmt.italic:
            run.italic = run.font.cs_italic = True
        if fmt.superscript:
            run.font.superscript = True
        if fmt.monospace:
            run.font.name = "Courier New"
        if self.container is not None:
            self.container.append(run._r)
        return run

    def line_break(self) -> None:
        self.paragraph.add_run().add_break()
        self.pending_space = False
        self.at_start = True

    def image(self, element: Any) -> None:
        """Insert an image (a signature) at the height the CSS gives it."""
        read_image = self.walker.read_image
        if read_image is None or not element.get("src"):
            return
        data = read_image(element.get("src"))
        image = Image.from_blob(data)
        number = self.walker.allocate()
        image_id = f"rIdImage{number}"
        self.walker.fragment.images[image_id] = (f"media/image{number}.{image.ext}", data)
        height = SIGNATURE_HEIGHT
        width = Emu(int(height * image.px_width / image.px_height))
        inline = CT_Inline.new_pic_inline(number, image_id, f"image{number}.{image.ext}",
                                          width, height)
        drawing = OxmlElement("w:drawing")
        drawing.append(inline)
        self.paragraph.add_run()._r.append(drawing)
        self.at_start = False

    def link(self, element: Any, fmt: Format) -> None:
        link_id = f"rIdLink{self.walker.allocate()}"
        self.links[link_id] = element.get("href")
        container = OxmlElement("w:hyperlink")
        container.set(qn("r:id"), link_id)
        self.paragraph._p.append(container)
        inner = _Inlines(self.walker, self.paragraph, self.links, container)
        inner.pending_space, inner.at_start = self.pending_space, self.at_start
        inner.children(element, fmt)
        self.pending_space, self.at_start = inner.pending_space, inner.at_start

    def footnote(self, element: Any, fmt: Format) -> None:
        note_id = self.walker.allocate()
        reference = self.run("", fmt)
        style_ids = self.walker.writer.style_ids
        reference._r.get_or_add_rPr().style = style_ids["Footnote Reference"]
        mark = OxmlElement("w:footnoteReference")
        mark.set(qn("w:id"), str(note_id))
        reference._r.append(mark)
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:pPr>'
            f'<w:pStyle w:val="{style_ids["Footnote Text"]}"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="{style_ids["Footnote Reference"]}"/></w:rPr>'
            '<w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        inner = _Inlines(self.walker, Paragraph(note[0], _NO_PARENT),
                         self.walker.fragment.note_links)
        inner.children(element, Format())
        self.walker.fragment.footnotes.append(etree.tostring(note, encoding="unicode"))
