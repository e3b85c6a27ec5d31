"""Every paragraph of the four real 2021 letters appears in the generated PDF and DOCX files.

The reference (tests/fixtures/reference/) is split into its four letters and
their paragraphs. Text paragraphs must appear word for word (whitespace aside);
placeholders such as ``[Name]`` must be replaced by the recipient's real data;
footnotes must appear as footnotes. The check runs on the PDF (read back with
pdftotext) and on the DOCX (opened and printed to PDF by LibreOffice).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advocacy.api import Result, WrittenLetter
from tests.helpers import compact, pdf_text

REFERENCE = Path(__file__).parent / "fixtures" / "reference" / "004_b9214a17ccd44dbe.txt"

# The campaign that reproduces each letter of the reference, in order.
CAMPAIGNS = [
    "cambodia-2021-constituent",
    "cambodia-2021-committee",
    "cambodia-2021-un-missions",
    "cambodia-2021-congress",
]
# Text of the web page the reference was copied from, not of the letter: the site's
# e-mail obfuscation notice replaced the contact's address, which is unknown.
SCRAPE_ARTEFACT = "Email: This email address is being protected from spambots. You need " \
                  "JavaScript enabled to view it."
PLACEHOLDER = re.compile(r"\[(?!\d+\])[^\]]+\]")  # [Name], not a footnote call [1]
FOOTNOTE = re.compile(r"^\[(\d+)\]\s*(.*)$", re.S)


def reference_letters() -> list[list[str]]:
    """Split the reference into letters (each starts at its date line) and paragraphs."""
    text = REFERENCE.read_text(encoding="utf-8")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    paragraphs = [p for p in paragraphs if p]
    letters: list[list[str]] = [[]]
    for paragraph in paragraphs:
        if paragraph == "[Date As Appropriate]":
            letters.append([])
        letters[-1].append(paragraph)
    # A footnote's URL sometimes sits in a paragraph of its own: join it to its note.
    for letter in letters:
        for index in range(len(letter) - 1, 0, -1):
            if letter[index].startswith("http") and FOOTNOTE.match(letter[index - 1]):
                letter[index - 1] += " " + letter.pop(index)
    return letters


def expected_pieces(paragraph: str, written: WrittenLetter) -> list[str] | None:
    """Return what a reference paragraph must become in the generated letter.

    None means the paragraph is layout, not text (the dashed line that separated
    the letter from its attachment is a page break here).
    """
    letter = written.letter
    if set(paragraph) <= {"-"}:
        return None
    if paragraph == "[Date As Appropriate]":
        return ["March 23, 2021"]
    if paragraph.startswith("Dear "):
        return [letter.salutation]
    if paragraph.startswith("[") and PLACEHOLDER.match(paragraph):  # the address block
        return list(letter.address.lines)
    return [paragraph.replace(SCRAPE_ARTEFACT, "").strip()]


def find_paragraph(paragraph: str, text: str) -> bool:
    """Tell whether a paragraph, whose footnote calls [n] print as superscripts, is in text."""
    pieces = [re.escape(compact(piece)) for piece in re.split(r"\[\d+\]", paragraph)]
    return re.search(r"\[?\d+\]?".join(pieces), text) is not None


def check_letter(reference: list[str], written: WrittenLetter, text: str) -> None:
    """Assert every reference paragraph is in a letter's extracted text."""
    text = compact(text)
    notes = [FOOTNOTE.match(p) for p in reference]
    for note in filter(None, notes):
        body = re.escape(compact(note.group(2)))
        # The note's mark prints as "1." (WeasyPrint) or a superscript "1" (Word/LibreOffice).
        found = re.search(rf"{note.group(1)}\.?{body}", text)
        assert found, f"footnote [{note.group(1)}] missing from {written.letter.stem}"
        text = text[: found.start()] + text[found.end():]  # footnotes sit between page parts
    text = re.sub(rf"Page\d+of{written.pages}", "", text)
    for paragraph, note in zip(reference, notes, strict=True):
        if note:
            continue
        pieces = expected_pieces(paragraph, written)
        for piece in pieces or []:
            assert find_paragraph(piece, text), (
                f"{written.letter.stem}: paragraph missing: {piece[:90]}..."
            )
    assert not PLACEHOLDER.search(text), f"a placeholder survived: {PLACEHOLDER.search(text)}"


def letters_of(examples: dict[str, Result]) -> list[tuple[list[str], Result]]:
    references = reference_letters()
    assert len(references) == 4
    return [(references[i], examples[name]) for i, name in enumerate(CAMPAIGNS)]


def test_reference_has_four_letters_and_eight_footnotes() -> None:
    letters = reference_letters()
    assert [len(letter) for letter in letters] == [33, 12, 16, 16]
    assert sum(bool(FOOTNOTE.match(p)) for p in letters[0]) == 8


@pytest.mark.parametrize("index", range(4), ids=CAMPAIGNS)
def test_pdf_contains_every_paragraph(examples: dict[str, Result], index: int) -> None:
    reference, result = letters_of(examples)[index]
    assert result.letters, "the example campaign wrote no letters"
    for written in result.letters:
        check_letter(reference, written, pdf_text(result.folder / f"{written.letter.stem}.pdf"))


@pytest.mark.parametrize("index", range(4), ids=CAMPAIGNS)
def test_docx_contains_every_paragraph(
    examples: dict[str, Result], examples_via_libreoffice: dict[Path, Path], index: int
) -> None:
    reference, result = letters_of(examples)[index]
    converted = [w for w in result.letters
                 if result.folder / f"{w.letter.stem}.docx" in examples_via_libreoffice]
    assert converted
    for written in converted:
        docx = result.folder / f"{written.letter.stem}.docx"
        check_letter(reference, written, pdf_text(examples_via_libreoffice[docx]))


def test_check_fails_when_a_paragraph_is_missing(examples: dict[str, Result]) -> None:
    """The paragraph check can fail: drop one sentence and it must notice."""
    reference, result = letters_of(examples)[1]
    written = result.letters[0]
    text = pdf_text(result.folder / f"{written.letter.stem}.pdf")
    damaged = text.replace("neopatrimonialism", "")
    with pytest.raises(AssertionError, match="paragraph missing"):
        check_letter(reference, written, damaged)
