"""Open letters: one text 'To:' many readers, and on request a copy for each, addressed.

The example campaign (campaigns/cambodia-2021-hrc48-open-letter.yaml) writes the
single open letter; tests/test_layout_parity.py converts it with LibreOffice like
every example letter. Its 195 copies are left to --copies, and the copies tests
below convert a few of them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import pytest

from advocacy import api, manifest
from tests.helpers import (
    compact,
    copy_project,
    docx_to_pdf,
    fails_with,
    pdf_info,
    pdf_text,
    run,
    run_captured,
)

EXAMPLE = "cambodia-2021-hrc48-open-letter"
TO = ("To: Permanent Representatives of Member and Observer States of the United Nations "
      "Human Rights Council")
RE = ("RE: Politically motivated arrests and detentions in Cambodia, before the 48th session "
      "of the Human Rights Council")
# A date as the letters print one, in English or French ("March 23, 2021", "23 mars 2021").
DATE = re.compile(r"\b(19|20)\d\d\b")
FRANCE = ["Permanent Mission of France to the United Nations Office at Geneva",
          "The Permanent Representative", "Genève", "SWITZERLAND"]


def first_lines(pdf: Path, count: int) -> list[str]:
    """Return the first non-empty lines of a PDF's first page, stripped.

    pdftotext gives a no-break space (French "À :") as a space.
    """
    return [line.strip() for line in pdf_text(pdf, page=1).splitlines() if line.strip()][:count]


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """Return the (style, text) of a DOCX file's paragraphs, as python-docx reads them."""
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs if p.text]


def example(tmp_path: Path, text: str, *args: str) -> Path:
    """Write campaigns/x.yaml into a copy of the project; return the campaign's path."""
    project = copy_project(tmp_path / "project")
    campaign = project / "campaigns" / "x.yaml"
    campaign.write_text(text, encoding="utf-8")
    return campaign


# --- The example: the open letter alone ------------------------------------------------------


def test_the_example_writes_one_open_letter(examples: dict[str, api.Result]) -> None:
    result = examples[EXAMPLE]
    assert [(w.letter.stem, w.letter.role) for w in result.letters] == [
        ("open-letter", "open-letter")]
    pdf = result.folder / "open-letter.pdf"
    # No date and no address block: the 'To:' line comes first, then RE:, then the greeting.
    text = " ".join(first_lines(pdf, 6))
    assert text.startswith(f"{TO} {RE} Excellencies, We, the undersigned organizations")
    assert not DATE.search(text.split(" We, the undersigned")[0])
    assert "Genève" not in pdf_text(pdf)
    assert pdf_info(pdf)["Page size"] == "595.276 x 841.89 pts (A4)"
    # The letter's own footnotes, each on the page that cites it (page 3, with the ask).
    page = compact(pdf_text(pdf, page=3))
    for number, start in enumerate(["UnitedNationsOfficeatGeneva", "Cambodia:Longprison",
                                    "Cambodia:UNexpertsalarmed"], start=1):
        assert f"{number}{start}" in page
    assert "Joint statement by Cambodian civil organizations residing outside Cambodia:" \
        in pdf_text(pdf)


def test_the_example_docx_has_the_same_form(examples: dict[str, api.Result]) -> None:
    path = examples[EXAMPLE].folder / "open-letter.docx"
    found = paragraphs(path)
    assert found[:3] == [("Subject", TO), ("Subject", RE), ("Salutation", "Excellencies,")]
    styles = {style for style, _ in found}
    assert "Letter Date" not in styles and "Recipient" not in styles
    core = docx.Document(str(path)).core_properties
    assert core.created is None and core.modified is None  # 'date: none': no date at all


def test_the_example_manifest_names_the_open_letter(examples: dict[str, api.Result]) -> None:
    folder = examples[EXAMPLE].folder
    written = manifest.read(folder)
    (entry,) = written.letters
    assert (entry.letter, entry.role, entry.recipient.id, entry.salutation) == (
        "open-letter", "open-letter", "open-letter", "Excellencies,")
    assert "recipients/un-bodies.yaml" in [source.path for source in written.sources]
    rows = list(csv.DictReader(io.StringIO(
        (folder / "manifest.csv").read_text(encoding="utf-8-sig"))))
    assert [(row["letter"], row["role"]) for row in rows] == [("open-letter", "open-letter")]
    # A letter to one recipient says nothing of a role: other manifests keep their columns.
    other = (examples["cambodia-2021-committee"].folder / "manifest.csv").read_text("utf-8-sig")
    assert "role" not in other.splitlines()[0]
    assert "role" not in (examples["cambodia-2021-committee"].folder / "manifest.json") \
        .read_text(encoding="utf-8")


# --- Copies: one per selected recipient, from the same run -------------------------------------

COPIES = """\
title: Open letter
date: none
to: Permanent Representatives of Member and Observer States of the {{ vars.council }}
subject_label: "RE:"
subject: Cambodia
recipients:
  - from: un-geneva-missions
    where: {member_of: hrc-2021, id: [FR, CU]}
  - from: un-geneva-missions
    where: {observer_of: hrc-2021, id: [VA, DE]}
body: "We write to the {{ vars.council }}.^[A note.]"
vars: {council: Human Rights Council}
signatories: cambodian-diaspora-2021
"""


