"""The check every hostile input must pass: an exact message, and nothing written or changed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.helpers import run

# One senator: validation reads a real recipients file, rendering makes one letter.
CAMPAIGN = ("title: t\ndate: 2021-03-23\nrecipients: {from: us-senate, where: {id: K000367}}\n"
            "formats: [pdf]\n")


def snapshot(root: Path, skip: str | None = None) -> dict[str, str]:
    """Hash every file under a folder; a symbolic link counts as its target, never followed."""
    hashes: dict[str, str] = {}
    for folder, folders, files in os.walk(root):
        if skip in folders and Path(folder) == root:
            folders.remove(skip)
        for name in sorted(files + [f for f in folders if os.path.islink(Path(folder, f))]):
            path = Path(folder, name)
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                hashes[key] = f"link to {os.readlink(path)}"
            else:
                hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def fails_with(capsys: pytest.CaptureFixture[str], message: str, campaign: str | None = None,
               *args: str, command: str = "generate") -> None:
    """Run a command on campaigns/x.yaml and check the exact message, the exit code, and that
    it wrote nothing: no output/, or the earlier output unchanged, and no source changed.

    ``campaign`` (if given) is written to campaigns/x.yaml first.
    """
    if campaign is not None:
        Path("campaigns/x.yaml").write_text(campaign, encoding="utf-8")
    project, output = Path.cwd(), Path("output")
    sources = snapshot(project, skip="output")
    earlier = snapshot(output) if output.exists() else None
    code = run(command, "campaigns/x.yaml", *args)
    captured = capsys.readouterr()
    assert captured.err == f"error: {message}\n"
    assert code == 1
    assert "Traceback" not in captured.err + captured.out
    if earlier is None:
        assert not output.exists(), "a failed run created the output folder"
    else:
        assert snapshot(output) == earlier, "a failed run changed the earlier output"
    assert snapshot(project, skip="output") == sources, "a failed run changed a source file"


def succeeds(capsys: pytest.CaptureFixture[str], campaign: str | None = None,
             *args: str) -> str:
    """Generate campaigns/x.yaml and return what it printed; no source may change."""
    if campaign is not None:
        Path("campaigns/x.yaml").write_text(campaign, encoding="utf-8")
    sources = snapshot(Path.cwd(), skip="output")
    code = run("generate", "campaigns/x.yaml", *args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert snapshot(Path.cwd(), skip="output") == sources, "generating changed a source file"
    return captured.out
