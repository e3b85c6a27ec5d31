"""The run stamp: know that a campaign's output is up to date without validating it again.

Validating and planning 1,000 letters takes seconds; a second run with nothing
changed should not. After a run succeeds, output/.NAME.stamp.json records what
the output was made from and what it looks like on disk:

- a key: the code fingerprint, the output settings, today's date (a letter without
  a date of its own prints today's) and where the project is;
- every file the run read through the checked opener, by the name it was read
  under and where that name led (a link re-pointed is a change), with the sha256
  of the bytes read (files.recording_reads);
- the entries of the folders names are looked up in (and where their links
  lead), so that a new file a name would now find counts as a change;
- the output folder and everything under it with size, times and inode. The
  change time and inode cannot be set by anyone: a folder copied or unpacked from
  elsewhere never matches, whatever stamp came with it;
- what the run reported (letter count, needs-attention items, print files).

A source edited while the run read it stops the run (build/run.py); a file added
to a looked-up folder meanwhile means no stamp. The next run compares all of it
before loading anything heavy. One difference, or any doubt (no stamp, a damaged
one, a link, a report that does not read), and the run goes the full way, which
still keeps each unchanged letter (build/cache.py). Plain JSON, read through the checked opener.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advocacy import files, shipped
from advocacy.build.fingerprint import code_fingerprint
from advocacy.errors import AdvocacyError, Attention, Place
from advocacy.printing import PrintedFile

VERSION = 1
MAX_STAMP = 64 * files.MB
# The folders a campaign's names are looked up in (project.KINDS); templates/ with its
# subfolders (fonts, images).
LOOKED_UP = ("campaigns", "statements", "signatories", "recipients")


@dataclass
class Report:
    """What a run reported, to say again when nothing changed."""

    letters: int
    attention: list[Attention] = field(default_factory=list)
    printed: list[PrintedFile] = field(default_factory=list)


def path(folder: Path) -> Path:
    """Return the stamp of a campaign's output folder: output/.NAME.stamp.json."""
    return folder.parent / f".{folder.name}.stamp.json"


def key(root: Path, settings: dict[str, Any], today: datetime.date | None = None) -> str:
    """Return the hash of what, besides the files, makes the output: code, settings, date."""
    data = {"code": code_fingerprint(), "settings": settings, "root": os.path.realpath(root),
            "today": (today or datetime.date.today()).isoformat()}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def write(folder: Path, run_key: str, root: Path, reads: files.Reads, report: Report) -> None:
    """Record, after a successful run, what the output in folder was made from.

    A stamp that cannot be written (a folder in its place, a full disk) is left out:
    the next run goes the full way. An earlier stamp left in place never matches the
    new output, and one a failed run left still describes the output it left.
    """
    from advocacy import output_folder  # loads the manifest models; only after a full run

    stamp = {"version": VERSION, "key": run_key, "sources": _sources(root, reads),
             "names": names(root), "output": _output(folder), "report": _plain(report)}
    with contextlib.suppress(AdvocacyError, OSError):
        output_folder.write_atomic(path(folder), json.dumps(stamp, sort_keys=True).encode())


def current_report(folder: Path, run_key: str, root: Path, campaign: Path) -> Report | None:
    """Return the last run's report when nothing it was made from has changed; else None."""
    where = path(folder)
    try:
        if os.path.islink(folder.parent) or os.path.islink(folder) or os.path.islink(where) \
                or not where.is_file():
            return None
        stamp = json.loads(files.read_checked(where, MAX_STAMP, folder.parent))
        if not isinstance(stamp, dict) or stamp.get("version") != VERSION \
                or stamp.get("key") != run_key:
            return None
        output = _output(folder)
        if output != stamp.get("output") or not any(entry[0] == "manifest.json"
                                                      for entry in output[1:]):
            return None  # an empty folder is no output, whatever a stamp says
        listed = stamp["sources"]
        if _relative(root, os.fspath(campaign)) not in [entry[0] for entry in listed] \
                or names(root) != stamp.get("names"):
            return None
        for name, leads_to, sha256 in listed:
            if not isinstance(name, str) or leads_to != _relative(
                    root, os.path.join(root, name), real=True) \
                    or files.sha256_checked(root / name, root) != sha256:
                return None  # None: a file outside the project, never read on a stamp's word
        return _report(stamp["report"])
    except (AdvocacyError, OSError, ValueError, TypeError, KeyError):  # any doubt: the full way
        return None


