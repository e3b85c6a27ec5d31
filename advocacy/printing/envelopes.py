"""Envelopes and address labels: one per letter, in delivery order.

Sizes and positions are in millimetres. The recipient's address sits in the
address zone the post reads on a printed envelope: on a US #10 envelope 4 in
from the left and 2 in from the top (inside the USPS OCR read area, clear of the
barcode strip along the bottom); on DL and C5, the right half of the lower part
(Swiss Post and Deutsche Post: at least 15 mm above the bottom edge, 10 mm from
the right, below the 40 mm stamp and franking zone). The return address is in the
top left corner, as on any envelope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from advocacy.models import Campaign, PrintSettings
from advocacy.printing.order import Placed
from advocacy.printing.pages import ENVELOPES, LABELS, Renderer

HAND_DELIVERY = "HAND DELIVERY ONLY"
INCOMPLETE = "postal address incomplete"


@dataclass(frozen=True)
class EnvelopeSize:
    """An envelope, printed landscape, and where its addresses go (millimetres)."""

    name: str  # as in file names: us10, dl, c5
    label: str  # as printed: "US #10"
    width: float
    height: float
    address_left: float
    address_top: float
    address_width: float


ENVELOPE_SIZES = {
    "us10": EnvelopeSize("us10", "US #10", 241.3, 104.775, 101.6, 50.8, 129.7),
    "dl": EnvelopeSize("dl", "DL", 220, 110, 110, 45, 100),
    "c5": EnvelopeSize("c5", "C5", 229, 162, 115, 70, 104),
}


@dataclass(frozen=True)
class LabelSheet:
    """A sheet of address labels (millimetres; LibreOffice's labels.xml has the same)."""

    name: str  # as in file names: 5160, l7163
    label: str  # as printed: "Avery 5160"
    paper: str  # CSS page size
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    left: float  # page edge to the first column
    top: float  # page edge to the first row
    column_pitch: float
    row_pitch: float
    font_size: float  # points; smaller for a block that would not fit

    @property
    def per_page(self) -> int:
        """Return how many labels a sheet holds."""
        return self.columns * self.rows


LABEL_SHEETS = {
    "letter": LabelSheet("5160", "Avery 5160", "letter", 279.4, 3, 10, 66.68, 25.4, 4.78, 12.7,
                         69.85, 25.4, 8),
    "a4": LabelSheet("l7163", "Avery L7163", "A4", 297, 2, 7, 99.06, 38.1, 4.67, 15.15,
                     101.6, 38.1, 10),
}


@dataclass(frozen=True)
class EnvelopeView:
    """One envelope as printed."""

    number: int  # the letter's number in the delivery order (and on the delivery sheet)
    recipient: list[str]  # the letter's own address block
    return_address: list[str]
    hand_delivery: bool  # no complete postal address: marked, never completed by guessing


@dataclass(frozen=True)
class EnvelopesContext:
    """Every name the envelopes template may use."""

    title: str  # the campaign's title
    size: EnvelopeSize
    envelopes: list[EnvelopeView]
    hand_delivery: str  # the mark's two lines
    incomplete: str


@dataclass(frozen=True)
class LabelView:
    """One label: its place on the sheet (mm), lines and font size (pt)."""

    top: float
    left: float
    lines: list[str]
    font_size: float
    hand_delivery: bool


@dataclass(frozen=True)
class LabelsContext:
    """Every name the labels template may use."""

    title: str
    sheet: LabelSheet
    pages: list[list[LabelView]]
    hand_delivery: str


def envelope_size(paper: str, settings: PrintSettings) -> EnvelopeSize:
    """Return the envelope for a letter's paper: #10 for US Letter, DL or C5 for A4."""
    return ENVELOPE_SIZES["us10" if paper == "letter" else settings.envelope]


def return_address(placed: Placed, campaign: Campaign, settings: PrintSettings) -> list[str]:
    """Return the lines of a letter's return address (empty when the campaign has none)."""
    letter = placed.item.letter
    sender = letter.sender
    if letter.from_constituent and sender is not None:  # it comes back to the constituent
        return [sender.name, *sender.address]
    if settings.return_address:
        return list(settings.return_address)
    if sender is not None:
        return [sender.name, *sender.address]
    if campaign.letterhead is not None:
        return [campaign.letterhead.name, *campaign.letterhead.lines]
    return []


def hand_delivery(placed: Placed) -> bool:
    """Tell whether a letter has no complete postal address (its note says 'address missing')."""
    return not placed.item.letter.address.complete


def envelopes_pdf(renderer: Renderer, placed: Sequence[Placed], size: EnvelopeSize,
                  campaign: Campaign, settings: PrintSettings) -> tuple[bytes, int]:
    """Draw one envelope per letter."""
    views = [
        EnvelopeView(p.number, list(p.item.letter.address.lines),
                     return_address(p, campaign, settings), hand_delivery(p))
        for p in placed
    ]
    return renderer.pdf(ENVELOPES, EnvelopesContext(campaign.title, size, views,
                                                    HAND_DELIVERY, INCOMPLETE))


def labels_pdf(renderer: Renderer, placed: Sequence[Placed], sheet: LabelSheet,
               campaign: Campaign) -> tuple[bytes, int]:
    """Draw one address label per letter, sheet after sheet."""
    pages: list[list[LabelView]] = []
    for index, item in enumerate(placed):
        slot = index % sheet.per_page
        if slot == 0:
            pages.append([])
        row, column = divmod(slot, sheet.columns)
        lines = list(item.item.letter.address.lines)
        mark = hand_delivery(item)
        pages[-1].append(LabelView(
            top=round(sheet.top + row * sheet.row_pitch, 2),
            left=round(sheet.left + column * sheet.column_pitch, 2),
            lines=lines, font_size=_fitting_size(lines, sheet, mark), hand_delivery=mark,
        ))
    return renderer.pdf(LABELS, LabelsContext(campaign.title, sheet, pages,
                                              f"{HAND_DELIVERY}: {INCOMPLETE}"))


def _fitting_size(lines: list[str], sheet: LabelSheet, mark: bool) -> float:
    """Shrink the type of a long block so that it stays on its label.

    An estimate, since labels are drawn in one pass: a sans-serif letter is about
    half as wide as the type is high, and a line takes 1.15 times the type size.
    """
    size = sheet.font_size
    usable_width = sheet.label_width - 6  # the label's padding
    usable_height = sheet.label_height - 3
    while size > 5.5:
        per_line = usable_width / (size * 0.3528 * 0.5)
        count = sum(max(1, -(-len(line) // int(per_line))) for line in lines) + int(mark)
        if count * size * 1.15 * 0.3528 <= usable_height:
            break
        size -= 0.5
    return size
