"""Hostile resources: WeasyPrint and the DOCX writer read only templates/ and signature images.

Everything a letter fetches goes through ProjectFetcher: a file outside templates/ (or
a link to one), any network URL, is refused with a message naming the template, and
never embedded, in the PDF or the DOCX.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pytest

from advocacy import shipped
from tests.helpers import ONE_LETTER, fails_with, run

OUTSIDE = ("it is outside templates/; letters may use only files in the project's templates/ "
           "folder and signature images")
NETWORK = "letters never fetch from the network; copy the file into templates/ and use its name"


def png() -> bytes:
    """Return a valid one-pixel PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@pytest.fixture
def outside_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real image outside the project, which no letter may show."""
    path = tmp_path_factory.mktemp("elsewhere") / "secret.png"
    path.write_bytes(png())
    return path


def evil_template(head: str = "", body: str = "") -> str:
    """Write templates/evil.html.j2 and return a campaign that uses it."""
    Path("templates/evil.html.j2").write_text(
        f"<!DOCTYPE html>\n<html><head>{head}</head>\n<body><p>{{{{ salutation }}}}</p>"
        f"{body}</body></html>\n", encoding="utf-8")
    return ONE_LETTER + "body: b\ntemplate: evil\n"


def refused(url: str, reason: str, template: str = "templates/evil.html.j2",
            line: int | None = 3) -> str:
    """The message for a refused URL: at the template's line that names it (the head is
    line 2 of evil_template, the body line 3), or at the template alone."""
    where = f"{template}:{line}" if line else template
    return f"{where}: refused to fetch '{url}': {reason}"


@pytest.mark.parametrize(("head", "body", "url", "reason"), [
    ("", '<img src="file:///etc/passwd">', "file:///etc/passwd", OUTSIDE),
    ("<style>body { background: url(file:///etc/passwd) }</style>", "", "file:///etc/passwd",
     OUTSIDE),
    ('<style>@import url("file:///etc/passwd");</style>', "", "file:///etc/passwd", OUTSIDE),
    ("<style>@font-face { font-family: X; src: url(file:///etc/passwd) } "
     "body { font-family: X }</style>", "", "file:///etc/passwd", OUTSIDE),
    ('<link rel="stylesheet" href="https://example.org/a.css">', "",
     "https://example.org/a.css", NETWORK),
    ("", '<img src="http://127.0.0.1:9/pixel.png">', "http://127.0.0.1:9/pixel.png", NETWORK),
    ("", '<object data="file:///etc/passwd"></object>', "file:///etc/passwd", OUTSIDE),
    # An attachment would be embedded whole in the PDF: it is fetched when the PDF is written.
    ('<link rel="attachment" href="file:///etc/passwd">', "", "file:///etc/passwd", OUTSIDE),
])
def test_template_cannot_fetch(project: Path, capsys: pytest.CaptureFixture[str], head: str,
                               body: str, url: str, reason: str) -> None:
    fails_with(capsys, refused(url, reason, line=2 if head else 3), evil_template(head, body))


def test_relative_path_out_of_templates(project: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    url = (project / "campaigns/x.yaml").resolve().as_uri()
    fails_with(capsys, refused(url, OUTSIDE), evil_template(body='<img src="../campaigns/x.yaml">'))


def test_svg_image_outside(project: Path, capsys: pytest.CaptureFixture[str],
                           outside_png: Path) -> None:
    # WeasyPrint draws nothing for an SVG image it cannot fetch; the refusal still stops the run.
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           f'<image href="{outside_png.as_uri()}" width="10" height="10"/></svg>')
    fails_with(capsys, refused(outside_png.as_uri(), OUTSIDE), evil_template(body=svg))


def test_css_file_in_templates_cannot_fetch(project: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    # The stylesheet the example template includes: the message names the letter's template.
    with Path("templates/letter.css").open("a", encoding="utf-8") as css:
        css.write("\nbody { background: url('file:///etc/shadow'); }\n")
    # Written in the stylesheet, not in the template: no line.
    fails_with(capsys, refused("file:///etc/shadow", OUTSIDE, "templates/letter.html.j2", None),
               ONE_LETTER + "body: b\n")


def test_link_in_templates_to_a_file_outside(project: Path, capsys: pytest.CaptureFixture[str],
                                             outside_png: Path) -> None:
    # Outside templates/ but inside the project: the fetcher refuses it when a letter uses it.
    Path("signatories/logo.png").write_bytes(png())
    os.symlink("../signatories/logo.png", "templates/logo.png")
    url = (project / "templates/logo.png").absolute().as_uri()
    fails_with(capsys, refused(url, "it is a link to a file outside templates/; letters may use "
                               "only files in the project's templates/ folder and signature "
                               "images"), evil_template(body='<img src="logo.png">'))
    # Outside the project: refused before anything is rendered, by check too.
    os.unlink("templates/logo.png")
    os.symlink(outside_png, "templates/logo.png")
    fails_with(capsys, "templates/logo.png: is a link to a file outside the project folder; copy "
               "the file itself into the project folder", command="check")


@pytest.mark.parametrize("formats", ["[docx]", "[pdf]"])
def test_docx_reads_images_through_the_same_fetcher(project: Path, outside_png: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     formats: str) -> None:
    campaign = evil_template(body=f'<img src="{outside_png.as_uri()}">')
    fails_with(capsys, refused(outside_png.as_uri(), OUTSIDE),
               campaign.replace("formats: [pdf]", f"formats: {formats}"))


def test_image_inside_templates_is_allowed_in_both_formats(project: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    Path("templates/logo.png").write_bytes(png())
    Path("campaigns/x.yaml").write_text(
        evil_template(body='<p><img src="logo.png"></p>').replace("[pdf]", "[pdf, docx]"),
        encoding="utf-8")
    assert run("generate", "campaigns/x.yaml") == 0, capsys.readouterr().err
    assert b"word/media/image" in Path("output/x/amy-klobuchar-k000367.docx").read_bytes()


@pytest.mark.parametrize("signature", ["/etc/passwd", "../../outside.png"])
def test_signature_image_outside_the_project(project: Path, capsys: pytest.CaptureFixture[str],
                                             signature: str) -> None:
    Path("signatories/evil.yaml").write_text(
        f"signatories:\n  - name: Sophal Chea\n    signature: {signature}\n", encoding="utf-8")
    fails_with(capsys, f"signatories/evil.yaml:3:5: signatories.signature: '{signature}' is "
               "outside the project folder; put the image inside it, for example in "
               "signatories/signatures/", ONE_LETTER + "body: b\nsignatories: evil\n")


def test_signature_image_linking_outside(project: Path, capsys: pytest.CaptureFixture[str],
                                         outside_png: Path) -> None:
    Path("signatories/signatures").mkdir()
    os.symlink(outside_png, "signatories/signatures/sophal.png")
    Path("signatories/evil.yaml").write_text(
        "signatories:\n  - name: Sophal Chea\n    signature: signatures/sophal.png\n",
        encoding="utf-8")
    fails_with(capsys, "signatories/evil.yaml:3:5: signatories.signature: "
               "'signatures/sophal.png' is outside the project folder; put the image inside "
               "it, for example in signatories/signatures/",
               ONE_LETTER + "body: b\nsignatories: evil\n")


def test_the_packages_data_is_not_a_template_file(project: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Templates may use the package's templates folder, not the rest of the package."""
    url = (shipped.DATA / "sources.yaml").as_uri()
    fails_with(capsys, refused(url, OUTSIDE), evil_template(body=f'<img src="{url}">'))


def test_a_link_in_templates_to_the_packages_template(project: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A link is refused even to a file the package would give anyway: copy it instead."""
    os.unlink("templates/letter.css")
    os.symlink(shipped.TEMPLATES / "letter.css", "templates/letter.css")
    fails_with(capsys, "templates/letter.css: is a link to a file outside the project folder; "
               "copy the file itself into the project folder", ONE_LETTER + "body: b\n",
               command="check")
