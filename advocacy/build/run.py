"""Generate a campaign the full way: validate, plan, write what changed, swap the folder in.

``api.generate`` comes here when the run stamp cannot tell that the output is up
to date. Stages never print. Nothing is written before the campaign is validated
and planned, and nothing appears in output/ until every letter is written
(output_folder.Staging).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advocacy import __version__, files, manifest, output_folder, shipped, spreadsheets
from advocacy.build import cache, stamp
from advocacy.build.results import GenerateOptions, Progress, Result, WrittenLetter
from advocacy.errors import AdvocacyError, display_path
from advocacy.formats import Format
from advocacy.manifest import (
    LetterEntry,
    Manifest,
    PrintEntry,
    RecipientEntry,
    SenderEntry,
    SourceEntry,
)
from advocacy.models import PrintSettings
from advocacy.planning import Letter, plan_file
from advocacy.printing import PrintedFile, bundle
from advocacy.project import Project
from advocacy.signatories import lists as signatory_lists
from advocacy.validate.campaign import Inputs

if TYPE_CHECKING:
    from advocacy.build.worker import Written

CHUNK = 25  # letters per task: enough to share WeasyPrint's fixed costs, small enough to balance


def generate(campaign: Path, options: GenerateOptions, on_progress: Progress | None, *,
             one_by_one: bool = False, run_key: str = "") -> Result:
    """Generate; ``one_by_one`` lays each letter out alone (the benchmark's simple path).

    ``run_key``: the run stamp's key (api.generate); with it, the stamp is written when
    the run succeeds. Every file read is hashed as it is read: one edited meanwhile
    stops the run before the output changes.
    """
    root = Project.of_campaign(campaign).root
    names = stamp.names(root)
    with files.recording_reads(ignored=options.output_dir) as reads:
        return _generate(campaign, options, on_progress, one_by_one,
                         lambda folder, result: _stamp(folder, result, run_key, root, reads, names))


def _generate(campaign: Path, options: GenerateOptions, on_progress: Progress | None,
              one_by_one: bool, done: Callable[[Path, Result], None]) -> Result:
    # --- Gather: validate, plan, and decide what to write. Nothing is written yet.
    planned = plan_file(campaign, copies=options.copies)
    inputs = planned.inputs
    formats = options.formats or tuple(inputs.campaign.formats)
    printing = bundle.settings_for(inputs.campaign, requested=options.print_bundle,
                                   labels=options.labels)
    if printing is not None:
        bundle.check(printing, formats, inputs.project.template_folders, planned.letters)
    folder = output_folder.confine(options.output_dir / planned.name)  # no link: before reading
    hashes = cache.input_hashes(inputs, planned.letters, _settings(inputs, formats, one_by_one))
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
        head = _manifest_head(inputs, result, print_hash)  # hashes the sources
        _unchanged_since_read(inputs)
        reports = _write_reports(head, result, hashes, staging.path)
        if not result.written and _same_reports(folder, staging.path, reports):
            result.changed = False  # nothing to rewrite: leave the folder as it is
        else:
            staging.commit()
        output_folder.remove_leftover(staging.path)  # its links would touch the files' times
        done(folder, result)  # still under the lock
    return result


def _settings(inputs: Inputs, formats: tuple[Format, ...], one_by_one: bool) -> dict[str, Any]:
    """Return the output settings every letter's input hash covers."""
    return {"formats": formats, "one_by_one": one_by_one,
            "pdf_variant": inputs.campaign.pdf_variant}


def written_letters(campaign: Path, options: GenerateOptions,
                    folder: Path) -> list[WrittenLetter]:
    """Plan an up-to-date campaign again and pair each letter with its manifest entry.

    Each letter's input hash must still be the one its files were written from: a
    campaign edited since the run stamp answered says so, never pairs a new address
    with an old letter.
    """
    entries = {entry.letter: entry for entry in manifest.read(folder).letters}
    planned = plan_file(campaign, copies=options.copies)
    inputs = planned.inputs
    formats = options.formats or tuple(inputs.campaign.formats)
    hashes = cache.input_hashes(inputs, planned.letters, _settings(inputs, formats, False))
    if {stem: entry.input_hash for stem, entry in entries.items()} != hashes:
        raise AdvocacyError(f"{display_path(campaign)}: changed since its letters were "
                            "generated; run 'advocacy generate' again")
    return [WrittenLetter(letter, entries[letter.stem].pages, entries[letter.stem].files)
            for letter in planned.letters]


def _unchanged_since_read(inputs: Inputs) -> None:
    """Stop the run, output unchanged, if a file it read was edited while it ran.

    Every source is read once more (and so hashed again by the recording): a letter
    written from the old text and a manifest or stamp naming the new one would keep
    the wrong letter for good. The manifest has just hashed the campaign's sources;
    the other files of templates/ are read here.
    """
    root = inputs.project.root
    sources = set(inputs.source_files())
    for path in inputs.template_files:
        if path not in sources and not shipped.is_shipped(path):
            files.sha256_checked(path, root)
    reads = files.current_reads()
    if reads is not None and reads.conflicts:
        raise AdvocacyError(f"{display_path(reads.conflicts[0])}: changed while the letters "
                            "were being made from it; the earlier output is unchanged. Run "
                            "again when it is saved.")


def _stamp(folder: Path, result: Result, run_key: str, root: Path, reads: files.Reads,
           names: list[list[str]]) -> None:
    """Write the run stamp, unless a file was added to a looked-up folder meanwhile."""
    if run_key and stamp.names(root) == names:
        stamp.write(folder, run_key, root, reads, stamp.Report(
            len(result.letters), list(result.attention), list(result.printed)))


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
                  staging: Path) -> list[PrintedFile]:
    """Write the print bundle into staging, or keep the last one when nothing it shows changed."""
    same = cache.reusable_print(previous, result.folder, print_hash)
    if same is not None:
        for entry in same:
            (staging / entry.name).parent.mkdir(parents=True, exist_ok=True)
            output_folder.link(result.folder / entry.name, staging / entry.name)
        return [PrintedFile(e.name, e.pages, e.sha256, e.size) for e in same]
    return bundle.write_bundle(inputs.campaign, inputs.project.template_folders,
                               [bundle.Item(w.letter, w.pages) for w in result.letters
                                if bundle.delivered(w.letter)], staging, printing)


