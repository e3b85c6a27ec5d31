"""Hand and postal deliveries: ``advocacy delivered``, one letter or a filled-in sheet.

A delivery is recorded against the letter's current PDF (its sha256), as an email
is: a letter regenerated with other content after it was handed over shows as
"changed since sent". The delivery sheet's CSV twin (print/delivery-sheet.csv),
filled in by volunteers in a spreadsheet program, is read back with the same
reader as every CSV (load/csv_table.py); its rows are all checked before any is
recorded, and a row already recorded is not recorded twice.
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from advocacy import load, manifest, output_folder
from advocacy.delivery import log as delivery_log
from advocacy.delivery.log import Record
from advocacy.errors import AdvocacyError, Place, Problem, display_path
from advocacy.manifest import LetterEntry, Manifest
from advocacy.project import UnknownName, campaign_name

MAX_TEXT = 500  # characters in a name or a note
Method = Literal["hand", "post"]


@dataclass
class Recorded:
    """What ``delivered`` recorded, and the rows of a sheet already recorded before."""

    log: Path
    records: list[Record] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # letters


def written_letters(campaign: Path, output_dir: Path) -> tuple[Path, Manifest]:
    """Return a campaign's output folder and its manifest; refuse a campaign never generated."""
    try:
        name = campaign_name(campaign)
    except UnknownName as error:
        raise AdvocacyError.at(Place(campaign), str(error)) from None
    folder = output_folder.confine(output_dir / name)
    try:
        return folder, manifest.read(folder)
    except AdvocacyError:
        if not (folder / manifest.FILE_NAME).exists():
            raise AdvocacyError(f"{display_path(folder)}: no letters yet; run 'advocacy "
                                f"generate {display_path(campaign)}' first") from None
        raise


def record_delivery(campaign: Path, letter: str, received_by: str | None, *,
                    on: datetime.date | None = None, note: str | None = None,
                    method: Method = "hand", output_dir: Path = Path("output")) -> Recorded:
    """Record that a letter was handed over (to someone) or posted."""
    folder, written = written_letters(campaign, output_dir)
    problems: list[Problem] = []
    place = Place("command line")
    entry = find_letter(written, letter, place, problems)
    name = _text(received_by, "--received-by", place, problems)
    if method == "hand" and not name:
        problems.append(Problem(place, "say who received the letter with --received-by NAME "
                                "(or --post for a letter posted)"))
    remark = _text(note, "--note", place, problems)
    if problems or entry is None:
        raise AdvocacyError.collect(problems)
    record = _record(entry, method, name, (on or datetime.date.today()).isoformat(), remark)
    path = delivery_log.log_path(folder)
    delivery_log.append(path, [record])
    return Recorded(path, [record])


def import_sheet(campaign: Path, sheet: Path, output_dir: Path = Path("output")) -> Recorded:
    """Record the deliveries of a filled-in delivery sheet (rows with received_by)."""
    folder, written = written_letters(campaign, output_dir)
    table = load.load_csv(sheet)
    if "letter" not in table.columns or "received_by" not in table.columns:
        raise AdvocacyError.at(Place(sheet, 1), "not a delivery sheet: it needs the columns "
                               "'letter' and 'received_by' (use print/delivery-sheet.csv)")
    path = delivery_log.log_path(folder)
    log = delivery_log.read(path)
    recorded = Recorded(path)
    problems: list[Problem] = []
    for row in table.rows:
        place = Place(sheet, row.line)
        name = _text(row.values.get("received_by"), "received_by", place, problems)
        if not name:
            continue  # not handed over yet
        entry = find_letter(written, row.values["letter"], place, problems)
        day = _date(row.values.get("date", ""), place, problems)
        remark = _text(row.values.get("note"), "note", place, problems)
        if entry is None or day is None:
            continue
        record = _record(entry, "hand", name, day, remark)
        if any(_same(record, earlier) for earlier in [*log.records, *recorded.records]):
            recorded.already.append(entry.letter)
        else:
            recorded.records.append(record)
    if problems:
        raise AdvocacyError.collect(problems)
    if recorded.records:
        delivery_log.append(path, recorded.records)
    return recorded


def find_letter(written: Manifest, name: str, place: Place,
                problems: list[Problem]) -> LetterEntry | None:
    """Find a letter by its file name or stem; record a problem naming close ones if not."""
    stem = name.strip().removesuffix(".pdf").removesuffix(".docx")
    entries = {entry.letter: entry for entry in written.letters}
    if stem in entries:
        return entries[stem]
    close = difflib.get_close_matches(stem, list(entries), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else \
        "; 'advocacy status' lists the campaign's letters"
    problems.append(Problem(place, f"no letter '{stem}' in this campaign{hint}"))
    return None


def _text(value: str | None, what: str, place: Place, problems: list[Problem]) -> str | None:
    """Return a name or note, or None; refuse control characters and very long text."""
    text = " ".join((value or "").split())
    found = load.CONTROL.search(text)
    if found:
        problems.append(Problem(place, f"{what}: {load.control_message(found[0])}"))
    elif len(text) > MAX_TEXT:
        problems.append(Problem(place, f"{what}: {len(text)} characters; at most {MAX_TEXT}"))
    return text or None


def _date(value: str, place: Place, problems: list[Problem]) -> str | None:
    """Read a delivery date written as YYYY-MM-DD; none given: today."""
    if not value.strip():
        return datetime.date.today().isoformat()
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        problems.append(Problem(place, f"date '{value}' is not a date written as YYYY-MM-DD; "
                                "format the column as text in the spreadsheet"))
        return None


def _record(entry: LetterEntry, method: Method, name: str | None, day: str,
            note: str | None) -> Record:
    primary = entry.file("pdf") or entry.files[0]
    return Record(time=delivery_log.now(), letter=entry.letter, sha256=primary.sha256,
                  channel=method, result="delivered", received_by=name, date=day, note=note)


def _same(record: Record, earlier: Record) -> bool:
    """Tell whether a sheet's row was recorded before (imported twice)."""
    return (record.letter, record.sha256, record.received_by, record.date, record.note) == \
        (earlier.letter, earlier.sha256, earlier.received_by, earlier.date, earlier.note) \
        and earlier.result == "delivered"
