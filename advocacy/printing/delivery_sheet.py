"""The delivery sheet: every letter in delivery order, with columns to fill in by hand."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from advocacy import spreadsheets
from advocacy.addressing import ADDRESS_MISSING
from advocacy.models import Campaign
from advocacy.printing.envelopes import HAND_DELIVERY, INCOMPLETE, hand_delivery
from advocacy.printing.order import Placed
from advocacy.printing.pages import DELIVERY_SHEET, Renderer


@dataclass(frozen=True)
class Location:
    """Where a letter is in the bundle: its file and first page, and its envelope's file."""

    file: str
    first_page: int
    envelope_file: str


@dataclass(frozen=True)
class DeliveryRow:
    """One letter on the delivery sheet."""

    number: int
    letter: str  # the letter's file stem, which 'advocacy delivered' knows it by
    group: str | None  # a group's heading, on the first row of its group only
    recipient: list[str]  # who: the name, title and office lines of the address block
    address: list[str]  # where: the postal lines
    sender: str | None  # whose letter it is, in a constituent campaign
    pages: int
    file: str  # the letters file, and the page where this letter starts in it
    first_page: int
    notes: list[str]  # what the volunteer must know, e.g. hand delivery only


@dataclass(frozen=True)
class DeliverySheetContext:
    """Every name the delivery sheet template may use."""

    title: str  # the campaign's title
    language: str
    paper: str  # CSS page size of the sheet, printed landscape
    grouped_by: str | None  # state, city, mission or None
    letters: int
    pages: int  # pages of letters, without the blank pages
    files: list[str]  # the bundle's other files, to name them on the sheet
    split: bool  # letters in several files (one per paper size): rows name their file
    rows: list[DeliveryRow]


def delivery_sheet_pdf(renderer: Renderer, placed: Sequence[Placed],
                       locations: dict[int, Location], files: list[str], campaign: Campaign,
                       grouped_by: str | None) -> tuple[bytes, int, bytes]:
    """Draw the delivery sheet of a bundle; return it, its page count, and its CSV twin."""
    rows = []
    previous_group = None
    for item in placed:
        letter = item.item.letter
        location = locations[item.number]
        notes = [note.issue for note in letter.notes if note != ADDRESS_MISSING]
        if not letter.address.complete:
            notes.insert(0, f"{HAND_DELIVERY}: {INCOMPLETE}")
        if hand_delivery(item):
            notes.append(f"envelope: {location.envelope_file}, no. {item.number}, marked "
                         f"{HAND_DELIVERY}")
        group = item.group if item.group != previous_group else None
        previous_group = item.group
        rows.append(DeliveryRow(
            number=item.number, letter=letter.stem, group=group,
            recipient=list(letter.address.addressee),
            address=list(letter.address.postal),
            sender=letter.sender.name if letter.from_constituent and letter.sender else None,
            pages=item.item.pages, file=location.file, first_page=location.first_page,
            notes=notes,
        ))
    papers = Counter(p.item.letter.paper for p in placed)
    paper = "letter" if papers["letter"] >= papers["a4"] else "A4"
    context = DeliverySheetContext(
        title=campaign.title, language=campaign.language, paper=paper, grouped_by=grouped_by,
        letters=len(placed), pages=sum(p.item.pages for p in placed), files=files,
        split=len({location.file for location in locations.values()}) > 1, rows=rows,
    )
    data, pages = renderer.pdf(DELIVERY_SHEET, context)
    return data, pages, delivery_sheet_csv(rows)


# The CSV twin's columns: the sheet's, then the three a volunteer fills in, which
# 'advocacy delivered CAMPAIGN --from-sheet' reads back (see delivery/handed.py).
SHEET_COLUMNS = ["number", "letter", "recipient", "address", "sender", "pages", "file",
                 "first_page", "notes", "received_by", "date", "note"]


def delivery_sheet_csv(rows: Sequence[DeliveryRow]) -> bytes:
    """Write the delivery sheet as a spreadsheet to fill in: who received each letter, when."""
    return spreadsheets.spreadsheet_csv(SHEET_COLUMNS, [
        [row.number, row.letter, " / ".join(row.recipient), " / ".join(row.address),
         row.sender or "", row.pages, row.file, row.first_page, "; ".join(row.notes), "", "",
         ""] for row in rows])

