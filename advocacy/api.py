"""The library: check, plan and generate a campaign. The CLI and the web app call only these.

    from advocacy import GenerateOptions, generate
    result = generate(Path("campaigns/x.yaml"), GenerateOptions(formats=("pdf",)))

Stages never print. Nothing is written before the campaign is validated and planned,
and nothing appears in output/ until every letter is written (output_folder.Staging).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from advocacy import __version__, files, manifest, output_folder, shipped, spreadsheets
from advocacy.build import cache
from advocacy.errors import AdvocacyError, Attention, Place
from advocacy.manifest import (
    FileEntry,
    LetterEntry,
    Manifest,
    PrintEntry,
    RecipientEntry,
    SenderEntry,
    SourceEntry,
)
from advocacy.models import Format, PrintSettings
from advocacy.planning import Letter, Plan, plan_campaign
from advocacy.printing import bundle
from advocacy.signatories import lists as signatory_lists
from advocacy.validate.campaign import Inputs, validate_campaign

if TYPE_CHECKING:
    from advocacy.build.worker import Written

Progress = Callable[[int, int], None]  # (letters done, letters in all)
CHUNK = 25  # letters per task: enough to share WeasyPrint's fixed costs, small enough to balance


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


@dataclass
class Result:
    """What generate() produced for one campaign."""

    name: str
    folder: Path
    letters: list[WrittenLetter] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    written: int = 0  # letters written by this run; the others were kept as they were
    changed: bool = True  # False when the output folder already held exactly this result
    printed: list[bundle.PrintedFile] = field(default_factory=list)  # the print bundle, if any
    manifest: Manifest | None = None  # what output/CAMPAIGN/manifest.json now says


def plan(campaign: Path, *, copies: bool = False) -> Plan:
    """Validate a campaign and list its letters, writing nothing.

    ``copies``: in an open letter, also a copy for each selected recipient.
    """
    return plan_campaign(validate_campaign(campaign), copies=copies)


def check(campaign: Path, *, copies: bool = False) -> Plan:
    """Validate a campaign and compose every letter, writing nothing; return the plan."""
    from advocacy.compose.composer import Composer

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
    from advocacy.build.worker import WorkContext, one_letter

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
    """
    return _generate(campaign, options or GenerateOptions(), on_progress)


def _generate(campaign: Path, options: GenerateOptions, on_progress: Progress | None, *,
              one_by_one: bool = False) -> Result:
    """Generate; ``one_by_one`` lays each letter out alone (the benchmark's simple path)."""
    # --- Gather: validate, plan, and decide what to write. Nothing is written yet.
    planned = plan(campaign, copies=options.copies)
    inputs = planned.inputs
    formats = options.formats or tuple(inputs.campaign.formats)
    printing = bundle.settings_for(inputs.campaign, requested=options.print_bundle,
                                   labels=options.labels)
    if printing is not None:
        bundle.check(printing, formats, inputs.project.template_folders, planned.letters)
    folder = output_folder.confine(options.output_dir / planned.name)  # no link: before reading
    settings = {"formats": formats, "one_by_one": one_by_one,
                "pdf_variant": inputs.campaign.pdf_variant}
    hashes = cache.input_hashes(inputs, planned.letters, settings)
    previous = cache.previous_manifest(folder)
    kept = cache.reusable(previous, folder, hashes, formats)
    result = Result(planned.name, folder, attention=planned.attention)

    # --- Write: letters into a staging folder, which replaces the output folder at the end.
    with output_folder.Staging(folder) as staging:
        for entry in kept.values():
            for file in entry.files:
                output_folder.link(folder / file.name, staging.path / file.name)
        written = _write_letters(planned.letters, kept, Work(inputs, hashes, formats,
                                                             staging.path, one_by_one),
                                 options, on_progress)
        result.written = len(planned.letters) - len(kept)
        result.letters = [WrittenLetter(letter, written[letter.stem].pages,
                                        written[letter.stem].files)
                          for letter in planned.letters]
        print_hash = None
        if printing is not None:
            print_hash = cache.print_hash(hashes, printing)
            result.printed = _print_bundle(inputs, result, printing, previous, print_hash,
                                           staging.path)
        result.manifest = _manifest_of(inputs, result, hashes, print_hash)
        reports = _reports(result.manifest, result.attention)
        if not result.written and _same_reports(folder, reports):
            result.changed = False  # nothing to rewrite: leave the folder as it is
            return result
        for name, data in reports.items():
            output_folder.write_atomic(staging.path / name, data)
        staging.commit()
    return result


@dataclass(frozen=True)
class Work:
    """What the letters to write are made from, and where they go."""

    inputs: Inputs
    hashes: dict[str, str]
    formats: tuple[Format, ...]
    staging: Path
    one_by_one: bool


