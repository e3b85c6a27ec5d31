"""WordprocessingML that python-docx has no API for, and the DOCX package assembly.

A letter's DOCX is a styled prototype package (made once per paper size and
language) plus the letter's own parts: document.xml, footnotes.xml, numbering.xml,
relationships and core properties. Assembling those as text, rather than through
python-docx objects, is what makes a DOCX cost milliseconds instead of a tenth
of a second. The zip has fixed timestamps: the same letter gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr, unescape

from docx.oxml.ns import nsdecls

from advocacy import __version__

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTER_ID = "rIdFooterPages"
FOOTNOTES_ID = "rIdFootnotes"

_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
)


@dataclass
class Fragment:
    """A piece of a letter in WordprocessingML: body, footnotes, list numberings, links."""

    body: list[str] = field(default_factory=list)  # w:p elements
    footnotes: list[str] = field(default_factory=list)  # w:footnote elements
    numberings: list[str] = field(default_factory=list)  # w:num elements
    links: dict[str, str] = field(default_factory=dict)  # relationship id -> URL (body)
    note_links: dict[str, str] = field(default_factory=dict)  # ... in footnotes
    images: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # id -> (media path, data)


def num_element(num_id: int, abstract_id: int) -> str:
    """Return a list numbering that restarts at 1 (each <ol> counts anew)."""
    return (f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')


def footer_xml(words: tuple[str, str]) -> str:
    """Return a footer part that says 'Page N of M' with fields Word and LibreOffice fill in."""
    page, of = (escape(word) for word in words)
    return (
        f'<w:ftr {nsdecls("w", "r")}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{page} </w:t></w:r>'
        '<w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        f'<w:r><w:t xml:space="preserve"> {of} </w:t></w:r>'
        '<w:fldSimple w:instr="NUMPAGES"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>'
    )


@dataclass(frozen=True)
class CoreProperties:
    """The document properties Word shows: title, author, language, dates."""

    title: str
    author: str
    language: str
    date: datetime.date | None  # None: an undated letter, whose file carries no date


# Parts of python-docx's default template that describe the template, not the letter:
# its thumbnail picture, and Word 2010's copy of its styles (with the template's fonts).
LEFTOVERS = ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml")


class Package:
    """A prototype DOCX package: its static parts, and templates for the per-letter ones.

    ``fonts`` are the fonts the letter's styles name: the font table lists those only.
    """

    def __init__(self, prototype: bytes, footer: str, fonts: tuple[str, ...]) -> None:
        with zipfile.ZipFile(io.BytesIO(prototype)) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        _drop_leftovers(self.parts)
        self.parts["word/fontTable.xml"] = _font_table(
            self.parts["word/fontTable.xml"].decode(), fonts).encode()
        document = self.parts.pop("word/document.xml").decode()
        body_start = document.index("<w:body>") + len("<w:body>")
        sect = document.rindex("<w:sectPr")
        self.document_head = document[:body_start]
        self.section = document[sect: document.index("</w:body>")]
        self.document_tail = document[document.index("</w:body>"):]
        numbering = self.parts.pop("word/numbering.xml").decode()
        self.numbering_head, self.numbering_tail = numbering.rsplit("</w:numbering>", 1)
        rels = self.parts.pop("word/_rels/document.xml.rels").decode()
        self.rels_head = rels.rsplit("</Relationships>", 1)[0] + (
            f'<Relationship Id="{FOOTNOTES_ID}" Type="{REL}/footnotes" Target="footnotes.xml"/>'
            f'<Relationship Id="{FOOTER_ID}" Type="{REL}/footer" Target="footerPages.xml"/>'
        )
        types = self.parts["[Content_Types].xml"].decode()
        assert "/docProps/core.xml" in types  # python-docx always writes core properties
        self.parts["[Content_Types].xml"] = types.replace(
            "</Types>",
            f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"/>'
            f'<Override PartName="/word/footerPages.xml" ContentType="{FOOTER_TYPE}"/></Types>',
        ).encode()
        self.parts["word/footerPages.xml"] = footer.encode()
        settings = self.parts["word/settings.xml"].decode()
        if "<w:footnotePr>" not in settings:  # Word expects the separators declared here
            settings = re.sub(r"(<w:settings[^>]*>)", r'\1<w:footnotePr><w:footnote w:id="-1"/>'
                              r'<w:footnote w:id="0"/></w:footnotePr>', settings, count=1)
        self.parts["word/settings.xml"] = settings.encode()

    def build(self, fragments: list[Fragment], core: CoreProperties, pages: int) -> bytes:
        """Assemble a letter of 'pages' pages (from the PDF's layout) from its fragments.

        A letter of more than one page has the 'Page N of M' footer.
        """
        section = self.section
        if pages > 1:
            section = re.sub(r"(<w:sectPr[^>]*>)",
                             rf'\1<w:footerReference w:type="default" r:id="{FOOTER_ID}"/>',
                             section, count=1)
        body = "".join(p for fragment in fragments for p in fragment.body)
        document = f"{self.document_head}{body}{section}{self.document_tail}"
        notes = "".join(n for fragment in fragments for n in fragment.footnotes)
        footnotes = f'<w:footnotes {nsdecls("w", "r")}>{_SEPARATORS}{notes}</w:footnotes>'
        numbering = (self.numbering_head + "".join(n for f in fragments for n in f.numberings)
                     + "</w:numbering>" + self.numbering_tail)
        links = {k: v for fragment in fragments for k, v in fragment.links.items()}
        note_links = {k: v for fragment in fragments for k, v in fragment.note_links.items()}
        parts = dict(self.parts)
        parts["word/document.xml"] = document.encode()
        parts["word/footnotes.xml"] = footnotes.encode()
        parts["word/numbering.xml"] = numbering.encode()
        parts["word/_rels/document.xml.rels"] = (self.rels_head + _link_rels(links)
                                                 + "</Relationships>").encode()
        if note_links:
            parts["word/_rels/footnotes.xml.rels"] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                '"http://schemas.openxmlformats.org/package/2006/relationships">'
                + _link_rels(note_links) + "</Relationships>").encode()
        parts["docProps/core.xml"] = _core_xml(core).encode()
        parts["docProps/app.xml"] = _app_xml(body, pages).encode()
        images = {k: v for fragment in fragments for k, v in fragment.images.items()}
        if images:
            parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
                b"</Relationships>", "".join(
                    f'<Relationship Id="{rid}" Type="{REL}/image" Target="{target}"/>'
                    for rid, (target, _) in images.items()).encode() + b"</Relationships>")
            for target, data in images.values():
                parts[f"word/{target}"] = data
            parts["[Content_Types].xml"] = _with_image_types(
                parts["[Content_Types].xml"], {t.rsplit(".", 1)[1] for t, _ in images.values()})
        return _zip(parts)


IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}


def _with_image_types(types: bytes, extensions: set[str]) -> bytes:
    """Declare the content type of each image extension the package holds."""
    text = types.decode()
    for extension in sorted(extensions):
        if f'Extension="{extension}"' not in text:
            text = text.replace("<Default ", f'<Default Extension="{extension}" ContentType='
                                f'"{IMAGE_TYPES.get(extension, "application/octet-stream")}"/>'
                                "<Default ", 1)
    return text.encode()


def _link_rels(links: dict[str, str]) -> str:
    return "".join(f'<Relationship Id="{rid}" Type="{REL}/hyperlink" Target={quoteattr(url)} '
                   'TargetMode="External"/>' for rid, url in links.items())


def _core_xml(core: CoreProperties) -> str:
    stamp = f"{core.date.isoformat()}T00:00:00Z" if core.date else None
    dates = "" if stamp is None else (
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms='
        '"http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(core.title)}</dc:title><dc:creator>{escape(core.author)}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(core.author)}</cp:lastModifiedBy>"
        f"<dc:language>{escape(core.language)}</dc:language><cp:revision>1</cp:revision>"
        f"{dates}</cp:coreProperties>"
    )


def _drop_leftovers(parts: dict[str, bytes]) -> None:
    """Remove the template's leftover parts, with their relationships and content types."""
    for name in LEFTOVERS:
        parts.pop(name, None)
        folder, _, file = name.rpartition("/")
        rels = "_rels/.rels" if folder == "docProps" else f"{folder}/_rels/document.xml.rels"
        target = name if folder == "docProps" else file
        parts[rels] = re.sub(rf'<Relationship [^>]*Target="{re.escape(target)}"[^>]*/>', "",
                             parts[rels].decode()).encode()
        parts["[Content_Types].xml"] = re.sub(
            rf'<Override PartName="/{re.escape(name)}"[^>]*/>', "",
            parts["[Content_Types].xml"].decode()).encode()
    # The thumbnail was the template's only JPEG; a letter's JPEG adds the type again.
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b'<Default Extension="jpeg" ContentType="image/jpeg"/>', b"")


