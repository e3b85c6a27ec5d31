"""Hostile names and hostile disks: file names are slugs, manifests are inert in spreadsheets,
and a disk that cannot be written leaves the earlier output as it was."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from advocacy import output_folder, spreadsheets
from tests.helpers import (
    ONE_LETTER,
    fails_with,
    no_blocking,
    output_listing,
    run,
    succeeds,
    tree_hashes,
)

ADDRESS = "address: [1 Main St], city: Springfield, region: IL, postal_code: '62701', country: US"


def recipients(*records: tuple[str, str]) -> str:
    """Write recipients/r.yaml with (id, name) records; return a campaign writing to them."""
    lines = [f"  - {{id: {json.dumps(id_)}, name: {json.dumps(name)}, {ADDRESS}}}"
             for id_, name in records]
    Path("recipients/r.yaml").write_text("recipients:\n" + "\n".join(lines) + "\n",
                                         encoding="utf-8")
    return "title: t\ndate: 2021-03-23\nrecipients: {from: r}\nformats: [pdf]\nbody: b\n"


def written(folder: Path = Path("output/x")) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_names_with_slashes_and_dots_stay_in_the_folder(project: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    succeeds(capsys, recipients(("../../x", "../../../etc/passwd"), ("a/b", "/"),
                                ("..", ".."), ("c", "C:\\Windows\\system.ini")))
    assert written() == ["a-b.pdf", "c-windows-system-ini-c.pdf", "etc-passwd-x.pdf",
                         "letter.pdf", "manifest.csv", "manifest.json"]
    assert sorted(os.listdir(project)) == ["campaigns", "output", "recipients", "signatories",
                                           "statements", "templates"]
    assert output_listing() == ["x"]


def test_names_with_nul_are_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    campaign = recipients(("a", "Nul\u0000Byte"))
    fails_with(capsys, "recipients/r.yaml:2:21: control character U+0000 is not allowed in a "
               "text; delete it (most editors do not show it)", campaign)


def test_very_long_names(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    succeeds(capsys, recipients(("a", "Very Long Name " * 200), ("b", "Very Long Name " * 200),
                                ("c", "É" * 5000)))
    assert written() == ["e" * 80 + ".pdf", "manifest.csv", "manifest.json",
                         "very-long-name-" * 5 + "very-2.pdf", "very-long-name-" * 5 + "very.pdf"]


def test_names_in_other_scripts_are_transliterated(project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A Khmer name is not an empty stem, nor 'Søren Økland' 'sren-kland' (issue #16)."""
    succeeds(capsys, recipients(("km", "សុផល ជា"), ("a", "Søren Økland"), ("A", "Soren Okland"),
                                ("el", "Ελλάδα")))
    assert written() == ["ellada-el.pdf", "manifest.csv", "manifest.json", "sophl-cha-km.pdf",
                         "soren-okland-a-2.pdf", "soren-okland-a.pdf"]


def test_names_differing_only_in_case(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Ids that differ in case would be one file on a case-insensitive disk (macOS, Windows).
    succeeds(capsys, recipients(("k1", "Amy Klobuchar"), ("K1", "AMY KLOBUCHAR"),
                                ("k1-2", "amy klobuchar"), ("nul", "-"), ("CON", "?")))
    assert written() == ["amy-klobuchar-k1-2-2.pdf", "amy-klobuchar-k1-2.pdf",
                         "amy-klobuchar-k1.pdf", "con-letter.pdf", "manifest.csv",
                         "manifest.json", "nul-letter.pdf"]


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://evil.example\",\"click\")",
                                  "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"])
