"""The command line: options become keyword arguments of the library calls in api.py."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from advocacy import __version__
from advocacy.cli.recipients import recipients
from advocacy.cli.signatories import signatories
from advocacy.errors import AdvocacyError, Attention, display_path

# The progress bar's console; messages use plain click.echo, so user text such as
# "[Name]" is never taken for markup and lines are never re-wrapped.
err = Console(stderr=True)


def say(text: str) -> None:
    """Print a line of results to standard output."""
    click.echo(text)


def complain(text: str) -> None:
    """Print a message to standard error (red on a terminal)."""
    click.secho(text, err=True, fg="red" if err.is_terminal else None)

CAMPAIGNS = click.argument(
    "campaigns", nargs=-1, required=True,
    type=click.Path(path_type=Path, dir_okay=False),
)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI; user mistakes print a message and exit 1, never a traceback."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="advocacy",
                 standalone_mode=False)
    except AdvocacyError as error:
        complain(f"error: {error}")
        sys.exit(1)
    except click.exceptions.Abort:
        complain("interrupted; earlier output is unchanged")
        sys.exit(130)
    except KeyboardInterrupt:
        complain("interrupted; earlier output is unchanged")
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as error:
        sys.exit(error.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="advocacy")
def cli() -> None:
    """Turn advocacy campaigns written in YAML into personalised PDF and DOCX letters."""


@cli.command()
@CAMPAIGNS
@click.option("--output", "output_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True, help="Folder for the letters.")
@click.option("--format", "formats", default=None, metavar="pdf,docx",
              help="Comma-separated formats to write (default: the campaign's own).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes to use (default: all cores).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Where letters are rendered.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --executor dask: a dask scheduler (default: a local cluster).")
@click.option("--print", "print_bundle", is_flag=True,
              help="Also write the print bundle into OUTPUT/CAMPAIGN/print/: all letters in "
              "one file, envelopes, a delivery sheet.")
@click.option("--labels", is_flag=True,
              help="In the print bundle, address labels instead of envelopes (implies --print).")
def generate(campaigns: tuple[Path, ...], output_dir: Path, formats: str | None,
             jobs: int | None, executor: str, scheduler: str | None, print_bundle: bool,
             labels: bool) -> None:
    """Write one PDF and one DOCX per letter into OUTPUT/CAMPAIGN/, with a manifest.

    Letters whose inputs did not change since the last run are kept as they are.
    """
    from advocacy import api  # here: it loads WeasyPrint, which other commands need not

    chosen = [f.strip() for f in formats.split(",") if f.strip()] if formats else None
    for campaign in campaigns:
        result = _with_progress(
            f"{campaign.name}",
            lambda report, campaign=campaign: api.generate(  # type: ignore[misc]
                campaign, output_dir=output_dir, formats=chosen, jobs=jobs, executor=executor,
                scheduler=scheduler, on_progress=report, print_bundle=print_bundle,
                labels=labels,
            ),
        )
        unchanged = len(result.letters) - result.rendered
        detail = f" ({result.rendered} written, {unchanged} unchanged)" if unchanged else ""
        say(f"{display_path(result.folder)}/: {len(result.letters)} letters{detail}")
        if result.printed:
            say("  print: " + ", ".join(f"{f.name} ({f.pages} pages)" for f in result.printed))
        _report_attention(result.attention, result.folder / "needs-attention.csv")


@cli.command()
@CAMPAIGNS
def check(campaigns: tuple[Path, ...]) -> None:
    """Validate campaigns and compose every letter, writing nothing."""
    from advocacy import api

    for campaign in campaigns:
        plan = api.check(campaign)
        say(f"{display_path(campaign)}: ok, {len(plan.letters)} letters")
        _report_attention(plan.attention)


@cli.command()
@CAMPAIGNS
def plan(campaigns: tuple[Path, ...]) -> None:
    """List the letters a campaign would write (recipient, salutation, files)."""
    from advocacy import api

    for campaign in campaigns:
        campaign_plan = api.make_plan(campaign)
        formats = campaign_plan.inputs.campaign.formats
        say(f"{display_path(campaign)}: {len(campaign_plan.letters)} letters")
        for letter in campaign_plan.letters:
            files = ", ".join(f"{letter.stem}.{fmt}" for fmt in formats)
            notes = f"  [{', '.join(n.issue for n in letter.notes)}]" if letter.notes else ""
            sender = f"{letter.sender.name} -> " if letter.sender and campaign_plan.inputs.senders \
                else ""
            say(f"  {sender}{letter.recipient.name} | {letter.salutation} | {files}{notes}")
        _report_attention(campaign_plan.unwritten)


MAX_SHOWN = 15


def _report_attention(items: list[Attention], report: Path | None = None) -> None:
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


cli.add_command(signatories)


def _with_progress(label: str, work: Callable[[Callable[[int, int], None]], Any]) -> Any:
    """Run work(report) with a progress bar that counts letters (on a terminal only)."""
    if not err.is_terminal:
        return work(lambda done, total: None)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(label, total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return work(report)


cli.add_command(recipients)
