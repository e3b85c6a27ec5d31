"""The print bundle: letters in delivery order on right-hand pages, envelopes, labels, sheet.

Every page is checked by its size (pdfinfo), the count, and its text (pdftotext).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from advocacy import api
from tests.helpers import REPO, copy_project, pdf_info, pdf_text, run, tree_hashes

LETTER = "612 x 792 pts (letter)"
LETTER_LANDSCAPE = "792 x 612 pts (letter)"
A4 = "595.276 x 841.89 pts (A4)"
US10 = "684 x 297 pts"  # 9 1/2 x 4 1/8 in
DL = "623.622 x 311.811 pts"  # 220 x 110 mm
C5 = "649.134 x 459.213 pts"  # 229 x 162 mm

SHORT = "title: Short letters\ndate: 2021-03-23\nbody: One line.\n"
# The Office of the UN High Commissioner for Human Rights (its published postal address).
GENEVA = ("recipients:\n  - id: ohchr\n    name: Office of the United Nations High Commissioner "
          "for Human Rights\n    address: [Palais des Nations]\n    city: Genève 10\n"
          "    postal_code: '1211'\n    country: CH\n")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example project, to add campaigns to."""
    folder = copy_project(tmp_path_factory.mktemp("project"))
    (folder / "recipients" / "geneva.yaml").write_text(GENEVA, encoding="utf-8")
    return folder


def campaign(project: Path, name: str, text: str) -> Path:
    path = project / "campaigns" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def lines_of(path: Path, page: int) -> list[str]:
    """Return the text lines of one page, stripped, without empty ones."""
    return [line.strip() for line in pdf_text(path, page=page).splitlines() if line.strip()]


def pages(path: Path) -> int:
    return int(pdf_info(path)["Pages"])


def page_sizes(path: Path) -> set[str]:
    """Return the distinct page sizes of a PDF (pdfinfo reports every page with -l)."""
    output = subprocess.run(["pdfinfo", "-f", "1", "-l", str(pages(path)), str(path)],
                            check=True, capture_output=True, text=True).stdout
    return {line.split(":", 1)[1].strip() for line in output.splitlines()
            if line.startswith("Page") and "size" in line}


@pytest.fixture(scope="module")
def congress(tmp_path_factory: pytest.TempPathFactory) -> api.Result:
    """The 10 letters to Minnesota's delegation (4 pages each), with the print bundle."""
    return api.generate(REPO / "campaigns" / "cambodia-2021-congress.yaml",
                        api.GenerateOptions(output_dir=tmp_path_factory.mktemp("out"),
                                            formats=["pdf"], print_bundle=True))


# --- letters.pdf ------------------------------------------------------------------------------


def test_bundle_files_and_manifest(congress: api.Result) -> None:
    folder = congress.folder / "print"
    assert sorted(p.name for p in folder.iterdir()) == [
        "delivery-sheet.csv", "delivery-sheet.pdf", "envelopes.pdf", "letters.pdf"]
    assert [(f.name, f.pages) for f in congress.printed] == [
        ("print/letters.pdf", 40), ("print/envelopes.pdf", 10), ("print/delivery-sheet.pdf", 2),
        ("print/delivery-sheet.csv", 0)]
    manifest = json.loads((congress.folder / "manifest.json").read_text(encoding="utf-8"))
    assert [(f["name"], f["pages"]) for f in manifest["print"]] == [
        ("print/letters.pdf", 40), ("print/envelopes.pdf", 10), ("print/delivery-sheet.pdf", 2),
        ("print/delivery-sheet.csv", 0)]


def test_letters_in_one_file_in_campaign_order(congress: api.Result) -> None:
    letters = congress.folder / "print" / "letters.pdf"
    assert pages(letters) == 40  # 10 letters of 4 pages: no blank page needed
    assert page_sizes(letters) == {LETTER}
    for index, written in enumerate(congress.letters):
        first = 4 * index + 1
        text = lines_of(letters, first)
        assert written.letter.address.lines[0] in text, first
        assert "Page 1 of 4" in text
        assert "Page 4 of 4" in lines_of(letters, first + 3)
        # The page is the letter's own page 1, as written.
        assert lines_of(letters, first) == lines_of(
            congress.folder / f"{written.letter.stem}.pdf", 1)


