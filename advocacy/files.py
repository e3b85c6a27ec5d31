"""The one way a project file is read: inside the project, a regular file, never too big.

A campaign folder arrives from someone else, so any file in it may be a link to
the user's own files, a named pipe that blocks a reader forever, a device that
never ends, or a file of many gigabytes. Every reader (YAML, Markdown, CSV,
templates, images, the build cache's hashes) opens files through ``open_checked``:

- with a project root, the file's real path (links followed) must lie inside it;
- the file is opened without blocking (O_NONBLOCK: a FIFO opens at once) and
  without following a last-moment link (O_NOFOLLOW), then checked on the open
  descriptor (fstat): only a regular file is read, never a FIFO, device or folder;
- nothing past the size limit is ever read.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from advocacy.errors import AdvocacyError, Place

MB = 1024 * 1024
CHUNK = MB  # bytes hashed at a time: memory stays flat whatever the file's size
MAX_HASHED = 4 * 1024 * MB  # letters and sources the manifest and the build cache hash
MAX_RESOURCE_BYTES = 50 * MB  # a font, a stylesheet or an image in templates/ (CJK fonts: 20 MB)


def inside(path: Path | str, root: Path | str) -> bool:
    """Tell whether a path, links followed, lies inside a folder (links followed too)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def size_error(path: Path, size: int, limit: int) -> AdvocacyError:
    """Say that a file is over its size limit, and what to do."""
    return AdvocacyError.at(Place(path), f"file is {size / MB:.1f} MB; the limit is "
                            f"{limit / MB:.0f} MB. Split it into smaller files.")


@contextlib.contextmanager
def open_checked(path: Path, limit: int, root: Path | None = None,
                 within: str = "the project folder") -> Iterator[BoundedReader]:
    """Open a file for reading after the checks above; raise a placed AdvocacyError if one fails.

    ``root`` is the folder the file must stay in, named ``within`` in messages (None: a
    file the user named on the command line, which may be anywhere). The stream never
    yields more than limit + 1 bytes, so a caller reading to the end can tell that the
    file is too big.
    """
    if root is not None and not inside(path, root):
        raise AdvocacyError.at(Place(path), f"is a link to a file outside {within}; copy the "
                               f"file itself into {within}")
    real = os.path.realpath(path)
    try:
        fd = os.open(real, _open_flags())
    except FileNotFoundError:
        raise AdvocacyError.at(Place(path), "file not found") from None
    except OSError as error:
        if error.errno == errno.ELOOP:  # replaced by a link since realpath looked
            raise AdvocacyError.at(Place(path), "is a link that changed while it was read; "
                                   "run again") from None
        if error.errno == errno.ENXIO:  # what opening a Unix socket gives
            raise AdvocacyError.at(Place(path), "is a socket, not a file") from None
        raise AdvocacyError.at(Place(path), f"cannot read: {error.strerror}") from None
    try:
        mode = os.fstat(fd)
        if not stat.S_ISREG(mode.st_mode):
            raise AdvocacyError.at(Place(path), f"is {_kind(mode.st_mode)}, not a file")
        if mode.st_size > limit:
            raise size_error(path, mode.st_size, limit)
        reads = _recording.get()
        if reads is not None and reads.wanted(path):
            reads.record(path, _sha256_of(fd, limit + 1))
        with os.fdopen(fd, "rb", closefd=False) as stream:
            yield BoundedReader(stream, limit + 1, mode.st_size)
    finally:
        os.close(fd)


def _open_flags() -> int:
    """Return the flags for a checked open; Windows has none of the Unix ones.

    There, no FIFO can be met and links are resolved by realpath above; the fstat
    check stays. O_BINARY keeps Windows from translating line ends.
    """
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOFOLLOW", "O_NOCTTY", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, name, 0)
    return flags


def read_checked(path: Path, limit: int, root: Path | None = None,
                 within: str = "the project folder") -> bytes:
    """Return a file's bytes, read through open_checked; a file that grew past the limit fails."""
    with open_checked(path, limit, root, within) as stream:
        data = stream.read()
    if len(data) > limit:  # it grew after fstat, or lied about its size
        raise size_error(path, len(data), limit)
    return data


