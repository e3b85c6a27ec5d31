"""Every read goes through one checked opener: inside the project, a regular file, bounded.

Links that lead out of the project, named pipes (which block a reader forever), devices
and huge files are refused with their place, whatever reads them: the campaign, a
translation, a template or a file beside it, an image, a CSV, the build cache.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.helpers import ONE_LETTER, fails_with, no_blocking
from tests.hostile.test_resources import evil_template, png

FIFO = "is a named pipe (FIFO), not a file"
OUTSIDE = "is a link to a file outside the project folder; copy the file itself into the " \
    "project folder"
STATEMENT = "---\ntitle: T\n---\nText.\n"


@pytest.mark.parametrize("command", ["check", "generate"])
def test_translation_that_links_outside(project: Path, capsys: pytest.CaptureFixture[str],
                                        command: str) -> None:
    # check said ok and the letter held /etc/passwd; generate gave a traceback.
    Path("statements/s.md").write_text(STATEMENT, encoding="utf-8")
    os.symlink("/etc/passwd", "statements/s.en.md")
    fails_with(capsys, f"statements/s.en.md: {OUTSIDE}", ONE_LETTER + "body: {statement: s}\n",
               command=command)


def test_translated_template_that_links_outside(project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("/etc/passwd", "templates/letter.en.html.j2")
    fails_with(capsys, "templates/letter.en.html.j2: template error: 'letter.en.html.j2' is a "
               "link that leads outside templates/; copy the file itself into templates/",
               ONE_LETTER + "body: b\n", command="check")


def test_campaign_file_that_is_a_pipe(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo("campaigns/x.yaml")
    with no_blocking():
        fails_with(capsys, f"campaigns/x.yaml: {FIFO}", command="check")


def test_campaign_file_that_links_outside(project: Path, tmp_path_factory: pytest.TempPathFactory,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "x.yaml"
    outside.write_text(ONE_LETTER + "body: b\n", encoding="utf-8")
    os.symlink(outside, "campaigns/x.yaml")
    fails_with(capsys, f"campaigns/x.yaml: {OUTSIDE}", command="check")


@pytest.mark.parametrize(("path", "campaign"), [
    ("statements/s.md", ONE_LETTER + "body: {statement: s}\n"),
    ("recipients/r.csv", "title: t\nrecipients: {from: r}\nbody: b\n"),
    ("recipients/us-zip-districts.csv", "title: t\ndate: 2021-03-23\nrecipients: "
     "[{from: us-senate}]\nsenders: constituents-2021\nchambers: [senate]\nbody: b\n"),
    ("signatories/s.yaml", ONE_LETTER + "body: b\nsignatories: s\n"),
])
def test_files_that_are_pipes(project: Path, capsys: pytest.CaptureFixture[str], path: str,
                              campaign: str) -> None:
    if os.path.exists(path):
        os.unlink(path)
    os.mkfifo(path)
    with no_blocking():
        fails_with(capsys, f"{path}: {FIFO}", campaign, command="check")


def test_template_that_is_a_pipe(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo("templates/evil.html.j2")
    with no_blocking():
        fails_with(capsys, f"templates/evil.html.j2: {FIFO}", ONE_LETTER + "body: b\n"
                   "template: evil\n", command="check")


@pytest.mark.parametrize("command", ["check", "generate"])
def test_template_image_that_is_a_pipe(project: Path, capsys: pytest.CaptureFixture[str],
                                       command: str) -> None:
    os.mkfifo("templates/logo.png")
    with no_blocking():
        fails_with(capsys, f"templates/logo.png: {FIFO}",
                   evil_template(body='<img src="logo.png">'), command=command)


def test_signature_image_that_is_a_pipe(project: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo("signatories/sig.png")
    Path("signatories/evil.yaml").write_text(
        "signatories:\n  - name: Sophal Chea\n    signature: sig.png\n", encoding="utf-8")
    with no_blocking():
        fails_with(capsys, "signatories/evil.yaml:3:5: signatories.signature: 'sig.png' "
                   f"{FIFO}", ONE_LETTER + "body: b\nsignatories: evil\n", command="check")


def test_unused_link_in_templates_to_a_huge_file(project: Path,
                                                 tmp_path_factory: pytest.TempPathFactory,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # The build cache read all of it (2.2 GB of memory); now nothing of it is read.
    huge = tmp_path_factory.mktemp("elsewhere") / "huge.bin"
    with huge.open("wb") as stream:  # sparse: no disk space used
        stream.truncate(2 * 1024**3)
    os.symlink(huge, "templates/unused.bin")
    fails_with(capsys, f"templates/unused.bin: {OUTSIDE}", ONE_LETTER + "body: b\n")


def test_huge_file_in_templates(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open("templates/huge.bin", "wb") as stream:
        stream.truncate(60 * 1024**2)
    fails_with(capsys, "templates/huge.bin: file is 60.0 MB; the limit is 50 MB. Split it "
               "into smaller files.", ONE_LETTER + "body: b\n", command="check")


def test_link_in_templates_to_a_device(project: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("/dev/zero", "templates/zero.css")
    fails_with(capsys, f"templates/zero.css: {OUTSIDE}", ONE_LETTER + "body: b\n",
               command="check")


def test_link_inside_the_project_is_still_read(project: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    # Links that stay in the project are fine: a shared logo, a statement kept elsewhere.
    Path("templates/logo.png").write_bytes(png())
    os.symlink("logo.png", "templates/logo-link.png")
    Path("statements/shared").mkdir()
    Path("statements/shared/s.md").write_text(STATEMENT, encoding="utf-8")
    os.symlink("shared/s.md", "statements/s.md")
    Path("campaigns/x.yaml").write_text(ONE_LETTER + "body: {statement: s}\n", encoding="utf-8")
    from tests.helpers import run
    assert run("check", "campaigns/x.yaml") == 0, capsys.readouterr().err


def test_socket_in_templates(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listener = socket.socket(socket.AF_UNIX)
    listener.bind("templates/sock")
    try:
        fails_with(capsys, "templates/sock: is a socket, not a file", ONE_LETTER + "body: b\n",
                   command="check")
    finally:
        listener.close()
