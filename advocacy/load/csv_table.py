"""CSV as spreadsheet programs write it: UTF-8 or Windows-1252, ',' ';' or tab, bounded cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from advocacy.errors import AdvocacyError, Place
from advocacy.load.text import MAX_CSV_BYTES, check_characters, read_bytes

MAX_CELL = 100_000  # characters in one CSV cell: far more than any name or address
MAX_COLUMNS = 1_000  # a sign-up form or a spreadsheet export has tens

@dataclass
class CsvRow:
    """One data row of a CSV file, keyed by normalised column name."""

    line: int
    values: dict[str, str]


@dataclass
class CsvTable:
    """A CSV file read into rows, with its normalised header."""

    path: Path
    columns: list[str]
    rows: list[CsvRow]
    encoding: str
    headers: list[str] = field(default_factory=list)  # the column names as written

    def place(self, line: int | None = None, column: str | None = None) -> Place:
        """Return the place of a row (the column is named in messages, not numbered)."""
        return Place(self.path, line)


def normalise_column(name: str) -> str:
    """Turn a header cell such as ' ZIP Code ' into 'zip_code'."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def load_csv(path: Path, root: Path | None = None) -> CsvTable:
    """Read a CSV as Excel, LibreOffice or Google Sheets export it.

    UTF-8 (with or without BOM) is tried first; files that are not UTF-8 are read
    as Windows-1252, which is what Excel writes on Windows.
    """
    raw = read_bytes(path, MAX_CSV_BYTES, root)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AdvocacyError.at(Place(path, 1), "the file is UTF-16 text (a spreadsheet's "
                               "'Unicode Text'); export it again as 'CSV UTF-8'")
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = raw.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise AdvocacyError.at(
                Place(path, line),
                "the file is neither UTF-8 nor Windows-1252 text; export it again as "
                "'CSV UTF-8'",
            ) from None
    check_characters(path, text)
    records = _csv_records(path, text)
    header = next(records, None)
    if header is None or not any(cell.strip() for cell in header[1]):
        raise AdvocacyError.at(Place(path, 1), "the file is empty; the first row must name the "
                               "columns")
    if len(header[1]) > MAX_COLUMNS:
        raise AdvocacyError.at(Place(path, 1), f"the header has {len(header[1]):,} columns; a "
                               f"file may have at most {MAX_COLUMNS:,}")
    columns = [normalise_column(cell) for cell in header[1]]
    seen: set[str] = set()  # a set, not list.index: a wide header is read in linear time
    for index, name in enumerate(columns):
        if not name:
            raise AdvocacyError.at(Place(path, 1), f"column {index + 1} has no name in the header")
        if name in seen:
            raise AdvocacyError.at(Place(path, 1), f"column '{name}' appears twice in the header")
        seen.add(name)
    rows = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheet programs leave blank rows at the end
        if len(cells) != len(columns):
            raise AdvocacyError.at(
                Place(path, line),
                f"this row has {len(cells)} cells but the header has {len(columns)} columns; "
                "check for a missing or extra comma",
            )
        values = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
        rows.append(CsvRow(line, values))
    return CsvTable(path, columns, rows, encoding, [cell.strip() for cell in header[1]])


# The csv module's own cell limit (131,072 characters by default) would stop a long cell
# with its message before ours: lift it (a whole file is bounded by MAX_CSV_BYTES anyway).
csv.field_size_limit(MAX_CSV_BYTES)


def _csv_records(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, cells) for each record, quoted newlines included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    previous_end = 0
    try:
        for cells in reader:
            longest = max(map(len, cells), default=0)
            if longest > MAX_CELL:
                raise AdvocacyError.at(
                    Place(path, previous_end + 1),
                    f"a cell holds {longest:,} characters; the limit is {MAX_CELL:,}. Check "
                    "for a quote (\") that is opened and never closed")
            yield previous_end + 1, cells
            previous_end = reader.line_num
    except csv.Error as error:
        raise AdvocacyError.at(
            Place(path, previous_end + 1),
            f"not valid CSV: {error}; check the quotes (\") in this row",
        ) from None


def _delimiter(text: str) -> str:
    """Return the header's separator: spreadsheets in many languages write ';' or a tab."""
    header = text.split("\n", 1)[0]
    return max(",;\t", key=header.count) if any(c in header for c in ",;\t") else ","
