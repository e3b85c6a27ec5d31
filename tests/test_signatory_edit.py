"""'advocacy signatories add|remove|rename': edits of copies of the two real lists of the
2021 campaign keep the file as a person wrote it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import CIVIL, DIASPORA, HAMPTON, HAMPTONS, sig, tree_hashes
from tests.hostile.test_resources import png

# The diaspora list as a person might keep it: comments, blank lines, quotes, one
# entry in block style.
COMMENTED = """\
# Who signed the 2021 letters.
heading: Joint statement by Cambodian civil organizations residing outside Cambodia
numbered: true   # as printed in 2021
signatories:
  # Canada
  - {name: Alliance Cambodge Canada, short: ACC, country: CA}  # joined 2021-02-01

  # The first eight, from the March call
  - {name: 'Cambodia Border Institute', short: CBI}
  - {name: "Cambodia Women Health Organization", short: CWHO}
  - name: Khmer Association of Hampton Road Virginia
    # acronym checked by phone
    short: KAHRV
    country: US

  # Late additions
  - {name: Khmer Unity for Cambodia, short: KUC}
# end of list
"""


def lines(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").splitlines()


def without(all_lines: list[str], *removed: str) -> list[str]:
    return [line for line in all_lines if line not in removed]


# --- add, remove, rename ------------------------------------------------------------------


def test_add_goes_in_alphabetical_place(project: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    before = lines(DIASPORA)
    code, out, _ = sig(capsys, "add", "cambodian-diaspora-2021", "Cambodian Youth Network",
                       "--short", "CYN", "--country", "Cambodia", "--contact", "a@example.org")
    assert (code, out) == (0, f"{DIASPORA}:17: added Cambodian Youth Network (CYN) as entry 9; "
                           "the list now has 19 entries.\n")
    after = lines(DIASPORA)
    assert after[16] == ("  - {name: Cambodian Youth Network, short: CYN, country: KH, "
                         "contact: a@example.org}")
    assert without(after, after[16]) == before  # every other line as it was


def test_add_then_remove_gives_back_the_same_file(project: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    Path(DIASPORA).write_text(COMMENTED, encoding="utf-8")
    for position in ("Aaa First", "Khmer B", "Zzz Last"):
        assert sig(capsys, "add", "cambodian-diaspora-2021", position)[0] == 0
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "aaa first")[0] == 0
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "Khmer B")[0] == 0
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "Zzz Last")[0] == 0
    assert Path(DIASPORA).read_text(encoding="utf-8") == COMMENTED


def test_edits_keep_comments_quotes_and_blank_lines(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path(DIASPORA).write_text(COMMENTED, encoding="utf-8")
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "ACC")[0] == 0
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "KAHRV")[0] == 0
    assert sig(capsys, "rename", "cambodian-diaspora-2021", "CBI",
               "Cambodia Border Institute, Inc.")[0] == 0
    assert sig(capsys, "add", "cambodian-diaspora-2021", "Cambodia Youth", "--short", "CY")[0] == 0
    assert Path(DIASPORA).read_text(encoding="utf-8") == """\
# Who signed the 2021 letters.
heading: Joint statement by Cambodian civil organizations residing outside Cambodia
numbered: true   # as printed in 2021
signatories:
  # Canada

  # The first eight, from the March call
  - {name: 'Cambodia Border Institute, Inc.', short: CBI}
  - {name: "Cambodia Women Health Organization", short: CWHO}
  - {name: Cambodia Youth, short: CY}

  # Late additions
  - {name: Khmer Unity for Cambodia, short: KUC}