def names(root: Path) -> list[list[str]]:
    """List the entries of the folders names are looked up in, kinds and links' targets."""
    found = []
    for kind in LOOKED_UP:
        with contextlib.suppress(OSError):
            found += [[f"{kind}/{entry.name}", _kind(entry.path)]
                      for entry in os.scandir(root / kind)]
    for where, folders, entries in os.walk(root / "templates"):  # links to folders: not followed
        relative = Path(where).relative_to(root).as_posix()
        found += [[f"{relative}/{name}", _kind(os.path.join(where, name))]
                  for name in folders + entries]
    return sorted(found)


def _kind(entry: str) -> str:
    if os.path.islink(entry):
        return f"link to {os.readlink(entry)}"
    return "folder" if os.path.isdir(entry) else "file"


def _relative(root: Path, file: str, real: bool = False) -> str | None:
    """Name a file relative to the project, as used or where it leads; None if outside.

    As used: its folders resolved, not its own name, so that a link among the
    project's files is named by itself, and where it leads is recorded apart.
    """
    base = os.path.realpath(root)
    absolute = os.path.abspath(file)
    target = os.path.realpath(absolute) if real else os.path.join(
        os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
    relative = os.path.relpath(target, base)
    outside = relative == os.pardir or relative.startswith(os.pardir + os.sep)
    return None if outside or os.path.isabs(relative) else Path(relative).as_posix()


def _sources(root: Path, reads: files.Reads) -> list[list[str | None]]:
    """Name each file read as used and where it led, relative to the project, with its sha256.

    The package's own files are left out: the code fingerprint covers them. Any
    other file outside the project is recorded as None, which no later run matches.
    """
    named: list[list[str | None]] = []
    for used, real in sorted(reads.read.items()):
        leads_to = _relative(root, real, real=True)
        if leads_to is not None:
            named.append([_relative(root, used), leads_to, reads.hashes[real]])
        elif not shipped.is_shipped(Path(real)):
            named.append([None, None, None])
    return named


def _output(folder: Path) -> list[list[Any]]:
    """List the output folder and every entry under it with what no copy can keep the same."""
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(folder)
    found: list[list[Any]] = [["", stat.S_IFMT(info.st_mode), info.st_ino, info.st_dev,
                               info.st_ctime_ns]]
    pending = [("", os.fspath(folder))]
    while pending:  # os.scandir, not pathlib: 2,000 letters are listed in milliseconds
        prefix, where = pending.pop()
        with os.scandir(where) as entries:
            for entry in entries:
                info = entry.stat(follow_symlinks=False)
                found.append([prefix + entry.name, stat.S_IFMT(info.st_mode), info.st_size,
                              info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev])
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path))
    return sorted(found)


def _plain(report: Report) -> dict[str, Any]:
    """Return a report as JSON data (a place's file in full: the working folder may change)."""
    def place(item: Attention) -> list[Any] | None:
        where = item.place
        return None if where is None else [os.path.abspath(where.path), where.line, where.column]

    return {"letters": report.letters,
            "attention": [[place(i), i.who, i.issue, i.action, i.letter] for i in report.attention],
            "printed": [[f.name, f.pages, f.sha256, f.size] for f in report.printed]}


def _report(data: dict[str, Any]) -> Report:
    """Read a report back; a value of the wrong kind raises (and the run goes the full way)."""
    def text(value: object) -> str:
        if not isinstance(value, str):
            raise TypeError("not text")
        return value

    def number(value: object) -> int | None:
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise TypeError("not a number")
        return value

    def place(value: Any) -> Place | None:
        if value is None:
            return None
        where, line, column = value
        return Place(text(where), number(line), number(column))

    letters = number(data["letters"])
    if letters is None or letters < 0:
        raise ValueError("no letter count")
    attention = [Attention(place(where), text(who), text(issue), text(action), text(letter))
                 for where, who, issue, action, letter in data["attention"]]
    printed = [PrintedFile(text(name), number(pages) or 0, text(sha256), number(size) or 0)
               for name, pages, sha256, size in data["printed"]]
    return Report(letters, attention, printed)
