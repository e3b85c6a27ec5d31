"""'advocacy signatories import': sign-up form exports into a copy of a real list."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CIVIL, run_captured, tree_hashes

LIST = "cambodian-civil-society-2021-03"

# As Google Forms exports it: UTF-8 with a BOM, CRLF line ends, the question as column name.
GOOGLE_FORM = (
    "\ufeffTimestamp,Organisation name,Acronym (if any),Country,Email Address\r\n"
    "2021/04/01 10:00:00,Alliance Cambodge Canada,(ACC),Canada,acc@example.org\r\n"
    "2021/04/01 11:00:00,Cambodia Border Institute,CBI,,cbi@example.org\r\n"
    "2021/04/02 09:00:00,Khmer Association of Hampton Roads Virginia,KAHRV,United States,"
    "k@example.org\r\n"
    "2021/04/02 10:00:00,khmer unity for cambodia,KUC,,\r\n"
    '2021/04/02 11:00:00,"Friends of Cambodia, Inc.",FOC,NO,foc@example.org\r\n'
    "2021/04/02 12:00:00,Pro-Democratie pour le Cambodge du Canada,,CA,\r\n"
    "2021/04/03 09:00:00,KPNC,,,\r\n"
    "2021/04/03 10:00:00,  Alliance  Cambodge Canada ,ACC,CA,acc@example.org\r\n"
    "2021/04/03 11:00:00,Cambodian Youth Network,CYN,KH,\r\n"
    "2021/04/03 12:00:00,Cambodian Youth Networks,,KH,\r\n"
    ",,,,\r\n"
)
PREVIEW = f"""\
form.csv: 10 rows; columns: name = 'Organisation name', short = 'Acronym (if any)', \
country = 'Country', contact = 'Email Address'; ignored: 'Timestamp'
To add (3):
  + Alliance Cambodge Canada (ACC)  [row 2]
  + Friends of Cambodia, Inc. (FOC)  [row 6]
  + Cambodian Youth Network (CYN)  [row 10]
Already on the list (2):
  = Cambodia Border Institute (CBI)  [row 3, entry 1]
  = khmer unity for cambodia (KUC)  [row 5, entry 12]; the list writes it Khmer Unity for \
Cambodia
Repeated in the form (1):
  = Alliance Cambodge Canada (ACC)  [row 9, as row 2]
Near duplicates, not added (4):
  ? Khmer Association of Hampton Roads Virginia (KAHRV)  [row 4]
      looks like entry 10, Khmer Association of Hampton Road Virginia (KAHRV): the names \
differ only in a plural 's'; same acronym KAHRV
      same organisation, new name? advocacy signatories rename {LIST} KAHRV \
'Khmer Association of Hampton Roads Virginia'
      another organisation? advocacy signatories add {LIST} \
'Khmer Association of Hampton Roads Virginia' --force
  ? Pro-Democratie pour le Cambodge du Canada  [row 7]
      looks like entry 17, Pro Démocratie pour le Cambodge du Canada (PDCC): the names differ \
only in accents and punctuation
      same organisation, new name? advocacy signatories rename {LIST} PDCC \
'Pro-Democratie pour le Cambodge du Canada'
      another organisation? advocacy signatories add {LIST} \
'Pro-Democratie pour le Cambodge du Canada' --force
  ? KPNC  [row 8]
      looks like entry 11, Khmer People Network for Cambodia (KPNC): 'KPNC' is the acronym \
of 'Khmer People Network for Cambodia'
      same organisation, new name? advocacy signatories rename {LIST} KPNC KPNC
      another organisation? advocacy signatories add {LIST} KPNC --force
  ? Cambodian Youth Networks  [row 11]
      looks like row 10, Cambodian Youth Network: the names differ only in a plural 's'
      another organisation? advocacy signatories add {LIST} 'Cambodian Youth Networks' --force