def _for_workers(inputs: Inputs) -> Inputs:
    """Drop what workers do not need (senders, the crosswalk) before sending the inputs."""
    return dataclasses.replace(inputs, senders=None, crosswalk=None, sources=[], bodies=None)


def _write_reports(head: Manifest, result: Result, hashes: dict[str, str],
                   staging: Path) -> list[str]:
    """Write the manifest and attention report into staging; return their names.

    The manifest is written a letter at a time, each letter's entry made as it is
    written: 100,000 letters never hold it whole in memory. ``result.manifest`` reads
    it back when asked.
    """
    def entries() -> Iterator[LetterEntry]:
        return (_letter_entry(written, hashes[written.letter.stem]) for written in result.letters)

    roles = any(written.letter.role != "letter" for written in result.letters)
    output_folder.write_atomic(staging / manifest.FILE_NAME, manifest.json_chunks(head, entries()))
    output_folder.write_atomic(staging / manifest.CSV_NAME, manifest.csv_chunks(entries(), roles))
    names = [manifest.FILE_NAME, manifest.CSV_NAME]
    if result.attention:
        output_folder.write_atomic(staging / spreadsheets.ATTENTION_NAME,
                                   spreadsheets.attention_csv(result.attention))
        names.append(spreadsheets.ATTENTION_NAME)
    return names


def _same_reports(folder: Path, staging: Path, reports: list[str]) -> bool:
    """Tell whether the output folder holds exactly these reports and letters already."""
    try:
        if any(os.path.islink(Path(where, name)) for where, folders, found in os.walk(folder)
               for name in folders + found):
            return False  # a link put there by someone: write the folder anew, without it
        names = {path.name for path in folder.iterdir() if not path.is_dir()}
        return all(files.sha256_checked(folder / name, folder, within="the output folder")
                   == files.sha256_checked(staging / name, staging, within="the output folder")
                   for name in reports) \
            and {n for n in names if not n.endswith((".pdf", ".docx"))} == set(reports)
    except (AdvocacyError, OSError):
        return False


def _manifest_head(inputs: Inputs, result: Result, print_hash: str | None) -> Manifest:
    """Return the manifest without its letters (_write_reports adds them as it writes)."""
    root = inputs.project.root
    return Manifest(
        campaign=result.name,
        title=inputs.campaign.title,
        tool=f"advocacy {__version__}",
        sources=tuple(_source_entry(path, root) for path in inputs.source_files()),
        letters=(),
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