def test_copies_are_the_open_letter_addressed(tmp_path: Path) -> None:
    campaign = example(tmp_path, COPIES)
    result = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "out",
                                                        copies=True, print_bundle=True))
    letters = [(w.letter.stem, w.letter.role) for w in result.letters]
    # DE is not a member in 2021, so not an observer either; VA (Holy See) is an observer.
    assert letters == [("open-letter", "open-letter"),
                       ("the-permanent-representative-cu", "copy"),
                       ("the-permanent-representative-fr", "copy"),
                       ("the-permanent-observer-va", "copy")]
    to = "To: Permanent Representatives of Member and Observer States of the Human Rights " \
         "Council"
    open_letter = first_lines(result.folder / "open-letter.pdf", 3)
    assert open_letter == [to, "RE: Cambodia", "Excellencies,"]
    copy = first_lines(result.folder / "the-permanent-representative-fr.pdf", 7)
    assert copy == [*FRANCE, to, "RE: Cambodia", "Excellencies,"]
    observer = first_lines(result.folder / "the-permanent-observer-va.pdf", 2)
    assert observer == ["Permanent Observer Mission of the Holy See to the United Nations "
                        "Office at Geneva", "The Permanent Observer"]
    assert paragraphs(result.folder / "the-permanent-representative-fr.docx")[:3] == [
        ("Recipient", "\n".join(FRANCE)), ("Subject", to), ("Subject", "RE: Cambodia")]
    # The same text in the open letter and in each copy, past the address.
    body = compact(pdf_text(result.folder / "open-letter.pdf"))
    assert compact(pdf_text(result.folder / "the-permanent-representative-fr.pdf")) \
        .removeprefix(compact(" ".join(FRANCE))) == body
    # Each copy has its manifest row, and is flagged: no Geneva street address is known.
    written = manifest.read(result.folder)
    assert [(e.letter, e.role, e.notes) for e in written.letters[1:]] == [
        (stem, "copy", ("address missing",)) for stem, _ in letters[1:]]
    assert [a.letter for a in result.attention] == [stem for stem, _ in letters[1:]]
    # The print bundle delivers the copies, not the open letter, which has no address.
    sheet = pdf_text(result.folder / "print" / "delivery-sheet.pdf")
    assert sheet.count("Genève") == 3
    bundled = compact(pdf_text(result.folder / "print" / "letters.pdf"))
    assert bundled.count("RE:Cambodia") == 3  # three copies, and not the open letter


def test_copies_read_the_same_in_libreoffice(tmp_path: Path) -> None:
    """The parity test converts the example's open letter; this converts copies of one."""
    campaign = example(tmp_path, COPIES.replace("date: none", "date: 2021-09-10"))
    result = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "out",
                                                        copies=True))
    files = [result.folder / f"{w.letter.stem}.docx" for w in result.letters]
    converted = docx_to_pdf(files, tmp_path / "lo")
    for docx_file, pdf in converted.items():
        ours = docx_file.with_suffix(".pdf")
        assert pdf_info(pdf)["Pages"] == pdf_info(ours)["Pages"], docx_file.name
        assert compact(pdf_text(pdf)) == compact(pdf_text(ours)), docx_file.name
    assert "September 10, 2021" in pdf_text(result.folder / "the-permanent-observer-va.pdf")


def test_copies_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    campaign = example(tmp_path, COPIES)
    code, out, _ = run_captured(capsys, "plan", str(campaign))
    assert (code, out.splitlines()[1:]) == (0, [
        "  open letter: Open letter | Excellencies, | open-letter.pdf, open-letter.docx"])
    code, out, _ = run_captured(capsys, "plan", str(campaign), "--copies")
    assert out.splitlines()[2] == (
        "  copy to The Permanent Representative | Excellencies, | "
        "the-permanent-representative-cu.pdf, the-permanent-representative-cu.docx  "
        "[address missing]")
    assert len(api.plan(campaign, copies=True).letters) == 4
    campaign.write_text(COPIES + "copies: true\n", encoding="utf-8")
    assert len(api.plan(campaign).letters) == 4


def test_a_print_bundle_needs_the_copies(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(capsys, "the print bundle of an open letter holds its copies, one per "
               "recipient: ask for them with --copies (or copies: true)", COPIES, "--print")


# --- Every language: the words of the letter's own language --------------------------------


FRENCH = """\
title: Lettre ouverte
language: fr
date: none
to: Représentants permanents des États membres et observateurs du Conseil
subject: Cambodge
recipients: {from: un-geneva-missions, where: {member_of: hrc-2021, id: FR}}
body: Nous vous écrivons.
closing: ""
"""


def test_french_open_letter_in_both_formats(tmp_path: Path) -> None:
    campaign = example(tmp_path, FRENCH)
    result = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "out",
                                                        copies=True))
    to = "À\u00a0: Représentants permanents des États membres et observateurs du Conseil"
    assert first_lines(result.folder / "open-letter.pdf", 4) == [
        to.replace("\u00a0", " "), "Objet : Cambodge", "Excellences,", "Nous vous écrivons."]
    assert paragraphs(result.folder / "open-letter.docx")[:3] == [
        ("Subject", to), ("Subject", "Objet : Cambodge"), ("Salutation", "Excellences,")]
    # The copy's address is in French too: SUISSE.
    assert first_lines(result.folder / "the-permanent-representative-fr.pdf", 5)[3:] == [
        "SUISSE", to.replace("\u00a0", " ")]


