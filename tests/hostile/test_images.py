"""Images are decoded before either writer uses them: a damaged image or a decompression
bomb is an error that names it, in check as in generate, never a silent gap in the PDF,
a traceback from the DOCX writer, or gigabytes of pixels embedded in a DOCX."""

from __future__ import annotations

import base64
import io
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import ONE_LETTER, fails_with
from tests.hostile.test_resources import evil_template, png

DAMAGED = "is a damaged image (broken data stream when reading image file); save it again " \
    "as PNG or JPEG"
BOMB = "is 6,000 × 6,000 pixels; an image may have at most 25,000,000 pixels: scale it down"


def chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")


def png_of(width: int, height: int, idat: bytes) -> bytes:
    """Return a PNG whose header says width x height, with the given pixel data."""
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


CORRUPT = png_of(1, 1, b"not zlib data")
# A few kilobytes that say 36 million pixels (the DOCX writer embedded such a file whole).
BOMB_PNG = png_of(6000, 6000, zlib.compress(b"\x00" * 100_000))
HUGE_PNG = png_of(30000, 30000, zlib.compress(b"\x00" * 1000))


def signature_list(data: bytes) -> str:
    Path("signatories/sig.png").write_bytes(data)
    Path("signatories/evil.yaml").write_text(
        "signatories:\n  - name: Sophal Chea\n    signature: sig.png\n", encoding="utf-8")
    return ONE_LETTER.replace("[pdf]", "[pdf, docx]") + "body: b\nsignatories: evil\n"


@pytest.mark.parametrize(("data", "problem"), [
    (CORRUPT, DAMAGED),
    (BOMB_PNG, BOMB),
    (HUGE_PNG, "has more than 25,000,000 pixels; scale it down"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "is not an image in a format letters can show; save "
     "it as PNG or JPEG"),
])
@pytest.mark.parametrize("command", ["check", "generate"])
def test_bad_signature_images(project: Path, capsys: pytest.CaptureFixture[str], data: bytes,
                              problem: str, command: str) -> None:
    fails_with(capsys, f"signatories/evil.yaml:3:5: signatories.signature: 'sig.png' {problem}",
               signature_list(data), command=command)


def test_good_signature_image_prints_in_both_formats(project: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers import succeeds

    succeeds(capsys, signature_list(png()))
    assert b"word/media/image" in Path("output/x/amy-klobuchar-k000367.docx").read_bytes()


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("logo.png", CORRUPT, DAMAGED),
    ("logo.png", BOMB_PNG, BOMB),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>",
     "is a damaged SVG image (Opening and ending tag mismatch: g line 1 and svg, line 1, "
     "column 50 (<string>, line 1)); save it again"),
    ("logo.svg", b"<html/>", "is not an SVG image (its first element is not <svg>)"),
])
def test_bad_images_in_templates(project: Path, capsys: pytest.CaptureFixture[str], name: str,
                                 data: bytes, problem: str) -> None:
    # WeasyPrint left them out of the PDF without a word.
    Path("templates", name).write_bytes(data)
    fails_with(capsys, f"templates/{name}: {problem}",
               evil_template(body=f'<img src="{name}">'), command="check")


def test_bad_image_as_a_data_url(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "data:image/png;base64," + base64.b64encode(CORRUPT).decode()
    fails_with(capsys, f"templates/evil.html.j2:3: refused to fetch '{url[:100]}...': it "
               f"{DAMAGED}",
               evil_template(body=f'<img src="{url}">'))


def test_image_the_docx_writer_cannot_embed(project: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    stream = io.BytesIO()
    Image.new("RGB", (4, 4)).save(stream, "WEBP")
    Path("templates/logo.webp").write_bytes(stream.getvalue())
    campaign = evil_template(body='<p><img src="logo.webp"></p>')
    fails_with(capsys, "templates/evil.html.j2:3: refused to fetch 'logo.webp': the DOCX writer "
               "cannot embed this image; save it as PNG or JPEG",
               campaign.replace("[pdf]", "[docx]"))