def _font_table(table: str, fonts: tuple[str, ...]) -> str:
    """Keep only the given fonts in a font table, adding those it does not describe."""
    entries = {match[1]: match[0] for match in
               re.finditer(r'<w:font w:name="([^"]*)">.*?</w:font>', table, re.S)}
    kept = "".join(entries.get(font, f"<w:font w:name={quoteattr(font)}/>") for font in fonts)
    start = table.index(">", table.index("<w:fonts")) + 1
    return f"{table[:start]}{kept}</w:fonts>"


def _app_xml(body: str, pages: int) -> str:
    """Describe the letter as Word's document statistics do: this tool, pages, words."""
    paragraphs = [" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
                  for p in re.findall(r"<w:p[ >].*?</w:p>", body, re.S)]
    text = unescape(" ".join(p for p in paragraphs if p.strip())).translate(_INVISIBLE)
    words = text.split()
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>advocacy {__version__}</Application><DocSecurity>0</DocSecurity>"
        f"<Pages>{pages}</Pages><Words>{len(words)}</Words>"
        f"<Characters>{sum(map(len, words))}</Characters>"
        f"<Paragraphs>{sum(1 for p in paragraphs if p.strip())}</Paragraphs>"
        f"<CharactersWithSpaces>{len(text)}</CharactersWithSpaces>"
        "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )


_INVISIBLE = {0x200B: None, 0x2060: None}  # line-break marks in URLs (see markdown.py)


def _zip(parts: dict[str, bytes]) -> bytes:
    """Zip the parts with fixed timestamps, [Content_Types].xml first as Word expects."""
    output = io.BytesIO()
    names = ["[Content_Types].xml", *sorted(n for n in parts if n != "[Content_Types].xml")]
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, parts[name])
    return output.getvalue()
