"""`advocacy init`: a campaign project anywhere, from what the package ships."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advocacy import shipped
from tests.helpers import REPO, pdf_text, run_captured, tree_hashes


def test_init_makes_a_project_that_writes_letters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_captured(capsys, "init", str(tmp_path / "ours"))
    assert code == 0, err
    assert err == "importing the public data into recipients/\n"
    project = tmp_path / "ours"
    assert out == (
        f"{project}: 12 files written\n  campaigns/example.yaml\n"
        "  signatories/example-signatories.yaml\n  statements/example-statement.md\n"
        "  recipients/us-senate.yaml\n  recipients/us-house.yaml\n"
        "  recipients/us-committees.yaml\n  recipients/un-permanent-representatives.yaml\n"
        "  recipients/un-geneva-missions.yaml\n  recipients/us-zip-districts.csv\n"
        "  recipients/un-bodies.yaml\n  README.md\n  .gitignore\n"
        f"Next: cd {project} && advocacy check campaigns/example.yaml\n")
    # The recipients are the import of the package's data: the same as the example's.
    for name in ("us-senate.yaml", "us-house.yaml", "us-zip-districts.csv", "un-bodies.yaml"):
        assert (project / "recipients" / name).read_bytes() == \
            (REPO / "recipients" / name).read_bytes()
    assert not (project / "templates").exists()
    assert "advocacy check campaigns/example.yaml" in (project / "README.md").read_text("utf-8")
    assert (project / ".gitignore").read_text("utf-8").endswith("/output/\n")

    monkeypatch.chdir(project)
    assert run_captured(capsys, "check", "campaigns/example.yaml")[0] == 0
    code, out, _ = run_captured(capsys, "plan", "campaigns/example.yaml")
    assert code == 0 and "amy-klobuchar-k000367" in out and "tina-smith-s001203" in out
    assert run_captured(capsys, "generate", "campaigns/example.yaml")[0] == 0
    text = pdf_text(project / "output" / "example" / "amy-klobuchar-k000367.pdf")
    assert "Dear Senator Klobuchar:" in text
    assert "We are writing to ask you, Senator Klobuchar, to speak up" in text
    assert "Example statement on human rights defenders" in text  # the enclosure
    assert "2. Another Example Organisation (AEO)" in text
    manifest = json.loads((project / "output" / "example" / "manifest.json").read_text("utf-8"))
    assert {"path": "advocacy/templates/letter.html.j2",
            "sha256": manifest["sources"][1]["sha256"]} == manifest["sources"][1]
    code, out, _ = run_captured(capsys, "recipients", "lookup", "55407")
    assert out.startswith("ZIP 55407 (MN): district MN-5\n  Senator Amy Klobuchar (Democrat)")


def test_init_example_copies_the_example_project(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "example"
    code, out, _ = run_captured(capsys, "init", str(project), "--example", "cambodia-2021",
                                "--templates")
    assert code == 0
    assert out.endswith("Next: cd " + str(project) + " && advocacy check "
                        "campaigns/cambodia-2021-committee.yaml\n")
    for folder in shipped.EXAMPLE_FOLDERS:
        assert tree_hashes(project / folder) == tree_hashes(REPO / folder), folder
    assert tree_hashes(project / "templates") == tree_hashes(shipped.TEMPLATES)
    assert "advocacy check campaigns/cambodia-2021-committee.yaml" in \
        (project / "README.md").read_text("utf-8")
    assert run_captured(capsys, "check", str(project / "campaigns/cambodia-2021-congress.yaml"),
                        )[0] == 0


def test_init_into_an_existing_folder_adds_only_what_is_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "ours"
    (project / "campaigns").mkdir(parents=True)
    (project / "campaigns" / "example.yaml").write_text("title: our own\n")
    before = tree_hashes(project)
    code, _, err = run_captured(capsys, "init", str(project), "--example", "cambodia-2021")
    assert code == 1
    assert err == (f"error: {project}: is not empty (campaigns); name a new or empty folder, or "
                   "add --into-existing to add only the files it lacks (no file is ever "
                   "overwritten)\n")
    assert tree_hashes(project) == before
    code, out, _ = run_captured(capsys, "init", str(project), "--into-existing", "--templates",
                                "--example", "cambodia-2021")
    assert code == 0
    assert (project / "campaigns" / "example.yaml").read_text() == "title: our own\n"
    assert "templates/letter.html.j2" in out
    code, out, _ = run_captured(capsys, "init", str(project), "--into-existing", "--example",
                                "cambodia-2021")
    assert code == 0
    shipped_files = sum(1 for f in shipped.EXAMPLE_FOLDERS for p in (REPO / f).rglob("*"))
    assert out.startswith(f"{project}: 0 files written\nAlready there, kept as they are "
                          f"({shipped_files + 2}):\n")  # with README.md and .gitignore


def test_a_folder_holding_only_git_counts_as_empty(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".git").mkdir()
    assert run_captured(capsys, "init", str(tmp_path), "--example", "cambodia-2021")[0] == 0
    assert (tmp_path / "campaigns" / "cambodia-2021-committee.yaml").is_file()
