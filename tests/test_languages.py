"""Letters in French and Khmer: texts, salutations, dates, fonts, and extractable text."""

from __future__ import annotations

import itertools
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import weasyprint
import yaml
from weasyprint.draw import text as draw_text

from advocacy import addressing, api
from advocacy.models import RecipientFile
from tests.helpers import (
    REPO,
    compact,
    copy_project,
    docx_to_pdf,
    pdf_fonts,
    pdf_text,
    run,
)

FRENCH = "cambodia-2021-un-missions-fr"
KHMER = ["សិទ្ធិមនុស្ស និងប្រជាធិបតេយ្យ", "ព្រះរាជាណាចក្រកម្ពុជា",
         "យើងខ្ញុំសូមគោរពស្នើសុំឱ្យរដ្ឋាភិបាលការពារសេរីភាពនៃការបញ្ចេញមតិ "
         "និងដោះលែងអ្នកការពារសិទ្ធិមនុស្សទៅវិញ។"]


def french_paragraphs() -> list[str]:
    """The French letter's paragraphs, with the campaign's vars filled in."""
    campaign = yaml.safe_load((REPO / "campaigns" / f"{FRENCH}.yaml").read_text("utf-8"))
    text = (REPO / "statements" / "political-arrests-2021.fr.md").read_text("utf-8")
    body = text.split("\n---\n", 1)[1]
    for name, value in campaign["vars"].items():
        body = body.replace("{{ vars." + name + " }}", " ".join(value.split()))
    return [p for p in body.split("\n\n") if p.strip()]


def flat(text: str) -> str:
    """Text without page footers or whitespace, for finding paragraphs across pages."""
    return compact(re.sub(r"Page \d+ sur \d+", "", text))


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def test_french_letters_read_in_french(examples: dict[str, api.Result]) -> None:
    result = examples[FRENCH]
    assert len(result.letters) == 6
    paragraphs = french_paragraphs()
    assert len(paragraphs) == 11
    for written in result.letters:
        pdf = result.folder / f"{written.letter.stem}.pdf"
        text = pdf_text(pdf)
        assert lines(pdf_text(pdf, page=1))[:1] == ["23 mars 2021"]
        assert "Excellence," in lines(text)
        assert "Mission permanente" in text and "Page 1 sur" in text
        assert "Subject" not in text and not re.search(r"Page \d+ of", text)
        # French puts a (non-breaking) space before the colon, on the same line.
        assert re.search("résidant hors du\\s+Cambodge[ \u00a0]:", text)
        for paragraph in paragraphs:
            assert compact(paragraph) in flat(text), paragraph[:60]
    bonnafont = lines(pdf_text(result.folder / "jerome-bonnafont-fr.pdf", page=1))
    assert bonnafont[2:6] == [
        "S.E. M. Jérôme Bonnafont", "Représentant permanent",
        "Mission permanente de la France auprès de l'Organisation des Nations Unies",
        "New York, NY"]


def test_french_docx_reads_the_same(examples: dict[str, api.Result],
                                    tmp_path: Path) -> None:
    result = examples[FRENCH]
    docx = result.folder / "jerome-bonnafont-fr.docx"
    text = pdf_text(docx_to_pdf([docx], tmp_path)[docx])
    assert "23 mars 2021" in text and "Page 1 sur 4" in text
    for paragraph in french_paragraphs():
        assert compact(paragraph) in flat(text), paragraph[:60]


def records(name: str) -> dict[str, object]:
    data = yaml.safe_load((REPO / "recipients" / name).read_text(encoding="utf-8"))
    return {r.id: r for r in RecipientFile.model_validate(data).recipients}


def test_french_salutations_follow_the_recipients_gender() -> None:
    senate, house = records("us-senate.yaml"), records("us-house.yaml")
    missions = records("un-permanent-representatives.yaml")
    assert addressing.salutation(senate["K000367"], "fr") == "Madame la Sénatrice,"
    assert addressing.salutation(senate["S001150"], "fr") == "Monsieur le Sénateur,"
    assert addressing.salutation(house["O000173"], "fr") == "Madame la Représentante,"
    assert addressing.salutation(missions["KH"], "fr") == "Excellence,"
    unknown = senate["K000367"].model_copy(update={"gender": None})
    assert addressing.salutation(unknown, "fr") == \
        "Madame la Sénatrice, Monsieur le Sénateur,"
    assert addressing.salutation(missions["KH"], "km") == "សូមគោរពជូន ឯកឧត្តម"


MIXED = """title: t
date: 2021-03-23
recipients: {from: us-senate, where: {state: MN}, overrides: readers}
body: {statement: political-arrests-2021}
vars: {audience: US, meaningful_democracy: A meaningful democracy, urged: US, asks: Ask.}
closing: Sincerely,
translations:
  fr:
    body: {statement: political-arrests-2021}
    vars: {audience: des États, meaningful_democracy: La démocratie, urged: vous, asks: Agir.}
    closing: Veuillez agréer l'expression de ma haute considération.
"""


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    (project / "recipients" / "readers.yaml").write_text(
        "recipients:\n  - {id: K000367, language: fr}\n", encoding="utf-8")
    (project / "campaigns" / "mixed.yaml").write_text(MIXED, encoding="utf-8")
    return project