# end of list
"""


def test_edit_a_block_style_entry(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path(DIASPORA).write_text(COMMENTED, encoding="utf-8")
    assert sig(capsys, "rename", "cambodian-diaspora-2021", "KAHRV", HAMPTONS,
               "--short", "KAHRSV")[0] == 0
    assert sig(capsys, "add", "cambodian-diaspora-2021", "Khmer Kampuchea-Krom Federation",
               "--country", "US")[0] == 0
    assert lines(DIASPORA)[10:17] == [
        f"  - name: {HAMPTONS}", "    # acronym checked by phone", "    short: KAHRSV",
        "    country: US", "  - name: Khmer Kampuchea-Krom Federation", "    country: US", ""]


def test_dry_run_prints_the_change_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_hashes(project)
    code, out, _ = sig(capsys, "remove", "cambodian-diaspora-2021", "CAHRADLA", "--dry-run")
    assert (code, out) == (0, f"""\
{DIASPORA}: would remove Cambodian Americans for Human Rights and Democracy League Activist \
(CAHRADLA), entry 6
--- {DIASPORA}
+++ {DIASPORA}
@@ -13,3 +13,2 @@
   - {{name: Cambodian Americans for Human Rights and Democracy, short: CAHRAD, country: US}}
-  - {{name: Cambodian Americans for Human Rights and Democracy League Activist, short: CAHRADLA}}
   - {{name: Cambodian Association of Victoria, short: CAV, country: AU}}
