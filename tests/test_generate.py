"""Generating letters: files, manifest, formats, paper, fonts, page numbers, Word structure."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from advocacy import api
from tests.helpers import REPO, copy_project, pdf_fonts, pdf_info, pdf_text, run, tree_hashes

CONSTITUENT = "cambodia-2021-constituent"
KLOBUCHAR = "sophal-chea-to-amy-klobuchar-k000367"  # a letter of the constituent campaign


def test_one_pdf_and_one_docx_per_letter(examples: dict[str, api.Result]) -> None:
    for result in examples.values():
        names = sorted(p.name for p in result.folder.iterdir())
        reports = ["manifest.csv", "manifest.json"]
        if result.attention:
            reports.append("needs-attention.csv")
        expected = sorted([f"{w.letter.stem}.{fmt}" for w in result.letters
                           for fmt in ("pdf", "docx")] + reports)
        assert names == expected


def test_manifest_describes_every_file(examples: dict[str, api.Result]) -> None:
    result = examples[CONSTITUENT]
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["campaign"] == CONSTITUENT
    assert [s["path"] for s in manifest["sources"]] == [
        "campaigns/cambodia-2021-constituent.yaml", "advocacy/templates/letter.html.j2",
        "statements/joint-statement-2021-03-23.md",
        "signatories/cambodian-civil-society-2021-03.yaml",
        "recipients/us-senate.yaml", "recipients/us-house.yaml",
        "recipients/constituents-2021.csv", "recipients/us-zip-districts.csv"]
    assert len(manifest["letters"]) == len(result.letters) == 143
    for entry in manifest["letters"][:6]:
        for file in entry["files"]:
            data = (result.folder / file["name"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == file["sha256"]
            assert len(data) == file["bytes"]
        pdf = result.folder / f"{entry['letter']}.pdf"
        assert int(pdf_info(pdf)["Pages"]) == entry["pages"] == 4
    rows = list(csv.DictReader(io.StringIO(
        (result.folder / "manifest.csv").read_text(encoding="utf-8-sig"))))
    assert [row["recipient"] for row in rows[:3]] == ["Amy Klobuchar", "Tina Smith",
                                                      "Ilhan Omar"]
    assert rows[0]["files"] == f"{KLOBUCHAR}.pdf;{KLOBUCHAR}.docx"
    assert rows[0]["sender"] == "Sophal Chea"
    assert rows[0]["pages"] == "4"
    assert rows[0]["pdf_sha256"] == manifest["letters"][0]["files"][0]["sha256"]
    first = manifest["letters"][0]
    assert (first["letter"], first["sender"]) == (KLOBUCHAR, {"name": "Sophal Chea"})


def test_missing_address_is_listed_not_invented(examples: dict[str, api.Result]) -> None:
    result = examples["cambodia-2021-un-missions"]
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    notes = {e["letter"]: e["notes"] for e in manifest["letters"]}
    assert notes == {"chhea-keo-kh": [], "jerome-bonnafont-fr": ["address missing"],
                     "david-lametti-ca": ["address missing"],
                     "james-martin-larsen-au": ["address missing"]}
    lines = [line.strip() for line in pdf_text(result.folder / "jerome-bonnafont-fr.pdf",
                                               page=1).splitlines()]
    block = ["H.E. Mr. Jérôme Bonnafont", "Permanent Representative",
             "Permanent Mission of France to the United Nations", "New York, NY", "", "Excellency,"]
    assert "\n".join(block) in "\n".join(lines)
    # The organiser's overrides file gave Cambodia's mission its street address.
    lines = [line.strip() for line in pdf_text(result.folder / "chhea-keo-kh.pdf",
                                               page=1).splitlines()]
    block = ["H.E. Mr. Chhea Keo", "Permanent Representative",
             "Permanent Mission of Cambodia to the United Nations", "327 East 58th Street",
             "New York, NY 10022"]
    assert "\n".join(block) in "\n".join(lines)
    report = (result.folder / "needs-attention.csv").read_text(encoding="utf-8-sig")
    assert report.count("address missing") == 3


def test_a_vacant_post_says_what_to_do(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each needs-attention line ends with what to do, never with a dangling '; '."""
    Path("campaigns/x.yaml").write_text(
        "title: t\ndate: 2021-03-23\nrecipients: {from: un-permanent-representatives, "
        "where: {country: GB}}\nbody: Hello.\nformats: [pdf]\n", encoding="utf-8")
    assert run("check", "campaigns/x.yaml") == 0
    vacant = [line for line in capsys.readouterr().out.splitlines() if "vacant" in line]
    assert vacant == [
        "    The Permanent Representative (the-permanent-representative-gb): the head of "
        "mission's post is vacant in the UN data, so the letter is addressed to the office; "
        "send it as it is, or name the acting head of mission (chargé d'affaires) in an "
        "overrides file and generate again"]