def test_each_recipient_reads_their_own_language(mixed: Path, tmp_path: Path) -> None:
    result = api.generate(mixed / "campaigns" / "mixed.yaml",
                          api.GenerateOptions(output_dir=tmp_path / "out"))
    french = pdf_text(result.folder / "amy-klobuchar-k000367.pdf")
    english = pdf_text(result.folder / "tina-smith-s001203.pdf")
    assert "23 mars 2021" in french and "Madame la Sénatrice," in french
    assert "Nous, organisations soussignées" in french and "Veuillez agréer" in french
    assert "March 23, 2021" in english and "Dear Senator Smith:" in english
    assert "We, the undersigned organizations" in english and "Sincerely," in english


def test_a_template_in_the_letters_language(mixed: Path, tmp_path: Path) -> None:
    (mixed / "templates" / "letter.fr.html.j2").write_text(
        '{% extends "letter.html.j2" %}\n{% block letterhead %}<p>Version française</p>'
        "{% endblock %}\n", encoding="utf-8")
    result = api.generate(mixed / "campaigns" / "mixed.yaml",
                          api.GenerateOptions(output_dir=tmp_path / "out", formats=["pdf"]))
    assert "Version française" in pdf_text(result.folder / "amy-klobuchar-k000367.pdf")
    assert "Version française" not in pdf_text(result.folder / "tina-smith-s001203.pdf")


