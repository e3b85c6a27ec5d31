"""The DOCX writer: walk the letter's HTML and write the same letter with Word styles.

Each HTML class maps to a named Word style whose sizes mirror templates/letter.css,
lists become real Word numbering, and footnote spans become real Word footnotes.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import docx
import lxml.html
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from advocacy.writers import docx_parts

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
    """Return the DOCX bytes of a letter's HTML document."""
    tree = lxml.html.document_fromstring(html)
    document = docx.Document()
    _set_up(document, tree, meta)
    walker = _Walker(document, meta.read_image)
    body = tree.find("body")
    if body is not None:
        walker.blocks(body)
    if meta.pages > 1:
        _page_numbers(document)
    output = io.BytesIO()
    document.save(output)
    return docx_parts.reproducible_zip(output.getvalue())


def _set_up(document: Any, tree: Any, meta: DocxMeta) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAPER[meta.paper]
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
        font.color.rgb = RGBColor(0x11, 0x11, 0x11)
        _set_all_fonts(style.element.get_or_add_rPr(), FONT)
        paragraph = style.paragraph_format
        paragraph.alignment = ALIGN[align]
        paragraph.space_before, paragraph.space_after = Pt(before), Pt(after)
        paragraph.line_spacing = 1.08
        if name.startswith("Heading") or name in KEEP_WITH_NEXT:
            paragraph.keep_with_next = True
    docx_parts.set_run_language(styles["Normal"].element.get_or_add_rPr(), _word_language(meta))
    styles["Footnote Text"].paragraph_format.line_spacing = 1.0
    if "Footnote Reference" not in styles:
        reference = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        reference.font.superscript = True
    properties = document.core_properties
    title = tree.find(".//title")
    author = tree.find(".//meta[@name='author']")
    properties.title = title.text_content().strip() if title is not None else ""
    properties.author = author.get("content", "") if author is not None else ""
    properties.last_modified_by = properties.author
    properties.language = _word_language(meta)
    stamp = datetime.datetime.combine(meta.date, datetime.time())
    properties.created = properties.modified = stamp
    properties.revision = 1


def _word_language(meta: DocxMeta) -> str:
    return {"en": "en-US", "fr": "fr-FR", "km": "km-KH"}.get(meta.language, meta.language)


def _set_all_fonts(run_properties: Any, font: str) -> None:
    """Name the font for every script slot, not only the Latin one python-docx sets."""
    fonts = run_properties.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _page_numbers(document: Any) -> None:
    footer = document.sections[0].footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.add_run("Page ")
    docx_parts.field(footer, "PAGE", "1")
    footer.add_run(" of ")
    docx_parts.field(footer, "NUMPAGES", "1")


class _Walker:
    """Walk HTML blocks and inlines, writing paragraphs and runs."""

    def __init__(self, document: Any, read_image: Callable[[str], bytes] | None) -> None:
        self.document = document
        self.read_image = read_image
        self.footnotes = docx_parts.Footnotes(document)
        self.page_break = False  # set by a block that starts on a new page (an enclosure)

    # --- blocks ---

    def blocks(self, element: Any, style: str = "Normal") -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments
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
        elif tag in ("style", "script", "head", "title", "meta", "hr"):
            return
        elif tag in BLOCKS:
            self.blocks(element, own_style or style)
        else:
            self.paragraph(element, own_style or style)

    def new_paragraph(self, style: str) -> Paragraph:
        paragraph: Paragraph = self.document.add_paragraph(style=style)
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        return paragraph

    def paragraph(self, element: Any, style: str) -> None:
        paragraph = self.new_paragraph(style)
        _Inlines(self, paragraph).children(element, Format())

    def list(self, element: Any, classes: set[str]) -> None:
        numbered = element.tag == "ol"
        plain = "plain" in classes or (not numbered and "signatory-list" in classes)
        style = "List Number" if numbered else ("Signatory" if plain else "List Bullet")
        num_id = docx_parts.restarted_numbering(self.document, style) if numbered else None
        for item in element:
            if item.tag != "li":
                continue
            paragraph = self.new_paragraph(style)
            if num_id is not None:
                docx_parts.set_numbering(paragraph, num_id)
            inlines = _Inlines(self, paragraph)
            # A "loose" Markdown list wraps item text in <p>: join them into one paragraph.
            for index, child in enumerate([item] if not item.findall("p") else item.findall("p")):
                if index:
                    inlines.line_break()
                inlines.children(child, Format())


class _Inlines:
    """Write the inline content of one paragraph, collapsing whitespace as HTML does."""

    def __init__(self, walker: _Walker, paragraph: Paragraph, container: Any = None) -> None:
        self.walker = walker
        self.paragraph = paragraph
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
            run.bold = True
        if fmt.italic:
            run.italic = True
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
        if self.walker.read_image is None or not element.get("src"):
            return
        data = self.walker.read_image(element.get("src"))
        self.paragraph.add_run().add_picture(io.BytesIO(data), height=SIGNATURE_HEIGHT)
        self.at_start = False

    def link(self, element: Any, fmt: Format) -> None:
        link = docx_parts.hyperlink(self.paragraph, element.get("href"))
        inner = _Inlines(self.walker, self.paragraph, link)
        inner.pending_space, inner.at_start = self.pending_space, self.at_start
        inner.children(element, fmt)
        self.pending_space, self.at_start = inner.pending_space, inner.at_start

    def footnote(self, element: Any, fmt: Format) -> None:
        note_id, note_paragraph = self.walker.footnotes.add()
        reference = self.run("", fmt)
        docx_parts.footnote_reference(reference, note_id)
        part = self.walker.footnotes.part
        note = Paragraph(note_paragraph, _PartHolder(part))
        inner = _Inlines(self.walker, note)
        inner.children(element, Format())


@dataclass(frozen=True)
class _PartHolder:
    """Stands in as a paragraph's parent, so links in footnotes relate to the footnotes part."""

    part: Any
