"""Hostile folders for `advocacy init`: it writes only into the folder named, never through a
link, never over a file, and a refusal writes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import run_captured, tree_hashes

EXAMPLE = ("--example", "cambodia-2021")  # copies without importing: quick


def refused(capsys: pytest.CaptureFixture[str], folder: Path, message: str, *args: str) -> None:
    """Run init, expect exit 1 with message, and nothing changed in folder's parent."""
    before = tree_hashes(folder.parent)
    code, out, err = run_captured(capsys, "init", str(folder), *args)
    assert (code, out, err) == (1, "", f"error: {message}\n")
    assert tree_hashes(folder.parent) == before


def test_a_link_named_campaigns_leading_elsewhere(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / "campaigns").symlink_to(elsewhere)
    refused(capsys, project, f"{project}/campaigns: is a link; init writes nothing through a "
            "link: remove it, or choose another folder", *EXAMPLE, "--into-existing")
    assert list(elsewhere.iterdir()) == []


def test_a_link_named_like_a_file_is_kept_not_followed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "README.md").symlink_to(tmp_path / "target.md")  # leads nowhere yet
    code, out, _ = run_captured(capsys, "init", str(project), *EXAMPLE, "--into-existing")
    assert code == 0
    assert "Already there, kept as they are (1):\n  README.md\n" in out
    assert not (tmp_path / "target.md").exists()
    assert os.readlink(project / "README.md") == str(tmp_path / "target.md")


def test_a_file_where_a_folder_goes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "recipients").write_text("not a folder")
    refused(capsys, project, f"{project}/recipients: is not a folder, and "
            "recipients/constituents-2021.csv goes in it: remove it, or choose another folder",
            *EXAMPLE, "--into-existing")


def test_a_folder_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    refused(capsys, tmp_path / "notes.txt", f"{tmp_path}/notes.txt: is not a folder; name a new "
            "or empty folder for the project", *EXAMPLE)
    refused(capsys, tmp_path / "notes.txt" / "sub", f"{tmp_path}/notes.txt/sub: cannot make the "
            "folder: Not a directory; name another one", *EXAMPLE)


@pytest.mark.parametrize("name", ["../x", "/etc", "cambodia-2021/../..", ""])
def test_an_example_is_named_from_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         name: str) -> None:
    before = tree_hashes(tmp_path)
    code, _, err = run_captured(capsys, "init", str(tmp_path / "p"), "--example", name)
    assert code == 2
    assert f"Invalid value for '--example': '{name}' is not 'cambodia-2021'." in err
    assert tree_hashes(tmp_path) == before and not (tmp_path / "p").exists()