"""


def import_(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_captured(capsys, "signatories", "import", LIST, "form.csv", *args)


def test_preview_shows_new_known_and_near_duplicates(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("form.csv").write_bytes(GOOGLE_FORM.encode("utf-8"))
    before = tree_hashes(project)
    assert import_(capsys) == (0, PREVIEW + "Nothing was written. Run again with --yes to add "
                               "3 entries.\n", "")
    assert tree_hashes(project) == before


def test_yes_adds_the_new_rows_in_alphabetical_place(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("form.csv").write_bytes(GOOGLE_FORM.encode("utf-8"))
    before = Path(CIVIL).read_text(encoding="utf-8").splitlines()
    assert import_(capsys, "--yes") == (
        0, PREVIEW + f"{CIVIL}: added 3 entries; the list now has 21 entries.\n", "")
    after = Path(CIVIL).read_text(encoding="utf-8").splitlines()
    added = {
        6: "  - {name: Alliance Cambodge Canada, short: ACC, country: CA, contact: "
           "acc@example.org}",
        13: "  - {name: Cambodian Youth Network, short: CYN, country: KH}",
        16: "  - {name: 'Friends of Cambodia, Inc.', short: FOC, country: 'NO', contact: "
            "foc@example.org}",
    }
    assert {i: after[i] for i in added} == added
    assert [line for i, line in enumerate(after) if i not in added] == before
    # Importing the same form again adds nothing.
    code, out, _ = import_(capsys, "--yes")
    assert (code, out.splitlines()[-1]) == (0, "Nothing to add; nothing was written.")


def test_dry_run_prints_the_change(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("form.csv").write_bytes(GOOGLE_FORM.encode("utf-8"))
    before = tree_hashes(project)
    code, out, _ = import_(capsys, "--dry-run", "--yes")
    assert code == 0
    assert out.removeprefix(PREVIEW) == f"""\
--- {CIVIL}
+++ {CIVIL}
@@ -6,2 +6,3 @@
 signatories:
+  - {{name: Alliance Cambodge Canada, short: ACC, country: CA, contact: acc@example.org}}
   - {{name: Cambodia Border Institute, short: CBI}}
@@ -12,4 +13,6 @@
   - {{name: Cambodian Australian Federation, short: CAF, country: AU}}
+  - {{name: Cambodian Youth Network, short: CYN, country: KH}}
   - {{name: Committee for Paris Peace Accords on Cambodia-Minnesota, short: CPPAC-MN, country: US}}
   - {{name: Foundation of Khmer Samaki, short: FKS}}
+  - {{name: 'Friends of Cambodia, Inc.', short: FOC, country: 'NO', contact: foc@example.org}}
   - {{name: Khmer Alliance Foundation, short: KAF}}