def test_manifest_cells_are_not_formulas(project: Path, capsys: pytest.CaptureFixture[str],
                                         name: str) -> None:
    succeeds(capsys, recipients(("a1", name)))
    text = Path("output/x/manifest.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[0]["recipient"] == "'" + name
    assert all(not cell or cell[0] not in "=+-@\t\r" for row in rows for cell in row.values())


def test_senders_names_in_manifest_are_not_formulas(project: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    Path("recipients/s.csv").write_text("Name,Street,City,State,ZIP\n"
                                        "=1+1,100 Example Street,Minneapolis,MN,55407\n",
                                        encoding="utf-8")
    succeeds(capsys, "title: t\ndate: 2021-03-23\nrecipients: {from: us-senate}\nsenders: s\n"
             "chambers: [senate]\nformats: [pdf]\nbody: b\n")
    rows = Path("output/x/manifest.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1] == ("1-1-to-amy-klobuchar-k000367,K000367,Amy Klobuchar,'=1+1,"
                       "1-1-to-amy-klobuchar-k000367.pdf,1,"
                       + rows[1].split(",")[6] + ",,")


def test_numbers_stay_numbers_in_the_manifest() -> None:
    safe = spreadsheets.spreadsheet_safe
    assert [safe(v) for v in ("-1", "+2.5", "=1", "-A1", "1", "\tx", "\rx", "@x")] == \
        ["-1", "+2.5", "'=1", "'-A1", "1", "'\tx", "'\rx", "'@x"]


# --- Disks that cannot be written --------------------------------------------------------------


@pytest.fixture
def earlier(project: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """A complete earlier output of campaigns/x.yaml; the campaign then changes its text."""
    succeeds(capsys, ONE_LETTER + "body: first\n")
    Path("campaigns/x.yaml").write_text(ONE_LETTER + "body: second\n", encoding="utf-8")
    return tree_hashes(Path("output"))


def test_output_folder_is_a_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("output").mkdir()
    Path("output/x").write_text("a user's notes\n", encoding="utf-8")
    fails_with(capsys, "output/x: is not a folder (a file or a link) and would be replaced; "
               "move it away or choose another folder with --output", ONE_LETTER + "body: b\n")


def test_output_folder_is_a_link(project: Path, tmp_path_factory: pytest.TempPathFactory,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "keep.txt").write_text("keep\n", encoding="utf-8")
    Path("output").mkdir()
    os.symlink(elsewhere, "output/x")
    fails_with(capsys, "output/x: is not a folder (a file or a link) and would be replaced; "
               "move it away or choose another folder with --output", ONE_LETTER + "body: b\n")
    assert os.listdir(elsewhere) == ["keep.txt"]


def test_output_below_a_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("notes.txt").write_text("notes\n", encoding="utf-8")
    fails_with(capsys, "notes.txt/out: cannot write: a file is in the way of a folder; move it "
               "or choose another folder with --output. Earlier output is unchanged.",
               ONE_LETTER + "body: b\n", "--output", "notes.txt/out")


def test_leftover_staging_link_is_not_followed(project: Path, earlier: dict[str, str],
                                               tmp_path_factory: pytest.TempPathFactory,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    # A killed run leaves output/.x.staging; a hostile one could be a link to the user's files.
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "keep.txt").write_text("keep\n", encoding="utf-8")
    os.symlink(elsewhere, "output/.x.staging")
    succeeds(capsys)
    assert os.listdir(elsewhere) == ["keep.txt"]
    assert output_listing() == ["x"]


# As root (tests and CI often run as root) chmod does not stop writes, and a read-only or
# full file system cannot be mounted without privileges: the errors come from the OS
# functions instead, raised exactly where a real read-only or full disk raises them.

@pytest.mark.parametrize(("code", "reason"), [
    (errno.EROFS, "the disk is read-only; choose another folder with --output"),
    (errno.EACCES, "permission denied; choose a folder you can write with --output"),
])
def test_read_only_disk(earlier: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str], code: int, reason: str) -> None:
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self.name == ".x.staging":
            raise OSError(code, os.strerror(code), str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)
    fails_with(capsys, f"output/.x.staging: cannot write: {reason}. Earlier output is "
               "unchanged.")


def test_full_disk(earlier: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str]) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    fails_with(capsys, "output/.x.staging/amy-klobuchar-k000367.pdf: cannot write: the disk is "
               "full; free some space and run again. Earlier output is unchanged.")
    assert output_listing() == ["x"], "a temporary file was left behind"


def test_full_disk_on_first_run(project: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(
        OSError(errno.ENOSPC, "No space left on device")))
    fails_with(capsys, "output/.x.staging/amy-klobuchar-k000367.pdf: cannot write: the disk is "
               "full; free some space and run again. Earlier output is unchanged.",
               ONE_LETTER + "body: b\n")


def test_another_run_holds_the_lock(earlier: dict[str, str],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    with output_folder.Staging(Path("output/x")):
        fails_with(capsys, "output/x: another run is writing into this folder; wait for it to "
                   "finish")
    assert run("generate", "campaigns/x.yaml") == 0


def test_two_campaigns_at_once(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two campaigns are written into one output folder at the same time; one campaign twice is
    refused (the lock is per campaign)."""
    for name in ("a", "b"):
        Path(f"campaigns/{name}.yaml").write_text(ONE_LETTER + f"body: {name}\n",
                                                  encoding="utf-8")
    with output_folder.Staging(Path("output/a")):  # a run of 'a' is under way
        assert run("generate", "campaigns/b.yaml") == 0
        assert run("generate", "campaigns/a.yaml") == 1
        assert capsys.readouterr().err.endswith(
            "error: output/a: another run is writing into this folder; wait for it to finish\n")
    # Two real processes started together, each generating its own campaign.
    shutil.rmtree("output")
    command = [sys.executable, "-m", "advocacy", "generate"]
    runs = [subprocess.Popen([*command, f"campaigns/{name}.yaml"], stderr=subprocess.PIPE,
                             text=True) for name in ("a", "b")]
    errors = [process.communicate(timeout=300)[1] for process in runs]
    assert [process.returncode for process in runs] == [0, 0], errors
    assert output_listing() == ["a", "b"], "a lock file or staging folder was left"
    for name in ("a", "b"):
        assert "amy-klobuchar-k000367.pdf" in written(Path("output") / name)


def test_empty_name_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # It crashed the salutation ("Dear Senator ...:" takes the last word of the name).
    fails_with(capsys, "recipients/r.yaml:2:15: recipients.name: must not be empty",
               recipients(("a", "  ")))


# --- Output paths are confined: nothing is swapped or deleted outside output/NAME ------------


@pytest.mark.parametrize("name", ["..yaml", ".yaml", ".x.staging.yaml", "...yaml", "-x.yaml"])
def test_campaign_names_that_are_no_folder_names(project: Path, name: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # '..yaml' is named '.': its output folder was output/ itself, and the swap deleted
    # every other campaign's letters.
    succeeds(capsys, ONE_LETTER + "body: b\n")
    earlier = tree_hashes(Path("output"))
    Path("campaigns", name).write_text(ONE_LETTER + "body: b\n", encoding="utf-8")
    for command in ("check", "generate"):
        assert run(command, f"campaigns/{name}") == 1
        assert capsys.readouterr().err == (
            f"error: campaigns/{name}: '{name}' gives the campaign no name for its output "
            "folder; rename the file, starting with a letter or digit (for example "
            "my-campaign.yaml)\n")
    assert tree_hashes(Path("output")) == earlier


@pytest.mark.parametrize("target", ["elsewhere", "../.."])
def test_output_that_is_a_link_is_refused(project: Path, target: str,
                                          tmp_path_factory: pytest.TempPathFactory,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    # A campaign named like a folder there (Documents.yaml) had the swap replace it.
    elsewhere = tmp_path_factory.mktemp("home")
    (elsewhere / "Documents").mkdir()
    (elsewhere / "Documents" / "taxes.txt").write_text("keep\n", encoding="utf-8")
    os.symlink(elsewhere if target == "elsewhere" else target, "output")
    before = tree_hashes(elsewhere)
    Path("campaigns/Documents.yaml").write_text(ONE_LETTER + "body: b\n", encoding="utf-8")
    assert run("generate", "campaigns/Documents.yaml") == 1
    assert capsys.readouterr().err == (
        "error: output: is a link; letters are written only into a real folder: replace the "
        "link by a folder, or choose another folder with --output\n")
    assert tree_hashes(elsewhere) == before
    assert os.readlink("output") == (str(elsewhere) if target == "elsewhere" else target)


@pytest.mark.parametrize(("manifest", "why"), [
    (None, "it has no manifest.json of this campaign"),
    ('{"campaign": "other", "tool": "advocacy 0.1.0"}',
     "its manifest.json cannot be read: not a manifest written by 'advocacy generate'"),
    ('{"campaign": "other", "tool": "advocacy 0.1.0", "title": "t", "sources": [], '
     '"letters": [], "signatories": []}', "its manifest.json is another campaign's"),
    ("not json", "its manifest.json cannot be read: not valid JSON: Expecting value"),
    ('["advocacy"]',
     "its manifest.json cannot be read: not a manifest written by 'advocacy generate'"),
])
def test_a_folder_this_tool_did_not_write_is_never_replaced(
        project: Path, capsys: pytest.CaptureFixture[str], manifest: str | None,
        why: str) -> None:
    Path("output/x").mkdir(parents=True)
    Path("output/x/taxes.txt").write_text("keep\n", encoding="utf-8")
    if manifest is not None:
        Path("output/x/manifest.json").write_text(manifest, encoding="utf-8")
    fails_with(capsys, f"output/x: is a folder this tool did not write ({why}) and would be "
               "replaced; move it away or choose another folder with --output",
               ONE_LETTER + "body: b\n")


def test_an_empty_folder_is_used(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("output/x").mkdir(parents=True)
    succeeds(capsys, ONE_LETTER + "body: b\n")
    assert written() == ["amy-klobuchar-k000367.pdf", "manifest.csv", "manifest.json"]


def test_staging_refuses_names_outside_the_output_folder(project: Path) -> None:
    for name in ("output/..", "output/.x.staging", "output/.hidden"):
        with pytest.raises(output_folder.AdvocacyError):
            output_folder.Staging(Path(name))


def test_earlier_output_is_read_through_the_checked_opener(
        earlier: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    # A letter of the earlier output replaced by a link to a file with the same bytes: the
    # build cache would keep it, and the new output would hold a link to outside.
    elsewhere = Path("..", "elsewhere.pdf").resolve()
    letter = Path("output/x/amy-klobuchar-k000367.pdf")
    elsewhere.write_bytes(letter.read_bytes())
    letter.unlink()
    os.symlink(elsewhere, letter)
    Path("campaigns/x.yaml").write_text(ONE_LETTER + "body: first\n", encoding="utf-8")
    succeeds(capsys)
    assert not letter.is_symlink()


def test_earlier_manifest_that_is_a_pipe(earlier: dict[str, str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    os.unlink("output/x/manifest.json")
    os.mkfifo("output/x/manifest.json")
    with no_blocking():
        fails_with(capsys, "output/x: is a folder this tool did not write (its manifest.json "
                   "cannot be read: is a named pipe (FIFO), not a file) and would be replaced; "
                   "move it away or choose another folder with --output")


def test_output_that_is_a_pipe(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo("output")
    fails_with(capsys, "output: is not a folder (a file or a pipe); move it away or choose "
               "another folder with --output", ONE_LETTER + "body: b\n")


def test_a_link_put_into_the_earlier_output_is_not_kept(
        project: Path, tmp_path_factory: pytest.TempPathFactory,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Nothing else changed: the run would have left the folder as it was, link included.
    succeeds(capsys, ONE_LETTER + "body: b\n")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    os.symlink(elsewhere, "output/x/extra")
    succeeds(capsys)
    assert not os.path.lexists("output/x/extra")
    assert os.listdir(elsewhere) == []
