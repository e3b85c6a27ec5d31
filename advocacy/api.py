"""The library entry points: check, plan and generate a campaign. Stages never print.

    result = generate(Path("campaigns/x.yaml"), output_dir=Path("output"))

Nothing is written before the campaign is validated and planned, and nothing
appears in output/ until every letter is written (see output_folder.Staging).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advocacy import __version__, files, output_folder
from advocacy.build import cache, executors
from advocacy.build.worker import RenderContext, Rendered, WrittenFile
from advocacy.compose.composer import Composer
from advocacy.errors import AdvocacyError, Attention
from advocacy.plan import Letter, Plan, plan_campaign
from advocacy.printing import bundle
from advocacy.signatories import lists
from advocacy.validate.campaign import Inputs, validate_campaign

Progress = Callable[[int, int], None]
FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class WrittenLetter:
    """A letter as written: its files and page count."""

    letter: Letter
    pages: int
    files: tuple[WrittenFile, ...]


@dataclass
class Result:
    """What generate() produced for one campaign."""

    name: str
    folder: Path
    letters: list[WrittenLetter] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    rendered: int = 0  # letters written by this run; the others were unchanged
    changed: bool = True  # False when the output folder already held exactly this result
    printed: list[bundle.PrintedFile] = field(default_factory=list)  # the print bundle, if any


def check(campaign: Path) -> Plan:
    """Validate a campaign and compose every letter, writing nothing; return the plan."""
    plan = make_plan(campaign)
    composer = Composer(plan.inputs)
    for letter in plan.letters:
        composer.compose(letter)  # catches template mistakes for every recipient
    printing = bundle.settings_for(plan.inputs.campaign, requested=False, labels=False)
    if printing is not None:  # the campaign's print: section
        bundle.check(printing, plan.inputs.campaign.formats, plan.inputs.project.templates)
    return plan


def make_plan(campaign: Path) -> Plan:
    """Validate a campaign and list its letters, writing nothing."""
    return plan_campaign(validate_campaign(campaign))


def generate(
    campaign: Path, *, output_dir: Path = Path("output"), formats: Sequence[str] | None = None,
    jobs: int | None = None, executor: str = "local", scheduler: str | None = None,
    shared: bool = True, on_progress: Progress | None = None, print_bundle: bool = False,
    labels: bool = False,
) -> Result:
    """Write every letter of a campaign into output_dir/NAME/ with a manifest.

    Letters whose inputs are unchanged since the last run are kept as they are;
    the others are rendered in chunks by the executor (``jobs`` processes, default
    all cores). ``shared=False`` renders each letter on its own (the simple path).
    With print_bundle (or a ``print:`` section in the campaign), also write the
    print bundle into print/; labels asks for address labels instead of envelopes.
    """
    plan = make_plan(campaign)
    inputs = plan.inputs
    chosen = tuple(formats or inputs.campaign.formats)
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise AdvocacyError(f"unknown format '{unknown[0]}'; choose from {', '.join(FORMATS)}")
    printing = bundle.settings_for(inputs.campaign, requested=print_bundle, labels=labels)
    if printing is not None:
        bundle.check(printing, chosen, inputs.project.templates)
    folder = output_dir / plan.name
    result = Result(plan.name, folder, attention=plan.attention)
    folder = output_folder.confine(folder)  # output/ may not be a link: checked before it is read
    variant = inputs.campaign.pdf_variant
    settings = {"formats": chosen, "shared": shared, "pdf_variant": variant}
    hashes = cache.input_hashes(inputs, plan.letters, settings)
    previous = cache.previous_manifest(folder)
    kept = cache.reusable(previous, folder, hashes, chosen)
    todo = [letter for letter in plan.letters if letter.stem not in kept]
    total = len(plan.letters)
    records = {stem: _kept_record(entry) for stem, entry in kept.items()}
    if on_progress:
        on_progress(len(kept), total)
    with output_folder.Staging(folder) as staging:
        for entry in kept.values():
            for file in entry["files"]:
                output_folder.link(folder / file["name"], staging.path / file["name"])
        context = RenderContext(key=hashlib.sha256(repr(sorted(hashes.items())).encode())
                                .hexdigest(), inputs=_slim(inputs), formats=chosen,
                                folder=staging.path, pdf_variant=variant, shared=shared)
        workers = jobs or os.cpu_count() or 1
        chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
        rendered = executors.run(context, chunks, jobs=workers, executor=executor,
                                 scheduler=scheduler)
        for record in executors.on_each(
            rendered, lambda done: on_progress(len(kept) + done, total) if on_progress else None
        ):
            records[record.stem] = record
        result.rendered = len(todo)
        result.letters = [WrittenLetter(letter, records[letter.stem].pages,
                                        records[letter.stem].files) for letter in plan.letters]
        # --- Print bundle (print/): made from the letter PDFs now in staging.
        print_hash = None
        if printing is not None:
            print_hash = cache.print_hash(hashes, printing)
            result.printed = cache.reusable_print(previous, folder, print_hash,
                                                     staging.path) or \
                bundle.write_bundle(inputs.campaign, inputs.project.templates,
                                    [bundle.Item(w.letter, w.pages) for w in result.letters],
                                    staging.path, printing)
        reports = _reports(inputs, result, hashes, print_hash)
        if not todo and _same_reports(folder, reports):
            result.changed = False  # nothing to rewrite: leave the folder as it is
            return result
        for name, data in reports.items():
            output_folder.write_atomic(staging.path / name, data)
        staging.commit()
    return result


CHUNK = 25  # letters per task: enough to share WeasyPrint's fixed costs, small enough to balance


def _kept_record(entry: dict[str, Any]) -> Rendered:
    files = tuple(WrittenFile(f["name"], f["format"], f["sha256"], f["bytes"])
                  for f in entry["files"])
    return Rendered(entry["letter"], entry["pages"], files)


def _slim(inputs: Inputs) -> Inputs:
    """Drop what workers do not need (senders, the crosswalk) before sending the inputs."""
    return dataclasses.replace(inputs, senders=None, crosswalk=None, sources=[])


def _reports(inputs: Inputs, result: Result, hashes: dict[str, str],
             print_hash: str | None) -> dict[str, bytes]:
    """Return the manifest and attention report files, by name."""
    manifest = _manifest(inputs, result, hashes, print_hash)
    reports = {"manifest.json": output_folder.manifest_json(manifest),
               "manifest.csv": output_folder.manifest_csv(manifest["letters"])}
    if result.attention:
        reports["needs-attention.csv"] = output_folder.attention_csv(result.attention)
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


def _manifest(inputs: Inputs, result: Result, hashes: dict[str, str],
              print_hash: str | None) -> dict[str, Any]:
    root = inputs.project.root
    return {
        "campaign": result.name,
        "title": inputs.campaign.title,
        "tool": f"advocacy {__version__}",
        "sources": [
            {"path": path.resolve().relative_to(root).as_posix(),
             "sha256": files.sha256_checked(path, root)}
            for path in inputs.source_files()
        ],
        "letters": [_manifest_letter(written, hashes[written.letter.stem])
                    for written in result.letters],
        # Who signed, so `advocacy signatories diff LIST manifest.json` can say who changed.
        "signatories": [
            lists.manifest_record(s.name, s.path, s.model, root)
            for s in inputs.signatories.values()
        ],
        **({"print": [{"name": f.name, "pages": f.pages, "sha256": f.sha256, "bytes": f.size}
                      for f in result.printed], "print_hash": print_hash}
           if result.printed else {}),
    }


def _manifest_letter(written: WrittenLetter, input_hash: str) -> dict[str, Any]:
    letter = written.letter
    return {
        "letter": letter.stem,
        "input_hash": input_hash,
        "recipient": {"id": letter.recipient.id, "name": letter.recipient.name,
                      "kind": letter.recipient.kind},
        "sender": {"name": letter.sender.name} if letter.sender else None,
        "salutation": letter.salutation,
        "language": letter.language,
        "pages": written.pages,
        "files": [
            {"name": f.name, "format": f.format, "sha256": f.sha256, "bytes": f.size}
            for f in written.files
        ],
        "notes": [note.issue for note in letter.notes],
    }

