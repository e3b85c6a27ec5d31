"""The print bundle: the letters in one file for the printer, envelopes or labels, a delivery sheet.

``bundle`` makes it from the letter PDFs already written to the staging folder;
``order`` decides the delivery order, ``envelopes`` and ``delivery_sheet`` draw the
envelopes, labels and delivery sheet from HTML templates (``pages``) with
WeasyPrint.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PrintedFile:
    """One file of the print bundle, named relative to the campaign's folder."""

    name: str  # e.g. print/letters.pdf
    pages: int
    sha256: str
    size: int
