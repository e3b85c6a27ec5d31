"""Walk a letter's HTML into WordprocessingML: paragraphs, runs, lists, links, footnotes.

Each HTML class maps to a named Word style (set up by ``writers.docx``); the walk
collapses whitespace as HTML does and records what the package needs besides the
body (footnotes, numberings, hyperlinks, images) in a ``Fragment``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Emu, Inches
from docx.text.paragraph import Paragraph
from lxml import etree

from advocacy.writers.docx_parts import Fragment, num_element

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
SIGNATURE_HEIGHT = Inches(0.5)  # as .signature-image in letter.css
TAG_STYLES = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 3"}
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


class StyledPrototype(Protocol):
    """What the walk needs of the writer: the ids of its styles and list numberings."""

    style_ids: dict[str, str]
    abstract_ids: dict[str, int]


def can_embed(data: bytes) -> bool:
    """Tell whether Word can hold an image (python-docx reads PNG, JPEG, GIF, BMP, TIFF)."""
    try:
        Image.from_blob(data)
    except UnrecognizedImageError:  # a WebP, say: WeasyPrint draws it, Word cannot
        return False
    return True


class Walker:
    """Walk HTML blocks and inlines into a fragment's paragraphs and runs."""

    def __init__(self, writer: StyledPrototype, fragment: Fragment, id_base: int,
                 read_image: Callable[[str], bytes] | None) -> None:
        self.writer = writer
        self.fragment = fragment
        self.read_image = read_image
        # Footnotes, list numberings and links count from here: above the numberings the
        # prototype already has (python-docx's template defines numIds 1-9).
        self.next_id = FIRST_ID + id_base
        self.page_break = False  # set by a block that starts on a new page (an enclosure)

    def allocate(self) -> int:
        """Return the next free id (footnotes, numberings, links and images share one count)."""
        self.next_id += 1
        return self.next_id - 1

    # --- blocks ---

    def blocks(self, element: Any, style: str = "Normal") -> None:
        """Walk the block children of an element; unstyled ones take the given style."""
        for child in element:
            if isinstance(child.tag, str):  # not a comment
                self.block(child, style)

    def block(self, element: Any, style: str) -> None:
        """Walk one block: a paragraph, a list, or a container of blocks."""
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
        """Return an empty paragraph in a style, breaking the page if a block asked to."""
        p = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val='
                      f'"{self.writer.style_ids[style]}"/></w:pPr></w:p>')
        if self.page_break:
            p.pPr.append(OxmlElement("w:pageBreakBefore"))
            self.page_break = False
        return Paragraph(p, _NO_PARENT)

    def emit(self, paragraph: Paragraph) -> None:
        """Append a finished paragraph to the fragment's body."""
        self.fragment.body.append(etree.tostring(paragraph._p, encoding="unicode"))

    def paragraph(self, element: Any, style: str) -> None:
        """Write one HTML block as one Word paragraph."""
        paragraph = self.new_paragraph(style)
        Inlines(self, paragraph, self.fragment.links).children(element, Format())
        self.emit(paragraph)

    def list(self, element: Any, classes: set[str]) -> None:
        """Write a list: numbered lists get their own numbering so each restarts at 1."""
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
            inlines = Inlines(self, paragraph, self.fragment.links)
            # A "loose" Markdown list wraps item text in <p>: join them into one paragraph.
            for index, child in enumerate(item.findall("p") or [item]):
                if index:
                    inlines.line_break()
                inlines.children(child, Format())
            self.emit(paragraph)


class Inlines:
    """Write the inline content of one paragraph, collapsing whitespace as HTML does."""

    def __init__(self, walker: Walker, paragraph: Paragraph, links: dict[str, str],
                 container: Any = None) -> None:
        self.walker = walker
        self.paragraph = paragraph
        self.links = links  # where hyperlinks of this paragraph are recorded
        self.container = container  # a w:hyperlink element runs go into, if any
        self.pending_space = False
        self.at_start = True

    def children(self, element: Any, fmt: Format) -> None:
        """Write an element's text and inline children, in order."""
        if element.text:
            self.text(element.text, fmt)
        for child in element:
            if isinstance(child.tag, str):
                self.inline(child, fmt)
            if child.tail:
                self.text(child.tail, fmt)

    def inline(self, element: Any, fmt: Format) -> None:
        """Write one inline element with the formatting its tag adds."""
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
        """Write text, collapsing runs of whitespace to one space as a browser does."""
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
        """Add and return a run of text in a format."""
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
        """Add a line break; spaces after it are dropped as in HTML."""
        self.paragraph.add_run().add_break()
        self.pending_space = False
        self.at_start = True

    def image(self, element: Any) -> None:
        """Insert an image (a signature) at the height the CSS gives it."""
        read_image = self.walker.read_image
        if read_image is None or not element.get("src"):
            return
        data = read_image(element.get("src"))  # checked first: see render._Worker.read_image
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
        """Write a hyperlink whose runs keep the surrounding spacing."""
        link_id = f"rIdLink{self.walker.allocate()}"
        self.links[link_id] = element.get("href")
        container = OxmlElement("w:hyperlink")
        container.set(qn("r:id"), link_id)
        self.paragraph._p.append(container)
        inner = Inlines(self.walker, self.paragraph, self.links, container)
        inner.pending_space, inner.at_start = self.pending_space, self.at_start
        inner.children(element, fmt)
        self.pending_space, self.at_start = inner.pending_space, inner.at_start

    def footnote(self, element: Any, fmt: Format) -> None:
        """Write a footnote reference here and the note's text into the footnotes part."""
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
        inner = Inlines(self.walker, Paragraph(note[0], _NO_PARENT),
                         self.walker.fragment.note_links)
        inner.children(element, Format())
        self.walker.fragment.footnotes.append(etree.tostring(note, encoding="unicode"))
