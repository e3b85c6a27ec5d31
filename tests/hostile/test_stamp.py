"""Hostile run stamps: one that came with someone else's project is never believed."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import advocacy
from advocacy.build import stamp
from tests.helpers import FEW_CAMPAIGN

PDF = advocacy.GenerateOptions(formats=("pdf",))

def test_a_copied_project_with_its_stamp_goes_the_full_way(few: Path, tmp_path_factory:
                                                           pytest.TempPathFactory,
                                                           plans: list[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    advocacy.generate(FEW_CAMPAIGN, PDF)
    copied = shutil.copytree(few, tmp_path_factory.mktemp("copy") / "p", symlinks=True)
    monkeypatch.chdir(copied)
    advocacy.generate(FEW_CAMPAIGN, PDF)
    assert len(plans) == 2
    # Even with its project moved back to the same place, a copied output never matches:
    # its files' inodes and change times are new.
    shutil.rmtree(few / "output")
    shutil.copytree(copied / "output", few / "output", symlinks=True)
    monkeypatch.chdir(few)
    advocacy.generate(FEW_CAMPAIGN, PDF)
    assert len(plans) == 3


def _forged(folder: Path, change: Callable[[dict[str, object]], None]) -> None:
    where = stamp.path(folder)
    data = json.loads(where.read_text(encoding="utf-8"))
    change(data)
    where.write_text(json.dumps(data), encoding="utf-8")


def _emptied(folder: Path) -> None:
    """Empty the output folder and forge the stamp to list it as it now is."""
    for name in os.listdir(folder):
        (folder / name).unlink()
    _forged(folder, lambda data: data.__setitem__("output", stamp._output(folder)))


FORGERIES: dict[str, Callable[[Path], None]] = {
    "not JSON": lambda folder: stamp.path(folder).write_text("{", encoding="utf-8"),
    "a list": lambda folder: stamp.path(folder).write_text("[]", encoding="utf-8"),
    "a link to a file elsewhere": lambda folder: (
        stamp.path(folder).unlink(), os.symlink("/etc/hostname", stamp.path(folder))),
    "a named pipe": lambda folder: (stamp.path(folder).unlink(), os.mkfifo(stamp.path(folder))),
    "a source outside the project": lambda folder: _forged(
        folder, lambda data: data["sources"].append(["/etc/hostname", "/etc/hostname", "0"])),
    "a source reached by ..": lambda folder: _forged(
        folder, lambda data: data["sources"].append(["../../etc/hostname", None, "0"])),
    "a source that is no name": lambda folder: _forged(
        folder, lambda data: data["sources"].append([7, None, None])),
    "no sources": lambda folder: _forged(folder, lambda data: data.__setitem__("sources", [])),
    "no report": lambda folder: _forged(folder, lambda data: data.pop("report")),
    "a report that does not read": lambda folder: _forged(
        folder, lambda data: data["report"].__setitem__("attention", [[[1], 1]])),
    "a report of another kind": lambda folder: _forged(
        folder, lambda data: data["report"].__setitem__("letters", "1000")),
    "the output emptied, the stamp made to match": lambda folder: _emptied(folder),
}


@pytest.mark.parametrize("forgery", FORGERIES, ids=list(FORGERIES))
def test_a_forged_or_damaged_stamp_goes_the_full_way(few: Path, plans: list[str],
                                                     forgery: str) -> None:
    first = advocacy.generate(FEW_CAMPAIGN, PDF)
    FORGERIES[forgery](first.folder)
    again = advocacy.generate(FEW_CAMPAIGN, PDF)  # a FIFO would block a reader: it is not opened
    assert len(plans) == 2 and len(again.letters) == len(first.letters)
    assert sorted(p.name for p in again.folder.iterdir()) == sorted(
        [f"{w.letter.stem}.pdf" for w in first.letters] + ["manifest.csv", "manifest.json",
                                                          "needs-attention.csv"])
    assert stamp.path(first.folder).is_file() and not stamp.path(first.folder).is_symlink()
    assert Path("/etc/hostname").read_text() != ""  # the link's target was left alone


def test_an_output_folder_made_a_link_is_refused_not_believed(few: Path) -> None:
    first = advocacy.generate(FEW_CAMPAIGN, PDF)
    elsewhere = shutil.move(first.folder, few / "elsewhere")
    os.symlink(elsewhere, first.folder)
    with pytest.raises(advocacy.AdvocacyError, match="is not a folder"):
        advocacy.generate(FEW_CAMPAIGN, PDF)


def test_a_folder_where_the_stamp_goes_means_no_stamp(few: Path, plans: list[str]) -> None:
    first = advocacy.generate(FEW_CAMPAIGN, PDF)
    stamp.path(first.folder).unlink()
    stamp.path(first.folder).mkdir()
    for _ in range(2):
        again = advocacy.generate(FEW_CAMPAIGN, PDF)
        assert len(again.letters) == len(first.letters) and stamp.path(first.folder).is_dir()
    assert len(plans) == 3


def test_a_source_edited_during_the_run_stops_it(few: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    first = advocacy.generate(FEW_CAMPAIGN, PDF)
    before = {p.name: p.read_bytes() for p in first.folder.iterdir()}
    Path("statements/joint-statement-2021-03-23.md").write_text("Version 2.\n", encoding="utf-8")
    from advocacy.build import run

    real = run._write_letters

    def editing(*args: object, **kwargs: object) -> object:
        written = real(*args, **kwargs)  # type: ignore[arg-type]
        Path("statements/joint-statement-2021-03-23.md").write_text("Version 3.\n",
                                                                   encoding="utf-8")
        return written

    monkeypatch.setattr(run, "_write_letters", editing)
    with pytest.raises(advocacy.AdvocacyError, match=r"^statements/joint-statement-2021-03-23"
                       r"\.md: changed while the letters were being made from it; the earlier "
                       "output is unchanged"):
        advocacy.generate(FEW_CAMPAIGN, PDF)
    assert {p.name: p.read_bytes() for p in first.folder.iterdir()} == before


def test_a_file_added_during_the_run_means_no_stamp(few: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from advocacy.build import run

    real = run._write_letters

    def adding(*args: object, **kwargs: object) -> object:
        Path("statements/joint-statement-2021-03-23.fr.md").write_text("Fr.\n", encoding="utf-8")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "_write_letters", adding)
    result = advocacy.generate(FEW_CAMPAIGN, PDF)
    assert result.written and not stamp.path(result.folder).exists()


