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
from docx.shared import Emu, Inches, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from advocacy import i18n
from advocacy.writers.docx_parts import Fragment, num_element

# HTML class -> Word style
CLASS_STYLES = {
    "letterhead-name": "Letterhead",
    "letterhead-line": "Letterhead Line",
    "sender": "Sender",
    "date": "Letter Date",
    "recipient": "Recipient",
    # An open letter's 'To:' line looks like the subject line (letter.css): one style for
    # both, and the DOCX of every other letter keeps the styles it has.
    "to": "Subject",
    "subject": "Subject",
    "salutation": "Salutation",
    "closing": "Closing",
    "signature": "Signature",
    "signatories-heading": "Signatories Heading",
    "signatories-group": "Signatories Group",
    "enclosure-date": "Enclosure Date",
    "contact": "Contact",
}
MONOSPACE = "Courier New"  # <code>
SIGNATURE_HEIGHT = Inches(0.5)  # as .signature-image in letter.css
LIST_SPACE_AFTER = 10  # pt: ol, ul { margin-bottom } in letter.css
KEPT_ENTRIES = 3  # entries of a signatory list kept together at its start and end
TAG_STYLES = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 3"}
BLOCKS = {"p", "address", "h1", "h2", "h3", "h4", "ol", "ul", "li", "div", "section",
          "header", "footer", "blockquote", "hr", "body", "main", "article"}
SKIPPED = {"style", "script", "head", "title", "meta", "hr"}
FIRST_ID = 100
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
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
    """What the walk needs of the writer: its styles, list numberings and language."""

    style_ids: dict[str, str]
    spacing: dict[str, tuple[float, float]]  # style -> space before and after (pt)
    abstract_ids: dict[str, int]
    language: str


def can_embed(data: bytes) -> bool:
    """Tell whether Word can hold an image (python-docx reads PNG, JPEG, GIF, BMP, TIFF)."""
    try:
        Image.from_blob(data)
    except UnrecognizedImageError:  # a WebP, say: WeasyPrint draws it, Word cannot
        return False
    return True


