"""Reading text files: the size limits, UTF-8 with its placed errors, and no control characters."""

from __future__ import annotations

import re
from pathlib import Path

from advocacy import files
from advocacy.errors import AdvocacyError, Place

# A campaign folder is shared by email: refuse inputs no person would write.
MAX_YAML_BYTES = 20 * 1024 * 1024
MAX_CSV_BYTES = 200 * 1024 * 1024
MAX_MARKDOWN_BYTES = 2 * 1024 * 1024

# Characters no letter prints, that XML (hence WeasyPrint and Word) or YAML refuses: controls
# other than tab and line breaks, lone surrogates, and the non-characters U+FFFE and U+FFFF.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def read_text(path: Path, limit: int, root: Path | None = None) -> str:
    """Read a UTF-8 text file (a leading BOM is dropped), refusing huge files."""
    raw = read_bytes(path, limit, root)
    return decode_utf8(path, raw)


def read_bytes(path: Path, limit: int, root: Path | None = None) -> bytes:
    """Read a file's bytes through the checked opener (files.py).

    The file must be inside root (if given) and a regular file; nothing past the
    limit is read.
    """
    return files.read_checked(path, limit, root)


def decode_utf8(path: Path, raw: bytes) -> str:
    """Decode UTF-8, naming the line of the first byte that is not UTF-8."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise AdvocacyError.at(
            Place(path, line, column),
            f"byte 0x{raw[error.start]:02x} is not UTF-8; save the file as UTF-8",
        ) from None
    check_characters(path, text)
    return text


def check_characters(path: Path, text: str) -> None:
    """Refuse control characters in a file's text, naming the place of the first."""
    found = CONTROL.search(text)
    if found is None:
        return
    before = text[: found.start()]
    line = before.count("\n") + 1
    column = found.start() - before.rfind("\n")
    raise AdvocacyError.at(Place(path, line, column), control_message(found[0]))


def control_message(character: str) -> str:
    """Say that a control character is not allowed, and what to do."""
    return (f"control character U+{ord(character):04X} is not allowed in a text; delete it "
            "(most editors do not show it)")