def test_each_letter_starts_on_a_right_hand_page(project: Path, tmp_path: Path) -> None:
    """One-page letters: a blank page after each, so no sheet holds two recipients."""
    path = campaign(project, "short", SHORT + "recipients:\n  - from: us-senate\n"
                    "    where: {state: MN}\n  - from: us-house\n    where: {id: O000173}\n")
    result = api.generate(path,
                          api.GenerateOptions(output_dir=tmp_path, formats=["pdf"],
                                              print_bundle=True))
    letters = result.folder / "print" / "letters.pdf"
    assert pages(letters) == 6
    assert page_sizes(letters) == {LETTER}
    names = ["The Honorable Amy Klobuchar", "The Honorable Tina Smith",
             "The Honorable Ilhan Omar"]
    for number, name in enumerate(names):
        assert name in lines_of(letters, 2 * number + 1)
        assert lines_of(letters, 2 * number + 2) == []  # the blank back of the sheet
    sheet = pdf_text(result.folder / "print" / "delivery-sheet.pdf", page=1)
    assert re.findall(r"from p\. (\d+)", sheet) == ["1", "3", "5"]


def test_grouped_by_state(project: Path, tmp_path: Path) -> None:
    """Groups in alphabetical order; within a group, the campaign's order."""
    path = campaign(project, "by-state", SHORT + "print: {group_by: state}\nrecipients:\n"
                    "  from: us-senate\n  where: {state: [WI, MN]}\n")
    result = api.generate(path,
                          api.GenerateOptions(output_dir=tmp_path,
                                              formats=["pdf"]))  # print: section
    assert [w.letter.recipient.name for w in result.letters] == [
        "Amy Klobuchar", "Tammy Baldwin", "Ron Johnson", "Tina Smith"]  # the campaign's order
    letters = result.folder / "print" / "letters.pdf"
    order = ["Amy Klobuchar", "Tina Smith", "Tammy Baldwin", "Ron Johnson"]
    for number, name in enumerate(order):
        assert f"The Honorable {name}" in lines_of(letters, 2 * number + 1)
    envelopes = result.folder / "print" / "envelopes.pdf"
    for number, name in enumerate(order, start=1):
        assert f"The Honorable {name}" in lines_of(envelopes, number)
    sheet = " ".join(lines_of(result.folder / "print" / "delivery-sheet.pdf", 1))
    assert "4 letters (4 pages), grouped by state." in sheet
    assert sheet.index("Minnesota (MN)") < sheet.index("Klobuchar") < sheet.index("Smith") < \
        sheet.index("Wisconsin (WI)") < sheet.index("Baldwin") < sheet.index("Johnson")


def test_grouped_by_city_across_countries(project: Path, tmp_path: Path) -> None:
    """Letters of two paper sizes: one set of files per size, named by the paper."""
    path = campaign(project, "by-city", SHORT + "print: {group_by: city, envelope: c5}\n"
                    "recipients:\n  - from: us-senate\n    where: {id: K000367}\n"
                    "  - from: geneva\n  - from: un-permanent-representatives\n"
                    "    where: {country: KH}\n    overrides: un-missions-2021\n")
    result = api.generate(path,
                          api.GenerateOptions(output_dir=tmp_path, formats=["pdf"],
                                              print_bundle=True))
    folder = result.folder / "print"
    assert sorted(p.name for p in folder.iterdir()) == [
        "delivery-sheet.csv", "delivery-sheet.pdf", "envelopes-c5.pdf", "envelopes-us10.pdf",
        "letters-a4.pdf", "letters-us-letter.pdf"]
    assert (pages(folder / "letters-a4.pdf"), page_sizes(folder / "letters-a4.pdf")) == (2, {A4})
    assert (pages(folder / "letters-us-letter.pdf"),
            page_sizes(folder / "letters-us-letter.pdf")) == (4, {LETTER})
    assert (pages(folder / "envelopes-c5.pdf"), page_sizes(folder / "envelopes-c5.pdf")) == \
        (1, {C5})
    assert page_sizes(folder / "envelopes-us10.pdf") == {US10}
    # Genève, New York, Washington: the city groups in alphabetical order.
    assert "Office of the United Nations High Commissioner for Human Rights" in \
        lines_of(folder / "letters-a4.pdf", 1)
    assert "H.E. Mr. Chhea Keo" in lines_of(folder / "letters-us-letter.pdf", 1)
    assert "The Honorable Amy Klobuchar" in lines_of(folder / "letters-us-letter.pdf", 3)
    assert " ".join(lines_of(folder / "envelopes-c5.pdf", 1)) == (  # the long name wraps
        "Office of the United Nations High Commissioner for Human Rights Palais des Nations "
        "CH-1211 Genève 10 SWITZERLAND No. 1 · C5")
    sheet = lines_of(folder / "delivery-sheet.pdf", 1)
    joined = " ".join(sheet)
    assert joined.index("Genève 10, Switzerland") < joined.index("New York, NY") < \
        joined.index("Washington, DC")
    assert "Files: letters-a4.pdf, envelopes-c5.pdf, letters-us-letter.pdf, " \
        "envelopes-us10.pdf." in joined
    text = pdf_text(folder / "delivery-sheet.pdf", page=1)
    assert re.findall(r"from p\. (\d+)", text) == ["1", "1", "3"]
    assert re.findall(r" (letters-[a-z4-]+\.pdf)\n", text) == [
        "letters-a4.pdf", "letters-us-letter.pdf", "letters-us-letter.pdf"]  # each row's file
    assert page_sizes(folder / "delivery-sheet.pdf") == {LETTER_LANDSCAPE}  # most letters


