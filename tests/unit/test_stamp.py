"""The run stamp: a run with nothing changed answers at once; any change goes the full way."""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import advocacy
from advocacy.build import stamp
from tests.helpers import FEW_CAMPAIGN, FEW_SENDERS, run_captured

PDF = advocacy.GenerateOptions(formats=("pdf",))

def shown(result: advocacy.Result) -> list[tuple[str, str, str, str, str]]:
    return [(str(item.place), item.who, item.issue, item.action, item.letter)
            for item in result.attention]


def test_nothing_changed_is_answered_from_the_stamp(few: Path, plans: list[str]) -> None:
    first = advocacy.generate(FEW_CAMPAIGN, PDF)
    assert len(plans) == 1 and first.attention and stamp.path(first.folder).is_file()
    written = first.manifest  # read now: a result's manifest is the folder's when asked
    second = advocacy.generate(FEW_CAMPAIGN, PDF)
    assert len(plans) == 1  # not validated nor planned again
    assert (second.changed, second.written, len(second.letters)) == (False, 0, len(first.letters))
    assert shown(second) == shown(first)
    assert second.manifest == written and len(written.letters) == len(first.letters)
    # The letters themselves are planned again when read, and are the first run's.
    assert [(w.letter, w.pages, w.files) for w in second.letters] == \
        [(w.letter, w.pages, w.files) for w in first.letters]
    assert len(plans) == 2


def test_the_print_bundle_is_reported_again(few: Path, plans: list[str]) -> None:
    options = advocacy.GenerateOptions(formats=("pdf",), print_bundle=True)
    first = advocacy.generate(FEW_CAMPAIGN, options)
    second = advocacy.generate(FEW_CAMPAIGN, options)
    assert len(plans) == 1 and first.printed and second.printed == first.printed


Change = Callable[[Path], object]
CHANGES: dict[str, Change] = {
    "the statement's text": lambda folder: Path("statements/joint-statement-2021-03-23.md")
    .write_text("# A new statement\n\nChanged.\n", encoding="utf-8"),
    "a sender's row": lambda folder: Path("recipients/few-senders.csv")
    .write_text(FEW_SENDERS.replace("Sophal Chea", "Sophal Chea-Kim"), encoding="utf-8"),
    "a file a name would now find": lambda folder: shutil.copy(
        "recipients/few-senders.csv", "recipients/few-senders.yaml"),
    "a template added": lambda folder: Path("templates/extra.css").write_text(
        "p {}\n", encoding="utf-8"),
    "the stylesheet edited": lambda folder: Path("templates/letter.css").write_text(
        Path("templates/letter.css").read_text(encoding="utf-8") + "body { color: red }\n",
        encoding="utf-8"),
    "a link re-pointed": lambda folder: (Path("recipients/few-senders.csv").unlink(),
                                         os.symlink("../versions/b.csv",
                                                    "recipients/few-senders.csv")),
    "a letter edited": lambda folder: next(folder.glob("*.pdf")).write_bytes(b"%PDF-1.7 edited"),
    "a letter deleted": lambda folder: next(folder.glob("*.pdf")).unlink(),
    "a letter replaced by a copy": lambda folder: _replace_by_copy(next(folder.glob("*.pdf"))),
    "a file added to the output": lambda folder: (folder / "extra.txt").write_text("x"),
    "a link added to the output": lambda folder: os.symlink("/etc/passwd", folder / "x.pdf"),
    "the output folder removed": lambda folder: shutil.rmtree(folder),
}


def _replace_by_copy(path: Path) -> None:
    """Put an identical copy in place of a file (same bytes and times, another inode)."""
    shutil.copy2(path, path.with_suffix(".tmp"))
    os.replace(path.with_suffix(".tmp"), path)


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_any_change_goes_the_full_way(few: Path, plans: list[str], change: str) -> None:
    # The senders are read through a link, to be re-pointed to an identical copy.
    Path("versions").mkdir()
    for name in ("a.csv", "b.csv"):
        shutil.copy("recipients/few-senders.csv", Path("versions", name))
    Path("recipients/few-senders.csv").unlink()
    os.symlink("../versions/a.csv", "recipients/few-senders.csv")
    first = advocacy.generate(FEW_CAMPAIGN, PDF)
    assert stamp.path(first.folder).is_file()
    CHANGES[change](first.folder)
    try:
        again = advocacy.generate(FEW_CAMPAIGN, PDF)
    except advocacy.AdvocacyError as error:  # a name that is now ambiguous says so
        assert change == "a file a name would now find" and "few-senders" in str(error)
        return
    assert len(plans) == 2
    # The full way leaves the right output, and a run after it is up to date again.
    assert not os.path.islink(again.folder / "x.pdf")
    assert not (again.folder / "extra.txt").exists()
    for written in again.letters:
        assert (again.folder / f"{written.letter.stem}.pdf").read_bytes().startswith(b"%PDF-1.")
        assert b"edited" not in (again.folder / f"{written.letter.stem}.pdf").read_bytes()
    advocacy.generate(FEW_CAMPAIGN, PDF)
    assert len(plans) == 2