def _write_letters(letters: list[Letter], kept: dict[str, LetterEntry], work: Work,
                   options: GenerateOptions, on_progress: Progress | None) -> dict[str, Written]:
    """Have the executor write the letters not kept; return every letter's record by stem."""
    # The writers load WeasyPrint (seconds): only when some letter is to be written.
    from advocacy.build import executors
    from advocacy.build.worker import WorkContext, Written

    records = {stem: Written(stem, entry.pages, entry.files) for stem, entry in kept.items()}
    todo = [letter for letter in letters if letter.stem not in kept]
    total = len(letters)
    if on_progress:
        on_progress(len(kept), total)
    if not todo:
        return records
    inputs = work.inputs
    context = WorkContext(key=hashlib.sha256(repr(sorted(work.hashes.items())).encode())
                          .hexdigest(), inputs=_for_workers(inputs), formats=work.formats,
                          folder=work.staging, pdf_variant=inputs.campaign.pdf_variant,
                          one_by_one=work.one_by_one)
    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    done = executors.run(context, chunks, jobs=options.jobs or os.cpu_count() or 1,
                         executor=options.executor, scheduler=options.scheduler)
    for record in executors.on_each(
        done, lambda count: on_progress(len(kept) + count, total) if on_progress else None
    ):
        records[record.stem] = record
    return records


def _print_bundle(inputs: Inputs, result: Result, printing: PrintSettings,
                  previous: Manifest | None, print_hash: str,
                  staging: Path) -> list[bundle.PrintedFile]:
    """Write the print bundle into staging, or keep the last one when nothing it shows changed."""
    same = cache.reusable_print(previous, result.folder, print_hash)
    if same is not None:
        for entry in same:
            (staging / entry.name).parent.mkdir(parents=True, exist_ok=True)
            output_folder.link(result.folder / entry.name, staging / entry.name)
        return [bundle.PrintedFile(e.name, e.pages, e.sha256, e.size) for e in same]
    return bundle.write_bundle(inputs.campaign, inputs.project.template_folders,
                               [bundle.Item(w.letter, w.pages) for w in result.letters
                                if bundle.delivered(w.letter)], staging, printing)


def _for_workers(inputs: Inputs) -> Inputs:
    """Drop what workers do not need (senders, the crosswalk) before sending the inputs."""
    return dataclasses.replace(inputs, senders=None, crosswalk=None, sources=[], bodies=None)


def _reports(written: Manifest, attention: list[Attention]) -> dict[str, bytes]:
    """Return the manifest and attention report files, by name."""
    reports = {manifest.FILE_NAME: manifest.to_json(written),
               manifest.CSV_NAME: manifest.to_csv(written)}
    if attention:
        reports["needs-attention.csv"] = spreadsheets.attention_csv(attention)
    return reports


def _same_reports(folder: Path, reports: dict[str, bytes]) -> bool:
    """Tell whether the output folder holds exactly these reports and letters already."""
    try:
        if any(os.path.islink(Path(where, name)) for where, folders, found in os.walk(folder)
               for name in folders + found):
            return False  # a link put there by someone: write the folder anew, without it
        names = {path.name for path in folder.iterdir() if not path.is_dir()}
        return all(files.read_checked(folder / name, len(data), folder) == data
                   for name, data in reports.items()) \
            and {n for n in names if not n.endswith((".pdf", ".docx"))} == set(reports)
    except (AdvocacyError, OSError):
        return False


def _manifest_of(inputs: Inputs, result: Result, hashes: dict[str, str],
                 print_hash: str | None) -> Manifest:
    root = inputs.project.root
    return Manifest(
        campaign=result.name,
        title=inputs.campaign.title,
        tool=f"advocacy {__version__}",
        sources=tuple(_source_entry(path, root) for path in inputs.source_files()),
        letters=tuple(_letter_entry(written, hashes[written.letter.stem])
                      for written in result.letters),
        # Who signed, so `advocacy signatories diff LIST manifest.json` can say who changed.
        signatories=tuple(signatory_lists.manifest_record(s.name, s.path, s.model, root)
                          for s in inputs.signatories.values()),
        printed=tuple(PrintEntry(name=f.name, pages=f.pages, sha256=f.sha256, size=f.size)
                      for f in result.printed),
        print_hash=print_hash if result.printed else None,
    )


def _source_entry(path: Path, root: Path) -> SourceEntry:
    """Name a source relative to the project; a package template as 'advocacy/templates/...'."""
    if shipped.is_shipped(path):
        return SourceEntry(path=shipped.shown(path), sha256=files.sha256_checked(path))
    return SourceEntry(path=path.resolve().relative_to(root).as_posix(),
                       sha256=files.sha256_checked(path, root))


def _letter_entry(written: WrittenLetter, input_hash: str) -> LetterEntry:
    letter = written.letter
    return LetterEntry(
        letter=letter.stem,
        input_hash=input_hash,
        recipient=RecipientEntry(id=letter.recipient.id, name=letter.recipient.name,
                                 kind=letter.recipient.kind),
        sender=SenderEntry(name=letter.sender.name) if letter.sender else None,
        salutation=letter.salutation,
        language=letter.language,
        pages=written.pages,
        files=written.files,
        notes=tuple(note.issue for note in letter.notes),
        role=letter.role,
    )