class Walker:
    """Walk HTML blocks and inlines into a fragment's paragraphs and runs.

    A paragraph is held back until the next one comes, which may still ask it to
    stay on the same page (a list keeps its lead-in, as CSS does for ol and ul).
    """

    def __init__(self, writer: StyledPrototype, fragment: Fragment, id_base: int,
                 read_image: Callable[[str], bytes] | None) -> None:
        self.writer = writer
        self.fragment = fragment
        self.read_image = read_image
        # Footnotes, list numberings and links count from here: above the numberings the
        # prototype already has (python-docx's template defines numIds 1-9).
        self.next_id = FIRST_ID + id_base
        self.page_break = False  # set by a block that starts on a new page (an enclosure)
        self.held: Paragraph | None = None  # the last paragraph, not yet in the body
        self.space_after = 0.0  # the held paragraph's space after (pt)

    def allocate(self) -> int:
        """Return the next free id (footnotes, numberings, links and images share one count)."""
        self.next_id += 1
        return self.next_id - 1

    # --- blocks ---

    def walk(self, body: Any) -> None:
        """Walk a document's body into the fragment."""
        self.blocks(body)
        self.release()

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
            self.space_after = 0  # a forced break keeps the margin after it (CSS)
        return Paragraph(p, _NO_PARENT)

    def emit(self, paragraph: Paragraph, style: str, space_after: float | None = None) -> None:
        """Add a finished paragraph, with the spacing CSS's collapsing margins give it.

        CSS keeps the larger of two adjoining margins; Word adds space after and space
        before, so a paragraph's space before shrinks by the space after of the last.
        """
        before, after = self.writer.spacing[style]
        if before and self.space_after:
            paragraph.paragraph_format.space_before = Pt(max(0, before - self.space_after))
        if space_after is not None and space_after != after:
            paragraph.paragraph_format.space_after = Pt(space_after)
        self.release()
        self.held = paragraph
        self.space_after = after if space_after is None else space_after

    def release(self) -> None:
        """Put the held paragraph into the fragment's body."""
        if self.held is not None:
            self.fragment.body.append(etree.tostring(self.held._p, encoding="unicode"))
            self.held = None

    def paragraph(self, element: Any, style: str) -> None:
        """Write one HTML block as one Word paragraph."""
        paragraph = self.new_paragraph(style)
        Inlines(self, paragraph, self.fragment.links).children(element, Format())
        self.emit(paragraph, style)

    def list(self, element: Any, classes: set[str]) -> None:
        """Write a list: numbered lists get their own numbering so each restarts at 1.

        As in letter.css, a list stays with what leads into it, and a signatory list
        never leaves fewer than three entries alone at the top or foot of a page.
        """
        numbered = element.tag == "ol"
        plain = "plain" in classes or (not numbered and "signatory-list" in classes)
        style = "List Number" if numbered else ("Signatory" if plain else "List Bullet")
        num_id = None
        if numbered:
            num_id = self.allocate()
            self.fragment.numberings.append(
                num_element(num_id, self.writer.abstract_ids["List Number"]))
        items = [item for item in element if item.tag == "li"]
        if items and self.held is not None:
            self.held.paragraph_format.keep_with_next = True
        for index, item in enumerate(items):
            paragraph = self.new_paragraph(style)
            if num_id is not None:
                numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                numbering.get_or_add_ilvl().val = 0
                numbering.get_or_add_numId().val = num_id
            if "signatory-list" in classes and index < len(items) - 1 and (
                    index < KEPT_ENTRIES - 1 or index >= len(items) - KEPT_ENTRIES):
                paragraph.paragraph_format.keep_with_next = True
            inlines = Inlines(self, paragraph, self.fragment.links)
            # A "loose" Markdown list wraps item text in <p>: join them into one paragraph.
            for number, child in enumerate(item.findall("p") or [item]):
                if number:
                    inlines.line_break()
                inlines.children(child, Format())
            last = index == len(items) - 1
            # The list's own margin after (10 pt) collapses with its last item's (4 pt).
            self.emit(paragraph, style, max(LIST_SPACE_AFTER, self.writer.spacing[style][1])
                      if last else None)


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
        """Write text, collapsing runs of whitespace to one space as a browser does.

        HTML's white space is only space, tab and line breaks: no-break spaces (U+00A0,
        U+202F, as French puts before ':' and '»') stay, or lines would break there.
        """
        text = HTML_SPACE.sub(" ", text)
        if text.startswith(" "):
            self.pending_space = self.pending_space or not self.at_start
            text = text.lstrip(" ")
        if not text:
            return
        trailing = text.endswith(" ")
        text = text.rstrip(" ")
        if self.pending_space:
            text = " " + text
        self.run(text, fmt)
        self.pending_space = trailing
        self.at_start = False

    def run(self, text: str, fmt: Format) -> Any:
        """Add runs of text in a format, one per language; return the last."""
        run = None
        for piece, language in i18n.by_language(text, self.walker.writer.language):
            run = self.paragraph.add_run(piece)
            if language is not None:
                _set_run_language(run, language)
            if fmt.bold:
                run.bold = run.font.cs_bold = True
            if fmt.italic:
                run.italic = run.font.cs_italic = True
            if fmt.superscript:
                run.font.superscript = True
            if fmt.monospace:
                run.font.name = MONOSPACE
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
        reference._r.get_or_add_rPr().style = style_ids["footnote reference"]
        mark = OxmlElement("w:footnoteReference")
        mark.set(qn("w:id"), str(note_id))
        reference._r.append(mark)
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:pPr>'
            f'<w:pStyle w:val="{style_ids["footnote text"]}"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="{style_ids["footnote reference"]}"/></w:rPr>'
            '<w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        inner = Inlines(self.walker, Paragraph(note[0], _NO_PARENT),
                         self.walker.fragment.note_links)
        inner.children(element, Format())
        self.walker.fragment.footnotes.append(etree.tostring(note, encoding="unicode"))


def _set_run_language(run: Any, language: str) -> None:
    """Declare a run's language in the slot Word reads for its script."""
    lang = OxmlElement("w:lang")
    word = i18n.WORD_LANGUAGES.get(language, language)
    if language in i18n.SCRIPTS:  # a complex script (Khmer): w:bidi, not w:val
        lang.set(qn("w:bidi"), word)
        # Spaces and digits among Khmer text take the Khmer font and language.
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hint"), "cs")
    else:
        lang.set(qn("w:val"), word)
    run._r.get_or_add_rPr().append(lang)
