"""The delivery log: every attempt to send a letter and every delivery, one JSON line each.

This module owns the format (DESIGN.md: the module that writes a file reads it).
The log of campaign NAME is ``output/.NAME.deliveries.jsonl``, beside its output
folder and not in it: ``generate`` replaces ``output/NAME/`` whole (and deletes the
old one), so the one record that cannot be made again lives where no swap, no
clean-up of a killed run and no ``rm -r output/NAME`` reaches it.

Lines are only ever added. Each is written with one ``write`` and then ``fsync``,
under a lock, so a kill leaves whole lines; should a line still be cut short (a
full disk, a crash of the system), the reader skips it and says so, and the next
line written starts on a line of its own.
"""

from __future__ import annotations

import datetime
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advocacy import files, output_folder
from advocacy.errors import AdvocacyError, Place, display_path

VERSION = 1
MAX_BYTES = 1024 * 1024 * 1024  # a million attempts: about 400 bytes each
Result = Literal["sending", "sent", "temporary", "failed", "unconfirmed", "delivered"]
Channel = Literal["email", "hand", "post"]


class Record(BaseModel):
    """One line of the log: an attempt to email a letter, its outcome, or a delivery."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    v: int = VERSION
    time: str  # when it was written, UTC, ISO 8601
    letter: str  # the letter's file stem
    sha256: str  # of the letter's PDF (or DOCX) as sent or handed over
    channel: Channel
    result: Result  # "sending": the message was being handed to the server
    address: str | None = None  # the recipient's email address
    files: tuple[str, ...] = ()  # attached files
    response: str | None = Field(None, description="The server's reply, or what went wrong.")
    received_by: str | None = None  # who took a letter handed over
    date: str | None = None  # when it was handed over or posted (YYYY-MM-DD)
    note: str | None = None


@dataclass
class Log:
    """The log as read: whole records in order, and the lines that could not be read."""

    path: Path
    records: list[Record] = field(default_factory=list)
    damaged: list[int] = field(default_factory=list)  # line numbers

    def warning(self) -> str | None:
        """Say which lines were skipped, if any."""
        if not self.damaged:
            return None
        lines = ", ".join(map(str, self.damaged[:10])) + (" ..." if len(self.damaged) > 10
                                                          else "")
        return (f"{display_path(self.path)}: skipped line(s) {lines}: not a whole record (cut "
                "short by a stopped run or a crash, or edited by hand)")

    def of(self, letter: str) -> list[Record]:
        """Return a letter's records, oldest first."""
        return [record for record in self.records if record.letter == letter]


def log_path(folder: Path) -> Path:
    """Return where the log of a campaign's output folder is kept (beside it)."""
    return folder.parent / f".{folder.name}.deliveries.jsonl"


def now() -> str:
    """Return the time for a record: UTC, to the second."""
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def read(path: Path) -> Log:
    """Read a log; a missing log is an empty one, a line that is not a record is skipped."""
    log = Log(path)
    if not os.path.lexists(path):
        return log
    data = files.read_checked(path, MAX_BYTES, path.parent, within="the output folder")
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            parsed = json.loads(line)
            if not isinstance(parsed, dict) or parsed.get("v", VERSION) > VERSION:
                raise ValueError("not a record of this version")
            log.records.append(Record.model_validate(parsed))
        except (ValueError, ValidationError, TypeError):  # JSON and UTF-8 errors too
            log.damaged.append(number)
    return log


def append(path: Path, records: Iterable[Record]) -> None:
    """Add records to the log, in one write followed by fsync."""
    data = b"".join(json.dumps(record.model_dump(exclude_defaults=True) | {"v": VERSION},
                               ensure_ascii=False, sort_keys=True).encode() + b"\n"
                    for record in records)
    lock = output_folder.Lock(path.with_name(path.name + ".lock"),
                              f"{display_path(path)}: another run kept the log locked for "
                              "a minute; try again", timeout=60)
    with lock:
        _append(path, data)


def _append(path: Path, data: bytes) -> None:
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT
    for name in ("O_NOFOLLOW", "O_CLOEXEC", "O_BINARY", "O_NONBLOCK"):
        flags |= getattr(os, name, 0)
    if os.path.islink(path):  # where O_NOFOLLOW does not exist
        raise AdvocacyError.at(Place(path), "is a link; the delivery log must be a file")
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as error:
        raise AdvocacyError.at(Place(path), f"cannot write the delivery log: "
                               f"{error.strerror}") from None
    try:
        size = os.fstat(fd)
        if not stat.S_ISREG(size.st_mode):
            raise AdvocacyError.at(Place(path), "is not a file; the delivery log must be one")
        if size.st_size:
            os.lseek(fd, -1, os.SEEK_END)
            if os.read(fd, 1) != b"\n":  # a line cut short: start on a line of our own
                data = b"\n" + data
        written = os.write(fd, data)
        if written != len(data):
            raise AdvocacyError.at(Place(path), "the disk is full: the delivery log could "
                                   "not be written whole; free some space")
        os.fsync(fd)
    except OSError as error:
        raise AdvocacyError.at(Place(path), f"cannot write the delivery log: "
                               f"{error.strerror}") from None
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Standing:
    """What the log says about one letter and one email address."""

    sent: Record | None = None  # the last time this very letter (its sha256) was sent
    pending: Record | None = None  # handed to the server, and no reply recorded
    failed: Record | None = None  # the last attempt, when it failed
    earlier: Record | None = None  # an earlier version of the letter was sent


def standing(records: Iterable[Record], address: str, sha256: str) -> Standing:
    """Work out from a letter's records what became of it at one address."""
    sent = pending = failed = earlier = None
    for record in records:
        if record.channel != "email" or (record.address or "").casefold() != \
                address.casefold():
            continue
        pending = record if record.result in ("sending", "unconfirmed") else None
        failed = record if record.result in ("failed", "temporary") else None
        if record.result == "sent":
            if record.sha256 == sha256:
                sent = record
            else:
                earlier = record
    return Standing(sent, pending, failed, earlier)
