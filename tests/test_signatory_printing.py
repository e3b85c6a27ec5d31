"""Signatory lists in the letters: numbered or not, sorted, grouped, individuals, signatures."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import docx
import pytest
from PIL import Image, ImageDraw

from advocacy import api
from tests.helpers import compact, copy_project, docx_to_pdf, fails_with, pdf_text

PEOPLE = """\
heading: Signatories
numbered: false
sort: alphabetical
group_by: kind
signatories:
  - {name: Sophal Chea, title: Director, organisation: Example Association,
     signature: signatures/sophal.png}
  - {name: Khmer Unity for Cambodia, short: KUC}
  - {name: Alliance Cambodge Canada, short: ACC, country: CA}
  - {name: Dara Lim, kind: person}
"""
BY_COUNTRY = """\
heading: Cambodian Civil Society Organizations
group_by: country
groups: {other: International}
signatories:
  - {name: Cambodian Association of Victoria, short: CAV, country: AU}
  - {name: Alliance Cambodge Canada, short: ACC, country: CA}
  - {name: Khmer Unity for Cambodia, short: KUC}
  - {name: Cambodian Australian Federation, short: CAF, country: au}
"""
CAMPAIGN = """\
title: T
date: 2021-03-23
recipients: {from: us-senate, where: {id: K000367}}
body: Hello.
signatories: people
enclosures:
  - {statement: joint-statement-2021-03-23, signatories: by-country}