def test_other_options_go_the_full_way(few: Path, plans: list[str]) -> None:
    advocacy.generate(FEW_CAMPAIGN, PDF)
    both = advocacy.generate(FEW_CAMPAIGN, advocacy.GenerateOptions(formats=("pdf", "docx")))
    assert len(plans) == 2 and {f.format for w in both.letters for f in w.files} == {"pdf", "docx"}
    advocacy.generate(FEW_CAMPAIGN, advocacy.GenerateOptions(formats=("pdf", "docx"), jobs=1))
    assert len(plans) == 2  # how many processes write is not what is written


def test_the_key_covers_the_date_the_code_and_the_place(few: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    day = datetime.date(2026, 12, 1)
    base = stamp.key(few, {"formats": ["pdf"]}, day)
    assert stamp.key(few, {"formats": ["pdf"]}, day) == base
    assert stamp.key(few, {"formats": ["pdf"]}, day + datetime.timedelta(days=1)) != base
    assert stamp.key(few, {"formats": ["docx"]}, day) != base
    assert stamp.key(few / "campaigns", {"formats": ["pdf"]}, day) != base
    monkeypatch.setattr(stamp, "code_fingerprint", lambda: "another release")
    assert stamp.key(few, {"formats": ["pdf"]}, day) != base


def test_a_failed_run_leaves_the_output_and_its_stamp(few: Path, plans: list[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    first = advocacy.generate(FEW_CAMPAIGN, PDF)
    before = stamp.path(first.folder).read_bytes()
    statement = Path("statements/joint-statement-2021-03-23.md")
    text = statement.read_text(encoding="utf-8")
    statement.write_text("Changed.\n", encoding="utf-8")
    from advocacy.build import run

    def broken(*args: object, **kwargs: object) -> None:
        raise advocacy.AdvocacyError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(run, "_write_letters", broken)
        with pytest.raises(advocacy.AdvocacyError, match="disk is full"):
            advocacy.generate(FEW_CAMPAIGN, PDF)
    assert stamp.path(first.folder).read_bytes() == before and len(plans) == 2
    advocacy.generate(FEW_CAMPAIGN, PDF)  # the statement still changed: never the old letters
    assert len(plans) == 3
    statement.write_text(text, encoding="utf-8")
    advocacy.generate(FEW_CAMPAIGN, PDF)  # back as it was: the new stamp does not hold
    assert len(plans) == 4
    advocacy.generate(FEW_CAMPAIGN, PDF)
    assert len(plans) == 4


def test_the_command_line_answers_an_unchanged_campaign_at_once(
        few: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runs = [run_captured(capsys, "generate", str(FEW_CAMPAIGN), "--format", "pdf")
            for _ in range(2)]
    assert [code for code, out, err in runs] == [0, 0]
    first, second = (out for code, out, err in runs)
    assert first.startswith("output/few/: 4 letters\n")
    assert second.startswith("output/few/: 4 letters (0 written, 4 unchanged)\n")
    assert first.split("\n", 1)[1] == second.split("\n", 1)[1]  # the same needs-attention
    assert "DC has no senators" in second


def test_letters_read_after_an_edit_are_refused(few: Path) -> None:
    advocacy.generate(FEW_CAMPAIGN, PDF)
    second = advocacy.generate(FEW_CAMPAIGN, PDF)
    Path("recipients/few-senders.csv").write_text(
        FEW_SENDERS.replace("Sophal Chea", "Someone Else"), encoding="utf-8")
    assert len(second.letters) == 4  # counted from the stamp
    with pytest.raises(advocacy.AdvocacyError, match="changed since its letters were generated"):
        second.letters[0]
