"""`advocacy init`: make a campaign project in a folder, from what the package ships.

A new project gets campaigns/, statements/ and signatories/ holding one example
campaign, recipients/ imported from the public data the package ships, a README
for the organisation and a .gitignore; templates/ only when asked (the package's
templates are used otherwise). An example project is copied whole instead.

Everything to write is gathered and checked first, so a refusal writes nothing. A
file is never overwritten, and nothing is written through a link: a folder that
already holds files is refused unless asked, and even then a link or a file where
a folder of the project should be is refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from advocacy import files, shipped
from advocacy.errors import AdvocacyError, Place
from advocacy.recipients.upstream import importer

MAX_SHIPPED_BYTES = 50 * files.MB  # the largest file the package ships is about 1 MB
IGNORED = (".git",)  # a folder holding only a fresh 'git init' counts as empty


@dataclass(frozen=True)
class InitOptions:
    """What to put in a new project."""

    example: str | None = None  # copy an example project (shipped.EXAMPLES) instead
    templates: bool = False  # copy the package's templates into templates/, to customise
    into_existing: bool = False  # allow a folder that holds files: add only what is missing


@dataclass
class Created:
    """What init wrote, and what it found already there and kept."""

    folder: Path
    written: list[str] = field(default_factory=list)  # paths relative to the folder
    kept: list[str] = field(default_factory=list)


def create_project(folder: Path, options: InitOptions = InitOptions(),
                   on_step: Callable[[str], None] = lambda step: None) -> Created:
    """Write a new campaign project into folder; report what was written and kept.

    A folder that cannot take the project raises AdvocacyError before anything is written.
    """
    _check_folder(folder, options.into_existing)
    wanted = _gather(options, on_step)
    created = Created(folder)
    for name in wanted:
        _check_parents(folder, name)
        (created.kept if os.path.lexists(folder / name) else created.written).append(name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AdvocacyError.at(Place(folder), f"cannot make the folder: {error.strerror}; "
                               "name another one") from None
    try:
        for name in created.written:
            _write_new(folder, name, wanted[name])
    except OSError as error:
        place = Place(Path(error.filename)) if error.filename else Place(folder)
        raise AdvocacyError.at(place, f"cannot write: {error.strerror}; the files written "
                               "before it stay, and running init again adds the others "
                               "with --into-existing") from None
    return created


def _check_folder(folder: Path, into_existing: bool) -> None:
    """Refuse a path that is not a folder, and a folder that holds files unless asked."""
    if not os.path.lexists(folder):
        return
    if not folder.is_dir():
        raise AdvocacyError.at(Place(folder), "is not a folder; name a new or empty folder "
                               "for the project")
    found = sorted(name for name in os.listdir(folder) if name not in IGNORED)
    if found and not into_existing:
        shown = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
        raise AdvocacyError.at(Place(folder), f"is not empty ({shown}); name a new or empty "
                               "folder, or add --into-existing to add only the files it lacks "
                               "(no file is ever overwritten)")


def _check_parents(folder: Path, name: str) -> None:
    """Refuse a link, or anything but a folder, where a folder of the project goes."""
    parent = folder
    for part in PurePosixPath(name).parent.parts:
        parent = parent / part
        if os.path.islink(parent):
            raise AdvocacyError.at(Place(parent), "is a link; init writes nothing through a "
                                   "link: remove it, or choose another folder")
        if os.path.lexists(parent) and not parent.is_dir():
            raise AdvocacyError.at(Place(parent), f"is not a folder, and {name} goes in it: "
                                   "remove it, or choose another folder")


def _write_new(folder: Path, name: str, data: bytes) -> None:
    """Create a file that does not exist yet; never replace one, never follow a link."""
    path = folder / name
    for parent in reversed(path.relative_to(folder).parents):
        if str(parent) != ".":
            (folder / parent).mkdir(exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    for extra in ("O_NOFOLLOW", "O_CLOEXEC", "O_BINARY"):  # Unix-only flags, or Windows'
        flags |= getattr(os, extra, 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:  # appeared since it was checked: kept, as the others
        return
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)


# --- What a project holds -----------------------------------------------------------------


def _gather(options: InitOptions, on_step: Callable[[str], None]) -> dict[str, bytes]:
    """Return every file of the new project, by its path in the project."""
    wanted: dict[str, bytes] = {}
    if options.example is not None:
        source = shipped.example(options.example)
        for folder in shipped.EXAMPLE_FOLDERS:
            wanted.update(_tree(source / folder, folder))
    else:
        wanted.update({name: data for name, data in _tree(shipped.STARTER, "").items()
                       if "/" in name})  # the example campaign's files
        on_step("importing the public data into recipients/")
        converted = importer.convert(shipped.DATA)
        wanted.update({f"recipients/{name}": text.encode("utf-8")
                       for name, text in converted.texts.items()})
    if options.templates:
        wanted.update(_tree(shipped.TEMPLATES, "templates"))
    campaigns = sorted(name for name in wanted if name.startswith("campaigns/"))
    first = PurePosixPath(campaigns[0]).name if campaigns else "NAME.yaml"
    readme = _read(shipped.STARTER / "README.md").decode("utf-8")
    wanted["README.md"] = readme.replace("{campaign}", first).encode("utf-8")
    wanted[".gitignore"] = _read(shipped.STARTER / "gitignore")
    return wanted


def _tree(folder: Path, prefix: str) -> dict[str, bytes]:
    """Read every file under one of the package's folders, by its path under prefix."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            name = path.relative_to(folder).as_posix()
            found[f"{prefix}/{name}" if prefix else name] = _read(path)
    return found


def _read(path: Path) -> bytes:
    return files.read_checked(path, MAX_SHIPPED_BYTES)
