"""Hostile YAML, Markdown and CSV files: safe, bounded loading; spreadsheet exports read right."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from advocacy import files, load
from advocacy.errors import AdvocacyError
from tests.helpers import ONE_LETTER, fails_with, pdf_text, run, succeeds

ONLY_PLAIN = "is not allowed: only plain YAML is read; remove the tag"
CONTROL = "is not allowed in a text; delete it (most editors do not show it)"


# --- YAML --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ('!!python/object/apply:os.system ["touch pwned"]\n',
     f"campaigns/x.yaml:1:1: tag !!python/object/apply:os.system {ONLY_PLAIN}"),
    ("title: !!python/name:os.system\n",
     f"campaigns/x.yaml:1:8: tag !!python/name:os.system {ONLY_PLAIN}"),
    ("title: !!python/object/new:subprocess.Popen {args: [touch, pwned]}\n",
     f"campaigns/x.yaml:1:8: tag !!python/object/new:subprocess.Popen {ONLY_PLAIN}"),
    ("title: !!binary aGVsbG8=\n", f"campaigns/x.yaml:1:8: tag !!binary {ONLY_PLAIN}"),
    ("title: !custom x\n", f"campaigns/x.yaml:1:8: tag !custom {ONLY_PLAIN}"),
    ("a: &a [x, x, x, x, x, x, x, x, x]\n"
     + "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
               for p, n in zip("abcdefgh", "bcdefghi", strict=True)),
     "campaigns/x.yaml:1:23: too many values; aliases (*name) expand to more than 2,000,000 "
     "values"),
    ("a: &a [*a]\n", "campaigns/x.yaml:1:4: nested more than 50 levels deep"),  # a loop
    ("a: " + "[" * 100_000 + "]" * 100_000 + "\n",
     "campaigns/x.yaml:1:53: nested more than 50 levels deep"),
    ("a: " + "{a: " * 60 + "1" + "}" * 60 + "\n",
     "campaigns/x.yaml:1:200: nested more than 50 levels deep"),
    ('title: "a\\0b"\n', f"campaigns/x.yaml:1:8: control character U+0000 {CONTROL}"),
    ('title: "a\\x1bb"\n', f"campaigns/x.yaml:1:8: control character U+001B {CONTROL}"),
    ("title: a\x0cb\n", f"campaigns/x.yaml:1:9: control character U+000C {CONTROL}"),
    ('title: "\\ud800"\n',
     "campaigns/x.yaml:1:11: not valid YAML: found invalid Unicode character escape code"),
    ("title: =\nbody: !!str 12\nrecipients: {from: us-senate, where: {id: K000367}}\n"
     "date: !!timestamp 2021-03-23\nsubject: !!set {a}\n",
     f"campaigns/x.yaml:5:10: tag !!set {ONLY_PLAIN}"),
    ("a: &a {b: 1}\nb:\n  <<: *a\n", "campaigns/x.yaml:3:3: merge keys (<<) are not "
     "supported; write the keys out"),
])
def test_hostile_yaml(project: Path, capsys: pytest.CaptureFixture[str], text: str,
                      message: str) -> None:
    fails_with(capsys, message, text, command="check")
    assert not Path("pwned").exists()


def test_yaml_not_utf8(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("campaigns/x.yaml").write_bytes(ONE_LETTER.encode() + b"body: caf\xe9\n")
    fails_with(capsys, "campaigns/x.yaml:5:10: byte 0xe9 is not UTF-8; save the file as UTF-8")


def test_yaml_too_big(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("campaigns/x.yaml").write_bytes(ONE_LETTER.encode() + b"body: " + b"x" * 21 * 2**20)
    fails_with(capsys, "campaigns/x.yaml: file is 21.0 MB; the limit is 20 MB. Split it into "
               "smaller files.")


def test_read_never_more_than_the_limit(tmp_path: Path) -> None:
    # A device reports no size and never ends: it is refused before anything is read.
    with pytest.raises(AdvocacyError) as error:
        load.read_bytes(Path("/dev/zero"), 2 * 2**20)
    assert str(error.value) == "/dev/zero: is a device, not a file"
    # A file still growing: reading stops at the limit, whatever its size said.
    reader = files.BoundedReader(io.BytesIO(b"x" * 100), 11)
    assert reader.read() == b"x" * 11
    assert reader.read(5) == b""


def test_statement_front_matter_with_python_tag(project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    Path("statements/evil.md").write_text("---\ntitle: T\ndate: !!python/object/apply:os.getcwd "
                                          "[]\n---\nText\n", encoding="utf-8")
    fails_with(capsys, f"statements/evil.md:3:7: tag !!python/object/apply:os.getcwd {ONLY_PLAIN}",
               ONE_LETTER + "body: {statement: evil}\n")


def test_statement_with_control_character(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    Path("statements/evil.md").write_text("---\ntitle: T\n---\nText\n\nMore \x1b[31mred\n",
                                          encoding="utf-8")
    fails_with(capsys, f"statements/evil.md:6:6: control character U+001B {CONTROL}",
               ONE_LETTER + "body: {statement: evil}\n")


def test_statement_that_links_outside_the_project(project: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # A shared archive can hold links: a "statement" that prints the user's own files.
    os.symlink("/etc/passwd", "statements/evil.md")
    fails_with(capsys, "campaigns/x.yaml:5:8: body.statement: statements/evil.md is a link to "
               "a file outside the project; copy the file itself into statements/",
               ONE_LETTER + "body: {statement: evil}\n")


# --- CSV as spreadsheet programs export it -----------------------------------------------------

SENDERS = ("title: t\ndate: 2021-03-23\nrecipients: [{from: us-senate}, {from: us-house}]\n"
           "senders: s\nformats: [pdf]\nbody: b\n")
HEADER = "Name,Street,City,State,ZIP\n"
ROW = "Sophal Chea,100 Example Street,Minneapolis,MN,55407\n"


def senders(data: bytes) -> None:
    Path("recipients/s.csv").write_bytes(data)
    Path("campaigns/x.yaml").write_text(SENDERS, encoding="utf-8")


def plan(capsys: pytest.CaptureFixture[str]) -> str:
    assert run("plan", "campaigns/x.yaml") == 0, capsys.readouterr().err
    return capsys.readouterr().out


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf" + (HEADER + ROW).encode(),  # Excel's "CSV UTF-8"
    (HEADER + ROW).replace("\n", "\r\n").encode(),  # Windows line ends
    (HEADER + ROW).replace(",", ";").encode("cp1252"),  # Excel in a language with decimal commas
    (HEADER + ROW).replace(",", "\t").encode(),  # "Tab separated values"
])
def test_spreadsheet_exports_are_read(project: Path, capsys: pytest.CaptureFixture[str],
                                      data: bytes) -> None:
    senders(data)
    assert plan(capsys).splitlines()[1] == ("  Sophal Chea -> Amy Klobuchar | Dear Senator "
                                            "Klobuchar: | sophal-chea-to-amy-klobuchar-k000367.pdf")


def test_windows_1252_export_is_read(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    senders((HEADER + "José Müller “Jr.” €,100 Example Street,Minneapolis,MN,55407\n")
            .encode("cp1252"))
    assert plan(capsys).splitlines()[1] == ("  José Müller “Jr.” € -> Amy Klobuchar | Dear "
                                            "Senator Klobuchar: | "
                                            "jose-muller-jr-eur-to-amy-klobuchar-k000367.pdf")


def test_newlines_in_quoted_cells(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    senders((HEADER + '"Sophal\nChea","100 Example Street\nApartment 4",Minneapolis,MN,55407\n'
             + "Dara Kim,12 Example Avenue,Saint Paul,MN,55104\n").encode())
    out = succeeds(capsys)
    assert out.startswith("output/x/: 6 letters")
    text = pdf_text(Path("output/x/sophal-chea-to-amy-klobuchar-k000367.pdf"))
    assert "Sophal Chea\n100 Example Street\nApartment 4\nMinneapolis, MN 55407" in text
    manifest = Path("output/x/manifest.csv").read_text(encoding="utf-8-sig").splitlines()
    assert manifest[1].startswith("sophal-chea-to-amy-klobuchar-k000367,K000367,Amy Klobuchar,"
                                  "Sophal Chea,")


@pytest.mark.parametrize(("data", "message"), [
    (HEADER + "Sophal Chea,100 Example Street,Minneapolis,MN\n",
     "recipients/s.csv:2: this row has 4 cells but the header has 5 columns; check for a "
     "missing or extra comma"),
    (HEADER + ROW + "Dara Kim,12 Example Avenue,Saint Paul,MN,55104,extra\n",
     "recipients/s.csv:3: this row has 6 cells but the header has 5 columns; check for a "
     "missing or extra comma"),
    ("Name,Street,City,State\nSophal Chea,100 Example Street,Minneapolis,MN\n",
     "recipients/s.csv:1: missing column 'zip' (also recognised: zip_code, zipcode, "
     "postal_code)"),
    ("", "recipients/s.csv:1: the file is empty; the first row must name the columns"),
    ("\n\n", "recipients/s.csv:1: the file is empty; the first row must name the columns"),
    (HEADER, "recipients/s.csv: has no senders; add one row per constituent"),
    ("Name,Name,Street,City,State,ZIP\n", "recipients/s.csv:1: column 'name' appears twice in "
     "the header"),
    (HEADER + ROW + '"Dara Kim,12 Example Avenue,Saint Paul,MN,55104\n',
     "recipients/s.csv:3: not valid CSV: unexpected end of data; check the quotes (\") in this "
     "row"),
    (HEADER + "Sophal\x00Chea,100 Example Street,Minneapolis,MN,55407\n",
     f"recipients/s.csv:2:7: control character U+0000 {CONTROL}"),
    (HEADER + ROW + "Dara Kim,12 Example Avenue,Saint Paul,XX,55104\n",
     "recipients/s.csv:3: unknown state 'XX'; use a two-letter code such as MN"),
    # Longer than the csv module's own limit (131,072): the project's message, not the library's.
    (HEADER + ROW + "Dara Kim," + "x" * 150_000 + ",Saint Paul,MN,55104\n",
     "recipients/s.csv:3: a cell holds 150,000 characters; the limit is 100,000. Check for a "
     "quote (\") that is opened and never closed"),
])
def test_bad_senders_csv(project: Path, capsys: pytest.CaptureFixture[str], data: str,
                         message: str) -> None:
    senders(data.encode())
    fails_with(capsys, message)


def test_utf16_export(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    senders((HEADER + ROW).replace(",", "\t").encode("utf-16"))
    fails_with(capsys, "recipients/s.csv:1: the file is UTF-16 text (a spreadsheet's 'Unicode "
               "Text'); export it again as 'CSV UTF-8'")


def test_bad_recipients_csv(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("recipients/r.csv").write_text("id,name,kind\nr1,Someone,senator,extra\n",
                                        encoding="utf-8")
    fails_with(capsys, "recipients/r.csv:2: this row has 4 cells but the header has 3 columns; "
               "check for a missing or extra comma",
               "title: t\nrecipients: {from: r}\nbody: b\n")
