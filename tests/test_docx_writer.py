"""The DOCX writer: no-break spaces, links, package parts (writers/docx*.py)."""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest

from advocacy import api
from advocacy.compose.document import letter_document
from advocacy.writers import docx as docx_writer
from tests.helpers import REPO, pdf_info, pdf_text

CONSTITUENT = "cambodia-2021-constituent"
FRENCH = "cambodia-2021-un-missions-fr"
STATEMENT = REPO / "statements" / "joint-statement-2021-03-23.md"
URLS = re.findall(r"https?://\S+", STATEMENT.read_text(encoding="utf-8"))


def part(docx: Path, name: str) -> str:
    with zipfile.ZipFile(docx) as archive:
        return archive.read(name).decode()


def first_letter(examples: dict[str, api.Result], campaign: str) -> tuple[Path, Path]:
    """Return the PDF and DOCX of a campaign's first letter."""
    result = examples[campaign]
    stem = result.folder / result.letters[0].letter.stem
    return stem.with_suffix(".pdf"), stem.with_suffix(".docx")


# --- No-break spaces ----------------------------------------------------------------------------


def test_no_break_spaces_stay_in_the_docx(tmp_path: Path) -> None:
    html = ("<html><body><p>Objet\u00a0: «\u202fTout sauf les armes\u202f»   et\n plus</p>"
            "</body></html>")
    docx = tmp_path / "letter.docx"
    document = letter_document("letter", "letter", "fr", datetime.date(2021, 3, 23), html)
    docx.write_bytes(docx_writer.write_letter(document, pages=1))
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", part(docx, "word/document.xml")))
    assert text == "Objet\u00a0: «\u202fTout sauf les armes\u202f» et plus"


def test_french_letters_never_break_before_a_colon_or_guillemet(
        examples: dict[str, api.Result], examples_via_libreoffice: dict[Path, Path]) -> None:
    pdf, docx = first_letter(examples, FRENCH)
    # The statement's 14 no-break spaces, the campaign's 2 and the heading colon's.
    assert part(docx, "word/document.xml").count("\u00a0") == 17
    for text in (pdf_text(pdf), pdf_text(examples_via_libreoffice[docx])):
        lines = [line.strip() for line in text.splitlines()]
        assert not [line for line in lines if line.startswith((":", "»"))]
        assert not [line for line in lines if line.endswith("«")]


# --- Links ------------------------------------------------------------------------------------


def test_footnote_urls_are_links_in_both_formats(examples: dict[str, api.Result]) -> None:
    pdf, docx = first_letter(examples, CONSTITUENT)
    notes, rels = part(docx, "word/footnotes.xml"), part(docx, "word/_rels/footnotes.xml.rels")
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    linked = [targets[rid].replace("&amp;", "&")
              for rid in re.findall(r'<w:hyperlink [^>]*:id="([^"]+)"', notes)]
    assert linked == URLS
    with pikepdf.open(pdf) as document:
        uris = [str(annotation.A.URI) for page in document.pages
                for annotation in page.get("/Annots", []) if "/A" in annotation]
    assert sorted(set(uris)) == sorted(set(URLS))


def breaks_in(url: str, text: str) -> list[str]:
    """Return the character after which each line break falls, in each printing of a URL."""
    pattern = "".join(f"{re.escape(char)}(\\n\\s*)?" for char in url[:-1]) + re.escape(url[-1])
    found = list(re.finditer(pattern, text))
    assert found, f"{url} is not printed whole"
    return [url[index] for match in found for index in range(len(url) - 1)
            if match.group(index + 1)]


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_long_urls_break_only_after_slashes_and_punctuation(
        examples: dict[str, api.Result], examples_via_libreoffice: dict[Path, Path],
        reader: str) -> None:
    """Never after a hyphen (it would read as a hyphenated word), never inside a word."""
    pdf, docx = first_letter(examples, CONSTITUENT)
    text = pdf_text(pdf if reader == "pdf" else examples_via_libreoffice[docx])
    breaks = [char for url in URLS for char in breaks_in(url, text)]
    assert breaks, "no URL was long enough to break"
    assert set(breaks) <= set("/?&=#+")


# --- The package --------------------------------------------------------------------------------


def test_no_template_leftovers_in_the_package(examples: dict[str, api.Result]) -> None:
    pdf, docx = first_letter(examples, CONSTITUENT)
    with zipfile.ZipFile(docx) as archive:
        names = archive.namelist()
    assert "docProps/thumbnail.jpeg" not in names and "word/stylesWithEffects.xml" not in names
    assert "thumbnail" not in part(docx, "_rels/.rels") + part(docx, "[Content_Types].xml")
    app = part(docx, "docProps/app.xml")
    body = part(docx, "word/document.xml")
    words = sum(len(" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)).split())
                for p in re.findall(r"<w:p[ >].*?</w:p>", body))
    assert re.search(r"<Application>advocacy \S+</Application>", app)
    assert f"<Pages>{pdf_info(pdf)['Pages']}</Pages>" in app and f"<Words>{words}</Words>" in app
    assert "Microsoft" not in app
    fonts = re.findall(r'<w:font w:name="([^"]+)"', part(docx, "word/fontTable.xml"))
    assert fonts == ["Times New Roman", "Courier New", "Symbol"]


def test_footnote_styles_are_words_own(examples: dict[str, api.Result]) -> None:
    _, docx = first_letter(examples, CONSTITUENT)
    styles = part(docx, "word/styles.xml")
    for style_id, name in (("FootnoteText", "footnote text"),
                           ("FootnoteReference", "footnote reference")):
        style = re.search(rf'<w:style [^>]*w:styleId="{style_id}"[^>]*>.*?</w:style>', styles,
                          re.S)
        assert style, style_id
        assert f'<w:name w:val="{name}"/>' in style[0] and "customStyle" not in style[0]
    notes = part(docx, "word/footnotes.xml")
    assert notes.count('<w:pStyle w:val="FootnoteText"/>') == 8
    assert notes.count('<w:rStyle w:val="FootnoteReference"/>') == 8
