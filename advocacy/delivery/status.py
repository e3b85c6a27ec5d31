"""``advocacy status``: what became of each letter, from the manifest and the delivery log."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from advocacy import spreadsheets
from advocacy.delivery import log as delivery_log
from advocacy.delivery.handed import written_letters
from advocacy.delivery.log import Record
from advocacy.manifest import LetterEntry

CSV_COLUMNS = ["letter", "recipient", "written", "sent", "failed", "delivered",
               "changed_since_sent", "needs_attention"]


@dataclass(frozen=True)
class LetterStatus:
    """One letter: written, sent, failed, delivered, changed since, and what to look at."""

    letter: str
    recipient: str
    written: tuple[str, ...]  # its files
    sent: tuple[str, ...]  # "2021-03-24 to x@example.org"
    failed: str  # why the last try failed, when the letter was not sent since
    delivered: tuple[str, ...]  # "by NAME on 2021-03-24 (hand)"
    changed: bool  # an earlier version was sent or delivered, and not this one
    attention: tuple[str, ...]

    @property
    def reached(self) -> bool:
        """Tell whether this version of the letter was sent or delivered."""
        return bool(self.sent or self.delivered)


@dataclass
class Status:
    """Every letter of a campaign's output, and the log's own troubles."""

    folder: Path
    log: Path
    letters: list[LetterStatus] = field(default_factory=list)
    warning: str | None = None  # damaged lines of the log


def status(campaign: Path, output_dir: Path = Path("output")) -> Status:
    """Say, for each letter written, whether it was sent or delivered, and what needs doing."""
    folder, written = written_letters(campaign, output_dir)
    log = delivery_log.read(delivery_log.log_path(folder))
    result = Status(folder, log.path, warning=log.warning())
    result.letters = [letter_status(entry, log.of(entry.letter)) for entry in written.letters]
    return result


def letter_status(entry: LetterEntry, records: list[Record]) -> LetterStatus:
    """Work out one letter's status from its records, oldest first."""
    primary = entry.file("pdf") or entry.files[0]
    sha = primary.sha256
    addresses = list(dict.fromkeys(r.address for r in records if r.channel == "email"
                                   and r.address))
    standings = [delivery_log.standing(records, address, sha) for address in addresses]
    sent = tuple(f"{s.sent.time[:10]} to {s.sent.address}" for s in standings if s.sent)
    delivered = tuple(f"{'by ' + r.received_by if r.received_by else 'posted'} on {r.date} "
                      f"({r.channel})" for r in records
                      if r.result == "delivered" and r.sha256 == sha)
    reached_before = any(r.result in ("sent", "delivered") for r in records)
    changed = not sent and not delivered and reached_before
    failed = next((s.failed.response or "" for s in standings if s.failed), "") \
        if not sent else ""
    attention = list(entry.notes)
    if changed:
        attention.append("changed since sent: send it with 'send --resend-changed', or deliver "
                         "it again")
    for standing in standings:
        if standing.pending is not None and standing.sent is None:
            attention.append(f"may have been sent to {standing.pending.address} (no reply "
                             "recorded): check the sent mail, then 'send --resend-unconfirmed'")
    if failed:
        attention.append("failed: see why, then 'send' again")
    return LetterStatus(entry.letter, entry.recipient.name,
                        tuple(file.name for file in entry.files), sent, failed, delivered,
                        changed, tuple(attention))


def to_csv(result: Status) -> bytes:
    """One row per letter, safe to open in a spreadsheet program."""
    return spreadsheets.spreadsheet_csv(CSV_COLUMNS, [
        [letter.letter, letter.recipient, "; ".join(letter.written), "; ".join(letter.sent),
         letter.failed, "; ".join(letter.delivered), "yes" if letter.changed else "",
         "; ".join(letter.attention)] for letter in result.letters])
