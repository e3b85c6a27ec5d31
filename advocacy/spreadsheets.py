"""Spreadsheet files: CSV as Excel, LibreOffice and Google Sheets read it, and never run.

The manifest's CSV twin and the needs-attention report are opened by organisers in
a spreadsheet program: a cell that starts with '=' would run as a formula there.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from advocacy.errors import Attention

ATTENTION_NAME = "needs-attention.csv"  # the file attention_csv writes, in output/CAMPAIGN/


def attention_csv(items: list[Attention]) -> bytes:
    """Write the needs-attention report: what was not written or is incomplete, and what to do."""
    return spreadsheet_csv(
        ["where", "who", "letter", "issue", "what_to_do"],
        [[str(item.place) if item.place else "", item.who, item.letter, item.issue, item.action]
         for item in items])


def spreadsheet_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """Write a CSV as spreadsheet programs read it: CRLF, a BOM, no cell taken for a formula."""
    return b"".join(spreadsheet_csv_chunks(header, rows))


def spreadsheet_csv_chunks(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """Give the bytes of spreadsheet_csv a row at a time: a long sheet is never whole in memory."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    yield "\ufeff".encode()  # the BOM: Excel then reads UTF-8
    for index, row in enumerate(itertools.chain([header], rows)):
        writer.writerow(row if index == 0 else [spreadsheet_safe(cell) for cell in row])
        yield stream.getvalue().encode("utf-8")
        stream.seek(0)
        stream.truncate()


def spreadsheet_safe(value: Any) -> str:
    """Neutralise cells a spreadsheet would run as a formula (=, +, -, @, tab, CR)."""
    text = str(value)
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