Dry run: nothing was written.
"""
    assert tree_hashes(project) == before


def test_excel_windows_1252_with_columns_named_by_options(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("form.csv").write_bytes(
        "Org,Abbrev,Where,Who\r\nAmis de la Société Khmère,ASK,France,Dara\r\n"
        "Khmer Alliance Foundation,KAF,,\r\n".encode("cp1252"))
    code, out, _ = import_(capsys, "--name-column", "org", "--short-column", "Abbrev",
                           "--country-column", "Where", "--yes")
    assert code == 0
    assert out == ("form.csv: 2 rows; columns: name = 'Org', short = 'Abbrev', country = "
                   "'Where'; ignored: 'Who'\n"
                   "To add (1):\n  + Amis de la Société Khmère (ASK)  [row 2]\n"
                   "Already on the list (1):\n  = Khmer Alliance Foundation (KAF)  [row 3, "
                   "entry 9]\n"
                   f"{CIVIL}: added 1 entry; the list now has 19 entries.\n")
    assert "  - {name: Amis de la Société Khmère, short: ASK, country: FR}" in \
        Path(CIVIL).read_text(encoding="utf-8")


def test_a_form_of_individuals(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("form.csv").write_text("Full name,Title,Organization,E-mail\n"
                                "Sophal Chea,Director,Example Association,s@example.org\n",
                                encoding="utf-8")
    code, out, _ = import_(capsys, "--yes")
    assert out.splitlines()[0] == ("form.csv: 1 row; columns: name = 'Full name', contact = "
                                   "'E-mail', title = 'Title', organisation = 'Organization'")
    assert code == 0
    assert Path(CIVIL).read_text(encoding="utf-8").splitlines()[-1] == (
        "  - {name: Sophal Chea, title: Director, organisation: Example Association, contact: "
        "s@example.org}")


def test_import_warns_of_names_in_capitals(project: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    Path("form.csv").write_text("Name\ncambodian center for human rights (cchr)\n"
                                "HUMAN RIGHTS NOW\nARTICLE 19\n", encoding="utf-8")
    code, out, _ = import_(capsys)
    assert code == 0
    assert out.splitlines()[1:8] == [
        "To add (3):",
        "  + cambodian center for human rights (cchr)  [row 2]",
        "      written all in lower case; if the organisation writes it Cambodian Center for "
        f"Human Rights (CCHR): advocacy signatories rename {LIST} 'cambodian center for human "
        "rights (cchr)' 'Cambodian Center for Human Rights (CCHR)'",
        "  + HUMAN RIGHTS NOW  [row 3]",
        "      written all in upper case; if the organisation writes it Human Rights Now: "
        f"advocacy signatories rename {LIST} 'HUMAN RIGHTS NOW' 'Human Rights Now'",
        "  + ARTICLE 19  [row 4]",
        "Nothing was written. Run again with --yes to add 3 entries."]


def test_khmer_names_that_differ_in_a_vowel_are_different(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_captured(capsys, "signatories", "add", LIST, "សមាគមសុខី")[0] == 0
    code, _, err = run_captured(capsys, "signatories", "add", LIST, "សមាគមសុខា")
    assert (code, err) == (0, "")
    Path("form.csv").write_text("Name\nសមាគមសុខូ\n", encoding="utf-8")
    assert "To add (1):\n  + សមាគមសុខូ  [row 2]\n" in import_(capsys, "--yes")[1]


@pytest.mark.parametrize(("form", "args", "message"), [
    ("Name,Acronym\nA,B,C\n", (),
     "form.csv:2: this row has 3 cells but the header has 2 columns; check for a missing or "
     "extra comma"),
    ('Name,Acronym\n"A, unclosed\n', (),
     "form.csv:2: not valid CSV: unexpected end of data; check the quotes (\") in this row"),
    ("", (), "form.csv:1: the file is empty; the first row must name the columns"),
    ("Name,Acronym\nA,X\n,Y\nC,Z\n", ("--short-column", "Acronyms"),
     "form.csv:1: no column 'Acronyms' in the header; the columns are 'Name', 'Acronym'"),
    ("Timestamp,Comments\n1,x\n", (),
     "form.csv:1: no column of names found; the columns are 'Timestamp', 'Comments'. Say which "
     "one holds the names with --name-column 'COLUMN'"),
    ("Name,Country\nA,Cambodge\n,KH\nB,XX\n", (),
     "form.csv:2: country 'Cambodge' is not a country name or two-letter code; correct it or "
     "leave it empty\n"
     "form.csv:3: no name in column 'Name'; fill it in or delete the row\n"
     "form.csv:4: country 'XX' is not a country name or two-letter code; correct it or leave "
     "it empty\n3 problems found; nothing was written."),
])
def test_bad_forms_change_nothing(project: Path, capsys: pytest.CaptureFixture[str], form: str,
                                  args: tuple[str, ...], message: str) -> None:
    Path("form.csv").write_text(form, encoding="utf-8")
    before = tree_hashes(project)
    assert import_(capsys, "--yes", *args) == (1, "", f"error: {message}\n")
    assert tree_hashes(project) == before