def test_a_reader_without_texts_in_their_language(mixed: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(mixed)
    (mixed / "recipients" / "readers.yaml").write_text(
        "recipients:\n  - {id: K000367, language: de}\n", encoding="utf-8")
    assert run("check", "campaigns/mixed.yaml") == 1
    assert capsys.readouterr().err == (
        "error: recipients/readers.yaml:2:5: recipients.language: recipient 'K000367' reads "
        "'de', and the campaign has no texts in it: add a 'translations: de:' section to the "
        "campaign, or remove the record's language\n")


def test_a_statement_without_a_translation(mixed: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(mixed)
    campaign = mixed / "campaigns" / "mixed.yaml"
    campaign.write_text(MIXED + "enclosures:\n  - statement: joint-statement-2021-03-23\n",
                        encoding="utf-8")
    assert run("check", "campaigns/mixed.yaml") == 1
    assert capsys.readouterr().err == (
        "error: campaigns/mixed.yaml:13:5: statement: statement 'joint-statement-2021-03-23' is "
        "in 'en', and the campaign writes in 'fr': add its translation as "
        "statements/joint-statement-2021-03-23.fr.md\n")


# --- Khmer ------------------------------------------------------------------------------------

KHMER_CAMPAIGN = f"""title: Khmer
date: 2021-03-23
language: km
recipients: {{from: un-permanent-representatives, where: {{country: KH}},
              overrides: un-missions-2021}}
subject: {KHMER[0]}
body: |
  {KHMER[1]}

  {KHMER[2]}
closing: ""
"""


@pytest.fixture(scope="module")
def khmer(tmp_path_factory: pytest.TempPathFactory) -> api.Result:
    folder = tmp_path_factory.mktemp("khmer")
    project = copy_project(folder / "project")
    (project / "campaigns" / "khmer.yaml").write_text(KHMER_CAMPAIGN, encoding="utf-8")
    return api.generate(project / "campaigns" / "khmer.yaml",
                        api.GenerateOptions(output_dir=folder / "out"))


def raw_text(pdf: Path) -> str:
    """Read a PDF in content order (pdftotext -raw), with whitespace runs made single spaces."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


def test_khmer_pdf_embeds_a_khmer_font_and_extracts_exactly(khmer: api.Result) -> None:
    pdf = khmer.folder / "chhea-keo-kh.pdf"
    fonts = {row[0].split("+")[1]: row[-5] for row in pdf_fonts(pdf)}
    assert fonts["Noto-Serif-Khmer"] == "yes" and fonts["Noto-Serif-Khmer-Bold"] == "yes"
    text = raw_text(pdf)
    for expected in ["23 មីនា 2021", "កម្មវត្ថុ៖ " + KHMER[0], "សូមគោរពជូន ឯកឧត្តម", *KHMER[1:]]:
        assert expected in text


def test_without_actual_text_khmer_would_not_extract(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The ActualText spans are what makes Khmer extractable: WeasyPrint's own map is wrong."""
    html = (f'<html lang="km"><body style="font-family: \'Noto Serif Khmer\'">'
            f"<p>{KHMER[0]}</p></body></html>")
    weasyprint.HTML(string=html).write_pdf(tmp_path / "with.pdf")
    monkeypatch.setattr(draw_text, "draw_first_line", draw_text.draw_first_line.original)
    weasyprint.HTML(string=html).write_pdf(tmp_path / "without.pdf")
    assert KHMER[0] in raw_text(tmp_path / "with.pdf")
    assert KHMER[0] not in raw_text(tmp_path / "without.pdf")


def test_khmer_docx_names_a_khmer_font_for_complex_script(khmer: api.Result,
                                                          tmp_path: Path) -> None:
    docx = khmer.folder / "chhea-keo-kh.docx"
    with zipfile.ZipFile(docx) as archive:
        styles = archive.read("word/styles.xml").decode()
    normal = styles[styles.index('w:styleId="Normal"'):][:1500]
    assert 'w:cs="Noto Serif Khmer"' in normal and '<w:szCs w:val="24"/>' in normal
    assert 'w:bidi="km-KH"' in normal
    converted = docx_to_pdf([docx], tmp_path)[docx]
    fonts = {row[0].split("+")[1] for row in pdf_fonts(converted)}
    assert {"NotoSerifKhmer-Regular", "NotoSerifKhmer-Bold"} <= fonts
    # LibreOffice's PDF maps Khmer correctly; pdftotext may split clusters with spaces.
    text = compact(raw_text(converted))
    for expected in ["23មីនា2021", KHMER[0], *KHMER[1:]]:
        assert compact(expected) in text


# A Khmer letter of several pages, with an English signatory list (no Khmer heading).
LONG_KHMER = KHMER_CAMPAIGN.replace(f"  {KHMER[2]}\n", "\n".join(
    f"  {' '.join([KHMER[2]] * (3 + n % 4))}\n" for n in range(9))) + \
    "signatories: cambodian-diaspora-2021\n"


@pytest.fixture(scope="module")
def long_khmer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A long Khmer letter: its PDF, its DOCX, and the DOCX as LibreOffice prints it."""
    folder = tmp_path_factory.mktemp("long-khmer")
    project = copy_project(folder / "project")
    (project / "campaigns" / "khmer.yaml").write_text(LONG_KHMER, encoding="utf-8")
    result = api.generate(project / "campaigns" / "khmer.yaml",
                          api.GenerateOptions(output_dir=folder / "out"))
    docx = result.folder / "chhea-keo-kh.docx"
    return docx.with_suffix(".pdf"), docx, docx_to_pdf([docx], folder / "lo")[docx]


def line_pitches(pdf: Path, page: int) -> list[float]:
    """Return the distances between successive lines of a page, in points.

    poppler may report one printed line as several (Khmer clusters), whose tops differ
    by a little: tops closer than 5 pt count as one line.
    """
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page),
                          str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    lines: list[float] = []
    for top in sorted(float(y) for y in re.findall(r'<line xMin="[^"]*" yMin="([^"]*)"', xml)):
        if not lines or top - lines[-1] > 5:
            lines.append(top)
    return [round(b - a, 1) for a, b in itertools.pairwise(lines)]


def test_khmer_lines_are_as_tall_in_the_docx_as_the_css_says(
        long_khmer: tuple[Path, Path, Path]) -> None:
    """Khmer lines are 1.7 x the size (letter.css), in LibreOffice too (were about 1.3 x)."""
    _, docx, converted = long_khmer
    with zipfile.ZipFile(docx) as archive:
        styles = archive.read("word/styles.xml").decode()
    normal = styles[styles.index('w:styleId="Normal"'):][:1500]
    assert 'w:line="408" w:lineRule="atLeast"' in normal  # 12 pt x 1.7 = 20.4 pt
    pitches = line_pitches(converted, 2)
    assert pitches.count(20.4) > len(pitches) / 2, pitches


def test_english_text_in_a_khmer_letter_is_english(long_khmer: tuple[Path, Path, Path]) -> None:
    """Runs are tagged by script, and an English heading ends with ':', not '៖'."""
    pdf, docx, converted = long_khmer
    heading = "Joint statement by Cambodian civil organizations residing outside Cambodia"
    for text in (raw_text(pdf), raw_text(converted)):
        assert f"{heading}:" in text and f"{heading}៖" not in text
    with zipfile.ZipFile(docx) as archive:
        document = archive.read("word/document.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    normal = styles[styles.index('w:styleId="Normal"'):][:1500]
    assert '<w:lang w:val="en-US" w:bidi="km-KH"/>' in normal
    runs = re.findall(r"<w:r>(.*?)</w:r>", document, re.S)
    latin = [r for r in runs if re.search(r"<w:t[^>]*>[^<]*[A-Za-z]", r)]
    khmer = [r for r in runs if re.search("<w:t[^>]*>[^<]*[\u1780-\u17ff]", r)]
    assert latin and khmer
    assert all('<w:lang w:val="en-US"/>' in run for run in latin)
    assert all('<w:lang w:bidi="km-KH"/>' in run and 'w:hint="cs"' in run for run in khmer)
    assert 'w:val="km-KH"' not in document
