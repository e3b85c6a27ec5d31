"""The library entry points: check, plan and generate a campaign. Stages never print.

    result = generate(Path("campaigns/x.yaml"), output_dir=Path("output"))

Nothing is written before the campaign is validated and planned, and nothing
appears in output/ until every letter is written (see deliver.Staging).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advocacy import __version__, deliver
from advocacy.compose import Composer
from advocacy.errors import AdvocacyError
from advocacy.plan import Letter, Plan, plan_campaign
from advocacy.printing import bundle
from advocacy.recipients.constituents import Attention
from advocacy.validate import Inputs, validate_campaign
from advocacy.writers import pdf
from advocacy.writers.docx import DocxMeta, write_docx

Progress = Callable[[int, int], None]
FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class WrittenFile:
    """One file written for a letter."""

    name: str
    format: str
    sha256: str
    size: int


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
    on_progress: Progress | None = None, print_bundle: bool = False, labels: bool = False,
) -> Result:
    """Write every letter of a campaign into output_dir/NAME/ with a manifest.

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
    composer = Composer(inputs)
    fetcher = pdf.ProjectFetcher([inputs.project.templates])
    result = Result(plan.name, output_dir / plan.name, attention=plan.attention)
    with deliver.Staging(result.folder) as staging:
        total = len(plan.letters)
        for done, letter in enumerate(plan.letters, start=1):
            written = _write_letter(letter, composer, fetcher, chosen, staging.path, inputs)
            result.letters.append(written)
            if on_progress:
                on_progress(done, total)
        # --- Print bundle (print/): made from the letter PDFs just written to staging.
        if printing is not None:
            items = [bundle.Item(w.letter, w.pages) for w in result.letters]
            result.printed = bundle.write_bundle(inputs.campaign, inputs.project.templates,
                                                 items, staging.path, printing)
        manifest = _manifest(inputs, result)
        deliver.write_atomic(staging.path / "manifest.json", deliver.manifest_json(manifest))
        deliver.write_atomic(staging.path / "manifest.csv",
                             deliver.manifest_csv(manifest["letters"]))
        if result.attention:
            deliver.write_atomic(staging.path / "needs-attention.csv",
                                 deliver.attention_csv(result.attention))
        staging.commit()
    return result


def _write_letter(
    letter: Letter, composer: Composer, fetcher: pdf.ProjectFetcher, formats: tuple[str, ...],
    folder: Path, inputs: Inputs,
) -> WrittenLetter:
    html = composer.compose(letter)
    laid_out = pdf.lay_out(html, inputs.project.templates, fetcher)
    files = []
    for fmt in formats:
        if fmt == "pdf":
            data = laid_out.pdf(inputs.campaign.pdf_variant)
        else:
            meta = DocxMeta(letter.paper, letter.language, letter.date, laid_out.pages)
            data = write_docx(html, meta)
        name = f"{letter.stem}.{fmt}"
        deliver.write_atomic(folder / name, data)
        files.append(WrittenFile(name, fmt, hashlib.sha256(data).hexdigest(), len(data)))
    return WrittenLetter(letter, laid_out.pages, tuple(files))


def _manifest(inputs: Inputs, result: Result) -> dict[str, Any]:
    root = inputs.project.root
    return {
        "campaign": result.name,
        "title": inputs.campaign.title,
        "tool": f"advocacy {__version__}",
        "sources": [
            {"path": path.resolve().relative_to(root).as_posix(), "sha256": _sha256(path)}
            for path in inputs.source_files()
        ],
        "letters": [_manifest_letter(written) for written in result.letters],
        **({"print": [{"name": f.name, "pages": f.pages, "sha256": f.sha256, "bytes": f.size}
                      for f in result.printed]} if result.printed else {}),
    }


def _manifest_letter(written: WrittenLetter) -> dict[str, Any]:
    letter = written.letter
    return {
        "letter": letter.stem,
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
        "notes": list(letter.notes),
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
