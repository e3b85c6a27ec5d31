"""WordprocessingML that python-docx has no API for: footnotes, list restarts, links, fields.

Kept apart from the HTML walk in docx.py so that file reads as "what goes where"
and this one as "how Word spells it".
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


class Footnotes:
    """The document's footnotes part (/word/footnotes.xml), created on first use."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.part: XmlPart | None = None
        self.next_id = 1

    def add(self) -> tuple[int, Any]:
        """Add an empty footnote; return its id and its first paragraph element (w:p)."""
        if self.part is None:
            self.part = self._create_part()
        note_id = self.next_id
        self.next_id += 1
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:pPr>'
            '<w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr>'
            '<w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        self.part.element.append(note)
        return note_id, note[0]

    def _create_part(self) -> XmlPart:
        package = self.document.part.package
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                       parse_xml(_FOOTNOTES_XML), package)
        self.document.part.relate_to(part, RT.FOOTNOTES)
        # Word expects the separators to be declared in the settings.
        settings = self.document.settings.element
        properties = parse_xml(
            f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/>'
            "</w:footnotePr>"
        )
        settings.insert(0, properties)
        return part


def footnote_reference(run: Any, note_id: int) -> None:
    """Turn a run into the superscript reference mark of a footnote."""
    run.style = "Footnote Reference"
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(note_id))
    run._r.append(reference)


def restarted_numbering(document: Any, style_name: str) -> int:
    """Return a new numbering id for a list style, restarting at 1 (each <ol> counts anew)."""
    numbering = document.part.numbering_part.element
    style = document.styles[style_name].element
    base_id = style.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(base_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    override = parse_xml(
        f'<w:lvlOverride {nsdecls("w")} w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    )
    num.append(override)
    return int(num.numId)


def set_numbering(paragraph: Any, num_id: int) -> None:
    """Attach a paragraph to a numbering instance at the first level."""
    properties = paragraph._p.get_or_add_pPr()
    numbering = properties.get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id


def hyperlink(paragraph: Any, url: str) -> Any:
    """Append an external hyperlink element to a paragraph and return it (runs go inside)."""
    relationship = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    paragraph._p.append(link)
    return link


def field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """Append a simple field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def set_run_language(properties: Any, language: str) -> None:
    """Set the proofing language of run properties (w:lang)."""
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), language)


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite a DOCX zip with fixed timestamps, so the same letter gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return output.getvalue()
