"""What used to end in a traceback, a hang or a silently wrong letter: now each is an error
that names its place, exits 1 and writes nothing.

Oversized numbers, a worker that dies, memory that runs out, Markdown nested deeper than
letters print, empty statements and templates, a CSV with 100,000 columns, several bad
YAML tags in one file, and control characters typed on the command line.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from advocacy import api, files
from advocacy.build import executors
from advocacy.build.worker import WorkContext
from advocacy.compose import sandbox
from advocacy.errors import AdvocacyError
from tests.helpers import (
    DIASPORA,
    ONE_LETTER,
    fails_with,
    output_listing,
    run,
    sig,
    succeeds,
    tree_hashes,
)

SENDERS = ("title: t\ndate: 2021-03-23\nrecipients: [{from: us-senate}, {from: us-house}]\n"
           "senders: s\nformats: [pdf]\nbody: b\n")
HEADER = "Name,Street,City,State,ZIP,District\n"
DIGITS = "9" * 5000


# --- Numbers too long for Python's int ---------------------------------------------------


def test_district_of_5000_digits_in_a_senders_file(project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    Path("recipients/s.csv").write_text(
        HEADER + f"Sophal Chea,100 Example Street,Minneapolis,MN,55407,{DIGITS}\n"
        "Dara Kim,12 Example Avenue,Saint Paul,MN,55104,²\n", encoding="utf-8")
    fails_with(capsys, f"recipients/s.csv:2: district '{'9' * 40}... (5,000 characters)' is not "
               "a district number\n"
               "recipients/s.csv:3: district '²' is not a number\n"
               "2 problems found; nothing was written.", SENDERS)


def test_district_of_5000_digits_in_a_recipients_file(project: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    Path("recipients/r.yaml").write_text(
        f"recipients:\n  - {{id: r1, name: R, district: {DIGITS}}}\n", encoding="utf-8")
    Path("recipients/r2.csv").write_text(f"id,name,district\nr2,R,{DIGITS}\n", encoding="utf-8")
    fails_with(capsys, "recipients/r.yaml:2:33: a number of 5,000 characters is too long; put "
               "it in quotes if it is a text\n"
               "recipients/r2.csv:2:1: recipients.district: expected a whole number of at most "
               f"4,300 digits, got '{'9' * 80}... (5,000 characters)'\n"
               "2 problems found; nothing was written.",
               "title: t\nrecipients: [{from: r}, {from: r2}]\nbody: b\n", command="check")


def test_numbers_a_template_makes_stay_printable(project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # 4,500 digits: Python refuses to print it (a traceback); the sandbox refuses to make it.
    fails_with(capsys, "campaigns/x.yaml:5: template error: refused by the template sandbox: "
               f"the product of a {len(str(2**9998)):,}-digit and a {len(str(2**4999)):,}-digit "
               "number is too large",
               ONE_LETTER + "body: '{{ (2**4999) * (2**4999) * (2**4999) }}'\n",
               command="check")


# --- Processes and memory ----------------------------------------------------------------


class Die:
    """Unpickled in a worker, it ends the worker at once, as the out-of-memory killer does."""

    def __reduce__(self) -> tuple[object, tuple[int]]:
        return os._exit, (9,)


def test_a_worker_that_dies(project: Path) -> None:
    Path("campaigns/x.yaml").write_text(ONE_LETTER + "body: b\n", encoding="utf-8")
    inputs = api.plan(Path("campaigns/x.yaml")).inputs
    context = WorkContext("key", inputs, ("pdf",), project)
    with pytest.raises(AdvocacyError) as error:
        list(executors.run(context, [[Die()], [Die()]], jobs=2))  # type: ignore[list-item]
    assert str(error.value) == (
        "campaigns/x.yaml: a worker process died while writing letters, most likely because "
        "the computer ran out of memory; run again with --jobs 1, or close other programs. "
        "Earlier output is unchanged.")


def test_memory_runs_out_while_writing(project: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    def write_chunk(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(executors, "write_chunk", write_chunk)
    fails_with(capsys, "campaigns/x.yaml: ran out of memory while writing letters; run again "
               "with --jobs 1, or close other programs. Earlier output is unchanged.",
               ONE_LETTER + "body: b\n")


def test_memory_runs_out_in_a_template(project: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    def call_binop(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(sandbox.Sandbox, "call_binop", call_binop)
    fails_with(capsys, "campaigns/x.yaml:5: template error: the template makes texts too big "
               "for this computer's memory; simplify it",
               ONE_LETTER + "body: '{{ title * 2 }}'\n", command="check")


# --- Text a letter cannot print ----------------------------------------------------------

NESTED = ("lists or quotes are nested too deeply here: a letter prints at most 9 lists, or "
          "19 quotes, one inside another; flatten the text")


def test_lists_nested_deeper_than_letters_print(project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    items = "".join("  " * (2 * i) + f"- level {i}\n" for i in range(10))
    body = "".join(f"  {line}\n" for line in items.splitlines())
    fails_with(capsys, f"campaigns/x.yaml:15: {NESTED}", ONE_LETTER + "body: |\n" + body,
               command="check")


def test_nine_lists_still_print(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = "".join("  " * (2 * i) + f"- level {i}\n" for i in range(9))
    body = "".join(f"  {line}\n" for line in items.splitlines())
    Path("campaigns/x.yaml").write_text(ONE_LETTER + "body: |\n" + body, encoding="utf-8")
    assert run("check", "campaigns/x.yaml") == 0, capsys.readouterr().err


def test_quotes_nested_deeper_than_letters_print(project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    Path("statements/s.md").write_text("---\ntitle: T\n---\nText.\n\n" + ">" * 20 + " deep\n",
                                       encoding="utf-8")
    fails_with(capsys, f"statements/s.md:6: {NESTED}", ONE_LETTER + "body: {statement: s}\n",
               command="check")


@pytest.mark.parametrize("text", ["---\ntitle: T\n---\n", "---\ntitle: T\n---\n\n  \n", ""])
def test_empty_statement(project: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    Path("statements/s.md").write_text(text, encoding="utf-8")
    line = 4 if text else 1
    fails_with(capsys, f"statements/s.md:{line}: the statement has no text; write it after the "
               "front matter ('---' lines)", ONE_LETTER + "body: {statement: s}\n",
               command="check")


def test_empty_template(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("templates/evil.html.j2").write_text("\n \n", encoding="utf-8")
    fails_with(capsys, "templates/evil.html.j2: the template is empty; write the letter in it "
               "(see templates/letter.html.j2)", ONE_LETTER + "body: b\ntemplate: evil\n",
               command="check")


def test_template_that_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("templates/evil.html.j2").write_text("{# all commented out #}\n", encoding="utf-8")
    fails_with(capsys, "templates/evil.html.j2: template error: the template writes nothing; "
               "write the letter in it (see templates/letter.html.j2)",
               ONE_LETTER + "body: b\ntemplate: evil\n", command="check")


# --- Wide CSV files, several bad tags, leftovers, the command line -----------------------


def test_csv_with_100000_columns(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The header check looked up each column with list.index: quadratic, it hung.
    extra = ",".join(f"c{i}" for i in range(100_000))
    Path("recipients/s.csv").write_text(
        f"Name,Street,City,State,ZIP,{extra}\n", encoding="utf-8")
    started = time.monotonic()
    fails_with(capsys, "recipients/s.csv:1: the header has 100,005 columns; a file may have at "
               "most 1,000", SENDERS, command="check")
    assert time.monotonic() - started < 10


def test_csv_with_1000_columns_is_read(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = ",".join(f"c{i}" for i in range(995))
    Path("recipients/s.csv").write_text(
        f"Name,Street,City,State,ZIP,{extra}\n"
        "Sophal Chea,100 Example Street,Minneapolis,MN,55407" + "," * 995 + "\n",
        encoding="utf-8")
    Path("campaigns/x.yaml").write_text(SENDERS, encoding="utf-8")
    assert run("check", "campaigns/x.yaml") == 0, capsys.readouterr().err


def test_every_bad_yaml_tag_is_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tag = "is not allowed: only plain YAML is read; remove the tag"
    fails_with(capsys, f"campaigns/x.yaml:1:8: tag !!binary {tag}\n"
               f"campaigns/x.yaml:2:7: tag !!python/name:os.system {tag}\n"
               f"campaigns/x.yaml:3:10: tag !!set {tag}\n"
               f"campaigns/x.yaml:4:1: tag !custom {tag}\n"
               "4 problems found; nothing was written.",
               "title: !!binary aGk=\nbody: !!python/name:os.system\nsubject: !!set {a}\n"
               "!custom key: x\n", command="check")


def test_leftovers_of_an_interrupted_run_are_cleaned_on_the_next_start(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for leftover in ("output/.x.staging", "output/.x.previous"):
        Path(leftover).mkdir(parents=True)
        Path(leftover, "half.pdf").write_bytes(b"%PDF-")
    succeeds(capsys, ONE_LETTER + "body: b\n")
    assert output_listing() == ["x"]


@pytest.mark.parametrize(("args", "option"), [
    (["Evil\x1bName"], "NAME"),
    (["Good Name", "--short", "A\x07"], "--short"),
    (["Good Name", "--contact", "x\x00y"], "--contact"),
])
def test_control_character_on_the_command_line(project: Path, capsys: pytest.CaptureFixture[str],
                                               args: list[str], option: str) -> None:
    # It was blamed on a line of the list file, which had no such character.
    before = tree_hashes(project)
    code, _, err = sig(capsys, "add", DIASPORA, *args)
    character = next(c for c in "".join(args) if ord(c) < 32)
    assert (code, err) == (1, f"error: {option} (on the command line): control character "
                           f"U+{ord(character):04X} is not allowed in a text; delete it (most "
                           "editors do not show it)\n")
    assert tree_hashes(project) == before


@pytest.mark.parametrize("lines", [1_000, 400_000])  # 19 kB and 7.6 MB
def test_a_read_takes_the_memory_of_the_file_not_of_its_limit(tmp_path: Path,
                                                               lines: int) -> None:
    # Reading the 470 kB ZIP crosswalk under its 200 MB limit once asked for 200 MB first;
    # then, read by chunks and joined, a large file took twice its size.
    path = tmp_path / "small.csv"
    path.write_bytes(b"zip,state,district\n" * lines)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        data = files.read_checked(path, 200 * 1024 * 1024, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert data == path.read_bytes()
    assert peak < size * 1.2 + 2 * 1024 * 1024  # and a chunk of 1 MB to find the end