def check(path: Path, limit: int, root: Path | None = None) -> None:
    """Check that a file would be read (inside root, a regular file, under the limit)."""
    with open_checked(path, limit, root):
        pass


def sha256_checked(path: Path, root: Path | None = None, limit: int = MAX_HASHED,
                   within: str = "the project folder") -> str:
    """Return the SHA-256 of a file read through open_checked, a chunk at a time."""
    digest = hashlib.sha256()
    total = 0
    with open_checked(path, limit, root, within) as stream:
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            digest.update(chunk)
    if total > limit:
        raise size_error(path, total, limit)
    return digest.hexdigest()


@dataclass
class Reads:
    """The files read through open_checked while recording: what a run was made from.

    Each file is hashed as it is opened, from the descriptor about to be read, so the
    hash is of the bytes the run read. A file read twice with other bytes (edited
    while the run went on) is a conflict. Files under ``ignored`` (the output folder,
    whose earlier letters are read to keep them) are not recorded.
    """

    ignored: str = ""  # a real path
    read: dict[str, str] = field(default_factory=dict)  # path as read -> where it led
    hashes: dict[str, str] = field(default_factory=dict)  # where it led -> sha256
    conflicts: list[str] = field(default_factory=list)  # paths as read

    def wanted(self, path: Path | str) -> bool:
        """Tell whether a read of this path is to be recorded."""
        return not (self.ignored and Path(os.path.realpath(path)).is_relative_to(self.ignored))

    def record(self, path: Path | str, sha256: str) -> None:
        """Record one read; a second read of the same file with other bytes is a conflict."""
        real = os.path.realpath(path)
        if self.hashes.setdefault(real, sha256) != sha256 and real not in self.conflicts:
            self.conflicts.append(os.fspath(path))
        self.read[os.path.abspath(path)] = real


_recording: contextvars.ContextVar[Reads | None] = contextvars.ContextVar("reads", default=None)


@contextlib.contextmanager
def recording_reads(ignored: Path | None = None) -> Iterator[Reads]:
    """Record every file read through open_checked in this context (and its thread only)."""
    reads = Reads(os.path.realpath(ignored) if ignored is not None else "")
    token = _recording.set(reads)
    try:
        yield reads
    finally:
        _recording.reset(token)


def current_reads() -> Reads | None:
    """Return the reads being recorded in this context, if any."""
    return _recording.get()


def _sha256_of(fd: int, bound: int) -> str:
    """Hash an open file from its start, never past bound bytes, then put the offset back.

    Bounded like every read here: a file that grows while it is hashed stops at the
    bound, and the read that follows reports it too big.
    """
    digest = hashlib.sha256()
    os.lseek(fd, 0, os.SEEK_SET)
    left = bound
    while left > 0 and (chunk := os.read(fd, min(CHUNK, left))):
        digest.update(chunk)
        left -= len(chunk)
    os.lseek(fd, 0, os.SEEK_SET)
    return digest.hexdigest()


class BoundedReader:
    """A read-only stream that ends after a number of bytes, whatever the file holds."""

    def __init__(self, stream: BinaryIO, remaining: int, expected: int = 0) -> None:
        self.stream = stream
        self.remaining = remaining
        self.expected = expected  # the size fstat gave: what a whole read allocates first

    def read(self, size: int = -1) -> bytes:
        """Read up to size bytes (all that is left, if negative), never past the bound."""
        if size < 0:  # read(bound) would first allocate the whole bound, say 200 MB
            first = self.read(self.expected + 1)  # all of it, if it did not grow meanwhile
            if not first:
                return first
            return first + b"".join(iter(lambda: self.read(CHUNK), b""))
        wanted = min(size, self.remaining)
        data = self.stream.read(wanted) if wanted > 0 else b""
        self.remaining -= len(data)
        return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
