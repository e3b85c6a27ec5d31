"""What a run of ``generate`` is asked (GenerateOptions) and what it gives back (Result).

Light on purpose (pydantic only): ``api.generate`` answers an up-to-date campaign
with these before any stage is loaded. The library re-exports them (advocacy.api).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from pydantic import BaseModel, ConfigDict, Field

from advocacy.errors import Attention
from advocacy.formats import Format
from advocacy.printing import PrintedFile

if TYPE_CHECKING:
    from advocacy.manifest import FileEntry, Manifest
    from advocacy.planning import Letter

Progress = Callable[[int, int], None]  # (letters done, letters in all)
# The options that change what is written (not how many processes write it).
OUTPUT_SETTINGS = {"output_dir", "formats", "print_bundle", "labels", "copies"}


class GenerateOptions(BaseModel):
    """How ``generate`` writes a campaign; each default is the command line's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    output_dir: Path = Field(Path("output"), description="Letters go to OUTPUT_DIR/CAMPAIGN/.")
    formats: tuple[Format, ...] | None = Field(
        None, description="Files written per letter; None: the campaign's own formats.")
    jobs: int | None = Field(None, ge=1, description="Processes; None: all cores.")
    executor: Literal["local", "dask"] = Field(
        "local", description="Where letters are written: here, or on a dask cluster.")
    scheduler: str | None = Field(
        None, description="With the dask executor: the scheduler's address; None: a local "
        "cluster.")
    print_bundle: bool = Field(
        False, description="Also write the print bundle (the campaign's print: section "
        "asks for it too).")
    labels: bool = Field(False, description="In the print bundle, labels instead of envelopes.")
    copies: bool = Field(
        False, description="In an open letter, also a copy for each selected recipient (the "
        "campaign's copies: true asks too).")


@dataclass(frozen=True)
class WrittenLetter:
    """A letter as written: its files and page count."""

    letter: Letter
    pages: int
    files: tuple[FileEntry, ...]


class LettersOnDemand(Sequence[WrittenLetter]):
    """The letters of an output found up to date: counted at once, planned again when read."""

    def __init__(self, count: int, load: Callable[[], list[WrittenLetter]]) -> None:
        self._count = count
        self._load = load
        self._letters: list[WrittenLetter] | None = None

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> WrittenLetter: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[WrittenLetter]: ...

    def __getitem__(self, index: int | slice) -> WrittenLetter | Sequence[WrittenLetter]:
        if self._letters is None:
            self._letters = self._load()
        return self._letters[index]


@dataclass
class Result:
    """What generate() produced for one campaign."""

    name: str
    folder: Path
    letters: Sequence[WrittenLetter] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    written: int = 0  # letters written by this run; the others were kept as they were
    changed: bool = True  # False when the output folder already held exactly this result
    printed: list[PrintedFile] = field(default_factory=list)  # the print bundle, if any
    _manifest: Manifest | None = field(default=None, repr=False)

    @property
    def manifest(self) -> Manifest:
        """Return what output/CAMPAIGN/manifest.json says, read the first time it is asked.

        A run writes the manifest a letter at a time and keeps none of it: a later run
        into the same folder changes what this reads, unless it was asked before.
        """
        if self._manifest is None:
            from advocacy import manifest

            self._manifest = manifest.read(self.folder)
        return self._manifest

    @manifest.setter
    def manifest(self, written: Manifest) -> None:
        self._manifest = written