# --- envelopes.pdf and labels -----------------------------------------------------------------


def test_envelopes_for_us_recipients(congress: api.Result) -> None:
    envelopes = congress.folder / "print" / "envelopes.pdf"
    assert pages(envelopes) == 10
    assert page_sizes(envelopes) == {US10}
    assert lines_of(envelopes, 1) == [
        "The Honorable Amy Klobuchar", "United States Senate",
        "425 Dirksen Senate Office Building", "Washington, DC 20510", "No. 1 · US #10"]
    for number, written in enumerate(congress.letters, start=1):
        assert lines_of(envelopes, number)[:-1] == list(written.letter.address.lines)


def test_return_address_from_the_campaign(project: Path, tmp_path: Path) -> None:
    sender = ("sender:\n  name: Cambodian Americans for Human Rights\n"
              "  address: [100 Example Street, 'Minneapolis, MN 55407']\n")
    path = campaign(project, "sender", SHORT + sender + "recipients:\n  from: us-senate\n"
                    "  where: {id: K000367}\n")
    result = api.generate(path,
                          api.GenerateOptions(output_dir=tmp_path, formats=["pdf"],
                                              print_bundle=True))
    envelope = lines_of(result.folder / "print" / "envelopes.pdf", 1)
    assert envelope[:3] == ["Cambodian Americans for Human Rights", "100 Example Street",
                            "Minneapolis, MN 55407"]
    assert "The Honorable Amy Klobuchar" in envelope
    override = "print:\n  return_address: [Cambodia Action Network, 'PO Box 1, Lowell, MA']\n"
    path = campaign(project, "sender", SHORT + sender + override + "recipients:\n"
                    "  from: us-senate\n  where: {id: K000367}\n")
    result = api.generate(path, api.GenerateOptions(output_dir=tmp_path, formats=["pdf"]))
    envelope = lines_of(result.folder / "print" / "envelopes.pdf", 1)
    assert envelope[:2] == ["Cambodia Action Network", "PO Box 1, Lowell, MA"]
    letterhead = "letterhead:\n  name: Example Association\n  lines: ['Lowell, MA 01854']\n"
    path = campaign(project, "sender", SHORT + letterhead + "recipients:\n  from: us-senate\n"
                    "  where: {id: K000367}\n")
    result = api.generate(path,
                          api.GenerateOptions(output_dir=tmp_path, formats=["pdf"],
                                              print_bundle=True))
    envelope = lines_of(result.folder / "print" / "envelopes.pdf", 1)
    assert envelope[:3] == ["Example Association", "Lowell, MA 01854",
                            "The Honorable Amy Klobuchar"]


def test_constituent_is_the_return_address_of_their_letters(project: Path,
                                                            tmp_path: Path) -> None:
    rows = (REPO / "recipients" / "constituents-2021.csv").read_text("utf-8-sig").splitlines()
    (project / "recipients" / "two-constituents.csv").write_text(
        "\n".join(rows[:3]) + "\n", encoding="utf-8")  # Sophal Chea and Dara Kim, both in MN
    path = campaign(project, "constituents", SHORT + "recipients: [{from: us-senate}, "
                    "{from: us-house}]\nsenders: two-constituents\n")
    result = api.generate(path,
                          api.GenerateOptions(output_dir=tmp_path, formats=["pdf"],
                                              print_bundle=True))
    envelopes = result.folder / "print" / "envelopes.pdf"
    assert pages(envelopes) == len(result.letters) == 6
    for number, written in enumerate(result.letters, start=1):
        text = lines_of(envelopes, number)
        sender = written.letter.sender
        assert sender is not None
        assert text[:3] == [sender.name, *sender.address]
        assert written.letter.address.lines[0] in text
    assert lines_of(envelopes, 4)[:3] == ["Dara Kim", "12 Example Avenue", "Saint Paul, MN 55104"]
    sheet = " ".join(lines_of(result.folder / "print" / "delivery-sheet.pdf", 1))
    assert sheet.count("From: Sophal Chea") == 3 and sheet.count("From: Dara Kim") == 3