def test_us_letters_on_us_letter_paper(examples: dict[str, api.Result]) -> None:
    result = examples[CONSTITUENT]
    pdf = result.folder / f"{KLOBUCHAR}.pdf"
    assert pdf_info(pdf)["Page size"] == "612 x 792 pts (letter)"
    section = docx.Document(str(result.folder / f"{KLOBUCHAR}.docx")).sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (215.9, 279.4)
    assert round(section.left_margin.inches, 2) == round(section.top_margin.inches, 2) == 1.0


def test_fonts_are_embedded(examples: dict[str, api.Result]) -> None:
    fonts = pdf_fonts(examples[CONSTITUENT].folder / f"{KLOBUCHAR}.pdf")
    assert fonts, "no fonts in the PDF"
    assert all(row[-5] == "yes" for row in fonts), fonts  # the "emb" column


def test_page_numbers_only_on_longer_letters(tmp_path: Path,
                                            examples: dict[str, api.Result]) -> None:
    long_letter = examples[CONSTITUENT].folder / f"{KLOBUCHAR}.pdf"
    assert "Page 1 of 4" in pdf_text(long_letter, page=1)
    assert "Page 4 of 4" in pdf_text(long_letter, page=4)
    project = copy_project(tmp_path / "project")
    (project / "campaigns" / "short.yaml").write_text(
        "title: Short\ndate: 2021-03-23\nbody: One line.\nrecipients:\n  from: us-senate\n"
        "  where: {id: K000367}\n", encoding="utf-8")
    result = api.generate(project / "campaigns" / "short.yaml",
                          api.GenerateOptions(output_dir=tmp_path / "out"))
    pdf = result.folder / f"{result.letters[0].letter.stem}.pdf"
    assert pdf_info(pdf)["Pages"] == "1"
    assert "Page" not in pdf_text(pdf)
    footer = docx.Document(str(pdf.with_suffix(".docx"))).sections[0].footer
    assert footer.paragraphs[0].text == ""


def test_non_us_recipient_gets_a4(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "recipients" / "geneva.yaml").write_text(
        "recipients:\n  - id: ohchr\n    name: Office of the High Commissioner for Human Rights\n"
        "    address: [Palais des Nations]\n    city: Genève 10\n    postal_code: '1211'\n"
        "    country: CH\n", encoding="utf-8")
    (project / "campaigns" / "geneva.yaml").write_text(
        "title: G\ndate: 2021-03-23\nbody: Text.\nrecipients: {from: geneva}\n",
        encoding="utf-8")
    result = api.generate(project / "campaigns" / "geneva.yaml",
                          api.GenerateOptions(output_dir=tmp_path / "o"))
    pdf = result.folder / "office-of-the-high-commissioner-for-human-rights-ohchr.pdf"
    assert pdf_info(pdf)["Page size"] == "595.276 x 841.89 pts (A4)"
    section = docx.Document(str(pdf.with_suffix(".docx"))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_a_record_without_a_country_gets_a4(project: Path) -> None:
    """The README says all but US letters are A4: a record that names no country is too."""
    Path("recipients/people.yaml").write_text(
        "recipients:\n  - {id: jd, name: Jane Doe, title: Director, organisation: Example "
        "Foundation}\n", encoding="utf-8")
    Path("campaigns/x.yaml").write_text("title: t\ndate: 2021-03-23\nbody: Text.\n"
                                        "recipients: {from: people}\n", encoding="utf-8")
    result = api.generate(Path("campaigns/x.yaml"))
    [written] = result.letters
    pdf = result.folder / f"{written.letter.stem}.pdf"
    assert pdf_info(pdf)["Page size"] == "595.276 x 841.89 pts (A4)"
    section = docx.Document(str(pdf.with_suffix(".docx"))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    lines = [line.strip() for line in pdf_text(pdf).splitlines() if line.strip()]
    assert lines[1:5] == ["Jane Doe", "Director", "Example Foundation", "Dear Jane Doe:"]
    assert [note.issue for note in written.letter.notes] == ["address missing"]


def test_word_structure_is_real(examples: dict[str, api.Result]) -> None:
    path = examples[CONSTITUENT].folder / f"{KLOBUCHAR}.docx"
    document = docx.Document(str(path))
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("List Number") == 2 + 18  # the two asks and the 18 organisations
    assert "Heading 1" in styles and "Recipient" in styles and "Salutation" in styles
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    num_ids = {p._p.pPr.numPr.numId.val for p in numbered}
    assert len(num_ids) == 2, "each list restarts its numbering"
    assert not any(p.text[:3].strip().rstrip(".").isdigit() for p in numbered), "typed numbers"
    with zipfile.ZipFile(path) as archive:
        footnotes = archive.read("word/footnotes.xml").decode()
    assert footnotes.count("<w:footnoteRef/>") == 8
    references = document.element.body.findall(".//" + qn("w:footnoteReference"))
    assert len(references) == 8
    assert document.paragraphs[-1].text.startswith("Contact person: Dr. B. Nicole Ung")


def test_output_is_reproducible(tmp_path: Path, examples: dict[str, api.Result]) -> None:
    campaign = REPO / "campaigns" / f"{CONSTITUENT}.yaml"
    again = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path))
    assert tree_hashes(again.folder) == tree_hashes(examples[CONSTITUENT].folder)


