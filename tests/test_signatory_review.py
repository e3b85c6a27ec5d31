"""'advocacy signatories list|check|diff', on copies of the two real lists of the 2021
campaign."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocacy import api
from tests.helpers import CIVIL, DIASPORA, HAMPTON, HAMPTONS, sig, tree_hashes

# --- list and check -----------------------------------------------------------------------


def test_list_prints_as_the_letters_do(project: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = sig(capsys, "list", "cambodian-civil-society-2021-03")
    assert code == 0
    assert out.splitlines()[:4] == [
        f"{CIVIL}: 18 entries, numbered, in the order given",
        "Cambodian Civil Society Organizations:",
        "  1. Cambodia Border Institute (CBI)",
        "  2. Cambodia Women Health Organization (CWHO)"]
    assert out.splitlines()[-1] == " 18. Société Buddhiste Khmère (SBK)"


def test_list_grouped_and_sorted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("signatories/g.yaml").write_text(
        "numbered: false\nsort: alphabetical\ngroup_by: country\nsignatories:\n"
        "  - {name: Société Buddhiste Khmère, country: FR}\n"
        "  - {name: Cambodia Border Institute}\n"
        "  - {name: Alliance Cambodge Canada, country: CA}\n"
        "  - {name: Amis du Cambodge, country: FR}\n",
        encoding="utf-8")
    code, out, _ = sig(capsys, "list", "signatories/g.yaml", "--language", "fr")
    assert (code, out) == (0, "signatories/g.yaml: 4 entries, not numbered, sorted "
                           "alphabetically, grouped by country\n"
                           "Canada\n     Alliance Cambodge Canada\n"
                           "France\n     Amis du Cambodge\n     Société Buddhiste Khmère\n"
                           "Other\n     Cambodia Border Institute\n")


def test_check_real_lists_are_clean(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, path in (("cambodian-diaspora-2021", DIASPORA),
                       ("cambodian-civil-society-2021-03", CIVIL)):
        assert sig(capsys, "check", name) == (0, f"{path}: ok, 18 entries; no duplicates, near "
                                              "duplicates or clashing acronyms\n", "")


def test_check_warns_of_names_in_capitals(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Names as a sign-up form brings them: all in lower or upper case (acronyms aside)."""
    with open(DIASPORA, "a", encoding="utf-8") as stream:
        stream.write("  - {name: cambodian center for human rights (cchr)}\n"
                     "  - {name: HUMAN RIGHTS NOW}\n"
                     "  - {name: ARTICLE 19}\n  - {name: KPNA}\n")
    code, out, _ = sig(capsys, "check", "cambodian-diaspora-2021")
    assert (code, out) == (0, (
        f"{DIASPORA}:27:5: written all in lower case; if the organisation writes it Cambodian "
        "Center for Human Rights (CCHR): advocacy signatories rename cambodian-diaspora-2021 "
        "'cambodian center for human rights (cchr)' 'Cambodian Center for Human Rights (CCHR)'\n"
        f"{DIASPORA}:28:5: written all in upper case; if the organisation writes it Human Rights "
        "Now: advocacy signatories rename cambodian-diaspora-2021 'HUMAN RIGHTS NOW' "
        "'Human Rights Now'\n"
        f"{DIASPORA}: 22 entries, 2 to look at; the list can print as it is\n"))


