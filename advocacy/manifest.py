"""The manifest: what a run wrote into output/CAMPAIGN/, from which sources, for whom.

This module owns the file format. The build writes ``manifest.json`` (and its
spreadsheet twin ``manifest.csv``) a letter at a time with ``json_chunks`` and
``csv_chunks`` (``to_json`` and ``to_csv`` give the same bytes at once); everyone who
reads one back (the build cache, ``signatories diff``, the web app, the delivery
log) gets a typed ``Manifest`` from ``read``, never a dictionary to pick apart.

A manifest written by an older release is read when its fields are understood
(version 1, from advocacy 0.1, has the same fields and no ``version``); one that
is damaged, foreign or from a newer release is refused with a ``ManifestError``
that says what to do, never half understood.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advocacy import files, spreadsheets
from advocacy.errors import AdvocacyError, Place

VERSION = 2  # 2: a "version" field; 1: advocacy 0.1 (the same fields otherwise)
FILE_NAME = "manifest.json"
CSV_NAME = "manifest.csv"
MAX_BYTES = 500 * 1024 * 1024  # a million letters: about 500 bytes each
CSV_COLUMNS = ["letter", "recipient_id", "recipient", "sender", "files", "pages",
               "pdf_sha256", "docx_sha256", "notes"]


class ManifestError(AdvocacyError):
    """A manifest that cannot be read as this version writes it; the message says why."""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FileEntry(_Entry):
    """One file written for a letter."""

    name: str  # relative to the campaign's output folder
    format: Literal["pdf", "docx"]
    sha256: str
    size: int = Field(alias="bytes")


class RecipientEntry(_Entry):
    """Who a letter is to."""

    id: str
    name: str
    kind: str


class SenderEntry(_Entry):
    """Who a letter is from."""

    name: str


class LetterEntry(_Entry):
    """One letter: who it is to and from, its files, and what needs attention."""

    letter: str  # the file stem, unique in the campaign
    input_hash: str  # of everything the letter was made from (see build/cache.py)
    recipient: RecipientEntry
    sender: SenderEntry | None
    salutation: str
    language: str
    pages: int
    files: tuple[FileEntry, ...]
    notes: tuple[str, ...]
    # "open-letter": one text to many readers; "copy": a copy of it, addressed to one.
    role: Literal["letter", "open-letter", "copy"] = "letter"

    def file(self, format: str) -> FileEntry | None:
        """Return the letter's file in one format, if it was written."""
        return next((file for file in self.files if file.format == format), None)


class SourceEntry(_Entry):
    """A source file the letters were made from, relative to the project."""

    path: str
    sha256: str


class RecordedSignatory(_Entry):
    """An entry of a signatory list as printed: its name and acronym (contacts stay out)."""

    name: str
    short: str | None


class ListEntry(_Entry):
    """A signatory list the letters printed, so 'signatories diff' can say who changed."""

    name: str = Field(alias="list")
    path: str
    sha256: str
    entries: tuple[RecordedSignatory, ...]


class PrintEntry(_Entry):
    """One file of the print bundle (print/...)."""

    name: str
    pages: int
    sha256: str
    size: int = Field(alias="bytes")


class Manifest(_Entry):
    """Everything one run of 'generate' wrote, and what it was made from."""

    version: int = VERSION
    campaign: str  # the campaign's name: its output folder's name
    title: str
    tool: str  # "advocacy 0.1.0"
    sources: tuple[SourceEntry, ...]
    letters: tuple[LetterEntry, ...]
    signatories: tuple[ListEntry, ...]
    printed: tuple[PrintEntry, ...] = Field((), alias="print")
    print_hash: str | None = None  # of everything the print bundle shows

    def written_by_this_tool(self, campaign: str) -> bool:
        """Tell whether this is advocacy's manifest of the campaign of that name."""
        return self.campaign == campaign and self.tool.startswith("advocacy ")


def to_json(manifest: Manifest) -> bytes:
    """Serialise a manifest; keys sorted, so equal manifests are equal bytes."""
    return b"".join(json_chunks(manifest.model_copy(update={"letters": ()}), manifest.letters))