"""
# What the two lists print, in order, with the numbers Word numbering adds.
PEOPLE_PRINTED = ["Signatories:", "Organizations", "Alliance Cambodge Canada (ACC)",
                  "Khmer Unity for Cambodia (KUC)", "Individuals", "Dara Lim",
                  "Sophal Chea, Director, Example Association"]
BY_COUNTRY_PRINTED = ["Cambodian Civil Society Organizations:", "International",
                      "1.", "Khmer Unity for Cambodia (KUC)", "Australia",
                      "1.", "Cambodian Association of Victoria (CAV)",
                      "2.", "Cambodian Australian Federation (CAF)", "Canada",
                      "1.", "Alliance Cambodge Canada (ACC)"]


def draw_signature(path: Path) -> None:
    """Draw a small real PNG: a scribble on white."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (300, 100), "white")
    ImageDraw.Draw(image).line([(10, 80), (80, 20), (150, 70), (290, 30)], fill="navy", width=4)
    image.save(path)


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> api.Result:
    """Generate one letter that prints a grouped list of people and a list grouped by country."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    draw_signature(project / "signatories" / "signatures" / "sophal.png")
    (project / "signatories" / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    (project / "signatories" / "by-country.yaml").write_text(BY_COUNTRY, encoding="utf-8")
    (project / "campaigns" / "t.yaml").write_text(CAMPAIGN, encoding="utf-8")
    return api.generate(project / "campaigns" / "t.yaml",
                        api.GenerateOptions(output_dir=tmp_path_factory.mktemp("output")))


def in_order(expected: list[str], text: str) -> None:
    """Assert the pieces appear in text in this order, whitespace aside."""
    text, position = compact(text), 0
    for piece in expected:
        found = text.find(compact(piece), position)
        assert found >= 0, f"missing or out of order: {piece!r}"
        position = found + len(compact(piece))


def test_lists_print_sorted_and_grouped_in_pdf(letter: api.Result) -> None:
    pdf = letter.folder / "amy-klobuchar-k000367.pdf"
    first_page = pdf_text(pdf, page=1)
    in_order(PEOPLE_PRINTED, first_page)
    assert "1." not in first_page, "an unnumbered list printed numbers"
    in_order(BY_COUNTRY_PRINTED, pdf_text(pdf, page=4))


def test_lists_print_sorted_and_grouped_in_docx(letter: api.Result,
                                               tmp_path: Path) -> None:
    path = letter.folder / "amy-klobuchar-k000367.docx"
    text = pdf_text(docx_to_pdf([path], tmp_path)[path])
    in_order(PEOPLE_PRINTED, text)
    in_order(BY_COUNTRY_PRINTED, text)
    document = docx.Document(str(path))
    groups = [p.text for p in document.paragraphs if p.style.name == "Signatories Group"]
    assert groups == ["Organizations", "Individuals", "International", "Australia", "Canada"]


def test_signature_image_prints_above_the_name(letter: api.Result,
                                              tmp_path: Path) -> None:
    pdf = letter.folder / "amy-klobuchar-k000367.pdf"
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True,
                             text=True).stdout.splitlines()[2:]
    assert [row.split()[3:5] for row in listing] == [["300", "100"]]  # width, height
    # LibreOffice finds the picture in the DOCX package too.
    docx_file = pdf.with_suffix(".docx")
    converted = docx_to_pdf([docx_file], tmp_path)[docx_file]
    listing = subprocess.run(["pdfimages", "-list", str(converted)], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    assert [row.split()[3:5] for row in listing] == [["300", "100"]]
    document = docx.Document(str(pdf.with_suffix(".docx")))
    [shape] = document.inline_shapes
    assert round(shape.height.inches, 2) == 0.5
    holder = next(p for p in document.paragraphs if p.text.strip().startswith("Sophal Chea"))
    assert holder._p.xpath(".//pic:pic"), "the picture is not in the signatory's paragraph"


def test_templates_that_print_entries_as_text_still_work(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "templates" / "old.html.j2").write_text(
        '{% extends "letter.html.j2" %}\n{% block signature %}'
        "{% for entry in signatories.entries %}<p>{{ entry }}</p>{% endfor %}{% endblock %}\n",
        encoding="utf-8")
    (project / "campaigns" / "old.yaml").write_text(
        "title: T\ndate: 2021-03-23\ntemplate: old\nrecipients: {from: us-senate, where: "
        "{id: K000367}}\nbody: Hello.\nsignatories: cambodian-diaspora-2021\n",
        encoding="utf-8")
    result = api.generate(project / "campaigns" / "old.yaml",
                          api.GenerateOptions(output_dir=tmp_path / "out", formats=["pdf"]))
    text = pdf_text(result.folder / "amy-klobuchar-k000367.pdf")
    assert text.count("Alliance Cambodge Canada (ACC)") == 2  # the block and the list
    assert "SignatoryEntry" not in text


def test_manifest_records_lists_and_images(letter: api.Result) -> None:
    manifest = json.loads((letter.folder / "manifest.json").read_text(encoding="utf-8"))
    people = manifest["signatories"][0]
    assert people["list"] == "people"
    assert people["path"] == "signatories/people.yaml"
    assert people["entries"][:2] == [{"name": "Sophal Chea", "short": None},
                                     {"name": "Khmer Unity for Cambodia", "short": "KUC"}]
    sources = {s["path"]: s["sha256"] for s in manifest["sources"]}
    assert people["sha256"] == sources["signatories/people.yaml"]
    assert "signatories/signatures/sophal.png" in sources


# --- Bad lists ---------------------------------------------------------------------------------


def list_fails(capsys: pytest.CaptureFixture[str], text: str, message: str) -> None:
    """Generate a campaign signed by the list 'text': it must fail with the message."""
    Path("signatories/t.yaml").write_text(text, encoding="utf-8")
    fails_with(capsys, message,
               "title: t\nbody: b\nrecipients: {from: us-senate}\nsignatories: t\n")


def test_duplicate_entry(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    list_fails(capsys, "signatories:\n  - {name: Khmer Unity for Cambodia}\n  - {name: ACC}\n"
               "  - {name: khmer unity  for Cambodia}\n",
               "signatories/t.yaml:4:5: signatories: 'khmer unity  for Cambodia' is listed "
               "twice (also entry 1, line 2); remove one")


def test_entry_without_a_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    list_fails(capsys, "signatories:\n  - {name: A}\n  - {name: ''}\n  - {short: X}\n",
               "signatories/t.yaml:3:6: signatories.name: must not be empty\n"
               "signatories/t.yaml:4:5: signatories.name: 'name' is required\n"
               "2 problems found; nothing was written.")


def test_unknown_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    list_fails(capsys, "sort: alphabetical\nsignatories:\n  - {name: A, shortname: X}\n",
               "signatories/t.yaml:3:15: signatories.shortname: unknown key 'shortname'; "
               "did you mean 'short'?")


def test_bad_settings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    list_fails(capsys, "sort: by name\ngroup_by: continent\nsignatories:\n  - {name: A}\n",
               "signatories/t.yaml:1:1: sort: must be 'given' or 'alphabetical', got 'by name'\n"
               "signatories/t.yaml:2:1: group_by: must be 'country' or 'kind', got "
               "'continent'\n2 problems found; nothing was written.")


def test_unknown_country_and_group(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    list_fails(capsys, "group_by: country\ngroups: {ZZ: Nowhere}\nsignatories:\n"
               "  - {name: A, country: Cambodia}\n",
               "signatories/t.yaml:2:10: groups: unknown group 'ZZ'; with group_by: country "
               "use two-letter country codes, or 'other' for entries without a country\n"
               "signatories/t.yaml:4:15: signatories.country: unknown country code 'Cambodia'; "
               "use a two-letter code such as KH or US\n2 problems found; nothing was written.")


def test_bad_signature_images(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draw_signature(project.parent / "elsewhere.png")
    Path("signatories/fake.png").write_text("not an image", encoding="utf-8")
    Path("signatories/sig.gif").write_bytes(b"GIF89a")
    list_fails(capsys, "signatories:\n  - {name: A, signature: ../../elsewhere.png}\n"
               "  - {name: B, signature: missing.png}\n  - {name: C, signature: fake.png}\n"
               "  - {name: D, signature: sig.gif}\n",
               "signatories/t.yaml:2:15: signatories.signature: '../../elsewhere.png' is "
               "outside the project folder; put the image inside it, for example in "
               "signatories/signatures/\n"
               "signatories/t.yaml:3:15: signatories.signature: no file 'missing.png' next to "
               "the list; the path is relative to the list file\n"
               "signatories/t.yaml:4:15: signatories.signature: 'fake.png' is not a PNG image\n"
               "signatories/t.yaml:5:15: signatories.signature: 'sig.gif' is not a PNG or JPEG "
               "file; save the signature as .png or .jpg\n"
               "4 problems found; nothing was written.")