def test_translations_each_get_their_open_letter(tmp_path: Path) -> None:
    campaign = example(tmp_path, """\
title: Open letter
date: none
to: Permanent Representatives
subject_label: "RE:"
subject: Cambodia
recipients: {from: un-geneva-missions, where: {member_of: hrc-2021, id: FR}}
body: We write to you.
closing: ""
translations:
  fr:
    to: Représentants permanents
    subject: Cambodge
    subject_label: "Objet\u00a0:"
    salutation: Mesdames et Messieurs les Représentants,
    body: Nous vous écrivons.
    closing: ""
""")
    result = api.generate(campaign, api.GenerateOptions(output_dir=tmp_path / "out",
                                                        formats=("pdf",)))
    assert [w.letter.stem for w in result.letters] == ["open-letter", "open-letter-fr"]
    assert first_lines(result.folder / "open-letter.pdf", 4) == [
        "To: Permanent Representatives", "RE: Cambodia", "Excellencies,", "We write to you."]
    assert first_lines(result.folder / "open-letter-fr.pdf", 4) == [
        "À : Représentants permanents", "Objet : Cambodge",
        "Mesdames et Messieurs les Représentants,", "Nous vous écrivons."]


def test_khmer_has_its_own_words(tmp_path: Path) -> None:
    campaign = example(tmp_path, FRENCH.replace("language: fr", "language: km"))
    plan = api.check(campaign)
    from advocacy.compose.composer import Composer

    context = Composer(plan.inputs).context(plan.letters[0])
    assert (context.words["to"], context.salutation, context.date) == (
        "ជូនចំពោះ៖", "សូមគោរពជូន ឯកឧត្តម លោកជំទាវ", "")


# --- Settings that cannot work together --------------------------------------------------------


@pytest.mark.parametrize(("campaign", "message"), [
    ("title: t\nbody: b\nrecipients: {from: us-senate}\ncopies: true\n",
     "campaigns/x.yaml:4:1: copies: copies are copies of an open letter: add 'to:' (its 'To:' "
     "line) or remove 'copies:'"),
    ("title: t\nbody: b\nrecipients: [{from: us-senate}]\nsenders: constituents-2021\n"
     "to: Everyone\n",
     "campaigns/x.yaml:5:1: to: an open letter is one letter to many readers, and a senders "
     "file writes a letter per constituent: remove 'to:' or 'senders:'"),
    ("title: t\nbody: b\nrecipients: {from: us-senate}\nto: Everyone\ntranslations:\n"
     "  fr: {body: b, closing: c}\n",
     "campaigns/x.yaml:6:3: translations.to: 'to' is required: an open letter prints its "
     "'To:' line in every language (fr too)"),
    ("title: t\nbody: b\nrecipients: {from: us-senate}\ntranslations:\n"
     "  fr: {body: b, closing: c, to: Tous}\n",
     "campaigns/x.yaml:5:29: translations.to: only an open letter has a 'To:' line: add "
     "'to:' to the campaign itself too"),
    ("title: t\nbody: b\nrecipients: {from: us-senate}\nto: 'Dear {{ title '\n",
     "campaigns/x.yaml:4: template error: unexpected end of template, expected 'end of print "
     "statement'."),
    ("title: t\nbody: b\nrecipients: {from: us-senate}\nto: ' '\n",
     "campaigns/x.yaml:4:1: to: must not be empty"),
    ("title: t\nbody: b\nrecipients: {from: us-senate}\ndate: someday\n",
     "campaigns/x.yaml:4:1: date: expected a date written as YYYY-MM-DD, got 'someday'"),
])
def test_open_letter_mistakes_are_placed(project: Path, capsys: pytest.CaptureFixture[str],
                                         campaign: str, message: str) -> None:
    fails_with(capsys, message, campaign, command="check")


def test_date_none_and_a_salutation_in_an_ordinary_letter(project: Path) -> None:
    Path("campaigns/x.yaml").write_text(
        "title: t\ndate: none\nrecipients: {from: us-senate, where: {id: K000367}}\n"
        "body: 'Dated {{ date }}.'\nformats: [pdf]\nsalutation: Dear friends,\n",
        encoding="utf-8")
    assert run("generate", "campaigns/x.yaml") == 0
    pdf = Path("output/x/amy-klobuchar-k000367.pdf")
    assert first_lines(pdf, 6) == [
        "The Honorable Amy Klobuchar", "United States Senate",
        "425 Dirksen Senate Office Building", "Washington, DC 20510", "Dear friends,",
        "Dated ."]
    assert json.loads(Path("output/x/manifest.json").read_text("utf-8"))["letters"][0][
        "salutation"] == "Dear friends,"