def test_format_and_output_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    campaign = REPO / "campaigns" / "cambodia-2021-committee.yaml"
    assert run("generate", str(campaign), "--output", str(tmp_path / "out"), "--format", "pdf") == 0
    folder = tmp_path / "out" / "cambodia-2021-committee"
    assert sorted(p.name for p in folder.iterdir()) == [
        "manifest.csv", "manifest.json", "senate-committee-on-foreign-relations-ssfr.pdf"]
    assert "cambodia-2021-committee/: 1 letters" in capsys.readouterr().out


def test_unknown_format_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    campaign = REPO / "campaigns" / "cambodia-2021-committee.yaml"
    assert run("generate", str(campaign), "--output", str(tmp_path), "--format", "odt") == 1
    assert capsys.readouterr().err == "error: unknown format 'odt'; choose from pdf, docx\n"
    assert list(tmp_path.iterdir()) == []


def test_check_and_plan_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    before = tree_hashes(project)
    for command in ("check", "plan"):
        assert run(command, "campaigns/cambodia-2021-un-missions.yaml") == 0
    assert tree_hashes(project) == before
    output = capsys.readouterr().out
    assert "campaigns/cambodia-2021-un-missions.yaml: ok, 4 letters" in output
    assert ("    Jérôme Bonnafont (jerome-bonnafont-fr): address missing; add its street "
            "address and postal code in an overrides file") in output
    assert "  Chhea Keo | Excellency, | chhea-keo-kh.pdf, chhea-keo-kh.docx\n" in output
    assert ("  Jérôme Bonnafont | Excellency, | jerome-bonnafont-fr.pdf, "
            "jerome-bonnafont-fr.docx  [address missing]") in output


def test_generate_script_and_console_entry(tmp_path: Path) -> None:
    campaign = REPO / "campaigns" / "cambodia-2021-committee.yaml"
    script = subprocess.run(
        [sys.executable, str(REPO / "generate.py"), str(campaign), "--output", str(tmp_path),
         "--format", "docx"], capture_output=True, text=True, check=False)
    assert script.returncode == 0, script.stderr
    assert (tmp_path / "cambodia-2021-committee" /
            "senate-committee-on-foreign-relations-ssfr.docx").exists()
    bad = subprocess.run([sys.executable, "-m", "advocacy", "check", "campaigns/none.yaml"],
                         capture_output=True, text=True, check=False, cwd=REPO)
    assert bad.returncode == 1
    assert bad.stderr == "error: campaigns/none.yaml: file not found\n"


def test_progress_counts_letters(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    api.generate(REPO / "campaigns" / "cambodia-2021-un-missions.yaml",
                 api.GenerateOptions(output_dir=tmp_path, formats=["pdf"]),
                 on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 4), (4, 4)]  # before any letter, then after the one chunk of four
    seen.clear()
    api.generate(REPO / "campaigns" / "cambodia-2021-un-missions.yaml",
                 api.GenerateOptions(output_dir=tmp_path, formats=["pdf"]),
                 on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(4, 4)]  # a second run: all four were already written


def test_letterhead_and_sender_block(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "campaigns" / "head.yaml").write_text(
        "title: Head\ndate: 2021-03-23\nbody: Text.\n"
        "recipients: {from: us-senate, where: {id: K000367}}\n"
        "letterhead: {name: Cambodian Americans for Human Rights and Democracy, "
        "lines: [www.example.org]}\n"
        "sender: {name: Sophal Chea, address: [100 Example Street, 'Minneapolis, MN 55407']}\n",
        encoding="utf-8")
    result = api.generate(project / "campaigns" / "head.yaml",
                          api.GenerateOptions(output_dir=tmp_path / "out"))
    pdf = result.folder / "amy-klobuchar-k000367.pdf"
    lines = [line.strip() for line in pdf_text(pdf).splitlines() if line.strip()]
    assert lines[:6] == ["Cambodian Americans for Human Rights and Democracy", "www.example.org",
                         "Sophal Chea", "100 Example Street", "Minneapolis, MN 55407",
                         "March 23, 2021"]
    assert lines[-1] == "Sophal Chea"  # signed under the closing
    assert pdf_info(pdf)["Author"] == "Sophal Chea"
    document = docx.Document(str(pdf.with_suffix(".docx")))
    styles = [(p.style.name, p.text) for p in document.paragraphs[:3]]
    assert styles == [
        ("Letterhead", "Cambodian Americans for Human Rights and Democracy"),
        ("Letterhead Line", "www.example.org"),
        ("Sender", "Sophal Chea\n100 Example Street\nMinneapolis, MN 55407")]
    assert document.core_properties.author == "Sophal Chea"