def test_missing_address_is_marked_never_completed(tmp_path: Path) -> None:
    """UN missions without a street: the envelope shows what is known, marked, nothing more."""
    result = api.generate(REPO / "campaigns" / "cambodia-2021-un-missions.yaml",
                          api.GenerateOptions(output_dir=tmp_path, formats=["pdf"],
                                              print_bundle=True))
    envelopes = result.folder / "print" / "envelopes.pdf"
    assert pages(envelopes) == 4
    assert page_sizes(envelopes) == {US10}
    numbered = {w.letter.recipient.id: n for n, w in enumerate(result.letters, start=1)}
    assert lines_of(envelopes, numbered["FR"]) == [
        "HAND DELIVERY ONLY", "postal address incomplete", "H.E. Mr. Jérôme Bonnafont",
        "Permanent Representative", "Permanent Mission of France to the United Nations",
        "New York, NY", f"No. {numbered['FR']} · US #10"]
    assert lines_of(envelopes, numbered["KH"]) == [
        "H.E. Mr. Chhea Keo", "Permanent Representative",
        "Permanent Mission of Cambodia to the United Nations", "327 East 58th Street",
        "New York, NY 10022", f"No. {numbered['KH']} · US #10"]
    sheet = " ".join(lines_of(result.folder / "print" / "delivery-sheet.pdf", 1))
    assert sheet.count("HAND DELIVERY ONLY: postal address incomplete") == 3
    assert f"envelope: envelopes.pdf, no. {numbered['FR']}, marked HAND DELIVERY ONLY" in sheet


def test_labels_on_avery_5160(project: Path, tmp_path: Path) -> None:
    """33 letters: a full sheet of 30 labels and 3 on the next, in delivery order."""
    path = campaign(project, "labels", SHORT + "recipients:\n  from: us-house\n"
                    "  where: {state: [MN, WI, IL]}\n")
    result = api.generate(path,
                          api.GenerateOptions(output_dir=tmp_path, formats=["pdf"], labels=True))
    labels = result.folder / "print" / "labels.pdf"
    assert sorted(p.name for p in labels.parent.iterdir()) == [
        "delivery-sheet.csv", "delivery-sheet.pdf", "labels.pdf", "letters.pdf"]
    assert len(result.letters) == 33
    assert (pages(labels), page_sizes(labels)) == (2, {LETTER})
    first, second = pdf_text(labels, page=1), pdf_text(labels, page=2)
    for number, written in enumerate(result.letters):
        name = written.letter.address.lines[0]
        assert name in (first if number < 30 else second), name
    assert second.count("Washington, DC") == 3
    assert first.count("Washington, DC") == 30


def test_labels_on_l7163_for_a4_letters(project: Path, tmp_path: Path) -> None:
    path = campaign(project, "geneva-labels", SHORT + "print: {labels: true}\n"
                    "recipients: {from: geneva}\n")
    result = api.generate(path, api.GenerateOptions(output_dir=tmp_path, formats=["pdf"]))
    labels = result.folder / "print" / "labels.pdf"
    assert (pages(labels), page_sizes(labels)) == (1, {A4})
    assert " ".join(lines_of(labels, 1)) == (
        "Office of the United Nations High Commissioner for Human Rights Palais des Nations "
        "CH-1211 Genève 10 SWITZERLAND")
    assert page_sizes(result.folder / "print" / "delivery-sheet.pdf") == \
        {"841.89 x 595.276 pts (A4)"}


# --- delivery-sheet.pdf -----------------------------------------------------------------------


def test_delivery_sheet(congress: api.Result) -> None:
    sheet = congress.folder / "print" / "delivery-sheet.pdf"
    assert (pages(sheet), page_sizes(sheet)) == (2, {LETTER_LANDSCAPE})
    first = lines_of(sheet, 1)
    assert first[0] == ("Delivery sheet: Politically motivated arrests in Cambodia (senators "
                        "and congressmen)")
    assert first[1] == ("10 letters (40 pages). Files: letters.pdf, envelopes.pdf. Fill in a "
                        "row as each letter is handed over.")
    header = first[2].split()
    assert header == ["No.", "Recipient", "Address", "Pages", "Date", "Received", "by",
                      "Signature"]
    row = next(line for line in first if "Amy Klobuchar" in line).split()
    assert row[:7] == ["1", "The", "Honorable", "Amy", "Klobuchar", "425", "Dirksen"]
    assert row[-1] == "4"  # pages
    assert "Page 1 of 2" in first
    second = pdf_text(sheet, page=2)
    assert second.split()[:8] == header  # the table's header repeats
    assert re.search(r"\n10 +The Honorable Kelly Morrison +1205 Longworth House Office Building "
                     r"+4\n", second)
    assert "Page 2 of 2" in second