def json_chunks(head: Manifest, letters: Iterable[LetterEntry]) -> Iterator[bytes]:
    """Serialise a manifest a letter at a time (``head``: all but its letters).

    The bytes are those of the whole dumped at once (indent 2, keys sorted): each letter
    is dumped alone and indented to its place in the list, so a run of 100,000 letters
    never holds the manifest whole.
    """
    data = head.model_dump(mode="json", by_alias=True)
    if not head.printed:  # a campaign without a print bundle says nothing of one
        del data["print"], data["print_hash"]
    entries = iter(letters)
    first = next(entries, None)
    if first is None:
        yield (_dumps({**data, "letters": []}) + "\n").encode()
        return
    # The list as json.dumps lays it out: no JSON string holds a raw line end, so only
    # the letters' own place can match, whatever the head's strings say.
    opening = '"letters": [\n    '
    before, after = _dumps({**data, "letters": [_LETTERS]}).split(
        f"{opening}{_dumps(_LETTERS)}\n  ]")
    yield (before + opening).encode()
    for index, letter in enumerate(itertools.chain([first], entries)):
        yield ((",\n    " if index else "")  # JSON strings hold no raw line end
               + _dumps(_letter_data(letter)).replace("\n", "\n    ")).encode()
    yield ("\n  ]" + after + "\n").encode()


_LETTERS = "letters go here"  # in the head's JSON, in place of the letters


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)


def _letter_data(letter: LetterEntry) -> dict[str, Any]:
    data = letter.model_dump(mode="json", by_alias=True)
    if letter.role == "letter":  # a letter to one recipient says nothing of its role
        del data["role"]
    return data


def to_csv(manifest: Manifest) -> bytes:
    """One row per letter, safe to open in a spreadsheet program (see csv_chunks)."""
    roles = any(letter.role != "letter" for letter in manifest.letters)
    return b"".join(csv_chunks(manifest.letters, roles))


def csv_chunks(letters: Iterable[LetterEntry], roles: bool) -> Iterator[bytes]:
    """Give the manifest as a spreadsheet, a row at a time.

    ``roles``: some letter is an open letter, so a last column says each one's role
    (open-letter or copy).
    """
    rows = ([
        letter.letter, letter.recipient.id, letter.recipient.name,
        letter.sender.name if letter.sender else "",
        ";".join(file.name for file in letter.files), letter.pages,
        pdf.sha256 if (pdf := letter.file("pdf")) else "",
        docx.sha256 if (docx := letter.file("docx")) else "", "; ".join(letter.notes),
        *([letter.role] if roles else []),
    ] for letter in letters)
    return spreadsheets.spreadsheet_csv_chunks(CSV_COLUMNS + (["role"] if roles else []), rows)


def not_an_output_folder(folder: Path) -> str | None:
    """Say why a folder is not this tool's output of the campaign it is named after.

    None for an empty folder (there is nothing to lose), or one whose manifest.json, a
    regular file and no link, is this tool's manifest of that campaign: only such a
    folder may be replaced by a new run.
    """
    if not any(folder.iterdir()):
        return None
    if os.path.islink(folder / FILE_NAME) or not os.path.lexists(folder / FILE_NAME):
        return "it has no manifest.json of this campaign"
    try:
        written = read(folder)
    except AdvocacyError as error:
        return f"its manifest.json cannot be read: {error.problems[0].message}"
    return None if written.written_by_this_tool(folder.name) else \
        "its manifest.json is another campaign's"


def read(folder: Path) -> Manifest:
    """Read the manifest of a campaign's output folder (checked: no link, pipe or huge file)."""
    return read_file(folder / FILE_NAME, folder)


def read_file(path: Path, root: Path | None = None) -> Manifest:
    """Read a manifest file, which must stay inside root when one is given."""
    data = files.read_checked(path, MAX_BYTES, root, within="the output folder")
    try:
        parsed: Any = json.loads(data)
    except json.JSONDecodeError as error:
        raise ManifestError.at(Place(path, error.lineno, error.colno),
                               f"not valid JSON: {error.msg}") from None
    except UnicodeDecodeError:
        raise ManifestError.at(Place(path), "not a manifest: it is not UTF-8 text") from None
    return parse(path, parsed)


def parse(path: Path, data: Any) -> Manifest:
    """Make a Manifest of JSON data read from path; refuse what this version cannot read."""
    if not isinstance(data, dict) or "letters" not in data:
        raise ManifestError.at(Place(path), "not a manifest written by 'advocacy generate'")
    version = data.get("version", 1)
    if not isinstance(version, int) or version > VERSION:
        raise ManifestError.at(Place(path), f"written by a newer release of advocacy (manifest "
                               f"version {version}; this one reads up to {VERSION}); update "
                               "advocacy, or generate the campaign again")
    try:
        return Manifest.model_validate({**data, "version": version})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ManifestError.at(Place(path), f"a manifest this release cannot read ({where}: "
                               f"{first['msg']}); generate the campaign again") from None
