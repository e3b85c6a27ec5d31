"""The letter commands: ``generate``, ``check`` and ``plan``, each a call of the library.

The library (advocacy.api) is imported inside each command: it loads WeasyPrint,
which the signatory and recipient commands need not wait for.
"""

from __future__ import annotations

import typing
from pathlib import Path

import click

from advocacy import spreadsheets
from advocacy.cli.console import say, with_progress
from advocacy.errors import AdvocacyError, Attention, display_path

if typing.TYPE_CHECKING:
    from advocacy.models import Format

CAMPAIGNS = click.argument(
    "campaigns", nargs=-1, required=True,
    type=click.Path(path_type=Path, dir_okay=False),
)
MAX_SHOWN = 15  # needs-attention items printed; the rest are in needs-attention.csv
COPIES = click.option("--copies", is_flag=True,
                      help="In an open letter (to:), also a copy for each selected recipient, "
                      "addressed to it.")


@click.command()
@CAMPAIGNS
@click.option("--output", "output_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True, help="Folder for the letters.")
@click.option("--format", "formats", default=None, metavar="pdf,docx",
              help="Comma-separated formats to write (default: the campaign's own).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes to use (default: all cores).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Where letters are written.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --executor dask: a dask scheduler (default: a local cluster).")
@click.option("--print", "print_bundle", is_flag=True,
              help="Also write the print bundle into OUTPUT/CAMPAIGN/print/: all letters in "
              "one file, envelopes, a delivery sheet.")
@click.option("--labels", is_flag=True,
              help="In the print bundle, address labels instead of envelopes (implies --print).")
@COPIES
def generate(campaigns: tuple[Path, ...], output_dir: Path, formats: str | None,
             jobs: int | None, executor: str, scheduler: str | None, print_bundle: bool,
             labels: bool, copies: bool) -> None:
    """Write one PDF and one DOCX per letter into OUTPUT/CAMPAIGN/, with a manifest.

    Letters whose inputs did not change since the last run are kept as they are.
    """
    from advocacy import api

    options = api.GenerateOptions(
        output_dir=output_dir, formats=_formats(formats), jobs=jobs,
        executor="dask" if executor == "dask" else "local", scheduler=scheduler,
        print_bundle=print_bundle, labels=labels, copies=copies)
    for campaign in campaigns:
        result: api.Result = with_progress(
            campaign.name,
            lambda report, campaign=campaign: api.generate(  # type: ignore[misc]
                campaign, options, on_progress=report))
        unchanged = len(result.letters) - result.written
        detail = f" ({result.written} written, {unchanged} unchanged)" if unchanged else ""
        say(f"{display_path(result.folder)}/: {len(result.letters)} letters{detail}")
        if result.printed:
            say("  print: " + ", ".join(f"{f.name} ({f.pages} pages)" if f.pages else f.name
                                        for f in result.printed))
        report_attention(result.attention, result.folder / spreadsheets.ATTENTION_NAME)


def _formats(text: str | None) -> tuple[Format, ...] | None:
    """Read --format: 'pdf,docx' -> ("pdf", "docx"); an unknown name is a user's mistake."""
    if not text:
        return None
    from advocacy.models import Format  # loaded with the library anyway

    known = typing.get_args(Format)
    chosen: list[Format] = []
    for name in (part.strip() for part in text.split(",")):
        if name and name not in known:
            raise AdvocacyError(f"unknown format '{name}'; choose from {', '.join(known)}")
        if name:
            chosen.append(typing.cast(Format, name))
    return tuple(chosen)


@click.command()
@CAMPAIGNS
@COPIES
def check(campaigns: tuple[Path, ...], copies: bool) -> None:
    """Validate campaigns and compose every letter, writing nothing."""
    from advocacy import api

    for campaign in campaigns:
        planned = api.check(campaign, copies=copies)
        say(f"{display_path(campaign)}: ok, {len(planned.letters)} letters")
        report_attention(planned.attention)


@click.command()
@CAMPAIGNS
@COPIES
def plan(campaigns: tuple[Path, ...], copies: bool) -> None:
    """List the letters a campaign would write (recipient, salutation, files)."""
    from advocacy import api

    for campaign in campaigns:
        planned = api.plan(campaign, copies=copies)
        formats = planned.inputs.campaign.formats
        say(f"{display_path(campaign)}: {len(planned.letters)} letters")
        for letter in planned.letters:
            files = ", ".join(f"{letter.stem}.{fmt}" for fmt in formats)
            notes = f"  [{', '.join(n.issue for n in letter.notes)}]" if letter.notes else ""
            sender = f"{letter.sender.name} -> " if letter.sender and letter.from_constituent \
                else ""
            role = {"open-letter": "open letter: ", "copy": "copy to "}.get(letter.role, "")
            say(f"  {sender}{role}{letter.recipient.name} | {letter.salutation} | {files}{notes}")
        report_attention(planned.remarks + planned.unwritten)


def report_attention(items: list[Attention], report: Path | None = None) -> None:
    """Print what needs a person's attention (the first few items, and where the rest are)."""
    if not items:
        return
    say(f"  needs attention: {len(items)}")
    for item in items[:MAX_SHOWN]:
        where = f"{item.place}: " if item.place else ""
        letter = f" ({item.letter})" if item.letter else ""
        action = f"; {item.action}" if item.action else ""
        say(f"    {where}{item.who}{letter}: {item.issue}{action}")
    if len(items) > MAX_SHOWN:
        say(f"    ... and {len(items) - MAX_SHOWN} more")
    if report is not None:
        say(f"  full list: {display_path(report)}")
