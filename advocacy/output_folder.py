"""Stage 6, deliver: put a campaign's files in output/NAME/ all at once, with a manifest.

Files are written into a hidden staging folder next to the output folder; only
when every letter is written does the staging folder replace the old output in
one step. An interrupted run leaves the previous output whole.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import filelock

from advocacy import manifest
from advocacy.errors import AdvocacyError, display_path


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a file through a temporary file and a rename: readers see old or new, never half.

    ``data``: the bytes, or chunks of them (a long report is written as it is made).
    """
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.",
                                             suffix=".tmp")
        try:
            if path.exists():  # an edited source file keeps who may read it (mkstemp: 0600)
                os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))  # fchmod: Unix only
            with os.fdopen(handle, "wb") as stream:
                for chunk in [data] if isinstance(data, bytes | bytearray | memoryview) else data:
                    stream.write(chunk)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as error:
        raise _disk_error(path, error) from None


def _disk_error(path: Path, error: OSError) -> AdvocacyError:
    reason = {
        errno.ENOSPC: "the disk is full; free some space and run again",
        errno.EDQUOT: "the disk quota is exceeded; free some space and run again",
        errno.EROFS: "the disk is read-only; choose another folder with --output",
        errno.EACCES: "permission denied; choose a folder you can write with --output",
        errno.EPERM: "permission denied; choose a folder you can write with --output",
        errno.ENOTDIR: "a file is in the way of a folder; move it or choose another folder "
                       "with --output",
    }.get(error.errno or 0, error.strerror or str(error))
    return AdvocacyError(f"{display_path(path)}: cannot write: {reason}. Earlier output is "
                         "unchanged.")


def link(source: Path, target: Path) -> None:
    """Put an unchanged file into the new output without rewriting it (a hard link)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)  # a file system without hard links


class Lock:
    """A lock file in output/ that one run at a time may hold (filelock: every system)."""

    def __init__(self, path: Path, busy: str, timeout: float = 0) -> None:
        self._lock = filelock.FileLock(path, timeout=timeout)
        self.busy = busy  # what to say when another run holds it

    def acquire(self) -> None:
        """Take the lock, creating output/ if needed; refuse when another run holds it."""
        try:
            Path(self._lock.lock_file).parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except filelock.Timeout:
            raise AdvocacyError(self.busy) from None
        except OSError as error:
            raise _disk_error(Path(self._lock.lock_file).parent, error) from None

    def release(self) -> None:
        """Unlock, leaving no lock file behind.

        The file is deleted while still locked: a run waiting on it then finds it
        deleted and starts over on a new file (filelock checks), so two runs can
        never both hold the lock.
        """
        if self._lock.is_locked:
            with contextlib.suppress(OSError):  # Windows deletes it itself on release
                os.unlink(self._lock.lock_file)
            self._lock.release()

    def __enter__(self) -> Lock:
        self.acquire()
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        self.release()


def campaign_lock(final: Path) -> Lock:
    """Return the campaign's lock (output/.NAME.lock), held by generate and send.

    Two campaigns may be written into one output folder at once, one campaign may
    not; nor may its letters change while they are being sent.
    """
    return Lock(final.parent / f".{final.name}.lock",
                f"{display_path(final)}: another run is writing into this folder; wait for "
                "it to finish")


class Staging:
    """A hidden folder that becomes output/NAME/ when every file is in it.

    Everything it deletes or swaps is inside the output folder, resolved once, when it
    is not a link (see confine): output/NAME itself (only if this tool wrote it), and
    the hidden .NAME.staging and .NAME.previous folders next to it.
    """

    def __init__(self, final: Path) -> None:
        self.final = confine(final)
        self.parent = self.final.parent
        self.path = self.parent / f".{self.final.name}.staging"
        self._lock = campaign_lock(self.final)
        self._created_parent = False

    def __enter__(self) -> Staging:
        self._created_parent = not self.parent.exists()
        self._lock.acquire()
        if self.final.is_symlink() or (self.final.exists() and not self.final.is_dir()):
            self._release()
            raise AdvocacyError(f"{display_path(self.final)}: is not a folder (a file or a "
                                "link) and would be replaced; move it away or choose another "
                                "folder with --output")
        foreign = manifest.not_an_output_folder(self.final) if self.final.is_dir() else None
        if foreign is not None:
            self._release()
            raise AdvocacyError(f"{display_path(self.final)}: is a folder this tool did not "
                                f"write ({foreign}) and would be replaced; move it away or "
                                "choose another folder with --output")
        # Left behind by a run that was killed: never part of any output.
        remove_leftover(self.path)
        remove_leftover(self._old_path)
        try:
            self.path.mkdir()
        except OSError as error:
            self._release()
            raise _disk_error(self.path, error) from None
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        remove_leftover(self.path)
        self._release()
        if self._created_parent and kind is not None:
            with contextlib.suppress(OSError):
                self.parent.rmdir()  # only if empty: a failed first run leaves no trace

    def _release(self) -> None:
        self._lock.release()

    @property
    def _old_path(self) -> Path:
        return self.parent / f".{self.final.name}.previous"

    def commit(self) -> None:
        """Put the staging folder in place of the output folder in one step."""
        swap_in(self.path, self.final, self._old_path)


def swap_in(new: Path, final: Path, old: Path) -> None:
    """Put folder new in place of folder final in one step.

    Where two folders cannot be exchanged at once, final's old content is renamed old
    first, then deleted.
    """
    try:
        if not final.exists():
            os.rename(new, final)
        elif _exchange(new, final):
            remove_leftover(new)  # now holds the previous content
        else:
            os.rename(final, old)
            os.rename(new, final)
            remove_leftover(old)
    except OSError as error:
        raise _disk_error(final, error) from None


def confine(final: Path) -> Path:
    """Return a campaign's output folder with its parent resolved, or refuse it.

    The parent (output/) must be a real folder, not a link: a link would make the
    swap replace, and the clean-up delete, folders wherever it leads. The name must
    name a folder inside it: not '.', '..', empty or hidden.
    """
    name = final.name
    if not name or name in (".", "..") or name.startswith(".") or "/" in name:
        raise AdvocacyError(f"{display_path(final)}: '{name}' cannot name a campaign's output "
                            "folder; name the campaign file with a letter or digit first")
    if os.path.islink(final.parent):
        raise AdvocacyError(f"{display_path(final.parent)}: is a link; letters are written "
                            "only into a real folder: replace the link by a folder, or choose "
                            "another folder with --output")
    if os.path.lexists(final.parent) and not final.parent.is_dir():
        raise AdvocacyError(f"{display_path(final.parent)}: is not a folder (a file or a pipe); "
                            "move it away or choose another folder with --output")
    return Path(os.path.realpath(final.parent)) / name


def remove_leftover(path: Path) -> None:
    """Delete a leftover staging or previous folder; a link or file is unlinked, never followed."""
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                       rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def files_in(folder: Path) -> Iterator[Path]:
    """List the files of an output folder (for tests and the print bundle)."""
    return (path for path in sorted(folder.iterdir()) if path.is_file())
