"""Make the print bundle in print/ from the letter PDFs already in the staging folder.

    print/letters.pdf          every letter in delivery order, each starting on a
                               right-hand page (a blank page after an odd count)
    print/envelopes.pdf        one envelope per letter (or labels.pdf with labels)
    print/delivery-sheet.pdf   what was handed over, to fill in by hand
    print/delivery-sheet.csv   the same as a spreadsheet, for 'advocacy delivered --from-sheet'

Each print file holds one paper size, since a printer is loaded with one kind
of paper per job. A campaign that writes both US Letter (US recipients) and A4
letters gets one set per size, named by the paper or envelope it needs:
letters-us-letter.pdf and letters-a4.pdf, envelopes-us10.pdf and envelopes-dl.pdf
(labels-5160.pdf and labels-l7163.pdf). The delivery sheet is always one file.

The letters are joined with pikepdf (qpdf): it copies each letter's pages as
they are, fonts and links included, without laying anything out again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

from advocacy import output_folder
from advocacy.errors import AdvocacyError
from advocacy.models import Campaign, PrintSettings
from advocacy.planning import Letter
from advocacy.printing import PrintedFile
from advocacy.printing.delivery_sheet import Location, delivery_sheet_pdf
from advocacy.printing.envelopes import LABEL_SHEETS, envelope_size, envelopes_pdf, labels_pdf
from advocacy.printing.order import Item, Placed, in_delivery_order

__all__ = ["Item", "PrintedFile", "check", "delivered", "settings_for", "write_bundle"]
from advocacy.printing.pages import DELIVERY_SHEET, ENVELOPES, LABELS, Renderer, check_templates

FOLDER = "print"
PAPER_NAMES = {"letter": "us-letter", "a4": "a4"}


def settings_for(campaign: Campaign, *, requested: bool, labels: bool) -> PrintSettings | None:
    """Return the bundle's settings, or None when no bundle is asked for.

    A bundle is made when the campaign has a ``print:`` section or the caller asks
    (``--print``; ``--labels`` asks too).
    """
    if campaign.print is None and not (requested or labels):
        return None
    settings = campaign.print or PrintSettings()
    return settings.model_copy(update={"labels": True}) if labels else settings


def delivered(letter: Letter) -> bool:
    """Tell whether a letter goes into the bundle: an open letter has no one to deliver to."""
    return letter.role != "open-letter"


def check(settings: PrintSettings, formats: Sequence[str], templates: Sequence[Path],
          letters: Sequence[Letter]) -> None:
    """Refuse a bundle that cannot be made, before anything is written."""
    if "pdf" not in formats:
        raise AdvocacyError("the print bundle is made from the PDF letters; add pdf to "
                            "--format (for example --format pdf,docx)")
    if letters and not any(delivered(letter) for letter in letters):
        raise AdvocacyError("the print bundle of an open letter holds its copies, one per "
                            "recipient: ask for them with --copies (or copies: true)")
    names = [LABELS if settings.labels else ENVELOPES, DELIVERY_SHEET]
    problems = check_templates(templates, names)
    if problems:
        raise AdvocacyError.collect(problems)


def write_bundle(campaign: Campaign, templates: Sequence[Path], items: Sequence[Item],
                 folder: Path,
                 settings: PrintSettings) -> list[PrintedFile]:
    """Write the print bundle into folder/print/ from the letter PDFs in folder."""
    placed = in_delivery_order(items, settings.group_by)
    papers = list(dict.fromkeys(p.item.letter.paper for p in placed))
    split = len(papers) > 1
    target = folder / FOLDER
    target.mkdir(exist_ok=True)
    renderer = Renderer(templates)
    written: list[PrintedFile] = []
    locations: dict[int, Location] = {}
    for paper in papers:
        batch = [p for p in placed if p.item.letter.paper == paper]
        letters_name = f"letters-{PAPER_NAMES[paper]}.pdf" if split else "letters.pdf"
        data, pages, starts = join_letters(folder, batch, campaign.title)
        written.append(_write(target, letters_name, data, pages))
        if settings.labels:
            sheet = LABEL_SHEETS[paper]
            name = f"labels-{sheet.name}.pdf" if split else "labels.pdf"
            data, pages = labels_pdf(renderer, batch, sheet, campaign)
        else:
            size = envelope_size(paper, settings)
            name = f"envelopes-{size.name}.pdf" if split else "envelopes.pdf"
            data, pages = envelopes_pdf(renderer, batch, size, campaign, settings)
        written.append(_write(target, name, data, pages))
        for number, start in starts.items():
            locations[number] = Location(letters_name, start, name)
    files = [file.name.removeprefix(f"{FOLDER}/") for file in written]
    data, pages, table = delivery_sheet_pdf(renderer, placed, locations, files, campaign,
                                            settings.group_by)
    written.append(_write(target, "delivery-sheet.pdf", data, pages))
    written.append(_write(target, "delivery-sheet.csv", table, 0))  # to fill in, then import
    return written


def join_letters(folder: Path, placed: Sequence[Placed],
                 title: str) -> tuple[bytes, int, dict[int, int]]:
    """Join letter PDFs, each starting on an odd (right-hand) page.

    Return the PDF, its page count and the first page of each letter by number.
    A blank page of the letter's own size follows a letter with an odd page count,
    so that printed on both sides no sheet carries the end of one letter and the
    start of the next.
    """
    import pikepdf  # loaded only when a bundle is joined

    joined = pikepdf.new()
    starts: dict[int, int] = {}
    version = "1.4"
    with contextlib.ExitStack() as stack:
        for item in placed:
            path = folder / f"{item.item.letter.stem}.pdf"
            source = stack.enter_context(pikepdf.open(path))
            version = max(version, source.pdf_version)
            starts[item.number] = len(joined.pages) + 1
            joined.pages.extend(source.pages)
            if len(source.pages) % 2:
                box = source.pages[-1].mediabox
                joined.add_blank_page(page_size=(float(box[2] - box[0]),
                                                 float(box[3] - box[1])))
        with joined.open_outline() as outline:  # a bookmark per letter, to find one on screen
            outline.root.extend(
                pikepdf.OutlineItem(f"{item.number}. {item.item.letter.recipient.name}",
                                    starts[item.number] - 1)
                for item in placed
            )
        joined.docinfo["/Title"] = f"{title}: letters"
        buffer = io.BytesIO()
        # deterministic_id: the same letters give the same bytes, like every other output
        joined.save(buffer, min_version=version, deterministic_id=True)
    return buffer.getvalue(), len(joined.pages), starts


def _write(folder: Path, name: str, data: bytes, pages: int) -> PrintedFile:
    output_folder.write_atomic(folder / name, data)
    return PrintedFile(f"{FOLDER}/{name}", pages, hashlib.sha256(data).hexdigest(), len(data))