Dry run: nothing was written.
""")
    for args in (("add", "cambodian-diaspora-2021", "New", "--dry-run"),
                 ("rename", "cambodian-diaspora-2021", "KAF", "--short", "KAFO", "--dry-run")):
        assert sig(capsys, *args)[0] == 0
    assert tree_hashes(project) == before


def test_add_refuses_a_near_duplicate_unless_forced(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_hashes(project)
    assert sig(capsys, "add", "cambodian-diaspora-2021", HAMPTONS) == (1, "", (
        f"error: {DIASPORA}:19:5: {HAMPTONS} looks like entry 11, {HAMPTON} (KAHRV): the names "
        "differ only in a plural 's'. Nothing was written. If it is another organisation, run "
        "again with --force; if it is the same one under a new name: advocacy signatories "
        f"rename cambodian-diaspora-2021 KAHRV '{HAMPTONS}'\n"))
    assert sig(capsys, "add", "cambodian-diaspora-2021", "khmer unity for  cambodia")[2] == (
        f"error: {DIASPORA}:21:5: Khmer Unity for Cambodia (KUC) is already on the list as "
        "entry 13; nothing was written\n")
    assert sig(capsys, "add", "cambodian-diaspora-2021", "Khmer Arts", "--short", "kaf")[2] \
        .startswith(f"error: {DIASPORA}:18:5: Khmer Arts (kaf) looks like entry 10, Khmer "
                    "Alliance Foundation (KAF): same acronym KAF.")
    assert tree_hashes(project) == before
    assert sig(capsys, "add", "cambodian-diaspora-2021", HAMPTONS, "--force")[0] == 0
    assert f"  - {{name: {HAMPTONS}}}" in lines(DIASPORA)


def test_add_person_with_signature_and_tricky_values(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("signatories/signatures").mkdir()
    Path("signatories/signatures/s.png").write_bytes(png())  # a real image: it is decoded
    code, _, err = sig(capsys, "add", "cambodian-diaspora-2021", "Sophal Chea: Director",
                       "--title", "yes", "--organisation", "Friends, Inc.", "--country", "no",
                       "--signature", "signatures/s.png")
    assert code == 0, err
    assert lines(DIASPORA)[-1] == ("  - {name: 'Sophal Chea: Director', country: 'NO', title: "
                                   "'yes', organisation: 'Friends, Inc.', signature: "
                                   "signatures/s.png}")
    # The loader for letters reads the values back as written (NO is Norway, not false).
    code, out, _ = sig(capsys, "list", "cambodian-diaspora-2021")
    assert out.splitlines()[-1] == (" 19. Sophal Chea: Director, yes, Friends, Inc.  "
                                    "[signature: signatories/signatures/s.png]")
    assert sig(capsys, "add", "cambodian-diaspora-2021", "Dara", "--signature", "x.png")[2] == (
        "error: signatories/cambodian-diaspora-2021.yaml:17:18: signatories.signature: no file "
        "'x.png' next to the list; the path is relative to the list file\n")
    assert sig(capsys, "add", "cambodian-diaspora-2021", "Dara", "--country", "Atlantis")[2] == (
        "error: --country: 'Atlantis' is not a country name or two-letter code\n")


def test_remove_finds_entries_by_name_or_acronym(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = lines(DIASPORA)
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "pdcc") == (
        0, f"{DIASPORA}: removed Pro Démocratie pour le Cambodge du Canada (PDCC), entry 18; "
        "the list now has 17 entries.\n", "")
    assert lines(DIASPORA) == before[:-1]
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "Khmer Unity") == (
        1, "", f"error: {DIASPORA}: no entry is named 'Khmer Unity' or has it as acronym; did "
        "you mean Khmer Unity for Cambodia (KUC)?\n")
    with open(DIASPORA, "a", encoding="utf-8") as stream:
        stream.write("  - {name: Khmer Arts Foundation, short: KAF}\n")
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "KAF")[2] == (
        f"error: {DIASPORA}: 'KAF' is the acronym of 2 entries: Khmer Alliance Foundation (KAF) "
        "(line 18); Khmer Arts Foundation (KAF) (line 26); give the full name\n")


def test_rename_name_and_acronym(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = lines(CIVIL)
    assert sig(capsys, "rename", CIVIL, "KAHRV", HAMPTONS) == (
        0, f"{CIVIL}:16: renamed {HAMPTON} (KAHRV) to {HAMPTONS} (KAHRV).\n", "")
    assert sig(capsys, "rename", CIVIL, "Committee for Paris Peace Accords on Cambodia-Minnesota",
               "--short", "CPPAC-Minnesota")[0] == 0
    after = lines(CIVIL)
    assert [a for a, b in zip(after, before, strict=True) if a != b] == [
        "  - {name: Committee for Paris Peace Accords on Cambodia-Minnesota, short: "
        "CPPAC-Minnesota, country: US}",
        f"  - {{name: {HAMPTONS}, short: KAHRV, country: US}}"]
    assert sig(capsys, "rename", CIVIL, "KUC", "Khmer People Network for Cambodia")[2] == (
        f"error: {CIVIL}:17:5: Khmer People Network for Cambodia (KPNC) is already on the list "
        "as entry 11; nothing was written\n")
    assert sig(capsys, "rename", CIVIL, "KUC")[2] == (
        "Usage: advocacy signatories rename [OPTIONS] LIST OLD [NEW]\nTry 'advocacy "
        "signatories rename --help' for help.\n\nError: give the NEW name, or --short with the new "
        "acronym, or both\n")


def test_interrupted_write_leaves_the_old_file(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_hashes(project)

    def power_cut(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", power_cut)
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "ACC")[0] == 130
    assert tree_hashes(project) == before  # no half-written file, no temporary file left


def test_an_edited_file_keeps_its_permissions(project: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    Path(DIASPORA).chmod(0o664)
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "ACC")[0] == 0
    assert Path(DIASPORA).stat().st_mode & 0o777 == 0o664


def test_file_changed_while_editing(project: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from advocacy.signatories import edit

    original = edit.open_list

    def open_then_someone_saves(path: Path, root: Path) -> edit.ListFile:
        listfile = original(path, root)
        with open(path, "a", encoding="utf-8") as stream:
            stream.write("# saved by a colleague\n")
        return listfile

    monkeypatch.setattr(edit, "open_list", open_then_someone_saves)
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "ACC")[2] == (
        f"error: {DIASPORA}: the file changed while it was being edited; nothing was written. "
        "Run the command again.\n")
    assert lines(DIASPORA)[-1] == "# saved by a colleague"


def test_windows_line_ends_and_bom_are_kept(project: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    original = Path(DIASPORA).read_bytes()
    windows = b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n")
    Path(DIASPORA).write_bytes(windows)
    assert sig(capsys, "remove", "cambodian-diaspora-2021", "CAHRADLA")[0] == 0
    line = (b"  - {name: Cambodian Americans for Human Rights and Democracy League Activist, "
            b"short: CAHRADLA}\r\n")
    assert Path(DIASPORA).read_bytes() == windows.replace(line, b"")


def test_editing_a_list_given_by_path_outside_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("mine.yml").write_text("signatories: [{name: A, short: AA}, {name: C}]\n",
                                encoding="utf-8")
    assert sig(capsys, "add", "mine.yml", "B")[0] == 0
    assert Path("mine.yml").read_text(encoding="utf-8") == (
        "signatories: [{name: A, short: AA}, {name: B}, {name: C}]\n")
