"""The DOCX, opened in LibreOffice, lays out as the PDF: same pages, same text, same breaks.

Every letter of every example campaign is converted by LibreOffice in one run
(the ``examples_via_libreoffice`` fixture) and compared with WeasyPrint's PDF.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from advocacy import api
from tests.helpers import DIASPORA, REPO, compact, copy_project, pdf_info, pdf_text

# The page footer, in each language of the examples; Word and WeasyPrint print it alike,
# but it is not the letter's text.
FOOTER = re.compile(r"^\s*(Page \d+ (of|sur) \d+|ទំព័រ \S+ នៃ \S+)\s*$", re.M)
URL_MARKS = str.maketrans("", "", "\u200b\u2060")  # line-break marks in URLs (markdown.py)


def footnotes(docx: Path) -> list[str]:
    """Return the text of each footnote of a DOCX file, in order."""
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/footnotes.xml").decode()
    notes = re.findall(r'<w:footnote [^>]*w:id="(\d+)"[^>]*>(.*?)</w:footnote>', xml, re.S)
    return ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", body)).translate(URL_MARKS)
            .replace("&amp;", "&") for number, body in notes if int(number) > 0]


def body_text(pdf: Path, notes: list[str]) -> str:
    """Return a PDF's text without page footers or footnotes (each must be there, whole).

    Where a page ends may differ by a line when a footnote does not fit: WeasyPrint
    moves the note to the next page, Word and LibreOffice the line that cites it.
    """
    text = compact(FOOTER.sub("", pdf_text(pdf)))
    for number, note in enumerate(notes, start=1):
        marked = f"{number}{compact(note)}"
        assert marked in text, f"{pdf.name}: footnote {number} missing or broken: {note[:60]}"
        text = text.replace(marked, "", 1)
    return text


def test_every_letter_has_the_same_pages_and_text_in_both_formats(
        examples: dict[str, api.Result], examples_via_libreoffice: dict[Path, Path]) -> None:
    differ = []
    for result in examples.values():
        for written in result.letters:
            docx = result.folder / f"{written.letter.stem}.docx"
            pdf, converted = result.folder / f"{written.letter.stem}.pdf", \
                examples_via_libreoffice[docx]
            pages = int(pdf_info(pdf)["Pages"]), int(pdf_info(converted)["Pages"])
            if pages[0] != pages[1]:
                differ.append(f"{result.name}/{docx.stem}: {pages[0]} pages as PDF, "
                              f"{pages[1]} in LibreOffice")
            notes = footnotes(docx)
            if body_text(pdf, notes) != body_text(converted, notes):
                differ.append(f"{result.name}/{docx.stem}: the text differs")
    assert len(examples_via_libreoffice) == sum(len(r.letters) for r in examples.values())
    assert not differ, "\n".join(differ)


# --- Footnote calls -------------------------------------------------------------------------


def word_boxes(pdf: Path, page: int) -> list[tuple[str, float]]:
    """Return the words of a page with their heights (poppler's bounding boxes)."""
    import subprocess

    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    return [(word, float(y2) - float(y1)) for y1, y2, word in re.findall(
        r'<word xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="([^"]*)">([^<]*)</word>', xml)]


def test_footnote_calls_are_readable(examples: dict[str, api.Result]) -> None:
    """The call is at least 3/4 of the body text's size (it was 9 pt x 70 %, 6.3 pt)."""
    result = examples["cambodia-2021-constituent"]
    pdf = result.folder / f"{result.letters[0].letter.stem}.pdf"
    words = word_boxes(pdf, 2)
    calls = [(before, call) for before, call in itertools.pairwise(words)
             if before[0] == "them." and call[0] == "1"]
    assert calls, "the first footnote's call is not on page 2"
    (_, body), (_, mark) = calls[0]
    assert mark / body >= 0.74


def test_each_footnote_is_on_the_page_that_cites_it(examples: dict[str, api.Result]) -> None:
    """WeasyPrint found every note too tall with lengths not exact in binary (letter.css)."""
    result = examples["cambodia-2021-constituent"]
    pdf = result.folder / f"{result.letters[0].letter.stem}.pdf"
    pages = [compact(pdf_text(pdf, page)) for page in range(1, int(pdf_info(pdf)["Pages"]) + 1)]
    # Note 1 fits on page 2 with its call (before the fix it printed on page 3). Note 4's
    # call is on the last line of page 2, where no room is left: that note may move on.
    cited, note = "45th regular session of the UN Human Rights Council", \
        "U.N Human Rights Council 21st meeting"
    citing = [number for number, text in enumerate(pages, 1) if compact(cited) in text]
    noted = [number for number, text in enumerate(pages, 1) if compact(note) in text]
    assert citing == noted == [2], (citing, noted)


# --- Signatory lists across a page break ------------------------------------------------------

SENDERS_CAMPAIGN = """\
title: T
date: 2021-03-23
recipients: {from: us-senate, where: {id: K000367}}
senders: pushed
chambers: [senate]
body: Hello.
signatories: cambodian-diaspora-2021
"""


def placements(pdf: Path, heading: str, entries: list[str]) -> list[tuple[bool, int]]:
    """Say for each page whether it holds the list's heading, and how many of its entries."""
    found = []
    for page in range(1, int(pdf_info(pdf)["Pages"]) + 1):
        text = compact(pdf_text(pdf, page))
        found.append((compact(heading) in text, sum(compact(e) in text for e in entries)))
    return [place for place in found if place != (False, 0)]


@pytest.fixture(scope="module")
def pushed_lists(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Letters whose signatory list starts lower and lower on the page (their PDF files).

    Each sender's street takes one more line than the last: the list moves down by a
    line each time, so its page break falls after every possible entry.
    """
    project = copy_project(tmp_path_factory.mktemp("project"))
    rows = ["Name,Street,City,State,ZIP"]
    for lines in range(28):
        street = "\n".join(["100 Example Street", *[f"Suite {n}" for n in range(lines)]])
        rows.append(f'Sender {lines},"{street}",Minneapolis,MN,55407')
    (project / "recipients" / "pushed.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (project / "campaigns" / "pushed.yaml").write_text(SENDERS_CAMPAIGN, encoding="utf-8")
    result = api.generate(project / "campaigns" / "pushed.yaml",
                          api.GenerateOptions(output_dir=tmp_path_factory.mktemp("output")))
    return [result.folder / f"{w.letter.stem}.pdf" for w in result.letters]


def test_signatory_lists_never_split_badly_in_the_pdf(pushed_lists: list[Path]) -> None:
    """A list's heading stays with its first three entries; no page holds fewer than three."""
    source = yaml.safe_load((REPO / DIASPORA).read_text(encoding="utf-8"))
    entries = [f"{e['name']} ({e['short']})" for e in source["signatories"]]
    heading = f"{source['heading']}:"
    splits, bad = set(), []
    for pdf in pushed_lists:
        placed = placements(pdf, heading, entries)
        assert sum(count for _, count in placed) == len(entries), f"{pdf}: entries missing"
        assert placed[0][0], f"{pdf}: the heading is not above the list"
        if len(placed) > 1:
            splits.add(placed[0][1])
        if any(count < 3 for _, count in placed):
            bad.append(f"{pdf.stem}: {placed}")
    assert not bad, "\n".join(bad)
    assert len(splits) >= 5, f"too few kinds of page breaks were tried: {sorted(splits)}"


def test_signatory_lists_keep_together_in_the_docx(pushed_lists: list[Path]) -> None:
    """Word keeps the heading and first three entries, and the last three, on one page.

    The rules are Word's own: widow control, and "keep with next" on the heading, the
    first two entries and the two before the last. (LibreOffice 7.4 follows one "keep
    with next" link but not always a chain of them, so its pages are not checked.)
    """
    docx_file = pushed_lists[0].with_suffix(".docx")
    with zipfile.ZipFile(docx_file) as archive:
        document = archive.read("word/document.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S)
    assert normal and "<w:widowControl/>" in normal[0]
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", document, re.S)
    start = next(i for i, p in enumerate(paragraphs) if "SignatoriesHeading" in p)
    kept = ["<w:keepNext/>" in p for p in paragraphs[start:start + 19]]
    assert kept == [True, True, True, *[False] * 13, True, True, False]
