"""PDF/UA-1 letters (pdf_variant: pdf/ua-1): what a screen reader is given (writers/pdf_ua.py).

No PDF/UA validator installs from the package registries here (veraPDF is a Java
program outside them), so the rules at stake are checked on the structure tree
with pikepdf, and on what poppler reads of it (``pdfinfo -struct-text``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from advocacy import api
from tests.helpers import copy_project, pdf_info
from tests.test_signatory_printing import PEOPLE, draw_signature

CAMPAIGN = """\
title: T
date: 2021-03-23
recipients: {from: us-senate, where: {id: K000367}}
body: |
  Hello.[^1]

  [^1]: A note of the letter itself.
signatories: people
pdf_variant: pdf/ua-1
formats: [pdf]
enclosures:
  - statement: joint-statement-2021-03-23
"""
NOTES = 9  # the letter's own, then the statement's eight


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("project"))
    draw_signature(project / "signatories" / "signatures" / "sophal.png")
    (project / "signatories" / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    (project / "campaigns" / "ua.yaml").write_text(CAMPAIGN, encoding="utf-8")
    result = api.generate(project / "campaigns" / "ua.yaml",
                          api.GenerateOptions(output_dir=tmp_path_factory.mktemp("output")))
    return result.folder / f"{result.letters[0].letter.stem}.pdf"


def elements(pdf: pikepdf.Pdf) -> list[Any]:
    """Return every structure element reachable from the structure tree's root."""
    found, stack, seen = [], list(pdf.Root.StructTreeRoot.K), set()
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element \
                or element.objgen in seen:
            continue  # marked-content ids, and references to link annotations
        seen.add(element.objgen)
        found.append(element)
        kids = element.get("/K")
        stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return found


def marked_content(page: Any) -> list[tuple[str, Any]]:
    """Return the tag and properties of each marked-content sequence a page opens."""
    return [(str(i.operands[0]), i.operands[1] if len(i.operands) > 1 else None)
            for i in pikepdf.parse_content_stream(page)
            if str(i.operator) in ("BDC", "BMC")]


def structure_text(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", "-struct-text", str(pdf)], check=True,
                          capture_output=True, text=True).stdout


def test_page_footers_are_artifacts_and_no_content_is_orphaned(letter: Path) -> None:
    with pikepdf.open(letter) as pdf:
        reachable = {element.objgen for element in elements(pdf)}
        parents = pdf.Root.StructTreeRoot.ParentTree.Nums
        for number, page in enumerate(pdf.pages):
            owners = parents[2 * number + 1]
            marks = marked_content(page)
            mcids = [int(properties.MCID) for _, properties in marks
                     if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties]
            assert mcids == list(range(len(owners))), "marked content numbered 0, 1, ..."
            assert all(owner.objgen in reachable for owner in owners), \
                f"page {number + 1}: content whose element is outside the structure tree"
            footers = [properties for tag, properties in marks
                       if tag == "/Artifact" and isinstance(properties, pikepdf.Dictionary)
                       and properties.get("/Type") == "/Pagination"]
            assert len(footers) == 1, f"page {number + 1}: the footer is not an artifact"
    text = structure_text(letter)
    assert "Hello." in text and "Page 1 of" not in text
    assert int(pdf_info(letter)["Pages"]) > 1


def test_footnotes_are_notes(letter: Path) -> None:
    with pikepdf.open(letter) as pdf:
        notes = [element for element in elements(pdf) if element.S == "/Note"]
        assert len(notes) == NOTES
        assert len({str(note.ID) for note in notes}) == NOTES  # PDF/UA: each with its own ID
    text = structure_text(letter)
    assert text.count("Note") >= NOTES
    note = text.index("Note")
    assert "A note of the letter itself." in text[note:note + 300]


def test_signature_images_have_alternative_text(letter: Path) -> None:
    with pikepdf.open(letter) as pdf:
        figures = [element for element in elements(pdf) if element.S == "/Figure"]
        assert [str(figure.get("/Alt")) for figure in figures] == ["Signature of Sophal Chea"]
