"""The library: check, plan and generate a campaign. The CLI and the web app call only these.

    from advocacy import GenerateOptions, generate
    result = generate(Path("campaigns/x.yaml"), GenerateOptions(formats=("pdf",)))

Light on purpose: the stages load when a function needs them, so that a run whose
output is already up to date answers in a fraction of a second. The full way of
generating is build/run.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from pydantic import BaseModel, ConfigDict, Field

from advocacy.build import stamp
from advocacy.errors import AdvocacyError, Attention, Place
from advocacy.formats import Format
from advocacy.printing import PrintedFile
from advocacy.project import Project, UnknownName, campaign_name

if TYPE_CHECKING:
    from advocacy.manifest import FileEntry, Manifest
    from advocacy.planning import Letter, Plan

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
        """Return what output/CAMPAIGN/manifest.json now says (read on demand when up to date)."""
        if self._manifest is None:
            from advocacy import manifest

            self._manifest = manifest.read(self.folder)
        return self._manifest

    @manifest.setter
    def manifest(self, written: Manifest) -> None:
        self._manifest = written


def plan(campaign: Path, *, copies: bool = False) -> Plan:
    """Validate a campaign and list its letters, writing nothing.

    ``copies``: in an open letter, also a copy for each selected recipient.
    """
    from advocacy.planning import plan_campaign
    from advocacy.validate.campaign import validate_campaign

    return plan_campaign(validate_campaign(campaign), copies=copies)


def check(campaign: Path, *, copies: bool = False) -> Plan:
    """Validate a campaign and compose every letter, writing nothing; return the plan."""
    from advocacy.compose.composer import Composer
    from advocacy.printing import bundle

    planned = plan(campaign, copies=copies)
    composer = Composer(planned.inputs)
    for letter in planned.letters:
        composer.compose(letter)  # catches template mistakes for every recipient
    printing = bundle.settings_for(planned.inputs.campaign, requested=False, labels=False)
    if printing is not None:  # the campaign's print: section
        bundle.check(printing, planned.inputs.campaign.formats,
                     planned.inputs.project.template_folders, planned.letters)
    return planned


def preview(campaign: Path | Plan, letter: str, format: Format = "pdf") -> bytes:
    """Make one letter of a campaign (its file stem, as plan lists it), writing nothing.

    For a web page that shows a letter on demand: give the Plan the page already has
    to skip validating again; repeated calls in one process reuse the layout of the
    enclosure the letters share.
    """
    from advocacy.build import cache
    from advocacy.build.worker import WorkContext, one_letter
    from advocacy.planning import Plan

    planned = campaign if isinstance(campaign, Plan) else plan(campaign)
    chosen = next((each for each in planned.letters if each.stem == letter), None)
    if chosen is None:
        raise AdvocacyError.at(Place(planned.inputs.path), f"no letter named '{letter}' in "
                               "this campaign; 'advocacy plan' lists them")
    inputs = planned.inputs
    settings = {"formats": (format,), "one_by_one": False,
                "pdf_variant": inputs.campaign.pdf_variant}
    # Keyed by the inputs all letters share: the next preview reuses this worker's layouts.
    context = WorkContext(key=cache.shared_hash(inputs, settings), inputs=inputs,
                          formats=(format,), folder=Path(),
                          pdf_variant=inputs.campaign.pdf_variant)
    return one_letter(context, chosen)[format]


def generate(campaign: Path, options: GenerateOptions | None = None, *,
             on_progress: Progress | None = None) -> Result:
    """Write every letter of a campaign into OUTPUT_DIR/NAME/ with a manifest.

    Letters whose inputs are unchanged since the last run are kept as they are; the
    others are written in chunks by the executor. With a print bundle asked for (or a
    ``print:`` section in the campaign), also write it into print/.

    When nothing the output was made from has changed since the last run (the run
    stamp, build/stamp.py), the result comes back at once, without validating again;
    its letters are planned again only when read.
    """
    options = options or GenerateOptions()
    try:
        folder = options.output_dir / campaign_name(campaign)
    except UnknownName:
        folder = None  # the full way says what is wrong with the name
    run_key = ""
    if folder is not None:
        root = Project.of_campaign(campaign).root
        settings = options.model_dump(mode="json", include=OUTPUT_SETTINGS)
        run_key = stamp.key(root, settings | {"campaign": str(campaign), "one_by_one": False})
        report = stamp.current_report(folder, run_key, root, campaign)
        if report is not None:
            return _up_to_date(campaign, options, folder, report, on_progress)
    return _generate(campaign, options, on_progress, run_key=run_key)


def _generate(campaign: Path, options: GenerateOptions, on_progress: Progress | None, *,
              one_by_one: bool = False, run_key: str = "") -> Result:
    from advocacy.build import run

    return run.generate(campaign, options, on_progress, one_by_one=one_by_one, run_key=run_key)


def _up_to_date(campaign: Path, options: GenerateOptions, folder: Path, report: stamp.Report,
                on_progress: Progress | None) -> Result:
    """Return the result the run stamp recorded; the letters are planned again when read."""
    if on_progress:
        on_progress(report.letters, report.letters)
    return Result(campaign_name(campaign), folder,
                  letters=LettersOnDemand(report.letters,
                                          lambda: _written_letters(campaign, options, folder)),
                  attention=report.attention, written=0, changed=False, printed=report.printed)


def _written_letters(campaign: Path, options: GenerateOptions,
                     folder: Path) -> list[WrittenLetter]:
    from advocacy.build import run  # the stages load only when the letters are read

    return run.written_letters(campaign, options, folder)