def test_check_finds_near_duplicates_and_clashes(project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with open(DIASPORA, "a", encoding="utf-8") as stream:
        stream.write(f"  - {{name: {HAMPTONS}}}\n"
                     "  - {name: Societe buddhiste khmere}\n"
                     "  - {name: 'Pro-Democratie pour le Cambodge du Canada'}\n"
                     "  - {name: Khmer Arts Foundation, short: KAF}\n"
                     "  - {name: KPNC}\n")
    code, out, _ = sig(capsys, "check", "cambodian-diaspora-2021")
    assert code == 0
    assert out == (
        f"{DIASPORA}:27:5: near duplicate: {HAMPTONS} looks like entry 11, {HAMPTON} (KAHRV) "
        "(line 19): the names differ only in a plural 's'\n"
        f"{DIASPORA}:29:5: near duplicate: Pro-Democratie pour le Cambodge du Canada looks "
        "like entry 18, Pro Démocratie pour le Cambodge du Canada (PDCC) (line 26): the names "
        "differ only in accents and punctuation\n"
        f"{DIASPORA}:30:5: acronym clash: 'KAF' is also the acronym of entry 10, Khmer Alliance "
        "Foundation (line 18)\n"
        f"{DIASPORA}:31:5: near duplicate: KPNC looks like entry 12, Khmer People Network for "
        "Cambodia (KPNC) (line 20): 'KPNC' is the acronym of 'Khmer People Network for "
        "Cambodia'\n"
        f"{DIASPORA}: 23 entries, 4 to look at; the list can print as it is\n")


def test_check_reports_what_stops_a_list(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    Path("signatories/bad.yaml").write_text(
        "signatories:\n  - {name: Khmer Unity for Cambodia}\n  - {name: '  '}\n"
        "  - {name: KHMER UNITY FOR CAMBODIA}\n  - {name: X, acronym: Y}\n", encoding="utf-8")
    before = tree_hashes(project)
    code, out, err = sig(capsys, "check", "bad")
    assert tree_hashes(project) == before
    assert (code, out) == (1, "")
    assert err == (
        "error: signatories/bad.yaml:3:6: signatories.name: must not be empty\n"
        "signatories/bad.yaml:5:15: signatories.acronym: unknown key 'acronym'; known keys: "
        "contact, country, kind, name, organisation, short, signature, title\n"
        "2 problems found; nothing was written.\n")
    Path("signatories/bad.yaml").write_text(
        "signatories:\n  - {name: Khmer Unity for Cambodia}\n"
        "  - {name: KHMER UNITY FOR CAMBODIA}\n", encoding="utf-8")
    duplicate = ("error: signatories/bad.yaml:3:5: signatories: 'KHMER UNITY FOR CAMBODIA' is "
                 "listed twice (also entry 1, line 2); remove one\n")
    assert sig(capsys, "check", "bad")[2] == duplicate
    # An editing command refuses a list with errors, and changes nothing.
    before = tree_hashes(project)
    assert sig(capsys, "add", "bad", "Another") == (1, "", duplicate)
    assert tree_hashes(project) == before


def test_unknown_list_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sig(capsys, "list", "cambodian-diaspora") == (
        1, "", "error: no signatories 'cambodian-diaspora' in signatories/; did you mean "
        "'cambodian-diaspora-2021'?\n")


# --- diff ---------------------------------------------------------------------------------


def test_diff_the_two_real_lists(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sig(capsys, "diff", "cambodian-diaspora-2021", "cambodian-civil-society-2021-03") == (
        0, f"""\
Only in {DIASPORA} (2):
  - Alliance Cambodge Canada (ACC)
  - Cambodian Americans for Human Rights and Democracy League Activist (CAHRADLA)
Only in {CIVIL} (2):
  + Committee for Paris Peace Accords on Cambodia-Minnesota (CPPAC-MN)
  + Société Buddhiste Khmère (SBK)
16 in both.
""", "")


def test_diff_with_a_manifest_says_who_joined_or_left(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api.generate(Path("campaigns/cambodia-2021-congress.yaml"),
                 api.GenerateOptions(output_dir=Path("output"), formats=["pdf"]))
    manifest = "output/cambodia-2021-congress/manifest.json"
    assert sig(capsys, "diff", "cambodian-diaspora-2021", manifest) == (
        0, f"{manifest}: the letters carried 18 entries; the list file is unchanged since.\n"
        "No differences: the same 18 entries.\n", "")
    for args in (("remove", "CAHRADLA"), ("rename", "KAHRV", HAMPTONS),
                 ("rename", "KAF", "--short", "KAFO"), ("add", "Cambodian Youth Network")):
        assert sig(capsys, args[0], "cambodian-diaspora-2021", *args[1:])[0] == 0
    expected = f"""\
{manifest}: the letters carried 18 entries; the list file has changed since.
Left since output/cambodia-2021-congress/ was generated (1):
  - Cambodian Americans for Human Rights and Democracy League Activist (CAHRADLA)
Joined since output/cambodia-2021-congress/ was generated (1):
  + Cambodian Youth Network
Changed name (1):
  ~ {HAMPTON} (KAHRV) -> {HAMPTONS} (KAHRV)
Changed acronym (1):
  ~ Khmer Alliance Foundation (KAF) -> Khmer Alliance Foundation (KAFO)
15 unchanged.
"""
    assert sig(capsys, "diff", "cambodian-diaspora-2021", manifest) == (0, expected, "")
    assert sig(capsys, "diff", manifest, DIASPORA) == (0, expected, "")


def test_diff_a_name_made_longer_or_keeping_its_acronym_is_a_new_name(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sig(capsys, "add", "cambodian-diaspora-2021", "ARTICLE 19")[0] == 0
    api.generate(Path("campaigns/cambodia-2021-congress.yaml"),
                 api.GenerateOptions(output_dir=Path("output"), formats=["pdf"]))
    manifest = "output/cambodia-2021-congress/manifest.json"
    for old, new in (("ARTICLE 19", "ARTICLE 19: Global Campaign for Free Expression"),
                     ("KUC", "Khmer United Community")):
        assert sig(capsys, "rename", "cambodian-diaspora-2021", old, new)[0] == 0
    out = sig(capsys, "diff", "cambodian-diaspora-2021", manifest)[1]
    assert out.splitlines()[1:] == [
        "Changed name (2):",
        "  ~ Khmer Unity for Cambodia (KUC) -> Khmer United Community (KUC)",
        "  ~ ARTICLE 19 -> ARTICLE 19: Global Campaign for Free Expression",
        "17 unchanged."]


def test_diff_with_a_bad_manifest(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("old.json").write_text('{"campaign": "x", "letters": []}\n', encoding="utf-8")
    assert sig(capsys, "diff", "cambodian-diaspora-2021", "old.json")[2] == (
        "error: old.json: a manifest this release cannot read (title: Field required); "
        "generate the campaign again\n")
    Path("other.json").write_text('{"campaign": "x"}\n', encoding="utf-8")
    assert sig(capsys, "diff", "cambodian-diaspora-2021", "other.json")[2] == (
        "error: other.json: not a manifest written by 'advocacy generate'\n")
    Path("broken.json").write_text('{"signatories": [\n  {"list": }\n', encoding="utf-8")
    assert sig(capsys, "diff", "cambodian-diaspora-2021", "broken.json")[2] == (
        "error: broken.json:2:12: not valid JSON: Expecting value\n")
