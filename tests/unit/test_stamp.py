"""The run stamp: a run with nothing changed answers at once; any change goes the full way."""

from __future__ import annotations

import datetime
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import advocacy
from advocacy import planning
from advocacy.build import stamp
from tests.helpers import copy_project, run_captured

# Two real constituents of the example list: one in Minnesota (two senators and a
# representative), one in Washington, DC (no senators: a needs-attention item).
SENDERS = ("Name,Street,City,State,ZIP\n"
           "Sophal Chea,100 Example Street,Minneapolis,MN,55407\n"
           "Dara Kim,1 Example Street NW,Washington,DC,20001\n")
CAMPAIGN = Path("campaigns/few.yaml")
PDF = advocacy.GenerateOptions(formats=("pdf",))


@pytest.fixture
def few(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The constituent campaign with two senders, in a copy of the example project."""
    copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    Path("recipients/few-senders.csv").write_text(SENDERS, encoding="utf-8")
    text = Path("campaigns/cambodia-2021-constituent.yaml").read_text(encoding="utf-8")
    CAMPAIGN.write_text(text.replace("senders: constituents-2021", "senders: few-senders"),
                        encoding="utf-8")
    return tmp_path


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the campaigns planned: the full way plans, the stamp does not."""
    planned: list[str] = []
    real = planning.plan_campaign

    def counting(*args: object, **kwargs: object) -> planning.Plan:
        planned.append("plan")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(planning, "plan_campaign", counting)
    return planned


def shown(result: advocacy.Result) -> list[tuple[str, str, str, str, str]]:
    return [(str(item.place), item.who, item.issue, item.action, item.letter)
            for item in result.attention]


def test_nothing_changed_is_answered_from_the_stamp(few: Path, plans: list[str]) -> None:
    first = advocacy.generate(CAMPAIGN, PDF)
    assert len(plans) == 1 and first.attention and stamp.path(first.folder).is_file()
    second = advocacy.generate(CAMPAIGN, PDF)
    assert len(plans) == 1  # not validated nor planned again
    assert (second.changed, second.written, len(second.letters)) == (False, 0, len(first.letters))
    assert shown(second) == shown(first)
    assert second.manifest == first.manifest
    # The letters themselves are planned again when read, and are the first run's.
    assert [(w.letter, w.pages, w.files) for w in second.letters] == \
        [(w.letter, w.pages, w.files) for w in first.letters]
    assert len(plans) == 2


def test_the_print_bundle_is_reported_again(few: Path, plans: list[str]) -> None:
    options = advocacy.GenerateOptions(formats=("pdf",), print_bundle=True)
    first = advocacy.generate(CAMPAIGN, options)
    second = advocacy.generate(CAMPAIGN, options)
    assert len(plans) == 1 and first.printed and second.printed == first.printed


Change = Callable[[Path], object]
CHANGES: dict[str, Change] = {
    "the statement's text": lambda folder: Path("statements/joint-statement-2021-03-23.md")
    .write_text("# A new statement\n\nChanged.\n", encoding="utf-8"),
    "a sender's row": lambda folder: Path("recipients/few-senders.csv")
    .write_text(SENDERS.replace("Sophal Chea", "Sophal Chea-Kim"), encoding="utf-8"),
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
    first = advocacy.generate(CAMPAIGN, PDF)
    assert stamp.path(first.folder).is_file()
    CHANGES[change](first.folder)
    try:
        again = advocacy.generate(CAMPAIGN, PDF)
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
    advocacy.generate(CAMPAIGN, PDF)
    assert len(plans) == 2


def test_other_options_go_the_full_way(few: Path, plans: list[str]) -> None:
    advocacy.generate(CAMPAIGN, PDF)
    both = advocacy.generate(CAMPAIGN, advocacy.GenerateOptions(formats=("pdf", "docx")))
    assert len(plans) == 2 and {f.format for w in both.letters for f in w.files} == {"pdf", "docx"}
    advocacy.generate(CAMPAIGN, advocacy.GenerateOptions(formats=("pdf", "docx"), jobs=1))
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
    first = advocacy.generate(CAMPAIGN, PDF)
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
            advocacy.generate(CAMPAIGN, PDF)
    assert stamp.path(first.folder).read_bytes() == before and len(plans) == 2
    advocacy.generate(CAMPAIGN, PDF)  # the statement still changed: never the old letters
    assert len(plans) == 3
    statement.write_text(text, encoding="utf-8")
    advocacy.generate(CAMPAIGN, PDF)  # back as it was: the new stamp does not hold
    assert len(plans) == 4
    advocacy.generate(CAMPAIGN, PDF)
    assert len(plans) == 4


# --- Attacks: a stamp that came with someone else's project is never believed.


def test_a_copied_project_with_its_stamp_goes_the_full_way(few: Path, tmp_path_factory:
                                                           pytest.TempPathFactory,
                                                           plans: list[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    advocacy.generate(CAMPAIGN, PDF)
    copied = shutil.copytree(few, tmp_path_factory.mktemp("copy") / "p", symlinks=True)
    monkeypatch.chdir(copied)
    advocacy.generate(CAMPAIGN, PDF)
    assert len(plans) == 2
    # Even with its project moved back to the same place, a copied output never matches:
    # its files' inodes and change times are new.
    shutil.rmtree(few / "output")
    shutil.copytree(copied / "output", few / "output", symlinks=True)
    monkeypatch.chdir(few)
    advocacy.generate(CAMPAIGN, PDF)
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
    first = advocacy.generate(CAMPAIGN, PDF)
    FORGERIES[forgery](first.folder)
    again = advocacy.generate(CAMPAIGN, PDF)  # a FIFO would block a reader: it is not opened
    assert len(plans) == 2 and len(again.letters) == len(first.letters)
    assert sorted(p.name for p in again.folder.iterdir()) == sorted(
        [f"{w.letter.stem}.pdf" for w in first.letters] + ["manifest.csv", "manifest.json",
                                                          "needs-attention.csv"])
    assert stamp.path(first.folder).is_file() and not stamp.path(first.folder).is_symlink()
    assert Path("/etc/hostname").read_text() != ""  # the link's target was left alone


def test_the_command_line_answers_an_unchanged_campaign_at_once(
        few: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runs = [run_captured(capsys, "generate", str(CAMPAIGN), "--format", "pdf") for _ in range(2)]
    assert [code for code, out, err in runs] == [0, 0]
    first, second = (out for code, out, err in runs)
    assert first.startswith("output/few/: 4 letters\n")
    assert second.startswith("output/few/: 4 letters (0 written, 4 unchanged)\n")
    assert first.split("\n", 1)[1] == second.split("\n", 1)[1]  # the same needs-attention
    assert "DC has no senators" in second


def test_an_output_folder_made_a_link_is_refused_not_believed(few: Path) -> None:
    first = advocacy.generate(CAMPAIGN, PDF)
    elsewhere = shutil.move(first.folder, few / "elsewhere")
    os.symlink(elsewhere, first.folder)
    with pytest.raises(advocacy.AdvocacyError, match="is not a folder"):
        advocacy.generate(CAMPAIGN, PDF)


def test_a_folder_where_the_stamp_goes_means_no_stamp(few: Path, plans: list[str]) -> None:
    first = advocacy.generate(CAMPAIGN, PDF)
    stamp.path(first.folder).unlink()
    stamp.path(first.folder).mkdir()
    for _ in range(2):
        again = advocacy.generate(CAMPAIGN, PDF)
        assert len(again.letters) == len(first.letters) and stamp.path(first.folder).is_dir()
    assert len(plans) == 3


def test_a_source_edited_during_the_run_stops_it(few: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    first = advocacy.generate(CAMPAIGN, PDF)
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
        advocacy.generate(CAMPAIGN, PDF)
    assert {p.name: p.read_bytes() for p in first.folder.iterdir()} == before


def test_a_file_added_during_the_run_means_no_stamp(few: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from advocacy.build import run

    real = run._write_letters

    def adding(*args: object, **kwargs: object) -> object:
        Path("statements/joint-statement-2021-03-23.fr.md").write_text("Fr.\n", encoding="utf-8")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "_write_letters", adding)
    result = advocacy.generate(CAMPAIGN, PDF)
    assert result.written and not stamp.path(result.folder).exists()


def test_letters_read_after_an_edit_are_refused(few: Path) -> None:
    advocacy.generate(CAMPAIGN, PDF)
    second = advocacy.generate(CAMPAIGN, PDF)
    Path("recipients/few-senders.csv").write_text(SENDERS.replace("Sophal Chea", "Someone Else"),
                                                  encoding="utf-8")
    assert len(second.letters) == 4  # counted from the stamp
    with pytest.raises(advocacy.AdvocacyError, match="changed since its letters were generated"):
        second.letters[0]