# --- Mistakes: nothing is written -------------------------------------------------------------


def test_print_needs_pdf_letters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    campaign_path = REPO / "campaigns" / "cambodia-2021-committee.yaml"
    assert run("generate", str(campaign_path), "--output", str(tmp_path), "--format", "docx",
               "--print") == 1
    assert capsys.readouterr().err == (
        "error: the print bundle is made from the PDF letters; add pdf to --format (for "
        "example --format pdf,docx)\n")
    assert list(tmp_path.iterdir()) == []


def test_a_print_template_the_project_lacks_is_the_packages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """templates/ overrides the package's files one by one: without its own envelopes
    template, a project prints envelopes with the package's."""
    project = copy_project(tmp_path / "project")
    (project / "templates" / "envelopes.html.j2").unlink()
    (project / "templates" / "print.css").unlink()
    monkeypatch.chdir(project)
    before = tree_hashes(project)
    assert run("generate", "campaigns/cambodia-2021-committee.yaml", "--print") == 0
    envelopes = project / "output" / "cambodia-2021-committee" / "print" / "envelopes.pdf"
    assert "Senate Committee on Foreign Relations" in pdf_text(envelopes)
    assert tree_hashes(project, skip="output") == before


def test_unknown_print_setting(project: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    campaign(project, "bad-print", SHORT + "print: {group_by: country}\nrecipients:\n"
             "  from: us-senate\n")
    monkeypatch.chdir(project)
    assert run("check", "campaigns/bad-print.yaml") == 1
    assert capsys.readouterr().err == (
        "error: campaigns/bad-print.yaml:4:9: print.group_by: must be 'state', 'city' or "
        "'mission', got 'country'\n")


def test_cli_reports_the_bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    campaign_path = REPO / "campaigns" / "cambodia-2021-committee.yaml"
    assert run("generate", str(campaign_path), "--output", str(tmp_path), "--format", "pdf",
               "--labels") == 0
    assert "  print: print/letters.pdf (4 pages), print/labels.pdf (1 pages), " \
        "print/delivery-sheet.pdf (1 pages), print/delivery-sheet.csv\n" in capsys.readouterr().out


def test_bundle_is_reproducible(congress: api.Result, tmp_path: Path) -> None:
    again = api.generate(REPO / "campaigns" / "cambodia-2021-congress.yaml",
                         api.GenerateOptions(output_dir=tmp_path, formats=["pdf"],
                                             print_bundle=True))
    assert tree_hashes(again.folder / "print") == tree_hashes(congress.folder / "print")


# --- Archival and accessible PDF ---------------------------------------------------------------


@pytest.mark.parametrize(("variant", "expected"), [
    ("pdf/a-3b", {"pdfaid:part": "3", "pdfaid:conformance": "B"}),
    ("pdf/ua-1", {"pdfuaid:part": "1"}),
])
def test_pdf_variant(project: Path, tmp_path: Path, variant: str,
                     expected: dict[str, str]) -> None:
    path = campaign(project, "archive", SHORT + f"pdf_variant: {variant}\nrecipients:\n"
                    "  from: us-senate\n  where: {id: K000367}\n")
    result = api.generate(path, api.GenerateOptions(output_dir=tmp_path, formats=["pdf"]))
    letter = result.folder / f"{result.letters[0].letter.stem}.pdf"
    with pikepdf.open(letter) as pdf:
        metadata = pdf.open_metadata()
        assert {key: metadata.get(key) for key in expected} == expected
        assert pdf.pdf_version == "1.7"
        if variant == "pdf/a-3b":  # colours are defined by an output intent (sRGB)
            assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        else:  # tagged, with the document's language and title shown
            assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
            assert pdf.Root.Lang == "en"
            assert pdf.Root.ViewerPreferences.DisplayDocTitle
    assert "The Honorable Amy Klobuchar" in lines_of(letter, 1)
    again = api.generate(path, api.GenerateOptions(output_dir=tmp_path / "again", formats=["pdf"]))
    assert tree_hashes(again.folder) == tree_hashes(result.folder)


def test_plain_pdf_has_no_variant_metadata(congress: api.Result) -> None:
    with pikepdf.open(congress.folder / f"{congress.letters[0].letter.stem}.pdf") as pdf:
        metadata = pdf.open_metadata()
        assert metadata.get("pdfaid:part") is None and metadata.get("pdfuaid:part") is None
