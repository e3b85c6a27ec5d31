"""Uploaded files: limited in size and type, checked, and parsed inside the project only.

An upload is kept in memory; the loaders read files, so it is written for the time
of one parse into output/.web-uploads/ (inside the project) under a random name,
never under the name the browser sent, and removed at once.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import FormData, UploadFile

from advocacy import load, output_folder
from advocacy.errors import AdvocacyError, Place, Problem

MAX_UPLOAD = 2 * 1024 * 1024  # a sign-up form or a constituents file of thousands of rows
CSV_TYPES = frozenset({"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel",
                       "text/comma-separated-values", "application/octet-stream", ""})
# A cell a spreadsheet program would run as a formula (=HYPERLINK(...), +cmd, @SUM).
FORMULA = re.compile(r"^[\t\r ]*[=+@]|^-[^\d\s.]")
SAFE_NAME = re.compile(r"^[^/\\\x00-\x1f]{1,120}\.csv$", re.IGNORECASE)


@dataclass(frozen=True)
class Upload:
    """A CSV file as uploaded: the name the browser gave (checked) and its bytes."""

    name: str
    data: bytes


async def csv_upload(form: FormData, field: str = "file") -> Upload:
    """Take a CSV from a form; refuse another type, a path as name, or a large file."""
    sent = form.get(field)
    if not isinstance(sent, UploadFile) or not sent.filename:
        raise AdvocacyError("choose a CSV file to upload")
    name = sent.filename
    if not SAFE_NAME.match(name) or ".." in name:
        raise AdvocacyError(f"'{name}' is not a plain CSV file name; upload a file whose "
                            "name ends in .csv, without folders")
    if (sent.content_type or "").split(";")[0].strip().lower() not in CSV_TYPES:
        raise AdvocacyError(f"{name}: a {sent.content_type} file, not CSV; export the "
                            "spreadsheet as CSV")
    data = await sent.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise AdvocacyError(f"{name}: larger than {MAX_UPLOAD // 1024 // 1024} MB; split it "
                            "into smaller files")
    return Upload(name, data)


@contextlib.contextmanager
def parsed(root: Path, upload: Upload) -> Iterator[Path]:
    """Lend an upload as a file inside the project, for a loader to read; then remove it."""
    folder = root / "output" / ".web-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(8)}.csv"
    output_folder.write_atomic(path, upload.data)
    try:
        yield path
    except AdvocacyError as error:  # its places name the uploaded file, not the copy
        raise AdvocacyError.collect([
            Problem(Place(upload.name, p.place.line, p.place.column)
                    if Path(p.place.path) == path else p.place, p.message, p.field)
            for p in error.problems]) if error.problems else error from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def refuse_formulas(path: Path, name: str) -> None:
    """Refuse a CSV with a cell a spreadsheet would run as a formula, naming its row."""
    table = load.load_csv(path)
    for record in table.rows:
        for column, value in record.values.items():
            if FORMULA.match(value):
                raise AdvocacyError.at(Place(name, record.line), f"column '{column}' holds a "
                                       f"formula ({value[:30]}); a sign-up form never does. "
                                       "Remove it, or save the sheet as values only")
